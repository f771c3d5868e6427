"""Rendered mails compared with readable expectations in tests/notifications/snapshots/.

After a deliberate change of a template, run with UPDATE_SNAPSHOTS=1 and review the diff.
"""

from __future__ import annotations

import email
import os
from email import policy
from pathlib import Path

import pytest

from booking.notifications.dispatcher import render_message
from booking.notifications.models import OutboxMessage

SNAPSHOTS = Path(__file__).parent / "snapshots"
SHOWN_HEADERS = ("Subject", "From", "To", "Reply-To", "Message-ID", "List-Unsubscribe")

EVENT = {
    "name": "山田 太郎",
    "title": "事業承継セミナー「親族内承継の進め方」",
    "when": "2026年6月1日(月) 14:00〜16:00",
    "where": "東京商工会議所 本部 4階 会議室",
    "number": "R-000042",
    "url": "http://tsunagu.test/mypage/registrations/42",
}
EVENT_EN = dict(
    EVENT, name="Taro Yamada", title="Business succession seminar",
    when="Mon, 1 June 2026 14:00–16:00", where="Tokyo Chamber of Commerce HQ, 4F",
)  # fmt: skip

# The thank-you after an event with a survey (its link); kind "thanks" of event_notice.
THANKS = {
    "kind": "thanks",
    "title": EVENT["title"],
    "when": EVENT["when"],
    "sessions": [],
    "venue": EVENT["where"],
    "price": "",
    "payment_note": "",
    "frame": "会場参加",
    "mode": "in_person",
    "reference": "R-000042",
    "status": "confirmed",
    "event_url": "http://tsunagu.test/events/7",
    "mypage_url": "http://tsunagu.test/mypage/",
    "cancel_url": "http://tsunagu.test/r/42-MAC",
    "cancel_deadline": "2026年6月1日(月) 14:00",
    "position": None,
    "change": None,
    "survey_url": "http://tsunagu.test/events/7/survey",
}

CASES = {
    "account_confirm_ja": ("account_confirm", "ja", {"name": "山田 太郎", "url": "http://tsunagu.test/account/confirm/TOKEN", "hours": 48}),
    "account_confirm_en": ("account_confirm", "en", {"name": "Taro Yamada", "url": "http://tsunagu.test/account/confirm/TOKEN", "hours": 48}),
    "account_reset_ja": ("account_reset", "ja", {"name": "山田 太郎", "url": "http://tsunagu.test/account/reset/TOKEN", "hours": 2}),
    "reminder_ja": ("reminder", "ja", dict(EVENT, anchor="start", offset="P1D")),
    "reminder_en": ("reminder", "en", dict(EVENT_EN, anchor="start", offset="P1D")),
    "reminder_after_end_ja": ("reminder", "ja", dict(EVENT, anchor="end", offset="end+PT2H")),
    "reminder_staff_text_ja": ("reminder", "ja", dict(
        EVENT, anchor="end", offset="end+P1D", reminder_subject="講演資料とアンケートのお願い",
        reminder_body="ご参加ありがとうございました。\n講演資料はマイページからダウンロードいただけます。\nアンケート <3分> へのご協力をお願いいたします。",
    )),
    "event_thanks_survey_ja": ("event_notice", "ja", dict(THANKS, name="山田 太郎")),
    "event_thanks_survey_en": ("event_notice", "en", dict(
        THANKS, name="Taro Yamada", title="Business succession seminar",
        when="Mon, 1 June 2026 14:00–16:00", frame="In person", venue=EVENT_EN["where"],
    )),
}  # fmt: skip


def readable(mail) -> str:
    """Headers that matter (not Date), the structure, then each text part decoded."""
    lines = [f"{name}: {mail[name]}" for name in SHOWN_HEADERS if mail[name] is not None]
    lines.append(f"Structure: {' / '.join(part.get_content_type() for part in mail.walk())}")
    for part in mail.walk():
        if part.get_content_maintype() == "text":
            lines += ["", f"----- {part.get_content_type()} ({part.get_content_charset()})"]
            lines.append(part.get_content().replace("\r\n", "\n").rstrip("\n"))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", sorted(CASES))
def test_rendered_mail_matches_its_snapshot(app, name):
    template, locale, context = CASES[name]
    msg = OutboxMessage(
        dedupe_key=f"snapshot:{name}", recipient="taro@example.jp", template=template,
        context=context, locale=locale, transactional=True, resends=0,
    )  # fmt: skip
    wire = render_message(msg).as_bytes()
    got = readable(email.message_from_bytes(wire, policy=policy.default))
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert got == path.read_text(encoding="utf-8")
