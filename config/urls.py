from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from two_factor.views import BackupTokensView, QRGeneratorView

from config import views
from registry import session_expiry
from registry.access import requires, signed_in
from registry.views import account

# django-two-factor-auth's pages the registry uses, in its namespace (its views reverse
# "two_factor:..."). Not its profile or "disable" pages: a second factor is not optional for
# staff, so only an administrator resets one (registry.admin).
two_factor_patterns = (
    [
        path("setup/", requires(signed_in)(account.SetupView.as_view()), name="setup"),
        path("qrcode/", requires(signed_in)(QRGeneratorView.as_view()), name="qr"),
        path(
            "setup/complete/",
            requires(signed_in)(account.SetupCompleteView.as_view()),
            name="setup_complete",
        ),
        path(
            "backup-codes/", requires(signed_in)(BackupTokensView.as_view()), name="backup_tokens"
        ),
    ],
    "two_factor",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", account.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/verify/", account.reverify, name="reverify"),
    path("accounts/session/", session_expiry.stay_signed_in, name="stay_signed_in"),
    path("accounts/two-factor/", include(two_factor_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("registry.urls")),
    path("intake/", include("intake.urls")),
    path("statistics/", include("reports.urls")),
]

# The error pages in the site's layout (config/errors.py); a database that cannot be reached
# is answered with 503 and a page that says nothing was saved.
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
