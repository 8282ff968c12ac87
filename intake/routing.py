"""Routing of a new case to a care coordinator, and the coordinator's notification."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from registry import outbox
from registry.choices import Role
from registry.models import Case, OutgoingMail, Region, User


def pick_coordinator(region: Region) -> User | None:
    """The active coordinator of ``region`` with the fewest open cases; None = help desk.

    Ties go to the coordinator who joined first (lowest id), so routing is predictable. The
    open cases are read from each coordinator's count (registry OpenCaseCount, kept by
    Case.save()), not counted: counting grew with the registry.
    """
    first_two = first_coordinators(region, 2)
    if len(first_two) < 2:
        # Most regions have one coordinator (or none): no need to count anybody's cases.
        return first_two[0] if first_two else None
    return (
        User.objects.active_coordinators()
        .filter(regions=region)
        .annotate(open_cases=Coalesce("open_case_count__open_cases", 0))
        .order_by("open_cases", "pk")
        .first()
    )


def first_coordinators(region: Region, limit: int) -> list[User]:
    """The first ``limit`` active coordinators of ``region`` by primary key.

    ``User.objects.active_coordinators().filter(regions=region).order_by("pk")`` written out:
    the ORM took four times as long to build that join as the database took to
    answer it, on every intake save (bench/intake.py). Tested against the ORM's answer.
    """
    quote = connection.ops.quote_name
    user, link = User._meta, User.regions.through._meta

    def column(meta: Any, name: str) -> str:
        return quote(meta.get_field(name).column)

    sql = (
        f"SELECT u.* FROM {quote(user.db_table)} u "  # noqa: S608 - names from the models
        f"JOIN {quote(link.db_table)} r ON r.{column(link, 'user')} = u.{column(user, 'id')} "
        f"WHERE r.{column(link, 'region')} = %s AND u.{column(user, 'role')} = %s "
        f"AND u.{column(user, 'is_active')} ORDER BY u.{column(user, 'id')} LIMIT %s"
    )
    return list(User.objects.raw(sql, [region.pk, Role.COORDINATOR, limit]))


def case_url(case: Case) -> str:
    base = settings.REGISTRY_BASE_URL.rstrip("/")
    return base + case.get_absolute_url()


def is_notified(case: Case) -> bool:
    """Whether a new ``case`` is announced by e-mail: to its coordinator, if it has one with
    an address (the help desk's cases show up on the help desk's page instead)."""
    return case.coordinator is not None and bool(case.coordinator.email)


def notify_coordinator(case: Case, registration_number: str) -> None:
    """Queue the coordinator's e-mail in the save's transaction: number and link, nothing
    personal. A worker sends it after the commit (registry.outbox); the save itself never
    talks to the mail server, and a save that rolls back queues nothing.

    An e-mail leaves the registry's control, so it carries no name, date of birth or other
    personal value; the coordinator follows the link and logs in to see the case.
    """
    if not is_notified(case):
        return
    coordinator = case.coordinator
    subject = _("New registration %(number)s") % {"number": registration_number}
    body = _(
        "A new registration, %(number)s, has been routed to you in region %(region)s.\n\n"
        "Open the case (log in first): %(url)s\n\n"
        "This message holds no personal data on purpose."
    ) % {"number": registration_number, "region": case.region.name, "url": case_url(case)}
    outbox.queue_mail(OutgoingMail.Kind.NEW_CASE, coordinator.email, subject, body)
