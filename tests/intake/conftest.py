"""Fixtures for the intake tests: complete form data with unique, plantable personal values."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone, translation

from registry.choices import ReporterType


def planted(label: str) -> str:
    """A value that cannot occur by chance, so finding it in a response proves a leak."""
    return f"{label}{uuid.uuid4().hex[:10]}"


@pytest.fixture(autouse=True)
def import_messages_in_english(request):
    """The import's tests that call it directly read its English sentences; outside a request
    the site's language (Dutch) would apply. Pages choose their own language."""
    if not request.module.__name__.rpartition(".")[2].startswith("test_import"):
        yield
        return
    with translation.override("en"):
        yield


@pytest.fixture
def staff_data(region_a, municipalities):
    """``staff_data(**overrides)``: a complete, valid staff intake POST (police report)."""

    def make(**overrides):
        data = {
            "immediate_danger": "",
            "registered_on": timezone.localdate().isoformat(),
            "reporter_type": ReporterType.POLICE,
            "region": str(region_a.pk),
            "given_names": "Ana Maria",
            "family_name": "Popescu",
            "aliases": "",
            "date_of_birth": "1995-03-14",
            "estimated_age": "",
            "gender": "female",
            "nationality": "RO",
            "country_of_birth": "RO",
            "languages": "Romanian",
            "phone": "+40 700 000 001",
            "email": "",
            "address": "",
            "id_document_country": "RO",
            "id_document_number": "RX123456",
            "exploitation_forms": ["sexual"],
            "sector": "window",
            "exploitation_country": "NL",
            "exploitation_municipality": "GM0363",  # Amsterdam
            "scope": "cross_border",
            "means_of_control": ["debt_bondage", "threats"],
            "residence_status": "reflection_period",
            "file_type": "registration_shelter",
            "shelter_requested": "cosm",
            "consent_registration": "on",
            "consent_signed_by": "victim",
            "consent_care": "on",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return make


@pytest.fixture
def found_in(region_a, region_c):
    """Municipalities a reporter names, in the test regions: Amsterdam in region A (with a
    coordinator), Utrecht in region C (without one). The shipped list maps them to the
    reference data's regions, which a test database does not have."""
    from registry.models import Municipality

    places = {"Amsterdam": ("GM0363", region_a), "Utrecht": ("GM0344", region_c)}
    for name, (code, region) in places.items():
        Municipality.objects.update_or_create(
            code=code, defaults={"name": name, "region": region, "is_active": True}
        )
    return {name: region for name, (_, region) in places.items()}


@pytest.fixture
def reporter_data(found_in):
    """A reporter's answers, posted as the check page's "Send" posts them."""

    def make(**overrides):
        data = {
            "step": "send",
            "found_in_municipality": "Amsterdam",
            "given_names": planted("Given"),
            "family_name": planted("Family"),
            "date_of_birth": "1990-01-02",
            "gender": "female",
            "nationality": "BG",
            "phone": planted("+31"),
            "email": f"{planted('mail')}@example.org",
            "languages": planted("Lang"),
            "exploitation_forms": ["labour"],
            "sector": "agriculture",
            "consent_registration": "on",
            "consent_signed_by": "victim",
            "consent_care": "on",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return make


def years_ago(years: int, days: int = 0) -> str:
    today = timezone.localdate()
    return (today.replace(year=today.year - years) - datetime.timedelta(days=days)).isoformat()
