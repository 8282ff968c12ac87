"""Fixtures of the registry tests: a planted unique value in every encrypted field.

``planted`` discovers every model with encrypted fields (registry.keyops.encrypted_models) and
makes one row of each with a unique value in every encrypted field. A model without a factory
here fails loudly, so a new encrypted model cannot slip past the leak tests.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models

from registry.crypto import generate_key
from registry.fields import EncryptedDateField, EncryptedMixin
from registry.keyops import encrypted_models
from tests.factories import CaseFactory, PersonFactory, RegistrationFactory

FACTORIES: dict[str, Any] = {
    "registry.person": PersonFactory,
    "registry.registration": RegistrationFactory,
    "registry.case": CaseFactory,
}


@dataclass(frozen=True)
class Plant:
    """A unique value written to one encrypted field of one row."""

    model: type[models.Model]
    field: EncryptedMixin
    pk: Any
    value: Any

    @property
    def text(self) -> str:
        """How the value would look if it reached the database in clear."""
        return self.value.isoformat() if isinstance(self.value, datetime.date) else self.value


def unique_value(field: EncryptedMixin, taken: set[Any]) -> Any:
    if isinstance(field, EncryptedDateField):
        # Dates far from any timestamp the test itself writes (created_at is today).
        while True:
            day = datetime.date(1901, 1, 1) + datetime.timedelta(days=random.randrange(18000))
            if day not in taken:
                taken.add(day)
                return day
    # Longer than some max_length (document country is 2): save() does not validate, and a
    # short value could match random bytes of the file.
    return f"Plant-{field.name}-{uuid.uuid4().hex[:16]}-Zoë"


def plant_everywhere() -> list[Plant]:
    plants: list[Plant] = []
    taken: set[Any] = set()
    for model, fields in encrypted_models():
        factory = FACTORIES.get(model._meta.label_lower)
        assert factory is not None, (
            f"{model._meta.label} has encrypted fields: add its factory to "
            "tests/registry/conftest.py FACTORIES so the leak tests cover it"
        )
        values = {f.attname: unique_value(f, taken) for f in fields}
        obj = factory(**values)
        plants.extend(Plant(model, f, obj.pk, values[f.attname]) for f in fields)
    return plants


@pytest.fixture
def planted(db) -> list[Plant]:
    return plant_everywhere()


@pytest.fixture
def key_a() -> str:
    return generate_key()


@pytest.fixture
def key_b() -> str:
    return generate_key()
