"""Logging in with two factors, enrolling a second factor, and proving it again.

The flows are django-two-factor-auth's (a wizard: password, then a code from an authenticator
app or a backup code; enrolment by QR code). These subclasses add what the registry needs:
its own templates, the audit trail and the session's "verified at" mark.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView
from django_otp import login as otp_login
from two_factor.views import LoginView as TwoFactorLoginView
from two_factor.views import SetupCompleteView as TwoFactorSetupCompleteView
from two_factor.views import SetupView as TwoFactorSetupView

from registry.access import requires, signed_in
from registry.choices import AuditAction
from registry.models import AuditEvent
from registry.second_factor import check_code, mark_verified


class LoginView(TwoFactorLoginView):
    """Password, then (for staff, and anyone with a device) the code. One way in.

    django-axes sits in the authentication backends, so this is also where lockout applies.
    A wrong code is audited as a failed second factor; the device throttles further tries.
    """

    template_name = "registration/login.html"

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        step = self.steps.current
        response = super().post(*args, **kwargs)
        if step in (self.TOKEN_STEP, self.BACKUP_STEP) and getattr(response, "context_data", None):
            form = response.context_data.get("form")
            if form is not None and form.is_bound and form.errors and self.get_user():
                AuditEvent.record(
                    AuditAction.SECOND_FACTOR,
                    user=self.get_user(),
                    details={"step": "failed", "screen": "login"},
                )
        return response


class SetupView(TwoFactorSetupView):
    """Enrolment of an authenticator app at first login; the session counts as verified."""

    template_name = "two_factor/core/setup.html"

    def done(self, form_list: Any, **kwargs: Any) -> HttpResponse:
        next_url = self.get_redirect_url()
        super().done(form_list, **kwargs)
        mark_verified(self.request)
        AuditEvent.record(
            AuditAction.SECOND_FACTOR,
            user=self.request.user,
            details={"step": "enrolled", "screen": "setup"},
        )
        # Always the confirmation first: it asks for backup codes before the user moves on.
        complete = reverse("two_factor:setup_complete")
        return redirect(f"{complete}?{urlencode({'next': next_url})}" if next_url else complete)


class SetupCompleteView(TwoFactorSetupCompleteView):
    """The confirmation of enrolment, with the way to backup codes and on to ``next``."""

    template_name = "two_factor/core/setup_complete.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return TemplateView.get(self, request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "next": _safe_next(self.request)}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6 digits your authenticator app shows now, or an unused backup code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@never_cache
@sensitive_post_parameters("code")
@requires(signed_in)
def reverify(request: HttpRequest) -> HttpResponse:
    """Ask for a fresh code before something that needs one (the personal export)."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = check_code(request.user, form.cleaned_data["code"], screen="reverify")
        if device is not None:
            otp_login(request, device)
            mark_verified(request)
            return redirect(_safe_next(request) or "home")
        form.add_error("code", _("That code is not valid. Wait for a new one and try again."))
    return render(
        request,
        "registration/reverify.html",
        {
            "form": form,
            "next": _safe_next(request),
            "minutes": settings.SECOND_FACTOR_FRESH_SECONDS // 60,
        },
    )
