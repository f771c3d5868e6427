"""The iCalendar writer on items built in memory: RFC 5545 details, four parsers agreeing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from booking.calendars.ics import build_feed, invitation
from booking.calendars.items import CalendarItem
from booking.calendars.options import FeedOptions, Organiser
from tests.calendars.conftest import JAPANESE_LONG, PUNCTUATED
from tests.calendars.parsers import read_all

OPTS = FeedOptions(host="tsunagu.test", name="東京商工会議所 マイカレンダー",
                   alarm_before=timedelta(hours=1), classification="PRIVATE")  # fmt: skip
ORGANISER = Organiser("東京商工会議所", "noreply@tsunagu.example.jp")


def lines(body: bytes) -> list[str]:
    """Unfolded content lines."""
    return body.decode().replace("\r\n ", "").split("\r\n")


def test_every_parser_reads_the_same_starts_ends_and_summaries(make_item):
    items = [
        make_item(summary=JAPANESE_LONG),
        make_item(summary=PUNCTUATED, location="本部, 3階; 大会議室"),
        make_item(summary="Online, hybrid; session", status="TENTATIVE", label="キャンセル待ち"),
    ]
    got = read_all(build_feed(items, OPTS))
    assert len(got) == 3
    assert (items[0].starts_at, items[0].ends_at, JAPANESE_LONG) in got
    assert (items[1].starts_at, items[1].ends_at, PUNCTUATED) in got
    assert any(s == "【キャンセル待ち】Online, hybrid; session" for _, _, s in got)


def test_long_japanese_lines_fold_at_75_octets_without_splitting_a_character(make_item):
    body = build_feed([make_item(summary=JAPANESE_LONG * 2, description=JAPANESE_LONG)], OPTS)
    physical = body.split(b"\r\n")
    assert any(line.startswith(b" ") for line in physical), "long lines must be folded"
    for line in physical:
        assert len(line) <= 75
        line.decode("utf-8")  # a split character would not decode on its own
    assert f"SUMMARY:{JAPANESE_LONG * 2}" in lines(body)


def test_commas_semicolons_backslashes_and_newlines_are_escaped(make_item):
    item = make_item(summary=PUNCTUATED, description="一行目, 続き; 以上\n二行目",
                     location="本部, 3階; 大会議室")  # fmt: skip
    text = lines(build_feed([item], OPTS))
    assert "SUMMARY:交流会\\, 名刺交換\\; 商談会\\\\特別編" in text
    assert "LOCATION:本部\\, 3階\\; 大会議室" in text
    assert any(line.startswith("DESCRIPTION:一行目\\, 続き\\; 以上\\n二行目") for line in text)
    event = icalendar.Calendar.from_ical(build_feed([item], OPTS)).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "本部, 3階; 大会議室"


def test_times_carry_the_tokyo_tzid_with_a_vtimezone(make_item):
    body = build_feed([make_item(starts_at=datetime(2026, 6, 1, 5, 0, tzinfo=UTC))], OPTS)
    text = lines(body)
    assert "DTSTART;TZID=Asia/Tokyo:20260601T140000" in text
    assert "DTEND;TZID=Asia/Tokyo:20260601T160000" in text
    assert text.count("BEGIN:VTIMEZONE") == 1
    assert "TZID:Asia/Tokyo" in text
    assert "TZOFFSETTO:+0900" in text


def test_calendar_carries_names_refresh_and_publish_method(make_item):
    text = lines(build_feed([make_item()], OPTS))
    for expected in (
        "VERSION:2.0", "METHOD:PUBLISH", "X-WR-CALNAME:東京商工会議所 マイカレンダー",
        "NAME:東京商工会議所 マイカレンダー", "X-WR-TIMEZONE:Asia/Tokyo",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H", "CALSCALE:GREGORIAN",
    ):  # fmt: skip
        assert expected in text


def test_uid_dtstamp_last_modified_and_sequence_come_from_the_item(make_item):
    updated = datetime(2026, 5, 20, 1, 2, 3, 456789, tzinfo=UTC)
    text = lines(build_feed([make_item(kind="consultation", id=7, sequence=3, updated_at=updated)],
                            OPTS))  # fmt: skip
    assert "UID:consultation-7@tsunagu.test" in text
    assert "DTSTAMP:20260520T010203Z" in text
    assert "LAST-MODIFIED:20260520T010203Z" in text
    assert "SEQUENCE:3" in text


def test_the_same_items_give_the_same_bytes(make_item):
    items = [make_item(summary=JAPANESE_LONG), make_item()]
    assert build_feed(items, OPTS) == build_feed(list(reversed(items)), OPTS)


def test_feeds_have_no_attendee_organizer_or_mail_address(make_item):
    body = build_feed([make_item(join_url="https://meet.example.jp/j/1")], OPTS).decode()
    assert "ATTENDEE" not in body
    assert "ORGANIZER" not in body
    assert "mailto:" not in body
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", body.replace("@tsunagu.test", ""))


def test_join_url_goes_in_description_and_conference_but_not_when_cancelled(make_item):
    live = lines(build_feed([make_item(join_url="https://meet.example.jp/j/1")], OPTS))
    assert any("CONFERENCE" in line and "https://meet.example.jp/j/1" in line for line in live)
    assert any(line.startswith("DESCRIPTION:") and "meet.example.jp" in line for line in live)
    gone = build_feed([make_item(join_url="https://meet.example.jp/j/1", status="CANCELLED")],
                      OPTS)  # fmt: skip
    assert b"meet.example.jp" not in gone


def test_cancelled_items_say_so_and_do_not_block_time(make_item):
    text = lines(build_feed([make_item(summary="交流会", status="CANCELLED")], OPTS))
    assert "STATUS:CANCELLED" in text
    assert "TRANSP:TRANSPARENT" in text
    assert "SUMMARY:【キャンセル】交流会" in text
    assert "BEGIN:VALARM" not in text


def test_alarm_is_on_when_configured_and_absent_otherwise(make_item):
    with_alarm = lines(build_feed([make_item()], OPTS))
    assert "BEGIN:VALARM" in with_alarm
    assert "TRIGGER:-PT1H" in with_alarm
    no_alarm = FeedOptions(host="tsunagu.test", alarm_before=None)
    assert b"VALARM" not in build_feed([make_item()], no_alarm)
    assert b"VALARM" not in build_feed([make_item(alarm=False)], OPTS)


def test_request_invitation_names_organiser_and_attendee(make_item):
    item = make_item(summary=JAPANESE_LONG, sequence=1)
    text = lines(invitation(item, "REQUEST", "taro@example.jp", ORGANISER, opts=OPTS).encode())
    assert "METHOD:REQUEST" in text
    assert "ORGANIZER;CN=東京商工会議所:mailto:noreply@tsunagu.example.jp" in text
    assert any(line.startswith("ATTENDEE") and line.endswith(":mailto:taro@example.jp")
               for line in text)  # fmt: skip
    assert "SEQUENCE:1" in text
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" not in text


def test_cancel_invitation_keeps_the_uid_and_marks_the_entry_cancelled(make_item):
    item = make_item(kind="registration", id=42, sequence=2)
    request = lines(invitation(item, "REQUEST", "taro@example.jp", ORGANISER, opts=OPTS).encode())
    cancelled = CalendarItem(**{**item.__dict__, "status": "CANCELLED", "sequence": 3})
    cancel = lines(
        invitation(cancelled, "CANCEL", "taro@example.jp", ORGANISER, opts=OPTS).encode()
    )
    assert "METHOD:CANCEL" in cancel
    assert "STATUS:CANCELLED" in cancel
    uid = next(line for line in request if line.startswith("UID:"))
    assert uid == "UID:registration-42@tsunagu.test"
    assert uid in cancel
    assert "SEQUENCE:3" in cancel


def test_invitations_parse_with_every_parser(make_item):
    item = make_item(summary=PUNCTUATED)
    got = read_all(invitation(item, "REQUEST", "taro@example.jp", ORGANISER, opts=OPTS))
    assert got == [(item.starts_at, item.ends_at, PUNCTUATED)]


def test_unknown_invitation_method_is_refused(make_item):
    with pytest.raises(ValueError):
        invitation(make_item(), "PUBLISH", "taro@example.jp", ORGANISER, opts=OPTS)


def test_items_refuse_an_unknown_status():
    start = datetime(2026, 6, 1, tzinfo=UTC)
    with pytest.raises(ValueError):
        CalendarItem("event", 1, "x", start, start, start, status="DONE")


def test_pass_link_is_in_the_description_of_live_items_only(make_item):
    live = lines(build_feed([make_item(pass_url="http://tsunagu.test/pass/abc")], OPTS))
    assert any(line.startswith("DESCRIPTION:") and "受付票: http://tsunagu.test/pass/abc" in line
               for line in live)  # fmt: skip
    gone = build_feed([make_item(pass_url="http://tsunagu.test/pass/abc", status="CANCELLED")],
                      OPTS)  # fmt: skip
    assert b"/pass/abc" not in gone


# {SP}: a space that ends a folded line (the fold fell right after "; ").
EXPECTED = r"""
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Tsunagu//Tsunagu Calendar//JA
CALSCALE:GREGORIAN
METHOD:PUBLISH
NAME:東京商工会議所 マイカレンダー
X-WR-CALNAME:東京商工会議所 マイカレンダー
REFRESH-INTERVAL;VALUE=DURATION:PT15M
X-PUBLISHED-TTL:PT15M
X-WR-TIMEZONE:Asia/Tokyo
BEGIN:VTIMEZONE
TZID:Asia/Tokyo
COMMENT:This timezone only works from 1970-01-01 to 2100-01-01.
BEGIN:STANDARD
DTSTART:19700101T000000
TZNAME:JST
TZOFFSETFROM:+0900
TZOFFSETTO:+0900
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
SUMMARY:【キャンセル待ち】DX推進セミナー\, 第1回\; 入門
 編
DTSTART;TZID=Asia/Tokyo:20260601T140000
DTEND;TZID=Asia/Tokyo:20260601T160000
DTSTAMP:20260520T010203Z
UID:registration-42@tsunagu.test
SEQUENCE:2
CATEGORIES:セミナー・講演会,本部
CLASS:PRIVATE
CONFERENCE;FEATURE=VIDEO;LABEL=参加URL;VALUE=URI:https://meet.example.jp
 /j/7
CREATED:20260501T000000Z
DESCRIPTION:生成AIの活用事例を紹介します。\n\n参加URL: htt
 ps://meet.example.jp/j/7\n\n詳細: http://tsunagu.test/events/7
LAST-MODIFIED:20260520T010203Z
LOCATION:本部 会議室、東京都千代田区丸の内3-2-2
STATUS:TENTATIVE
TRANSP:OPAQUE
URL;VALUE=URI:http://tsunagu.test/events/7
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:【キャンセル待ち】DX推進セミナー\, 第1回\;{SP}
 入門編
TRIGGER:-PT1H
END:VALARM
END:VEVENT
END:VCALENDAR
"""


def test_a_waitlisted_registration_reads_as_expected():
    """The whole text, so a reviewer (or an icalendar upgrade) sees every line that changes."""
    start = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)
    item = CalendarItem(
        "registration", 42, "DX推進セミナー, 第1回; 入門編", start, start + timedelta(hours=2),
        datetime(2026, 5, 20, 1, 2, 3, tzinfo=UTC), sequence=2, status="TENTATIVE",
        label="キャンセル待ち", description="生成AIの活用事例を紹介します。",
        location="本部 会議室、東京都千代田区丸の内3-2-2", url="http://tsunagu.test/events/7",
        join_url="https://meet.example.jp/j/7", categories=("セミナー・講演会", "本部"),
        created_at=datetime(2026, 5, 1, tzinfo=UTC),
    )  # fmt: skip
    opts = FeedOptions(host="tsunagu.test", name="東京商工会議所 マイカレンダー",
                       alarm_before=timedelta(hours=1), classification="PRIVATE",
                       refresh=timedelta(minutes=15))  # fmt: skip
    expected = EXPECTED.lstrip("\n").replace("{SP}", " ").replace("\n", "\r\n")
    assert build_feed([item], opts).decode() == expected
