"""Staff run the consultation catalogue from pages: themes, channels, each branch's offers."""

from datetime import timedelta

from sqlalchemy import select

from booking.consultations.catalogue import branches_for, theme_by_slug
from booking.consultations.models import Channel, Theme
from booking.consultations.slots import free_slots
from booking.extensions import db
from booking.org.services import unit_by_key
from tests.conftest import login
from tests.consultations.conftest import NOW

THEME_FORM = {
    "name": "ＤＸ推進", "name_en": "DX promotion", "about": "デジタル化の相談", "about_en": "",
    "slot_minutes": "４５", "buffer_minutes": "15", "min_notice_hours": "48",
    "horizon_days": "30", "cancel_cutoff_hours": "24",
    "questions": "現在使っているシステム\n\n従業員数\n",
}  # fmt: skip


def test_hq_staff_create_a_theme_with_its_rules_and_questions(client, make_user, catalogue):
    login(client, make_user("staff"))
    assert client.get("/staff/consultations/themes/new").status_code == 200
    response = client.post("/staff/consultations/themes/new", data=THEME_FORM)
    assert response.status_code == 302
    theme = db.session.scalar(select(Theme).where(Theme.name_en == "DX promotion"))
    assert (theme.slot_minutes, theme.buffer_minutes, theme.min_notice_hours) == (45, 15, 48)
    assert theme.questions == ["現在使っているシステム", "従業員数"]
    assert theme.slug == "dx-promotion" and theme.active
    page = client.get("/staff/consultations/").get_data(as_text=True)
    assert "ＤＸ推進" in page or "DX推進" in page


def test_a_rule_out_of_range_is_explained_and_the_form_keeps_what_was_typed(
    client, make_user, catalogue
):
    login(client, make_user("staff"))
    response = client.post(
        "/staff/consultations/themes/new", data=THEME_FORM | {"slot_minutes": "5"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "10から480までの数で入力してください。" in page
    assert 'value="DX promotion"' in page
    assert db.session.scalar(select(Theme).where(Theme.name_en == "DX promotion")) is None


def test_words_where_a_number_goes_are_refused_in_english_when_chosen(client, make_user, catalogue):
    user = make_user("staff")
    user.locale = "en"
    db.session.commit()
    login(client, user)
    response = client.post(
        "/staff/consultations/themes/new", data=THEME_FORM | {"horizon_days": "abc"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Please fill this in." in page or "Not a valid integer" in page
    assert "DX promotion" in page


def test_a_theme_name_already_used_is_refused(client, make_user, catalogue):
    login(client, make_user("staff"))
    response = client.post(
        "/staff/consultations/themes/new", data=THEME_FORM | {"name": "事業承継"}
    )
    assert response.status_code == 422
    assert "同じ名前のものが既にあります。" in response.get_data(as_text=True)


def test_editing_a_theme_changes_its_rules(client, make_user, catalogue):
    login(client, make_user("staff"))
    theme = theme_by_slug("management")
    page = client.get(f"/staff/consultations/themes/{theme.id}").get_data(as_text=True)
    assert "経営相談" in page
    response = client.post(
        f"/staff/consultations/themes/{theme.id}",
        data=THEME_FORM | {"name": "経営相談", "name_en": "Management", "slot_minutes": "30"},
    )
    assert response.status_code == 302
    db.session.refresh(theme)
    assert theme.slot_minutes == 30 and theme.slug == "management"


def test_a_deactivated_theme_keeps_its_bookings_but_offers_no_slots(
    client, make_user, make_advisor, book, member
):
    advisor = make_advisor()
    theme = theme_by_slug("management")
    slot = free_slots(theme, NOW, NOW + timedelta(days=7), NOW)[0]
    booking = book(member, slot.start, advisor=advisor)
    login(client, make_user("staff"))
    response = client.post(f"/staff/consultations/themes/{theme.id}/active", data={"active": "0"})
    assert response.status_code == 302
    db.session.refresh(theme)
    assert not theme.active
    assert free_slots(theme, NOW, NOW + timedelta(days=7), NOW) == []
    assert db.session.get(type(booking), booking.id).status == "booked"
    assert "theme=management" not in client.get("/consultations/").get_data(as_text=True)
    client.post(f"/staff/consultations/themes/{theme.id}/active", data={"active": "1"})
    db.session.refresh(theme)
    assert theme.active


def test_no_page_deletes_a_theme_or_channel(app):
    deleting = [r for r in app.url_map.iter_rules()
                if r.rule.startswith("/staff/consultations") and "DELETE" in r.methods]  # fmt: skip
    assert deleting == []


def test_hq_staff_add_and_rename_a_channel(client, make_user, catalogue):
    login(client, make_user("staff"))
    response = client.post("/staff/consultations/channels/new",
                           data={"name": "訪問", "name_en": "Visit"})  # fmt: skip
    assert response.status_code == 302
    channel = db.session.scalar(select(Channel).where(Channel.name == "訪問"))
    assert channel.slug == "visit"
    client.post(f"/staff/consultations/channels/{channel.id}",
                data={"name": "企業訪問", "name_en": "Company visit"})  # fmt: skip
    db.session.refresh(channel)
    assert channel.name == "企業訪問"
    client.post(f"/staff/consultations/channels/{channel.id}/active", data={"active": "0"})
    db.session.refresh(channel)
    assert not channel.active


def test_a_deactivated_channel_offers_no_slots(client, make_user, make_advisor):
    make_advisor()
    theme = theme_by_slug("management")
    online = db.session.scalar(select(Channel).where(Channel.slug == "online"))
    login(client, make_user("staff"))
    client.post(f"/staff/consultations/channels/{online.id}/active", data={"active": "0"})
    slots = free_slots(theme, NOW, NOW + timedelta(days=7), NOW)
    assert slots and {s.channel for s in slots} == {"branch", "phone"}


def test_branch_staff_cannot_edit_themes_or_channels(client, make_user, catalogue):
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    theme = theme_by_slug("management")
    assert client.get("/staff/consultations/").status_code == 200
    assert client.get("/staff/consultations/themes/new").status_code == 404
    assert client.get(f"/staff/consultations/themes/{theme.id}").status_code == 404
    assert client.post(f"/staff/consultations/themes/{theme.id}/active",
                       data={"active": "0"}).status_code == 404  # fmt: skip
    assert client.get("/staff/consultations/channels/new").status_code == 404
    db.session.refresh(theme)
    assert theme.active


def test_members_and_advisors_do_not_see_the_catalogue(client, make_user, make_advisor):
    login(client, make_user("member"))
    assert client.get("/staff/consultations/").status_code == 404
    client.post("/account/logout")
    login(client, make_advisor().user)
    assert client.get("/staff/consultations/").status_code == 404


def test_branch_staff_withdraw_a_theme_and_a_channel_at_their_branch(
    client, make_user, make_advisor
):
    make_advisor(branches=("chiyoda",))
    make_advisor(branches=("minato",))
    chiyoda, minato = unit_by_key("branch:chiyoda"), unit_by_key("branch:minato")
    theme = theme_by_slug("management")
    phone = db.session.scalar(select(Channel).where(Channel.slug == "phone"))
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    page = client.get(f"/staff/consultations/branches/{chiyoda.id}").get_data(as_text=True)
    assert "checked" in page
    keep_themes = [str(t.id) for t in db.session.scalars(select(Theme)) if t.id != theme.id]
    keep_channels = [str(c.id) for c in db.session.scalars(select(Channel)) if c.id != phone.id]
    response = client.post(f"/staff/consultations/branches/{chiyoda.id}",
                           data={"themes": keep_themes, "channels": keep_channels})  # fmt: skip
    assert response.status_code == 302
    slots = free_slots(theme, NOW, NOW + timedelta(days=7), NOW)
    assert {s.branch for s in slots} == {"minato"}
    assert chiyoda not in branches_for(theme, "branch")
    # Another theme at Chiyoda: offered, but not by phone.
    succession = theme_by_slug("succession")
    make_advisor(themes=("succession",), branches=("chiyoda",))
    chans = {s.channel for s in free_slots(succession, NOW, NOW + timedelta(days=7), NOW)}
    assert chans == {"branch", "online"}
    # Minato is another unit: 404, and nothing changes there.
    assert client.get(f"/staff/consultations/branches/{minato.id}").status_code == 404
    assert client.post(f"/staff/consultations/branches/{minato.id}",
                       data={"themes": [], "channels": []}).status_code == 404  # fmt: skip
    assert minato in branches_for(theme, "branch")


def test_hq_staff_set_any_branchs_offers(client, make_user, catalogue):
    login(client, make_user("staff"))
    minato = unit_by_key("branch:minato")
    assert client.get(f"/staff/consultations/branches/{minato.id}").status_code == 200
    hq = unit_by_key("hq")
    assert client.get(f"/staff/consultations/branches/{hq.id}").status_code == 404
