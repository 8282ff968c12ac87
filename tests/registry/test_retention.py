"""The retention schedule (issue 17, item 1): ``manage.py apply_retention`` erases the personal
fields, blind indexes and free text of what expired, in the raw database, keeps every
statistical field (``export_statistics`` gives the same file), writes one audit event with
counts, changes nothing on a second run or a dry run."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone, translation

from registry import retention
from registry.choices import AuditAction, CaseStatus, ClosedReason, SubmissionStatus
from registry.models import (
    AuditEvent,
    Case,
    CaseNote,
    Handover,
    Person,
    PersonSearchToken,
    Placement,
    Registration,
    SubmissionAddition,
)
from registry.models.people import BLIND_INDEX_SOURCES, PERSONAL_FIELDS
from tests.factories import (
    CaseFactory,
    CaseNoteFactory,
    HandoverFactory,
    PersonFactory,
    PlacementFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
YEARS_AGO_6 = TODAY - datetime.timedelta(days=6 * 365)
YEARS_AGO_1 = TODAY - datetime.timedelta(days=365)
FREE_TEXT = "Planted-free-text-Zwanenburg"


def _age(model, pk, **fields) -> None:
    model.objects.filter(pk=pk).update(**fields)


def _person(region, family_name: str, *, registered_on=TODAY, status=SubmissionStatus.ACCEPTED):
    person = PersonFactory(
        family_name=family_name,
        given_names="Ioana",
        phone="+40 712 345 678",
        address="Kade 1, Zaandam",
        id_document_country="RO",
        id_document_number="RO-998877",
        notes=FREE_TEXT,
    )
    registration = RegistrationFactory(
        person=person, region=region, registered_on=registered_on, status=status
    )
    registration.triage_note = FREE_TEXT
    registration.save()
    _age(Person, person.pk, created_at=timezone.make_aware(datetime.datetime(2019, 1, 1)))
    return person, registration


def _closed_case(person, region, closed_on, other_region, author):
    case = CaseFactory(
        person=person,
        region=region,
        status=CaseStatus.CLOSED,
        closed_reason=ClosedReason.CARE_COMPLETED,
        closed_on=closed_on,
        care_location="Opvang De Haven, Zaandam",
        notes=FREE_TEXT,
    )
    CaseNoteFactory(case=case, author=author, text=FREE_TEXT)
    handover = HandoverFactory(case=case, to_region=other_region, requested_by=author)
    handover.reason = FREE_TEXT
    handover.decision_note = FREE_TEXT
    handover.status = "rejected"
    handover.save()
    PlacementFactory(
        case=case,
        placed_by=author,
        reason=FREE_TEXT,
        start_date=closed_on - datetime.timedelta(days=30),
        end_date=closed_on,
        status="ended",
    )
    _age(Case, case.pk, updated_at=timezone.make_aware(datetime.datetime(2019, 1, 1)))
    return case


@pytest.fixture
def world(region_a, region_b, administrator):
    """Who expired and who did not, each with every kind of value erasure reaches."""
    old_closed, _r = _person(region_a, "Expiredclosed", registered_on=YEARS_AGO_6)
    _closed_case(old_closed, region_a, YEARS_AGO_6, region_b, administrator)
    recent_closed, _r = _person(region_a, "Recentclosed", registered_on=YEARS_AGO_6)
    _closed_case(recent_closed, region_a, YEARS_AGO_1, region_b, administrator)
    still_open, _r = _person(region_a, "Stillopen", registered_on=YEARS_AGO_6)
    CaseFactory(person=still_open, region=region_a, status=CaseStatus.IN_CARE, notes=FREE_TEXT)
    rejected_old, reg = _person(region_a, "Rejectedold", status=SubmissionStatus.REJECTED)
    _age(Registration, reg.pk, updated_at=timezone.now() - datetime.timedelta(days=91))
    rejected_new, reg = _person(region_a, "Rejectednew", status=SubmissionStatus.REJECTED)
    _age(Registration, reg.pk, updated_at=timezone.now() - datetime.timedelta(days=10))
    awaiting, _r = _person(region_a, "Awaiting", status=SubmissionStatus.SUBMITTED)
    return {
        "expired": [old_closed, rejected_old],
        "kept": [recent_closed, still_open, rejected_new, awaiting],
    }


PERSON_COLUMNS = [*PERSONAL_FIELDS, *BLIND_INDEX_SOURCES]
STATISTICAL_COLUMNS = ["gender", "nationality", "year_of_birth", "year_of_birth_estimated"]


def raw_person(pk) -> dict[str, object]:
    """The person's row as the database holds it, read past the ORM."""
    columns = [*PERSON_COLUMNS, *STATISTICAL_COLUMNS]
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s",  # noqa: S608
            [pk.hex if connection.vendor == "sqlite" else pk],
        )
        return dict(zip(columns, cursor.fetchone(), strict=True))


def raw_count(sql: str, params: list[object]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _db_pk(pk):
    return pk.hex if connection.vendor == "sqlite" else pk


def traces(person) -> dict[str, int]:
    """How many rows still hold something of ``person`` (raw SQL, table by table)."""
    pk = _db_pk(person.pk)
    reg, case = Registration._meta.db_table, Case._meta.db_table
    return {
        "tokens": raw_count(
            f"SELECT COUNT(*) FROM {PersonSearchToken._meta.db_table} WHERE person_id = %s",  # noqa: S608
            [pk],
        ),
        "triage_notes": raw_count(
            f"SELECT COUNT(*) FROM {reg} WHERE person_id = %s AND triage_note IS NOT NULL",  # noqa: S608
            [pk],
        ),
        "case_texts": raw_count(
            f"SELECT COUNT(*) FROM {case} WHERE person_id = %s "  # noqa: S608
            "AND (notes IS NOT NULL OR care_location IS NOT NULL)",
            [pk],
        ),
        "case_notes": raw_count(
            f"SELECT COUNT(*) FROM {CaseNote._meta.db_table} n JOIN {case} c ON n.case_id = c.id "  # noqa: S608
            "WHERE c.person_id = %s",
            [pk],
        ),
        "handover_texts": raw_count(
            f"SELECT COUNT(*) FROM {Handover._meta.db_table} h JOIN {case} c ON h.case_id = c.id "  # noqa: S608
            "WHERE c.person_id = %s AND (h.reason IS NOT NULL OR h.decision_note IS NOT NULL)",
            [pk],
        ),
        "placement_texts": raw_count(
            f"SELECT COUNT(*) FROM {Placement._meta.db_table} p JOIN {case} c ON p.case_id = c.id "  # noqa: S608
            "WHERE c.person_id = %s AND p.reason IS NOT NULL",
            [pk],
        ),
        "report_additions": raw_count(
            f"SELECT COUNT(*) FROM {SubmissionAddition._meta.db_table} a JOIN {reg} r "  # noqa: S608
            "ON a.registration_id = r.id WHERE r.person_id = %s",
            [pk],
        ),
    }


def statistics_file(tmp_path: Path, name: str) -> str:
    target = tmp_path / name
    # The registrations counted were made six years ago: that year is published.
    period = str(YEARS_AGO_6.year)
    call_command("export_statistics", output=str(target), period=period, k=1, stdout=io.StringIO())
    return target.read_text(encoding="utf-8")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def database_snapshot() -> dict[str, list[tuple]]:
    """Every row of every table erasure or the audit trail touch, as the database holds them."""
    tables = [
        Person._meta.db_table,
        PersonSearchToken._meta.db_table,
        Registration._meta.db_table,
        Case._meta.db_table,
        CaseNote._meta.db_table,
        Handover._meta.db_table,
        Placement._meta.db_table,
        AuditEvent._meta.db_table,
    ]
    found = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608
            found[table] = [tuple(map(str, row)) for row in cursor.fetchall()]
    return found


def test_expired_people_lose_personal_fields_and_blind_indexes_in_the_raw_database(world):
    before = {p.pk: raw_person(p.pk) for p in world["expired"] + world["kept"]}
    assert all(
        before[p.pk]["family_name"] and before[p.pk]["bi_family_name"] for p in world["expired"]
    )
    assert all(traces(p)["tokens"] for p in world["expired"])

    run()

    for person in world["expired"]:
        row = raw_person(person.pk)
        assert {c: row[c] for c in PERSON_COLUMNS} == dict.fromkeys(PERSON_COLUMNS)
        # The statistical fields stay as they were.
        assert {c: row[c] for c in STATISTICAL_COLUMNS} == {
            c: before[person.pk][c] for c in STATISTICAL_COLUMNS
        }
        assert traces(person) == dict.fromkeys(traces(person), 0)
    for person in world["kept"]:
        assert raw_person(person.pk) == before[person.pk]
        assert traces(person)["tokens"] > 0
    # Still there: the records that count, and the registry still reads the erased person.
    assert Registration.objects.filter(person__in=world["expired"]).count() == 2
    erased = Person.objects.get(pk=world["expired"][0].pk)
    assert erased.family_name is None and erased.gender == "female"


def test_statistics_file_is_the_same_before_and_after(world, tmp_path):
    before = statistics_file(tmp_path, "before.csv")
    # Three registrations counted (k=1), rounded at random to base 5 (reports.disclosure).
    assert re.search(r"^total,registrations,(0|5),$", before, re.MULTILINE)
    run()
    assert statistics_file(tmp_path, "after.csv") == before


def test_counts_per_model_printed_and_one_audit_event_with_counts_only(world):
    events = AuditEvent.objects.count()
    out = run()
    assert "closed: 1" in out and "rejected: 1" in out and "consent_withdrawn: 0" in out
    assert "registry.person: 2" in out
    assert "registry.casenote: 1" in out
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == AuditAction.ERASE and event.actor == retention.ACTOR_NAME
    assert event.details["people"] == {
        "closed": 1,
        "rejected": 1,
        "consent_withdrawn": 0,
        "drafts": 0,
        "personal_exports": 0,  # the personal export's archives (reports.personal)
    }
    assert event.details["erased"]["registry.person"] == 2
    text = str(event.details) + event.object_id
    for planted in ("Expiredclosed", "Rejectedold", FREE_TEXT, "RO-998877", "Zaandam"):
        assert planted not in text


def test_a_second_run_changes_nothing(world):
    run()
    snapshot = database_snapshot()
    out = run()
    assert "nothing: no personal data has outlived" in out
    assert database_snapshot() == snapshot


def test_dry_run_changes_nothing_and_counts_what_the_run_erases(world):
    snapshot = database_snapshot()
    dry = run("--dry-run")
    assert "Dry run: nothing was changed." in dry
    assert database_snapshot() == snapshot
    real = run()
    assert (
        dry.replace("Would erase", "Erased").replace("Dry run: nothing was changed.\n", "") == real
    )


@override_settings(
    REGISTRY_RETENTION_DAYS={"closed": 5 * 365, "rejected": 90, "consent_withdrawn": 365}
)
def test_withdrawn_consent_expires_after_its_own_period(region_a):
    person, _r = _person(region_a, "Withdrawn", registered_on=YEARS_AGO_1)
    _age(Person, person.pk, care_consent_withdrawn_on=TODAY - datetime.timedelta(days=400))
    recent, _r = _person(region_a, "Withdrawnrecently", registered_on=YEARS_AGO_1)
    _age(Person, recent.pk, care_consent_withdrawn_on=TODAY - datetime.timedelta(days=30))
    out = run()
    assert "consent_withdrawn: 1" in out
    assert raw_person(person.pk)["family_name"] is None
    assert raw_person(recent.pk)["family_name"] is not None


def test_schedule_shows_each_rule_with_its_period_from_settings():
    keys = [rule.key for rule in retention.RULES]
    assert keys[:3] == ["closed", "rejected", "consent_withdrawn"]
    with override_settings(REGISTRY_RETENTION_DAYS={"rejected": 30}), translation.override("en"):
        rejected = next(r for r in retention.RULES if r.key == "rejected")
        assert rejected.days == 30 and rejected.period == "30 days"
    with translation.override("en"):
        assert retention.RULES[0].period == "5 years"


def test_another_app_adds_a_rule_of_its_own(world):
    """The schedule is extensible (as the drafts' rule is): a registered rule runs with the
    others."""
    seen = []
    before = list(retention.RULES)

    def expired(cutoff):
        return Person.objects.filter(pk=world["kept"][0].pk)

    def apply(qs):
        seen.append(list(qs.values_list("pk", flat=True)))
        return {"intake.draft": 3}

    rule = retention.Rule(
        key="stand_in",
        kind="Stand-in",
        purpose="intake",
        after="after it was last saved",
        erases="the draft",
        default_days=1,
        expired=expired,
        apply=apply,
        pending=lambda qs: {"intake.draft": 3},
    )
    try:
        retention.register(rule)
        out = run()
    finally:
        retention.RULES[:] = before
    assert "stand_in: 1" in out and "intake.draft: 3" in out
    assert seen == [[world["kept"][0].pk]]


def test_many_people_are_erased_in_chunks(world, monkeypatch):
    monkeypatch.setattr(retention, "CHUNK", 1)
    dry = run("--dry-run")
    out = run()
    assert "registry.person: 2" in dry and "registry.person: 2" in out
    assert all(raw_person(p.pk)["family_name"] is None for p in world["expired"])


@pytest.mark.postgres
def test_the_statistics_tally_is_unchanged_by_retention(world):
    """PostgreSQL keeps a tally by triggers (reports/tally.py): after compacting, its rows are
    the same after the run, and it still agrees with a live count."""
    from reports import tally
    from reports.models import Tally

    def tallied() -> list[tuple]:
        tally.compact()
        return sorted(map(str, Tally.objects.values_list()))

    before = tallied()
    run()
    assert tallied() == before
    assert tally.differences() == []


def test_the_scheduled_job_runs_through_the_worker(world):
    """``--enqueue`` leaves the run to the django-tasks worker, as the reminders do."""
    from tests.jobs import run_jobs

    out = io.StringIO()
    call_command("apply_retention", "--enqueue", stdout=out)
    assert "Enqueued the retention job" in out.getvalue()
    assert raw_person(world["expired"][0].pk)["family_name"] is not None
    assert run_jobs() == 1
    assert all(raw_person(p.pk)["family_name"] is None for p in world["expired"])
    assert AuditEvent.objects.filter(actor=retention.ACTOR_NAME).count() == 1


def test_drafts_older_than_a_day_go_with_the_schedule_and_younger_ones_stay():
    """The schedule's "drafts" rule: apply_retention deletes a draft last saved over a day
    ago (as prune_drafts does every hour) and keeps one saved within the day."""
    from registry.models import FormDraft
    from tests.factories import FormDraftFactory

    old, young = FormDraftFactory(), FormDraftFactory()
    FormDraft.objects.filter(pk=old.pk).update(
        saved_at=timezone.now() - datetime.timedelta(hours=25)
    )
    out = run()
    assert "drafts: 1" in out
    assert list(FormDraft.objects.values_list("pk", flat=True)) == [young.pk]
    assert "drafts: 0" in run()
