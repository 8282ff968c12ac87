"""The production stack: gunicorn with WhiteNoise, DEBUG off, as `make serve` runs it."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.registry.test_commands import PROJECT_ROOT, production_env, run_python

GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (local server)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def served(tmp_path):
    """gunicorn on a free port with production settings, after migrate and collectstatic."""
    port = _free_port()
    env = production_env(
        tmp_path,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
    )
    for args in (("migrate", "--noinput"), ("collectstatic", "--noinput", "-v", "0")):
        done = run_python(env, "manage.py", *args)
        assert done.returncode == 0, done.stdout + done.stderr
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603 (our own venv's gunicorn)
            [str(GUNICORN), "-c", "config/gunicorn.conf.py"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                time.sleep(0.1)
        yield base, log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_gunicorn_serves_the_pages_and_hashed_cacheable_static_files_without_debug(served):
    base, _log = served
    status, _headers, body = _get(f"{base}/accounts/login/")
    assert status == 200
    page = body.decode()
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', page)
    assert stylesheets, "the login page links its stylesheets"
    for path in stylesheets:
        assert re.search(r"\.[0-9a-f]{12}\.css$", path), f"{path} is not a hashed file name"
        status, headers, _body = _get(base + path)
        assert status == 200, path
        assert "immutable" in headers["Cache-Control"]
    assert "cdn" not in page.lower()


def test_the_access_log_names_the_path_but_never_the_query_string(served):
    base, log = served
    _get(f"{base}/accounts/login/?next=/cases/&q=Okonkwo-Eze")
    time.sleep(0.5)  # gunicorn writes the line after the response
    text = log.read_text()
    assert "/accounts/login/" in text
    assert "Okonkwo" not in text
    assert "q=" not in text


def test_production_settings_keep_connections_check_them_and_time_out_mail(tmp_path):
    result = run_python(
        production_env(tmp_path),
        "-c",
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], s.EMAIL_TIMEOUT, "
        "s.STORAGES['staticfiles']['BACKEND'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "60",
        "True",
        "10",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]
