"""The staff intake's confirmation has no dead ends (issue 13, item 7).

After a save into a region whose coordinator holds the case, the confirmation showed "Open
the case", a 404 for the user who saved it. For each routing outcome the page now says who
received the case and offers what the user can do next, and every link on it opens.
"""

from __future__ import annotations

import re

import pytest

from registry.models import Case, Registration
from tests.intake.conftest import planted

pytestmark = pytest.mark.django_db

URL = "/intake/register/"


def saved_confirmation(client, data):
    """Save ``data`` through the staff form and return the confirmation page (English)."""
    response = client.post(URL, {**data, "step": "save", "person_choice": "new"})
    assert response.status_code == 302, response.content[:500]
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    return page


def links_in_main(page) -> list[str]:
    main = page.text.split("<main", 1)[1]
    return re.findall(r'href="(/[^"]*)"', main)


def assert_no_dead_end(client, page) -> None:
    """Every link in the page's content opens for the user who sees it."""
    links = links_in_main(page)
    assert links
    for link in links:
        assert client.get(link).status_code == 200, link


def outcome_of(page) -> str:
    return page.text.split('id="who-received"', 1)[1].split("</div>", 1)[0]


@pytest.fixture
def personal(staff_data):
    """Staff data with planted personal values, to look for on the confirmation."""

    def make(region):
        return staff_data(
            region=str(region.pk),
            family_name=planted("Family"),
            given_names=planted("Given"),
            phone=planted("+31"),
            id_document_number=planted("DOC"),
        )

    return make


def assert_nothing_personal(page, data) -> None:
    for field in ("family_name", "given_names", "phone", "id_document_number"):
        assert data[field] not in page.text


def test_help_desk_saving_into_a_region_with_a_coordinator_has_no_404_link(
    client_for, helpdesk, coordinator_a, region_a, personal
):
    """Issue 13: the help desk registered a victim into a region with a coordinator, and the
    confirmation's "Open the case" gave 404."""
    client = client_for(helpdesk)
    data = personal(region_a)
    page = saved_confirmation(client, data)
    case = Case.objects.get()
    assert case.coordinator == coordinator_a
    assert case.get_absolute_url() not in page.text
    assert client.get(case.get_absolute_url()).status_code == 404
    told = outcome_of(page)
    assert "Region A" in told and coordinator_a.username in told
    assert "sent an e-mail" in told
    assert "not in your list" in told
    assert "Register another" in page.text and "Help desk page" in page.text
    assert_no_dead_end(client, page)
    assert_nothing_personal(page, data)


def test_coordinator_saving_into_another_region_is_told_where_it_went(
    client_for, coordinator_a, coordinator_b, region_b, personal
):
    client = client_for(coordinator_a)
    data = personal(region_b)
    page = saved_confirmation(client, data)
    assert Case.objects.get().coordinator == coordinator_b
    told = outcome_of(page)
    assert "Region B" in told and coordinator_b.username in told and "sent an e-mail" in told
    assert "Open the case" not in page.text
    assert "Your case list" in page.text and "Help desk page" not in page.text
    assert_no_dead_end(client, page)
    assert_nothing_personal(page, data)


def test_coordinator_saving_into_a_region_without_coordinator_is_told_the_help_desk_has_it(
    client_for, coordinator_a, helpdesk, region_c, personal
):
    client = client_for(coordinator_a)
    page = saved_confirmation(client, personal(region_c))
    assert Case.objects.get().coordinator is None
    told = outcome_of(page)
    assert "Region C" in told and "the help desk coordinates it" in told
    assert "Open the case" not in page.text
    assert_no_dead_end(client, page)


@pytest.mark.parametrize(
    ("who", "where", "told"),
    [
        ("helpdesk", "region_c", "the help desk coordinates it, and it is in your list"),
        ("coordinator_a", "region_a", "The case is yours"),
    ],
)
def test_saving_a_case_the_user_coordinates_links_it(
    roles, client_for, request, personal, who, where, told
):
    client = client_for(roles[who])
    page = saved_confirmation(client, personal(request.getfixturevalue(where)))
    case = Case.objects.get()
    assert f'href="{case.get_absolute_url()}"' in page.text
    assert told in outcome_of(page)
    assert_no_dead_end(client, page)


def test_a_repeat_registration_joins_the_open_case_and_announces_nothing_new(
    client_for, coordinator_a, region_a, staff_data
):
    """The second registration of a person joins their open case in the region: no new case
    and no second e-mail, and the confirmation claims none."""
    client = client_for(coordinator_a)
    data = staff_data(region=str(region_a.pk))
    saved_confirmation(client, data)
    person = Case.objects.get().person_id
    response = client.post(URL, {**data, "step": "save", "person_choice": str(person)})
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert (Case.objects.count(), Registration.objects.count()) == (1, 2)
    assert not page.context["case_opened"] and not page.context["coordinator_notified"]
    assert "The case is yours" in outcome_of(page)
    assert_no_dead_end(client, page)
