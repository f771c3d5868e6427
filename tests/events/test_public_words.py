"""Issue 13, the public event pages: the words of the registration flow (the confirm page's
instruction names its button, frame choices with price and seats, いいえ for an unticked box,
one waitlist phrase) and how a priced event says how and when to pay."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from booking.events.models import Registration
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import login


def _confirm(client, event, data=None):
    response = client.post(
        f"/events/{event.id}/register", data={"frame": str(event.frames[0].id), **(data or {})}
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _instruction_and_button(html: str) -> tuple[str, str]:
    instruction = re.search(r'<p id="confirm-instruction">(.*?)</p>', html).group(1)
    button = re.search(r'<button[^>]*id="confirm-button">(.*?)</button>', html).group(1)
    return instruction, button


@pytest.mark.parametrize(
    ("frame", "word"),
    [
        (dict(capacity=50), "申し込みを確定する"),
        (dict(capacity=0), "キャンセル待ちに登録する"),
        (dict(capacity=50, lottery=True), "抽選に申し込む"),
    ],
    ids=["open", "waitlist", "lottery"],
)
def test_the_confirm_instruction_names_the_button_it_shows(client, make_event, member, frame, word):
    event = make_event(frames=[dict(name="会場参加", **frame)])
    assert login(client, member).status_code == 302
    instruction, button = _instruction_and_button(_confirm(client, event))
    assert button == word
    assert f"「{word}」を押してください" in instruction
    assert "予約を確定する" not in instruction


def test_frame_choices_show_price_and_seats_left_without_nested_brackets(
    client, make_event, member
):
    event = make_event(
        format="hybrid",
        frames=[dict(name="会場参加", capacity=40, price_label="3,000円（税込）"),
                dict(name="オンライン参加", capacity=100, mode="online", price_label="無料")],
    )  # fmt: skip
    event.frames[0].taken = 28
    db.session.commit()
    assert login(client, member).status_code == 302
    html = client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert "会場参加 — 3,000円（税込）・残り12席" in html
    assert "オンライン参加 — 無料・残り100席" in html
    assert "（3,000円（税込））" not in html
    confirm = _confirm(client, event)
    assert "会場参加（3,000円（税込））" not in confirm
    assert "<dd>3,000円（税込）</dd>" in confirm


def test_an_unticked_checkbox_reads_no_not_unanswered(client, make_event, member):
    event = make_event(questions=[dict(label="懇親会に参加する", kind="checkbox")])
    assert login(client, member).status_code == 302
    html = _confirm(client, event)
    assert "<dd>いいえ</dd>" in html and "未回答" not in html
    client.get("/lang/en")  # GET does nothing; the switch is a POST
    client.post("/lang/en", data={"next": "/"})
    html = _confirm(client, event)
    assert "<dd>No</dd>" in html


def test_the_waitlist_position_is_said_once(client, make_event, member, make_user):
    event = make_event(capacity=1)
    register_for_frame(make_user("member"), event.id, event.frames[0].id, {}, now_utc())
    reg = register_for_frame(member, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    assert reg.status == "waitlisted"
    assert login(client, member).status_code == 302
    for path in (f"/events/{event.id}", f"/mypage/registrations/{reg.id}"):
        html = client.get(path).get_data(as_text=True)
        assert "キャンセル待ち1番目" in html, path
        assert "キャンセル待ち キャンセル待ち" not in html, path
        assert "（キャンセル待ち）。 キャンセル待ち" not in html, path


def test_one_verb_through_the_flow(client, make_event, member):
    event = make_event()
    assert login(client, member).status_code == 302
    pages = [
        client.get(f"/events/{event.id}").get_data(as_text=True),
        client.get(f"/events/{event.id}/register").get_data(as_text=True),
        _confirm(client, event),
    ]
    assert all("予約を確定する" not in p for p in pages)
    assert "申し込む" in pages[0] and "申し込みを確定する" in pages[2]


def test_a_priced_event_says_how_and_when_to_pay(client, make_event, member, sent_mail):
    note = "参加費は開催日の7日前までに銀行振込でお支払いください。"
    event = make_event(price_label="3,000円（税込）", payment_note=note)
    assert login(client, member).status_code == 302
    assert note in client.get(f"/events/{event.id}").get_data(as_text=True)
    assert note in client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert note in _confirm(client, event)
    done = client.post(
        f"/events/{event.id}/register",
        data={"frame": str(event.frames[0].id), "confirmed": "1"},
    )
    assert done.status_code == 302
    assert note in client.get(done.headers["Location"]).get_data(as_text=True)
    mails = [m for m in sent_mail() if m["To"].addresses[0].addr_spec == member.email]
    assert mails and note in mails[0].get_body(("plain",)).get_content()


def test_a_priced_event_without_a_note_still_says_the_organiser_will_tell(client, make_event):
    event = make_event(price_label="会員 2,000円（税込）")
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "お支払い方法と期限" in html


def test_a_free_event_says_nothing_about_paying(client, make_event, member):
    event = make_event(price_label="無料", payment_note="")
    assert login(client, member).status_code == 302
    assert "お支払い" not in client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "お支払い" not in _confirm(client, event)
    assert db.session.scalar(select(Registration)) is None


def test_the_venue_address_links_to_a_map(client, make_event):
    event = make_event()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert (
        "https://www.google.com/maps/search/?api=1&amp;query="
        "%E6%9D%B1%E4%BA%AC%E9%83%BD%E5%8D%83%E4%BB%A3%E7%94%B0%E5%8C%BA%E4%B8%B8%E3%81%AE%E5%86%853-2-2"
    ) in html


def test_the_api_sets_and_returns_the_payment_note(client, staff):
    from tests.events.test_api import auth, event_body

    note = "当日、受付で現金でお支払いください。"
    body = event_body(payment_note=note)
    body["frames"][0]["price_label"] = "3,000円（税込）"
    created = client.post("/api/v1/events", json=body, headers=auth(staff))
    assert created.status_code == 201 and created.json["payment_note"] == note
    page = client.get(f"/events/{created.json['id']}").get_data(as_text=True)
    assert note in page
    too_long = client.post(
        "/api/v1/events", json=event_body(payment_note="x" * 501), headers=auth(staff)
    )
    assert too_long.status_code == 422, too_long.json


def test_staff_write_the_payment_note_on_the_event_form(staff_client, make_event):
    event = make_event(price_label="3,000円（税込）")
    form = staff_client.get(f"/staff/events/{event.id}/edit").get_data(as_text=True)
    assert 'name="payment_note"' in form
    from tests.site_forms import read_page

    [post] = [
        f for f in read_page(form).forms if f.method == "post" and "payment_note" in dict(f.fields)
    ]
    data = dict(post.fields) | {"payment_note": "当日会場で現金にてお支払いください。"}
    answer = staff_client.post(f"/staff/events/{event.id}/edit", data=data)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:1500]
    page = staff_client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "当日会場で現金にてお支払いください。" in page
