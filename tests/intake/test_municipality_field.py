"""The municipality of exploitation on the intake forms: a code from the CBS list, offered as a
select, only for exploitation in the Netherlands (or where the country is unknown)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.utils import translation

from registry import municipalities as municipality_list
from registry.models import Registration
from tests.intake.conftest import planted

pytestmark = pytest.mark.django_db

URL = "/intake/register/"


def says(html: str, message: object) -> bool:
    """``message`` is on the page, in English or in Dutch (the default language)."""
    return any(_in_language(message, language) in html for language in ("en", "nl"))


def _in_language(message: object, language: str) -> str:
    with translation.override(language):
        return str(message)


UNKNOWN = municipality_list.UNKNOWN_MUNICIPALITY
NOT_NL = municipality_list.NOT_IN_THE_NETHERLANDS


def review(client, data):
    return client.post(URL, {**data, "step": "review"})


def save(client, data):
    return client.post(URL, {**data, "step": "save", "person_choice": "new"})


def test_the_staff_form_offers_the_list_as_a_select_and_saves_the_code(
    client_for, coordinator_a, staff_data
):
    client = client_for(coordinator_a)
    # Step 3 asks it (the server shows one step at a time).
    html = client.post(URL, {**staff_data(exploitation_municipality=""), "step": "3"}).text
    select = re.search(r'<select name="exploitation_municipality"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    assert '<option value="GM0363">Amsterdam</option>' in select.group(1)
    assert 'id="id_exploitation_municipality"' in select.group(0)
    assert re.search(r'<label\s+for="id_exploitation_municipality"', html)  # labelled

    checked = review(client, staff_data(exploitation_municipality="GM0599"))
    assert "Rotterdam" in checked.content.decode()  # the check before saving names it
    assert save(client, staff_data(exploitation_municipality="GM0599")).status_code == 302
    registration = Registration.objects.get()
    assert registration.exploitation_municipality_id == "GM0599"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT exploitation_municipality_id FROM registry_registration WHERE number = %s",
            [registration.number],
        )
        assert cursor.fetchone()[0] == "GM0599"


def test_an_unknown_code_is_refused_with_a_clear_message_and_free_text_is_not_echoed(
    client_for, coordinator_a, staff_data
):
    client = client_for(coordinator_a)
    for value in ("GM9999", planted("Keizersgracht 12 Amsterdam ")):
        response = review(client, staff_data(exploitation_municipality=value))
        html = response.content.decode()
        assert response.status_code == 200
        assert says(html, UNKNOWN)
        assert value not in html
    assert save(client, staff_data(exploitation_municipality="GM9999")).status_code == 200
    assert Registration.objects.count() == 0


def test_a_municipality_with_a_foreign_country_is_refused(client_for, coordinator_a, staff_data):
    client = client_for(coordinator_a)
    response = save(
        client, staff_data(exploitation_country="BE", exploitation_municipality="GM0363")
    )
    assert response.status_code == 200
    assert says(response.content.decode(), NOT_NL)
    assert Registration.objects.count() == 0

    # Unknown country: the municipality alone is fine.
    ok = save(client, staff_data(exploitation_country="", exploitation_municipality="GM0363"))
    assert ok.status_code == 302
    assert Registration.objects.get().exploitation_municipality_id == "GM0363"


def test_an_inactive_municipality_is_not_offered_for_new_registrations(
    client_for, coordinator_a, staff_data, municipalities
):
    merged = municipalities["GM0450"]
    merged.is_active = False
    merged.save()
    client = client_for(coordinator_a)
    assert 'value="GM0450"' not in client.get(URL).content.decode()
    response = review(client, staff_data(exploitation_municipality="GM0450"))
    assert says(response.content.decode(), UNKNOWN)


def test_the_reporter_form_applies_the_same_rules(
    client_for, reporter, reporter_data, municipalities
):
    client = client_for(reporter)
    response = client.post(
        "/intake/submit/",
        reporter_data(exploitation_country="BE", exploitation_municipality="GM0363"),
    )
    assert response.status_code == 200 and says(response.content.decode(), NOT_NL)
    response = client.post("/intake/submit/", reporter_data(exploitation_municipality="Utrecht"))
    assert response.status_code == 200 and says(response.content.decode(), UNKNOWN)
    assert Registration.objects.count() == 0

    response = client.post(
        "/intake/submit/",
        reporter_data(exploitation_country="NL", exploitation_municipality="GM0344"),
    )
    assert response.status_code == 302
    assert Registration.objects.get().exploitation_municipality_id == "GM0344"
