"""Load bench: concurrent coordinators doing the browser's intake against the production stack.

Run from the repository root (or `make load LOAD_ARGS="..."`):

    .venv/bin/python bench/load.py                          # 20, 50 and 100 users, 60 s each
    .venv/bin/python bench/load.py --users 20 --duration 30 # a quick check
    .venv/bin/python bench/load.py --users 20 --with-import # the save's p95 during an import

What it does, in one run:

1. Makes a PostgreSQL database afresh on 127.0.0.1 (its name must contain "bench"; it is
   dropped at the end), keys kept in var/load-bench.env (generated once, never in git), and
   prepares it as scripts/serve.sh does (check --deploy, migrate, reference data, static).
2. Starts gunicorn with config/gunicorn.conf.py (DEBUG off) and a background worker, with
   bench/load_settings.py: the production settings plus one URL, the baseline below.
3. Makes one coordinator per simulated user (regions taken in turn), each with an
   authenticator; every user logs in through the two-step login form with its current code.
4. For each --users N: a baseline phase, then an intake phase, each --duration seconds:
   - baseline: the N users repeat one signed-in POST that writes one row (bench/load_urls.py):
     the cheapest write the same stack can serve, so rows/s is the ceiling a registration is
     measured against (docs/PERFORMANCE.md says why);
   - intake: the N users repeat the browser's intake: GET the form, POST it (the check page),
     POST "Save" with every control of the check page (hidden inputs and all, as a browser),
     GET the confirmation (its registration number is the acknowledgement), GET the case list.
   With --with-import, the first N runs the intake phase a second time while an operator's
   20,000-row import runs (``start_import``), and compares the save's p95.
5. Afterwards every acknowledged number is looked up in the database: lost (missing),
   duplicated (the number twice, or the person of one save registered twice).

Prints per N: registrations/s, baseline rows/s and their ratio (goal >= 0.2 at 20 users),
p50/p95 of each step, lost/duplicated/errors (goal 0/0/0), and at the end one RESULT line. Goals
are reported, never asserted: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stack import (  # noqa: E402
    ROOT,
    Account,
    Browser,
    Refused,
    Server,
    create_accounts,
    intake_values,
    keys_in,
    letters,
    prepare,
    production_env,
    start_import,
    write_import_csv,
)

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/h_load_bench"
PASSWORD = "load-bench-password-not-secret"
BASELINE_PATH = "/bench/one-row/"
STEPS = ("login", "baseline", "form", "review", "save", "confirmation", "case_list")
STEPS = tuple(s for step in STEPS for s in (step, f"{step} failed"))


@dataclass
class Phase:
    """What one phase measured: per step, the durations of answered requests and the errors."""

    name: str
    users: int
    seconds: float = 0.0
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    started: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    acknowledged: list[str] = field(default_factory=list)
    import_summary: tuple[bool, float, list[str]] | None = None
    client_cpu: float = 0.0  # CPU seconds of this process (the simulated browsers)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, step: str, began: float, took: float) -> None:
        with self.lock:
            self.times[step].append(took)
            self.started[step].append(began)

    def error(self, step: str, what: str) -> None:
        with self.lock:
            self.errors[f"{step} {what}"] += 1

    def rate(self, step: str) -> float:
        return len(self.times[step]) / self.seconds if self.seconds else 0.0


def timed(phase: Phase, step: str, browser: Browser, call, *args):
    """Call ``call(*args)``, one request of ``browser``, and record how long the request took
    (the client's parsing of the answer left out). A login is two requests: the whole call.
    A request that fails is recorded too, under "<step> failed": its user waited as long."""
    began = time.monotonic()
    try:
        result = call(*args)
    except Exception:
        phase.record(f"{step} failed", began, time.monotonic() - began)
        raise
    took = time.monotonic() - began if step == "login" else browser.last_seconds
    phase.record(step, began, took)
    return result


def percentile(values: list[float], p: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


# --- the database -------------------------------------------------------------------------


def admin_url(database_url: str) -> tuple[str, str]:
    """The server's maintenance database URL and the bench database's name."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql") or parts.hostname != "127.0.0.1":
        sys.exit(
            f"--database must be PostgreSQL on 127.0.0.1, not {parts.scheme}://{parts.hostname}"
        )
    if "bench" not in name:
        sys.exit(f"refusing database {name!r}: its name must contain 'bench' (it is dropped)")
    return parts._replace(path="/postgres").geturl(), name


def recreate(database_url: str, *, drop_only: bool = False) -> None:
    server, name = admin_url(database_url)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def make_baseline_table(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE bench_load_row (id bigserial PRIMARY KEY, payload text NOT NULL, "
            "written_at timestamptz NOT NULL DEFAULT now())"
        )


def region_codes(database_url: str) -> list[str]:
    with psycopg.connect(database_url) as conn:
        return [row[0] for row in conn.execute("SELECT code FROM registry_region ORDER BY code")]


def verify(database_url: str, acknowledged: list[str]) -> tuple[int, int]:
    """(lost, duplicated) among acknowledged numbers: missing from the database; or stored
    twice, or belonging to a person registered more than once (every save is a new person)."""
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT r.number, (SELECT count(*) FROM registry_registration o "
            "WHERE o.person_id = r.person_id) FROM registry_registration r "
            "WHERE r.number = ANY(%s)",
            [acknowledged],
        ).fetchall()
    found = Counter(number for number, _ in rows)
    lost = sum(1 for number in set(acknowledged) if number not in found)
    duplicated = sum(n - 1 for n in found.values()) + sum(1 for _, n in rows if n > 1)
    duplicated += len(acknowledged) - len(set(acknowledged))
    return lost, duplicated


def count_registrations(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        return conn.execute("SELECT count(*) FROM registry_registration").fetchone()[0]


# --- the import ---------------------------------------------------------------------------


# --- the users ----------------------------------------------------------------------------


@dataclass
class User:
    account: Account
    region_pk: str
    browser: Browser


def log_in(users: list[User], phase: Phase) -> None:
    """Log in those who are not yet, all at once, as at the start of a working day."""

    def one(user: User) -> None:
        try:
            timed(phase, "login", user.browser, user.browser.login, user.account, PASSWORD)
        except Refused as refused:
            phase.error("login", f"HTTP {refused.status}")
        except Exception as error:  # noqa: BLE001 (a failed request is a measured error)
            phase.error("login", type(error).__name__)

    threads = [threading.Thread(target=one, args=(u,)) for u in users]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    phase.seconds = time.monotonic() - began


def baseline_loop(user: User, phase: Phase, deadline: float) -> None:
    browser = user.browser
    token = browser.session.cookies.get("csrftoken", "")
    while time.monotonic() < deadline:
        try:
            timed(
                phase,
                "baseline",
                browser,
                browser.post,
                BASELINE_PATH,
                [("csrfmiddlewaretoken", token), ("payload", "x")],
                "baseline",
            )
        except Refused as refused:
            phase.error("baseline", f"HTTP {refused.status}")
        except Exception as error:  # noqa: BLE001
            phase.error("baseline", type(error).__name__)


def intake_loop(user: User, phase: Phase, deadline: float, serial: list[int]) -> None:
    browser = user.browser
    step = "form"
    while time.monotonic() < deadline:
        try:
            step = "form"
            form = timed(phase, "form", browser, browser.intake_form)
            with phase.lock:
                serial[0] += 1
                n = serial[0]
            step = "review"
            review = timed(
                phase,
                "review",
                browser,
                browser.review,
                form,
                intake_values(user.region_pk, letters(n)),
            )
            step = "save"
            location = timed(phase, "save", browser, browser.save, review)
            step = "confirmation"
            number = timed(phase, "confirmation", browser, browser.confirmation, location)
            with phase.lock:
                phase.acknowledged.append(number)
            step = "case_list"
            timed(phase, "case_list", browser, browser.get, "/cases/", "case_list")
        except Refused as refused:
            phase.error(refused.step, f"HTTP {refused.status}")
        except Exception as error:  # noqa: BLE001
            phase.error(step, type(error).__name__)


def run_phase(users: list[User], phase: Phase, loop, duration: float, *extra) -> Phase:
    deadline = time.monotonic() + duration
    threads = [threading.Thread(target=loop, args=(u, phase, deadline, *extra)) for u in users]
    began, cpu = time.monotonic(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    phase.seconds = time.monotonic() - began
    phase.client_cpu = time.process_time() - cpu
    return phase


# --- the report ---------------------------------------------------------------------------


def print_phase(phase: Phase) -> None:
    print(
        f"  {phase.name}: {phase.seconds:.1f} s; the simulated browsers used "
        f"{phase.client_cpu:.1f} s of CPU on the same machine"
    )
    print(f"    {'step':<13}{'n':>7}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for step in STEPS:
        values = phase.times.get(step)
        if values:
            print(
                f"    {step:<13}{len(values):>7}{phase.rate(step):>8.2f}"
                f"{percentile(values, 50) * 1000:>9.0f}{percentile(values, 95) * 1000:>9.0f}"
            )
    if phase.errors:
        print("    errors: " + ", ".join(f"{k}: {v}" for k, v in sorted(phase.errors.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, nargs="+", default=[20, 50, 100])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per phase")
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--port", type=int, default=8141)
    parser.add_argument("--with-import", action="store_true")
    parser.add_argument("--import-rows", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    admin_url(args.database)  # refuses a name without "bench" before anything else
    var = ROOT / "var"
    env = production_env(
        args.database,
        keys_in(var / "load-bench.env"),
        var / "load-static",
        args.port,
        DJANGO_SETTINGS_MODULE="bench.load_settings",
        LOAD_LOG_DIR=str(var),
    )
    print(f"database {urlsplit(args.database).path.lstrip('/')} made afresh; preparing ...")
    recreate(args.database)
    try:
        prepare(env)
        make_baseline_table(args.database)
        regions = region_codes(args.database)
        accounts = [
            Account(f"load-user-{i:03d}", regions[i % len(regions)]) for i in range(max(args.users))
        ]
        region_pks = create_accounts(env, accounts, PASSWORD)
        with Server(env, args.port) as server:
            print(f"gunicorn on {server.url} (config/gunicorn.conf.py), log {server.log}")
            measure(args, env, server, accounts, region_pks, regions)
    finally:
        if not args.keep:
            recreate(args.database, drop_only=True)


def measure(
    args: argparse.Namespace,
    env: dict[str, str],
    server: Server,
    accounts: list[Account],
    region_pks: dict[str, str],
    regions: list[str],
) -> None:
    users = [User(a, region_pks[a.region], Browser(server.url)) for a in accounts]
    serial = [random.randrange(10**6) * 10**6]  # noqa: S311 (names unique across runs)
    results = []
    acknowledged = 0
    imported = 0
    for n in args.users:
        logins = Phase("logins", n)
        log_in([u for u in users[:n] if "sessionid" not in u.browser.session.cookies], logins)
        baseline = run_phase(users[:n], Phase("baseline", n), baseline_loop, args.duration)
        intake = run_phase(users[:n], Phase("intake", n), intake_loop, args.duration, serial)
        acknowledged += len(intake.acknowledged)
        print(f"\n== {n} users ==")
        for phase in (logins, baseline, intake):
            print_phase(phase)
        results.append(judge(args.database, baseline, intake))
        if args.with_import and n == args.users[0]:
            busy = intake_during_import(args, env, users[:n], serial, regions)
            acknowledged += len(busy.acknowledged)
            imported += args.import_rows if busy.import_summary[0] else 0
            print_phase(busy)
            results[-1] += " " + judge_import(args, intake, busy)
    total = count_registrations(args.database)
    print(
        "\nsaved without an acknowledgement (the user saw an error, the save was kept): "
        f"{total - imported - acknowledged}"
    )
    planted = planted_in_log(server.log)
    print(f"personal values typed or imported found in the server's log: {planted} (goal 0)")
    for line in results:
        print(f"RESULT {line}")


def planted_in_log(log: Path) -> int:
    """How often the names typed or imported (all start with a marker) stand in the log."""
    text = log.read_text(errors="replace")
    return sum(text.count(marker) for marker in ("Loadgiven", "Loadfamily", "Importfam", "IMP0"))


def intake_during_import(
    args: argparse.Namespace,
    env: dict[str, str],
    users: list[User],
    serial: list[int],
    regions: list[str],
) -> Phase:
    """The intake phase again while the import runs; the saves that began before the import
    ended are kept apart as "save during import"."""
    path = write_import_csv(var_path("load-import.csv"), args.import_rows, regions)
    began = time.monotonic()
    job = start_import(env, path)
    phase = run_phase(users, Phase("intake during import", len(users)), intake_loop,
                      args.duration, serial)  # fmt: skip
    output, _ = job.communicate()
    ended = time.monotonic()
    path.unlink()  # made-up names, but names: not left lying about
    phase.times["save during import"] = during_import(phase, ended)
    phase.import_summary = (job.returncode == 0, ended - began, output.strip().splitlines()[-1:])
    return phase


def during_import(phase: Phase, ended: float) -> list[float]:
    """The times of the saves begun before the import ended, answered or failed."""
    times = []
    for step in ("save", "save failed"):
        pairs = zip(phase.times[step], phase.started[step], strict=True)
        times += [took for took, start in pairs if start < ended]
    return times


def judge(database: str, baseline: Phase, intake: Phase) -> str:
    """Print the goals of one number of users; the RESULT line's figures."""
    lost, duplicated = verify(database, intake.acknowledged)
    errors = sum(intake.errors.values())
    reg_s, rows_s = intake.rate("confirmation"), baseline.rate("baseline")
    ratio = reg_s / rows_s if rows_s else 0.0
    print(
        f"  registrations/s {reg_s:.2f}, baseline rows/s {rows_s:.1f}, ratio {ratio:.3f} "
        "(goal at 20 users >= 0.2)"
    )
    print(
        f"  acknowledged {len(intake.acknowledged)}: lost {lost}, duplicated {duplicated}, "
        f"errors {errors} (goal 0/0/0)"
    )
    return (
        f"users={intake.users} reg/s={reg_s:.2f} rows/s={rows_s:.1f} ratio={ratio:.3f} "
        f"lost={lost} dup={duplicated} errors={errors}"
    )


def judge_import(args: argparse.Namespace, quiet: Phase, busy: Phase) -> str:
    """Print the import's goal (save p95 during the import at most 2x without); RESULT part."""
    assert busy.import_summary is not None
    ok, took, last = busy.import_summary
    during = busy.times["save during import"]
    p95_quiet = percentile(quiet.times["save"] + quiet.times["save failed"], 95)
    p95_busy = percentile(during, 95)
    lost, duplicated = verify(args.database, busy.acknowledged)
    errors = sum(busy.errors.values())
    print(f"  import of {args.import_rows} rows: {'done' if ok else 'FAILED'} in {took:.1f} s")
    print(f"    {' '.join(last)}")
    print(
        f"  save p95 without the import {p95_quiet * 1000:.0f} ms, during it "
        f"{p95_busy * 1000:.0f} ms ({len(during)} saves, the failed ones with the time until "
        f"their error): ratio {p95_busy / p95_quiet:.2f} (goal <= 2)"
    )
    print(
        f"  acknowledged during the import {len(busy.acknowledged)}: lost {lost}, "
        f"duplicated {duplicated}, errors {errors} (goal 0/0/0)"
    )
    return (
        f"import_ok={ok} import_s={took:.1f} save_p95_ratio={p95_busy / p95_quiet:.2f} "
        f"import_lost={lost} import_dup={duplicated} import_errors={errors}"
    )


def var_path(name: str) -> Path:
    path = ROOT / "var" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


if __name__ == "__main__":
    main()
