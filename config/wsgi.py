"""WSGI entry point. Refuses to start when a key (the keyring, the blind-index key or the audit
key) is missing or malformed."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

from registry.crypto import validate_configuration  # noqa: E402

validate_configuration()
