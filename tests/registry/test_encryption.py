"""Encrypted fields: nothing personal reaches the database in clear, and tokens stay bound."""

from __future__ import annotations

import sqlite3

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.test import override_settings

from registry.crypto import DecryptionError, MissingKeyError, generate_key, get_keyring
from registry.fields import encrypted_fields
from registry.keyops import encrypted_models
from registry.models import Case, Person, Registration
from tests.factories import CaseFactory, PersonFactory, RegistrationFactory
from tests.registry.conftest import plant_everywhere


def raw_column(model, column: str, pk) -> str | None:
    """The stored text of one column of one row, read around the ORM."""
    quote = connection.ops.quote_name
    prepared = model._meta.pk.get_db_prep_value(pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(column)} FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"WHERE {quote(model._meta.pk.column)} = %s",
            [prepared],
        )
        return cursor.fetchone()[0]


def write_raw_column(model, column: str, pk, value: str | None) -> None:
    quote = connection.ops.quote_name
    prepared = model._meta.pk.get_db_prep_value(pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {quote(column)} = %s "  # noqa: S608
            f"WHERE {quote(model._meta.pk.column)} = %s",
            [value, prepared],
        )


def whole_database_bytes(tmp_path) -> bytes:
    """Everything the database holds, as bytes: the SQLite file, or every PostgreSQL row."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        # The test database lives in memory: copy it page by page into a file and read that,
        # as an attacker with the file would.
        path = tmp_path / "copy.sqlite3"
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return path.read_bytes()
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT t::text FROM {connection.ops.quote_name(table)} t")  # noqa: S608
            chunks.extend(row[0] for row in cursor.fetchall())
    return "\n".join(chunks).encode("utf-8")


def test_every_model_with_personal_data_is_covered():
    labels = {model._meta.label_lower for model, _ in encrypted_models()}
    assert {"registry.person", "registry.registration", "registry.case"} <= labels
    names = {f.name for f in encrypted_fields(Person)}
    assert {"given_names", "family_name", "date_of_birth", "id_document_number", "notes"} <= names


@pytest.mark.django_db(transaction=True)
def test_no_planted_value_is_in_the_raw_database_but_the_orm_reads_every_one(tmp_path):
    plants = plant_everywhere()
    registration = Registration.objects.get(
        pk=next(p.pk for p in plants if p.model is Registration)
    )

    for plant in plants:
        stored = raw_column(plant.model, plant.field.column, plant.pk)
        if getattr(plant.field, "person_key", None):
            # A person's value: under that person's own data key (registry.models.keys).
            assert stored.startswith("d1:"), plant.field.name
        else:
            assert stored.startswith(f"v1:{get_keyring().active_id}:"), plant.field.name
        assert plant.text not in stored

    raw = whole_database_bytes(tmp_path)
    # Control: a clear value of the same rows is found, so the search does see the data.
    assert registration.number.encode() in raw
    leaked = [f"{p.model._meta.label}.{p.field.name}" for p in plants if p.text.encode() in raw]
    assert leaked == []

    for plant in plants:
        fresh = plant.model._base_manager.get(pk=plant.pk)
        assert getattr(fresh, plant.field.attname) == plant.value, plant.field.name


@pytest.mark.django_db
def test_a_ciphertext_copied_to_another_row_fails_to_decrypt():
    victim, other = PersonFactory(family_name="Popescu"), PersonFactory(family_name="Ionescu")
    write_raw_column(Person, "family_name", other.pk, raw_column(Person, "family_name", victim.pk))

    moved = Person.objects.get(pk=other.pk)
    with pytest.raises(DecryptionError, match="authentication failed"):
        moved.family_name  # noqa: B018


@pytest.mark.django_db
def test_a_ciphertext_copied_to_another_field_fails_to_decrypt():
    person = PersonFactory(family_name="Popescu", given_names="Ana")
    write_raw_column(Person, "given_names", person.pk, raw_column(Person, "family_name", person.pk))

    moved = Person.objects.get(pk=person.pk)
    assert moved.family_name == "Popescu"
    with pytest.raises(DecryptionError, match="authentication failed"):
        moved.given_names  # noqa: B018


@pytest.mark.django_db
def test_a_ciphertext_copied_to_another_model_fails_to_decrypt():
    case = CaseFactory(notes="Shelter in Utrecht")
    registration = RegistrationFactory()
    write_raw_column(
        Registration, "triage_note", registration.pk, raw_column(Case, "notes", case.pk)
    )

    with pytest.raises(DecryptionError):
        Registration.objects.get(pk=registration.pk).triage_note  # noqa: B018


@pytest.mark.django_db
def test_a_wrong_key_under_the_same_id_raises_an_error_naming_the_key_id():
    person = PersonFactory(family_name="Popescu")
    key_id = get_keyring().active_id

    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"{key_id}:{generate_key()}"):
        loaded = Person.objects.get(pk=person.pk)
        with pytest.raises(DecryptionError) as excinfo:
            loaded.family_name  # noqa: B018
    assert excinfo.value.key_id == key_id
    assert repr(key_id) in str(excinfo.value)
    assert "Popescu" not in str(excinfo.value)


@pytest.mark.django_db
def test_a_missing_key_raises_an_error_naming_the_key_id():
    person = PersonFactory(family_name="Popescu")
    key_id = get_keyring().active_id

    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"knew:{generate_key()}"):
        loaded = Person.objects.get(pk=person.pk)
        with pytest.raises(MissingKeyError) as excinfo:
            loaded.family_name  # noqa: B018
    assert repr(key_id) in str(excinfo.value)
    assert "REGISTRY_ENCRYPTION_KEYS" in str(excinfo.value)


@pytest.mark.django_db
def test_a_tampered_token_fails_to_decrypt():
    person = PersonFactory(family_name="Popescu")
    token = raw_column(Person, "family_name", person.pk)
    # A different hex digit, so a different byte ("a" and "A" would be the same byte).
    digit = token[-6].lower()
    flipped = token[:-6] + ("0" if digit != "0" else "1") + token[-5:]
    write_raw_column(Person, "family_name", person.pk, flipped)

    with pytest.raises(DecryptionError):
        Person.objects.get(pk=person.pk).family_name  # noqa: B018


@pytest.mark.django_db
def test_a_plaintext_in_an_encrypted_column_is_an_error_not_a_value():
    person = PersonFactory()
    write_raw_column(Person, "family_name", person.pk, "Popescu")

    with pytest.raises(DecryptionError, match="not a registry token"):
        Person.objects.get(pk=person.pk).family_name  # noqa: B018


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lookup",
    ["family_name", "family_name__icontains", "family_name__startswith", "family_name__in"],
)
def test_filtering_on_an_encrypted_field_raises(lookup):
    PersonFactory(family_name="Popescu")
    value = ["Popescu"] if lookup.endswith("__in") else "Popescu"

    with pytest.raises(FieldError, match="encrypted"):
        list(Person.objects.filter(**{lookup: value}))


@pytest.mark.django_db
def test_isnull_is_the_one_lookup_an_encrypted_field_allows():
    PersonFactory(phone=None)
    PersonFactory(phone="+40 712 345 678")

    assert Person.objects.filter(phone__isnull=True).count() == 1


@pytest.mark.django_db
def test_queryset_update_of_an_encrypted_field_raises():
    PersonFactory(family_name="Popescu")

    with pytest.raises(FieldError, match="refused"):
        Person.objects.update(family_name="Ionescu")
    with pytest.raises(FieldError, match="refused"):
        Case.objects.update(notes="new notes")
    assert Person.objects.get().family_name == "Popescu"


@pytest.mark.django_db
def test_bulk_update_of_an_encrypted_field_is_refused():
    person = PersonFactory(family_name="Popescu")
    person.family_name = "Ionescu"

    with pytest.raises(FieldError, match="refused"):
        Person.objects.bulk_update([person], ["family_name"])
    assert Person.objects.get().family_name == "Popescu"


@pytest.mark.django_db
def test_a_value_changed_on_the_instance_is_sealed_again_on_save():
    person = PersonFactory(family_name="Popescu")
    before = raw_column(Person, "family_name", person.pk)
    loaded = Person.objects.get(pk=person.pk)
    loaded.family_name = "Ionescu"
    loaded.save()

    after = raw_column(Person, "family_name", person.pk)
    assert after != before
    assert "Ionescu" not in after
    assert Person.objects.get(pk=person.pk).family_name == "Ionescu"


@pytest.mark.django_db
def test_a_proxy_model_reads_the_values_of_its_concrete_model():
    from django.test.utils import isolate_apps

    person = PersonFactory(family_name="Popescu")
    with isolate_apps("registry"):

        class PersonView(Person):
            class Meta:
                proxy = True
                app_label = "registry"

        # An app registers its admin on a proxy like this one; it must open the same rows.
        assert PersonView.objects.get(pk=person.pk).family_name == "Popescu"
