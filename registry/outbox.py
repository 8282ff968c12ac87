"""Mail through an outbox: queued in the caller's transaction, sent by a background job.

A save never talks to a mail server. :func:`queue_mail` writes an :class:`OutgoingMail` row
and enqueues :data:`deliver_mail` on the "mail" queue of django-tasks' database backend, both
in the caller's transaction: a save that rolls back leaves neither, a save that commits
leaves both, and a dead or hung mail server cannot fail or slow it. The job's only argument
is the row's id; what it returns is an outcome word; neither holds anything personal.

Delivery is once per row. The worker claims the row with one conditional UPDATE (not sent,
not held by another worker) before it opens the SMTP connection, and marks it sent after the
server accepted the message, so two jobs for one mail (an operator's retry beside a scheduled
one, two workers) send it once. The one gap SMTP leaves open: a worker that dies after the
server accepted the message and before it recorded that, resends it when the mail is retried.

A failed attempt records the error's class name and schedules the next job after a back-off
that doubles from ``REGISTRY_MAIL_RETRY_SECONDS`` up to ``REGISTRY_MAIL_RETRY_MAX_SECONDS``;
after ``REGISTRY_MAIL_MAX_ATTEMPTS`` the mail is marked failed and waits for an operator
(``manage.py mail_status --retry``, or the admin's action). docs/deployment.md, "Mail".
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from registry.carried import rows_carried_by
from registry.models.mail import OutgoingMail

logger = logging.getLogger(__name__)

MAIL_QUEUE = "mail"


def queue_mail(kind: str, recipient: str, subject: str, body: str) -> OutgoingMail:
    """Queue one e-mail in the current transaction; a worker sends it after the commit.

    ``subject`` and ``body`` are stored as they will be sent: only what may leave the
    registry (numbers, references, links), never a personal value.
    """
    mail = OutgoingMail(kind=kind, recipient=recipient, subject=subject[:200], body=body)
    # On PostgreSQL the mail's INSERT rides on django-tasks' own INSERT of the job's row: one
    # round trip instead of two on every save that notifies a coordinator.
    with transaction.atomic(savepoint=False), rows_carried_by(DBTaskResult, [mail]):
        deliver_mail.enqueue(str(mail.pk))
    return mail


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failed attempt: doubling, up to a ceiling."""
    base = settings.REGISTRY_MAIL_RETRY_SECONDS
    ceiling = settings.REGISTRY_MAIL_RETRY_MAX_SECONDS
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), ceiling))


def claim_seconds() -> int:
    """How long a worker holds a mail: well past every timeout of one SMTP conversation."""
    return max(300, 10 * int(settings.EMAIL_TIMEOUT or 0))


@task(queue_name=MAIL_QUEUE)
def deliver_mail(mail_id: str) -> str:
    """Send one queued e-mail, once; on failure record it and schedule the next attempt.

    Returns what happened: "sent", "retrying", "failed" (attempts used up), or why it did
    nothing: "already sent", "given up" (failed, not retried yet), "held" (another worker is
    sending it: this job looks again when that worker's hold ends), "gone".
    """
    now = timezone.now()
    claimed = OutgoingMail.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        pk=mail_id,
        status=OutgoingMail.Status.PENDING,
    ).update(
        claimed_until=now + datetime.timedelta(seconds=claim_seconds()),
        attempts=F("attempts") + 1,
        last_attempt_at=now,
        next_attempt_at=None,
    )
    mail = OutgoingMail.objects.filter(pk=mail_id).first()
    if mail is None:
        return "gone"
    if not claimed:
        if mail.status != OutgoingMail.Status.PENDING:
            return "already sent" if mail.status == OutgoingMail.Status.SENT else "given up"
        # Another worker holds it. Look again when its hold ends: by then it is sent, or
        # scheduled again, or its worker died while sending and this job takes it over.
        deliver_mail.using(run_after=mail.claimed_until).enqueue(str(mail.pk))
        return "held"
    try:
        EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.recipient]).send()
    except Exception as error:  # noqa: BLE001 - any failure to send is retried
        return _record_failure(mail, error)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=OutgoingMail.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        claimed_until=None,
    )
    return "sent"


def error_class(error: BaseException) -> str:
    """The class name of an error and of the one it arose from ("SMTPServerDisconnected
    (TimeoutError)": a hung server). Names only: an SMTP error's message can quote the
    server's reply, and the reply can quote what it was sent."""
    cause = error.__cause__ or error.__context__
    name = type(error).__name__
    return f"{name} ({type(cause).__name__})" if cause is not None else name


@transaction.atomic
def _record_failure(mail: OutgoingMail, error: Exception) -> str:
    error_name = error_class(error)
    logger.warning("Mail %s: attempt %d failed (%s)", mail.pk, mail.attempts, error_name)
    if mail.attempts >= settings.REGISTRY_MAIL_MAX_ATTEMPTS:
        status, next_at = OutgoingMail.Status.FAILED, None
    else:
        status, next_at = OutgoingMail.Status.PENDING, timezone.now() + retry_delay(mail.attempts)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=status, last_error=error_name, next_attempt_at=next_at, claimed_until=None
    )
    if next_at is None:
        return "failed"
    deliver_mail.using(run_after=next_at).enqueue(str(mail.pk))
    return "retrying"


@transaction.atomic
def retry(mails: Iterable[OutgoingMail]) -> int:
    """An operator's retry: each undelivered mail gets a new series of attempts, now.

    Safe beside a retry that is scheduled already: whichever job comes first sends the
    mail, the other finds it sent.
    """
    count = 0
    for mail in mails:
        if mail.status == OutgoingMail.Status.SENT:
            continue
        OutgoingMail.objects.filter(pk=mail.pk).exclude(status=OutgoingMail.Status.SENT).update(
            status=OutgoingMail.Status.PENDING, attempts=0, next_attempt_at=None
        )
        deliver_mail.enqueue(str(mail.pk))
        count += 1
    return count
