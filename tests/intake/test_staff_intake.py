"""Staff intake: the form in steps, its rules, the check before saving, and the save."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from registry.choices import SubmissionStatus
from registry.models import AuditEvent, Case, Person, Registration
from registry.models.people import PERSONAL_FIELDS
from tests.intake.conftest import planted, years_ago
from tests.intake.formstate import assert_round_trip, form_values

pytestmark = pytest.mark.django_db

URL = "/intake/register/"


def review(client, data):
    return client.post(URL, {**data, "step": "review"})


def save(client, data, choice="new"):
    return client.post(URL, {**data, "step": "save", "person_choice": choice})


def test_register_url_name_is_intake_register():
    assert reverse("intake:register") == URL


@pytest.mark.parametrize("who", ["anonymous", "reporter"])
def test_only_registry_staff_may_open_the_staff_form(roles, client_for, who):
    response = client_for(roles[who]).get(URL)
    assert response.status_code in (302, 403)
    if who == "reporter":
        assert response.status_code == 403


def test_staff_form_shows_five_steps_with_help_text(client_for, coordinator_a, staff_data):
    client = client_for(coordinator_a)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    for n in range(1, 6):
        assert f'data-step="{n}"' in html
    # Each step, as the server shows it, explains its fields.
    pages = [html] + [
        client.post(URL, {**staff_data(), "step": str(n)}).content.decode() for n in range(2, 6)
    ]
    assert sum(page.count('class="form-text"') for page in pages) >= 30


def test_review_shows_summary_and_saves_nothing(client_for, coordinator_a, staff_data):
    response = review(client_for(coordinator_a), staff_data())
    assert response.status_code == 200
    assert "Popescu" in response.content.decode()
    assert Registration.objects.count() == 0
    assert Person.objects.count() == 0


def test_save_creates_person_registration_case_and_audit_event(
    client_for, coordinator_a, staff_data, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = save(client_for(coordinator_a), staff_data())
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == SubmissionStatus.ACCEPTED
    assert registration.number.startswith(f"{timezone.localdate().year}-")
    assert set(registration.exploitation_forms.values_list("code", flat=True)) == {"sexual"}
    assert registration.means_of_control.count() == 2
    person = Person.objects.get()
    assert person.family_name == "Popescu"
    assert person.year_of_birth == 1995
    case = Case.objects.get()
    assert case.coordinator == coordinator_a
    assert case.residence_status == "reflection_period"
    event = AuditEvent.objects.filter(object_id=str(registration.pk)).get()
    assert event.action == "create"
    assert "Popescu" not in str(event.details)
    page = client_for(coordinator_a).get(response["Location"])
    assert registration.number in page.content.decode()


def test_form_error_rerenders_every_typed_value(client_for, coordinator_a, staff_data):
    data = staff_data(
        given_names=planted("Given"),
        family_name=planted("Family"),
        aliases=planted("Alias"),
        phone=planted("Phone"),
        email=f"{planted('mail')}@example.org",
        address=planted("Street"),
        languages=planted("Lang"),
        id_document_number=planted("DOC"),
        exploitation_municipality="GM0599",  # Rotterdam: a select keeps its choice too
        date_of_birth="2999-01-01",  # the error
        exploitation_start="2024-01-02",
        exploitation_end="2024-03-04",
    )
    response = review(client_for(coordinator_a), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "cannot be in the future" in html or "niet in de toekomst" in html
    assert_round_trip(html, data)
    assert Registration.objects.count() == 0


def test_back_to_the_form_from_the_check_keeps_every_value(client_for, coordinator_a, staff_data):
    client = client_for(coordinator_a)
    data = staff_data(aliases=planted("Alias"), address=planted("Street"))
    hidden = client.post(URL, {**data, "step": "review"}).content.decode()
    carried = {k: v for k, v in form_values(hidden).items() if k not in ("csrfmiddlewaretoken",)}
    response = client.post(URL, {**carried, "step": "edit"})
    assert_round_trip(response.content.decode(), data)


# Rules -----------------------------------------------------------------------------------------


def test_immediate_danger_shows_112_before_anything_else(client_for, coordinator_a, staff_data):
    client = client_for(coordinator_a)
    response = review(client, staff_data(immediate_danger="on"))
    html = response.content.decode()
    main = html[html.index("<main") :]
    banner = main.index('id="emergency-banner"')
    assert "112" in main[banner : banner + 400]
    assert banner < main.index("<h1")
    assert 'class="alert alert-emergency"' in main  # shown, not hidden
    response = save(client, staff_data(immediate_danger="on"))
    done = client.get(response["Location"]).content.decode()
    main = done[done.index("<main") :]
    assert main.index("112") < main.index("<h1")
    assert Registration.objects.get().immediate_danger


def test_no_danger_keeps_the_112_banner_hidden(client_for, coordinator_a, staff_data):
    html = review(client_for(coordinator_a), staff_data()).content.decode()
    assert "alert-emergency d-none" in html


def test_minor_flagged_from_date_of_birth(client_for, coordinator_a, staff_data):
    client = client_for(coordinator_a)
    data = staff_data(date_of_birth=years_ago(17, days=-1), consent_signed_by="victim")
    assert 'id="minor-flag"' in review(client, data).content.decode()
    save(client, data)
    registration = Registration.objects.get()
    assert registration.is_minor
    assert registration.age_at_registration == 16


def test_eighteenth_birthday_is_not_a_minor(client_for, coordinator_a, staff_data):
    save(client_for(coordinator_a), staff_data(date_of_birth=years_ago(18)))
    assert not Registration.objects.get().is_minor


def test_minor_flagged_from_estimated_age(client_for, coordinator_a, staff_data):
    client = client_for(coordinator_a)
    data = staff_data(date_of_birth="", estimated_age="15", consent_signed_by="guardian")
    assert 'id="minor-flag"' in review(client, data).content.decode()
    save(client, data)
    registration = Registration.objects.get()
    assert registration.is_minor
    assert registration.person.year_of_birth == timezone.localdate().year - 15
    assert registration.person.year_of_birth_estimated


def test_unaccompanied_minor_without_lawful_residence_shows_nidos_route(
    client_for, coordinator_a, staff_data
):
    client = client_for(coordinator_a)
    data = staff_data(
        date_of_birth="",
        estimated_age="15",
        unaccompanied_minor="on",
        residence_status="no_status",
        consent_signed_by="guardian",
    )
    assert 'id="nidos-route"' in review(client, data).content.decode()
    response = save(client, data)
    assert 'id="nidos-route"' in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "overrides",
    [
        {"unaccompanied_minor": "on", "residence_status": "not_applicable"},  # lawful
        {"residence_status": "no_status"},  # accompanied
        {"unaccompanied_minor": "on", "residence_status": "no_status", "estimated_age": "30"},
    ],
)
def test_no_nidos_route_otherwise(client_for, coordinator_a, staff_data, overrides):
    data = staff_data(
        **{"date_of_birth": "", "estimated_age": "15", "consent_signed_by": "guardian", **overrides}
    )
    assert 'id="nidos-route"' not in review(client_for(coordinator_a), data).content.decode()


def test_under_16_consent_must_be_signed_by_guardian(client_for, coordinator_a, staff_data):
    data = staff_data(date_of_birth="", estimated_age="14", consent_signed_by="victim")
    html = review(client_for(coordinator_a), data).content.decode()
    assert 'id="error_1_id_consent_signed_by"' in html or "is-invalid" in html
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"date_of_birth": "", "estimated_age": "121"}, "estimated_age"),
        ({"date_of_birth": "", "estimated_age": "-1"}, "estimated_age"),
        ({"date_of_birth": "1890-01-01"}, "date_of_birth"),
        ({"registered_on": "2999-01-01"}, "registered_on"),
        ({"exploitation_forms": ["labour"], "sector": "window"}, "sector"),
        ({"exploitation_forms": [], "sector": "window"}, "sector"),
        (
            {"exploitation_start": "2024-05-01", "exploitation_end": "2024-01-01"},
            "exploitation_end",
        ),
        ({"consent_signed_by": ""}, "consent_signed_by"),
    ],
)
def test_invalid_input_is_refused_with_the_field_named(
    client_for, coordinator_a, staff_data, overrides, field
):
    response = save(client_for(coordinator_a), staff_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert Registration.objects.count() == 0
    assert Person.objects.count() == 0


@pytest.mark.parametrize("age", ["0", "120"])
def test_age_limits_are_accepted(client_for, coordinator_a, staff_data, age):
    data = staff_data(date_of_birth="", estimated_age=age, consent_signed_by="guardian")
    assert save(client_for(coordinator_a), data).status_code == 302


def test_sector_other_fits_any_form(client_for, coordinator_a, staff_data):
    data = staff_data(exploitation_forms=["labour", "criminal"], sector="other")
    assert save(client_for(coordinator_a), data).status_code == 302


def test_registration_date_today_is_accepted(client_for, coordinator_a, staff_data):
    today = timezone.localdate()
    assert (
        save(client_for(coordinator_a), staff_data(registered_on=today.isoformat())).status_code
        == 302
    )
    yesterday = today - datetime.timedelta(days=1)
    assert (
        save(
            client_for(coordinator_a),
            staff_data(
                registered_on=yesterday.isoformat(),
                id_document_number="OTHER1",
                family_name="Other",
            ),
        ).status_code
        == 302
    )


# Anonymous registration ------------------------------------------------------------------------


def test_without_legal_duty_or_consent_the_form_says_anonymous_before_saving(
    client_for, coordinator_a, staff_data
):
    data = staff_data(reporter_type="shelter", consent_registration="", consent_signed_by="")
    html = review(client_for(coordinator_a), data).content.decode()
    assert 'id="anonymity-notice"' in html
    assert "not stored" in html or "niet opgeslagen" in html
    assert Registration.objects.count() == 0


def test_anonymous_registration_stores_no_personal_field(client_for, coordinator_a, staff_data):
    values = {
        "given_names": planted("Given"),
        "family_name": planted("Family"),
        "aliases": planted("Alias"),
        "phone": planted("Phone"),
        "email": f"{planted('mail')}@example.org",
        "address": planted("Street"),
        "languages": planted("Lang"),
        "id_document_number": planted("DOC"),
    }
    data = staff_data(reporter_type="ngo", consent_registration="", consent_signed_by="", **values)
    response = save(client_for(coordinator_a), data)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.person.is_anonymous
    assert registration.person.year_of_birth == 1995  # statistical fields kept
    assert registration.person.nationality == "RO"
    columns = ", ".join(PERSONAL_FIELDS) + ", bi_family_name, bi_name_dob, bi_document, bi_phonetic"
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 (fixed column names)
        rows = cursor.fetchall()
    assert rows == [(None,) * (len(PERSONAL_FIELDS) + 4)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM registry_registration")
        dump = repr(cursor.fetchall())
    for value in values.values():
        assert value not in dump


def test_legal_duty_without_consent_keeps_personal_data(client_for, coordinator_a, staff_data):
    data = staff_data(reporter_type="kmar", consent_registration="", consent_signed_by="")
    save(client_for(coordinator_a), data)
    person = Person.objects.get()
    assert not person.is_anonymous
    assert person.family_name == "Popescu"


def test_a_code_sent_twice_is_saved_once(client_for, coordinator_a, staff_data):
    # A tampered or replayed form may repeat a checkbox; the code list holds each code once
    # (it used to fail the list's unique pair with a server error).
    data = staff_data(
        exploitation_forms=["sexual", "sexual"],
        means_of_control=["threats", "debt_bondage", "threats"],
    )
    response = save(client_for(coordinator_a), data)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert list(registration.exploitation_forms.values_list("code", flat=True)) == ["sexual"]
    assert sorted(registration.means_of_control.values_list("code", flat=True)) == [
        "debt_bondage",
        "threats",
    ]


def test_help_desk_sees_the_confirmation_of_a_registration_routed_to_a_coordinator(
    client_for, helpdesk, coordinator_a, staff_data
):
    """The case is coordinator A's: the help desk gets its number and routing, no case link
    (it would be a 404) and no personal value."""
    client = client_for(helpdesk)
    data = staff_data(family_name="Zwartkruisweg", phone="+31 6 5555 0199")
    response = save(client, data)
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200
    registration = Registration.objects.get()
    assert registration.number in page.text
    assert "coordinator-a" in page.text  # routed to region A's coordinator
    assert f"/cases/{registration.cases.get().pk}/" not in page.text
    assert "Zwartkruisweg" not in page.text and "5555 0199" not in page.text
    # And the help desk may not open that case or its person.
    assert client.get(f"/cases/{registration.cases.get().pk}/").status_code == 404


@pytest.mark.parametrize("step", ["review", "save"])
def test_a_registration_date_of_1850_with_an_age_is_refused_on_the_field(
    client_for, coordinator_a, staff_data, step
):
    """1850 with an age of 30 makes a year of birth of 1820, which the database refuses: the
    form says so on the age instead of a server error, and keeps what was typed."""
    data = staff_data(registered_on="1850-06-01", date_of_birth="", estimated_age="30")
    response = client_for(coordinator_a).post(URL, {**data, "step": step, "person_choice": "new"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "estimated_age" in form.errors
    assert "1880" in form.errors["estimated_age"][0]
    assert Registration.objects.count() == 0
    assert Person.objects.count() == 0
    assert_round_trip(response.content.decode(), data)
