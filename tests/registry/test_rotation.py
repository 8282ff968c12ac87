"""Key rotation: from key A to key B, batched and resumable, then A can leave the keyring."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from registry import keyops
from registry.choices import AuditAction
from registry.crypto import generate_key
from registry.models import AuditEvent, Person
from tests.factories import PersonFactory
from tests.jobs import run_jobs
from tests.registry.conftest import plant_everywhere
from tests.registry.test_encryption import raw_column


def run(*args: str) -> str:
    """The command's output; ``rotate_keys`` as an operator runs it with a worker beside it:
    queued, run by the worker's code (tests/jobs.py), then followed to its end."""
    if args[0] == "rotate_keys":
        queued = _run("rotate_keys", "--no-wait", *args[1:])
        assert run_jobs() == 1
        return _run("rotate_keys", "--follow", queued.strip().rsplit("/", 2)[-2])
    return _run(*args)


def _run(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def stored_key_ids() -> set[str]:
    """Key ids of every encrypted value in the database, read around the ORM."""
    ids = set()
    for model, fields in keyops.encrypted_models():
        for row in model._base_manager.values_list(*[f.attname for f in fields]):
            ids |= {token.split(":")[1] for token in row if token is not None}
    return ids


@pytest.mark.django_db
def test_values_written_under_a_move_to_b_and_a_can_be_removed(key_a, key_b):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        plants = plant_everywhere()
    assert stored_key_ids() == {"ka"}

    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        output = run("rotate_keys", "--batch-size", "2")
    assert "Before: ka=" in output
    assert "After:  kb=" in output
    assert "ka=" not in output.split("After:")[1]
    assert stored_key_ids() == {"kb"}

    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b}"):
        output = run("check_encryption")
        assert "Every encrypted value opens" in output
        for plant in plants:
            assert raw_column(plant.model, plant.field.column, plant.pk).startswith("v1:kb:")
            fresh = plant.model._base_manager.get(pk=plant.pk)
            assert getattr(fresh, plant.field.attname) == plant.value, plant.field.name


@pytest.mark.django_db
def test_rotation_is_audited_with_counts_per_key_and_no_values(key_a, key_b):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        PersonFactory(family_name="Popescu", given_names="Ana", phone="+40 712 345 678")
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        run("rotate_keys")

    event = AuditEvent.objects.get(action=AuditAction.ROTATE_KEYS)
    assert event.details["before"] == {"ka": 4}  # the three above and the date of birth
    assert event.details["after"] == {"kb": 4}
    assert event.details["complete"] is True
    assert event.actor == "rotate_keys"
    text = str(event.details)
    assert "Popescu" not in text and "Ana" not in text and "712" not in text


@pytest.mark.django_db
def test_running_rotation_twice_rewrites_nothing_the_second_time(key_a, key_b):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        PersonFactory.create_batch(3)
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        run("rotate_keys")
        tokens = list(Person.objects.values_list("family_name", flat=True))
        second = run("rotate_keys")

        assert "Re-encrypted 0 value(s)" in second
        assert list(Person.objects.values_list("family_name", flat=True)) == tokens


@pytest.mark.django_db
def test_dry_run_counts_and_changes_nothing(key_a, key_b):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        PersonFactory.create_batch(2, phone=None, email=None)
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        output = run("rotate_keys", "--dry-run")

    # Two people with given names, family name and date of birth each.
    assert "Before: ka=6" in output
    assert "6 value(s) would be re-encrypted" in output
    assert stored_key_ids() == {"ka"}
    assert not AuditEvent.objects.filter(action=AuditAction.ROTATE_KEYS).exists()


@pytest.mark.django_db
def test_a_rotation_stopped_after_some_batches_resumes_where_it_stopped(key_a, key_b):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        people = PersonFactory.create_batch(5, phone=None, email=None)

    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        output = run("rotate_keys", "--batch-size", "1", "--max-batches", "2")
    assert "Stopped after 2 batch(es): 9 value(s) are still under an old key" in output
    assert "After:  ka=9 kb=6" in output
    first_two = sorted(p.pk for p in people)[:2]
    for person in Person.objects.all():
        expected = "kb" if person.pk in first_two else "ka"
        assert raw_column(Person, "family_name", person.pk).startswith(f"v1:{expected}:")

    # Removing A now would lose data, and the check says so.
    with (
        override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b}"),
        pytest.raises(CommandError, match="'ka'"),
    ):
        run("check_encryption")

    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        output = run("rotate_keys", "--batch-size", "1")
    assert "Before: ka=9 kb=6" in output
    assert "Re-encrypted 9 value(s) in 3 batch(es)" in output
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b}"):
        run("check_encryption")
        assert sorted(p.family_name for p in Person.objects.all()) == sorted(
            p.family_name for p in people
        )


@pytest.mark.django_db
def test_a_value_that_does_not_open_stops_rotation_and_earlier_batches_stay_done(key_a, key_b):
    lost = generate_key()
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        people = PersonFactory.create_batch(3, phone=None, email=None)
    first, middle, last = sorted(people, key=lambda p: p.pk)
    # The middle person's family name was saved by a server holding a key that is not in the
    # keyring used for the rotation.
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kz:{lost},ka:{key_a}"):
        middle = Person.objects.get(pk=middle.pk)
        middle.family_name = "Ionescu-Zoë"
        middle.save()

    with (
        override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"),
        pytest.raises(CommandError) as excinfo,
    ):
        run("rotate_keys", "--batch-size", "1")
    message = str(excinfo.value)
    assert "'kz'" in message and str(middle.pk) in message and "registry.person." in message
    assert "Ionescu" not in message
    assert raw_column(Person, "given_names", first.pk).startswith("v1:kb:")
    assert raw_column(Person, "family_name", middle.pk).startswith("v1:kz:")
    assert raw_column(Person, "given_names", last.pk).startswith("v1:ka:")

    # With the missing key back in the keyring the next run finishes the job.
    keyring = f"kb:{key_b},ka:{key_a},kz:{lost}"
    with override_settings(REGISTRY_ENCRYPTION_KEYS=keyring):
        run("rotate_keys", "--batch-size", "1")
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b}"):
        run("check_encryption")
        assert Person.objects.get(pk=middle.pk).family_name == "Ionescu-Zoë"


@pytest.mark.django_db
def test_a_value_saved_by_the_application_during_rotation_is_not_overwritten(
    key_a, key_b, monkeypatch
):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        person = PersonFactory(family_name="Popescu", phone=None, email=None)

    reseal = keyops._reseal_batch

    def reseal_while_a_coordinator_saves(*args, **kwargs):
        updates = reseal(*args, **kwargs)
        # Between the rotation's read and its write, the application saves a correction.
        corrected = Person.objects.get(pk=person.pk)
        corrected.family_name = "Popescu-Marin"
        corrected.save()
        return updates

    monkeypatch.setattr(keyops, "_reseal_batch", reseal_while_a_coordinator_saves)
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        output = run("rotate_keys")
        assert "3 value(s) were saved by the application during the run" in output
        assert Person.objects.get(pk=person.pk).family_name == "Popescu-Marin"
        run("check_encryption")
    assert stored_key_ids() == {"kb"}


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_a_bad_batch_size_is_a_clear_error(value):
    with pytest.raises(CommandError, match="batch-size"):
        run("rotate_keys", "--batch-size", value)


@pytest.mark.django_db
def test_rotation_lists_only_the_fields_that_hold_values(key_a, key_b):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        PersonFactory(phone=None, email=None)
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        output = run("rotate_keys")

    assert "registry.person.family_name: before ka=1; after kb=1" in output
    assert "registry.person.phone" not in output
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        second = run("rotate_keys")
    assert "registry.person.family_name: before kb=1; after kb=1" in second
