"""Settings for the victim registry, read from the environment (see README.md)."""

from __future__ import annotations

import datetime
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str, load_env_file

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DJANGO_DEBUG", False)

# A local run keeps its generated development keyring in an ignored file; production never
# reads it (the keys come from the environment only).
DEV_KEYS_FILE = VAR_DIR / "dev-keys.env"
if DEBUG:
    load_env_file(DEV_KEYS_FILE)

_INSECURE_DEV_SECRET = "django-insecure-development-only-never-in-production"  # noqa: S105
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _INSECURE_DEV_SECRET if DEBUG else "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

# The keyring: "id:key,id:key" with 32-byte URL-safe base64 keys; the first is active.
REGISTRY_ENCRYPTION_KEYS = env_str("REGISTRY_ENCRYPTION_KEYS")
# A separate 32-byte key from which the blind-index subkeys are derived.
REGISTRY_BLIND_INDEX_KEY = env_str("REGISTRY_BLIND_INDEX_KEY")
# A third 32-byte key, for the audit chain's HMAC: kept outside the database, so that write
# access to the database is not enough to rewrite the trail unnoticed.
REGISTRY_AUDIT_KEY = env_str("REGISTRY_AUDIT_KEY")
# Published figures show counts below this threshold as one mark and round the others to this
# base (reports/disclosure.py, docs/reports.md "Disclosure control").
REGISTRY_SMALL_CELL_K = env_int("REGISTRY_SMALL_CELL_K", 10)
REGISTRY_ROUNDING_BASE = env_int("REGISTRY_ROUNDING_BASE", 5)
REGISTRY_BASE_URL = env_str("REGISTRY_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # The admin site requires a verified second factor and logs in through the site's login
    # (registry.admin_site); it replaces "django.contrib.admin".
    "registry.apps.RegistryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "import_export",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "two_factor",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "registry",
    "intake",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the app servers, compressed and cached (no CDN, no extra server).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "registry.session_expiry.SessionExpiryMiddleware",
    "registry.middleware.SessionLifetimeMiddleware",
    "registry.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "registry.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "config.context_processors.page_predicates",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'registry.sqlite3'}"),
        # Persistent connections, checked before each request reuses one: opening a
        # connection per request cost more than many a page's queries (issue 12).
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Behind pgbouncer in transaction pooling, server-side cursors do not survive (deployment.md).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
    "DATABASE_DISABLE_SERVER_SIDE_CURSORS", False
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "registry.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes refuses a locked-out login before any other backend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, loading a coordinator's regions with the user (registry/auth_backends.py).
    "registry.auth_backends.RegistryBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions live in the database so app servers stay stateless; they end with the browser and
# after an idle hour, since a forgotten session on a shared computer exposes victims, and 12
# hours after the login whatever happens (registry.middleware.SessionLifetimeMiddleware).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_AGE", 60 * 60)
# Every page warns this long before the idle timeout and offers to stay signed in; the login
# page says when a session has ended (registry.session_expiry).
SESSION_WARNING_SECONDS = env_int("DJANGO_SESSION_WARNING_SECONDS", 2 * 60)
SESSION_ABSOLUTE_AGE = env_int("DJANGO_SESSION_ABSOLUTE_AGE", 12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Cookies only over HTTPS in production; `make serve` on plain http://127.0.0.1 turns it off.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Production runs behind a TLS proxy (docs/deployment.md): plain HTTP is redirected and browsers
# are told to use HTTPS only, for a year, on every subdomain.
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY", False)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
# Joining the browsers' preload list is a decision an operator takes with hstspreload.org, not
# a default; `check --deploy` would warn about it (security.W021), so that one is silenced.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Two-factor login (django-otp, django-two-factor-auth): TOTP apps and single-use backup codes.
# Coordinators, the help desk and administrators need it before any page
# (registry.middleware.SecondFactorRequiredMiddleware); the personal export asks for a code
# again when the last one is older than this.
SECOND_FACTOR_FRESH_SECONDS = env_int("REGISTRY_SECOND_FACTOR_FRESH_SECONDS", 15 * 60)
TWO_FACTOR_LOGIN_TIMEOUT = 10 * 60  # seconds between the password and the code
TWO_FACTOR_REMEMBER_COOKIE_AGE = None  # never "remember this browser": computers are shared

# Lockout (django-axes): 5 failures for one user name from one address lock that pair for 30
# minutes, the right password included. django-axes counts failures as long as each comes
# within the cool-off of the one before, so 5 failures within 15 minutes always lock (and a
# slower series can too). The user name is stored as a keyed hash (registry.lockout), never
# as typed: a failed login may carry anything, even a victim's name typed in the wrong box.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # 30 minutes, not extended by retries
AXES_USERNAME_CALLABLE = "registry.lockout.username_key"
AXES_CLIENT_IP_CALLABLE = "registry.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "registry.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the registry's own audit trail
AXES_ENABLE_ADMIN = False  # administrators unlock from the user admin (registry.admin)
AXES_VERBOSE = False
# The login wizard's field names: never stored in the attempt's record of the posted form.
AXES_PASSWORD_FORM_FIELD = "auth-password"  # noqa: S105 (a field name)
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "auth-username",
    "token-otp_token",
    "backup-otp_token",
    "ip_address",
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language, "3 december 2026" / "3 December 2026" (docs/i18n.md): templates
# use |date (or |date:"DATETIME_FORMAT"), Python django.utils.formats.date_format.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Production serves hashed, compressed files (collectstatic first: `make serve` does); DEBUG
# serves them from the source folders as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "registry@localhost")
# A stalled mail server must not hold a worker for minutes.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)
# Mail goes through the outbox (registry.outbox): a save queues it, a worker on the "mail"
# queue sends it. A failed attempt is retried after a wait that doubles from the first
# value up to the second; after the last attempt (about 18 hours with these defaults) the
# mail waits for an operator (`manage.py mail_status --retry`).
REGISTRY_MAIL_RETRY_SECONDS = env_int("REGISTRY_MAIL_RETRY_SECONDS", 60)
REGISTRY_MAIL_RETRY_MAX_SECONDS = env_int("REGISTRY_MAIL_RETRY_MAX_SECONDS", 60 * 60)
REGISTRY_MAIL_MAX_ATTEMPTS = env_int("REGISTRY_MAIL_MAX_ATTEMPTS", 24)

# Background jobs (django-tasks, database backend): no service besides the database; workers
# (`manage.py db_worker`) run on any machine that reaches it. A job's arguments and result are
# stored in clear in the database, so they carry ids and counts, never a personal value.
TASKS = {
    "default": {
        "BACKEND": env_str("REGISTRY_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "mail"],
    }
}

# Background jobs of users (registry/jobs.py): a running job whose worker has not reported for
# this long is shown as failed ("try again"); result files (exports) are kept this long.
REGISTRY_JOB_STALE_SECONDS = env_int("REGISTRY_JOB_STALE_SECONDS", 15 * 60)
REGISTRY_JOB_FILE_HOURS = env_int("REGISTRY_JOB_FILE_HOURS", 24)

# Retention (registry/retention.py, docs/security.md "Retention and erasure"): days after which
# ``manage.py apply_retention`` erases a person's personal fields and blind indexes. Statistical
# fields and the audit trail (which holds no values) are kept.
REGISTRY_RETENTION_DAYS = {
    # after the person's last case closed (or their last registration, without a case)
    "closed": env_int("REGISTRY_RETAIN_CLOSED_DAYS", 5 * 365),
    # after a reporter's submission was rejected in triage
    "rejected": env_int("REGISTRY_RETAIN_REJECTED_DAYS", 90),
    # after the person withdrew consent to care
    "consent_withdrawn": env_int("REGISTRY_RETAIN_CONSENT_WITHDRAWN_DAYS", 5 * 365),
    # the personal export's encrypted archive, after it was written (reports.personal)
    "personal_exports": env_int("REGISTRY_RETAIN_PERSONAL_EXPORT_DAYS", 7),
}

# django-import-export: exports only for users with the model's explicit export permission
# (the personal export needs a two-person grant on top, checked by reports.personal).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True

# The CSV import's caps (docs/intake.md): an upload stops being read at the byte cap
# (intake.uploads.CappedUploadHandler, first of the upload handlers), a file at the row cap.
REGISTRY_IMPORT_MAX_BYTES = env_int("REGISTRY_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
REGISTRY_IMPORT_MAX_ROWS = env_int("REGISTRY_IMPORT_MAX_ROWS", 20_000)
FILE_UPLOAD_HANDLERS = [
    "intake.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Error reports (debug page, mails) hide every posted value and frame variable.
DEFAULT_EXCEPTION_REPORTER_FILTER = "registry.error_reports.NoPersonalDataFilter"

# Logs never carry request bodies; the registry itself logs no personal values.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # django-axes logs every login at INFO; its warnings (failures, lockouts) are enough.
    # WeasyPrint (the monitor's PDF) logs each layout step at INFO, fontTools its subsetting.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
