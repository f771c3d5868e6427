"""The member's booking flow page by page: the step indicator everywhere, free slots open to
anyone (sign in at the pick, back to the same slot), a grid that names each time once, the
theme's own intake hint, channel and place on the confirm page, the end of a moved booking."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from booking.consultations.catalogue import theme_by_slug
from booking.consultations.slots import free_slots
from booking.timefmt import format_when, now_utc
from tests.conftest import PASSWORD, login

BOOK = "/consultations/book"


def _current_step(html: str) -> str:
    match = re.search(r'<ol class="steps booking-steps".*?aria-current="step">([^<]+)</li>', html,
                      re.S)  # fmt: skip
    assert match, "no step indicator"
    return match.group(1)


def _slot(advisor, channel="online", theme="management", days=10):
    now = now_utc()
    return free_slots(
        theme_by_slug(theme), now + timedelta(days=days), now + timedelta(days=days + 10), now,
        advisor_id=advisor.id, channel_slug=channel,
    )[0]  # fmt: skip


def _intake(slot, channel="online", branch="any", **kw):
    return {"theme": "management", "channel": channel, "branch": branch, "advisor": "any",
            "start": slot.start.isoformat(), "topic": "販路開拓の相談", "situation": "",
            "goal": "", **kw}  # fmt: skip


def test_every_step_shows_where_the_member_is(member_client, member, make_advisor):
    advisor = make_advisor()
    pages = {
        "/consultations/": "テーマ",
        f"{BOOK}?theme=management": "日時",
        f"{BOOK}?theme=management&channel=online": "日時",
        f"{BOOK}?theme=management&channel=online&branch=any": "日時",
    }
    for url, step in pages.items():
        assert _current_step(member_client.get(url).get_data(as_text=True)) == step, url
    slot = _slot(advisor)
    intake = member_client.get(f"{BOOK}/intake", query_string=_intake(slot))
    assert _current_step(intake.get_data(as_text=True)) == "ご相談内容"
    data = _intake(slot)
    confirm = member_client.post(f"{BOOK}/intake", data={**data, "action": "confirm"})
    assert _current_step(confirm.get_data(as_text=True)) == "確認"
    done = member_client.post(f"{BOOK}/intake", data={**data, "action": "book"})
    assert done.status_code == 302 and done.headers["Location"].endswith("?done=1")
    assert (
        _current_step(member_client.get(done.headers["Location"]).get_data(as_text=True)) == "完了"
    )
    # The booking's own page, opened later, is not a step of booking.
    path = urlsplit(done.headers["Location"]).path
    assert "booking-steps" not in member_client.get(path).get_data(as_text=True)


def test_anyone_sees_free_slots_and_signs_in_at_the_pick(client, member, make_advisor):
    make_advisor()
    page = client.get(f"{BOOK}?theme=management&channel=online&branch=any")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    links = re.findall(r'href="(/consultations/book/intake\?[^"]+)"', html)
    assert links and "ログインをお願いします" in html
    pick = links[0].replace("&amp;", "&")
    to_login = client.get(pick)
    assert to_login.status_code == 302
    location = to_login.headers["Location"]
    assert urlsplit(location).path == "/account/login" and "next=" in location
    signed_in = client.post(location, data={"email": member.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] == pick  # the same slot, after signing in
    assert client.get(pick).status_code == 200


def test_the_grid_names_each_time_once_and_lists_days_for_phones(client, make_advisor):
    make_advisor()
    html = client.get(f"{BOOK}?theme=management&channel=online&branch=any").get_data(as_text=True)
    table = html[html.index('<table class="slot-grid">') : html.index("</table>")]
    assert re.search(r"<a [^>]*>\s*\d\d:\d\d\s*</a>", table) is None  # cells say ○, not a time
    assert 'aria-label="' in table and "○" in table
    days = html[html.index('class="slot-days"') :]
    assert re.search(r'class="slot-day">\s*<h3>', days)
    assert re.search(r'<a class="slot" [^>]*>10:00</a>', days)


def test_the_intake_hint_is_the_themes_own(member_client, make_advisor, theme):
    advisor = make_advisor()
    theme("management", intake_hint="例：資金繰りの見通しについて")
    slot = _slot(advisor)
    html = member_client.get(f"{BOOK}/intake", query_string=_intake(slot)).get_data(as_text=True)
    assert "例：資金繰りの見通しについて" in html and "例：新商品の販路開拓について" not in html
    theme("management", intake_hint="")
    html = member_client.get(f"{BOOK}/intake", query_string=_intake(slot)).get_data(as_text=True)
    assert "例：新商品の販路開拓について" in html  # the generic one, when the theme has none


def test_the_intake_hint_staff_wrote_follows_the_members_language(
    app, member_client, make_user, make_advisor, theme
):
    advisor = make_advisor()
    management = theme("management")
    rules = ("slot_minutes", "buffer_minutes", "min_notice_hours", "horizon_days",
             "cancel_cutoff_hours")  # fmt: skip
    form = {"name": "経営相談", "name_en": "Management", "intake_hint": "例：資金繰りの見通しについて",
            "intake_hint_en": "e.g. Our cash-flow outlook",
            **{rule: str(getattr(management, rule)) for rule in rules}}  # fmt: skip
    staff = app.test_client()
    login(staff, make_user("staff"))
    edit = f"/staff/consultations/themes/{management.id}"
    assert staff.post(edit, data=form).status_code == 302
    assert "e.g. Our cash-flow outlook" in staff.get(edit).get_data(as_text=True)
    slot = _slot(advisor)

    def intake() -> str:
        return member_client.get(f"{BOOK}/intake", query_string=_intake(slot)).get_data(
            as_text=True
        )

    html = intake()
    assert "例：資金繰りの見通しについて" in html and "Our cash-flow outlook" not in html
    member_client.post("/lang/en", data={"next": "/"})
    html = intake()
    assert "e.g. Our cash-flow outlook" in html and "資金繰り" not in html
    # No English example written: the generic English one, never the Japanese example.
    assert staff.post(edit, data=form | {"intake_hint_en": ""}).status_code == 302
    html = intake()
    assert "e.g. finding sales channels for a new product" in html and "資金繰り" not in html


def test_the_themes_own_questions_are_announced(member_client, make_advisor, theme):
    advisor = make_advisor(themes=("management", "finance"))
    theme("finance", questions=["ご希望の借入額"])
    slot = _slot(advisor, theme="finance")
    data = {**_intake(slot), "theme": "finance"}
    html = member_client.get(f"{BOOK}/intake", query_string=data).get_data(as_text=True)
    assert "下の項目もお伺いします" in html and "ご希望の借入額" in html


def test_the_confirm_page_says_how_and_where(member_client, make_advisor):
    advisor = make_advisor(channels=("branch", "online", "phone"))
    counter = _slot(advisor, channel="branch")
    html = member_client.post(
        f"{BOOK}/intake", data={**_intake(counter, "branch", "chiyoda"), "action": "confirm"}
    ).get_data(as_text=True)
    assert "相談方法" in html and "窓口" in html and "千代田支部 相談窓口" in html
    online = _slot(advisor)
    html = member_client.post(f"{BOOK}/intake", data={**_intake(online), "action": "confirm"})
    assert "ビデオ会議" in html.get_data(as_text=True)
    phone = _slot(advisor, channel="phone")
    html = member_client.post(
        f"{BOOK}/intake", data={**_intake(phone, "phone"), "action": "confirm"}
    ).get_data(as_text=True)
    assert "ご登録の電話番号 03-1234-5678" in html


def test_the_reschedule_notice_shows_the_new_end(member_client, member, make_advisor, book):
    advisor = make_advisor()
    c = book(member, _slot(advisor).start, advisor, now=now_utc())
    new = free_slots(c.theme, now_utc() + timedelta(days=20), now_utc() + timedelta(days=30),
                     now_utc(), advisor_id=advisor.id, channel_slug="online")[0]  # fmt: skip
    html = member_client.get(
        f"/consultations/{c.id}/reschedule", query_string={"start": new.start.isoformat()}
    ).get_data(as_text=True)
    assert format_when(new.start, new.end, "ja") in html
