"""The production stack in a child process, and a browser-like HTTP client, for bench/load.py
and the fault tests (tests/fault/).

What a browser does and this client copies: it submits every successful control of the form it
was shown (hidden inputs included, so a one-time form token travels as it would), plus the
values the user typed and the button the user clicked; it keeps its cookies; it logs in through
the two-step login form with the code the user's authenticator shows (TOTP, computed from the
device's secret as django-otp does: registry/management/commands/demo_code.py).

Nothing here imports Django's settings: the app runs in its own processes (gunicorn, manage.py)
with the environment ``production_env`` builds, as scripts/serve.sh runs it.
"""

from __future__ import annotations

import base64
import csv
import datetime
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import requests
from django_otp.oath import totp

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
LOGIN_PATH = "/accounts/login/"
REGISTER_PATH = "/intake/register/"
CASES_PATH = "/cases/"
LETTERS = "bdfgklmnprstvz"


def letters(n: int) -> str:
    """A unique lower-case word per number (names are letters only, as people's are)."""
    out = []
    while True:
        n, digit = divmod(n, len(LETTERS))
        out.append(LETTERS[digit] + "aeiou"[n % 5])
        if n == 0:
            return "".join(out)


NUMBER_RE = re.compile(r'id="registration-number">(\d{4}-\d{6})<')


def new_keys() -> dict[str, str]:
    """Fresh keys of the shape production asks for (the same as scripts/serve.sh writes)."""

    def key() -> str:
        return base64.urlsafe_b64encode(os.urandom(32)).decode()

    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "REGISTRY_ENCRYPTION_KEYS": f"kload1:{key()}",
        "REGISTRY_BLIND_INDEX_KEY": key(),
        "REGISTRY_AUDIT_KEY": key(),
    }


def keys_in(path: Path) -> dict[str, str]:
    """The keys kept in ``path`` (KEY=value lines), generated there once and never rewritten."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        old = os.umask(0o077)
        try:
            path.write_text("".join(f"{k}={v}\n" for k, v in new_keys().items()))
        finally:
            os.umask(old)
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {k.strip(): v.strip() for k, v in pairs}


def production_env(
    database_url: str, keys: dict[str, str], static_root: Path, port: int, **extra: str
) -> dict[str, str]:
    """The environment of `make serve` (scripts/serve.sh): DEBUG off, production keys, plain
    HTTP on 127.0.0.1 only. ``extra`` adds or overrides variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REGISTRY_"))}
    env.pop("DATABASE_URL", None)
    env.update(keys)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_STATIC_ROOT": str(static_root),
            "REGISTRY_BASE_URL": f"http://127.0.0.1:{port}",
            # No mail server here: the outbox's worker hands mail to a backend that drops it.
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    """Run ``manage.py args`` with ``env``; its output, or RuntimeError with the output."""
    done = subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare(env: dict[str, str], *, collectstatic: bool = True) -> None:
    """What scripts/serve.sh does before it serves: check, migrate, reference data, static."""
    manage(env, "check", "--deploy", "--fail-level", "ERROR")
    manage(env, "migrate", "--noinput")
    manage(env, "load_reference_data")
    if collectstatic:
        manage(env, "collectstatic", "--noinput", "-v", "0")


CREATE_STAFF = """
import json, sys
import django
django.setup()
from django_otp.plugins.otp_totp.models import TOTPDevice
from registry.choices import Role
from registry.models import Region, User
spec = json.load(sys.stdin)
for account in spec["accounts"]:
    user = User.objects.create_user(
        username=account["username"], password=spec["password"],
        email=account["username"] + "@example.org", role=Role.COORDINATOR,
    )
    user.regions.set([Region.objects.get(code=account["region"])])
    TOTPDevice.objects.create(user=user, name="default", confirmed=True, key=account["key"])
print(json.dumps({r.code: str(r.pk) for r in Region.objects.all()}))
"""


@dataclass
class Account:
    """A coordinator made for a run: their region and their authenticator's secret."""

    username: str
    region: str
    key: str = field(default_factory=lambda: secrets.token_hex(20))

    def code(self) -> str:
        """The code the authenticator shows now (django-otp's defaults: 30 s, 6 digits)."""
        return str(totp(bytes.fromhex(self.key), 30, 0, 6, 0)).zfill(6)


def create_accounts(env: dict[str, str], accounts: list[Account], password: str) -> dict[str, str]:
    """Coordinators with a confirmed authenticator, made in the app's database by the app;
    returns the primary key of each region by its code (what the intake form's select posts)."""
    spec = {
        "password": password,
        "accounts": [{"username": a.username, "region": a.region, "key": a.key} for a in accounts],
    }
    done = subprocess.run(
        [PY, "-c", CREATE_STAFF],
        cwd=ROOT,
        env=env,
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"creating the accounts failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class Server:
    """gunicorn with config/gunicorn.conf.py (the production configuration), and optionally
    a background worker beside it, as scripts/serve.sh starts them."""

    def __init__(self, env: dict[str, str], port: int, *, worker: bool = True) -> None:
        self.env, self.port, self.with_worker = env, port, worker
        self.url = f"http://127.0.0.1:{port}"
        self.processes: list[subprocess.Popen[bytes]] = []
        self.log = Path(env.get("LOAD_LOG_DIR", "/tmp")) / f"load-gunicorn-{port}.log"  # noqa: S108

    def start(self, timeout: float = 60) -> Server:
        if _port_open(self.port):
            raise RuntimeError(f"port {self.port} is in use: stop what runs there first")
        log = self.log.open("wb")
        self.processes.append(
            subprocess.Popen(
                [GUNICORN, "-c", "config/gunicorn.conf.py"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        if self.with_worker:
            self.processes.append(
                subprocess.Popen(
                    [PY, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
                    cwd=ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        deadline = time.monotonic() + timeout
        while not _port_open(self.port):
            if self.processes[0].poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn did not start; see {self.log}")
            time.sleep(0.2)
        return self

    def stop(self) -> None:
        """Stop the processes this server started (their own process groups only)."""
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes = []

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class _Forms(HTMLParser):
    """Every form of a page with its successful controls, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: tuple[str, list[str], list[str]] | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        if self._form is not None:
            self._form["fields"].append((name, value))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        name = a.get("name", "")
        if tag == "form":
            self._form = {"attrs": a, "fields": [], "radios": set()}
            self.forms.append(self._form)
        elif self._form is None or "disabled" in a:
            return
        elif tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind == "radio":
                self._form["radios"].add(name)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "reset", "image", "file"):
                self._add(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select = (name, [], [])
        elif tag == "option" and self._select is not None:
            self._select[1].append(a.get("value", ""))
            if "selected" in a:
                self._select[2].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            name, options, chosen = self._select
            # A single select with nothing selected submits its first option.
            for value in chosen or options[:1]:
                self._add(name, value)
            self._select = None
        elif tag == "textarea" and self._textarea:
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]]
    radios: set[str]

    def submission(self, typed: dict[str, Any], button: tuple[str, str] | None) -> list:
        """What the browser posts: the form's controls with the typed values in their place
        (a list value is a multiple choice), then the clicked button."""
        posted = [(k, v) for k, v in self.fields if k not in typed]
        for name, value in typed.items():
            for one in value if isinstance(value, list) else [value]:
                posted.append((name, one))
        if button is not None:
            posted.append(button)
        return posted


def find_form(html: str, predicate: Any) -> Form | None:
    """The first form whose attributes or field names satisfy ``predicate(attrs, names)``."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        names = {name for name, _ in form["fields"]}
        if predicate(form["attrs"], names):
            return Form(form["attrs"].get("action", ""), form["fields"], form["radios"])
    return None


class Refused(Exception):
    """The server answered something a browser user would see as an error."""

    def __init__(self, step: str, status: int, detail: str = "") -> None:
        super().__init__(f"{step}: HTTP {status} {detail}".strip())
        self.step, self.status = step, status


class Browser:
    """One user's browser: a cookie jar and the forms it was shown."""

    def __init__(self, base_url: str, timeout: float = 120) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.timeout = timeout
        # The last request's time from sending to the whole answer received, without the
        # client's own parsing (what a bench reports as the server's answer time).
        self.last_seconds = 0.0
        self.last_body = ""

    def get(self, path: str, step: str) -> requests.Response:
        began = time.monotonic()
        response = self.session.get(
            self.base_url + path, timeout=self.timeout, allow_redirects=False
        )
        self.last_seconds = time.monotonic() - began
        self.last_body = response.text
        if response.status_code != 200:
            raise Refused(step, response.status_code)
        return response

    def post(self, path: str, data: list, step: str, expect: int = 200) -> requests.Response:
        """POST as the page's form does; Refused unless the answer's status is ``expect``."""
        began = time.monotonic()
        response = self.session.post(
            self.base_url + path,
            data=data,
            timeout=self.timeout,
            allow_redirects=False,
            headers={"Referer": self.base_url + path},
        )
        self.last_seconds = time.monotonic() - began
        self.last_body = response.text
        if response.status_code != expect:
            raise Refused(step, response.status_code)
        return response

    def login(self, account: Account, password: str) -> None:
        """The two-step login form: user name and password, then the authenticator's code."""
        page = self.get(LOGIN_PATH, "login")
        form = find_form(page.text, lambda attrs, names: "auth-username" in names)
        if form is None:
            raise Refused("login", page.status_code, "no login form")
        typed = {"auth-username": account.username, "auth-password": password}
        answer = self.post(LOGIN_PATH, form.submission(typed, None), "login")
        form = find_form(answer.text, lambda attrs, names: "token-otp_token" in names)
        if form is None:
            raise Refused("login", answer.status_code, "no code step after the password")
        code = {"token-otp_token": account.code()}
        self.post(LOGIN_PATH, form.submission(code, None), "login", expect=302)

    def intake_form(self) -> Form:
        page = self.get(REGISTER_PATH, "form")
        form = find_form(page.text, lambda attrs, names: attrs.get("id") == "intake-form")
        if form is None:
            raise Refused("form", page.status_code, "no intake form")
        return form

    def review(self, form: Form, typed: dict[str, Any]) -> Form:
        """Post the filled-in form; the check page's form (what "Save" posts)."""
        answer = self.post(REGISTER_PATH, form.submission(typed, None), "review")
        review = find_form(answer.text, lambda attrs, names: attrs.get("id") == "review-form")
        if review is None:
            raise Refused("review", answer.status_code, "no check page (a form error?)")
        return review

    def save(self, review: Form) -> str:
        """Click "Save registration" (choosing "a new person" if matches are offered); the
        confirmation page's address."""
        typed = {"person_choice": "new"} if "person_choice" in review.radios else {}
        answer = self.post(
            REGISTER_PATH, review.submission(typed, ("step", "save")), "save", expect=302
        )
        return answer.headers["Location"]

    def confirmation(self, location: str) -> str:
        """The confirmation page; the registration number it shows (the acknowledgement)."""
        path = location.removeprefix(self.base_url)
        page = self.get(path, "confirmation")
        found = NUMBER_RE.search(page.text)
        if found is None:
            raise Refused("confirmation", page.status_code, "no registration number")
        return found.group(1)


def intake_values(region_pk: str, serial: str) -> dict[str, Any]:
    """What a coordinator types for one police report; the names are unique per ``serial`` so
    every save is a new person (and a double save shows as one person registered twice)."""
    return {
        "registered_on": time.strftime("%Y-%m-%d"),
        "reporter_type": "police",
        "region": region_pk,
        "given_names": f"Loadgiven{serial}",
        "family_name": f"Loadfamily{serial}",
        "date_of_birth": "1995-03-14",
        "gender": "female",
        "nationality": "RO",
        "country_of_birth": "RO",
        "languages": "Romanian",
        "phone": "+40 700 000 001",
        "id_document_country": "RO",
        "id_document_number": f"LD{serial}",
        "exploitation_forms": ["sexual"],
        "sector": "window",
        "exploitation_country": "NL",
        "scope": "cross_border",
        "means_of_control": ["debt_bondage", "threats"],
        "residence_status": "reflection_period",
        "file_type": "registration_shelter",
        "shelter_requested": "cosm",
        "consent_registration": "on",
        "consent_signed_by": "victim",
        "consent_care": "on",
    }


def write_import_csv(path: Path, rows: int, regions: list[str]) -> Path:
    """A valid file in the interchange format (VOCABULARY.md) of ``rows`` police reports of
    this year, numbers left to the registry, unique names so that no row links to another."""
    columns = [
        "registration_number", "registered_on", "reporter_type", "region", "given_names",
        "family_name", "date_of_birth", "age_at_registration", "gender", "nationality",
        "exploitation_forms", "sector", "exploitation_country", "file_type",
        "id_document_number", "consent_registration", "consent_care",
    ]  # fmt: skip
    today = datetime.date.today()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for n in range(rows):
            writer.writerow(
                [
                    "",
                    (today - datetime.timedelta(days=n % 28)).isoformat(),
                    ["police", "kmar", "labour_inspectorate"][n % 3],
                    regions[n % len(regions)],
                    f"Imp{letters(n)}",
                    f"Importfam{letters(n)}",
                    f"{1960 + n % 40}-0{1 + n % 9}-1{n % 9}",
                    "",
                    ["female", "male", "other", "unknown"][n % 4],
                    ["NL", "RO", "BG", "NG"][n % 4],
                    ["sexual", "labour;criminal", "labour", "unknown"][n % 4],
                    ["window", "agriculture", "", "unknown"][n % 4],
                    "NL",
                    "registration",
                    f"IMP{n:07d}",
                    "yes",
                    "no",
                ]
            )
    return path


def start_import(env: dict[str, str], path: Path) -> subprocess.Popen[str]:
    """Start the import the way an operator runs it today: ``manage.py import_registrations
    FILE``. When imports become background jobs, this is the one function to change (enqueue
    the job and return something with ``poll()``, ``communicate()`` and ``returncode``);
    bench/load.py and tests/fault use it."""
    return subprocess.Popen(
        [PY, "manage.py", "import_registrations", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit("bench/stack.py is a library: run bench/load.py")
