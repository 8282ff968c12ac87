"""The database stops in the middle of work: nothing half-saved, and nobody told "saved" for a
record that is not there.

The database is the tests' own PostgreSQL cluster (conftest.py), stopped with pg_ctl's
``immediate`` mode: to PostgreSQL a crash, recovered from its write-ahead log at the restart.
The app runs as in production: gunicorn with config/gunicorn.conf.py for the saves, and
``manage.py import_registrations`` as an operator runs the import.
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
from dataclasses import dataclass, field

import pytest
import requests

from bench.stack import (
    PY,
    ROOT,
    Browser,
    Form,
    Refused,
    intake_values,
    letters,
    start_import,
    write_import_csv,
)
from tests.fault.conftest import PASSWORD, App

IMPORT_ROWS = 6000
SERVER_ERRORS = (500, 503)  # 503: "nothing was saved, try again" (issue 12); 500 before it


def registry_counts(app: App) -> dict[str, int]:
    tables = ("registry_registration", "registry_person", "registry_case")
    return {t: app.cluster.query(f"SELECT count(*) FROM {t}")[0][0] for t in tables}  # noqa: S608


def audit_chain_intact(app: App) -> bool:
    """``manage.py verify_audit_chain`` as an operator runs it after an incident."""
    done = subprocess.run(  # noqa: S603 (our interpreter, our arguments)
        [PY, "manage.py", "verify_audit_chain"],
        cwd=ROOT,
        env=app.env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return done.returncode == 0


def people_without_registration(app: App) -> int:
    return app.cluster.query(
        "SELECT count(*) FROM registry_person p WHERE NOT EXISTS "
        "(SELECT 1 FROM registry_registration r WHERE r.person_id = p.id)"
    )[0][0]


def wait_for_import_at_work(app: App, job: subprocess.Popen, seconds_in: float) -> None:
    """Wait until the import has been connected to the database for ``seconds_in`` seconds
    (whether it writes in one transaction or many), still running."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert job.poll() is None, "the import ended before the database could be stopped"
        connected_for = app.cluster.query(
            "SELECT extract(epoch FROM now() - backend_start) FROM pg_stat_activity "
            "WHERE application_name = 'fault-import'"
        )
        if connected_for and float(connected_for[0][0]) >= seconds_in:
            return
        time.sleep(0.1)
    pytest.fail("the import never connected to the database")


def test_database_stopped_during_import_leaves_no_partial_row_and_the_rerun_imports_all(
    app: App, tmp_path
):
    regions = [row[0] for row in app.cluster.query("SELECT code FROM registry_region")]
    path = write_import_csv(tmp_path / "registrations.csv", IMPORT_ROWS, regions)
    before = registry_counts(app)
    job = start_import(app.env_with(application_name="fault-import"), path)
    try:
        wait_for_import_at_work(app, job, seconds_in=2.0)
        app.cluster.stop("immediate")
        output, _ = job.communicate(timeout=60)
    finally:
        if job.poll() is None:
            job.kill()
        app.cluster.start()

    assert job.returncode != 0, "the import claimed success with the database stopped"
    assert registry_counts(app) == before, "rows of the interrupted import were kept"
    assert people_without_registration(app) == 0
    assert audit_chain_intact(app)
    # The failure names no personal value of the file (names, document numbers).
    assert "importfam" not in output.lower()
    assert re.search(r"IMP\d{7}", output) is None
    assert re.search(r"\b(19[6-9]\d)-0\d-1\d\b", output) is None  # dates of birth

    # The operator runs the same file again once the database is back: all of it arrives.
    rerun = start_import(app.env, path)
    output, _ = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, output[-2000:]
    after = registry_counts(app)
    assert after["registry_registration"] == before["registry_registration"] + IMPORT_ROWS
    assert after["registry_person"] == before["registry_person"] + IMPORT_ROWS


@dataclass
class Outcome:
    """What one user was told after clicking "Save"."""

    family_name: str
    number: str | None = None  # the confirmation's number: told "saved"
    status: int | None = None  # the error page's status
    body: str = ""
    failure: str = ""  # anything but a confirmation or an error page


@dataclass
class User:
    browser: Browser
    region_pk: str
    outcomes: list[Outcome] = field(default_factory=list)


def save_once(user: User, serial: int, fire: threading.Barrier) -> None:
    """Fill in the form and check it, wait for the others, click "Save", read the answer."""
    outcome = Outcome(f"Loadfamily{letters(serial)}")
    user.outcomes.append(outcome)
    review: Form | None = None
    try:
        review = user.browser.review(
            user.browser.intake_form(), intake_values(user.region_pk, letters(serial))
        )
    except (Refused, requests.RequestException) as error:
        outcome.failure = f"before saving: {error}"
    fire.wait(timeout=120)  # everyone clicks together, even one whose form failed
    if review is None:
        return
    try:
        outcome.number = user.browser.confirmation(user.browser.save(review))
    except Refused as refused:
        outcome.status = refused.status
        outcome.body = user.browser.last_body
    except requests.RequestException as error:
        outcome.failure = type(error).__name__


def burst(users: list[User], serial: int, after_fire=None) -> None:
    """One burst: every user saves at the same moment; ``after_fire()`` runs as they click."""
    fire = threading.Barrier(len(users) + 1)
    threads = [
        threading.Thread(target=save_once, args=(u, serial + i, fire)) for i, u in enumerate(users)
    ]
    for t in threads:
        t.start()
    fire.wait(timeout=120)
    if after_fire is not None:
        after_fire()
    for t in threads:
        t.join(timeout=120)


def test_database_stopped_during_a_burst_of_saves_every_user_told_saved_finds_the_record(
    app: App, server
):
    users = []
    for account in app.accounts:
        browser = Browser(server.url, timeout=60)
        browser.login(account, PASSWORD)
        users.append(User(browser, app.region_pks[account.region]))
    serial = int(time.time()) * 100

    burst(users, serial)  # the database up: everyone saves
    stopped = threading.Event()

    def stop_database() -> None:
        app.cluster.stop("immediate")
        stopped.set()

    try:
        burst(users, serial + 10, after_fire=stop_database)
        time.sleep(1)
    finally:
        app.cluster.start()
    burst(users, serial + 20)  # back: everyone saves again

    outcomes = [o for u in users for o in u.outcomes]
    told_saved = [o.number for o in outcomes if o.number]
    stored = dict(
        app.cluster.query(
            "SELECT number, count(*) FROM registry_registration WHERE number = ANY(%s) "
            "GROUP BY number",
            told_saved,
        )
    )
    missing = [n for n in told_saved if n not in stored]
    assert missing == [], f"told 'saved' but not in the database: {missing}"
    assert all(count == 1 for count in stored.values())
    assert len(set(told_saved)) == len(told_saved)
    assert [o.failure for o in outcomes if o.failure] == [], "no answer at all"
    unsaved = [o for o in outcomes if not o.number]
    assert {o.status for o in unsaved} <= set(SERVER_ERRORS)
    # The fault happened (some clicks met the stopped database) and the app came back.
    outage = [u.outcomes[1] for u in users]
    assert any(o.number is None for o in outage), "every save beat the stop: nothing tested"
    assert all(u.outcomes[0].number and u.outcomes[2].number for u in users)
    # An error page names nothing the user typed; nothing half-saved.
    for outcome in unsaved:
        assert outcome.family_name not in outcome.body
    assert people_without_registration(app) == 0
    server_log = server.log.read_text(errors="replace")
    assert "Loadfamily" not in server_log
    assert "Loadgiven" not in server_log
    assert audit_chain_intact(app)
