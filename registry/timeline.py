"""A case's timeline: its notes and its own history, in plain words in the reader's language.

The history is read from the audit trail (the events recorded against the case: changes,
handovers, registrations and triage, corrections of the person) and from the reminders sent
about it. The trail holds field names, workflow codes and who acted, never a value of the
person, so what is said here is said from those: "Anna de Boer assigned the case to Piet
Jansen", "Anna de Boer changed the status from new to in care", never the phone number that
was corrected. The wording of every kind of event is written here, once, with gettext.

Who may read it: whoever may see the case (``access.case_history_for_user``,
``access.case_notes_for_user``). Views of personal data and searches are not the case's
history and stay in the administrators' audit trail.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from registry import access
from registry.choices import (
    AuditAction,
    CaseStatus,
    ClosedReason,
    ProcedureKind,
    ReferralOutcome,
    ReferralType,
)
from registry.models import (
    AuditEvent,
    Case,
    CaseNote,
    Person,
    Referral,
    Region,
    ReminderSent,
    ResidenceProcedure,
    SubmissionAddition,
    User,
)

if TYPE_CHECKING:
    from collections.abc import Callable

# The audit actions that are part of a case's history.
HISTORY_ACTIONS = (
    AuditAction.CREATE,
    AuditAction.LINK_PERSON,
    AuditAction.TRIAGE,
    AuditAction.CHANGE,
    AuditAction.HANDOVER,
)


@dataclass(frozen=True)
class Entry:
    """One line of the timeline. ``note`` is the text of a note (shown as written);
    ``text`` the sentence that says what happened."""

    at: datetime.datetime | None
    kind: str  # "note", "event", "reminder", "earlier_notes"
    text: str
    note: str = ""


class _Names:
    """Staff names by account id, read in one query: the full name, else the user name."""

    def __init__(self, ids: Iterable[int | None]) -> None:
        wanted = {i for i in ids if i is not None}
        users = User.objects.filter(pk__in=wanted).only("pk", "username", "first_name", "last_name")
        self.names = {user.pk: user.get_full_name() or user.get_username() for user in users}

    def of(self, user_id: int | None, fallback: str = "") -> str:
        if user_id is None:
            return fallback or _("The registry")
        return self.names.get(user_id) or fallback or _("a former user")


def entries(case: Case, user: User) -> list[Entry]:
    """The timeline of ``case`` as ``user`` may read it, newest first; the notes of the former
    notes box (kept, not migrated: their authors and dates are unknown) last, as the first."""
    notes = list(CaseNote.objects.for_user(user).filter(case=case).order_by("-created_at", "-pk"))
    # What the reporter of one of the case's registrations added after sending it.
    additions = list(
        SubmissionAddition.objects.for_user(user)
        .filter(registration__cases=case)
        .select_related("registration")
        .order_by("-created_at", "-pk")
    )
    events = list(
        access.case_history_for_user(AuditEvent.objects.all(), user, case)
        .filter(action__in=HISTORY_ACTIONS)
        .exclude(object_type=CaseNote._meta.label_lower)
        .order_by("-at", "-id")
    )
    reminders = list(
        ReminderSent.objects.filter(
            case__in=Case.objects.for_user(user).filter(pk=case.pk)
        ).order_by("-sent_at", "-pk")
    )
    names = _Names(
        [
            *(note.author_id for note in notes),
            *(addition.author_id for addition in additions),
            *(event.actor_id for event in events),
            *(coordinator for event in events for coordinator in _coordinators(event)),
            *(reminder.recipient_id for reminder in reminders),
        ]
    )
    codes = {
        (event.details or {}).get(side)
        for event in events
        if event.action == AuditAction.HANDOVER
        for side in ("from_region", "to_region")
    }
    regions = dict(Region.objects.filter(code__in=codes - {None}).values_list("code", "name"))
    found = [
        *(
            Entry(
                note.created_at,
                "note",
                _("%(author)s wrote") % {"author": names.of(note.author_id)},
                note.text,
            )
            for note in notes
        ),
        *(
            Entry(
                addition.created_at,
                "note",
                _("%(author)s, who reported it, added to registration %(number)s")
                % {"author": names.of(addition.author_id), "number": addition.registration.number},
                addition.text,
            )
            for addition in additions
        ),
        *(
            Entry(event.at, "event", sentence)
            for event in events
            for sentence in describe(event, names.of, regions)
        ),
        *(
            Entry(reminder.sent_at, "reminder", _reminder(reminder, names.of))
            for reminder in reminders
        ),
    ]
    found.sort(key=lambda entry: entry.at, reverse=True)
    if case.notes:
        found.append(
            Entry(
                None,
                "earlier_notes",
                _("Notes from the former notes box of the case (author and date not recorded)"),
                case.notes,
            )
        )
    return found


def _coordinators(event: AuditEvent) -> list[int | None]:
    moved = (event.details or {}).get("moves", {}).get("coordinator")
    return list(moved) if isinstance(moved, list) else []


def _label(choices: Any, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _field_names(model: type[Any], names: Iterable[str]) -> str:
    labels = []
    for name in names:
        if name == "estimated_age":
            name = "year_of_birth"
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except Exception:  # a field since removed: its name as recorded
            labels.append(name.replace("_", " "))
    return ", ".join(dict.fromkeys(labels))


def describe(event: AuditEvent, name_of: Callable[..., str], regions: dict[str, str]) -> list[str]:
    """The sentences for one audit event of a case, in the active language: one, or one per
    thing a change of the case did (assigned, status, other fields)."""
    actor = name_of(event.actor_id, event.actor)
    details = event.details or {}
    if event.action == AuditAction.CHANGE and event.object_type == Case._meta.label_lower:
        return _case_change(actor, details, name_of)
    if event.object_type == ResidenceProcedure._meta.label_lower:
        return [_procedure(event, actor, details)]
    if event.object_type == Referral._meta.label_lower:
        return [_referral(event, actor, details)]
    return [_sentence(event, actor, details, regions)]


def _procedure(event: AuditEvent, actor: str, details: dict[str, Any]) -> str:
    """Issue 14: a residence procedure recorded or updated, with the fields that changed."""
    values = {
        "actor": actor,
        "procedure": _label(ProcedureKind, details.get("procedure", "")),
        "fields": _field_names(ResidenceProcedure, details.get("fields", [])),
    }
    if event.action == AuditAction.CREATE:
        return _("%(actor)s recorded the %(procedure)s: %(fields)s") % values
    return _("%(actor)s updated the %(procedure)s: %(fields)s") % values


def _referral(event: AuditEvent, actor: str, details: dict[str, Any]) -> str:
    """Issue 14: a referral made (by hand or by intake's Nidos route), or its outcome."""
    values = {
        "actor": actor,
        "to": _label(ReferralType, details.get("referral_type", "")),
        "outcome": _label(ReferralOutcome, details.get("outcome", "")),
    }
    if event.action == AuditAction.CREATE:
        if details.get("screen") == "intake":
            return _("%(actor)s registered an unaccompanied minor: referred to %(to)s") % values
        return _("%(actor)s referred the case to %(to)s") % values
    return _("%(actor)s recorded the outcome of the referral to %(to)s: %(outcome)s") % values


def _sentence(
    event: AuditEvent, actor: str, details: dict[str, Any], regions: dict[str, str]
) -> str:
    action = event.action
    if event.object_type == "registry.placement":
        return _placement(actor, action, details.get("fields", []))
    if action == AuditAction.HANDOVER:
        return _handover(actor, details, regions)
    if action == AuditAction.TRIAGE:
        if details.get("decision") == "accepted":
            return _(
                "%(actor)s accepted the reporter's submission, which opened or joined this case"
            ) % {"actor": actor}
        return _("%(actor)s decided on the reporter's submission") % {"actor": actor}
    if action == AuditAction.LINK_PERSON:
        return _(
            "%(actor)s recorded a new registration of this person, already known to the registry"
        ) % {"actor": actor}
    if action == AuditAction.CREATE:
        return _("%(actor)s recorded a registration of this person") % {"actor": actor}
    if action == AuditAction.CHANGE and event.object_type == Person._meta.label_lower:
        return _("%(actor)s corrected the person's details: %(fields)s") % {
            "actor": actor,
            "fields": _field_names(Person, details.get("fields", [])),
        }
    return _("%(actor)s: %(action)s") % {"actor": actor, "action": event.get_action_display()}


def _case_change(actor: str, details: dict[str, Any], name_of: Callable[..., str]) -> list[str]:
    fields = list(details.get("fields", []))
    moves = details.get("moves", {})
    said: list[str] = []
    if "coordinator" in fields:
        fields.remove("coordinator")
        if details.get("screen") == "case_take":
            said.append(_("%(actor)s took on the case") % {"actor": actor})
        elif "coordinator" in moves:
            new = moves["coordinator"][1]
            if new is None:
                said.append(
                    _("%(actor)s left the case to the help desk (no coordinator)")
                    % {"actor": actor}
                )
            else:
                said.append(
                    _("%(actor)s assigned the case to %(coordinator)s")
                    % {"actor": actor, "coordinator": name_of(new)}
                )
        else:
            said.append(_("%(actor)s changed the coordinator") % {"actor": actor})
    if "status" in fields:
        fields.remove("status")
        if "status" in moves:
            before, after = moves["status"]
            sentence = _("%(actor)s changed the status from %(before)s to %(after)s") % {
                "actor": actor,
                "before": _label(CaseStatus, before),
                "after": _label(CaseStatus, after),
            }
            reason = moves.get("closed_reason")
            if reason and reason[1]:
                sentence += " (" + _label(ClosedReason, reason[1]) + ")"
            said.append(sentence)
        else:
            said.append(_("%(actor)s changed the status") % {"actor": actor})
    if "closed_reason" in fields and "status" in moves:
        fields.remove("closed_reason")  # said with the status
    if fields:
        said.append(
            _("%(actor)s changed the %(fields)s")
            % {"actor": actor, "fields": _field_names(Case, fields)}
        )
    return said


def _handover(actor: str, details: dict[str, Any], regions: dict[str, str]) -> str:
    values = {
        "actor": actor,
        "from": regions.get(details.get("from_region", ""), details.get("from_region", "?")),
        "to": regions.get(details.get("to_region", ""), details.get("to_region", "?")),
    }
    step = details.get("step")
    if step == "requested":
        return _("%(actor)s asked %(to)s to take over the case from %(from)s") % values
    if step == "accepted":
        moved = details.get("moves", {}).get("coordinator")
        if isinstance(moved, list) and moved[-1] is not None:
            return (
                _(
                    "%(actor)s accepted the handover and took on the case: it moved from %(from)s "
                    "to %(to)s"
                )
                % values
            )
        if isinstance(moved, list):
            return (
                _(
                    "%(actor)s accepted the handover: the case moved from %(from)s to %(to)s, "
                    "without a coordinator"
                )
                % values
            )
        return _("%(actor)s accepted the handover: the case moved from %(from)s to %(to)s") % values
    if step == "rejected":
        return _("%(actor)s rejected the handover from %(from)s to %(to)s") % values
    if step == "withdrawn":
        return _("%(actor)s withdrew the handover request to %(to)s") % values
    return _("%(actor)s: handover from %(from)s to %(to)s") % values


def _placement(actor: str, action: str, fields: list[str]) -> str:
    """A shelter placement (registry/models/shelters.py): its audit event names fields only."""
    values = {"actor": actor}
    if action == AuditAction.CREATE and "shelter" in fields:
        return _("%(actor)s placed the person in a shelter") % values
    if action == AuditAction.CREATE:
        return _("%(actor)s put the case on the waiting list for a COSM place") % values
    if "end_date" in fields:
        return _("%(actor)s ended the shelter placement") % values
    if "shelter" in fields:
        return _("%(actor)s placed the case from the waiting list") % values
    return _("%(actor)s took the case off the waiting list") % values


def _reminder(reminder: ReminderSent, name_of: Callable[..., str]) -> str:
    values = {"recipient": name_of(reminder.recipient_id), "date": date_format(reminder.due)}
    if reminder.kind == ReminderSent.Kind.REFLECTION_ENDING:
        return _("Reminder sent to %(recipient)s: the reflection period ends on %(date)s") % values
    if reminder.kind == ReminderSent.Kind.SHELTER_STAY:
        return _("Reminder sent to %(recipient)s: three months in a shelter on %(date)s") % values
    if reminder.kind == ReminderSent.Kind.B8_EXPIRING:
        return _("Reminder sent to %(recipient)s: the B8 permit expires on %(date)s") % values
    if reminder.kind == ReminderSent.Kind.B8_THREE_YEARS:
        return _("Reminder sent to %(recipient)s: B8 permit held three years on %(date)s") % values
    if reminder.kind == ReminderSent.Kind.REFLECTION_NO_REPORT:
        return (
            _(
                "Reminder sent to %(recipient)s: the reflection period ends on %(date)s "
                "and the police report is undecided"
            )
            % values
        )
    return _("Reminder sent to %(recipient)s: new since %(date)s and still unassigned") % values
