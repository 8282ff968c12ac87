"""Code lists of a new registration: one INSERT per list (Registration.code_list_statements),
run together in one statement on PostgreSQL (registry.carried.run_together)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from registry.carried import run_together
from registry.models import Registration
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def _write(registration: Registration, lists: dict[str, list[str]]) -> None:
    run_together(registration.code_list_statements(lists))


def test_code_lists_adds_every_code_to_a_new_registration():
    registration = RegistrationFactory()
    _write(registration, {"exploitation_forms": ["sexual", "labour"]})
    _write(registration, {"means_of_control": ["debt_bondage", "threats", "withholds_documents"]})
    fresh = Registration.objects.get(pk=registration.pk)
    assert set(fresh.exploitation_forms.values_list("code", flat=True)) == {"sexual", "labour"}
    assert set(fresh.means_of_control.values_list("code", flat=True)) == {
        "debt_bondage",
        "threats",
        "withholds_documents",
    }
    assert Registration.objects.filter(exploitation_forms__code="labour").get() == registration


def test_code_lists_of_an_empty_list_writes_nothing(django_assert_num_queries):
    registration = RegistrationFactory()
    with django_assert_num_queries(0):
        _write(registration, {"exploitation_forms": []})
    assert not registration.exploitation_forms.exists()


def test_code_lists_refuses_a_code_missing_from_its_table():
    registration = RegistrationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        _write(registration, {"means_of_control": ["no_such_code"]})
        connection.check_constraints()


def test_code_lists_writes_every_list_and_on_postgres_in_one_statement(
    django_assert_num_queries,
):
    from tests.conftest import is_postgres

    registration = RegistrationFactory()
    lists = {"exploitation_forms": ["sexual", "labour"], "means_of_control": ["threats"]}
    with django_assert_num_queries(1 if is_postgres() else 2):
        _write(registration, lists)
    fresh = Registration.objects.get(pk=registration.pk)
    assert set(fresh.exploitation_forms.values_list("code", flat=True)) == {"sexual", "labour"}
    assert set(fresh.means_of_control.values_list("code", flat=True)) == {"threats"}
