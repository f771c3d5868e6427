"""MAIL_BACKEND=console prints a mail decoded: headers, the text part, links on their own."""

from __future__ import annotations

from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from booking.notifications.mailer import Connection, readable


def _mail() -> MIMEMultipart:
    text = "山田 太郎 様\n\nこちらのリンクを開いてください。\nhttp://127.0.0.1:5000/account/confirm/abc\n"
    mail = MIMEMultipart("alternative", _subparts=[MIMEText(text, "plain", "utf-8"),
                                                    MIMEText("<p>html</p>", "html", "utf-8")])  # fmt: skip
    mail["Subject"] = Header("【東京商工会議所】メールアドレスのご確認", "utf-8")
    mail["From"] = "Tsunagu <noreply@tsunagu.example.jp>"
    mail["To"] = "member@demo.tsunagu.jp"
    mail["Message-ID"] = "<abc@tsunagu.test>"
    return mail


def test_a_mail_reads_as_text_not_base64():
    out = readable(_mail())
    assert "Subject: 【東京商工会議所】メールアドレスのご確認" in out
    assert "山田 太郎 様" in out
    assert "\nhttp://127.0.0.1:5000/account/confirm/abc\n" in out + "\n"
    assert "base64" not in out and "<p>" not in out


def test_the_console_backend_prints_the_decoded_mail(app, capsys):
    app.config["MAIL_BACKEND"] = "console"
    with Connection(app) as connection:
        connection.send(_mail())
    printed = capsys.readouterr().out
    assert "山田 太郎 様" in printed and "Content-Transfer-Encoding" not in printed
