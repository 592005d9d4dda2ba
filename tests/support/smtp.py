"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, parsed."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from collections.abc import Callable

from aiosmtpd.controller import Controller


@dataclass
class Arrived:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def part(self, content_type: str) -> str | None:
        for p in self.message.walk():
            if p.get_content_type() == content_type:
                return p.get_content()
        return None


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        s = self.server
        with s.lock:
            s.seen += 1
            if s.on_data is not None:
                verdict = s.on_data(s.seen)
                if verdict:
                    return verdict
            if s.fail_next:
                s.fail_next -= 1
                return "451 4.3.0 Try again later"
            msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
            s.received.append(Arrived(envelope.mail_from, list(envelope.rcpt_tos), msg))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    def __init__(self) -> None:
        self.received: list[Arrived] = []
        self.fail_next = 0
        self.seen = 0
        self.on_data: Callable[[int], str | None] | None = None  # may answer for the n-th message
        self.lock = threading.Lock()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=_free_port())

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    @property
    def port(self) -> int:
        return self.controller.port

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list[Arrived]:
        return [m for m in self.received if address in m.rcpt_tos]
