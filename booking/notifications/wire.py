"""A rendered mail made ready for SMTP once, in the thread that renders it: its bytes as
`smtplib.send_message` would write them, and its envelope; the sender thread then only
talks to the server (its CPU would otherwise compete for the GIL with the next rendering).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from email.generator import BytesGenerator
from email.header import Header
from email.message import Message
from email.policy import Compat32
from email.utils import getaddresses
from functools import lru_cache

# A bare dot-atom address, which `getaddresses` would return as it is (without its ~50 µs).
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")


def plain_address(value: str) -> bool:
    """A bare dot-atom address (`member@example.jp`): parsing it would return it as it is."""
    return _PLAIN_ADDRESS.fullmatch(value) is not None


@lru_cache(maxsize=64)
def _envelope_sender(value: str) -> str:
    return getaddresses([value])[0][1]


class _WirePolicy(Compat32):
    """compat32 with CRLF, as `smtplib.send_message` flattens, but a short printable ASCII
    header is written as it is: compat32 runs every header through `email.header.Header`,
    which returns such a value unchanged at a cost of ~60 µs each, a dozen per mail."""

    def fold_binary(self, name, value):
        if (isinstance(value, str) and len(name) + len(value) + 2 <= self.max_line_length
                and value.isascii() and value.isprintable() and "  " not in value
                and value == value.strip()):  # fmt: skip
            return f"{name}: {value}{self.linesep}".encode("ascii")
        if type(value) is Utf8Header and self is _WIRE:
            return _folded_utf8(name, value.text)
        return super().fold_binary(name, value)


class Utf8Header(Header):
    """A header in UTF-8 encoded words, whose text is kept: flattened for the wire, its folded
    form is looked up by that text (a subject is the same for every reminder of an event)."""

    def __init__(self, text: str):
        super().__init__(text, "utf-8")
        self.text = text


@lru_cache(maxsize=1024)
def _folded_utf8(name: str, text: str) -> bytes:
    return Compat32.fold_binary(_WIRE, name, Header(text, "utf-8"))


_WIRE = _WirePolicy(linesep="\r\n")


@dataclass(frozen=True)
class Prepared:
    """A message flattened once, ahead of its send, with its envelope: the bytes are those
    `smtplib.send_message` would write, and sending them is all that is left to do."""

    message: Message
    sender: str
    recipients: tuple[str, ...]
    data: bytes

    def __getitem__(self, name: str):
        return self.message[name]


def prepare(message: Message) -> Prepared | Message:
    """`message` ready for the wire; a message with a Bcc, Resent or Sender header, or with
    addresses that need SMTPUTF8, is left to `smtplib.send_message` as it is."""
    if any(name in message for name in ("Bcc", "Cc", "Sender", "Resent-Date")):
        return message
    to = message.get_all("To", [])
    sender = message["From"]
    if len(to) != 1 or not isinstance(to[0], str) or not isinstance(sender, str):
        return message
    recipients = (
        (to[0],)
        if plain_address(to[0])
        else (tuple(address for _name, address in getaddresses(to)))
    )
    envelope = _envelope_sender(sender)
    if not "".join([envelope, *recipients]).isascii():
        return message
    out = io.BytesIO()
    BytesGenerator(out, policy=_WIRE).flatten(message)
    return Prepared(message, envelope, recipients, out.getvalue())
