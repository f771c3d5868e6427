"""Snapshots of the verified-membership mails (see test_snapshots.py; UPDATE_SNAPSHOTS=1)."""

from __future__ import annotations

import email
import os
from email import policy

import pytest

from booking.notifications.dispatcher import render_message
from booking.notifications.models import OutboxMessage
from tests.notifications.test_snapshots import SNAPSHOTS, readable

LINKS = {"mypage_url": "http://tsunagu.test/mypage/", "events_url": "http://tsunagu.test/events/",
         "claim_url": "http://tsunagu.test/account/membership"}  # fmt: skip
JOINED = dict(LINKS, name="鈴木 一郎", company="株式会社つなぐ印刷", member_no="1300004", note="")
NOTE = "名簿の電話番号と一致しませんでした。\n会社のご担当者に会員番号をご確認ください。"

CASES = {
    "membership_joined_ja": ("membership_joined", "ja", JOINED),
    "membership_joined_en": ("membership_joined", "en", dict(JOINED, name="Ichiro Suzuki")),
    "membership_refused_ja": ("membership_refused", "ja", dict(JOINED, note=NOTE)),
    "membership_refused_en": ("membership_refused", "en", dict(
        JOINED, name="Ichiro Suzuki",
        note="The phone number does not match the roster. Please ask your company's contact.")),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_membership_mail_matches_its_snapshot(app, name):
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
