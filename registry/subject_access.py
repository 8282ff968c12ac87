"""Subject access (GDPR art. 15; issue 17, item 4): for one person, a file with every value the
registry holds about them, decrypted, and the audit trail of who viewed or changed it.

Who: an administrator holding the Django permission ``registry.subject_access`` (granted to
nobody by default: ``access.may_give_subject_access``), with a second factor of the last 15
minutes (``registry.second_factor``), on the page and at the download, as for the personal
export. How: a background job (``jobs.start``, kind ``subject_access``) writes the file, kept
encrypted until it expires (``REGISTRY_JOB_FILE_HOURS``) and offered on the job's page to its
owner alone. The job's parameters hold the person's id, never a value; the two ``export``
audit events (started, finished) name the person's id, the number of records and the file's
SHA-256.

The file is JSON: the person's fields, their registrations, cases with notes, handovers,
referrals, residence procedures and placements, the erasure requests about them, and the audit
events recorded against any of these records (or listing one of the cases), oldest first.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from registry import access, jobs
from registry.choices import AuditAction
from registry.models import (
    AuditEvent,
    Case,
    CaseNote,
    ErasureRequest,
    Handover,
    Job,
    JobFile,
    Person,
    Placement,
    Referral,
    Registration,
    ResidenceProcedure,
)
from registry.second_factor import verified_recently

if TYPE_CHECKING:
    from registry.models import User

# Sentences for the job's owner (translated when shown, as jobs.JobFailed's are).
NO_PERMISSION = "You no longer have the permission to produce a subject access file."
NO_PERSON = "The person is no longer in the registry, or not among the people you may see."


def _value(obj: models.Model, field: models.Field) -> Any:
    if field.is_relation:
        related = getattr(obj, field.name)
        return None if related is None else str(related)
    value = getattr(obj, field.attname)
    if value is None or value == "":
        return None
    if field.choices:
        return f"{value} ({getattr(obj, f'get_{field.name}_display')()})"
    if isinstance(value, datetime.date | datetime.datetime | uuid.UUID):
        return value.isoformat() if not isinstance(value, uuid.UUID) else str(value)
    if isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def record(obj: models.Model, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every field of ``obj`` by name, encrypted ones decrypted; relations by their name."""
    found: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.name.startswith("bi_"):
            continue
        found[field.name] = _value(obj, field)
    for field in obj._meta.many_to_many:
        found[field.name] = [str(item) for item in getattr(obj, field.name).all()]
    return found


def _audit_trail(records: list[models.Model], case_ids: list[Any]) -> list[dict[str, Any]]:
    """The events recorded against any of ``records`` or ``case_ids``, and the list views
    whose details name one of the cases."""
    by_type: dict[str, list[str]] = {}
    for obj in records:
        by_type.setdefault(obj._meta.label_lower, []).append(str(obj.pk))
    wanted = Q(case_id__in=case_ids) if case_ids else Q(pk__in=[])
    for label, ids in by_type.items():
        wanted |= Q(object_type=label, object_id__in=ids)
    for case_id in case_ids:
        wanted |= Q(action=AuditAction.VIEW_PERSONAL, details__icontains=str(case_id))
    return [
        {
            "at": event.at.isoformat(),
            "user": event.actor,
            "action": f"{event.action} ({event.get_action_display()})",
            "record_type": event.object_type,
            "record_id": event.object_id,
            "case": str(event.case_id) if event.case_id else None,
            "details": event.details,
        }
        for event in AuditEvent.objects.filter(wanted).order_by("id")
    ]


def subject_access_file(person: Person) -> dict[str, Any]:
    """Everything the registry holds about ``person`` (see the module's docstring)."""
    registrations = list(
        Registration.objects.filter(person=person).select_related(
            "organisation", "region", "exploitation_municipality", "submitted_by"
        )
    )
    cases = list(Case.objects.filter(person=person).select_related("region", "coordinator"))
    records: list[models.Model] = [person, *registrations, *cases]
    case_files = []
    for case in cases:
        parts = {
            "notes": list(CaseNote.objects.filter(case=case).select_related("author")),
            "handovers": list(Handover.objects.filter(case=case)),
            "referrals": list(Referral.objects.filter(case=case)),
            "residence_procedures": list(ResidenceProcedure.objects.filter(case=case)),
            "placements": list(Placement.objects.filter(case=case).select_related("shelter")),
        }
        for rows in parts.values():
            records.extend(rows)
        case_files.append(
            {
                **record(case, exclude=("person",)),
                **{
                    name: [record(r, exclude=("case",)) for r in rows]
                    for name, rows in parts.items()
                },
            }
        )
    erasures = list(ErasureRequest.objects.filter(person=person))
    records.extend(erasures)
    return {
        "produced_at": timezone.now().isoformat(),
        "person": {"reference": person.reference, **record(person)},
        "registrations": [record(r, exclude=("person",)) for r in registrations],
        "cases": case_files,
        "erasure_requests": [record(r, exclude=("person",)) for r in erasures],
        "audit_trail": _audit_trail(records, [case.pk for case in cases]),
    }


def may_download(request: HttpRequest) -> bool:
    # As for making the file: the permission and a second factor of the last 15 minutes.
    return access.may_give_subject_access(request.user) and verified_recently(request)


def start(user: User, person: Person) -> Job:
    """Queue the file of ``person`` for ``user`` (the page has checked the permission and
    the second factor)."""
    return jobs.start(Job.Kind.SUBJECT_ACCESS, user, {"person": str(person.pk)})


@jobs.register(Job.Kind.SUBJECT_ACCESS, may_download=may_download)
def run_subject_access(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    owner = job.owner
    if not access.may_give_subject_access(owner):
        raise jobs.JobFailed(NO_PERMISSION)
    person = Person.objects.for_user(owner).filter(pk=job.params.get("person")).first()
    if person is None:
        raise jobs.JobFailed(NO_PERSON)
    details = {"export": "subject_access", "job": str(job.pk)}
    AuditEvent.record(
        AuditAction.EXPORT, user=owner, obj=person, details={**details, "stage": "started"}
    )
    content = subject_access_file(person)
    data = json.dumps(content, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    counts = {
        "registrations": len(content["registrations"]),
        "cases": len(content["cases"]),
        "audit_events": len(content["audit_trail"]),
    }
    name = f"subject-access-{person.reference}-{timezone.localdate():%Y%m%d}.json"
    jobs.store_file(job, JobFile.Purpose.RESULT, name, "application/json", data)
    AuditEvent.record(
        AuditAction.EXPORT,
        user=owner,
        obj=person,
        details={
            **details,
            "stage": "finished",
            **counts,
            "sha256": hashlib.sha256(data).hexdigest(),
        },
    )
    progress(1, 1)
    return counts
