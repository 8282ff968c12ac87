"""The migrations of the free-text fields, run on a database holding data.

Rows are made with today's models, the registry is migrated back to the state before these
migrations (which also proves they reverse), the old free-text columns are filled with raw
SQL as the previous release wrote them, and the registry is migrated forward again.
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from registry.models import Case, Handover, Registration
from tests.factories import CaseFactory, HandoverFactory, RegistrationFactory
from tests.registry.test_free_text_encrypted import raw_table_text

FIRST = ("registry", "0010_case_care_location_encrypted")


def _before_and_latest() -> tuple[tuple[str, str], list[tuple[str, str]]]:
    loader = MigrationExecutor(connection).loader
    before = next(d for d in loader.get_migration(*FIRST).dependencies if d[0] == "registry")
    return before, loader.graph.leaf_nodes()


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.mark.django_db(transaction=True)
def test_free_text_is_sealed_handovers_move_to_uuids_and_municipalities_become_codes(
    capsys, municipalities
):
    case = CaseFactory()
    handover = HandoverFactory(case=case, reason="placeholder")
    requested_at = handover.requested_at
    registrations = {
        name: RegistrationFactory(person=case.person) for name in ("nl", "unknown", "addr", "be")
    }
    location = f"Planted care location {uuid.uuid4().hex[:10]} Lindelaan"
    reason = f"Planted reason {uuid.uuid4().hex[:10]}"
    note = f"Planted note {uuid.uuid4().hex[:10]}"
    address = f"Keizersgracht {uuid.uuid4().hex[:6]}, Amsterdam"

    before, latest = _before_and_latest()
    _migrate([before])
    try:
        # As the previous release stored them: clear text, an integer handover id.
        _sql("UPDATE registry_case SET care_location = %s", [location])
        _sql("UPDATE registry_handover SET reason = %s, decision_note = %s", [reason, note])
        for name, (text, country) in {
            "nl": ("amsterdam", "NL"),
            "unknown": (" Rottérdam ", ""),
            "addr": (address, "NL"),
            "be": ("Amsterdam", "BE"),
        }.items():
            _sql(
                "UPDATE registry_registration SET exploitation_municipality = %s, "
                "exploitation_country = %s WHERE number = %s",
                [text, country, registrations[name].number],
            )
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM registry_handover")
            (old_id,) = cursor.fetchone()
        assert isinstance(old_id, int)
    finally:
        _migrate(latest)

    # Care location: sealed in the table, read back through the model.
    assert location not in raw_table_text(Case)
    assert Case.objects.get(pk=case.pk).care_location == location

    # The handover kept its data under a UUID, with its free text sealed.
    moved = Handover.objects.get()
    assert isinstance(moved.pk, uuid.UUID)
    assert (moved.case_id, moved.from_region_id, moved.to_region_id) == (
        case.pk,
        handover.from_region_id,
        handover.to_region_id,
    )
    assert abs(moved.requested_at - requested_at) < datetime.timedelta(seconds=1)
    assert (moved.reason, moved.decision_note) == (reason, note)
    raw = raw_table_text(Handover)
    assert reason not in raw and note not in raw

    # Municipalities: names mapped to codes, the rest cleared.
    codes = {
        name: Registration.objects.get(pk=r.pk).exploitation_municipality_id
        for name, r in registrations.items()
    }
    assert codes == {"nl": "GM0363", "unknown": "GM0599", "addr": None, "be": None}
    assert address not in raw_table_text(Registration)

    # The migration reports counts, never a value.
    printed = capsys.readouterr().out
    assert "2 mapped to a CBS code, 2 cleared" in printed
    assert "Keizersgracht" not in printed and "Rott" not in printed
