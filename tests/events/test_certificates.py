"""Certificates of attendance: who gets one, what it prints, that it stays the same, and the
public verification page that shows what is printed and nothing else."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader

from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import as_utc, now_utc
from tests.conftest import login


@pytest.fixture
def event(make_event):
    return make_event(
        days=3, format="hybrid", online_url="https://meet.example.jp/j/42",
        title="事業承継セミナー 後継者と考える会社の未来",
        frames=[dict(name="会場参加", mode="in_person", capacity=10),
                dict(name="オンライン参加", mode="online", capacity=10)],
    )  # fmt: skip


@pytest.fixture
def people(event, make_user):
    """came: checked in at the door; stayed_away: a no-show; online: the online frame."""
    regs = {}
    for name, frame, given in (
        ("came", 0, "花子"),
        ("stayed_away", 0, "次郎"),
        ("online", 1, "三郎"),
    ):
        user = make_user("member", email=f"{name}@example.jp", family_name="佐藤",
                         given_name=given, family_kana="サトウ", given_kana="ハナコ")  # fmt: skip
        regs[name] = register_for_frame(user, event.id, event.frames[frame].id, {}, now_utc())
    db.session.commit()
    return regs


def _client(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _held(app, clock, event, people, staff, offer=True):
    """The event takes place: staff offer certificates, `came` is checked in at the door, and
    the clock moves past the end."""
    desk = _client(app, staff)
    if offer:
        page = desk.post(f"/staff/events/{event.id}/certificates/offer", data={"offered": "y"})
        assert page.status_code == 302
    clock.move_to(as_utc(event.starts_at) - timedelta(minutes=20))
    checked = desk.post(
        f"/staff/events/{event.id}/checkin", data={"token": people["came"].pass_token}
    )
    assert checked.status_code == 200
    clock.move_to(as_utc(event.ends_at) + timedelta(days=1))


def _pdf_text(body: bytes) -> str:
    reader = PdfReader(BytesIO(body))
    return "".join(page.extract_text() for page in reader.pages)


def test_an_attendee_downloads_the_certificate_from_my_page(app, clock, event, people, staff):
    _held(app, clock, event, people, staff)
    me = _client(app, people["came"].user)
    page = me.get("/mypage/")
    assert "受講証明書・資料" in page.text
    link = f"/mypage/certificates/{people['came'].id}.pdf"
    assert link in page.text

    first = me.get(link)
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.data.startswith(b"%PDF")
    text = _pdf_text(first.data)
    number = f"{event.starts_at.year}-{people['came'].id:06d}"
    assert "佐藤 花子" in text and "サトウ ハナコ" in text
    assert number in text and "受講証明書" in text
    assert "事業承継セミナー" in text and "2時間" in text
    assert "東京商工会議所 本部" in text
    assert "株式会社テスト" in text
    # Issuing twice gives the same certificate: same number, same verification URL.
    again = _pdf_text(me.get(link).data)
    assert number in again
    [url] = [w for w in text.split() if "/certificates/" in w]
    assert url in again.replace("\n", "")


def test_online_attendees_get_one_after_the_event_only(app, clock, event, people, staff):
    online = _client(app, people["online"].user)
    link = f"/mypage/certificates/{people['online'].id}.pdf"
    desk = _client(app, staff)
    desk.post(f"/staff/events/{event.id}/certificates/offer", data={"offered": "y"})
    assert online.get(link).status_code == 404  # before the event: nothing attended yet
    clock.move_to(as_utc(event.ends_at) + timedelta(minutes=5))
    assert online.get(link).status_code == 200


def test_no_show_other_people_and_events_without_certificates_answer_404(
    app, clock, event, people, staff, make_user
):  # fmt: skip
    _held(app, clock, event, people, staff)
    no_show = _client(app, people["stayed_away"].user)
    assert no_show.get(f"/mypage/certificates/{people['stayed_away'].id}.pdf").status_code == 404
    # Someone else's certificate, by id: 404, not 403.
    assert no_show.get(f"/mypage/certificates/{people['came'].id}.pdf").status_code == 404
    assert "受講証明書・資料" not in no_show.get("/mypage/").text
    # Staff switch certificates off: the attendee has none to download any more.
    desk = _client(app, staff)
    desk.post(f"/staff/events/{event.id}/certificates/offer", data={})
    came = _client(app, people["came"].user)
    assert came.get(f"/mypage/certificates/{people['came'].id}.pdf").status_code == 404


def test_the_verification_page_shows_only_what_is_printed(app, clock, event, people, staff):
    _held(app, clock, event, people, staff)
    me = _client(app, people["came"].user)
    text = _pdf_text(me.get(f"/mypage/certificates/{people['came'].id}.pdf").data)
    [url] = [w for w in text.split() if "/certificates/" in w]
    path = url[url.index("/certificates/") :]
    code = path.rsplit("/", 1)[-1]
    assert len(code) >= 22

    anyone = app.test_client()
    page = anyone.get(path)
    assert page.status_code == 200
    assert "有効です" in page.text
    for printed in ("佐藤 花子", "サトウ ハナコ", "事業承継セミナー", "2時間", "東京商工会議所 本部",
                    f"{event.starts_at.year}-{people['came'].id:06d}"):  # fmt: skip
        assert printed in page.text
    assert "came@example.jp" not in page.text
    assert "03-1234-5678" not in page.text
    assert people["came"].reference not in page.text
    assert page.headers["X-Robots-Tag"] == "noindex"

    # An undone check-in: the page says the certificate no longer stands.
    undo = _client(app, staff).post(
        f"/staff/events/{event.id}/checkin/{people['came'].id}/undo", data={"reason": "誤って受付"}
    )
    assert undo.status_code == 302
    assert "現在は無効です" in anyone.get(path).text


def test_an_unknown_code_says_so_in_the_readers_language(app):
    anyone = app.test_client()
    page = anyone.get("/certificates/not-a-real-code-0000000")
    assert page.status_code == 404
    assert "受講証明書は見つかりませんでした" in page.text
    anyone.set_cookie("lang", "en")
    page = anyone.get("/certificates/Zm9vYmFyYmF6cXV4cXV1eA")
    assert page.status_code == 404
    assert "No certificate of attendance was found" in page.text


def test_an_english_speaker_gets_an_english_certificate(app, clock, event, people, staff):
    people["came"].user.locale = "en"
    db.session.commit()
    _held(app, clock, event, people, staff)
    me = _client(app, people["came"].user)
    text = _pdf_text(me.get(f"/mypage/certificates/{people['came'].id}.pdf").data)
    assert "Certificate of Attendance" in text
    assert "Hanako Sato" in text
    assert "Tokyo Chamber of Commerce" in text
    assert "2 hours" in text


def test_staff_see_the_certificates_issued(app, clock, event, people, staff):
    _held(app, clock, event, people, staff)
    _client(app, people["came"].user).get(f"/mypage/certificates/{people['came'].id}.pdf")
    page = _client(app, staff).get(f"/staff/events/{event.id}/certificates")
    assert page.status_code == 200
    assert "発行済みの受講証明書（1件）" in page.text
    assert "佐藤 花子" in page.text


def test_staff_of_another_unit_cannot_open_the_page(app, event, make_user):
    other = make_user("staff", unit_key="branch:chiyoda")
    assert _client(app, other).get(f"/staff/events/{event.id}/certificates").status_code == 404
