"""Error pages without dead ends (issue 13, item 7): 403 and 404 in the site's layout with
the signed-in user's navigation and a sentence of explanation; 400 and 500 static in the same
layout. In Dutch and English, and never the URL's ids or any value sent."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import override_settings
from django.urls import get_resolver

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("debug_off")]

EXPLANATION = {
    404: {
        "en": "The registry answers both in the same way",
        "nl": "Het register antwoordt in beide gevallen hetzelfde",
    },
    403: {"en": "ask an administrator", "nl": "vraag dan een beheerder"},
    400: {"en": "Nothing was saved.", "nl": "Er is niets opgeslagen."},
    500: {"en": "Nothing was saved.", "nl": "Er is niets opgeslagen."},
}


@pytest.fixture
def debug_off():
    with override_settings(DEBUG=False):
        yield


def assert_layout(response, language: str) -> str:
    text = response.content.decode()
    assert f'<html lang="{language}">' in text
    assert 'class="navbar' in text and "/static/css/app.css" in text
    assert 'id="error-page"' in text
    assert EXPLANATION[response.status_code][language] in text
    return text


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_case_outside_the_users_rows_is_a_404_in_the_layout_with_navigation(
    casework_world, client_for, coordinator_b, language
):
    """Coordinator B opens region A's case: 404, the page says why in a sentence, shows B's
    navigation, and repeats neither the case's id nor anything of it."""
    case = casework_world.case_a
    url = f"/cases/{case.pk}/?ref=Planted-Query-Value"
    response = client_for(coordinator_b).get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    text = assert_layout(response, language)
    assert coordinator_b.username in text  # the signed-in user's bar
    assert 'href="/cases/"' in text  # their navigation
    # Neither the id, nor the short code the lists show, nor the query string.
    for value in (str(case.pk), str(case).split()[-1], "Planted-Query-Value"):
        assert value not in text, value


def test_a_record_that_does_not_exist_reads_the_same_as_one_not_yours(
    casework_world, client_for, coordinator_b
):
    client = client_for(coordinator_b)
    theirs = client.get(f"/cases/{casework_world.case_a.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    missing_pk = uuid.uuid4()
    missing = client.get(f"/cases/{missing_pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert theirs.status_code == missing.status_code == 404

    def without_tokens(response) -> str:
        return re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode())

    assert without_tokens(theirs) == without_tokens(missing)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_page_of_another_role_is_a_403_in_the_layout_with_navigation(
    client_for, reporter, language
):
    response = client_for(reporter).get("/cases/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    text = assert_layout(response, language)
    assert reporter.username in text
    assert 'href="/intake/submit/"' in text  # the reporter's own navigation


def test_an_unknown_address_for_a_visitor_is_a_404_without_navigation(client):
    response = client.get("/no-such-page/7e57c0de/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    text = assert_layout(response, "en")
    assert 'id="nav-links"' not in text
    assert "7e57c0de" not in text and "no-such-page" not in text


def test_the_language_switch_on_an_error_page_does_not_repeat_the_address(
    casework_world, client_for, coordinator_b
):
    """The switch's ``next`` is left empty: Django returns through the Referer instead."""
    url = f"/cases/{casework_world.case_a.pk}/"
    client = client_for(coordinator_b)
    text = client.get(url).content.decode()
    assert 'name="next" type="hidden" value=""' in text
    switched = client.post("/i18n/setlang/", {"language": "en", "next": ""}, HTTP_REFERER=url)
    assert switched.status_code == 302 and switched["Location"] == url
    # Other pages keep their own address in the switch.
    assert 'name="next" type="hidden" value="/cases/"' in client.get("/cases/").text


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_bad_request_is_a_static_400_in_the_layout(client, language):
    response = client.get("/", HTTP_HOST="planted-host.example", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    text = assert_layout(response, language)
    assert "planted-host" not in text


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_server_error_is_a_static_500_that_needs_neither_database_nor_user(
    rf, language, django_assert_num_queries
):
    from django.utils import translation

    handler = get_resolver().resolve_error_handler(500)
    request = rf.get("/cases/Planted-Path/")  # no user, no session on this request
    with translation.override(language), django_assert_num_queries(0):
        try:
            raise ValueError("Planted-Exception-Text")
        except ValueError:
            response = handler(request)
    assert response.status_code == 500
    text = assert_layout(response, language)
    assert "Planted" not in text


def test_a_view_that_fails_answers_the_500_page(client_for, coordinator_a, monkeypatch):
    """Through the whole stack: the view raises, the user reads the 500 page."""
    from registry.views import cases

    def broken(*args, **kwargs):
        raise RuntimeError("Planted-Exception-Text")

    monkeypatch.setattr(cases.casework, "reminder_summary", broken)
    client = client_for(coordinator_a)
    client.raise_request_exception = False
    response = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    text = assert_layout(response, "en")
    assert "Planted" not in text
