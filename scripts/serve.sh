#!/usr/bin/env bash
# `make serve`: the production stack on this machine. DEBUG off, gunicorn with WhiteNoise, a
# background worker beside it, keys generated once into var/serve.env (ignored by git, never
# overwritten) and a database of its own (var/serve.sqlite3 unless DATABASE_URL is set).
# Plain HTTP on 127.0.0.1 only: no TLS proxy, so HTTPS redirects and HSTS are off here.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
ENV_FILE=var/serve.env
mkdir -p var
if [ ! -f "$ENV_FILE" ]; then
    umask 077
    $PY - > "$ENV_FILE" <<'PYEOF'
import base64, os, secrets
key = lambda: base64.urlsafe_b64encode(os.urandom(32)).decode()
print(f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}")
print(f"REGISTRY_ENCRYPTION_KEYS=kserve1:{key()}")
print(f"REGISTRY_BLIND_INDEX_KEY={key()}")
print(f"REGISTRY_AUDIT_KEY={key()}")
PYEOF
    echo "make serve: wrote new keys to $ENV_FILE"
fi
set -a
# shellcheck disable=SC1090
. "$ENV_FILE"
set +a
unset DJANGO_DEBUG
export DATABASE_URL="${DATABASE_URL:-sqlite:///$PWD/var/serve.sqlite3}"
export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}"
export DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_HSTS_SECONDS=0 DJANGO_SECURE_COOKIES=0
export REGISTRY_BASE_URL="${REGISTRY_BASE_URL:-http://127.0.0.1:8000}"

$PY manage.py check --deploy --fail-level ERROR
$PY manage.py migrate --noinput
$PY manage.py load_reference_data
$PY manage.py collectstatic --noinput -v 0
echo "make serve: http://127.0.0.1:8000 (no demo users here: create an administrator with"
echo "  set -a; . $ENV_FILE; set +a; DATABASE_URL=$DATABASE_URL .venv/bin/python manage.py createsuperuser)"
$PY manage.py db_worker --queue-name '*' --no-reload &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
.venv/bin/gunicorn -c config/gunicorn.conf.py
