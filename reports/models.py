"""The reports app's only model: a proxy of Registration that carries the export permission."""

from __future__ import annotations

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
