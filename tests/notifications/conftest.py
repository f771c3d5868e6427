"""Fixtures for the outbox: a real SMTP server (aiosmtpd) on a free loopback port, factories."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from collections import Counter
from email import policy

import pytest
from aiosmtpd.controller import Controller

from booking.extensions import db
from booking.notifications.services import plan_message


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SinkHandler:
    """Keeps every message it accepts. Recipients containing `refuse` get 550, `later` 450.

    `hold_at=n` makes the n-th DATA wait (after it was recorded) until `release` is set:
    the sender then has the message "in hand" and no answer yet. `on_data(n)`, when set, runs
    after the n-th message is recorded and before it is answered (a test moves its clock so).
    """

    def __init__(self, delay: float = 0.0):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.connections = 0
        self.lock = threading.Lock()
        self.delay = delay
        self.hold_at: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self.first = threading.Event()
        self.on_data = None

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "refuse" in address:
            return "550 5.1.1 no such user here"
        if "later" in address:
            return "450 4.2.1 mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            count = len(self.messages)
        self.first.set()
        if self.on_data is not None:
            self.on_data(count)
        if self.hold_at is not None and count == self.hold_at:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def message_ids(self) -> Counter:
        with self.lock:
            return Counter(m["Message-ID"] for m in self.messages)


@pytest.fixture
def smtp_sink():
    """Start an SMTP server on a free 127.0.0.1 port; yields (handler, port)."""
    handler = SinkHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        handler.port = port
        yield handler, port
    finally:
        handler.release.set()
        controller.stop()


@pytest.fixture
def smtp_app(app, smtp_sink):
    """The test app delivering through the real SMTP sink; yields the sink handler."""
    handler, port = smtp_sink
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    return handler


@pytest.fixture
def make_message():
    """Factory: plan one account_reset-style mail and commit it; returns its id."""
    counter = iter(range(1, 1_000_000))

    def factory(recipient: str = "taro@example.jp", template: str = "account_reset", **kw):
        n = next(counter)
        context = kw.pop("context", {"name": "山田 太郎", "url": f"http://x/{n}", "hours": 2})
        msg = plan_message(kw.pop("key", f"test:{n}"), recipient, template, context, **kw)
        msg_id = msg.id  # read before the commit: reading after would open a transaction
        db.session.commit()
        return msg_id

    return factory
