"""The admin cannot be turned against its scope (issue 10, item 3).

Observed: coordinator B re-posted the admin change page of one of B's own cases with
``person=<a person known only to Amsterdam>``, an Amsterdam ``registration`` and
``region=<Amsterdam>``, and the admin accepted all three; the coordinator select listed every
account. This file walks every registered ModelAdmin and every foreign-key and many-to-many
field of its model, posts an id outside coordinator B's scope, and finds the post refused and
the database unchanged.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from registry.choices import CaseStatus, SubmissionStatus
from registry.models import Case, Person, User
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

# Lists anyone on the staff may pick from: they have no for_user, and no id is outside the
# scope (a foreign id is then one that does not exist). Anything else must have for_user.
REFERENCE_LISTS = {
    "registry.region",
    "registry.reportingorganisation",
    "registry.municipality",
    "registry.formofexploitation",
    "registry.meansofcontrol",
    "auth.group",
    "auth.permission",
}


def _request(user: User) -> Any:
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _visible(model: type[models.Model], user: User) -> models.QuerySet:
    """What ``user`` may see of ``model``, by the access rules (not by the admin's code)."""
    queryset = model._default_manager.all()
    if hasattr(queryset, "for_user"):
        return queryset.for_user(user)
    assert model._meta.label_lower in REFERENCE_LISTS, (
        f"{model._meta.label} is offered in an admin form but has no for_user: add one, or "
        "list it here as a reference list open to all staff"
    )
    return queryset


def _foreign_pk(model: type[models.Model], user: User) -> Any:
    """An id outside ``user``'s scope: an existing object they may not see, else none at all."""
    outside = model._default_manager.exclude(pk__in=_visible(model, user).values("pk")).first()
    if outside is not None:
        return outside.pk
    pk = model._meta.pk
    if isinstance(pk, models.UUIDField):
        return uuid.uuid4()
    if isinstance(pk, models.CharField):
        return "no-such-code"
    return 987654321


def _relations(model: type[models.Model]) -> list[Any]:
    return [
        f
        for f in model._meta.get_fields()
        if f.concrete and f.is_relation and (f.many_to_one or f.many_to_many)
    ]


def _snapshot(obj: models.Model) -> dict[str, Any]:
    """Every stored value of ``obj`` (decrypted), its many-to-many ids, not its timestamps."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    values = {}
    for field in fresh._meta.concrete_fields:
        if getattr(field, "auto_now", False):
            continue
        values[field.attname] = getattr(fresh, field.attname)
    for field in fresh._meta.many_to_many:
        values[field.name] = sorted(
            str(pk) for pk in getattr(fresh, field.name).values_list("pk", flat=True)
        )
    return values


def _as_post(value: Any) -> Any:
    if value is None or value is False:
        return ""
    if value is True:
        return "on"
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _post_data(response: Any) -> dict[str, Any]:
    """What the change page's form would post back unchanged, inline formsets included."""
    data: dict[str, Any] = {"_save": "Save"}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value not in (None, False, "", []):
            data[form.add_prefix(name)] = _as_post(value)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = _as_post(management[name].value())
        for inline_form in formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value not in (None, False, "", []):
                    data[inline_form.add_prefix(name)] = _as_post(value)
    return data


@pytest.fixture
def b_world(casework_world, matrix_objects, reporter, region_b, municipalities):
    """Coordinator B's own records beside region A's (matrix_objects), and an untriaged
    submission in region B."""
    case_b = casework_world.case_b
    submitted = RegistrationFactory(
        region=region_b, status=SubmissionStatus.SUBMITTED, submitted_by=reporter
    )
    return {
        "registry.case": case_b,
        "registry.person": case_b.person,
        "registry.registration": case_b.registration,
        "intake.registrationimport": case_b.registration,
        "reports.personalexport": case_b.registration,
        "submitted": submitted,
        "region_a": matrix_objects,
    }


def _admins() -> list[tuple[str, Any]]:
    return sorted(
        (model._meta.label_lower, model_admin)
        for model, model_admin in admin.site._registry.items()
    )


@pytest.mark.parametrize("label", [label for label, _ in _admins()])
def test_every_relation_of_every_admin_form_refuses_an_id_outside_coordinator_bs_scope(
    label, b_world, client_for, coordinator_b, matrix_objects
):
    model_admin = dict(_admins())[label]
    model = model_admin.model
    client = client_for(coordinator_b)
    request = _request(coordinator_b)
    own = b_world.get(label)
    may_change = own is not None and model_admin.has_change_permission(request, own)
    target = own if may_change else matrix_objects.get(model._meta.model_name)
    if target is None:
        target = model._default_manager.first()
    if target is None:
        pytest.skip(f"no {label} to post to")
    url = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[target.pk]
    )
    before = _snapshot(target)
    page = client.get(url)

    if not may_change:
        # Not B's to change: the page refuses, and so does a post of every forged relation.
        forged = {
            f.name: _as_post(_foreign_pk(f.related_model, coordinator_b)) for f in _relations(model)
        }
        assert (
            page.status_code in (302, 403, 404)
            or "adminform" not in page.context
            or not page.context["has_change_permission"]
        ), url
        response = client.post(url, {**forged, "_save": "Save"})
        assert response.status_code in (302, 403, 404), url
        assert _snapshot(target) == before
        return

    assert page.status_code == 200, url
    form = page.context["adminform"].form
    base = _post_data(page)
    tried = []
    for field in _relations(model):
        visible = _visible(field.related_model, coordinator_b)
        if field.name in form.fields:
            offered = set(form.fields[field.name].queryset.values_list("pk", flat=True))
            assert offered <= set(visible.values_list("pk", flat=True)), field.name
        foreign = _foreign_pk(field.related_model, coordinator_b)
        data = dict(base)
        data[form.add_prefix(field.name)] = [str(foreign)] if field.many_to_many else str(foreign)
        response = client.post(url, data)
        if field.name in form.fields:
            assert response.status_code == 200, f"{label}.{field.name}: accepted"
            assert field.name in response.context["adminform"].form.errors, field.name
        else:
            assert response.status_code in (200, 302), field.name
        assert _snapshot(target) == before, f"{label}.{field.name} changed"
        tried.append(field.name)
    assert tried or not _relations(model)


def test_the_observed_attack_on_bs_own_case_changes_nothing(
    casework_world, client_for, coordinator_b, coordinator_a, region_a
):
    """person, registration and region of an Amsterdam record, coordinator A: refused."""
    case = casework_world.case_b
    client = client_for(coordinator_b)
    url = f"/admin/registry/case/{case.pk}/change/"
    page = client.get(url)
    data = _post_data(page)
    data.update(
        {
            "person": str(casework_world.person_a.pk),
            "registration": str(casework_world.registration_a.pk),
            "region": str(region_a.pk),
        }
    )
    client.post(url, data)
    case.refresh_from_db()
    assert (case.person_id, case.registration_id, case.region_id) == (
        casework_world.person_b.pk,
        casework_world.case_b.registration_id,
        casework_world.case_b.region_id,
    )
    assert not Person.objects.for_user(coordinator_b).filter(pk=casework_world.person_a.pk).exists()
    response = client.post(url, {**data, "coordinator": str(coordinator_a.pk)})
    assert response.status_code == 200
    assert "coordinator" in response.context["adminform"].form.errors
    case.refresh_from_db()
    assert case.coordinator_id is None


def test_the_coordinator_select_offers_only_the_regions_active_coordinators(
    casework_world, client_for, coordinator_b, roles
):
    page = client_for(coordinator_b).get(f"/admin/registry/case/{casework_world.case_b.pk}/change/")
    offered = set(page.context["adminform"].form.fields["coordinator"].queryset)
    assert offered == {coordinator_b}
    for name in ("reporter", "helpdesk", "administrator", "coordinator_a"):
        assert roles[name] not in offered


def test_coordinators_neither_read_nor_accept_untriaged_submissions_in_the_admin(
    b_world, client_for, coordinator_b
):
    submitted = b_world["submitted"]
    client = client_for(coordinator_b)
    url = f"/admin/registry/registration/{submitted.pk}/change/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "accepted", "_save": "Save"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.SUBMITTED
    listing = client.get("/admin/registry/registration/")
    assert submitted.number not in listing.text


def test_status_consent_and_reporter_type_change_only_through_triage(
    casework_world, client_for, coordinator_b
):
    registration = casework_world.case_b.registration
    client = client_for(coordinator_b)
    url = f"/admin/registry/registration/{registration.pk}/change/"
    page = client.get(url)
    data = _post_data(page)
    for field in ("status", "consent_registration", "consent_care", "reporter_type"):
        assert field not in page.context["adminform"].form.fields
    data.update({"status": "rejected", "consent_care": "", "reporter_type": "self_report"})
    client.post(url, data)
    registration.refresh_from_db()
    assert registration.status == SubmissionStatus.ACCEPTED
    assert registration.reporter_type == "police"


def test_the_case_rules_hold_in_the_admin_as_in_the_workspace(
    casework_world, client_for, coordinator_a
):
    """Who decided the victim status; a Dublin case needs its reflection start; the workflow."""
    case = casework_world.case_a
    client = client_for(coordinator_a)
    url = f"/admin/registry/case/{case.pk}/change/"
    data = _post_data(client.get(url))
    for changes, field in (
        (
            {"victim_status": "confirmed", "victim_status_decided_by": ""},
            "victim_status_decided_by",
        ),
        ({"is_dublin": "on", "reflection_start": ""}, "reflection_start"),
        ({"status": CaseStatus.REOPENED}, "status"),
        ({"status": CaseStatus.CLOSED, "closed_reason": ""}, "closed_reason"),
    ):
        response = client.post(url, {**data, **changes})
        assert response.status_code == 200, changes
        assert field in response.context["adminform"].form.errors, changes
        case.refresh_from_db()
        assert case.status == CaseStatus.NEW and not case.is_dublin


def test_case_clean_is_the_one_rule_for_both_forms(casework_world, coordinator_b):
    from django.core.exceptions import ValidationError

    case = Case.objects.get(pk=casework_world.case_a.pk)
    case.coordinator = coordinator_b
    case.victim_status = "not_a_victim"
    with pytest.raises(ValidationError) as excinfo:
        case.full_clean()
    assert {"coordinator", "victim_status_decided_by"} <= set(excinfo.value.message_dict)


def test_the_admin_applies_the_rules_of_a_registration_record(
    casework_world, client_for, coordinator_a
):
    """Sector and forms, and the exploitation period, as the intake forms and the import."""
    registration = casework_world.registration_a
    client = client_for(coordinator_a)
    url = f"/admin/registry/registration/{registration.pk}/change/"
    data = _post_data(client.get(url))
    for changes, field in (
        ({"exploitation_forms": ["labour"], "sector": "window"}, "sector"),
        (
            {"exploitation_start": "2024-05-01", "exploitation_end": "2024-01-01"},
            "exploitation_end",
        ),
    ):
        response = client.post(url, {**data, **changes})
        assert response.status_code == 200, changes
        assert field in response.context["adminform"].form.errors, changes
    registration.refresh_from_db()
    assert registration.sector == "" and registration.exploitation_end is None
