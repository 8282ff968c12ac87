"""The daily reminders: each flag of the lists (immediate danger, a reflection period ended
or ending soon, new cases left unassigned, minors without a referral), stays in a shelter and
the residence procedures' deadlines (registry/care.py).

One e-mail per recipient with every reminder due to them that was not sent before. The
reminders (ReminderSent) and the e-mail (registry.outbox) are written in one transaction
per recipient, so a reminder is recorded exactly when its mail is queued; the mail worker
delivers it. Running it twice, even at the same moment, queues nothing twice: each
recipient's account row is locked while their reminders are worked out.

:data:`send_reminders` is a background job (django-tasks, default queue); the command
``send_reminders`` runs it in place or enqueues it. Its arguments are a date and a flag, its
result counts: nothing personal in either.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from registry import care, outbox
from registry.choices import Role
from registry.models import Case, OutgoingMail, Placement, ReminderSent, User
from registry.models.cases import Flag

Due = tuple[str, Case, datetime.date]


@dataclass
class Tally:
    """What one run did: e-mails and reminders queued, reminders sent before, recipients
    with reminders due but no e-mail address."""

    mails: int = 0
    reminders: int = 0
    already: int = 0
    no_address: int = 0


@task()
def send_reminders(day: str | None = None, dry_run: bool = False) -> dict[str, int]:
    """Queue the reminders due on ``day`` (ISO date; default today). ``dry_run`` counts only."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    tally = Tally()
    recipients = User.objects.filter(
        is_active=True, role__in=[Role.COORDINATOR, Role.HELPDESK]
    ).order_by("username")
    # The e-mails are in the registry's language, whoever or whatever runs the job.
    with translation.override(settings.LANGUAGE_CODE):
        for user_id in recipients.values_list("pk", flat=True):
            _remind(user_id, today, dry_run, tally)
    return asdict(tally)


@transaction.atomic
def _remind(user_id: int, today: datetime.date, dry_run: bool, tally: Tally) -> None:
    # The lock makes a second run at the same moment wait, then find these reminders sent.
    user = User.objects.select_for_update().get(pk=user_id)
    due = due_reminders(user, today)
    sent = set(
        ReminderSent.objects.filter(
            recipient=user, case__in=[case for _kind, case, _due in due]
        ).values_list("kind", "case_id", "due")
    )
    new = [(kind, case, day) for kind, case, day in due if (kind, case.pk, day) not in sent]
    tally.already += len(due) - len(new)
    if not new:
        return
    if not user.email:
        tally.no_address += 1
        return
    tally.mails += 1
    tally.reminders += len(new)
    if dry_run:
        return
    ReminderSent.objects.bulk_create(
        [ReminderSent(kind=kind, case=case, recipient=user, due=day) for kind, case, day in new]
    )
    subject, body = reminder_mail(new)
    outbox.queue_mail(OutgoingMail.Kind.REMINDERS, user.email, subject, body)


# The kind of reminder of each flag, and the deadline a reminder is about (a new deadline is
# reminded again): the reflection end, or the day the case opened (sent once per case).
REMINDED_FLAGS = {
    Flag.IMMEDIATE_DANGER: (ReminderSent.Kind.IMMEDIATE_DANGER, "opened_on"),
    Flag.REFLECTION_ENDED: (ReminderSent.Kind.REFLECTION_ENDED, "reflection_end"),
    Flag.UNASSIGNED: (ReminderSent.Kind.UNASSIGNED, "opened_on"),
    Flag.REFLECTION_ENDING: (ReminderSent.Kind.REFLECTION_ENDING, "reflection_end"),
    Flag.MINOR: (ReminderSent.Kind.MINOR, "opened_on"),
}


def due_reminders(user: User, today: datetime.date) -> list[Due]:
    """Every reminder due to ``user`` on ``today``, sent before or not: each flag of the
    lists (CaseQuerySet.flagged, the same rules), the most urgent first."""
    cases = Case.objects.for_user(user).only("id", "reflection_end", "opened_on", "coordinator_id")
    # A case concerns its own coordinator, or everyone who may take it while nobody has; an
    # unassigned case concerns everyone who may take it.
    theirs = cases.filter(Q(coordinator=user) | Q(coordinator__isnull=True))
    due: list[Due] = []
    for flag, (kind, deadline) in REMINDED_FLAGS.items():
        due += [(kind, c, getattr(c, deadline)) for c in theirs.flagged(flag, today)]
    due += shelter_stays_due(user, today)
    due += care.due_reminders(user, today)
    return due


def shelter_stays_due(user: User, today: datetime.date) -> list[Due]:
    """A stay in a shelter reaching three months (docs/workspace.md, "Shelters"): to the help
    desk for every placement (it watches the COSM places nationally), to a coordinator for
    the placements of the cases assigned to them."""
    placements = Placement.objects.for_user(user)
    if user.is_coordinator:
        placements = placements.filter(case__coordinator=user)
    elif not user.is_helpdesk:
        return []
    return [
        (ReminderSent.Kind.SHELTER_STAY, p.case, p.stay_review_on)
        for p in placements.long_stays(today)
    ]


def reminder_mail(items: list[Due]) -> tuple[str, str]:
    """Subject and text of one recipient's reminders: case references and links only."""
    base = settings.REGISTRY_BASE_URL.rstrip("/")
    lines = []
    for kind, case, due in items:
        url = base + case.get_absolute_url()
        if kind == ReminderSent.Kind.SHELTER_STAY:
            # The help desk may not see the case page of a region with a coordinator; the
            # placement page is open to it for every case requesting shelter.
            url = base + reverse("registry:case_shelter", args=[case.pk])
        what = care.reminder_text(kind, due) or {
            ReminderSent.Kind.IMMEDIATE_DANGER: _("immediate danger (open since %(date)s)"),
            ReminderSent.Kind.REFLECTION_ENDED: _(
                "reflection period ended on %(date)s; record what follows it"
            ),
            ReminderSent.Kind.UNASSIGNED: _("new since %(date)s and still unassigned"),
            ReminderSent.Kind.REFLECTION_ENDING: _("reflection period ends on %(date)s"),
            ReminderSent.Kind.MINOR: _("a minor, no referral recorded (open since %(date)s)"),
            ReminderSent.Kind.SHELTER_STAY: _("three months in a shelter on %(date)s"),
        }[kind] % {"date": date_format(due)}
        lines.append(f"- {case}: {what}\n  {url}")
    subject = ngettext(
        "Registry: %(count)d case needs attention",
        "Registry: %(count)d cases need attention",
        len(items),
    ) % {"count": len(items)}
    body = "\n".join(
        [
            _("Good morning,"),
            "",
            _("These cases need your attention:"),
            "",
            *lines,
            "",
            _("This message holds no personal data; open the links to see the cases."),
        ]
    )
    return subject, body
