"""Outgoing mail for an operator: what is waiting or given up, and a retry."""

from __future__ import annotations

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
        "sent twice. Exit status 1 when any mail was given up, for monitoring."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--retry",
            nargs="*",
            metavar="ID",
            help="Retry now: every undelivered mail, or the mails with these ids.",
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
        for mail in undelivered:
            queued = timezone.localtime(mail.created_at)
            self.stdout.write(
                f"{mail.pk}  {mail.status:<7}  {mail.kind:<9}  {mail.recipient}  "
                f"queued {queued:%Y-%m-%d %H:%M}  attempts {mail.attempts}  "
                f"last error {mail.last_error or '-'}  {self._next(mail, now)}"
            )
        if counts.get(OutgoingMail.Status.FAILED.value):
            raise CommandError(
                "Some mail was given up after every attempt: fix the mail server, then "
                "run manage.py mail_status --retry.",
                returncode=1,
            )

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

    def _next(self, mail: OutgoingMail, now: Any) -> str:
        if mail.status == OutgoingMail.Status.FAILED:
            return "given up: --retry"
        if mail.claimed_until and mail.claimed_until > now:
            return "being sent"
        if mail.next_attempt_at:
            return f"next attempt {timezone.localtime(mail.next_attempt_at):%Y-%m-%d %H:%M}"
        if mail.attempts == 0:
            return "waiting for a worker"
        return "no attempt scheduled: --retry"
