"""Saved once in the admin (issue 12, item 5): every add form of the admin, and the case
list's "hand over" action, carry the one-time token; the same POST sent twice creates one
record and the second answer shows the first result; a missing or altered token is refused
with a clear message and nothing is saved (registry.admin.SavedOnceAdminMixin)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory

from registry import once
from registry.admin import SavedOnceAdminMixin
from registry.choices import Role
from registry.models import (
    Case,
    Handover,
    Municipality,
    Region,
    ReportingOrganisation,
    Shelter,
    User,
)
from reports.models import ExportGrant
from tests.factories import CaseFactory, UserFactory
from tests.intake.formstate import form_values

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True)


def _grant_data(users: dict[str, User]) -> dict[str, Any]:
    other = UserFactory(username="exporter", role=Role.ADMINISTRATOR, is_staff=True)
    return {"grantee": other.pk, "reason": "Yearly report to the rapporteur"}


# Every admin add form of the project: what to type, and the records it makes.
def _a_municipality() -> str:
    municipality, _created = Municipality.objects.get_or_create(
        code="GM8888", defaults={"name": "Opvangdorp"}
    )
    return municipality.pk


ADD_FORMS: dict[str, tuple[Callable[[dict[str, User]], dict[str, Any]], Callable[[], int]]] = {
    "registry.region": (
        lambda users: {"name": "Zeeland", "code": "zeeland", "is_active": "on"},
        lambda: Region.objects.filter(code="zeeland").count(),
    ),
    "registry.reportingorganisation": (
        lambda users: {"name": "Shelter Zuid", "reporter_type": "shelter", "is_active": "on"},
        lambda: ReportingOrganisation.objects.filter(name="Shelter Zuid").count(),
    ),
    "registry.municipality": (
        lambda users: {"code": "GM9999", "name": "Nieuwdorp", "is_active": "on"},
        lambda: Municipality.objects.filter(code="GM9999").count(),
    ),
    "registry.user": (
        lambda users: {
            "username": "new-coordinator",
            "usable_password": "true",
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
            "role": Role.COORDINATOR,
        },
        lambda: User.objects.filter(username="new-coordinator").count(),
    ),
    "auth.group": (
        lambda users: {"name": "Auditors"},
        lambda: Group.objects.filter(name="Auditors").count(),
    ),
    "registry.shelter": (
        lambda users: {
            "name": "COSM Zuid",
            "shelter_type": "cosm",
            "municipality": _a_municipality(),
            "places": "4",
            "is_active": "on",
        },
        lambda: Shelter.objects.filter(name="COSM Zuid").count(),
    ),
    "reports.exportgrant": (
        _grant_data,
        lambda: ExportGrant.objects.count(),
    ),
}


def _add_url(label: str) -> str:
    app, model = label.split(".")
    return f"/admin/{app}/{model}/add/"


def _page_form(client, url: str) -> dict[str, str]:
    """The add page's form as a browser would send it back: its hidden fields and token."""
    page = client.get(url, **EN)
    assert page.status_code == 200
    html = page.content.decode()
    start = html.index('method="post" id=')
    values = form_values(html[start : html.index("</form>", start)])
    assert values.get(once.FIELD, [""])[0], f"{url} has no one-time token"
    return {name: found[0] for name, found in values.items() if found}


def test_every_admin_add_form_is_listed_here(superuser):
    """A new admin that may add is saved once without thinking: it is a SavedOnceAdminMixin,
    and this file tests its form."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    adding = set()
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, SavedOnceAdminMixin), model._meta.label
        if model_admin.has_add_permission(request):
            adding.add(model._meta.label_lower)
    assert adding == set(ADD_FORMS)


@pytest.mark.parametrize("label", sorted(ADD_FORMS))
def test_an_admin_add_form_sent_twice_creates_one_record_and_shows_the_first_result(
    client_for, superuser, label
):
    typed, count = ADD_FORMS[label]
    client = client_for(superuser)
    url = _add_url(label)
    sent = {**_page_form(client, url), **typed({"superuser": superuser})}
    first = client.post(url, sent, **EN)
    assert first.status_code == 302, first.content.decode()[:3000]
    second = client.post(url, sent, **EN)
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert count() == 1
    shown = client.get(second["Location"], **EN).content.decode()
    assert "nothing was saved a second time" in shown


@pytest.mark.parametrize("kind", ["missing", "altered", "another user's"])
@pytest.mark.parametrize("label", sorted(ADD_FORMS))
def test_a_refused_token_on_an_admin_add_form_saves_nothing_and_keeps_what_was_typed(
    client_for, superuser, administrator, label, kind
):
    typed, count = ADD_FORMS[label]
    client = client_for(superuser)
    url = _add_url(label)
    sent = {**_page_form(client, url), **typed({"superuser": superuser})}
    token = sent[once.FIELD]
    sent[once.FIELD] = {
        "missing": "",
        "altered": token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "another user's": once.new_token(administrator),
    }[kind]
    page = client.post(url, sent, **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nothing was saved" in html
    assert count() == 0
    again = {**sent, once.FIELD: _page_form_token(html)}
    assert again[once.FIELD] and again[once.FIELD] != sent[once.FIELD]
    # What was typed is still there (a password is never sent back, as Django does).
    kept = form_values(html[html.index('method="post" id=') :])
    for name, value in sent.items():
        if name not in (once.FIELD, "password1", "password2", "csrfmiddlewaretoken"):
            assert str(value) in kept.get(name, []) or name in ("is_active",), name
    # Sent again with the fresh token, it saves.
    assert client.post(url, again, **EN).status_code == 302
    assert count() == 1


def _page_form_token(html: str) -> str:
    start = html.index('method="post" id=')
    return form_values(html[start : html.index("</form>", start)])[once.FIELD][0]


def _hand_over_page(client, case: Case, to_region: Region) -> dict[str, Any]:
    page = client.post(
        "/admin/registry/case/",
        {"action": "hand_over", "_selected_action": [str(case.pk)]},
        **EN,
    )
    assert page.status_code == 200
    values = form_values(page.content.decode().split("<form", 2)[-1])
    assert values[once.FIELD][0]
    return {
        "action": "hand_over",
        "_selected_action": [str(case.pk)],
        "to_region": to_region.pk,
        "reason": "Moved south",
        "apply": "Apply",
        once.FIELD: values[once.FIELD][0],
    }


def test_the_hand_over_action_sent_twice_requests_one_handover(
    client_for, administrator, region_a, region_b
):
    case = CaseFactory(region=region_a)
    client = client_for(administrator)
    sent = _hand_over_page(client, case, region_b)
    first = client.post("/admin/registry/case/", sent, **EN)
    second = client.post("/admin/registry/case/", sent, **EN)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == "/admin/registry/handover/"
    assert Handover.objects.filter(case=case).count() == 1
    shown = client.get(second["Location"], **EN).content.decode()
    assert "nothing was saved a second time" in shown


def test_the_hand_over_action_with_an_altered_token_requests_nothing(
    client_for, administrator, region_a, region_b
):
    case = CaseFactory(region=region_a)
    client = client_for(administrator)
    sent = {**_hand_over_page(client, case, region_b), once.FIELD: "0123456789"}
    page = client.post("/admin/registry/case/", sent, **EN)
    assert page.status_code == 200
    assert "Nothing was saved" in page.content.decode()
    assert not Handover.objects.filter(case=case).exists()
