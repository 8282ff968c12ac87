"""The reports app's models: the personal-export permission, and the statistics tally.

The tally holds the counted registrations per registration day, dimension and raw value, so
the statistics page reads a few hundred thousand small rows instead of scanning every
registration. On PostgreSQL, triggers installed by migration ``0003_statistics_tally_triggers``
keep it in the same transaction as every change to a registration, its forms of exploitation
or its cases: it cannot go stale. See docs/reports.md, "The statistics tally".
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import Registration


class PersonalExport(Registration):
    """Registrations as the personal export sees them (admin and permission only)."""

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [
            ("export_personal", _("Can export registrations with personal data")),
        ]
        verbose_name = _("personal export of registrations")
        verbose_name_plural = _("personal export of registrations")


class TallyRow(models.Model):
    """Counted registrations of one day with one raw value of one dimension.

    ``dimension`` is a raw column (``person_gender``, ``age_at_registration``, ``region_id``,
    ...), ``form``, ``shelter_placed``, ``care_received`` or ``total``; ``value`` is the raw
    value as text. Clear statistical columns only: no personal value is ever stored here.
    """

    day = models.DateField()
    dimension = models.CharField(max_length=32)
    value = models.CharField(max_length=64, blank=True)
    n = models.IntegerField()

    class Meta:
        abstract = True
        default_permissions = ()


class Tally(TallyRow):
    """The compacted tally: one row per day, dimension and value."""

    class Meta(TallyRow.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["day", "dimension", "value"], name="reports_tally_day_dimension_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.value}: {self.n}"


class TallyChange(TallyRow):
    """A change to the tally written by a trigger, until ``compact_statistics`` folds it in.

    Triggers append here instead of updating ``Tally`` rows, so concurrent registrations never
    wait for each other on a shared counter (nor deadlock on two of them).
    """

    class Meta(TallyRow.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.value}: {self.n:+d}"


class TalliedRegistration(models.Model):
    """What one counted registration adds to the tally now: its day and its items.

    ``items`` lists ``dimension<US>value`` pairs, sorted, joined by the record separator.
    A trigger compares it with the registration's current items and writes the difference
    to ``TallyChange``; an uncounted registration has no row.
    """

    registration_id = models.UUIDField(primary_key=True)
    day = models.DateField()
    items = models.TextField()

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.registration_id)
