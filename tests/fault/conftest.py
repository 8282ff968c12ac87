"""Fixtures of the fault tests: a PostgreSQL cluster of their own, which a test may stop and
start, and the app served by gunicorn against it (the production stack of bench/stack.py).

The cluster is made with initdb and run with pg_ctl from Debian's PostgreSQL 15 binaries, on a
spare port in 55432-55439, in a temporary directory; it does not touch the PostgreSQL on 5432
that the rest of the suite may use, so these tests run the same on a SQLite run and on a
PostgreSQL run. initdb refuses to run as root, so as root the commands run as the postgres OS
user (runuser). Without the binaries the tests skip with a reason, except when ``CI`` is set:
then they fail, as the browser tests do (tests/e2e/conftest.py).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from bench.stack import Account, Server, create_accounts, new_keys, prepare, production_env

PG_BIN = Path("/usr/lib/postgresql/15/bin")
CLUSTER_PORTS = range(55432, 55440)
SERVER_PORT = 8142
PASSWORD = "fault-test-password-not-secret"
_HERE = Path(__file__).resolve().parent


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/fault/ as ``fault``, so ``-m "not fault"`` leaves them out."""
    for item in items:
        if _HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.fault)


def _free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _as_owner(*command: str) -> list[str]:
    """``command`` as the postgres OS user when we are root (initdb and pg_ctl refuse root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else [*command]


class Cluster:
    """A throwaway PostgreSQL cluster: ``stop()`` it mid-work, ``start()`` it again."""

    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.data = root / "data"

    def _run(self, *command: str) -> None:
        """Run a PostgreSQL binary as the cluster's owner."""
        done = subprocess.run(  # noqa: S603 (fixed binaries, our own arguments)
            _as_owner(*command), capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{Path(command[0]).name} failed: {done.stdout}{done.stderr}")

    def init(self) -> None:
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "--no-sync", "-E", "UTF8", "--locale", "C")  # fmt: skip

    def running(self) -> bool:
        status = subprocess.run(  # noqa: S603
            _as_owner(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "status"),
            capture_output=True,
            timeout=60,
            check=False,
        )
        return status.returncode == 0

    def start(self) -> None:
        if self.running():
            return
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root}"
        )
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
                  "-o", options, "-w", "start")  # fmt: skip

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server; ``immediate`` is a crash as far as the database is concerned (no
        checkpoint, recovery from the write-ahead log at the next start)."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, name: str = "postgres", **options: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in options.items())
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}" + (f"?{query}" if query else "")

    def query(self, sql: str, *params: object) -> list[tuple]:
        with psycopg.connect(self.url("fault")) as conn:
            return conn.execute(sql, params or None).fetchall()


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    if not (PG_BIN / "initdb").exists():
        reason = (
            f"{PG_BIN}/initdb not found: the fault tests run their own PostgreSQL 15 cluster "
            "(apt-get install -y postgresql-15)"
        )
        if _in_ci():
            pytest.fail(f"CI is set, so not skipping: {reason}", pytrace=False)
        pytest.skip(reason)
    port = next((p for p in CLUSTER_PORTS if _free(p)), None)
    if port is None:
        pytest.fail(f"no free port for the fault tests' cluster in {CLUSTER_PORTS}")
    root = Path(tempfile.mkdtemp(prefix="fault-pg-"))
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(root, postgres.pw_uid, postgres.pw_gid)
    cluster = Cluster(root, port)
    try:
        cluster.init()
        cluster.start()
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE fault")
        yield cluster
    finally:
        with contextlib.suppress(RuntimeError):  # already stopped by a failed test
            cluster.stop("fast")
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class App:
    """The app's environment (production settings, pointed at the cluster) and its users."""

    env: dict[str, str]
    accounts: list[Account]
    region_pks: dict[str, str]
    cluster: Cluster

    def env_with(self, **database_options: str) -> dict[str, str]:
        return {**self.env, "DATABASE_URL": self.cluster.url("fault", **database_options)}


@pytest.fixture(scope="session")
def app(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> App:
    """The cluster's database migrated and filled as `make serve` does, and six coordinators."""
    env = production_env(
        cluster.url("fault"),
        new_keys(),
        tmp_path_factory.mktemp("static"),
        SERVER_PORT,
        GUNICORN_WORKERS="2",
        LOAD_LOG_DIR=str(tmp_path_factory.mktemp("logs")),
    )
    prepare(env)
    regions = [row[0] for row in cluster.query("SELECT code FROM registry_region ORDER BY code")]
    accounts = [Account(f"fault-user-{i}", regions[i % 3]) for i in range(6)]
    return App(env, accounts, create_accounts(env, accounts, PASSWORD), cluster)


@pytest.fixture
def server(app: App) -> Iterator[Server]:
    """gunicorn (config/gunicorn.conf.py) serving the app from the cluster, on its own port."""
    with Server(app.env, SERVER_PORT, worker=False) as running:
        yield running
