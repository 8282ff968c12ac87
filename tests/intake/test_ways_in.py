"""Every way in checks a registration with the registry's one validator and records it with the
registry's one constructor (registry/registering.py): the staff form, the reporter's form and
triage, and the CSV import give the same errors and record the same facts for the same values,
and each fact is worked out once per save."""

from __future__ import annotations

import collections
import csv
import io

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from intake import importing
from registry import registering
from registry.choices import AuditAction, SubmissionStatus
from registry.crypto import BlindIndexer
from registry.interchange import COLUMN_NAMES
from registry.models import AuditEvent, Registration

pytestmark = pytest.mark.django_db

URL = "/intake/register/"
# The CSV's name of a registry field, where it differs.
COLUMN = {"estimated_age": "age_at_registration"}
FIELD = {column: field for field, column in COLUMN.items()}


def form_post(values: dict) -> dict:
    """The typed values as the intake forms post them."""
    post = {}
    for name, value in values.items():
        if isinstance(value, bool):
            post[name] = "on" if value else ""
        else:
            post[name] = value
    return post


def csv_row(values: dict, region_code: str) -> dict:
    """The same values as a row of the interchange CSV."""
    row = dict.fromkeys(COLUMN_NAMES, "")
    for name, value in values.items():
        column = COLUMN.get(name, name)
        if column not in row:
            continue  # a field the CSV does not carry (the signer, the period, ...)
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, list):
            value = ";".join(value)
        row[column] = value
    row["region"] = region_code
    return row


def csv_text(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMN_NAMES)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def form_errors(response) -> dict[str, str]:
    errors = response.context["form"].errors
    assert all(len(messages) == 1 for messages in errors.values()), errors
    return {field: messages[0] for field, messages in errors.items()}


def import_errors(row: dict) -> tuple[dict[str, str], registering.Outcome | None]:
    parsed, errors = importing.validate(COLUMN_NAMES, [row])
    assert all(error.row == 1 for error in errors)
    found = {FIELD.get(error.column, error.column): error.message for error in errors}
    assert len(found) == len(errors), errors
    return found, (parsed[0].get("_outcome") if parsed else None)


# The same errors -------------------------------------------------------------------------------

SHARED = {
    "registered_on": "2024-05-01",
    "reporter_type": "police",
    "given_names": "Ana Maria",
    "family_name": "Popescu",
    "date_of_birth": "1995-03-14",
    "estimated_age": "",
    "gender": "female",
    "nationality": "RO",
    "exploitation_forms": ["sexual"],
    "sector": "window",
    "exploitation_country": "NL",
    "file_type": "registration",
    "id_document_number": "RX123456",
    "consent_registration": True,
    "consent_care": False,
}

RULES = {
    "valid": ({}, set()),
    "registration date in the future": ({"registered_on": "2999-01-01"}, {"registered_on"}),
    "date of birth in the future": ({"date_of_birth": "2999-01-01"}, {"date_of_birth"}),
    "age over the limit": ({"date_of_birth": "", "estimated_age": "121"}, {"estimated_age"}),
    "date of birth giving an age over the limit": (
        {"date_of_birth": "1890-01-01"},
        {"date_of_birth"},
    ),
    "born after the registration date": ({"date_of_birth": "2024-06-01"}, {"date_of_birth"}),
    "age limit": ({"date_of_birth": "", "estimated_age": "120"}, set()),
    "newborn reported under a legal duty": (
        {"date_of_birth": "", "estimated_age": "0", "consent_registration": False},
        set(),
    ),
    "date of birth and age disagreeing (the date of birth decides)": (
        {"estimated_age": "50"},
        set(),
    ),
    "sector not fitting the forms": ({"exploitation_forms": ["labour"]}, {"sector"}),
    "sector without a form": ({"exploitation_forms": []}, {"sector"}),
    "sector other fits any form": ({"exploitation_forms": ["labour"], "sector": "other"}, set()),
    "personal data without consent or legal duty (kept anonymous)": (
        {"reporter_type": "ngo", "consent_registration": False},
        set(),
    ),
    "two rules at once": (
        {"registered_on": "2999-01-01", "exploitation_forms": ["labour"]},
        {"registered_on", "sector"},
    ),
}


@pytest.mark.parametrize("rule", list(RULES))
def test_the_staff_form_and_an_import_row_give_the_same_errors_and_outcome(
    client_for, coordinator_a, region_a, staff_data, rule
):
    overrides, refused = RULES[rule]
    values = {**SHARED, **overrides}
    post = staff_data(
        **form_post(values),
        consent_signed_by="victim" if values["consent_registration"] else "",
        step="review",
    )
    with translation.override("en"):
        response = client_for(coordinator_a).post(URL, post, HTTP_ACCEPT_LANGUAGE="en")
        from_form = form_errors(response)
        from_row, row_outcome = import_errors(csv_row(values, region_a.code))
    assert set(from_form) == refused
    assert from_row == from_form
    assert row_outcome == response.context["form"].outcome
    if not refused:
        assert row_outcome.anonymous == (rule.startswith("personal data"))


COMMON = {
    "date_of_birth": "1995-03-14",
    "estimated_age": "",
    "exploitation_forms": ["labour"],
    "sector": "agriculture",
    "consent_registration": True,
    "consent_signed_by": "victim",
}

SIGNER_RULES = {
    "valid": ({}, set()),
    "consent without a signer": ({"consent_signed_by": ""}, {"consent_signed_by"}),
    "under 16 signed by the victim": (
        {"date_of_birth": "", "estimated_age": "15"},
        {"consent_signed_by"},
    ),
    "under 16 signed by a guardian": (
        {"date_of_birth": "", "estimated_age": "15", "consent_signed_by": "guardian"},
        set(),
    ),
    "16 signed by the victim": ({"date_of_birth": "", "estimated_age": "16"}, set()),
    "date of birth in the future": ({"date_of_birth": "2999-01-01"}, {"date_of_birth"}),
    "age over the limit": ({"date_of_birth": "", "estimated_age": "121"}, {"estimated_age"}),
    "sector not fitting the forms": ({"sector": "window"}, {"sector"}),
    "without consent (kept anonymous)": (
        {"consent_registration": False, "consent_signed_by": ""},
        set(),
    ),
}


@pytest.mark.parametrize("rule", list(SIGNER_RULES))
def test_the_staff_and_reporter_forms_give_the_same_errors_and_outcome(
    client_for, coordinator_a, reporter, staff_data, reporter_data, rule
):
    """The reporter's form has no registration date (today) and the account's reporter type;
    given the same, the staff form decides the same, the signer's rules included."""
    overrides, refused = SIGNER_RULES[rule]
    values = form_post({**COMMON, **overrides})
    today = timezone.localdate().isoformat()
    with translation.override("en"):
        staff = client_for(coordinator_a).post(
            URL,
            staff_data(
                **values,
                registered_on=today,
                reporter_type=reporter.organisation.reporter_type,
                step="review",
            ),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        submitted = client_for(reporter).post(
            reverse("intake:submit"), reporter_data(**values), HTTP_ACCEPT_LANGUAGE="en"
        )
    if refused:
        assert submitted.status_code == 200
        assert set(form_errors(staff)) == refused
        assert form_errors(submitted) == form_errors(staff)
    else:
        assert submitted.status_code == 302, form_errors(submitted)
        assert form_errors(staff) == {}
        assert Registration.objects.get().is_minor == staff.context["form"].outcome.minor


# The same records ------------------------------------------------------------------------------


def facts(registration: Registration) -> dict:
    """What a registration recorded, with every value read back from the database."""
    registration = Registration.objects.select_related("person").get(pk=registration.pk)
    person = registration.person
    case = registration.cases.first()
    events = AuditEvent.objects.filter(object_id=str(registration.pk)).order_by("id")
    return {
        "person": {
            **{
                name: getattr(person, name)
                for name in (
                    "gender",
                    "year_of_birth",
                    "year_of_birth_estimated",
                    "is_anonymous",
                    "given_names",
                    "family_name",
                    "date_of_birth",
                    "id_document_number",
                    "phone",
                    "bi_family_name",
                    "bi_name_dob",
                    "bi_document",
                    "bi_phonetic",
                )
            },
            "nationality": str(person.nationality),
        },
        "registration": {
            name: getattr(registration, name)
            for name in (
                "registered_on",
                "reporter_type",
                "organisation_id",
                "region_id",
                "sector",
                "exploitation_country",
                "exploitation_municipality_id",
                "scope",
                "file_type",
                "status",
                "consent_registration",
                "consent_care",
                "consent_signed_by",
                "is_minor",
                "unaccompanied_minor",
                "immediate_danger",
                "age_at_registration",
                "person_gender",
                "person_nationality",
            )
        },
        "code_lists": {
            name: sorted(getattr(registration, name).values_list("code", flat=True))
            for name in registering.CODE_LISTS
        },
        "case": None
        if case is None
        else {
            "region": case.region_id,
            "coordinator": case.coordinator_id,
            "residence_status": case.residence_status,
            "opened_on": case.opened_on,
            "shelter_requested": case.shelter_requested,
            "status": case.status,
        },
        "events": [e.action for e in events],
        # The person's reference is its own (a new person per way in), the rest must agree.
        "created": next(
            (
                {k: v for k, v in e.details.items() if k != "person"}
                for e in events
                if e.action in ("create", "link_person")
            ),
            None,
        ),
    }


VARIANTS = {
    "with consent": {"consent_registration": True, "consent_signed_by": "victim"},
    "anonymous": {"consent_registration": False, "consent_signed_by": ""},
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_way_in_records_the_same_person_registration_lists_case_and_event(
    client_for,
    coordinator_a,
    reporter,
    helpdesk,
    region_a,
    staff_data,
    reporter_data,
    variant,
):
    """The staff form, a reporter's submission accepted in triage, and an import row, all
    with the same values (those every one of them carries), record the same facts. The
    differences are those of the way in and are named: the CSV has no signer and no
    organisation column and an import opens no case and writes one event for the file; a
    submission gets its case when triage accepts it."""
    values = {
        "given_names": "Ana Maria",
        "family_name": "Popescu",
        "date_of_birth": "1995-03-14",
        "estimated_age": "",
        "gender": "female",
        "nationality": "RO",
        "exploitation_forms": ["labour", "criminal"],
        "sector": "other",
        "exploitation_country": "NL",
        "exploitation_municipality": "",
        # What a reporter is not asked, at the values the reporter's form records for it.
        "scope": "unknown",
        "file_type": "registration",
        "consent_care": True,
        "residence_status": "unknown",
        "immediate_danger": False,
        "unaccompanied_minor": False,
        "phone": "",
        "email": "",
        "languages": "",
        **VARIANTS[variant],
    }
    today = timezone.localdate().isoformat()
    organisation = reporter.organisation
    staff, reporting, triaging = (
        client_for(coordinator_a),
        client_for(reporter),
        client_for(helpdesk),
    )

    def staff_form():
        post = staff_data(
            **form_post(values),
            registered_on=today,
            reporter_type=organisation.reporter_type,
            organisation=str(organisation.pk),
            aliases="",
            country_of_birth="",
            address="",
            id_document_country="",
            id_document_number="",
            means_of_control=[],
            shelter_requested="",
            step="save",
            person_choice="new",
        )
        assert staff.post(URL, post).status_code == 302
        return Registration.objects.get()

    def reporter_then_triage():
        response = reporting.post(reverse("intake:submit"), reporter_data(**form_post(values)))
        assert response.status_code == 302
        submission = Registration.objects.get()
        assert submission.status == SubmissionStatus.SUBMITTED
        url = reverse("intake:triage_detail", args=[submission.pk])
        assert triaging.post(url, {"action": "accept"}).status_code == 302
        return submission

    def import_row():
        row = csv_row(
            {**values, "registered_on": today, "reporter_type": organisation.reporter_type},
            region_a.code,
        )
        importing.import_csv(csv_text([row]), actor_name="test")
        return Registration.objects.get()

    recorded = {}
    for origin, way_in in [
        ("staff form", staff_form),
        ("reporter and triage", reporter_then_triage),
        ("import", import_row),
    ]:
        # Each on an empty registry: otherwise the later ones would link to the first person.
        with transaction.atomic():
            registration = way_in()
            recorded[origin] = facts(registration)
            import_events = list(
                AuditEvent.objects.filter(action=AuditAction.IMPORT).values_list(
                    "details", flat=True
                )
            )
            transaction.set_rollback(True)

    staff_facts = recorded["staff form"]
    by_reporter = recorded["reporter and triage"]
    by_import = recorded["import"]
    assert staff_facts["person"]["family_name"] == (None if variant == "anonymous" else "Popescu")
    assert staff_facts["person"]["is_anonymous"] is (variant == "anonymous")
    assert staff_facts["code_lists"] == {
        "exploitation_forms": ["criminal", "labour"],
        "means_of_control": [],
    }
    for name in ("person", "registration", "code_lists", "case"):
        assert by_reporter[name] == staff_facts[name], name
    assert staff_facts["case"]["coordinator"] == coordinator_a.pk
    assert by_reporter["created"] == {
        **staff_facts["created"],
        "source": "reporter_submission",
        "case": "none",  # recorded before triage opened the case
    }
    assert by_reporter["events"] == ["create", "triage"]

    assert by_import["person"] == staff_facts["person"]
    assert by_import["code_lists"] == staff_facts["code_lists"]
    assert by_import["registration"] == {
        **staff_facts["registration"],
        "consent_signed_by": "",  # no signer column
        "organisation_id": None,  # no organisation column
    }
    assert by_import["case"] is None  # an import opens no case
    assert by_import["created"] is None and by_import["events"] == []
    assert import_events == [
        {
            "source": "command",
            "rows": 1,
            "registrations_created": 1,
            "persons_created": 1,
            "persons_linked": 0,
            "cases_opened": 0,
            "without_consent_to_care": 0,
        }
    ]


def test_a_triage_merge_and_a_staff_link_record_the_same_link_and_case(
    client_for, helpdesk, reporter, region_c, staff_data, reporter_data
):
    """Linking to a person already registered: by the staff form's choice or by triage's
    merge, the registration joins that person and the person's open case in the region (a
    region without a coordinator, whose cases the help desk sees)."""
    client = client_for(helpdesk)
    typed = {
        "given_names": "Ivana",
        "family_name": "Petrova",
        "date_of_birth": "1990-01-02",
        "region": str(region_c.pk),
    }
    response = client.post(URL, staff_data(**typed, step="save", person_choice="new"))
    assert response.status_code == 302
    first = Registration.objects.get()
    person, case = first.person, first.cases.get()
    response = client.post(URL, staff_data(**typed, step="save", person_choice=str(person.pk)))
    assert response.status_code == 302
    # The reporter names where the person was found; Utrecht lies in region C (found_in).
    response = client_for(reporter).post(
        reverse("intake:submit"), reporter_data(**typed, found_in_municipality="Utrecht")
    )
    assert response.status_code == 302
    submission = Registration.objects.get(status=SubmissionStatus.SUBMITTED)
    response = client.post(
        reverse("intake:triage_detail", args=[submission.pk]),
        {"action": "merge", "merge_with": str(person.pk)},
    )
    assert response.status_code == 302
    linked = Registration.objects.exclude(pk__in=[first.pk, submission.pk]).get()
    submission.refresh_from_db()
    for registration in (linked, submission):
        assert registration.person_id == person.pk
    assert list(person.cases.all()) == [case]
    assert person.registrations.count() == 3


# Each fact worked out once ---------------------------------------------------------------------


@pytest.fixture
def work(monkeypatch):
    """Counts the work of a save, by wrapping (and calling) the real functions: each blind
    index computed (its name and parts) and each age and year of birth derived."""
    done = {"indexes": [], "age_on": 0, "year_of_birth": 0}
    compute = BlindIndexer.compute

    def counting_compute(self, index, *parts):
        result = compute(self, index, *parts)
        done["indexes"].append((index, tuple(str(p) for p in parts), result))
        return result

    monkeypatch.setattr(BlindIndexer, "compute", counting_compute)
    for name in ("age_on", "year_of_birth"):
        original = getattr(registering, name)

        def counting(*args, _name=name, _original=original, **kwargs):
            done[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(registering, name, counting)
    return done


def assert_each_worked_out_once(done, stored, expected_kinds):
    inputs = collections.Counter((index, parts) for index, parts, _result in done["indexes"])
    assert [key for key, times in inputs.items() if times > 1] == []
    kinds = collections.Counter(index for index, _parts, _result in done["indexes"])
    assert kinds == expected_kinds
    results = {result for _index, _parts, result in done["indexes"]}
    assert set(stored) <= results  # the person stores the very values worked out
    assert None not in stored
    assert (done["age_on"], done["year_of_birth"]) == (1, 1)


# The name search's word indexes (registry.models.search_tokens) of "Ana Maria Popescu": one
# part and its sound of the family name, two given names.
NAME_SEARCH = {"search part": 1, "search sound": 1, "search given": 2}


def _stored(person):
    return [person.bi_family_name, person.bi_name_dob, person.bi_document, person.bi_phonetic]


def test_a_staff_save_works_out_each_fact_once(client_for, coordinator_a, staff_data, work):
    client = client_for(coordinator_a)
    work.update(indexes=[], age_on=0, year_of_birth=0)  # the login's work is not the save's
    response = client.post(URL, staff_data(step="save", person_choice="new"))
    assert response.status_code == 302
    registration = Registration.objects.select_related("person").get()
    # The duplicate check asks the phonetic index of five years around the year of birth;
    # the person's own is one of them.
    assert_each_worked_out_once(
        work,
        _stored(registration.person),
        {"family_name": 1, "name_dob": 1, "document": 1, "phonetic": 5, **NAME_SEARCH},
    )
    assert registration.age_at_registration is not None
    assert registration.person.year_of_birth == 1995


def test_an_import_row_works_out_each_fact_once(region_a, work):
    row = csv_row(
        {
            **SHARED,
            "registered_on": "2024-05-01",
            "id_document_number": "RX123456",
        },
        region_a.code,
    )
    importing.import_csv(csv_text([row]), actor_name="test")
    registration = Registration.objects.select_related("person").get()
    assert_each_worked_out_once(
        work,
        _stored(registration.person),
        {"family_name": 1, "name_dob": 1, "document": 1, "phonetic": 1, **NAME_SEARCH},
    )
    assert (registration.age_at_registration, registration.person.year_of_birth) == (29, 1995)
