"""The coordinators' workspace: list filters, search, the audited detail page, editing."""

from __future__ import annotations

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest
from django.test import override_settings
from django.utils import timezone

from registry.choices import AuditAction, CaseStatus, SubmissionStatus, VictimStatus
from registry.crypto import generate_key
from registry.models import AuditEvent, Case
from registry.models.people import family_name_index
from tests.factories import CaseFactory, PersonFactory, RegistrationFactory
from tests.registry.conftest import PLANTED

pytestmark = pytest.mark.django_db


def _listed(response) -> set:
    return {case.pk for case in response.context["page"].object_list}


def test_coordinator_sees_only_own_region_cases_in_the_list(
    casework_world, client_for, coordinator_a
):
    response = client_for(coordinator_a).get("/cases/")
    assert _listed(response) == {casework_world.case_a.pk}


def test_list_shows_the_name_and_nothing_else_personal(casework_world, client_for, coordinator_a):
    content = client_for(coordinator_a).get("/cases/").content.decode()
    # Issue 13: the name (given and family) of a case one may see; never contact details,
    # documents or notes.
    assert PLANTED["given_names"] in content and PLANTED["family_name"] in content
    for name, value in PLANTED.items():
        if name not in {"given_names", "family_name"}:
            assert value not in content


def _search(client, term, **filters):
    """Type ``term`` into the case list's form (with ``filters``) and follow the redirect."""
    response = client.post("/cases/", {"q": term, **filters})
    assert response.status_code == 302
    return client.get(response["Location"])


def _urls_on(response) -> list[str]:
    """Every URL the browser would show, keep in history or request from this page."""
    html = response.content.decode()
    return [
        response.wsgi_request.get_full_path(),
        *(unescape(url) for url in re.findall(r'(?:href|action|src)="([^"]*)"', html)),
    ]


def _carries(url: str, term: str) -> bool:
    return term.lower() in unquote_plus(url).lower()


def test_search_by_exact_family_name_goes_through_the_blind_index(
    casework_world, client_for, coordinator_a
):
    client = client_for(coordinator_a)
    # Case and accents do not matter (the index normalises), a partial name finds nothing.
    assert _listed(_search(client, "ZWARTEKOPPENSTRAAT")) == {casework_world.case_a.pk}
    assert _listed(_search(client, "Zwartekoppen")) == set()


def test_search_by_registration_number(casework_world, client_for, coordinator_a):
    number = casework_world.registration_a.number
    client = client_for(coordinator_a)
    response = client.post("/cases/", {"q": number})
    assert parse_qs(urlsplit(response["Location"]).query) == {"number": [number]}
    assert _listed(client.get(response["Location"])) == {casework_world.case_a.pk}


def test_search_cannot_find_another_regions_person(casework_world, client_for, coordinator_b):
    assert _listed(_search(client_for(coordinator_b), PLANTED["family_name"])) == set()


def test_a_family_name_search_leaves_the_name_in_no_url_and_no_audit_event(
    casework_world, client_for, coordinator_a
):
    term = PLANTED["family_name"]
    client = client_for(coordinator_a)
    posted = client.post("/cases/", {"q": term, "status": "all"})
    location = posted["Location"]
    # Only blind indexes travel (the whole name's and its word's), with the other filters.
    carried = parse_qs(urlsplit(location).query)
    assert set(carried) == {"status", "name"}
    assert carried["status"] == ["all"]
    assert carried["name"][0] == f"f.{family_name_index(term)}"
    assert all(re.fullmatch(r"[fwy][.0-9a-f-]+", value) for value in carried["name"])
    page = client.get(location)
    assert _listed(page) == {casework_world.case_a.pk}
    urls = [location, *_urls_on(page)]
    assert len(urls) > 10
    assert [url for url in urls if _carries(url, term)] == []
    # The page does not put the term back in the search box either (the list itself names
    # the person found: issue 13).
    box = re.search(r'<input[^>]*name="q"[^>]*>', page.content.decode()).group(0)
    assert term not in box and 'value=""' in box
    details = str(list(AuditEvent.objects.values_list("details", flat=True)))
    assert term.lower() not in details.lower()
    assert family_name_index(term) not in details
    assert not any(value[2:66] in details for value in carried["name"])


def test_each_search_is_audited_with_its_kind_and_result_count(
    casework_world, client_for, coordinator_a, coordinator_b
):
    _search(client_for(coordinator_a), PLANTED["family_name"])
    _search(client_for(coordinator_a), casework_world.registration_a.number)
    _search(client_for(coordinator_b), PLANTED["family_name"])
    events = AuditEvent.objects.filter(action=AuditAction.SEARCH).order_by("id")
    assert [(e.actor, e.details) for e in events] == [
        ("coordinator-a", {"screen": "case_list", "kind": "name", "results": 1}),
        ("coordinator-a", {"screen": "case_list", "kind": "number", "results": 1}),
        ("coordinator-b", {"screen": "case_list", "kind": "name", "results": 0}),
    ]
    assert all(e.object_id == "" for e in events)


def test_a_stale_or_forged_index_in_the_url_finds_nothing(
    casework_world, client_for, coordinator_a
):
    client = client_for(coordinator_a)
    with override_settings(REGISTRY_BLIND_INDEX_KEY=generate_key()):
        stale = family_name_index(PLANTED["family_name"])
    for query in (
        f"family_name={stale}",
        "family_name=" + "0" * 64,
        "family_name=not-an-index",
        "family_name=",
        "number=Zwartekoppenstraat",
        f"number={casework_world.registration_a.number}&family_name={stale}",
    ):
        response = client.get(f"/cases/?status=all&{query}")
        assert response.status_code == 200, query
        assert _listed(response) == set(), query
        assert response.context["search"] is not None, query


def test_a_term_typed_into_the_url_is_not_used_and_not_carried_on(
    casework_world, client_for, coordinator_a, region_a
):
    other = CaseFactory(region=region_a)
    client = client_for(coordinator_a)
    response = client.get("/cases/", {"q": PLANTED["family_name"]})
    # Not a search: the whole list, and no link on the page carries the term on.
    assert _listed(response) == {casework_world.case_a.pk, other.pk}
    assert response.context["search"] is None
    assert [u for u in _urls_on(response)[1:] if _carries(u, PLANTED["family_name"])] == []
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()


def test_the_page_says_what_is_searched_and_how_to_clear_it(
    casework_world, client_for, coordinator_a
):
    client = client_for(coordinator_a)
    response = client.post(
        "/cases/", {"q": PLANTED["family_name"], "urgent": "on"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    summary = re.search(r'<p[^>]*id="search-summary"[^>]*>(.*?)</p>', page.content.decode(), re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", summary.group(1)).split())
    assert text.startswith("Search: name — 1 case")
    clear = re.search(r'href="([^"]*)"[^>]*>\s*Clear search', summary.group(1)).group(1)
    # Clearing the search keeps the filters.
    cleared = client.get(unescape(clear))
    assert cleared.context["search"] is None
    assert cleared.context["form"].cleaned_data["urgent"] is True


def test_a_search_term_too_long_is_refused_with_a_message_and_not_recorded(
    casework_world, client_for, coordinator_a
):
    client = client_for(coordinator_a)
    response = client.post("/cases/", {"q": "Z" * 500, "urgent": "on"}, follow=True)
    assert response.status_code == 200
    assert response.context["search"] is None
    assert response.wsgi_request.get_full_path() == "/cases/?urgent=on"
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()


def test_filters_sorting_and_pagination_keep_the_search(client_for, coordinator_a, region_a):
    today = timezone.localdate()
    namesakes = []
    for days in range(55):
        person = PersonFactory(family_name="Brouwersgracht")
        namesakes.append(
            CaseFactory(
                person=person,
                region=region_a,
                opened_on=today - datetime.timedelta(days=days),
                registration=RegistrationFactory(
                    person=person, region=region_a, immediate_danger=days < 3
                ),
            )
        )
    CaseFactory(region=region_a, opened_on=today)  # someone else
    client = client_for(coordinator_a)
    first = _search(client, "Brouwersgracht", sort="opened")
    assert first.context["page"].paginator.count == 55
    dates = [case.opened_on for case in first.context["page"].object_list]
    assert len(dates) == 50 and dates == sorted(dates)
    next_link = re.search(r'href="(\?[^"]*page=2[^"]*)"', first.content.decode()).group(1)
    second = client.get("/cases/" + unescape(next_link))
    assert len(second.context["page"].object_list) == 5
    assert second.context["search"].kind == "name"
    # Changing a filter with the box left empty keeps the search (carried in the form).
    hidden = dict(
        re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', first.content.decode())
    )
    urgent = client.post("/cases/", {**hidden, "q": "", "urgent": "on", "sort": "opened"})
    assert _listed(client.get(urgent["Location"])) == {c.pk for c in namesakes[:3]}
    # Only the typed search is recorded, not the change of filter.
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH).count() == 1


def test_filters_status_urgency_minor_unassigned_and_reflection(
    casework_world, client_for, coordinator_a, region_a
):
    today = timezone.localdate()
    minor = CaseFactory(
        region=region_a, registration=RegistrationFactory(region=region_a, is_minor=True)
    )
    closed = CaseFactory(region=region_a, status=CaseStatus.CLOSED, closed_reason="no_contact")
    ending = CaseFactory(
        region=region_a,
        coordinator=coordinator_a,
        reflection_start=today - datetime.timedelta(days=80),
    )
    client = client_for(coordinator_a)
    a = casework_world.case_a.pk
    assert _listed(client.get("/cases/")) == {a, minor.pk, ending.pk}  # open cases by default
    assert _listed(client.get("/cases/", {"status": "closed"})) == {closed.pk}
    assert _listed(client.get("/cases/", {"status": "all"})) == {a, minor.pk, ending.pk, closed.pk}
    assert _listed(client.get("/cases/", {"urgent": "on"})) == {a}
    assert _listed(client.get("/cases/", {"minor": "on"})) == {minor.pk}
    assert _listed(client.get("/cases/", {"assigned": "unassigned"})) == {minor.pk}
    assert _listed(client.get("/cases/", {"assigned": "mine"})) == {a, ending.pk}
    assert _listed(client.get("/cases/", {"reflection": "on"})) == {ending.pk}


def test_sorting_and_pagination(client_for, coordinator_a, region_a):
    today = timezone.localdate()
    for days in range(55):
        CaseFactory(region=region_a, opened_on=today - datetime.timedelta(days=days))
    client = client_for(coordinator_a)
    first = client.get("/cases/", {"sort": "opened"})
    dates = [case.opened_on for case in first.context["page"].object_list]
    assert len(dates) == 50 and dates == sorted(dates)
    second = client.get("/cases/", {"sort": "opened", "page": 2})
    assert len(second.context["page"].object_list) == 5
    # A sort that is not offered falls back to the default, with a message, not a 500.
    assert client.get("/cases/", {"sort": "person__family_name"}).status_code == 200


def test_case_detail_shows_person_and_registrations_and_records_the_view(
    casework_world, client_for, coordinator_a, region_a
):
    second = RegistrationFactory(person=casework_world.person_a, region=region_a)
    response = client_for(coordinator_a).get(f"/cases/{casework_world.case_a.pk}/")
    content = response.content.decode()
    assert PLANTED["family_name"] in content and PLANTED["phone"] in content
    assert casework_world.registration_a.number in content and second.number in content
    assert "112" in content  # immediate danger comes first
    event = AuditEvent.objects.get(action=AuditAction.VIEW_PERSONAL)
    assert event.actor == "coordinator-a" and event.case_id == casework_world.case_a.pk


def test_case_detail_lists_only_registrations_the_user_may_see(
    casework_world, client_for, coordinator_a, region_b, reporter
):
    """Every counted registration of the person, wherever reported; no untriaged submission
    and nobody else's."""
    elsewhere = RegistrationFactory(person=casework_world.person_a, region=region_b)
    untriaged = RegistrationFactory(
        person=casework_world.person_a,
        region=casework_world.case_a.region,
        status=SubmissionStatus.SUBMITTED,
        submitted_by=reporter,
    )
    other_person = casework_world.case_b.registration
    content = client_for(coordinator_a).get(f"/cases/{casework_world.case_a.pk}/").content
    assert elsewhere.number.encode() in content
    assert untriaged.number.encode() not in content
    assert other_person.number.encode() not in content


def _edit_data(case: Case, **changes: object) -> dict[str, object]:
    data = {
        "coordinator": case.coordinator_id or "",
        "status": case.status,
        "closed_reason": case.closed_reason,
        "victim_status": case.victim_status,
        "victim_status_decided_by": case.victim_status_decided_by,
        "reflection_start": case.reflection_start or "",
        "residence_status": case.residence_status,
        "shelter_requested": case.shelter_requested,
        "shelter_placed": case.shelter_placed,
        "care_received": case.care_received,
        "care_location": case.care_location or "",
    }
    if case.is_dublin:
        data["is_dublin"] = "on"
    data.update(changes)
    return data


def test_edit_case_saves_and_records_changed_field_names(casework_world, client_for, coordinator_a):
    case = casework_world.case_a
    response = client_for(coordinator_a).post(
        f"/cases/{case.pk}/edit/",
        _edit_data(
            case,
            status="in_care",
            reflection_start="2026-01-31",
            residence_status="reflection_period",
            shelter_requested="cosm",
            shelter_placed="cosm",
            care_location="Second planted place: Wilgenhof 12",
        ),
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_CARE
    assert case.reflection_end == datetime.date(2026, 4, 30)
    assert case.care_location == "Second planted place: Wilgenhof 12"
    event = AuditEvent.objects.get(action=AuditAction.CHANGE)
    assert event.details["fields"] == sorted(
        [
            "status",
            "reflection_start",
            "residence_status",
            "shelter_requested",
            "shelter_placed",
            "care_location",
        ]
    )


@pytest.mark.parametrize(
    ("start", "changes", "field"),
    [
        ("new", {"status": "closed"}, "closed_reason"),  # closing needs a reason
        ("new", {"status": "reopened"}, "status"),  # only a closed case is reopened
        ("in_care", {"status": "new"}, "status"),  # no way back to new
        ("new", {"closed_reason": "other"}, "closed_reason"),  # a reason only when closed
        ("new", {"victim_status": VictimStatus.CONFIRMED}, "victim_status_decided_by"),
        ("new", {"is_dublin": "on"}, "reflection_start"),
    ],
)
def test_edit_refuses_what_the_workflow_does_not_allow(
    casework_world, client_for, coordinator_a, start, changes, field
):
    case = casework_world.case_a
    case.status = start
    case.save()
    data = _edit_data(case, **changes)
    response = client_for(coordinator_a).post(f"/cases/{case.pk}/edit/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    # Everything typed is still there.
    assert response.context["form"]["care_location"].value() == data["care_location"]
    case.refresh_from_db()
    assert case.status == start


def test_close_with_reason_then_reopen(casework_world, client_for, coordinator_a):
    case = casework_world.case_a
    client = client_for(coordinator_a)
    client.post(
        f"/cases/{case.pk}/edit/", _edit_data(case, status="closed", closed_reason="care_completed")
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_on == timezone.localdate()
    client.post(f"/cases/{case.pk}/edit/", _edit_data(case, status="reopened", closed_reason=""))
    case.refresh_from_db()
    assert (case.status, case.closed_reason, case.closed_on) == ("reopened", "", None)


def test_coordinator_takes_an_unassigned_case(client_for, coordinator_a, region_a):
    case = CaseFactory(region=region_a, person=PersonFactory())
    client_for(coordinator_a).post(f"/cases/{case.pk}/take/")
    case.refresh_from_db()
    assert case.coordinator == coordinator_a


def test_helpdesk_page_shows_uncovered_regions_and_counts_without_names(
    casework_world, client_for, helpdesk
):
    response = client_for(helpdesk).get("/helpdesk/")
    assert casework_world.case_c in response.context["cases"]
    counts = {region.code: region.open_cases for region in response.context["per_region"]}
    assert counts == {"region-a": 1, "region-b": 1, "region-c": 1}
    content = response.content.decode()
    for value in PLANTED.values():
        assert value not in content


def test_the_help_desk_page_links_to_the_triage_queue(client_for, helpdesk, administrator):
    for user in (helpdesk, administrator):
        page = client_for(user).get("/helpdesk/")
        assert 'href="/intake/triage/"' in page.text
