"""What arrives at a real SMTP server: headers, encodings, parts and attachments."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from booking.notifications.dispatcher import dispatch_due, message_id_for

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tsunagu//test//JA\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:registration-1@tsunagu.test\r\nSUMMARY:事業承継セミナー\r\n"
    "DTSTART:20260601T050000Z\r\nDTEND:20260601T070000Z\r\nDTSTAMP:20260501T000000Z\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _one(sink):
    [message] = sink.messages
    return message


def test_a_japanese_subject_is_encoded_and_reads_back_exactly(app, make_message, smtp_app):
    make_message()
    dispatch_due()
    message = _one(smtp_app)
    assert message["Subject"] == "【東京商工会議所】パスワード再設定のご案内"
    raw = message.as_bytes()
    assert raw.isascii()  # encoded words and base64: safe through any relay
    assert b"=?utf-8?" in raw.split(b"\n\n", 1)[0].lower()
    assert all(len(line) <= 998 for line in raw.split(b"\n"))


def test_headers_identify_the_sender_the_date_and_the_message(app, make_message, smtp_app):
    app.config["MAIL_REPLY_TO"] = "jigyo@tokyo-cci.example.jp"
    make_message(key="account:7:reset:x", recipient="hanako@example.jp")
    dispatch_due()
    message = _one(smtp_app)
    assert message["From"] == app.config["MAIL_FROM"]
    assert message["To"] == "hanako@example.jp"
    assert message["Reply-To"] == "jigyo@tokyo-cci.example.jp"
    assert message["Message-ID"] == message_id_for("account:7:reset:x")
    assert parsedate_to_datetime(message["Date"]).utcoffset() is not None
    assert message["Auto-Submitted"] == "auto-generated"
    assert smtp_app.envelopes == [("noreply@tsunagu.example.jp", ["hanako@example.jp"])]


def test_a_message_planned_with_its_own_reply_to_uses_it(app, make_message, smtp_app):
    make_message(reply_to="chiyoda@tokyo-cci.example.jp")
    dispatch_due()
    assert _one(smtp_app)["Reply-To"] == "chiyoda@tokyo-cci.example.jp"


def test_only_non_transactional_mail_carries_list_unsubscribe(app, make_message, smtp_app):
    make_message(key="news:1", transactional=False)
    make_message(key="account:1", transactional=True)
    dispatch_due()
    by_key = {m["Message-ID"]: m for m in smtp_app.messages}
    news, account = by_key[message_id_for("news:1")], by_key[message_id_for("account:1")]
    assert news["List-Unsubscribe"] == "<http://tsunagu.test/mypage/profile>"
    assert account["List-Unsubscribe"] is None


def test_the_body_is_utf8_text_and_html_alternatives(app, make_message, smtp_app):
    make_message(context={"name": "山田 太郎", "url": "http://tsunagu.test/r/abc", "hours": 2})
    dispatch_due()
    message = _one(smtp_app)
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text.get_content_charset() == html.get_content_charset() == "utf-8"
    assert "山田 太郎 様" in text.get_content()
    assert "http://tsunagu.test/r/abc" in text.get_content()
    assert '<a href="http://tsunagu.test/r/abc">' in html.get_content()
    assert "東京商工会議所" in text.get_content()  # the signature block


def test_a_calendar_invitation_is_attached_as_text_calendar(app, make_message, smtp_app):
    make_message(ics=ICS)
    dispatch_due()
    message = _one(smtp_app)
    assert message.get_content_type() == "multipart/mixed"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content().replace("\r\n", "\n") == ICS.replace("\r\n", "\n")
    assert message.get_body(("plain",)) is not None


def test_an_invitation_builder_supplies_the_attachment_at_send_time(app, make_message, smtp_app):
    from booking.notifications import hooks

    hooks.register_invitation_builder(
        app, "testbooking", lambda ref, method: ICS.replace("REQUEST", method)
    )
    hooks.register_about_check(app, "testbooking", lambda ref, version, now: True)
    make_message(about="testbooking:1", invite="CANCEL")
    dispatch_due()
    [attachment] = list(_one(smtp_app).iter_attachments())
    assert attachment.get_param("method") == "CANCEL"
    assert "METHOD:CANCEL" in attachment.get_content()


def test_english_recipients_get_english_mail(app, make_message, smtp_app):
    make_message(locale="en")
    dispatch_due()
    message = _one(smtp_app)
    assert message["Subject"].startswith("【Tokyo Chamber of Commerce】")
    assert "様" not in message.get_body(("plain",)).get_content()


def test_one_pass_sends_every_message_over_one_connection(app, make_message, smtp_app):
    for _ in range(5):
        make_message()
    assert dispatch_due() == 5
    assert len(smtp_app.messages) == 5
    assert smtp_app.connections == 1


def test_the_smtp_backend_logs_in_when_a_username_is_configured(app, make_message):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from tests.notifications.conftest import SinkHandler, free_port

    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((mechanism, auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    handler, port = SinkHandler(), free_port()
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, authenticator=authenticator,
        auth_require_tls=False,  # a loopback test server; AUTH offered, not required
    )  # fmt: skip
    controller.start()
    try:
        app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                          MAIL_USERNAME="tsunagu", MAIL_PASSWORD="s3cret")  # fmt: skip
        make_message()
        assert dispatch_due() == 1
    finally:
        controller.stop()
    assert [(user, pw) for _m, user, pw in logins] == [(b"tsunagu", b"s3cret")]
    assert len(handler.messages) == 1
