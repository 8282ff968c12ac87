"""check_encryption fails loudly, naming what broke but never a value; the start-up checks
refuse a production run without a valid keyring, index key and audit key."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from registry.crypto import generate_key, get_keyring
from registry.models import Person
from tests.factories import CaseFactory, PersonFactory
from tests.registry.test_encryption import raw_column, write_raw_column

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def run_failing(*args: str) -> tuple[str, str]:
    """(the CommandError's message, everything the command printed before it)."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command(*args, stdout=out, stderr=err)
    return str(excinfo.value), out.getvalue() + err.getvalue()


# check_encryption ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_check_encryption_counts_values_per_model_field_and_key():
    PersonFactory(family_name="Popescu", phone=None, email=None)
    CaseFactory(notes="Needs an interpreter")
    key_id = get_keyring().active_id

    output = run("check_encryption")

    # Persons' values are under their data keys (the case's person too); the data keys'
    # wrapping key under the keyring.
    assert "registry.person.family_name: data-key=2" in output
    assert "registry.case.notes: data-key=1" in output
    assert f"registry.wrappingkey.key: {key_id}=1" in output
    assert "registry.person.phone: none" in output
    assert "Every encrypted value opens" in output


@pytest.mark.django_db
def test_check_encryption_fails_naming_the_missing_key_and_row_but_no_value(key_a):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kold:{key_a}"):
        person = PersonFactory(family_name="Popescu", given_names="Ana", phone=None, email=None)

    message, output = run_failing("check_encryption")

    everything = message + output
    # The three values (their data key's wrapping key does not open) and that wrapping key.
    assert "4 encrypted value(s) could not be opened" in message
    assert "'kold'" in message
    assert str(person.pk) in message
    assert "registry.person." in message
    assert "FAILED registry.person.family_name of row" in everything
    for secret in ("Popescu", "Ana", person.date_of_birth.isoformat()):
        assert secret not in everything


@pytest.mark.django_db
def test_check_encryption_fails_on_a_tampered_value():
    person = PersonFactory(family_name="Popescu")
    token = raw_column(Person, "family_name", person.pk)
    # Four hex digits of the tag changed: still a well-formed token, but not the sealed one.
    tampered = token[:-4] + ("0000" if token[-4:] != "0000" else "ffff")
    write_raw_column(Person, "family_name", person.pk, tampered)

    message, output = run_failing("check_encryption")

    assert "authentication failed" in message
    assert f"registry.person.family_name of row {person.pk}" in output


@pytest.mark.django_db
def test_check_encryption_reports_a_plaintext_without_repeating_it():
    person = PersonFactory()
    write_raw_column(Person, "notes", person.pk, "Lives at Kerkstraat 12")

    message, output = run_failing("check_encryption")

    assert "not a registry token" in message
    assert "Kerkstraat" not in message + output


@pytest.mark.django_db
def test_check_encryption_fails_on_a_value_that_opens_but_is_not_a_date():
    person = PersonFactory()
    # A well-formed token for the date field, sealed over text that is no date.
    field = Person._meta.get_field("date_of_birth")
    token = get_keyring().encrypt(b"born in spring 1990", field.aad_for_pk(person.pk))
    write_raw_column(Person, "date_of_birth", person.pk, token)

    message, output = run_failing("check_encryption")

    assert "not of the field's type" in message
    assert "spring" not in message + output


# verify_audit_chain: tests/registry/test_audit_chain.py (tampering needs the guard lifted).


# Start-up checks -------------------------------------------------------------------------------


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    """A controlled environment as production has it: DEBUG off, keys from the environment."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(PROJECT_ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-production-like-secret-for-this-test-only",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "REGISTRY_ENCRYPTION_KEYS": f"k2026a:{generate_key()},k2025:{generate_key()}",
        "REGISTRY_BLIND_INDEX_KEY": generate_key(),
        "REGISTRY_AUDIT_KEY": generate_key(),
    }
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run_python(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own interpreter and project files)
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


BAD_KEY_SETTINGS = {
    "keyring missing": ("REGISTRY_ENCRYPTION_KEYS", None),
    "keyring empty": ("REGISTRY_ENCRYPTION_KEYS", ""),
    "keyring entry without id": ("REGISTRY_ENCRYPTION_KEYS", generate_key()),
    "keyring key too short": ("REGISTRY_ENCRYPTION_KEYS", "k1:c2hvcnQ="),
    "index key missing": ("REGISTRY_BLIND_INDEX_KEY", None),
    "index key not base64": ("REGISTRY_BLIND_INDEX_KEY", "not base64 at all!"),
    "audit key missing": ("REGISTRY_AUDIT_KEY", None),
    "audit key empty": ("REGISTRY_AUDIT_KEY", ""),
    "audit key not base64": ("REGISTRY_AUDIT_KEY", "not base64 at all!"),
    "audit key too short": ("REGISTRY_AUDIT_KEY", "c2hvcnQ="),
}


@pytest.mark.parametrize("case", list(BAD_KEY_SETTINGS))
def test_manage_py_check_fails_in_production_naming_the_bad_variable(tmp_path, case):
    variable, value = BAD_KEY_SETTINGS[case]

    result = run_python(production_env(tmp_path, **{variable: value}), "manage.py", "check")

    assert result.returncode != 0
    assert variable in result.stderr
    assert "registry.E001" in result.stderr


@pytest.mark.parametrize("shared_with", ["REGISTRY_ENCRYPTION_KEYS", "REGISTRY_BLIND_INDEX_KEY"])
def test_manage_py_check_fails_when_the_audit_key_is_another_keys_copy(tmp_path, shared_with):
    env = production_env(tmp_path)
    other = env[shared_with].split(",")[-1].split(":")[-1]

    result = run_python({**env, "REGISTRY_AUDIT_KEY": other}, "manage.py", "check")

    assert result.returncode != 0
    assert "REGISTRY_AUDIT_KEY must differ" in result.stderr
    assert "registry.E001" in result.stderr


def test_manage_py_check_only_warns_with_debug_naming_the_missing_audit_key(tmp_path):
    env = production_env(tmp_path, DJANGO_DEBUG="1", REGISTRY_AUDIT_KEY=None)

    result = run_python(env, "manage.py", "check")

    assert result.returncode == 0, result.stderr
    assert "registry.W001" in result.stderr and "REGISTRY_AUDIT_KEY" in result.stderr


def test_manage_py_check_passes_in_production_with_valid_keys(tmp_path):
    result = run_python(production_env(tmp_path), "manage.py", "check")

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "case", ["keyring missing", "index key not base64", "audit key missing", "audit key too short"]
)
def test_the_wsgi_application_refuses_to_start_naming_the_bad_variable(tmp_path, case):
    variable, value = BAD_KEY_SETTINGS[case]

    result = run_python(production_env(tmp_path, **{variable: value}), "-c", "import config.wsgi")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_the_wsgi_application_starts_with_valid_keys(tmp_path):
    result = run_python(
        production_env(tmp_path), "-c", "import config.wsgi; print(config.wsgi.application)"
    )

    assert result.returncode == 0, result.stderr
    assert "WSGIHandler" in result.stdout
