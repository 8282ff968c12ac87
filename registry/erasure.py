"""Erasing one person's personal data: the one erasure the retention schedule and an
administrator's erasure on request both call (issue 17; docs/security.md, "Retention and
erasure").

What goes, for the person and everything recorded about them (``TARGETS``):

- the person's personal fields (``Person.PERSONAL_FIELDS``, encrypted) and blind indexes
  (``bi_*``), and every row of the name search (``PersonSearchToken``);
- the free text recorded about them: the triage note of their registrations, the notes and
  the place of care of their cases, the reasons and decision notes of their cases' handovers,
  the reasons of their placements; their cases' notes (``CaseNote``, append-only for the
  application) are deleted.

What stays: every statistical field (gender, nationality, year of birth, the registrations'
codes and dates, the cases' statuses, procedures and referrals, which are codes and dates), so
the statistics and the statistics tally do not change; the records themselves (a registration
still counts); the audit trail, which never held a value. The person row stays too, emptied, so
the registrations and cases that count keep their person.

Values are set to NULL in the database through the models' plain managers: a NULL can never
be a plaintext, so skipping the encrypted fields' sealing (which their querysets refuse to
skip) is safe here, and it is the one place that does so. Erasing twice changes nothing the
second time (every count is 0).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from registry.choices import AuditAction

if TYPE_CHECKING:
    from registry.models import Person, User

Counts = dict[str, int]


@dataclass(frozen=True)
class Target:
    """One kind of row erasure reaches: ``model``'s rows whose ``person_path`` leads to the
    person; ``fields`` are set to NULL, or, when empty, the rows are deleted."""

    model: type[models.Model]
    person_path: str
    fields: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def rows(self, persons: QuerySet | Iterable[Any]) -> QuerySet:
        """The rows of ``persons`` (a queryset of people or their ids) with something left."""
        qs = self.model._base_manager.filter(**{f"{self.person_path}__in": persons})
        return qs.filter(_any_left(self.fields)) if self.fields else qs

    def erase(self, persons: QuerySet | Iterable[Any]) -> int:
        rows = self.rows(persons)
        if not self.fields:
            # A plain queryset's delete: the models' own refuse (CaseNote is append-only for
            # the application; erasure is the exception its docstring names).
            return models.QuerySet.delete(rows)[0]
        return rows.update(**dict.fromkeys(self.fields))


@functools.cache
def targets() -> tuple[Target, ...]:
    """Everything erasure reaches, the person first. A new model that holds a person's values
    (or free text about them) belongs here: tests/registry/test_retention_erasure.py requires
    every encrypted field to be here or named as not about a person."""
    from registry.models import (
        Case,
        CaseNote,
        Handover,
        Person,
        PersonSearchToken,
        Placement,
        Registration,
        SubmissionAddition,
    )
    from registry.models.people import BLIND_INDEX_SOURCES, PERSONAL_FIELDS

    return (
        Target(Person, "pk", (*PERSONAL_FIELDS, *BLIND_INDEX_SOURCES)),
        Target(PersonSearchToken, "person"),
        Target(Registration, "person", ("triage_note",)),
        Target(Case, "person", ("care_location", "notes")),
        Target(Handover, "case__person", ("reason", "decision_note")),
        Target(CaseNote, "case__person"),
        Target(Placement, "case__person", ("reason",)),
        # What a reporter added to their report later (append-only for the application).
        Target(SubmissionAddition, "registration__person"),
    )


def _any_left(fields: tuple[str, ...]) -> Q:
    return functools.reduce(Q.__or__, (Q(**{f"{name}__isnull": False}) for name in fields))


def left_to_erase(people: QuerySet) -> QuerySet:
    """``people`` narrowed to those with something erasure would still remove."""
    person, *others = targets()
    found = _any_left(person.fields)
    for target in others:
        rows = target.model._base_manager.filter(**{target.person_path: OuterRef("pk")})
        found |= Exists(rows.filter(_any_left(target.fields)) if target.fields else rows)
    return people.filter(found)


def pending(people: QuerySet) -> Counts:
    """What erasing ``people`` would change, per model (rows), without changing anything."""
    from registry.models.keys import PersonKey

    ids = list(people.values_list("pk", flat=True))
    if not ids:
        return {}
    counts = {target.label: target.rows(ids).count() for target in targets()}
    # The data keys erase_person shreds (registry.crypto.shred_person_key).
    keys = PersonKey.objects.filter(person_id__in=ids, wrapped__isnull=False)
    counts[PersonKey._meta.label_lower] = keys.count()
    return counts


def erase_person(
    person: Person,
    *,
    actor: User | None,
    reason: str,
    audit: bool = True,
    request_id: object = None,
) -> Counts:
    """Erase ``person``'s personal data now (see the module's docstring); the rows changed
    per model. One transaction, the person's row locked first.

    ``reason`` is a code (``ErasureRequest.Reason``, or a retention rule's key), never free
    text: it goes into the audit event, which names the person's id, the reason and the counts,
    never a value. ``audit=False`` for the retention run, which writes one event for the whole
    run (registry/retention.py).
    """
    from registry.crypto import shred_person_key
    from registry.models import AuditEvent, Person

    with transaction.atomic():
        Person._base_manager.select_for_update().filter(pk=person.pk).exists()
        ids = [person.pk]
        counts = {target.label: target.erase(ids) for target in targets()}
        if counts.get(Person._meta.label_lower):
            Person._base_manager.filter(pk=person.pk).update(updated_at=timezone.now())
        # Crypto-shredding: the person's data key goes, in this transaction, so their values
        # in every earlier backup of the data tables can no longer be decrypted either
        # (docs/security.md, "Data keys").
        counts["registry.personkey"] = int(shred_person_key(person.pk))
        if audit:
            details: dict[str, Any] = {"reason": reason, "erased": counts}
            if request_id is not None:
                details["request"] = str(request_id)
            AuditEvent.record(AuditAction.ERASE, user=actor, obj=person, details=details)
    _forget_plaintext(person)
    return counts


def _forget_plaintext(person: Person) -> None:
    """Drop the values the caller's instance still holds, so nothing shows them after."""
    from registry.models.people import BLIND_INDEX_SOURCES, PERSONAL_FIELDS

    for name in (*PERSONAL_FIELDS, *BLIND_INDEX_SOURCES):
        person.__dict__[name] = None
