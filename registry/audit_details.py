"""An audit event's details in words of the reader's language (issue 15).

The details are stored as codes ("screen": "case_edit", "fields": ["status"], "step":
"accepted") so that the sealed trail never changes with a translation; the audit trail page
and the admin show them through ``describe``: each key by its label, each code by its label in
the active language, field names by the fields' verbose names, region codes by the regions'
names, true and false as yes and no. A key or code this file does not know is shown as it was
recorded (a code is better than nothing), marked as a code for the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registry.choices import (
    CareConsent,
    CaseStatus,
    ClosedReason,
    NoCaseReason,
    ProcedureKind,
    ReferralOutcome,
    ReferralReason,
    ReferralType,
)

KEYS: dict[str, Any] = {
    "screen": _("screen"),
    "fields": _("fields"),
    "personal_fields": _("personal fields"),
    "step": _("step"),
    "rows": _("rows"),
    "people": _("people"),
    "cases": _("cases"),
    "case": pgettext_lazy("audit detail", "case"),
    "kind": _("kind"),
    "results": _("results"),
    "registration": _("registration"),
    "source": _("source"),
    "person": pgettext_lazy("audit detail", "person"),
    "person_choice": _("person record"),
    "possible_matches_shown": _("possible matches shown"),
    "anonymous": _("anonymous"),
    "minor": _("minor"),
    "immediate_danger": _("immediate danger"),
    "no_case_reason": _("why no case"),
    "decision": _("decision"),
    "into": _("merged into"),
    "removed_copy": _("copy removed"),
    "from_region": _("from region"),
    "to_region": _("to region"),
    "moves": _("moved"),
    "care_consent": _("consent to care"),
    "second_factor": _("second factor"),
    "known_account": _("known account"),
    "new_account": _("new account"),
    "attempts": _("attempts"),
    "status": _("status"),
    "closed_reason": _("reason for closing"),
    "referral_type": _("referred to"),
    "reason": _("reason"),
    "outcome": _("outcome"),
    "procedure": _("procedure"),
    "sha256": "SHA-256",
    "job": _("job"),
    "active_key": _("active key"),
    "before": _("before"),
    "after": _("after"),
    "rewritten": _("rewritten"),
    "changed_during_run": _("changed during the run"),
    "batches": _("batches"),
    "complete": _("complete"),
    "from": _("from"),
    "to": _("to"),
}

SCREENS: dict[str, Any] = {
    "admin": _("the admin"),
    "case_list": _("case list"),
    "case_detail": _("case page"),
    "case_edit": _("case form"),
    "case_take": _("taking the case"),
    "case_note": _("case notes"),
    "care_consent": _("consent to care"),
    "care_due": _("care deadlines"),
    "command": _("command line"),
    "handover_list": _("handover list"),
    "handover_detail": _("handover page"),
    "helpdesk": _("help desk page"),
    "intake": _("intake"),
    "login": _("login"),
    "my_submissions": _("my reports"),
    "person_detail": _("person page"),
    "person_edit": _("person form"),
    "placement": _("shelter placement"),
    "procedure": _("residence procedures"),
    "referral": _("referrals"),
    "reverify": _("confirming the login code"),
    "setup": _("two-step login set-up"),
    "triage": _("triage"),
    "staff_form": _("staff intake"),
    "reporter_submission": _("reporter's form"),
    "page": _("page"),
    "import": _("import"),
}

# Other codes the details hold, by value (the same word means the same in every key).
WORDS: dict[str, Any] = {
    "verified": _("verified"),
    "failed": _("failed"),
    "enrolled": _("enrolled"),
    "reset": _("reset"),
    "requested": _("requested"),
    "accepted": _("accepted"),
    "rejected": _("rejected"),
    "withdrawn": _("withdrawn"),
    "merged": _("merged"),
    "new": _("new"),
    "linked": _("linked to an existing person"),
    "routed": _("assigned to the region's coordinator"),
    "help_desk": _("coordinated by the help desk"),
    "none": _("none"),
    "closed": _("closed"),
    "name": _("name"),
    "number": _("registration number"),
    "record": _("record id"),
    "account": _("user name"),
    "document": _("document number"),
}
CHOICES = (
    CaseStatus,
    ClosedReason,
    NoCaseReason,
    CareConsent,
    ReferralType,
    ReferralReason,
    ReferralOutcome,
    ProcedureKind,
)
FIELD_LISTS = {"fields", "personal_fields"}
PERSON_FIELD_LISTS = {"personal_fields"}


@dataclass(frozen=True)
class Detail:
    label: str
    value: str
    is_code: bool = False  # shown as recorded: no label known


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None


def record_type(object_type: str) -> str:
    """The kind of record an event is about, in words ("casus"), or the code as recorded."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model else object_type


def _field_labels(model: type[models.Model] | None, names: Iterable[Any]) -> str:
    labels = []
    for name in names:
        try:
            labels.append(str(model._meta.get_field(str(name)).verbose_name))  # type: ignore[union-attr]
        except Exception:  # no model, or a field since removed: its name as recorded
            labels.append(str(name).replace("_", " "))
    return ", ".join(dict.fromkeys(labels))


def _code(value: str) -> tuple[str, bool]:
    if value in SCREENS:
        return str(SCREENS[value]), False
    if value in WORDS:
        return str(WORDS[value]), False
    for choices in CHOICES:
        if value in choices.values:
            return str(choices(value).label), False
    return value, True


def _value(key: str, value: Any, model: type[models.Model] | None, regions: dict[str, str]):
    if isinstance(value, bool):
        return str(_("yes") if value else _("no")), False
    if value is None:
        return "—", False
    if key in PERSON_FIELD_LISTS:
        return _field_labels(apps.get_model("registry", "Person"), value), False
    if key in FIELD_LISTS and isinstance(value, list):
        return _field_labels(model, value), False
    if key in ("from_region", "to_region") and isinstance(value, str):
        return regions.get(value, value), value not in regions
    if key == "moves" and isinstance(value, dict):
        parts = [
            f"{_field_labels(model, [field])}: {' → '.join(str(v or '—') for v in steps)}"
            for field, steps in sorted(value.items())
        ]
        return "; ".join(parts), False
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in sorted(value.items())), True
    if isinstance(value, list):
        return ", ".join(str(v) for v in value), False
    if isinstance(value, str) and value and value.replace("_", "").isalpha() and value.islower():
        if key == "screen" and value.startswith("admin:"):
            return str(SCREENS["admin"]), False
        return _code(value)
    if isinstance(value, str) and key == "screen" and value.startswith("admin:"):
        return f"{SCREENS['admin']} ({record_type(value.removeprefix('admin:'))})", False
    return str(value), False


def describe(event: Any, regions: dict[str, str] | None = None) -> list[Detail]:
    """The event's details, each key and code in the active language, in the order of their
    keys (as the chain seals them: PostgreSQL's jsonb keeps no insertion order)."""
    model = _model(event.object_type or "")
    regions = regions if regions is not None else {}
    shown = []
    for key, value in sorted((event.details or {}).items()):
        text, is_code = _value(key, value, model, regions)
        label = KEYS.get(key)
        shown.append(Detail(str(label) if label else key, text, is_code or label is None))
    return shown


def region_names() -> dict[str, str]:
    """Region codes to names, for the handover events' details (one query per page)."""
    return dict(apps.get_model("registry", "Region").objects.values_list("code", "name"))
