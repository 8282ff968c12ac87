"""The admin site: the same login as the rest of the registry, a second factor in front."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from two_factor.admin import AdminSiteOTPRequiredMixin


class RegistryAdminSite(AdminSiteOTPRequiredMixin, admin.AdminSite):
    """Staff reach the admin only with a verified second factor.

    django-two-factor-auth's mixin sends the admin's own login page to the site's login (the
    two-step one with lockout), so there is one way in.
    """

    site_header = _("Victim registry administration")
    site_title = _("Victim registry")
    index_title = _("Administration")
