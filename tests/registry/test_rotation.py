"""Key rotation: from key A to key B, batched and resumable, then A can leave the keyring.

The persons' values are under their own data keys (registry.models.keys): a rotation re-seals
the wrapping keys of those data keys and the few values under the keyring itself (the
canary, job files, export reasons), and leaves every person's value as it is."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from registry import keyops
from registry.choices import AuditAction
from registry.crypto import generate_key
from registry.models import AuditEvent, KeyCanary, Person, WrappingKey
from tests.factories import KeyCanaryFactory, PersonFactory
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
    """Key ids of every value under the keyring in the database, read around the ORM."""
    ids = set()
    for model, fields in keyops.encrypted_models(keyring_only=True):
        for row in model._base_manager.values_list(*[f.attname for f in fields]):
            ids |= {token.split(":")[1] for token in row if token is not None}
    return ids


def person_tokens() -> dict:
    """Every person-keyed value as stored (the tokens), by model, row and field."""
    found = {}
    for model, fields in keyops.encrypted_models():
        mine = [f for f in fields if f.person_key]
        for row in model._base_manager.values_list("pk", *[f.attname for f in mine]):
            for f, token in zip(mine, row[1:], strict=True):
                if token is not None:
                    found[model._meta.label_lower, row[0], f.name] = token
    return found


@pytest.mark.django_db
def test_values_written_under_a_move_to_b_and_a_can_be_removed(key_a, key_b):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        plants = plant_everywhere()
    assert stored_key_ids() == {"ka"}
    before = person_tokens()
    assert before and all(token.startswith("d1:") for token in before.values())

    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        output = run("rotate_keys", "--batch-size", "2")
    assert "Before: ka=" in output
    assert "After:  kb=" in output
    assert "ka=" not in output.split("After:")[1]
    assert stored_key_ids() == {"kb"}
    # The persons' values were not re-encrypted: their data keys were rewrapped instead.
    assert person_tokens() == before

    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b}"):
        output = run("check_encryption")
        assert "Every encrypted value opens" in output
        for plant in plants:
            if not plant.field.person_key:
                raw = raw_column(plant.model, plant.field.column, plant.pk)
                assert raw.startswith("v1:kb:")
            fresh = plant.model._base_manager.get(pk=plant.pk)
            assert getattr(fresh, plant.field.attname) == plant.value, plant.field.name


@pytest.mark.django_db
def test_a_person_added_after_a_rotation_gets_a_data_key_under_a_new_wrapping_key(key_a, key_b):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        PersonFactory()
    (old,) = WrappingKey.objects.all()
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        run("rotate_keys")
        newer = PersonFactory(family_name="Ionescu")
    assert WrappingKey.objects.count() == 2
    from registry.models import PersonKey

    assert PersonKey.objects.get(person_id=newer.pk).wrapping_key_id != old.pk
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b}"):
        assert Person.objects.get(pk=newer.pk).family_name == "Ionescu"


@pytest.mark.django_db
def test_rotation_is_audited_with_counts_per_key_and_no_values(key_a, key_b):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        PersonFactory(family_name="Popescu", given_names="Ana", phone="+40 712 345 678")
        KeyCanaryFactory(sealed="canary")
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        run("rotate_keys")

    event = AuditEvent.objects.get(action=AuditAction.ROTATE_KEYS)
    assert event.details["before"] == {"ka": 2}  # the wrapping key and the canary
    assert event.details["after"] == {"kb": 2}
    assert event.details["complete"] is True
    assert event.actor == "rotate_keys"
    text = str(event.details)
    assert "Popescu" not in text and "Ana" not in text and "712" not in text


@pytest.mark.django_db
def test_running_rotation_twice_rewrites_nothing_the_second_time(key_a, key_b):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        PersonFactory.create_batch(3)
        KeyCanaryFactory.create_batch(2)
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        run("rotate_keys")
        tokens = list(KeyCanary.objects.values_list("sealed", flat=True))
        wrapping = list(WrappingKey.objects.values_list("key", flat=True))
        second = run("rotate_keys")

        assert "Re-encrypted 0 value(s)" in second
        assert list(KeyCanary.objects.values_list("sealed", flat=True)) == tokens
        assert list(WrappingKey.objects.values_list("key", flat=True)) == wrapping


@pytest.mark.django_db
def test_dry_run_counts_and_changes_nothing(key_a, key_b):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        PersonFactory.create_batch(2, phone=None, email=None)
        KeyCanaryFactory.create_batch(2)
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        output = run("rotate_keys", "--dry-run")

    # Two canaries and the one wrapping key of the two persons' data keys.
    assert "Before: ka=3" in output
    assert "3 value(s) would be re-encrypted" in output
    assert stored_key_ids() == {"ka"}
    assert WrappingKey.objects.count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.ROTATE_KEYS).exists()


@pytest.mark.django_db
def test_a_rotation_stopped_after_some_batches_resumes_where_it_stopped(key_a, key_b):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        canaries = KeyCanaryFactory.create_batch(5, sealed="canary")

    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        output = run("rotate_keys", "--batch-size", "1", "--max-batches", "2")
    assert "Stopped after 2 batch(es): 3 value(s) are still under an old key" in output
    assert "After:  ka=3 kb=2" in output
    first_two = sorted(c.pk for c in canaries)[:2]
    for canary in KeyCanary.objects.all():
        expected = "kb" if canary.pk in first_two else "ka"
        assert raw_column(KeyCanary, "sealed", canary.pk).startswith(f"v1:{expected}:")

    # Removing A now would lose data, and the check says so.
    with (
        override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b}"),
        pytest.raises(CommandError, match="'ka'"),
    ):
        run("check_encryption")

    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        output = run("rotate_keys", "--batch-size", "1")
    assert "Before: ka=3 kb=2" in output
    assert "Re-encrypted 3 value(s) in 3 batch(es)" in output
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b}"):
        run("check_encryption")
        assert {c.sealed for c in KeyCanary.objects.all()} == {"canary"}


@pytest.mark.django_db
def test_a_value_that_does_not_open_stops_rotation_and_earlier_batches_stay_done(key_a, key_b):
    lost = generate_key()
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        canaries = KeyCanaryFactory.create_batch(3, sealed="canary")
    first, middle, last = sorted(canaries, key=lambda c: c.pk)
    # The middle row was saved by a server holding a key that is not in the keyring used for
    # the rotation.
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kz:{lost},ka:{key_a}"):
        middle = KeyCanary.objects.get(pk=middle.pk)
        middle.sealed = "Ionescu-Zoë"
        middle.save()

    with (
        override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"),
        pytest.raises(CommandError) as excinfo,
    ):
        run("rotate_keys", "--batch-size", "1")
    message = str(excinfo.value)
    assert "'kz'" in message and str(middle.pk) in message and "registry.keycanary." in message
    assert "Ionescu" not in message
    assert raw_column(KeyCanary, "sealed", first.pk).startswith("v1:kb:")
    assert raw_column(KeyCanary, "sealed", middle.pk).startswith("v1:kz:")
    assert raw_column(KeyCanary, "sealed", last.pk).startswith("v1:ka:")

    # With the missing key back in the keyring the next run finishes the job.
    keyring = f"kb:{key_b},ka:{key_a},kz:{lost}"
    with override_settings(REGISTRY_ENCRYPTION_KEYS=keyring):
        run("rotate_keys", "--batch-size", "1")
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b}"):
        run("check_encryption")
        assert KeyCanary.objects.get(pk=middle.pk).sealed == "Ionescu-Zoë"


@pytest.mark.django_db
def test_a_value_saved_by_the_application_during_rotation_is_not_overwritten(
    key_a, key_b, monkeypatch
):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        canary = KeyCanaryFactory(sealed="Popescu")

    reseal = keyops._reseal_batch

    def reseal_while_a_coordinator_saves(*args, **kwargs):
        updates = reseal(*args, **kwargs)
        # Between the rotation's read and its write, the application saves a correction.
        corrected = KeyCanary.objects.get(pk=canary.pk)
        corrected.sealed = "Popescu-Marin"
        corrected.save()
        return updates

    monkeypatch.setattr(keyops, "_reseal_batch", reseal_while_a_coordinator_saves)
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        output = run("rotate_keys")
        assert "1 value(s) were saved by the application during the run" in output
        assert KeyCanary.objects.get(pk=canary.pk).sealed == "Popescu-Marin"
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

    assert "registry.wrappingkey.key: before ka=1; after kb=1" in output
    assert "registry.person" not in output and "registry.keycanary" not in output
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        second = run("rotate_keys")
    assert "registry.wrappingkey.key: before kb=2; after kb=2" in second


@pytest.mark.django_db
def test_a_rotation_by_another_process_is_followed_by_the_next_new_person():
    """The current wrapping key is kept across requests without reading it again; a wrapping
    key made by another process (a rotation this process did not see) still wraps the next
    new person's data key, never the one this process remembered."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registry.models import PersonKey

    first = PersonFactory()
    remembered = PersonKey.objects.get(person_id=first.pk).wrapping_key_id
    with CaptureQueriesContext(connection) as queries:
        second = PersonFactory()
    assert PersonKey.objects.get(person_id=second.pk).wrapping_key_id == remembered
    reads = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert not [sql for sql in reads if WrappingKey._meta.db_table in sql]

    # Another process rotates: a newer wrapping key appears that this process never made.
    elsewhere = WrappingKey(key="ab" * 32)
    elsewhere.save()
    third = PersonFactory(family_name="Ionescu")
    assert PersonKey.objects.get(person_id=third.pk).wrapping_key_id == elsewhere.pk
    assert Person.objects.get(pk=third.pk).family_name == "Ionescu"
