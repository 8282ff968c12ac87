"""Real mail servers on local ports for the outbox tests: one that answers (aiosmtpd), one
that accepts the TCP connection and never says a word, and a port where nothing listens.

Each counts what reached it, so a test can say "no connection was opened" or "each message
arrived once" without replacing Django's SMTP backend by anything.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port() -> int:
    """A port nothing listens on (the mail server is down there until a test starts one)."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Received:
    """What an SMTP server accepted: the envelope recipients and the raw message of each."""

    messages: list[tuple[list[str], bytes]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def parsed(self) -> list[EmailMessage]:
        return [message_from_bytes(raw, policy=policy.default) for _to, raw in self.messages]

    def raw_text(self) -> str:
        return "\n".join(raw.decode("utf-8", "replace") for _to, raw in self.messages)


@contextmanager
def smtp_server(port: int) -> Iterator[Received]:
    """A working SMTP server on ``port`` for the duration of the block."""
    received = Received()
    controller = Controller(received, hostname=HOST, port=port)
    controller.start()
    # aiosmtpd's start() opens one connection of its own to see that it answers; it carries
    # no message, so it does not count.
    try:
        yield received
    finally:
        controller.stop()


class StalledServer:
    """Accepts TCP connections on a port and never answers: a hung mail server.

    The kernel completes each TCP handshake into the listen backlog before the client's
    ``connect()`` returns, so ``connections()`` (which takes what waits there) counts every
    connection opened so far, without a thread or a wait.
    """

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind((HOST, 0))
        self.listener.listen(64)
        self.listener.setblocking(False)
        self.port = self.listener.getsockname()[1]
        self._held: list[socket.socket] = []

    def connections(self) -> int:
        while True:
            try:
                conn, _addr = self.listener.accept()
            except BlockingIOError:
                return len(self._held)
            self._held.append(conn)  # kept open and silent until the test ends

    def __enter__(self) -> StalledServer:
        return self

    def __exit__(self, *exc: object) -> None:
        for conn in self._held:
            conn.close()
        self.listener.close()
