"""Logging in: two factors for staff, lockout after failed logins, session lifetime, headers.

Issue 10 observed: 30 wrong passwords for coordinator-b, then the right one: logged in; no
second factor for any role. These tests walk the real login (django-two-factor-auth's wizard,
django-axes in the authentication backends), the real database and the real middleware.
"""

from __future__ import annotations

import base64
import datetime
import time
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django_otp.oath import totp

from registry import lockout
from registry.choices import AuditAction
from registry.middleware import SECOND_FACTOR_EXEMPT, SESSION_LOGIN_AT
from registry.models import AuditEvent
from tests.logins import (
    LOGIN_URL,
    WIZARD,
    after_throttle,
    current_code,
    device_for,
    post_code,
    post_password,
)
from tests.registry.conftest import PLANTED
from tests.registry.test_access_matrix import all_url_patterns, concrete_url
from tests.registry.test_commands import production_env, run_python

pytestmark = pytest.mark.django_db

STAFF = ("coordinator_a", "coordinator_b", "helpdesk", "administrator")


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- two factors --------------------------------------------------------------------------


def test_staff_log_in_with_password_and_code(client, coordinator_b, password):
    device = device_for(coordinator_b)
    response = post_password(client, "coordinator-b", password)
    assert response.status_code == 200 and not _logged_in(client)
    assert response.context["wizard"]["steps"].current == "token"
    response = post_code(client, current_code(device))
    assert response.status_code == 302 and _logged_in(client)
    assert client.get("/cases/").status_code == 200


def test_a_wrong_code_keeps_the_door_shut(client, coordinator_b, password):
    device = device_for(coordinator_b)
    post_password(client, "coordinator-b", password)
    wrong = "123456" if current_code(device) != "123456" else "654321"
    response = post_code(client, wrong)
    assert response.status_code == 200 and not _logged_in(client)
    assert response.context["form"].errors
    assert client.get("/cases/").status_code == 302


def test_a_backup_code_works_once(client, coordinator_b, password):
    from django_otp.plugins.otp_static.models import StaticDevice

    device_for(coordinator_b)
    backup = StaticDevice.objects.create(user=coordinator_b, name="backup")
    backup.token_set.create(token="abcd2345")
    post_password(client, "coordinator-b", password)
    assert post_code(client, "abcd2345", step="backup").status_code == 302
    again = Client()
    post_password(again, "coordinator-b", password)
    assert post_code(again, "abcd2345", step="backup").status_code == 200
    assert not _logged_in(again)


def test_a_reporter_logs_in_with_a_password_only(client, reporter, password):
    response = post_password(client, "reporter", password)
    assert response.status_code == 302 and _logged_in(client)
    assert client.get("/intake/submit/").status_code == 200


@pytest.mark.parametrize("role", STAFF)
def test_staff_with_only_a_password_reach_no_page_of_the_access_matrix(
    role, roles, client_for, casework_world, matrix_objects
):
    """Every URL the project serves, as staff who stopped after the password (no device)."""
    user = roles[role]
    client = client_for(user, second_factor=False)
    leaked, reached = [], []
    for key, route in all_url_patterns():
        if key in SECOND_FACTOR_EXEMPT:
            continue
        url = concrete_url(route, matrix_objects)
        response = client.get(url)
        if response.status_code != 302:
            reached.append(f"{key} {url}: {response.status_code}")
        elif not response.url.startswith("/accounts/two-factor/setup/"):
            reached.append(f"{key} {url}: redirected to {response.url}")
        if any(value.encode() in response.content for value in PLANTED.values()):
            leaked.append(url)
    assert reached == [] and leaked == []
    # Nor can it write: a POST is sent to enrol too, and the case is unchanged.
    case = casework_world.case_a
    response = client.post(f"/cases/{case.pk}/edit/", {"status": "closed"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "new"


def test_staff_with_a_device_but_an_unverified_session_are_sent_to_log_in_again(
    client_for, coordinator_a, casework_world
):
    device_for(coordinator_a)
    client = client_for(coordinator_a, second_factor=False)
    response = client.get(f"/cases/{casework_world.case_a.pk}/")
    assert response.status_code == 302
    assert urlsplit(response.url).path == LOGIN_URL
    assert not _logged_in(client)


def test_first_login_enrols_an_authenticator(client, coordinator_a, password):
    response = post_password(client, "coordinator-a", password)
    assert response.status_code == 302 and _logged_in(client)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-factor/setup/")
    setup = response.url
    response = client.get(setup)
    assert response.status_code == 200
    response = client.post(setup, {"setup_view-current_step": "welcome"})
    secret = response.context["secret_key"]  # what the app reads from the QR code
    key = base64.b32decode(secret)
    code = str(totp(key, 30, 0, 6, 0)).zfill(6)
    response = client.post(setup, {"setup_view-current_step": "generator", "generator-token": code})
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 200
    assert client.get("/accounts/two-factor/backup-codes/").status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR)
    assert event.details == {"step": "enrolled", "screen": "setup"}
    assert secret not in str(list(AuditEvent.objects.values_list("details", flat=True)))


def test_the_admin_uses_the_same_two_step_login(client, administrator, password):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN_URL)
    # A staff session without the second factor does not reach the admin either.
    post_password(client, "admin", password)
    assert client.get("/admin/").status_code == 302


# --- lockout --------------------------------------------------------------------------------


def _fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        post_password(client, username, "not-the-password")


def test_the_sixth_attempt_with_the_right_password_is_refused(client, coordinator_b, password):
    device_for(coordinator_b)
    _fail(client, "coordinator-b", 5)
    response = post_password(client, "coordinator-b", password)
    assert response.status_code == 429
    assert "30" in response.text
    assert response.context["minutes"] == 30
    assert not _logged_in(client)
    assert lockout.is_locked(coordinator_b)
    events = AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT)
    assert events.exists()
    assert {e.object_id for e in events} == {str(coordinator_b.pk)}


def test_the_lockout_ends_after_thirty_minutes(client, coordinator_b, password):
    device_for(coordinator_b)
    _fail(client, "coordinator-b", 5)
    assert post_password(client, "coordinator-b", password).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=31)
    )
    assert not lockout.is_locked(coordinator_b)
    response = post_password(client, "coordinator-b", password)
    assert response.status_code == 200
    assert response.context["wizard"]["steps"].current == "token"


def test_four_failures_do_not_lock(client, coordinator_b, password):
    device_for(coordinator_b)
    _fail(client, "coordinator-b", 4)
    response = post_password(client, "coordinator-b", password)
    assert response.status_code == 200
    assert response.context["wizard"]["steps"].current == "token"


def test_the_lockout_page_says_the_same_for_an_unknown_name(client, coordinator_b):
    _fail(client, "coordinator-b", 6)
    known = client.post(
        LOGIN_URL, {WIZARD: "auth", "auth-username": "coordinator-b", "auth-password": "x"}
    )
    other = Client()
    _fail(other, "no-such-user", 6)
    unknown = other.post(
        LOGIN_URL, {WIZARD: "auth", "auth-username": "no-such-user", "auth-password": "x"}
    )
    assert known.status_code == unknown.status_code == 429
    assert known.context["minutes"] == unknown.context["minutes"]
    assert known.templates[0].name == unknown.templates[0].name
    assert "coordinator-b" not in known.text and "no-such-user" not in unknown.text


def test_a_locked_login_from_one_address_leaves_other_addresses_open(coordinator_b, password):
    device_for(coordinator_b)
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    _fail(attacker, "coordinator-b", 6)
    colleague = Client(REMOTE_ADDR="198.51.100.20")
    response = post_password(colleague, "coordinator-b", password)
    assert response.status_code == 200
    assert response.context["wizard"]["steps"].current == "token"


def test_an_administrator_unlocks_a_locked_account(
    client, client_for, coordinator_b, administrator, password
):
    device = device_for(coordinator_b)
    _fail(client, "coordinator-b", 5)
    assert post_password(client, "coordinator-b", password).status_code == 429
    admin = client_for(administrator)
    changelist = admin.get("/admin/registry/user/")
    assert "unlock_login" in changelist.text
    response = admin.post(
        "/admin/registry/user/",
        {"action": "unlock_login", "_selected_action": [coordinator_b.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert not lockout.is_locked(coordinator_b)
    event = AuditEvent.objects.get(action=AuditAction.UNLOCK)
    assert (event.actor, event.object_id) == ("admin", str(coordinator_b.pk))
    post_password(client, "coordinator-b", password)
    after_throttle(device)
    assert post_code(client, current_code(device)).status_code == 302


def test_failed_logins_keep_no_typed_name_or_password(client, coordinator_b, caplog):
    typed_name, typed_password = PLANTED["family_name"], "Planted-Password-Quillonetta"
    for _ in range(6):
        post_password(client, typed_name, typed_password)
    post_password(client, "coordinator-b", typed_password)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM axes_accessattempt")
        rows = repr(cursor.fetchall())
    assert AccessAttempt.objects.exists()
    for secret in (typed_name, typed_password, "coordinator-b"):
        assert secret not in rows
        assert secret not in caplog.text
    events = repr(list(AuditEvent.objects.values_list("details", "object_id")))
    assert typed_name not in events and typed_password not in events


# --- sessions, passwords, headers -----------------------------------------------------------


def test_a_session_ends_twelve_hours_after_login_however_busy(client_for, coordinator_a):
    client = client_for(coordinator_a)
    assert client.get("/cases/").status_code == 200
    session = client.session
    session[SESSION_LOGIN_AT] = int(time.time()) - 12 * 3600 - 1
    session.save()
    response = client.get("/cases/")
    assert response.status_code == 302
    assert urlsplit(response.url).path == LOGIN_URL
    assert not _logged_in(client)
    page = client.get(response.url)
    assert "12" in page.text  # "sessions last at most 12 hours"


def test_a_session_within_twelve_hours_goes_on(client_for, coordinator_a):
    client = client_for(coordinator_a)
    session = client.session
    session[SESSION_LOGIN_AT] = int(time.time()) - 11 * 3600
    session.save()
    assert client.get("/cases/").status_code == 200


def test_passwords_need_at_least_twelve_characters(coordinator_a):
    with pytest.raises(ValidationError, match="12"):
        validate_password("Ab3$efgh-jk", user=coordinator_a)
    validate_password("Ab3$efgh-jkl", user=coordinator_a)


def test_pages_carry_a_permissions_policy(client):
    response = client.get(LOGIN_URL)
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]


def test_check_deploy_is_clean_in_production_behind_a_tls_proxy(tmp_path):
    env = production_env(
        tmp_path,
        DJANGO_SECRET_KEY=base64.urlsafe_b64encode(bytes(range(64))).decode(),
        DJANGO_ALLOWED_HOSTS="registry.example.org",
        DJANGO_BEHIND_TLS_PROXY="1",
    )
    result = run_python(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    settings_dump = run_python(
        env,
        "-c",
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)",
    )
    assert settings_dump.stdout.split() == ["31536000", "True", "True"]


def test_an_administrator_resets_a_lost_second_factor_but_not_an_administrators(
    client, client_for, coordinator_b, administrator, password
):
    from registry.choices import Role
    from tests.factories import UserFactory

    other_admin = UserFactory(username="admin-2", role=Role.ADMINISTRATOR)
    device_for(coordinator_b)
    device_for(other_admin)
    admin = client_for(administrator)
    admin.post(
        "/admin/registry/user/",
        {
            "action": "reset_second_factor",
            "_selected_action": [coordinator_b.pk, other_admin.pk, administrator.pk],
        },
    )
    assert not coordinator_b.totpdevice_set.exists()
    assert other_admin.totpdevice_set.exists() and administrator.totpdevice_set.exists()
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR)
    assert (event.object_id, event.details["step"]) == (str(coordinator_b.pk), "reset")
    # At the next login coordinator B sets up a new authenticator before anything else.
    post_password(client, "coordinator-b", password)
    response = client.get("/cases/")
    assert response.url.startswith("/accounts/two-factor/setup/")


def test_the_enrolment_page_offers_no_links_into_the_registry(client, coordinator_a, password):
    post_password(client, "coordinator-a", password)
    page = client.get("/accounts/two-factor/setup/")
    assert page.status_code == 200
    for url in ("/cases/", "/intake/register/", "/admin/", "/accounts/two-factor/backup-codes/"):
        assert f'href="{url}"' not in page.text
