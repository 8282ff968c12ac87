"""for_user is the one place access is decided: each role sees exactly what DESIGN.md allows."""

from __future__ import annotations

import pytest

from registry.choices import SubmissionStatus
from registry.models import AuditEvent, Case, Handover, Person, Registration
from tests.factories import CaseFactory, PersonFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles, region_a, region_b, region_c, reporter):
    """One person with a registration and a case in each region, plus a pending submission."""
    data = {}
    for key, region in {"a": region_a, "b": region_b, "c": region_c}.items():
        person = PersonFactory()
        registration = RegistrationFactory(person=person, region=region)
        case = CaseFactory(person=person, region=region, registration=registration)
        data[key] = {"person": person, "registration": registration, "case": case}
    submitted = RegistrationFactory(
        region=region_a, status=SubmissionStatus.SUBMITTED, submitted_by=reporter
    )
    data["submitted"] = submitted
    # Region A's case is worked by coordinator A; region C has no coordinator (help desk).
    data["a"]["case"].coordinator = roles["coordinator_a"]
    data["a"]["case"].save()
    return data


def _ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_coordinator_sees_only_people_cases_and_registrations_of_own_region(world, coordinator_a):
    """And never an untriaged submission, not even one reported in their own region."""
    a = world["a"]
    assert _ids(Case.objects.for_user(coordinator_a)) == {a["case"].pk}
    assert _ids(Person.objects.for_user(coordinator_a)) == {a["person"].pk}
    assert _ids(Registration.objects.for_user(coordinator_a)) == {a["registration"].pk}


def test_untriaged_submissions_are_the_help_desks_alone(world, coordinator_a, helpdesk):
    submitted = world["submitted"]
    assert submitted.region_id in coordinator_a.region_ids
    assert not Registration.objects.for_user(coordinator_a).filter(pk=submitted.pk).exists()
    assert not Person.objects.for_user(coordinator_a).filter(pk=submitted.person_id).exists()
    assert Registration.objects.for_user(helpdesk).filter(pk=submitted.pk).exists()
    assert Person.objects.for_user(helpdesk).filter(pk=submitted.person_id).exists()


def test_a_person_follows_their_case_to_another_region(world, coordinator_a, coordinator_b):
    """Moved A -> B: B sees the person and every registration; A sees nothing of them."""
    a = world["a"]
    later = RegistrationFactory(person=a["person"], region=a["case"].region)
    case = a["case"]
    case.region = world["b"]["case"].region
    case.save()
    for model, pks in (
        (Case, {case.pk}),
        (Person, {a["person"].pk}),
        (Registration, {a["registration"].pk, later.pk}),
    ):
        assert not (_ids(model.objects.for_user(coordinator_a)) & pks), model
        assert pks <= _ids(model.objects.for_user(coordinator_b)), model


def test_a_registration_without_a_case_waits_for_its_regions_coordinator(
    region_a, coordinator_a, coordinator_b, helpdesk
):
    """Accepted, routed to region A, no case (yet): region A's coordinator must act on it."""
    waiting = RegistrationFactory(region=region_a)
    assert Registration.objects.for_user(coordinator_a).filter(pk=waiting.pk).exists()
    assert Person.objects.for_user(coordinator_a).filter(pk=waiting.person_id).exists()
    for other in (coordinator_b, helpdesk):
        assert not Registration.objects.for_user(other).filter(pk=waiting.pk).exists()
        assert not Person.objects.for_user(other).filter(pk=waiting.person_id).exists()


def test_coordinator_b_sees_nothing_of_region_a(world, coordinator_b):
    b = world["b"]
    assert _ids(Case.objects.for_user(coordinator_b)) == {b["case"].pk}
    assert _ids(Person.objects.for_user(coordinator_b)) == {b["person"].pk}
    assert _ids(Registration.objects.for_user(coordinator_b)) == {b["registration"].pk}


def test_helpdesk_sees_cases_it_coordinates_and_the_triage_queue(world, helpdesk):
    # Region B's case has no coordinator assigned yet: the help desk coordinates it too.
    assert _ids(Case.objects.for_user(helpdesk)) == {world["b"]["case"].pk, world["c"]["case"].pk}
    registrations = _ids(Registration.objects.for_user(helpdesk))
    assert world["submitted"].pk in registrations
    assert world["c"]["registration"].pk in registrations
    assert world["a"]["registration"].pk not in registrations
    assert world["a"]["person"].pk not in _ids(Person.objects.for_user(helpdesk))


def test_administrator_sees_everything(world, administrator):
    assert Case.objects.for_user(administrator).count() == 3
    assert Registration.objects.for_user(administrator).count() == 4
    assert Person.objects.for_user(administrator).count() == 4


def test_reporter_sees_own_submissions_but_no_person_or_case(world, reporter):
    assert _ids(Registration.objects.for_user(reporter)) == {world["submitted"].pk}
    assert not Person.objects.for_user(reporter).exists()
    assert not Case.objects.for_user(reporter).exists()
    assert not AuditEvent.objects.for_user(reporter).exists()


def test_anonymous_and_inactive_users_see_nothing(world, coordinator_a):
    from django.contrib.auth.models import AnonymousUser

    for user in (None, AnonymousUser()):
        assert not Person.objects.for_user(user).exists()
        assert not Case.objects.for_user(user).exists()
        assert not Registration.objects.for_user(user).exists()
    coordinator_a.is_active = False
    coordinator_a.save()
    assert not Case.objects.for_user(coordinator_a).exists()


def test_handovers_are_visible_to_both_regions_only(world, coordinator_a, coordinator_b, roles):
    from tests.factories import RegionFactory

    region_d = RegionFactory(code="region-d")
    handover = Handover.objects.create(
        case=world["a"]["case"],
        from_region=world["a"]["case"].region,
        to_region=world["b"]["case"].region,
        requested_by=coordinator_a,
    )
    assert _ids(Handover.objects.for_user(coordinator_a)) == {handover.pk}
    assert _ids(Handover.objects.for_user(coordinator_b)) == {handover.pk}
    outsider = roles["coordinator_b"]
    outsider.regions.set([region_d])
    del outsider.region_ids
    assert not Handover.objects.for_user(outsider).exists()


def test_only_administrators_read_the_audit_trail(world, roles):
    AuditEvent.record("create", user=roles["helpdesk"], obj=world["a"]["case"])
    assert AuditEvent.objects.for_user(roles["administrator"]).exists()
    for name in ("coordinator_a", "helpdesk", "reporter"):
        assert not AuditEvent.objects.for_user(roles[name]).exists()


@pytest.mark.parametrize(
    ("model", "path"),
    [
        ("case", "registry/case/"),
        ("person", "registry/person/"),
        ("registration", "registry/registration/"),
    ],
)
def test_admin_changelist_shows_a_coordinator_only_their_region(
    world, client_for, coordinator_a, model, path
):
    response = client_for(coordinator_a).get(f"/admin/{path}")
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    expected = {
        "case": {world["a"]["case"].pk},
        "person": {world["a"]["person"].pk},
        "registration": {world["a"]["registration"].pk},
    }[model]
    assert shown == expected


def test_admin_does_not_open_a_case_of_another_region(world, client_for, coordinator_b):
    url = f"/admin/registry/case/{world['a']['case'].pk}/change/"
    response = client_for(coordinator_b).get(url)
    assert response.status_code in (302, 404)
    assert str(world["a"]["case"].pk) not in response.content.decode()
    if response.status_code == 302:
        assert response.url != url


def test_reporter_and_helpdesk_have_no_admin(world, client_for, reporter, helpdesk):
    for user in (reporter, helpdesk):
        response = client_for(user).get("/admin/registry/person/")
        assert response.status_code in (302, 403)


def test_whoever_sees_a_case_sees_its_whole_handover_history(world, roles, region_b, region_c):
    """A case that came from region C to region A, and then to region B: B sees both hops."""
    case = world["a"]["case"]
    earlier = Handover.objects.create(
        case=case,
        from_region=region_c,
        to_region=case.region,
        requested_by=roles["helpdesk"],
        status="accepted",
    )
    later = Handover.objects.create(
        case=case,
        from_region=case.region,
        to_region=region_b,
        requested_by=roles["coordinator_a"],
        status="accepted",
    )
    case.region = region_b
    case.save()
    assert _ids(Handover.objects.for_user(roles["coordinator_b"])) >= {earlier.pk, later.pk}
    # Coordinator A keeps seeing both hops: each touches region A.
    assert _ids(Handover.objects.for_user(roles["coordinator_a"])) == {earlier.pk, later.pk}
