"""The personal export: the grant it needs, audit events, neutralisation, no export for others."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import logging
import time

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from import_export.admin import ExportMixin
from openpyxl import load_workbook

from registry.choices import AuditAction, Role
from registry.models import AuditEvent, Job, JobFile
from registry.second_factor import SESSION_KEY as SECOND_FACTOR_SESSION_KEY
from reports.columns import PERSONAL_EXPORT_COLUMNS
from reports.models import GRANT_LIFETIME, ExportGrant
from reports.writers import FORMULA_PREFIXES, neutralise
from tests.factories import (
    ExportGrantFactory,
    PersonFactory,
    RegistrationFactory,
    UserFactory,
    grant_personal_export,
)
from tests.logins import after_throttle, current_code, device_for
from tests.reports.conftest import PLANTED_SECRET
from tests.reports.personal_exports import download as page_download
from tests.reports.personal_exports import open_archive, page_url, shown_password
from tests.reports.personal_exports import start as page_start

pytestmark = pytest.mark.django_db


def _table_text(model) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        return repr(cursor.fetchall())


def _forged_grant(user):
    """An approved grant written straight into the database, bypassing every rule: for
    proving that even then a user of another role cannot export."""
    now = timezone.now()
    approver = UserFactory(username=f"approver-of-{user.pk}", role=Role.ADMINISTRATOR)
    ExportGrantFactory(
        grantee=user,
        status=ExportGrant.Status.APPROVED,
        decided_by=approver,
        decided_at=now,
        expires_at=now + GRANT_LIFETIME,
    )
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def exporter(administrator):
    return grant_personal_export(administrator)


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES, ids=repr)
def test_each_formula_prefix_is_neutralised_with_a_quote(prefix):
    assert neutralise(f"{prefix}SUM(A1)") == f"'{prefix}SUM(A1)"


def test_harmless_values_are_left_alone():
    assert [neutralise(v) for v in ["Jansen", "2024-01-01", "", 42, "a=b"]] == [
        "Jansen",
        "2024-01-01",
        "",
        42,
        "a=b",
    ]


@pytest.fixture
def hostile(db):
    """One registration per formula prefix, the prefix leading the family name."""
    made = []
    for i, prefix in enumerate(FORMULA_PREFIXES):
        person = PersonFactory(
            family_name=f"{prefix}HYPERLINK(x{i})",
            given_names=f"Given{i}",
            date_of_birth=datetime.date(1990, 1, 1 + i),
            id_document_number=f"DOC{i}",
        )
        made.append(RegistrationFactory(person=person, age_at_registration=30, forms=["labour"]))
    return made


def test_command_export_neutralises_every_leading_formula_character(hostile, exporter, tmp_path):
    target = tmp_path / "personal.csv"
    call_command(
        "export_registrations",
        "--personal",
        "--output",
        str(target),
        "--user",
        exporter.username,
        "--code",
        code_for(exporter),
    )
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8"), newline="")))
    assert list(rows[0]) == PERSONAL_EXPORT_COLUMNS
    names = sorted(row["family_name"] for row in rows)
    assert names == sorted(f"'{p}HYPERLINK(x{i})" for i, p in enumerate(FORMULA_PREFIXES))
    assert {row["exploitation_forms"] for row in rows} == {"labour"}
    assert {row["date_of_birth"][:7] for row in rows} == {"1990-01"}


def test_xlsx_export_neutralises_too(hostile, exporter, tmp_path):
    target = tmp_path / "personal.xlsx"
    call_command(
        "export_registrations",
        "--personal",
        "--format",
        "xlsx",
        "--output",
        str(target),
        "--user",
        exporter.username,
        "--code",
        code_for(exporter),
    )
    sheet = load_workbook(target, read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == PERSONAL_EXPORT_COLUMNS
    family = {row[PERSONAL_EXPORT_COLUMNS.index("family_name")] for row in values[1:]}
    assert all(name.startswith("'") for name in family)
    assert all(isinstance(v, str) or v is None for row in values[1:] for v in row)


def test_command_export_is_audited_with_rows_and_the_files_sha256_never_values(
    hostile, exporter, tmp_path
):
    target = tmp_path / "personal.csv"
    call_command(
        "export_registrations",
        "--personal",
        "--output",
        str(target),
        "--user",
        exporter.username,
        "--from",
        "2000-01-01",
        "--code",
        code_for(exporter),
    )
    events = list(AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("id"))
    assert [e.details["stage"] for e in events] == ["started", "finished"]
    done = events[-1]
    assert done.actor == exporter.username
    assert done.details["rows"] == len(FORMULA_PREFIXES)
    assert done.details["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    assert done.details["filters"]["from"] == "2000-01-01"
    assert "HYPERLINK" not in str([e.details for e in events])


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.HELPDESK, Role.ADMINISTRATOR])
def test_command_refuses_a_user_without_a_grant(role, tmp_path, db):
    user = UserFactory(username=f"no-perm-{role}", role=role)
    target = tmp_path / "x.csv"
    with pytest.raises(CommandError, match="grant"):
        call_command(
            "export_registrations", "--personal", "--output", str(target), "--user", user.username
        )
    assert not target.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_command_refuses_a_coordinator_even_with_a_grant(tmp_path, coordinator_a):
    user = _forged_grant(coordinator_a)
    with pytest.raises(CommandError):
        call_command(
            "export_registrations",
            "--personal",
            "--output",
            str(tmp_path / "x.csv"),
            "--user",
            user.username,
        )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "yesterday"], "YYYY-MM-DD"),
        (["--from", "2025-02-01", "--to", "2025-01-01"], "after"),
        (["--user", "nobody"], "no user"),
    ],
)
def test_command_bad_arguments_give_a_clear_error(args, message, tmp_path, db):
    with pytest.raises(CommandError, match=message):
        call_command(
            "export_registrations", "--personal", "--output", str(tmp_path / "x.csv"), *args
        )


def test_command_refuses_an_output_folder_that_does_not_exist(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "export_registrations",
            *("--anonymised", "--period", "2025", "--output", str(tmp_path / "no" / "x.csv")),
        )


# The admin --------------------------------------------------------------------------------


def _export_url():
    return reverse("admin:reports_personalexport_export")


def test_admin_without_a_grant_cannot_open_or_post_the_export(administrator, client_for):
    client = client_for(administrator)
    assert client.get(_export_url()).status_code == 403
    assert client.post(_export_url(), {"format": "0"}).status_code == 403
    assert client.get(reverse("admin:reports_personalexport_changelist")).status_code == 403


@pytest.mark.parametrize("role", ["helpdesk", "coordinator_a", "reporter"])
def test_other_roles_cannot_export_even_as_staff_with_a_grant(roles, client_for, role):
    user = roles[role]
    user.is_staff = True
    user.save()
    user = _forged_grant(user)
    assert client_for(user).post(_export_url(), {"format": "0"}).status_code in (302, 403)
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_page_writes_a_neutralised_audited_csv_encrypted_at_rest(
    hostile, exporter, client_for, caplog
):
    # Was the admin's export; the export has a page of its own (test_personal_export_page.py).
    caplog.set_level(logging.DEBUG)
    client = client_for(exporter)
    started = page_start(client)
    response = page_download(client, started)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    archive = response.content
    _name, content = open_archive(archive, shown_password(started))
    rows = list(csv.DictReader(io.StringIO(content.decode(), newline="")))
    assert len(rows) == len(FORMULA_PREFIXES)
    assert all(row["family_name"].startswith("'") for row in rows)
    assert {row["id_document_number"] for row in rows} == {f"DOC{i}" for i in range(6)}
    # The file waits for its download encrypted: no value of it in the database in clear.
    stored = _table_text(JobFile)
    assert "DOC0" not in stored and "registration_number" not in stored
    # Nor in the job's row, the task's row or the logs of the request and the worker.
    for where in (_table_text(Job), _table_text(DBTaskResult), caplog.text):
        assert "DOC0" not in where
    done = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("-id").first()
    assert done.details["stage"] == "finished"
    assert done.details["rows"] == len(FORMULA_PREFIXES)
    assert done.details["sha256"] == hashlib.sha256(archive).hexdigest()
    assert done.details["filters"]["screen"] == "page"


def test_the_pages_xlsx_export_is_audited(hostile, exporter, client_for):
    client = client_for(exporter)
    started = page_start(client, file_format="xlsx")
    archive = page_download(client, started).content
    done = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("-id").first()
    assert done.details["format"] == "xlsx"
    assert done.details["sha256"] == hashlib.sha256(archive).hexdigest()


def test_the_admin_lists_search_is_not_carried_to_the_export_or_the_trail(
    hostile, exporter, client_for
):
    # The admin's export button leads to the page: a search of the list (which may be a name)
    # goes nowhere, neither into the page's address nor the trail.
    client = client_for(exporter)
    response = client.get(_export_url() + f"?q={PLANTED_SECRET}&reporter_type__exact=police")
    assert response.status_code == 302 and PLANTED_SECRET not in response.url
    page_download(client, page_start(client, reporter_type="police"))
    details = str([e.details for e in AuditEvent.objects.all()])
    assert PLANTED_SECRET not in details
    for model in (Job, JobFile, DBTaskResult):
        assert PLANTED_SECRET not in _table_text(model)
    assert "police" in details


def test_import_export_permission_code_is_set_so_exports_are_closed_by_default(settings):
    assert settings.IMPORT_EXPORT_EXPORT_PERMISSION_CODE == "export"


def test_no_model_admin_lets_an_administrator_export_without_a_permission(administrator):
    request = RequestFactory().get("/admin/")
    request.user = administrator
    exporting = [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, ExportMixin)
    ]
    assert exporting, "the personal export admin is registered"
    for model_admin in exporting:
        assert not model_admin.has_export_permission(request), type(model_admin).__name__


def test_a_superuser_needs_a_grant_too(tmp_path, db):
    superuser = UserFactory(username="root", role=Role.ADMINISTRATOR, is_superuser=True)
    target = tmp_path / "x.csv"
    with pytest.raises(CommandError, match="grant"):
        call_command(
            "export_registrations", "--personal", "--output", str(target), "--user", "root"
        )
    assert not target.exists()
    # Granted by two other administrators, it is allowed.
    grant_personal_export(superuser)
    call_command(
        "export_registrations",
        "--personal",
        "--output",
        str(target),
        "--user",
        "root",
        "--code",
        code_for(superuser),
    )
    assert target.exists()


def test_the_command_refuses_once_the_grant_has_expired(hostile, exporter, tmp_path):
    grant = ExportGrant.objects.get(grantee=exporter)
    ExportGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now())
    target = tmp_path / "x.csv"
    with pytest.raises(CommandError, match="grant"):
        call_command(
            "export_registrations",
            "--personal",
            "--output",
            str(target),
            "--user",
            exporter.username,
        )
    assert not target.exists()


def code_for(user) -> str:
    """The code the user's authenticator shows now (a device is made if they have none)."""
    return current_code(device_for(user))


def test_the_command_asks_for_the_users_second_factor(hostile, exporter, tmp_path):
    target = tmp_path / "x.csv"
    base = ["export_registrations", "--personal", "--output", str(target)]
    with pytest.raises(CommandError, match="--code"):
        call_command(*base, "--user", exporter.username)
    wrong = "000000" if code_for(exporter) != "000000" else "111111"
    with pytest.raises(CommandError, match="not a valid second-factor code"):
        call_command(*base, "--user", exporter.username, "--code", wrong)
    assert not target.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    failed = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR)
    assert failed.details == {"step": "failed", "screen": "command"}
    after_throttle(device_for(exporter))
    call_command(*base, "--user", exporter.username, "--code", code_for(exporter))
    assert target.exists()


def test_the_export_asks_for_a_new_code_16_minutes_after_the_last(hostile, exporter, client_for):
    client = client_for(exporter)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = int(time.time()) - 16 * 60
    session.save()
    # The export page itself, and a forged post straight to it.
    page = client.get(page_url())
    assert page.status_code == 302 and page.url.startswith("/accounts/verify/")
    post = page_start(client)
    assert post.status_code == 302 and post.url.startswith("/accounts/verify/")
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    # A fresh code, and the export goes ahead.
    verify = client.post(page.url, {"code": code_for(exporter), "next": page_url()})
    assert verify.status_code == 302 and verify.url == page_url()
    response = page_download(client, page_start(client))
    assert response.status_code == 200
    steps = list(
        AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR).values_list(
            "details", flat=True
        )
    )
    assert steps == [{"step": "verified", "screen": "reverify"}]


def test_the_export_within_15_minutes_needs_no_new_code(hostile, exporter, client_for):
    client = client_for(exporter)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = int(time.time()) - 14 * 60
    session.save()
    assert client.get(page_url()).status_code == 200
