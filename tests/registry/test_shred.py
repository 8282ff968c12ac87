"""Erasure that reaches the backups (issue 17, item 3): each person's values are sealed under a
data key of their own; shredding it makes them unreadable in every copy of the data taken
before, while everybody else's stay readable with the current keyring."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from registry import keyops
from registry.crypto import ERASED, ErasedError, associated_data, get_keyring, shred_person_key
from registry.models import Case, CaseNote, Handover, Person, PersonKey, Placement, Registration
from registry.models import keys as data_keys
from tests.factories import (
    CaseFactory,
    CaseNoteFactory,
    HandoverFactory,
    PersonFactory,
    PlacementFactory,
    RegistrationFactory,
)
from tests.intake.test_import import row as csv_row
from tests.intake.test_import import run as run_import
from tests.intake.test_import import write_csv
from tests.registry.test_encryption import raw_column, write_raw_column

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

# The tables that hold persons' values, as a backup of the data has them. The key store
# (registry_personkey) is backed up apart, with its own short retention (docs/security.md).
DATA_TABLES = [
    "registry_person",
    "registry_registration",
    "registry_case",
    "registry_casenote",
    "registry_handover",
    "registry_placement",
]


def a_person_with_everything(tag: str) -> dict:
    """A person with a value in every field that holds that person's data, on every model."""
    person = PersonFactory(
        family_name=f"Family-{tag}",
        given_names=f"Given-{tag}",
        phone=f"+31 6 {tag}",
        date_of_birth=datetime.date(1991, 2, 3),
        notes=f"Person note {tag}",
    )
    registration = RegistrationFactory(person=person, triage_note=f"Triage {tag}")
    case = CaseFactory(
        person=person,
        registration=registration,
        care_location=f"Shelter {tag}",
        notes=f"Case notes {tag}",
    )
    note = CaseNoteFactory(case=case, text=f"Case note {tag}")
    handover = HandoverFactory(case=case, reason=f"Moves {tag}", decision_note=f"Decided {tag}")
    placement = PlacementFactory(case=case, reason=f"Placed {tag}")
    return {
        (Person, person.pk, "family_name"): f"Family-{tag}",
        (Person, person.pk, "given_names"): f"Given-{tag}",
        (Person, person.pk, "phone"): f"+31 6 {tag}",
        (Person, person.pk, "date_of_birth"): datetime.date(1991, 2, 3),
        (Person, person.pk, "notes"): f"Person note {tag}",
        (Registration, registration.pk, "triage_note"): f"Triage {tag}",
        (Case, case.pk, "care_location"): f"Shelter {tag}",
        (Case, case.pk, "notes"): f"Case notes {tag}",
        (CaseNote, note.pk, "text"): f"Case note {tag}",
        (Handover, handover.pk, "reason"): f"Moves {tag}",
        (Handover, handover.pk, "decision_note"): f"Decided {tag}",
        (Placement, placement.pk, "reason"): f"Placed {tag}",
        "person": person,
    }


def dump(tables: list[str]) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every row of ``tables`` as stored: what a backup of them holds."""
    copy = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            copy[table] = ([c[0] for c in cursor.description], cursor.fetchall())
    return copy


def restore(copy: dict[str, tuple[list[str], list[tuple]]]) -> None:
    """Put the dumped rows back in place of the current ones (constraints are deferred)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in reversed(list(copy)):
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
        for table, (columns, rows) in copy.items():
            marks = ", ".join(["%s"] * len(columns))
            names = ", ".join(quote(c) for c in columns)
            cursor.executemany(
                f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
                rows,
            )
    data_keys.reset_cache()  # a new request


def read(model, pk, field):
    return getattr(model._base_manager.get(pk=pk), field)


def values_of(world: dict) -> dict:
    return {k: v for k, v in world.items() if k != "person"}


def test_a_copy_taken_before_an_erasure_does_not_give_the_erased_person_back():
    erased, kept = a_person_with_everything("Erased"), a_person_with_everything("Kept")
    backup = dump(DATA_TABLES)

    # The erasure: the values go from the database and the person's data key is destroyed.
    person = erased["person"]
    assert shred_person_key(person) is True
    for name in ("family_name", "given_names", "phone", "date_of_birth", "notes"):
        setattr(person, name, None)
    person.save()

    restore(backup)  # the old copy, restored beside today's key store and today's keyring
    for (model, pk, field), value in values_of(erased).items():
        stored = raw_column(model, field, pk)
        assert stored.startswith("d1:")  # the copy still holds the sealed value...
        opened = read(model, pk, field)  # ...which no longer opens
        assert opened is (None if isinstance(value, datetime.date) else ERASED), field
    for (model, pk, field), value in values_of(kept).items():
        assert read(model, pk, field) == value, field

    # Nor does anything else the registry holds open it: not the keyring directly...
    (model, pk, field) = (Person, person.pk, "family_name")
    token = raw_column(model, field, pk)
    with pytest.raises(Exception):  # noqa: B017 (any failure: there is no way to open it)
        get_keyring().decrypt(token, associated_data("registry.person", field, pk))
    # ...nor the check of every value, which counts them as erased, not as failures.
    report = keyops.check_encryption()
    assert report.failure_count == 0
    assert report.counts["registry.person.family_name"][keyops.ERASED_KEY_ID] == 1
    assert report.counts["registry.person.family_name"][keyops.DATA_KEY_ID] == 1


def test_a_copy_of_the_key_store_taken_before_the_erasure_would_give_it_back():
    """The limit of the guarantee (docs/security.md): the key store's own backups hold the
    wrapped key until they expire, so they are kept apart and briefly."""
    erased = a_person_with_everything("Erased")
    backup = dump([*DATA_TABLES, "registry_personkey"])
    shred_person_key(erased["person"])
    assert read(Person, erased["person"].pk, "family_name") is ERASED

    restore(backup)
    assert read(Person, erased["person"].pk, "family_name") == "Family-Erased"


def test_shredding_is_one_statement_safe_twice_and_touches_nobody_else():
    erased, kept = a_person_with_everything("Erased"), a_person_with_everything("Kept")
    with CaptureQueriesContext(connection) as queries:
        assert shred_person_key(erased["person"].pk) is True
    writes = [q["sql"] for q in queries if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]
    assert len(writes) == 1 and "registry_personkey" in writes[0]
    assert shred_person_key(str(erased["person"].pk)) is False  # twice: nothing more to do

    row = PersonKey.objects.get(person_id=erased["person"].pk)
    assert row.wrapped is None and row.erased_at is not None
    assert data_keys.is_erased(erased["person"]) and not data_keys.is_erased(kept["person"])
    data_keys.reset_cache()
    for (model, pk, field), value in values_of(kept).items():
        assert read(model, pk, field) == value, field
    for model, pk, field in values_of(erased):
        assert read(model, pk, field) in (ERASED, None), field


def test_an_erased_persons_pages_show_no_value_and_no_error(
    casework_world, client_for, coordinator_a
):
    person = casework_world.person_a
    shred_person_key(person)
    client = client_for(coordinator_a)
    for url in (person.get_absolute_url(), casework_world.case_a.get_absolute_url(), "/cases/"):
        page = client.get(url, **EN)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert "Zwartekoppenstraat" not in html and "Quillonetta" not in html


def test_nothing_new_can_be_sealed_for_an_erased_person():
    world = a_person_with_everything("Erased")
    shred_person_key(world["person"])
    case = Case.objects.get(person=world["person"])
    with pytest.raises(ErasedError) as refused, transaction.atomic():
        CaseNoteFactory(case=case, text="A new note about Erased")
    assert "Erased" not in str(refused.value)  # names the person's id, never a value
    # Saving the erased record itself stores the erased values as nothing.
    person = Person.objects.get(pk=world["person"].pk)
    assert person.family_name is ERASED
    person.save()
    assert raw_column(Person, "family_name", person.pk) is None


def test_a_person_deleted_outright_is_shredded_too():
    person = PersonFactory(family_name="Popescu")
    pk = person.pk
    person.delete()
    assert PersonKey.objects.get(person_id=pk).wrapped is None


def test_the_opened_keys_do_not_outlive_the_request(casework_world, client_for, coordinator_a):
    client_for(coordinator_a).get(casework_world.person_a.get_absolute_url())
    assert data_keys._cache.keys == {} and data_keys._cache.pending == set()


def test_a_list_opens_the_keys_of_all_its_rows_in_one_query():
    people = PersonFactory.create_batch(12)
    data_keys.reset_cache()
    with CaptureQueriesContext(connection) as queries:
        names = [p.family_name for p in Person.objects.filter(pk__in=[p.pk for p in people])]
    assert sorted(names) == sorted(p.family_name for p in people)
    key_reads = [q for q in queries if "registry_personkey" in q["sql"]]
    assert len(key_reads) == 1


def test_the_bulk_path_writes_the_data_keys_in_one_statement(tmp_path, region_a):
    """The CSV import (registering.record_many): forty persons, one INSERT of their keys."""
    path = write_csv(tmp_path, [csv_row(n) for n in range(40)])
    with CaptureQueriesContext(connection) as queries:
        run_import(path)
    inserts = [q for q in queries if "INSERT" in q["sql"] and "personkey" in q["sql"]]
    assert Person.objects.count() == 40 == PersonKey.objects.count()
    assert len(inserts) == 1  # an executemany of the forty keys
    assert all(p.family_name for p in Person.objects.all())


def test_the_migration_moves_values_under_the_keyring_to_data_keys_and_is_safe_twice():
    """Values as they were before data keys (``v1:`` under the keyring) move under their
    person's data key: readable as before, and a second run changes nothing."""
    from importlib import import_module

    migration = import_module("registry.migrations.0033_i17_shred_reseal_under_data_keys")
    world = a_person_with_everything("Old")
    keyring = get_keyring()
    for (model, pk, field), value in values_of(world).items():
        plain = value.isoformat() if isinstance(value, datetime.date) else value
        label = model._meta.label_lower
        token = keyring.encrypt(plain.encode(), associated_data(label, field, pk))
        write_raw_column(model, field, pk, token)
    PersonKey.objects.all().delete()  # as before the migration: nobody has a data key
    data_keys.reset_cache()

    assert keyops.reseal_under_data_keys(migration.specs(), batch_size=2) == len(values_of(world))
    for model, pk, field in values_of(world):
        assert raw_column(model, field, pk).startswith("d1:"), field
    data_keys.reset_cache()
    for (model, pk, field), value in values_of(world).items():
        assert read(model, pk, field) == value, field
    assert keyops.reseal_under_data_keys(migration.specs()) == 0
    out = StringIO()
    call_command("check_encryption", stdout=out)
    assert "Every encrypted value opens" in out.getvalue()
