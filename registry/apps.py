from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    default = True
    name = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # keyops registers the key rotation's job (registry.jobs), subject_access its file's.
        from registry import checks, keyops, signals, subject_access  # noqa: F401
        from registry.canary import write_if_missing
        from registry.reference_data import ensure_code_lists
        from registry.widgets import label_empty_choices

        label_empty_choices()

        post_migrate.connect(ensure_code_lists, sender=self)
        post_migrate.connect(write_if_missing, sender=self)


class RegistryAdminConfig(admin_apps.AdminConfig):
    """The admin, served by a site that needs a verified second factor (registry.admin_site)."""

    default = False
    default_site = "registry.admin_site.RegistryAdminSite"
