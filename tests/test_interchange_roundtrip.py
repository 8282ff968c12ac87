"""The personal export writes the interchange format that the import reads (VOCABULARY.md)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from registry.models import Person, Registration
from tests.factories import (
    PersonFactory,
    RegionFactory,
    RegistrationFactory,
    grant_personal_export,
)
from tests.logins import current_code, device_for

pytestmark = pytest.mark.django_db


def test_a_personal_export_imports_again_and_links_every_person(administrator, tmp_path):
    grant_personal_export(administrator)
    region = RegionFactory(code="amsterdam", name="Amsterdam")
    for given, family in [("Ana", "Popescu"), ("Jonas", "Kowalski"), ("Mira", "de Vries")]:
        RegistrationFactory(
            person=PersonFactory(given_names=given, family_name=family),
            region=region,
            forms=["labour"],
            sector="construction",
        )
    exported = tmp_path / "personal.csv"
    call_command(
        "export_registrations",
        "--personal",
        "--output",
        str(exported),
        "--user",
        administrator.username,
        "--code",
        current_code(device_for(administrator)),
        stdout=io.StringIO(),
    )
    # The same people reported again: the numbers are left for the registry to assign.
    rows = list(csv.DictReader(exported.open(encoding="utf-8")))
    assert len(rows) == 3
    for row in rows:
        row["registration_number"] = ""
    again = tmp_path / "again.csv"
    with again.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    out = io.StringIO()
    call_command("import_registrations", str(again), stdout=out)

    assert Registration.objects.count() == 6
    assert Person.objects.count() == 3  # every re-imported person linked, none duplicated
    for person in Person.objects.all():
        assert person.registrations.count() == 2
        assert {r.sector for r in person.registrations.all()} == {"construction"}
