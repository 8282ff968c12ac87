"""Outgoing mail for an operator: what is waiting or given up, and a retry."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils import timezone

from registry import outbox
from registry.models import OutgoingMail


class Command(BaseCommand):
    help = (
        "Show outgoing mail: how many are waiting, sent and given up, and each undelivered "
        "mail with its recipient, attempts, last error and next attempt. --retry tries every "
        "undelivered mail again now (or only the ids given); a mail already sent is never "
        "sent twice. Exit status 1, for monitoring, when a mail needs an operator: given up, "
        "left without a scheduled attempt, or waiting longer than --max-wait minutes past "
        "its time (no worker on the mail queue?)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--retry",
            nargs="*",
            metavar="ID",
            help="Retry now: every undelivered mail, or the mails with these ids.",
        )
        parser.add_argument(
            "--max-wait",
            type=int,
            default=15,
            metavar="MINUTES",
            help="A mail whose attempt is this late means no worker is sending (default 15).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ids = options["retry"]
        if ids is not None:
            self._retry(ids)
        counts = dict(OutgoingMail.objects.values_list("status").annotate(n=Count("pk")).order_by())
        self.stdout.write(
            ", ".join(f"{counts.get(s.value, 0)} {s.value}" for s in OutgoingMail.Status)
        )
        undelivered = OutgoingMail.objects.undelivered().order_by("created_at")
        now = timezone.now()
        late = now - datetime.timedelta(minutes=options["max_wait"])
        problems: set[str] = set()
        for mail in undelivered:
            state, problem = self._state(mail, now, late)
            if problem:
                problems.add(problem)
            queued = timezone.localtime(mail.created_at)
            self.stdout.write(
                f"{mail.pk}  {mail.status:<7}  {mail.kind:<9}  {mail.recipient}  "
                f"queued {queued:%Y-%m-%d %H:%M}  attempts {mail.attempts}  "
                f"last error {mail.last_error or '-'}  {state}"
            )
        if problems:
            raise CommandError(" ".join(sorted(problems)), returncode=1)

    def _retry(self, ids: list[str]) -> None:
        mails = OutgoingMail.objects.undelivered()
        if ids:
            try:
                wanted = {str(uuid.UUID(i)) for i in ids}
            except ValueError:
                raise CommandError("--retry takes the ids that mail_status lists.") from None
            mails = mails.filter(pk__in=wanted)
            missing = sorted(wanted - {str(pk) for pk in mails.values_list("pk", flat=True)})
            if missing:
                raise CommandError(f"Not an undelivered mail: {', '.join(missing)}")
        retried = outbox.retry(list(mails))
        self.stdout.write(f"Queued {retried} mail(s) for another attempt now.")

    def _state(self, mail: OutgoingMail, now: Any, late: Any) -> tuple[str, str]:
        """What happens next to ``mail``, and what an operator must do about it, if anything."""
        if mail.status == OutgoingMail.Status.FAILED:
            return "given up: --retry", (
                "Some mail was given up after every attempt: fix the mail server, then run "
                "manage.py mail_status --retry."
            )
        if mail.claimed_until and mail.claimed_until > now:
            return "being sent", ""
        due = mail.next_attempt_at or (mail.created_at if mail.attempts == 0 else None)
        if due is None:
            return "no attempt scheduled: --retry", (
                "Some mail has no attempt scheduled (its worker stopped while sending): run "
                "manage.py mail_status --retry."
            )
        when = f"{timezone.localtime(due):%Y-%m-%d %H:%M}"
        if due < late:
            return f"late since {when}", (
                "Some mail is late for its attempt: is a worker running on the mail queue "
                "(manage.py db_worker --queue-name mail)?"
            )
        if mail.attempts == 0:
            return "waiting for a worker", ""
        return f"next attempt {when}", ""
