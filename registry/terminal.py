"""Progress of the long management commands on a terminal (import, exports, key rotation).

A bar of counts (rows done of rows to do, the rate, the time left) by tqdm on standard error,
shown only when standard error is a terminal, so logs and pipes get the command's summary
alone. It never shows a value: commands hand it two numbers.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from tqdm import tqdm

Progress = Callable[[int, int], None]


def _nothing(done: int, total: int) -> None:
    return None


@contextmanager
def progress_bar(label: str, stream: TextIO | None = None, unit: str = "row") -> Iterator[Progress]:
    """A ``progress(done, total)`` drawing a bar on ``stream`` (standard error by default),
    or doing nothing when the stream is not a terminal and none was given."""
    if stream is None:
        stream = sys.stderr
        if not stream.isatty():
            yield _nothing
            return
    bar = tqdm(total=0, desc=label, unit=unit, file=stream, dynamic_ncols=True, leave=True)

    def update(done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        bar.close()
