"""Intake owns no tables; a proxy of Registration gives it its own admin page (CSV import)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from registry.models import Registration


class RegistrationImport(Registration):
    """Registrations as seen by the CSV import in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("registration import")
        verbose_name_plural = _("registration imports")
