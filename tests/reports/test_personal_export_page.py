"""The personal export's page (issue 16, item 7): the warning, the purpose in the audit trail,
the AES-256 archive whose password is shown once and kept nowhere, the 7 days after which the
archive is gone."""

from __future__ import annotations

import datetime
import hashlib
import html
import io
import logging
import time
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from registry import once, retention
from registry.choices import AuditAction, Role
from registry.models import AuditEvent, Job, JobFile, UsedFormToken
from registry.second_factor import SESSION_KEY as SECOND_FACTOR_SESSION_KEY
from reports import archive
from reports.columns import PERSONAL_EXPORT_COLUMNS
from reports.models import GRANT_LIFETIME, ExportGrant
from tests.factories import (
    ExportGrantFactory,
    PersonFactory,
    RegistrationFactory,
    UserFactory,
    grant_personal_export,
)
from tests.jobs import run_jobs
from tests.reports.personal_exports import (
    AES_COMPRESSION_MARKER,
    PURPOSE,
    aes_strength,
    archive_entries,
    download,
    job_url,
    open_archive,
    page_url,
    shown_password,
    start,
)

pytestmark = pytest.mark.django_db

FAMILY = "Plantedfamilyname"
DOCUMENT = "PLANTDOC7731"


@pytest.fixture
def exporter(administrator):
    return grant_personal_export(administrator)


@pytest.fixture
def planted(region_a, region_b):
    """Two registrations of a person whose family name and document number are planted, one
    in each region, and one other person in region B."""
    person = PersonFactory(
        family_name=FAMILY,
        given_names="Plantedgiven",
        date_of_birth=datetime.date(1994, 5, 6),
        id_document_number=DOCUMENT,
    )
    a = RegistrationFactory(
        person=person, region=region_a, registered_on=datetime.date(2025, 3, 1), forms=["labour"]
    )
    b = RegistrationFactory(
        person=person, region=region_b, registered_on=datetime.date(2025, 9, 1), forms=["sexual"]
    )
    other = RegistrationFactory(region=region_b, registered_on=datetime.date(2024, 2, 2))
    return {"a": a, "b": b, "other": other}


def _table_text(model) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        return repr(cursor.fetchall())


def _exports() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("id"))


def _rows(data: bytes) -> list[dict[str, str]]:
    import csv

    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


# The page ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["This file holds the identities of victims", "audit trail", "AES-256", "7 days"]),
        ("nl", ["Dit bestand bevat de identiteit van slachtoffers", "logboek", "7 dagen"]),
    ],
)
def test_the_page_says_the_file_holds_victims_identities_who_may_get_it_and_that_it_is_audited(
    exporter, client_for, language, words
):
    page = client_for(exporter).get(page_url(), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    text = page.content.decode()
    for word in words:
        assert word in text
    assert 'name="purpose"' in text and 'name="file_format"' in text
    assert "no-store" in page["Cache-Control"]


def test_an_administrator_without_a_grant_gets_403_and_starts_nothing(administrator, client_for):
    client = client_for(administrator)
    assert client.get(page_url()).status_code == 403
    assert start(client).status_code == 403
    assert not Job.objects.exists() and not _exports()


@pytest.mark.parametrize("role", ["helpdesk", "coordinator_a", "reporter"])
def test_other_roles_get_403_even_with_a_grant_forged_into_the_database(roles, client_for, role):
    user = roles[role]
    now = timezone.now()
    ExportGrantFactory(
        grantee=user,
        status=ExportGrant.Status.APPROVED,
        decided_by=UserFactory(username="forger", role=Role.ADMINISTRATOR),
        decided_at=now,
        expires_at=now + GRANT_LIFETIME,
    )
    client = client_for(user)
    assert client.get(page_url()).status_code == 403
    assert start(client).status_code == 403
    assert not Job.objects.exists()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(page_url())
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_code_older_than_15_minutes_sends_to_reverify_before_the_form_and_the_post(
    exporter, planted, client_for
):
    client = client_for(exporter)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = int(time.time()) - 16 * 60
    session.save()
    for response in (client.get(page_url()), start(client)):
        assert response.status_code == 302
        assert response.url.startswith(reverse("reverify"))
    assert not Job.objects.exists() and not _exports()


def test_the_admin_export_button_leads_to_the_page(exporter, administrator, client_for):
    url = reverse("admin:reports_personalexport_export")
    response = client_for(exporter).get(url)
    assert response.status_code == 302 and response.url == page_url()
    assert client_for(exporter).post(url, {"format": "0"}).url == page_url()
    assert not Job.objects.exists()


# The form ---------------------------------------------------------------------------------


def test_the_purpose_is_required_and_nothing_typed_is_lost(exporter, planted, client_for):
    client = client_for(exporter)
    region = planted["a"].region
    response = start(
        client,
        purpose="",
        start="2025-01-01",
        end="2025-06-30",
        region=str(region.pk),
        reporter_type="police",
        file_format="xlsx",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Give the purpose of the export" in text
    assert 'value="2025-01-01"' in text and 'value="2025-06-30"' in text
    assert f'<option value="{region.pk}" selected>' in text
    assert '<option value="police" selected>' in text
    assert 'value="xlsx"' in text and "checked" in text.split('value="xlsx"')[1][:40]
    assert not Job.objects.exists() and not _exports()


@pytest.mark.parametrize("purpose", ["court", "   just  a  few  words   ", "x" * 501])
def test_a_purpose_too_short_or_too_long_is_refused_and_kept(
    exporter, planted, client_for, purpose
):
    response = start(client_for(exporter), purpose=purpose, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    text = response.content.decode()
    assert "characters" in text
    assert purpose.strip()[:30] in text
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"start": "yesterday"},
        {"start": "2025-12-31", "end": "2025-01-01"},
        {"region": "999999"},
        {"region": "1 OR 1=1"},
        {"reporter_type": "<script>"},
        {"file_type": "everything"},
        {"file_format": "pdf"},
        {"file_format": ""},
    ],
)
def test_bad_input_is_a_400_with_the_form_never_a_500_or_a_job(
    exporter, planted, client_for, fields
):
    response = start(client_for(exporter), **fields)
    assert response.status_code == 400
    assert 'id="personal-export-form"' in response.content.decode()
    assert not Job.objects.exists() and not _exports()


def test_a_tampered_or_foreign_form_token_starts_nothing_and_keeps_the_purpose(
    exporter, planted, client_for, roles
):
    client = client_for(exporter)
    other = grant_personal_export(UserFactory(username="other-admin", role=Role.ADMINISTRATOR))
    for token in ("", "forged", once.new_token(other), once.new_token(exporter) + "x"):
        response = start(client, **{once.FIELD: token}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        text = html.unescape(response.content.decode())
        assert "Nothing was saved" in text and PURPOSE in text
    assert not Job.objects.exists() and not _exports()


def test_a_selection_without_registrations_is_refused_with_what_to_widen(
    exporter, planted, client_for
):
    response = start(client_for(exporter), start="2001-01-01", end="2001-12-31")
    assert response.status_code == 400
    assert "nothing to export" in response.content.decode() or "niets te exporteren" in (
        response.content.decode()
    )
    assert not Job.objects.exists()


# The archive, its password and the audit trail --------------------------------------------


def test_the_archive_opens_with_the_password_shown_once_and_not_without_it(
    exporter, planted, client_for, caplog
):
    caplog.set_level(logging.DEBUG)
    client = client_for(exporter)
    started = start(client, region=str(planted["a"].region.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert started.status_code == 200
    assert "no-store" in started["Cache-Control"]
    password = shown_password(started)
    assert "it is not shown again" in started.content.decode()
    assert len(password) == 29 and set(password.replace("-", "")) <= set(archive.ALPHABET)

    response = download(client, started)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].endswith('.zip"')
    data = response.content

    # AES-256 (WinZip AE-2), not the weak ZipCrypto: the entry says so in its header.
    (entry,) = archive_entries(data)
    assert entry.flag_bits & 0x1, "the entry is encrypted"
    assert aes_strength(entry) == 3  # 256 bits
    with zipfile.ZipFile(io.BytesIO(data)) as plain:
        assert plain.infolist()[0].compress_type == AES_COMPRESSION_MARKER
    # The plain zipfile module cannot read it, nor can pyzipper without or with a wrong password.
    with zipfile.ZipFile(io.BytesIO(data)) as plain:
        with pytest.raises(RuntimeError, match="password required"):
            plain.read(entry.filename)
        with pytest.raises(NotImplementedError):  # ZipCrypto it would read; AES it cannot
            plain.read(entry.filename, pwd=password.encode())
    with pytest.raises(RuntimeError, match="requires a password"):
        open_archive(data, None)
    with pytest.raises(RuntimeError, match="Bad password"):
        open_archive(data, password.replace(password[0], "2" if password[0] != "2" else "3"))
    assert FAMILY.encode() not in data and DOCUMENT.encode() not in data

    name, content = open_archive(data, password)
    assert name.endswith(".csv")
    rows = _rows(content)
    assert list(rows[0]) == PERSONAL_EXPORT_COLUMNS
    assert [(row["family_name"], row["id_document_number"]) for row in rows] == [(FAMILY, DOCUMENT)]
    assert rows[0]["registration_number"] == planted["a"].number

    # The page of the job, seen again, offers the archive but never the password.
    job_page = client.get(job_url(started)).content.decode()
    assert "download/" in job_page and password not in job_page
    assert 'id="job-password-note"' in job_page
    # Nowhere in clear: not in the database (job, its files, the task, the form token, the
    # session, the audit trail) nor in the logs of the request and the worker.
    for model in (Job, JobFile, DBTaskResult, UsedFormToken, AuditEvent):
        assert password not in _table_text(model), model.__name__
    from django.contrib.sessions.models import Session

    assert password not in _table_text(Session)
    assert password not in caplog.text
    # The job's input (ids, purpose, password, encrypted) is gone once the job ended.
    assert not JobFile.objects.inputs().exists()


def test_the_purpose_filters_rows_and_the_archives_sha256_are_in_the_audit_trail(
    exporter, planted, client_for
):
    client = client_for(exporter)
    started = start(client, start="2025-01-01", end="2025-12-31", reporter_type="")
    password = shown_password(started)
    data = download(client, started).content
    began, finished = _exports()
    assert [began.details["stage"], finished.details["stage"]] == ["started", "finished"]
    for event in (began, finished):
        assert event.actor == exporter.username
        assert event.details["purpose"] == PURPOSE
        assert event.details["export"] == "personal"
        assert event.details["filters"] == {
            "from": "2025-01-01",
            "to": "2025-12-31",
            "reporter_type": "",
            "region": "",
            "file_type": "",
            "screen": "page",
        }
        assert password not in str(event.details)
        assert FAMILY not in str(event.details) and DOCUMENT not in str(event.details)
    assert finished.details["rows"] == 2
    assert finished.details["sha256"] == hashlib.sha256(data).hexdigest()
    assert finished.details["archive"] == "zip-aes256"
    # The purpose is the administrator's words: in the trail, not in the job's parameters.
    job = Job.objects.get()
    assert PURPOSE not in str(job.params) and PURPOSE not in str(job.summary)
    assert job.summary == {"rows": 2}


def test_xlsx_in_the_archive(exporter, planted, client_for):
    client = client_for(exporter)
    started = start(client, file_format="xlsx", region=str(planted["b"].region.pk))
    name, content = open_archive(download(client, started).content, shown_password(started))
    assert name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == PERSONAL_EXPORT_COLUMNS
    assert FAMILY in {row[PERSONAL_EXPORT_COLUMNS.index("family_name")] for row in values[1:]}
    assert len(values) == 3  # the header, the planted person's B registration, the other


def test_the_same_form_sent_twice_starts_one_export_and_shows_the_password_once(
    exporter, planted, client_for
):
    client = client_for(exporter)
    token = once.new_token(exporter)
    first = start(client, **{once.FIELD: token})
    assert first.status_code == 200
    password = shown_password(first)
    again = start(client, **{once.FIELD: token})
    assert again.status_code == 302 and again.url == job_url(first)
    assert password not in client.get(again.url).content.decode()
    assert Job.objects.count() == 1


def test_another_administrators_archive_is_not_found(exporter, planted, client_for):
    client = client_for(exporter)
    started = start(client)
    run_jobs()
    other = grant_personal_export(UserFactory(username="other-admin", role=Role.ADMINISTRATOR))
    foreign = client_for(other)
    assert foreign.get(job_url(started)).status_code == 404
    assert foreign.get(job_url(started) + "download/").status_code == 404
    # Nor does posting the other job's id to the page do anything but start one's own export.
    job = Job.objects.get()
    response = start(foreign, job=str(job.pk), job_id=str(job.pk))
    assert response.status_code == 200
    assert job_url(response) != job_url(started)
    assert Job.objects.filter(owner=other).count() == 1


def test_the_download_needs_the_grant_still_in_force(exporter, planted, client_for):
    client = client_for(exporter)
    started = start(client)
    run_jobs()
    ExportGrant.objects.filter(grantee=exporter).update(expires_at=timezone.now())
    assert client.get(job_url(started) + "download/").status_code == 403


# Seven days --------------------------------------------------------------------------------


def test_the_archive_can_be_downloaded_for_7_days_then_410_gone_and_deleted(
    exporter, planted, client_for
):
    client = client_for(exporter)
    made = timezone.now()
    started = start(client, HTTP_ACCEPT_LANGUAGE="en")
    shown = started.content.decode()
    expected = timezone.localtime(made + datetime.timedelta(days=7))
    assert f"{expected:%Y}" in shown and "(7 days)" in shown
    run_jobs()
    result = JobFile.objects.results().get()
    assert abs(result.expires_at - (made + datetime.timedelta(days=7))) < datetime.timedelta(
        minutes=1
    )

    def written(ago: datetime.timedelta) -> None:
        # The archive as if written ``ago``: its date and expiry moved back in the database.
        at = timezone.now() - ago
        JobFile.objects.filter(pk=result.pk).update(
            created_at=at, expires_at=at + datetime.timedelta(days=7)
        )

    written(datetime.timedelta(days=6, hours=23))
    assert client.get(job_url(started) + "download/").status_code == 200
    call_command("apply_retention", stdout=io.StringIO())
    assert JobFile.objects.filter(pk=result.pk).exists()

    # Seven days on: gone, with a sentence, before and after the file is deleted.
    written(datetime.timedelta(days=7, minutes=1))
    for _ in range(2):
        gone = client.get(job_url(started) + "download/", HTTP_ACCEPT_LANGUAGE="en")
        assert gone.status_code == 410
        assert "has expired and was deleted" in gone.content.decode()
        call_command("apply_retention", stdout=io.StringIO())
    assert not JobFile.objects.filter(job__kind=Job.Kind.EXPORT_PERSONAL).exists()
    erased = AuditEvent.objects.filter(action=AuditAction.ERASE).get()
    assert erased.details["people"]["personal_exports"] == 1
    assert erased.details["erased"]["registry.jobfile"] == 1


def test_the_retention_schedule_lists_the_archives_7_days(exporter, client_for):
    rule = next(rule for rule in retention.RULES if rule.key == "personal_exports")
    assert rule.days == 7
    page = client_for(exporter).get(reverse("registry:privacy"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Personal export (encrypted archive)" in page.content.decode()


def test_other_exports_keep_their_404_after_expiry(exporter, client_for):
    job = Job.objects.create(kind=Job.Kind.EXPORT_STATISTICS, owner=exporter, status="done")
    assert client_for(exporter).get(f"/jobs/{job.pk}/download/").status_code == 404


def test_the_home_page_offers_the_export_only_while_a_grant_is_in_force(administrator, client_for):
    page = reverse("reports:personal_export")
    home = client_for(administrator).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert page not in home.content.decode()
    grant_personal_export(administrator)
    home = client_for(administrator).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert page in home.content.decode() and "Export personal data" in home.content.decode()
