"""A mail prepared for the wire is, byte for byte, what `smtplib.send_message` would send; and
a delivery is held at its final line until the previous message's mark is in."""

from __future__ import annotations

import io
from email.generator import BytesGenerator
from email.mime.text import MIMEText

import pytest

from booking.notifications import mailer
from booking.notifications.dispatcher import render_message
from booking.notifications.models import OutboxMessage
from booking.notifications.render import text_part
from booking.notifications.wire import Prepared, prepare
from tests.notifications.test_mail_content import ICS
from tests.notifications.test_snapshots import CASES


def _as_send_message_writes(message) -> bytes:
    out = io.BytesIO()
    BytesGenerator(out).flatten(message, linesep="\r\n")  # smtplib.send_message's own call
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_prepared_mail_is_the_bytes_send_message_would_write(app, name):
    template, locale, context = CASES[name]
    for recipient, ics in (("taro@example.jp", None), ("山田 太郎 <taro.yamada@example.jp>", ICS)):
        msg = OutboxMessage(
            dedupe_key=f"wire:{name}", recipient=recipient, template=template, context=context,
            locale=locale, transactional=True, resends=0, ics=ics,
        )  # fmt: skip
        mail = render_message(msg)
        prepared = prepare(mail)
        assert isinstance(prepared, Prepared)
        assert prepared.data == _as_send_message_writes(mail)
        assert prepared.recipients == (recipient.rsplit("<", 1)[-1].rstrip(">"),)
        assert prepared["Message-ID"] == mail["Message-ID"]


def test_a_long_subject_is_folded_as_the_email_package_folds_it(app):
    title = "事業承継セミナー「親族内承継の進め方」" * 4
    msg = OutboxMessage(
        dedupe_key="wire:long", recipient="taro@example.jp", template="reminder", locale="ja",
        context={"name": "山田 太郎", "title": title, "when": "6月1日", "where": "本部",
                 "number": "R-1", "url": "http://x/1", "anchor": "start", "offset": "P1D"},
        transactional=True, resends=0,
    )  # fmt: skip
    for _ in range(2):  # the second time from the folded form kept for that subject
        mail = render_message(msg)
        assert prepare(mail).data == _as_send_message_writes(mail)


def test_a_text_part_is_mimetext_byte_for_byte():
    for text in ("", "ascii only\n", "日本語の本文\r\n二行目\n" * 40, ".dot line\n"):
        for subtype in ("plain", "html", "calendar"):
            ours = _as_send_message_writes(text_part(text, subtype))
            assert ours == _as_send_message_writes(MIMEText(text, subtype, "utf-8"))


def test_a_failed_mark_before_the_final_line_delivers_nothing(app, smtp_app):
    """The hook runs after the data, before the "."; if it fails, the message is not delivered
    (the connection is dropped with the data unended) and the next one still goes out."""
    msg = OutboxMessage(
        dedupe_key="wire:hold", recipient="taro@example.jp", template="account_reset",
        locale="ja", context={"name": "山田 太郎", "url": "http://x/1", "hours": 2},
        transactional=True, resends=0,
    )  # fmt: skip
    calls = []

    def failing_mark():
        calls.append(len(smtp_app.messages))
        raise RuntimeError("mark failed")

    with mailer.Connection() as connection:
        connection.before_data = failing_mark
        with pytest.raises(RuntimeError):
            connection.send(prepare(render_message(msg)))
    assert calls == [0] and smtp_app.messages == []
    with mailer.Connection() as connection:
        connection.send(prepare(render_message(msg)))
    assert len(smtp_app.messages) == 1


def _unusual_mails():
    """Shapes our rendering does not make, each as a full mail `prepare` accepts."""
    from email.message import Message
    from email.mime.message import MIMEMessage
    from email.mime.multipart import MIMEMultipart

    crlf = MIMEText("line one\r\nline two\rline three\n", "plain", "us-ascii")
    from_line = MIMEText("From the start\nFrom here\n>From there\n", "plain", "us-ascii")
    eight_bit = Message()
    eight_bit["Content-Type"] = 'text/plain; charset="utf-8"'
    eight_bit["Content-Transfer-Encoding"] = "8bit"
    eight_bit.set_payload("日本語の本文\n")
    with_preamble = MIMEMultipart("mixed", _subparts=[crlf], boundary="=_b1")
    with_preamble.preamble = "This is a multi-part message.\n"
    with_epilogue = MIMEMultipart("alternative", _subparts=[from_line], boundary="=_b2")
    with_epilogue.epilogue = "end\n"
    free_boundary = MIMEMultipart("alternative", _subparts=[crlf, from_line])
    empty = MIMEMultipart("mixed", _subparts=[], boundary="=_b3")
    forwarded = MIMEMultipart("mixed", _subparts=[MIMEMessage(MIMEText("inner\n"))])
    no_payload = Message()
    for mail in (crlf, from_line, eight_bit, with_preamble, with_epilogue, free_boundary, empty,
                 forwarded, no_payload):  # fmt: skip
        mail["From"] = "noreply@tsunagu.example.jp"
        mail["To"] = "taro@example.jp"
        mail["Subject"] = "shape"
        yield mail


def test_any_other_shape_of_mail_is_still_the_bytes_send_message_would_write():
    for mail in _unusual_mails():
        try:
            expected = _as_send_message_writes(mail)
        except UnicodeEncodeError:  # 8bit text: smtplib would refuse it without SMTPUTF8 too
            continue
        assert prepare(mail).data == expected
