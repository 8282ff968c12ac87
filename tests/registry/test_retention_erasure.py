"""Erasure on request (issue 17, item 2): one administrator asks with a reason, a second
confirms, and the same erasure as retention runs at once, audited with the reason's code and
counts, never a value; the others stay intact. Foreign ids and tampered fields are refused."""

from __future__ import annotations

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from registry import erasure
from registry.choices import AuditAction, Role
from registry.keyops import encrypted_models
from registry.models import AuditEvent, ErasureRequest, Person, Registration
from tests.factories import (
    CaseFactory,
    CaseNoteFactory,
    HandoverFactory,
    PersonFactory,
    PlacementFactory,
    RegistrationFactory,
    SubmissionAdditionFactory,
    UserFactory,
)
from tests.registry.test_retention import FREE_TEXT, database_snapshot, raw_person, traces

pytestmark = pytest.mark.django_db

# Encrypted fields that hold nothing about a victim, so erasure of a person leaves them: why.
NOT_ABOUT_A_PERSON = {
    # why an administrator asked to export; about the export, and the grant's history stays
    "reports.exportgrant.reason",
    # a fixed constant that proves the keys (registry/canary.py)
    "registry.keycanary.sealed",
    # an import's upload or an export's file: deleted when the job ends or within
    # REGISTRY_JOB_FILE_HOURS (abandon_stale_jobs); docs/security.md says so
    "registry.jobfile.content",
    # a form being typed, owned by its user: deleted on save and after a day (the retention
    # schedule's "drafts" rule and prune_drafts), not linked to a person until it is saved
    "registry.formdraft.payload",
    # the keys that wrap every person's data key, sealed by the keyring; erasing a person
    # shreds their own data key (registry.models.keys.PersonKey), not these
    "registry.wrappingkey.key",
}


def test_every_encrypted_field_is_erased_or_named_as_not_about_a_person():
    """A new model with encrypted fields must be added to erasure.targets() or named here."""
    erased = {f"{t.label}.{name}" for t in erasure.targets() for name in t.fields}
    deleted = {t.label for t in erasure.targets() if not t.fields}
    for model, fields in encrypted_models():
        for field in fields:
            name = f"{model._meta.label_lower}.{field.name}"
            assert (
                name in erased or model._meta.label_lower in deleted or name in NOT_ABOUT_A_PERSON
            ), f"{name} is encrypted: erase it (registry/erasure.py targets) or say why not"


def _victim(region, other_region, author, family_name):
    person = PersonFactory(family_name=family_name, notes=FREE_TEXT, phone="+31 6 1234 5678")
    registration = RegistrationFactory(person=person, region=region)
    registration.triage_note = FREE_TEXT
    registration.save()
    SubmissionAdditionFactory(registration=registration, author=author, text=FREE_TEXT)
    case = CaseFactory(person=person, region=region, notes=FREE_TEXT, care_location=FREE_TEXT)
    CaseNoteFactory(case=case, author=author, text=FREE_TEXT)
    HandoverFactory(case=case, to_region=other_region, requested_by=author, reason=FREE_TEXT)
    PlacementFactory(case=case, placed_by=author, reason=FREE_TEXT)
    return person


@pytest.fixture
def second_admin(db):
    return UserFactory(username="admin-2", role=Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def victims(region_a, region_b, administrator):
    return [_victim(region_a, region_b, administrator, name) for name in ("Erasedfam", "Keptfam")]


def _rows_of(person) -> dict:
    """Everything of ``person`` in the raw database (their row and their traces)."""
    return {"person": raw_person(person.pk), **traces(person)}


def test_erasing_one_person_leaves_the_others_intact(victims, administrator):
    gone, kept = victims
    kept_before = _rows_of(kept)
    counts = erasure.erase_person(gone, actor=administrator, reason="subject_request")
    assert counts["registry.person"] == 1 and counts["registry.casenote"] == 1
    assert counts["registry.personsearchtoken"] > 0
    row = raw_person(gone.pk)
    assert row["family_name"] is None and row["bi_family_name"] is None and row["gender"]
    assert traces(gone) == dict.fromkeys(traces(gone), 0)
    assert _rows_of(kept) == kept_before
    # The instance in hand no longer shows the values either.
    assert gone.family_name is None


def test_erasing_twice_changes_nothing_the_second_time(victims, administrator):
    erasure.erase_person(victims[0], actor=administrator, reason="subject_request")
    snapshot = database_snapshot()
    again = erasure.erase_person(victims[0], actor=None, reason="subject_request", audit=False)
    assert set(again.values()) == {0}
    assert database_snapshot() == snapshot


# --- The pages: request, confirm, cancel -----------------------------------------------------


def _request(client, person, reason="subject_request", **extra):
    return client.post(
        f"/people/{person.pk}/erase/",
        {"reason": reason, "checked": "on", **extra},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_one_administrator_asks_and_a_second_confirms(
    victims, administrator, second_admin, client_for
):
    gone, kept = victims
    kept_before = _rows_of(kept)
    first = client_for(administrator)
    page = first.get(f"/people/{gone.pk}/erase/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "cannot be undone" in page.text
    response = _request(first, gone)
    assert response.status_code == 302 and response["Location"] == "/privacy/"
    asked = ErasureRequest.objects.get(person=gone)
    assert asked.status == ErasureRequest.Status.PENDING
    # Nothing erased until the second administrator confirms.
    assert raw_person(gone.pk)["family_name"] is not None

    second = client_for(second_admin)
    listing = second.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Confirm and erase now" in listing.text
    response = second.post(f"/privacy/erasure/{asked.pk}/confirm/")
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == ErasureRequest.Status.ERASED and asked.decided_by == second_admin
    assert raw_person(gone.pk)["family_name"] is None
    assert traces(gone) == dict.fromkeys(traces(gone), 0)
    assert _rows_of(kept) == kept_before

    events = AuditEvent.objects.filter(action=AuditAction.ERASE, object_id=str(gone.pk))
    steps = {e.details.get("step", "erased"): e for e in events}
    assert set(steps) == {"requested", "erased"}
    assert steps["erased"].actor_id == second_admin.pk
    assert steps["erased"].details["reason"] == "subject_request"
    assert steps["erased"].details["erased"]["registry.person"] == 1
    # The data key is shredded too: a copy of the data taken before cannot give it back.
    from registry.models.keys import PersonKey, is_erased

    assert steps["erased"].details["erased"]["registry.personkey"] == 1
    assert PersonKey.objects.get(person_id=gone.pk).wrapped is None
    assert is_erased(gone) and not is_erased(kept)
    for event in events:
        text = str(event.details)
        assert "Erasedfam" not in text and FREE_TEXT not in text


def test_the_administrator_who_asked_cannot_confirm(victims, administrator, client_for):
    gone = victims[0]
    client = client_for(administrator)
    _request(client, gone)
    asked = ErasureRequest.objects.get(person=gone)
    listing = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Your request: another administrator confirms." in listing.text
    assert f"/privacy/erasure/{asked.pk}/confirm/" not in listing.text
    response = client.post(f"/privacy/erasure/{asked.pk}/confirm/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    followed = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "a second administrator must confirm it. Nothing was erased." in followed.text
    asked.refresh_from_db()
    assert asked.status == ErasureRequest.Status.PENDING and asked.decided_by is None
    assert raw_person(gone.pk)["family_name"] is not None


def test_the_database_refuses_a_confirmation_by_the_one_who_asked(victims, administrator):
    asked = ErasureRequest.objects.create(
        person=victims[0], reason="subject_request", requested_by=administrator
    )
    asked.status, asked.decided_by, asked.decided_at = "erased", administrator, timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        asked.save()


def test_a_cancelled_request_cannot_be_confirmed_after(
    victims, administrator, second_admin, client_for
):
    gone = victims[0]
    _request(client_for(administrator), gone)
    asked = ErasureRequest.objects.get(person=gone)
    second = client_for(second_admin)
    assert second.post(f"/privacy/erasure/{asked.pk}/cancel/").status_code == 302
    assert second.post(f"/privacy/erasure/{asked.pk}/confirm/").status_code == 302
    asked.refresh_from_db()
    assert asked.status == ErasureRequest.Status.CANCELLED
    assert raw_person(gone.pk)["family_name"] is not None


def test_foreign_ids_and_tampered_fields_are_refused(
    victims, administrator, second_admin, coordinator_a, client_for
):
    gone = victims[0]
    admin = client_for(administrator)
    snapshot = database_snapshot()
    nobody = uuid.uuid4()
    assert (
        admin.post(
            f"/people/{nobody}/erase/", {"reason": "subject_request", "checked": "on"}
        ).status_code
        == 404
    )
    assert admin.post(f"/privacy/erasure/{nobody}/confirm/").status_code == 404
    # A reason that is not one of the codes, and the box left unticked: the form again.
    page = _request(admin, gone, reason="because-i-said-so")
    assert page.status_code == 200 and "Select a valid choice" in page.text
    page = admin.post(f"/people/{gone.pk}/erase/", {"reason": "subject_request"})
    assert page.status_code == 200
    # A tampered or missing one-time token: nothing saved, the form shown again.
    page = admin.post(
        f"/people/{gone.pk}/erase/",
        {"reason": "subject_request", "checked": "on", "once_token": "tampered"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200 and "Nothing was saved" in page.text
    # Fields the form does not have (who asked, the status) are ignored.
    _request(admin, gone, requested_by=str(second_admin.pk), status="erased")
    asked = ErasureRequest.objects.get(person=gone)
    assert asked.requested_by == administrator and asked.status == "pending"
    # A step that is not one, and a coordinator: refused.
    assert client_for(second_admin).post(f"/privacy/erasure/{asked.pk}/erase/").status_code == 404
    coordinator = client_for(coordinator_a)
    assert coordinator.post(f"/privacy/erasure/{asked.pk}/confirm/").status_code == 403
    assert _request(coordinator, gone).status_code == 403
    assert ErasureRequest.objects.count() == 1
    assert raw_person(gone.pk)["family_name"] is not None
    assert snapshot[Person._meta.db_table] == database_snapshot()[Person._meta.db_table]


def test_a_second_request_for_the_same_person_is_not_made(
    victims, administrator, second_admin, client_for
):
    gone = victims[0]
    _request(client_for(administrator), gone)
    other = client_for(second_admin)
    page = other.get(f"/people/{gone.pk}/erase/", HTTP_ACCEPT_LANGUAGE="en")
    assert "already requested" in page.text
    _request(other, gone)
    assert ErasureRequest.objects.filter(person=gone).count() == 1


def test_the_person_page_offers_erasure_to_administrators_only(
    victims, administrator, coordinator_a, client_for
):
    person = victims[0]
    assert (
        f"/people/{person.pk}/erase/"
        in client_for(administrator).get(person.get_absolute_url()).text
    )
    page = client_for(coordinator_a).get(person.get_absolute_url())
    assert page.status_code == 200 and f"/people/{person.pk}/erase/" not in page.text


def test_the_privacy_page_shows_the_schedule_and_what_is_due(administrator, client_for):
    page = client_for(administrator).get("/privacy/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    for words in ("Rejected submission", "90 days", "5 years", "Audit trail"):
        assert words in page.text
    assert Registration.objects.count() == 0  # the page counted, and changed nothing
