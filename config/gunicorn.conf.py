"""gunicorn's settings for the registry (``gunicorn -c config/gunicorn.conf.py``).

Everything can be changed from the environment (GUNICORN_* below, or gunicorn's own
``GUNICORN_CMD_ARGS``); docs/deployment.md explains the choices.
"""

from __future__ import annotations

import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Saves are CPU-bound (encryption, templates): a worker per core and one spare.
workers = int(os.environ.get("GUNICORN_WORKERS", str((os.cpu_count() or 1) + 1)))
# A request that takes longer is a fault; long work runs as a background job instead.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The access log names the path only: never the query string, never a body. Paths of the
# registry carry ids, no personal values (docs/security.md).
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# Behind the TLS proxy only (docs/deployment.md): trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
