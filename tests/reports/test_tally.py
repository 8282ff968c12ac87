"""The statistics tally (PostgreSQL) counts what a live count counts, after every kind of change.

The tally is kept by triggers (migration reports/0003_statistics_tally_triggers); the
statistics page of administrators and the help desk reads it. Each step below changes the
registrations the way the application (or an operator's queryset update) can, then compares
every breakdown from the tally with a live count of the registrations.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from registry.choices import Gender, Sector, Shelter, SubmissionStatus
from registry.models import Case, FormOfExploitation, Registration
from reports import tally
from reports.aggregates import Period
from reports.models import TalliedRegistration, Tally, TallyChange
from reports.tables import build_statistics
from tests.factories import PersonFactory, RegionFactory, RegistrationFactory

DAY = datetime.date(2025, 3, 14)


def _case(registration: Registration, **fields: str) -> Case:
    return Case.objects.create(
        person=registration.person,
        registration=registration,
        region=registration.region,
        opened_on=registration.registered_on,
        **fields,
    )


def _forms(*codes: str) -> list[FormOfExploitation]:
    return list(FormOfExploitation.objects.filter(code__in=codes))


def _assert_tally_matches() -> None:
    assert tally.differences() == []


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_tally_follows_every_kind_of_change_to_the_registrations():
    north, south = RegionFactory(code="north"), RegionFactory(code="south")
    anna = PersonFactory(gender=Gender.FEMALE, nationality="RO")
    bert = PersonFactory(gender=Gender.MALE, nationality="NL")
    first = RegistrationFactory(
        person=anna, region=north, registered_on=DAY, age_at_registration=17, forms=["sexual"]
    )
    second = RegistrationFactory(
        person=anna,
        region=south,
        registered_on=DAY.replace(year=2024),
        age_at_registration=None,
        sector=Sector.AGRICULTURE,
        forms=["labour", "criminal"],
    )
    third = RegistrationFactory(person=bert, region=north, registered_on=DAY, forms=[])
    waiting = RegistrationFactory(
        person=bert, region=south, registered_on=DAY, status=SubmissionStatus.SUBMITTED
    )
    _assert_tally_matches()

    # Forms of exploitation: the first added to a registration without any, one removed,
    # all removed (the registration counts as 'unknown' again), and replaced in one go.
    third.exploitation_forms.add(*_forms("labour"))
    _assert_tally_matches()
    second.exploitation_forms.remove(*_forms("criminal"))
    _assert_tally_matches()
    first.exploitation_forms.clear()
    _assert_tally_matches()
    first.exploitation_forms.set(_forms("sexual", "criminal", "other"))
    _assert_tally_matches()

    # Cases: opened, shelter and care recorded, a second case, one moved to another
    # registration, one deleted.
    case = _case(first)
    _assert_tally_matches()
    case.shelter_placed = Shelter.COSM
    case.care_received = Shelter.OUTPATIENT
    case.save()
    _assert_tally_matches()
    other = _case(first, shelter_placed=Shelter.OMM)
    _assert_tally_matches()
    other.registration = third
    other.save()
    _assert_tally_matches()
    other.delete()
    _assert_tally_matches()

    # Triage: a submission accepted, another rejected; the person's gender corrected (copied
    # onto the registrations); a registration moved to another person and merged.
    waiting.status = SubmissionStatus.ACCEPTED
    waiting.save()
    _assert_tally_matches()
    second.status = SubmissionStatus.REJECTED
    second.save()
    _assert_tally_matches()
    anna.gender = Gender.OTHER
    anna.nationality = "BG"
    anna.save()
    _assert_tally_matches()
    waiting.person = anna
    waiting.status = SubmissionStatus.MERGED
    waiting.save(update_fields=["person", "status", "updated_at"])
    _assert_tally_matches()

    # Corrections: another date (and year), age and region; a queryset update; a deletion.
    first.registered_on = DAY.replace(year=2023, month=12, day=31)
    first.age_at_registration = 45
    first.region = south
    first.save()
    _assert_tally_matches()
    Registration.objects.filter(pk=third.pk).update(sector=Sector.CONSTRUCTION)
    _assert_tally_matches()
    Case.objects.filter(registration=first).delete()
    first.delete()
    _assert_tally_matches()

    counted = Registration.objects.filter(
        status__in=[SubmissionStatus.ACCEPTED, SubmissionStatus.MERGED]
    ).count()
    assert TalliedRegistration.objects.count() == counted == 2


def _figures(stats) -> dict[str, object]:
    return {
        "total": stats.total.exact,
        "persons": stats.persons.exact,
        **{
            table.key: [(row.value, row.cell.exact) for row in table.rows]
            for table in stats.breakdowns
        },
        "years": [(row.year, row.cell.exact) for row in stats.years],
        "cross": [[c.exact for c in line] for line in stats.cross.cells],
    }


def _statistics(user):
    return build_statistics(user, Period(), cross=("gender", "age_monitor"), k=1)


@pytest.mark.postgres
@pytest.mark.django_db
def test_compacting_folds_the_changes_in_and_keeps_every_figure(administrator):
    region = RegionFactory()
    for age in (12, 30, 30, None):
        RegistrationFactory(region=region, age_at_registration=age, forms=["labour"])
    changes = TallyChange.objects.count()
    assert changes > 0
    before = _figures(_statistics(administrator))
    assert before["total"] == 4

    out = io.StringIO()
    call_command("compact_statistics", stdout=out)

    assert f"{changes} tally changes folded in." in out.getvalue()
    assert TallyChange.objects.count() == 0
    assert Tally.objects.get(dimension="total").n == 4
    assert Tally.objects.get(dimension="age_at_registration", value="30").n == 2
    _assert_tally_matches()
    assert _figures(_statistics(administrator)) == before

    # A registration rejected after compaction: the change is read on top of the tally.
    Registration.objects.filter(age_at_registration=12).update(status=SubmissionStatus.REJECTED)
    assert _statistics(administrator).total.exact == 3
    call_command("compact_statistics", stdout=io.StringIO())
    assert not Tally.objects.filter(dimension="age_at_registration", value="12").exists()
    _assert_tally_matches()


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_statistics_page_reads_the_tally_and_verify_and_rebuild_repair_it(
    administrator, helpdesk, client_for
):
    RegistrationFactory.create_batch(3, region=RegionFactory())
    assert _statistics(administrator).total.exact == 3
    # Damage the tally behind the triggers' back (as a restore of one table could).
    TallyChange.objects.create(day=DAY, dimension="total", value="", n=5)

    # The page's figures come from the tally: both statistics roles see the damage ...
    assert _statistics(administrator).total.exact == 8
    assert _statistics(helpdesk).total.exact == 8
    # ... which the operator's check finds and names, with codes and counts only.
    with pytest.raises(CommandError, match=r"total: tally 8, registrations 3"):
        call_command("compact_statistics", "--verify")

    out = io.StringIO()
    call_command("compact_statistics", "--rebuild", stdout=out)
    assert "Tally rebuilt from 3 counted registrations." in out.getvalue()
    call_command("compact_statistics", "--verify", stdout=(out := io.StringIO()))
    assert "matches the registrations" in out.getvalue()
    assert _statistics(administrator).total.exact == 3
    response = client_for(administrator).get(reverse("reports:statistics"), {"exact": "1"})
    assert response.status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db
def test_no_personal_value_reaches_the_tally():
    planted = {"given_names": "Zyxwquorth", "family_name": "Vlemmingsplaat"}
    person = PersonFactory(**planted, date_of_birth=datetime.date(1991, 7, 23))
    RegistrationFactory(person=person, forms=["sexual"])
    RegistrationFactory(person=person, status=SubmissionStatus.MERGED)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(t::text, ' ') FROM (SELECT * FROM reports_tally UNION ALL "
            "SELECT * FROM reports_tallychange) AS t"
        )
        tallied = cursor.fetchone()[0] or ""
        cursor.execute("SELECT string_agg(t::text, ' ') FROM reports_talliedregistration t")
        tallied += cursor.fetchone()[0] or ""
    assert "total" in tallied
    for value in [*planted.values(), "1991-07-23", "1991"]:
        assert value.lower() not in tallied.lower()


@pytest.mark.django_db
def test_compact_statistics_on_a_database_without_a_tally_says_so():
    if connection.vendor == "postgresql":
        pytest.skip("the message is for databases without the tally (SQLite)")
    out = io.StringIO()
    call_command("compact_statistics", stdout=out)
    assert "Nothing to do" in out.getvalue()
