"""The key canary: a wrong key is refused at start-up, naming the key and what to do
(registry/canary.py). Real keys, a real database, the real system check and WSGI entry."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from registry import canary
from registry.crypto import generate_key
from registry.models import KeyCanary
from tests.registry.test_commands import production_env, run_python
from tests.registry.test_encryption import raw_column
from tests.registry.test_rotation import run

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored():
    """The canary as migrate writes it, under the test run's keys."""
    KeyCanary.objects.all().delete()
    canary.write_if_missing()
    return KeyCanary.objects.get()


def test_migrate_leaves_one_canary_and_the_right_keys_are_silent(stored):
    canary.write_if_missing()
    assert KeyCanary.objects.count() == 1
    assert canary.problems() == []
    call_command("check")  # raises SystemCheckError on any error


def test_a_wrong_blind_index_key_stops_the_checks_naming_the_key(stored):
    wrong = override_settings(REGISTRY_BLIND_INDEX_KEY=generate_key())
    with wrong, pytest.raises(SystemCheckError) as stopped:
        call_command("check")
    message = str(stopped.value)
    assert "registry.E010" in message
    assert "REGISTRY_BLIND_INDEX_KEY is not the key" in message
    assert "Set REGISTRY_BLIND_INDEX_KEY back" in message


def test_a_keyring_without_the_data_key_stops_the_checks_naming_the_key_id(stored, settings):
    stored_id = raw_column(KeyCanary, "sealed", stored.pk).split(":")[1]
    wrong = override_settings(REGISTRY_ENCRYPTION_KEYS=f"knew:{generate_key()}")
    with wrong, pytest.raises(SystemCheckError) as stopped:
        call_command("check")
    message = str(stopped.value)
    assert "registry.E011" in message
    assert f"'{stored_id}'" in message and "Add that key to REGISTRY_ENCRYPTION_KEYS" in message


def test_a_key_with_the_right_id_but_other_bytes_is_caught_too(stored, settings):
    stored_id = raw_column(KeyCanary, "sealed", stored.pk).split(":")[1]
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"{stored_id}:{generate_key()}"):
        assert [check_id for check_id, _ in canary.problems()] == ["registry.E011"]


def test_key_rotation_reseals_the_canary_under_the_new_key(stored, settings):
    old = settings.REGISTRY_ENCRYPTION_KEYS
    new = f"krotated:{generate_key()}"
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"{new},{old}"):
        run("rotate_keys")
    assert raw_column(KeyCanary, "sealed", stored.pk).startswith("v1:krotated:")
    # The old key may now leave the keyring: the canary agrees.
    with override_settings(REGISTRY_ENCRYPTION_KEYS=new):
        assert canary.problems() == []
        call_command("check")


def test_a_production_start_with_a_wrong_index_key_is_refused(tmp_path):
    """migrate writes the canary; manage.py and the WSGI entry (gunicorn) refuse another
    index key, and start with the right one."""
    env = production_env(tmp_path)
    migrated = run_python(env, "manage.py", "migrate", "--no-input")
    assert migrated.returncode == 0, migrated.stderr
    assert run_python(env, "manage.py", "check").returncode == 0
    assert run_python(env, "-c", "import config.wsgi").returncode == 0

    wrong = {**env, "REGISTRY_BLIND_INDEX_KEY": generate_key()}
    checked = run_python(wrong, "manage.py", "check")
    assert checked.returncode != 0
    assert "REGISTRY_BLIND_INDEX_KEY is not the key" in checked.stderr
    served = run_python(wrong, "-c", "import config.wsgi")
    assert served.returncode != 0
    assert "REGISTRY_BLIND_INDEX_KEY is not the key" in served.stderr
