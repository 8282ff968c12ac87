"""Daily reminders by e-mail: reflection periods ending soon, new cases left unassigned."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from registry import casework
from registry.choices import Role
from registry.models import Case, ReminderSent, User


class Command(BaseCommand):
    help = (
        "E-mail coordinators and the help desk about cases whose reflection period ends within "
        "14 days and new cases unassigned for more than two working days. Safe to run twice: "
        "what was sent is recorded and not sent again. The mail holds case references and "
        "links only, never personal data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="Run as if today were this date (YYYY-MM-DD). Default: today."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be sent; send nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = self._today(options["date"])
        dry_run = options["dry_run"]
        recipients = User.objects.filter(
            is_active=True, role__in=[Role.COORDINATOR, Role.HELPDESK]
        ).order_by("username")
        mails = reminders = already = no_address = 0
        with translation.override(settings.LANGUAGE_CODE):
            for user in recipients:
                due = self._due(user, today)
                sent = set(
                    ReminderSent.objects.filter(
                        recipient=user, case__in=[c for _k, c, _d in due]
                    ).values_list("kind", "case_id", "due")
                )
                new = [(k, c, d) for k, c, d in due if (k, c.pk, d) not in sent]
                already += len(due) - len(new)
                if not new:
                    continue
                if not user.email:
                    no_address += 1
                    continue
                if not dry_run:
                    self._send(user, new)
                mails += 1
                reminders += len(new)
        # Operator output stays English like every other command's; only the e-mails are Dutch.
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(
            f"{verb} {mails} e-mail(s) with {reminders} reminder(s); "
            f"{already} reminder(s) had been sent before; "
            f"{no_address} recipient(s) without an e-mail address."
        )

    def _today(self, value: str | None) -> datetime.date:
        if not value:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--date must be a date as YYYY-MM-DD, not {value!r}") from None

    def _due(self, user: User, today: datetime.date) -> list[tuple[str, Case, datetime.date]]:
        cases = Case.objects.for_user(user).only(
            "id", "reflection_end", "opened_on", "coordinator_id"
        )
        # A reflection period concerns the case's own coordinator, or everyone who may take
        # it while nobody has; an unassigned case concerns everyone who may take it.
        ending = casework.reflection_ending_soon(cases, today).filter(
            Q(coordinator=user) | Q(coordinator__isnull=True)
        )
        due = [(ReminderSent.Kind.REFLECTION_ENDING, c, c.reflection_end) for c in ending]
        due += [
            (ReminderSent.Kind.UNASSIGNED, c, c.opened_on)
            for c in casework.unassigned_too_long(cases, today)
        ]
        return due

    def _send(self, user: User, items: list[tuple[str, Case, datetime.date]]) -> None:
        base = settings.REGISTRY_BASE_URL.rstrip("/")
        lines = []
        for kind, case, due in items:
            url = base + case.get_absolute_url()
            if kind == ReminderSent.Kind.REFLECTION_ENDING:
                what = _("reflection period ends on %(date)s") % {"date": due.isoformat()}
            else:
                what = _("new since %(date)s and still unassigned") % {"date": due.isoformat()}
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
        with transaction.atomic():
            # Recorded in the same transaction as the sending: if the mail fails, nothing is
            # recorded and the next run tries again.
            ReminderSent.objects.bulk_create(
                [ReminderSent(kind=k, case=c, recipient=user, due=d) for k, c, d in items],
                ignore_conflicts=True,
            )
            send_mail(subject, body, None, [user.email])
