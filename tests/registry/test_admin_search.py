"""Admin changelist searches are posted and leave no name in a URL; each one is audited.

Every changelist of the project's admin posts its search (templates/admin/search_form.html,
registry.admin.PostedSearchMixin) and is redirected to the list with only a registration
number, a blind index, a record id or an account name (registry/search.py). Lists of data that
is not about victims (regions, organisations, accounts, groups) keep their term in ``q``.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest
from django.contrib import admin
from django.test import override_settings

from registry.admin import PostedSearchMixin
from registry.choices import AuditAction
from registry.crypto import generate_key
from registry.models import AuditEvent, Case
from registry.models.people import family_name_index
from tests.factories import (
    CaseFactory,
    PersonFactory,
    RegionFactory,
    RegistrationFactory,
    grant_personal_export,
)
from tests.registry.conftest import PLANTED

pytestmark = pytest.mark.django_db

NAME = PLANTED["family_name"]


@pytest.fixture
def exporter(administrator):
    return grant_personal_export(administrator)


@pytest.fixture
def world(casework_world, coordinator_a):
    """casework_world, and one audit event about region A's person by coordinator A."""
    casework_world.event = AuditEvent.record(
        AuditAction.VIEW_PERSONAL,
        user=coordinator_a,
        obj=casework_world.person_a,
        case=casework_world.case_a,
        details={"screen": "test"},
    )
    return casework_world


def _search_form(html: str) -> str:
    match = re.search(r'<form id="changelist-search"[^>]*>.*?</form>', html, re.S)
    assert match, "the changelist has a search form"
    return match.group(0)


def admin_search(client, url: str, term: str):
    """Type ``term`` into the changelist's search form as a browser would; follow the redirect.

    Returns the POST's response and the list it redirects to.
    """
    page = client.get(url)
    assert page.status_code == 200, url
    form = _search_form(page.content.decode())
    assert 'method="post"' in form.split(">", 1)[0]
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    data: dict[str, list[str]] = {}
    for name, value in hidden:
        data.setdefault(name, []).append(unescape(value))
    posted = client.post(url, {**data, "q": term})
    assert posted.status_code == 302, posted.content[:500]
    return posted, client.get(posted["Location"])


def urls_on(response) -> list[str]:
    html = response.content.decode()
    return [
        response.wsgi_request.get_full_path(),
        *(unescape(u) for u in re.findall(r'(?:href|action|src)="([^"]*)"', html)),
    ]


def carries(url: str, term: str) -> bool:
    return term.lower() in unquote_plus(unquote_plus(url)).lower()


def listed(response) -> set:
    return {obj.pk for obj in response.context["cl"].result_list}


def last_search() -> AuditEvent:
    return AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("id")


# (changelist, user, what the planted family name finds)
FAMILY_NAME_SEARCHES = {
    "person": ("/admin/registry/person/", "coordinator_a", lambda w: {w.person_a.pk}),
    "case": ("/admin/registry/case/", "coordinator_a", lambda w: {w.case_a.pk}),
    "registration": (
        "/admin/registry/registration/",
        "coordinator_a",
        lambda w: {w.registration_a.pk},
    ),
    "registration_import": (
        "/admin/intake/registrationimport/",
        "administrator",
        lambda w: {w.registration_a.pk},
    ),
    "personal_export": (
        "/admin/reports/personalexport/",
        "exporter",
        lambda w: {w.registration_a.pk},
    ),
    # The audit trail holds no names: the term is taken for an account, which does not exist.
    "audit_trail": ("/admin/registry/auditevent/", "administrator", lambda w: set()),
}


@pytest.mark.parametrize("admin_name", FAMILY_NAME_SEARCHES)
def test_a_planted_family_name_is_found_and_left_in_no_url_and_no_audit_event(
    admin_name, world, roles, exporter, client_for
):
    url, role, expected = FAMILY_NAME_SEARCHES[admin_name]
    user = exporter if role == "exporter" else roles[role]
    client = client_for(user)
    posted, page = admin_search(client, url, NAME)
    assert listed(page) == expected(world)
    urls = [posted["Location"], *urls_on(page)]
    assert len(urls) > 10
    assert [u for u in urls if carries(u, NAME)] == []
    assert NAME not in page.content.decode()
    details = str(list(AuditEvent.objects.values_list("details", flat=True)))
    assert NAME.lower() not in details.lower()
    assert family_name_index(NAME) not in details
    event = last_search()
    assert event.actor == user.username
    model = page.context["cl"].model._meta.label_lower
    kind = "actor" if admin_name == "audit_trail" else "family_name"
    assert event.details == {
        "screen": f"admin:{model}",
        "kind": kind,
        "results": len(expected(world)),
    }


# (changelist, user, the term, its kind, what it finds)
OTHER_SEARCHES = {
    "person_by_document": (
        "/admin/registry/person/",
        "coordinator_a",
        lambda w: PLANTED["id_document_number"],
        "document",
        lambda w: {w.person_a.pk},
    ),
    "person_by_document_with_country": (
        "/admin/registry/person/",
        "coordinator_a",
        lambda w: "ro " + PLANTED["id_document_number"].lower(),
        "document",
        lambda w: {w.person_a.pk},
    ),
    "case_by_number": (
        "/admin/registry/case/",
        "coordinator_a",
        lambda w: w.registration_a.number,
        "number",
        lambda w: {w.case_a.pk},
    ),
    "registration_by_number": (
        "/admin/registry/registration/",
        "coordinator_a",
        lambda w: w.registration_a.number,
        "number",
        lambda w: {w.registration_a.pk},
    ),
    "audit_by_record": (
        "/admin/registry/auditevent/",
        "administrator",
        lambda w: str(w.person_a.pk),
        "object_id",
        lambda w: {w.event.pk},
    ),
    "audit_by_account": (
        "/admin/registry/auditevent/",
        "administrator",
        lambda w: "Coordinator-A",
        "actor",
        lambda w: set(
            AuditEvent.objects.filter(actor="coordinator-a").values_list("pk", flat=True)
        ),
    ),
}


@pytest.mark.parametrize("search_name", OTHER_SEARCHES)
def test_admin_search_by_number_document_record_or_account(search_name, world, roles, client_for):
    url, role, term, kind, expected = OTHER_SEARCHES[search_name]
    posted, page = admin_search(client_for(roles[role]), url, term(world))
    assert expected(world) and listed(page) == expected(world)
    (carried,) = parse_qs(urlsplit(posted["Location"]).query)
    assert carried == kind
    if kind == "document":
        assert not carries(posted["Location"], PLANTED["id_document_number"])
    assert last_search().details["kind"] == kind
    assert last_search().details["results"] == len(expected(world))


def test_coordinator_b_does_not_find_region_a_person(world, client_for, coordinator_b):
    for url in ("/admin/registry/person/", "/admin/registry/case/"):
        _posted, page = admin_search(client_for(coordinator_b), url, NAME)
        assert listed(page) == set()
        assert last_search().details["results"] == 0


def test_the_changelist_says_what_is_searched_and_how_to_clear_it(world, client_for, coordinator_a):
    client = client_for(coordinator_a)
    posted, _page = admin_search(client, "/admin/registry/case/?status__exact=new", NAME)
    html = client.get(posted["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    summary = re.search(r'<span[^>]*id="search-summary"[^>]*>(.*?)</span>', html, re.S).group(1)
    assert summary.startswith("Search: family name — 1 result (")
    clear = unescape(re.search(r'href="([^"]*)"', summary).group(1))
    assert "family_name" not in clear and "status__exact=new" in clear


def test_a_stale_or_forged_index_in_an_admin_url_finds_nothing(world, client_for, administrator):
    client = client_for(administrator)
    with override_settings(REGISTRY_BLIND_INDEX_KEY=generate_key()):
        stale = family_name_index(NAME)
    for url in (
        "/admin/registry/person/",
        "/admin/registry/case/",
        "/admin/registry/registration/",
    ):
        assert listed(client.get(url)), url  # the list is not empty without a search
        for query in (f"family_name={stale}", "family_name=" + "f" * 64, "family_name=%00"):
            response = client.get(f"{url}?{query}")
            assert response.status_code == 200, (url, query)
            assert listed(response) == set(), (url, query)


def test_a_term_typed_into_an_admin_url_is_not_used(world, client_for, administrator):
    client = client_for(administrator)
    response = client.get("/admin/registry/person/", {"q": NAME, "gender__exact": "female"})
    assert response.status_code == 302
    assert not carries(response["Location"], NAME)
    assert parse_qs(urlsplit(response["Location"]).query) == {"gender__exact": ["female"]}


def test_admin_filters_sorting_and_pages_keep_the_search(
    world, client_for, coordinator_a, region_a, monkeypatch
):
    for _ in range(3):
        person = PersonFactory(family_name=NAME)
        CaseFactory(
            person=person,
            region=region_a,
            registration=RegistrationFactory(person=person, region=region_a),
        )
    CaseFactory(region=region_a)  # someone else
    monkeypatch.setattr(admin.site._registry[Case], "list_per_page", 2)
    client = client_for(coordinator_a)
    _posted, page = admin_search(client, "/admin/registry/case/", NAME)
    assert page.context["cl"].result_count == 4
    html = page.content.decode()
    links = [unescape(u) for u in re.findall(r'href="(\?[^"]*)"', html)]
    for wanted in ("p=2", "o=", "status__exact=new"):
        link = next(u for u in links if wanted in u)
        followed = client.get("/admin/registry/case/" + link)
        assert followed.status_code == 200, link
        assert followed.context["cl"].result_count == 4, link
        assert parse_qs(urlsplit(link).query)["family_name"] == [family_name_index(NAME)]
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH).count() == 1


def test_admin_actions_still_work_after_a_search(world, client_for, coordinator_a, region_a):
    other = CaseFactory(region=region_a)  # unassigned, not searched for
    case = world.case_a
    case.coordinator = None
    case.save()
    client = client_for(coordinator_a)
    posted, _page = admin_search(client, "/admin/registry/case/", NAME)
    response = client.post(
        posted["Location"],
        {
            "action": "assign_coordinator",
            "index": "0",
            "select_across": "1",
            "_selected_action": [str(case.pk)],
            "apply": "1",
            "coordinator": str(coordinator_a.pk),
        },
    )
    assert response.status_code == 302
    assert not carries(response["Location"], NAME)
    case.refresh_from_db()
    other.refresh_from_db()
    assert case.coordinator == coordinator_a
    assert other.coordinator is None  # "all of the search" covers the search only


def test_a_search_in_a_popup_keeps_the_popup(world, client_for, coordinator_a):
    client = client_for(coordinator_a)
    posted, page = admin_search(client, "/admin/registry/person/?_to_field=id&_popup=1", NAME)
    query = parse_qs(urlsplit(posted["Location"]).query)
    assert query["_popup"] == ["1"] and query["_to_field"] == ["id"]
    assert listed(page) == {world.person_a.pk}


def test_lists_of_non_personal_data_keep_their_term_in_the_url_but_post_it(
    client_for, administrator
):
    RegionFactory(code="zeeland", name="Zeeland")
    RegionFactory(code="drenthe", name="Drenthe")
    posted, page = admin_search(client_for(administrator), "/admin/registry/region/", "Zeel")
    assert parse_qs(urlsplit(posted["Location"]).query) == {"q": ["Zeel"]}
    assert [r.code for r in page.context["cl"].result_list] == ["zeeland"]
    assert last_search().details == {
        "screen": "admin:registry.region",
        "kind": "text",
        "results": 1,
    }


def test_every_admin_of_the_project_with_a_search_posts_it(rf, administrator):
    request = rf.get("/admin/")
    request.user = administrator
    searching = {
        type(model_admin).__name__: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"registry", "intake", "reports", "auth"}
        and model_admin.get_search_fields(request)
    }
    assert {"PersonAdmin", "CaseAdmin", "RegistrationAdmin", "AuditEventAdmin"} <= set(searching)
    assert {"RegistrationImportAdmin", "PersonalExportAdmin", "RegionAdmin"} <= set(searching)
    for name, model_admin in searching.items():
        assert isinstance(model_admin, PostedSearchMixin), name
