"""The reference data and the demo set-up commands; headers and language of the pages.

The home page per role: tests/config/test_home.py."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry import reference_data
from registry.choices import Role
from registry.crypto import generate_key
from registry.models import Case, Person, Region, Registration, ReportingOrganisation, User
from tests.factories import UserFactory
from tests.logins import device_for, post_code, post_password

pytestmark = pytest.mark.django_db


def test_load_reference_data_is_safe_to_run_twice_and_keeps_edits():
    call_command("load_reference_data", stdout=io.StringIO())
    assert Region.objects.count() == len(reference_data.REGIONS) == 21
    assert ReportingOrganisation.objects.count() == len(reference_data.ORGANISATIONS)
    region = Region.objects.get(code="amsterdam")
    region.name = "Amsterdam-Amstelland"
    region.save()
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "0 regions" in out.getvalue()
    assert Region.objects.count() == 21
    assert Region.objects.get(code="amsterdam").name == "Amsterdam-Amstelland"


def test_seed_demo_creates_users_per_role_and_tops_up_registrations(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", "--registrations", "40", stdout=out)
    text = out.getvalue()
    for username in ("admin", "helpdesk", "coordinator-a", "coordinator-b", "reporter"):
        assert username in text
        assert User.objects.filter(username=username).exists()
    assert "demo_code" in text  # how to get the second factor's code
    assert Registration.objects.count() == 40
    # Repeat registrations of the same person exist, and cases were routed.
    assert Person.objects.count() < 40
    assert Case.objects.exists()
    assert User.objects.get(username="coordinator-a").regions.get().code == "amsterdam"
    assert User.objects.get(username="reporter").organisation is not None
    # Staff get an authenticator; the reporter logs in with a password only.
    with_device = set(
        TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True)
    )
    assert with_device == {"admin", "admin-2", "helpdesk", "coordinator-a", "coordinator-b"}

    call_command("seed_demo", "--registrations", "40", stdout=io.StringIO())
    assert Registration.objects.count() == 40
    assert User.objects.filter(username="admin").count() == 1


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo", "--registrations", "0", stdout=io.StringIO())
    assert not User.objects.exists()


def test_seed_demo_never_changes_an_existing_account(settings, client, password):
    """An account named like a demo user keeps its password, role and (lack of) device."""
    settings.DEBUG = True
    existing = UserFactory(username="admin", role=Role.COORDINATOR)
    before = existing.password
    out = io.StringIO()
    call_command("seed_demo", "--registrations", "0", "--password", "a-good-password", stdout=out)
    existing.refresh_from_db()
    assert (existing.password, existing.role) == (before, Role.COORDINATOR)
    assert not TOTPDevice.objects.filter(user=existing).exists()
    assert "admin          (unchanged)" in out.getvalue()
    response = post_password(client, "admin", "a-good-password")
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_seed_demo_rejects_bad_arguments(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="--registrations"):
        call_command("seed_demo", "--registrations", "-1", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--password"):
        call_command("seed_demo", "--password", "short-pass", stdout=io.StringIO())


def test_seeded_demo_staff_log_in_with_the_code_demo_code_prints(settings, client):
    settings.DEBUG = True
    call_command(
        "seed_demo", "--registrations", "0", "--password", "a-good-password", stdout=io.StringIO()
    )
    out = io.StringIO()
    call_command("demo_code", "coordinator-a", stdout=out)
    code = out.getvalue().split()[0]
    assert code.isdigit() and len(code) == 6
    post_password(client, "coordinator-a", "a-good-password")
    response = post_code(client, code)
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 200
    everyone = io.StringIO()
    call_command("demo_code", stdout=everyone)
    assert {line.split()[0] for line in everyone.getvalue().splitlines()} == {
        "admin",
        "admin-2",
        "coordinator-a",
        "coordinator-b",
        "helpdesk",
    }


def test_demo_code_refuses_without_debug(settings, coordinator_a):
    device_for(coordinator_a)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("demo_code", "coordinator-a", stdout=io.StringIO())


def test_demo_code_names_a_user_without_an_authenticator(settings, reporter):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="no authenticator"):
        call_command("demo_code", "reporter", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no user named"):
        call_command("demo_code", "nobody", stdout=io.StringIO())


def test_make_dev_keys_writes_once_and_never_overwrites(tmp_path, settings):
    settings.DEBUG = True
    settings.DEV_KEYS_FILE = tmp_path / "dev-keys.env"
    call_command("make_dev_keys", stdout=io.StringIO())
    first = settings.DEV_KEYS_FILE.read_text()
    assert "REGISTRY_ENCRYPTION_KEYS=dev" in first
    assert "REGISTRY_BLIND_INDEX_KEY=" in first
    assert "REGISTRY_AUDIT_KEY=" in first
    assert (settings.DEV_KEYS_FILE.stat().st_mode & 0o777) == 0o600
    call_command("make_dev_keys", stdout=io.StringIO())
    assert settings.DEV_KEYS_FILE.read_text() == first


def test_make_dev_keys_adds_the_audit_key_to_an_older_file_leaving_its_keys_alone(
    tmp_path, settings
):
    settings.DEBUG = True
    settings.DEV_KEYS_FILE = tmp_path / "dev-keys.env"
    # A developer's keyring from before the audit key (no newline at the end, as hand-edited).
    older = (
        "# Development keys for a local run only. Never use them in production.\n"
        f"REGISTRY_ENCRYPTION_KEYS=dev20260101:{generate_key()}\n"
        f"REGISTRY_BLIND_INDEX_KEY={generate_key()}"
    )
    settings.DEV_KEYS_FILE.write_text(older)
    settings.DEV_KEYS_FILE.chmod(0o600)
    out = io.StringIO()

    call_command("make_dev_keys", stdout=out)

    text = settings.DEV_KEYS_FILE.read_text()
    assert text.startswith(older + "\n")
    added = text[len(older) + 1 :].splitlines()
    assert len(added) == 1 and added[0].startswith("REGISTRY_AUDIT_KEY=")
    audit_key = added[0].partition("=")[2]
    assert len(base64.urlsafe_b64decode(audit_key)) == 32
    assert audit_key not in older
    assert "Added REGISTRY_AUDIT_KEY" in out.getvalue()
    assert (settings.DEV_KEYS_FILE.stat().st_mode & 0o777) == 0o600
    call_command("make_dev_keys", stdout=io.StringIO())
    assert settings.DEV_KEYS_FILE.read_text() == text


def test_make_dev_keys_refuses_without_debug(tmp_path, settings):
    settings.DEBUG = False
    settings.DEV_KEYS_FILE = tmp_path / "dev-keys.env"
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("make_dev_keys", stdout=io.StringIO())
    assert not settings.DEV_KEYS_FILE.exists()


def test_pages_of_signed_in_users_are_not_cached_and_allow_no_foreign_script(
    client_for, coordinator_a
):
    response = client_for(coordinator_a).get("/")
    assert response["Cache-Control"] == "no-store, private"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in response.content.decode()


def test_language_switch_shows_dutch(client_for, coordinator_a):
    client = client_for(coordinator_a)
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert response.status_code == 302
    assert client.get("/").headers["Content-Language"] == "nl"


@pytest.mark.django_db(transaction=True)
def test_the_code_lists_come_back_after_a_flush():
    """A transactional test ends with a flush; the next test still registers forms of
    exploitation (the rows are made again by the post_migrate handler, as Django's
    permissions are)."""
    from registry.models import FormOfExploitation, MeansOfControl
    from tests.audit_guard import guard_lifted

    with guard_lifted():
        call_command("flush", interactive=False, verbosity=0)
    assert set(FormOfExploitation.objects.values_list("code", flat=True)) == set(
        FormOfExploitation.Code.values
    )
    assert set(MeansOfControl.objects.values_list("code", flat=True)) == set(
        MeansOfControl.Code.values
    )


def test_seed_demo_records_demo_shelters_once(settings):
    """The demo has shelters, so the help desk's overview and placement pages show places;
    seeding again adds none."""
    from registry.models import Shelter

    settings.DEBUG = True
    for _run in range(2):
        call_command("seed_demo", "--registrations", "0", stdout=io.StringIO())
        shelters = Shelter.objects.order_by("name")
        assert [(s.name, s.shelter_type, s.places) for s in shelters] == [
            ("COSM Noord (demo)", "cosm", 6),
            ("COSM Zuid (demo)", "cosm", 4),
            ("Vrouwenopvang West (demo)", "women", 8),
        ]
