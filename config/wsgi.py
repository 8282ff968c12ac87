"""WSGI entry point. Refuses to start when a key (the keyring, the blind-index key or the audit
key) is missing or malformed, or is not the key the stored data was made with (the key
canary, registry/canary.py)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

from registry.canary import refuse_wrong_keys  # noqa: E402
from registry.crypto import validate_configuration  # noqa: E402

validate_configuration()
refuse_wrong_keys()
