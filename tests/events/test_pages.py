"""Event pages: list, filters, month calendar, detail, registration flow, My Page, cancel links."""

from datetime import timedelta

from sqlalchemy import event as sa_event
from sqlalchemy import select

from booking.events.models import Registration
from booking.events.passes import cancel_link_token
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc


def test_the_list_shows_published_events_with_seats(client, make_event):
    make_event(title="ものづくりDXセミナー", capacity=50)
    make_event(title="下書きのイベント", status="draft")
    html = client.get("/events/").get_data(as_text=True)
    assert "ものづくりDXセミナー" in html and "下書きのイベント" not in html
    assert "定員50名" in html and "受付中" in html


def test_the_list_filters_by_kind_and_text(client, make_event):
    make_event(title="交流会A", kind="exchange")
    make_event(title="セミナーB", kind="seminar")
    html = client.get("/events/?kind=exchange").get_data(as_text=True)
    assert "交流会A" in html and "セミナーB" not in html
    html = client.get("/events/?q=セミナー").get_data(as_text=True)
    assert "セミナーB" in html and "交流会A" not in html


def test_the_list_filters_by_organising_unit(client, make_event):
    make_event(title="千代田支部の会", unit="branch:chiyoda")
    make_event(title="本部の会")
    html = client.get("/events/?unit=branch:chiyoda").get_data(as_text=True)
    assert "千代田支部の会" in html and "本部の会" not in html


def test_has_seats_hides_full_events(client, make_event, make_user):
    full = make_event(title="満席の会", capacity=1)
    register_for_frame(make_user("member"), full.id, full.frames[0].id, {}, now_utc())
    db.session.commit()
    make_event(title="空席の会")
    html = client.get("/events/?seats=1").get_data(as_text=True)
    assert "空席の会" in html and "満席の会" not in html


def test_the_month_view_places_events_on_their_day(client, make_event):
    event = make_event(title="月表示の会", days=3)
    from booking.timefmt import to_local

    month = to_local(event.starts_at).strftime("%Y-%m")
    html = client.get(f"/events/?view=month&month={month}").get_data(as_text=True)
    assert "月表示の会" in html and '<table class="month"' in html


def test_bad_filter_values_are_ignored_not_errors(client):
    for query in ("from=xx", "month=abc&view=month", "kind=zzz", "unit=branch:nowhere"):
        assert client.get(f"/events/?{query}").status_code == 200, query


def test_the_list_page_query_count_does_not_grow_with_events(app, client, make_event):
    def count_queries(path):
        statements = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        sa_event.listen(db.engine, "before_cursor_execute", before)
        try:
            assert client.get(path).status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", before)
        return len(statements)

    make_event(title="一件目")
    few = count_queries("/events/")
    for i in range(12):
        make_event(title=f"追加{i}", unit="branch:chiyoda" if i % 2 else "hq")
    assert count_queries("/events/") == few


def test_member_only_events_are_hidden_from_visitors(client, make_event):
    event = make_event(title="会員限定の会", member_only=True)
    assert "会員限定の会" not in client.get("/events/").get_data(as_text=True)
    assert client.get(f"/events/{event.id}").status_code == 404


def test_the_detail_page_shows_frames_and_remaining_seats(client, make_event):
    event = make_event(
        capacity=50, price_label="会員無料", description="**太字** <script>x</script>"
    )
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "残り50席" in html and "会員無料" in html
    assert "<strong>太字</strong>" in html and "<script>x" not in html
    assert "ログインして申し込む" in html


def test_a_full_in_person_frame_offers_the_online_frame(client, make_event, make_user, member):
    event = make_event(
        format="hybrid",
        frames=[dict(name="会場参加", capacity=1, mode="in_person"),
                dict(name="オンライン参加", capacity=100, mode="online")],
    )  # fmt: skip
    register_for_frame(make_user("member"), event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "会場参加は満席です。オンライン参加はまだお申し込みいただけます。" in html
    assert "オンライン参加（オンライン参加）" not in html


def _login(client, user):
    from tests.conftest import login

    assert login(client, user).status_code == 302


def test_register_confirm_done_flow(client, make_event, member):
    event = make_event(questions=[dict(label="業種", kind="text", required=True)])
    q = event.questions[0].key
    _login(client, member)
    form = client.get(f"/events/{event.id}/register")
    assert form.status_code == 200 and "申込内容を確認する" in form.get_data(as_text=True)
    frame = str(event.frames[0].id)
    confirm = client.post(f"/events/{event.id}/register", data={"frame": frame, q: "製造業"})
    assert confirm.status_code == 200 and "申し込みを確定する" in confirm.get_data(as_text=True)
    assert db.session.scalar(select(Registration)) is None, "the confirmation page saves nothing"
    done = client.post(
        f"/events/{event.id}/register", data={"frame": frame, q: "製造業", "confirmed": "1"}
    )
    assert done.status_code == 302
    reg = db.session.scalar(select(Registration))
    assert reg.status == "confirmed" and reg.answers == {q: "製造業"}
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert reg.reference in page and "<svg" in page


def test_a_missing_required_answer_rerenders_with_422(client, make_event, member):
    event = make_event(questions=[dict(label="業種", kind="text", required=True)])
    _login(client, member)
    response = client.post(f"/events/{event.id}/register", data={"frame": str(event.frames[0].id)})
    assert response.status_code == 422
    assert "入力してください" in response.get_data(as_text=True)


def test_a_rule_failing_at_the_last_step_is_shown_on_the_form(client, make_event, member):
    event = make_event(per_company_limit=1)
    register_for_frame(_colleague(member), event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    _login(client, member)
    response = client.post(
        f"/events/{event.id}/register", data={"frame": str(event.frames[0].id), "confirmed": "1"}
    )
    assert response.status_code == 422 and "1社1名まで" in response.get_data(as_text=True)


def _colleague(member):
    from booking.accounts.models import User

    user = User(email="colleague@example.jp", role="member", company_id=member.company_id,
                family_name="同僚", given_name="一")  # fmt: skip
    db.session.add(user)
    db.session.flush()
    return user


def test_my_page_lists_upcoming_registrations_with_cancel(client, make_event, member):
    event = make_event(title="マイページの会")
    register_for_frame(member, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    _login(client, member)
    html = client.get("/mypage/").get_data(as_text=True)
    assert "マイページの会" in html and "参加証を表示" in html and "キャンセルする" in html


def test_cancelling_from_my_page_asks_first(client, make_event, member):
    event = make_event()
    reg = register_for_frame(member, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    _login(client, member)
    page = client.get(f"/mypage/registrations/{reg.id}/cancel")
    assert page.status_code == 200 and reg.status == "confirmed"
    assert client.post(f"/mypage/registrations/{reg.id}/cancel").status_code == 200
    assert reg.status == "cancelled"


def test_another_persons_registration_is_404(client, make_event, member, make_user):
    event = make_event()
    reg = register_for_frame(make_user("member"), event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    _login(client, member)
    assert client.get(f"/mypage/registrations/{reg.id}").status_code == 404
    assert client.post(f"/mypage/registrations/{reg.id}/cancel").status_code == 404


def test_the_mail_link_cancels_only_on_post(app, client, make_event, member):
    event = make_event()
    reg = register_for_frame(member, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    path = f"/r/{cancel_link_token(reg)}"
    assert client.get(path).status_code == 200
    assert reg.status == "confirmed", "a link scanner's GET cancels nothing"
    page = client.post(path)
    assert page.status_code == 200 and reg.status == "cancelled"
    assert "キャンセルしました" in page.get_data(as_text=True)


def test_a_forged_cancel_link_is_404(client, make_event, member):
    event = make_event()
    reg = register_for_frame(member, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    for token in (
        f"{reg.id}-AAAAAAAAAAAAAAAAAAAAAAAA",
        "x",
        f"{reg.id + 1}-" + cancel_link_token(reg).split("-", 1)[1],
    ):
        assert client.get(f"/r/{token}").status_code == 404


def test_the_cancel_page_after_the_deadline_says_so(client, make_event, member):
    event = make_event(cancel_until=now_utc() + timedelta(minutes=1))
    reg = register_for_frame(member, event.id, event.frames[0].id, {}, now_utc())
    event.cancel_until = now_utc() - timedelta(minutes=1)
    db.session.commit()
    html = client.get(f"/r/{cancel_link_token(reg)}").get_data(as_text=True)
    assert "期限を過ぎています" in html


def test_demo_load_adds_a_full_event_with_a_waitlist_and_a_lottery(app):
    from booking.demo import load
    from booking.events.models import Event, Frame

    now = now_utc()
    load(now)
    load(now)  # idempotent
    db.session.commit()
    statuses = dict(
        db.session.execute(
            select(Registration.status, db.func.count()).group_by(Registration.status)
        ).all()
    )
    assert statuses.get("waitlisted", 0) > 0 and statuses.get("applied", 0) > 0
    assert (
        db.session.scalar(select(db.func.count()).select_from(Frame).where(Frame.lottery.is_(True)))
        >= 1
    )
    kinds = set(db.session.scalars(select(Event.kind)))
    assert kinds == {"seminar", "exchange", "exhibition", "other"}


def test_the_list_is_paged(client, make_event):
    for i in range(32):
        make_event(title=f"ページ送り{i:02d}", days=1 + i / 10)
    first = client.get("/events/").get_data(as_text=True)
    second = client.get("/events/?page=2").get_data(as_text=True)
    assert "ページ送り00" in first and "ページ送り31" not in first and 'rel="next"' in first
    assert "ページ送り31" in second and "ページ送り00" not in second


def test_demo_times_show_in_tokyo_time(app, client):
    from booking.demo import load
    from booking.events.models import Event

    load(now_utc())
    db.session.commit()
    event = db.session.scalar(select(Event).where(Event.title.like("千代田ビジネス交流会%")))
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "18:30〜20:30" in html
