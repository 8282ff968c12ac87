"""The admin site: the same login as the rest of the registry, a second factor in front."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, path
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

    def get_urls(self) -> list[URLPattern | URLResolver]:
        # Django's "view on site" redirects to any object's page whatever the user may see,
        # which tells whether a record exists; this one looks the object up through for_user.
        urls = [u for u in super().get_urls() if getattr(u, "name", None) != "view_on_site"]
        return [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            *urls,
        ]

    def view_on_site(
        self, request: HttpRequest, content_type_id: int, object_id: str
    ) -> HttpResponse:
        """Redirect to the object's page if the user may see the object; otherwise 404."""
        content_type = ContentType.objects.filter(pk=content_type_id).first()
        model = content_type.model_class() if content_type is not None else None
        if model is None or not hasattr(model, "get_absolute_url"):
            raise Http404
        rows = model._default_manager.all()
        if hasattr(rows, "for_user"):
            rows = rows.for_user(request.user)
        try:
            obj = rows.filter(pk=object_id).first()
        except (ValidationError, ValueError):
            obj = None
        if obj is None:
            raise Http404
        return redirect(obj.get_absolute_url())
