"""Argument handling shared by the reports commands."""

from __future__ import annotations

import datetime
import os
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from reports.aggregates import Period
from reports.periods import COMMAND_FREE_DATES, PeriodRefused, PublishedPeriod


def parse_date(value: str | None, option: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} must be a date as YYYY-MM-DD, got {value!r}") from None


def parse_period(options: dict[str, Any]) -> Period:
    period = Period(
        parse_date(options.get("from"), "--from"), parse_date(options.get("to"), "--to")
    )
    if period.start and period.end and period.start > period.end:
        raise CommandError("--from must not be after --to")
    return period


def parse_published_period(options: dict[str, Any]) -> Period:
    """The period of a published file: ``--period`` as a calendar year, half-year or quarter
    that has ended; free ``--from``/``--to`` dates are refused (reports.periods)."""
    if options.get("from") or options.get("to"):
        raise CommandError(COMMAND_FREE_DATES)
    if not options.get("period"):
        raise CommandError(
            "--period is required for a published file: a calendar year, half-year, quarter "
            "or run of whole years that has ended, e.g. --period 2025, --period 2025-H1, "
            "--period 2025-Q3 or --period 2015-2019"
        )
    try:
        return PublishedPeriod.parse(options["period"]).ended().period
    except PeriodRefused as refused:
        raise CommandError(f"--period: {refused.message}") from None


def find_user(username: str | None) -> Any:
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"no user named {username!r}") from None


def check_output(path: str) -> Path:
    target = Path(path)
    if target.is_dir():
        raise CommandError(f"--output {path!r} is a directory; give a file name")
    if not target.parent.exists():
        raise CommandError(f"the folder of --output {path!r} does not exist")
    return target


@contextmanager
def atomic_file(target: Path) -> Any:
    """A temporary file beside ``target``, renamed onto it only when the block succeeds."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(handle)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def write_binary(path: str, writer: Callable[[IO[bytes]], Any]) -> Any:
    with open(path, "wb") as handle:
        return writer(handle)
