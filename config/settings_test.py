"""Fast, self-contained settings for the test suite."""

from __future__ import annotations

import base64
import os

os.environ.setdefault("DJANGO_DEBUG", "0")


def _key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


# Fresh random keys per run unless the environment provides them: tests never depend on a
# fixed key and never touch a developer's keyring.
os.environ.setdefault("REGISTRY_ENCRYPTION_KEYS", f"ktest1:{_key()}")
os.environ.setdefault("REGISTRY_BLIND_INDEX_KEY", _key())
os.environ.setdefault("REGISTRY_AUDIT_KEY", _key())
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The test client and the browser tests' live server speak plain HTTP.
SECURE_SSL_REDIRECT = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No collectstatic for the tests: WhiteNoise serves from the source folders, as under DEBUG.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
