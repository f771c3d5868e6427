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
SHOWN_HEADERS = ("Subject", "From", "To", "Reply-To", "Message-ID", "List-Unsubscribe",
                 "List-Unsubscribe-Post")  # fmt: skip

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

DIGEST = {
    "name": "山田 太郎",
    "items": [
        {
            "title": "工場のIoT活用セミナー",
            "when": "2026年6月10日(水) 14:00〜16:00",
            "organiser": "本部",
            "because": "フォロー中: 工業部会",
            "url": "http://tsunagu.test/events/7",
        },
        {
            "title": "千代田ビジネス交流会",
            "when": "2026年6月12日(金) 18:30〜20:30",
            "organiser": "千代田支部",
            "because": "",
            "url": "http://tsunagu.test/events/9",
        },
    ],
    "follows_url": "http://tsunagu.test/mypage/follows",
    "unsubscribe_url": "http://tsunagu.test/follows/unsubscribe/TOKEN",
}
DIGEST_EN = dict(
    DIGEST,
    name="Taro Yamada",
    items=[
        {
            "title": "工場のIoT活用セミナー",
            "when": "Wed, 10 June 2026 14:00–16:00",
            "organiser": "Headquarters",
            "because": "Following: Industry Section",
            "url": "http://tsunagu.test/events/7",
        }
    ],
)
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
    "follow_digest_ja": ("follow_digest", "ja", DIGEST),
    "follow_digest_en": ("follow_digest", "en", DIGEST_EN),
    "event_thanks_survey_ja": ("event_notice", "ja", dict(THANKS, name="山田 太郎")),
    "event_thanks_survey_en": ("event_notice", "en", dict(
        THANKS, name="Taro Yamada", title="Business succession seminar",
        when="Mon, 1 June 2026 14:00–16:00", frame="In person", venue=EVENT_EN["where"],
    )),
}  # fmt: skip
# Mail people may opt out of (not transactional: List-Unsubscribe, one-click when it can).
BULK = {"follow_digest"}

_NOTICE = {
    "name": "鈴木 花子",
    "title": "経営者向けDXセミナー",
    "when": "2026年6月10日(水) 14:00〜16:00",
    "sessions": [],
    "venue": "本部 会議室 東京都千代田区丸の内3-2-2",
    "price": "",
    "payment_note": "",
    "frame": "会場参加",
    "mode": "in_person",
    "reference": "K7QX-2M4P",
    "event_url": "http://tsunagu.test/events/7",
    "mypage_url": "http://tsunagu.test/mypage/",
    "cancel_url": "http://tsunagu.test/r/42-MAC",
    "cancel_deadline": "6月10日(水) 14:00",
    "position": None,
    "registered_by": "",
    "handed_to": "",
}
_NOTICE_EN = dict(
    _NOTICE, name="Hanako Suzuki", title="DX seminar for managers",
    when="Wed, 10 June 2026 14:00–16:00", frame="In person", cancel_deadline="Wed 10 June 14:00",
)  # fmt: skip
_INVITATION = {
    "name": "鈴木 花子",
    "by": "山田 太郎",
    "company": "株式会社山田製作所",
    "event_title": "",
    "url": "http://tsunagu.test/company/join/TOKEN",
    "days": 7,
}
# Company administrators (会社の担当者): proxy registration, a seat handed over, invitations.
CASES.update({
    "event_proxy_confirmed_ja": ("event_notice", "ja", dict(
        _NOTICE, kind="confirmed", status="confirmed", registered_by="山田 太郎",
        pass_url="http://tsunagu.test/mypage/registrations/42", pass_token="PASS",
    )),
    "event_proxy_confirmed_en": ("event_notice", "en", dict(
        _NOTICE_EN, kind="confirmed", status="confirmed", registered_by="Taro Yamada",
        pass_url="http://tsunagu.test/mypage/registrations/42", pass_token="PASS",
    )),
    "event_handed_over_ja": ("event_notice", "ja", dict(
        _NOTICE, kind="handed_over", status="cancelled", name="山田 太郎", handed_to="鈴木 花子",
    )),
    "event_handed_over_en": ("event_notice", "en", dict(
        _NOTICE_EN, kind="handed_over", status="cancelled", name="Taro Yamada",
        handed_to="Hanako Suzuki",
    )),
    "company_invitation_ja": ("company_invitation", "ja", _INVITATION),
    "company_invitation_en": ("company_invitation", "en", dict(
        _INVITATION, name="Hanako Suzuki", by="Taro Yamada", company="Yamada Seisakusho",
    )),
    "company_invitation_with_event_ja": ("company_invitation", "ja", dict(
        _INVITATION, event_title="経営者向けDXセミナー",
    )),
})  # fmt: skip


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
        context=context, locale=locale, transactional=template not in BULK, resends=0,
    )  # fmt: skip
    wire = render_message(msg).as_bytes()
    got = readable(email.message_from_bytes(wire, policy=policy.default))
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert got == path.read_text(encoding="utf-8")
