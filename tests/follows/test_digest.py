"""The weekly digest: new events of what a member follows, through the real outbox and
dispatcher; nothing when nothing is new; once per person per week however many schedulers
or commands run; opt-out by a one-click link (RFC 8058) that acts only on POST.

The clock stands at Wed 3 June 2026 09:30 JST (ISO week 2026-W23).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from booking.extensions import db
from booking.follows.digest import unsubscribe_token
from booking.follows.jobs import digest_job
from booking.follows.models import DigestState
from booking.notifications.models import OutboxMessage
from booking.org.services import unit_by_key
from booking.scheduler import registered_jobs, run_job
from tests.clock import TOKYO
from tests.conftest import make_app


def _follow(client, key: str) -> None:
    assert client.post("/follows/follow", data={"unit": key}).status_code == 302


def _digest(runner) -> str:
    result = runner.invoke(args=["follows", "digest"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def _text(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def _digests() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.template == "follow_digest").order_by(OutboxMessage.id)))  # fmt: skip


def test_the_digest_lists_new_events_of_what_is_followed_with_one_click_opt_out(
    member_client, member, make_event, runner, sent_mail
):
    _follow(member_client, "section:industry")
    make_event(title="工業部会 工場見学会", unit="section:industry", days=9)
    make_event(title="IoT活用セミナー", unit="hq", days=5, tags=[unit_by_key("section:industry")])
    make_event(title="会員限定 部会懇親会", unit="section:industry", days=12, member_only=True)
    make_event(title="港支部の勉強会", unit="branch:minato", days=4)
    make_event(title="下書きの会", unit="section:industry", days=6, status="draft")

    assert _digest(runner) == "digests planned: 1"
    [mail] = sent_mail()
    assert mail["To"] == member.email
    assert mail["Subject"] == "【東京商工会議所】フォロー中の新着イベント（3件）"
    token = unsubscribe_token(member.id)
    # (a long header is folded before its value; the value is the same)
    assert mail["List-Unsubscribe"].strip() == f"<http://tsunagu.test/follows/unsubscribe/{token}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = _text(mail)
    assert (
        text.index("IoT活用セミナー") < text.index("工業部会 工場見学会") < text.index("会員限定")
    )
    assert text.count("フォロー中: 工業部会") == 1  # said of the tagged event only
    assert "http://tsunagu.test/events/" in text
    assert "港支部" not in text and "下書き" not in text
    assert f"http://tsunagu.test/follows/unsubscribe/{token}" in text
    assert "http://tsunagu.test/mypage/follows" in text


def test_nothing_new_sends_nothing_and_each_week_tells_only_what_is_new(
    member_client, member, make_event, runner, sent_mail, clock
):
    _follow(member_client, "branch:chiyoda")
    assert _digest(runner) == "digests planned: 0"  # nothing to tell: no mail at all
    assert _digests() == [] and sent_mail() == []

    make_event(title="千代田 交流会", unit="branch:chiyoda", days=20)
    assert _digest(runner) == "digests planned: 0"  # this week's digest is done
    clock.move_to(datetime(2026, 6, 8, 9, 0, tzinfo=TOKYO))  # Monday of the next week
    assert _digest(runner) == "digests planned: 1"
    make_event(title="千代田 経営セミナー", unit="branch:chiyoda", days=10)
    clock.move_to(datetime(2026, 6, 15, 9, 0, tzinfo=TOKYO))
    assert _digest(runner) == "digests planned: 1"
    clock.move_to(datetime(2026, 6, 22, 9, 0, tzinfo=TOKYO))
    assert _digest(runner) == "digests planned: 0"  # nothing new since the last one

    first, second = sent_mail()
    assert "千代田 交流会" in _text(first) and "千代田 経営セミナー" not in _text(first)
    assert "千代田 経営セミナー" in _text(second) and "千代田 交流会" not in _text(second)
    assert [m.dedupe_key for m in _digests()] == [
        f"follow_digest:{member.id}:2026-W24",
        f"follow_digest:{member.id}:2026-W25",
    ]


def test_the_scheduler_job_and_the_command_together_send_one_digest_a_week(
    app, member_client, member, make_event, runner, sent_mail, clock
):
    job, trigger = registered_jobs(app)["follow_digest"]
    assert job is digest_job and trigger == {"trigger": "interval", "hours": 1}
    _follow(member_client, "section:trade")
    make_event(title="貿易実務セミナー", unit="section:trade", days=8)

    clock.move_to(datetime(2026, 6, 8, 7, 0, tzinfo=TOKYO))  # Monday, before 08:00
    assert run_job(app, digest_job) == 0
    clock.move_to(datetime(2026, 6, 8, 8, 0, tzinfo=TOKYO))
    assert run_job(app, digest_job) == 1
    assert run_job(app, digest_job) == 0  # a second scheduler, an hour later: claimed
    assert _digest(runner) == "digests planned: 0"
    assert len(sent_mail()) == 1


def test_two_schedulers_at_once_plan_one_digest(
    app, database_url, member_client, member, make_event, clock
):
    """Two apps (two scheduler processes) run the job at the same instant, in threads."""
    import threading

    _follow(member_client, "section:finance")
    make_event(title="金融セミナー", unit="section:finance", days=8)
    clock.freeze()
    db.session.commit()  # the test's own transaction must not hold SQLite's write lock
    apps = [make_app(database_url, CLOCK=clock) for _ in range(2)]
    barrier, results = threading.Barrier(2), []

    def run(other):
        barrier.wait()
        results.append(run_job(other, digest_job))

    threads = [threading.Thread(target=run, args=(other,)) for other in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == [0, 1]
    assert len(_digests()) == 1


def test_the_opt_out_link_asks_on_get_and_acts_only_on_post(
    app, database_url, member_client, member, make_event, runner, clock
):
    _follow(member_client, "section:ict")
    url = f"/follows/unsubscribe/{unsubscribe_token(member.id)}"
    anyone = app.test_client()  # no login needed
    page = anyone.get(url)
    assert page.status_code == 200 and "配信を停止する" in page.get_data(as_text=True)
    assert db.session.get(DigestState, member.id).opted_out_at is None  # GET changed nothing

    # A mail client's one-click POST (RFC 8058) carries no form token: it still works.
    strict = make_app(database_url, CLOCK=clock, WTF_CSRF_ENABLED=True).test_client()
    db.session.commit()  # (a plain test client: the test's transaction must not hold SQLite)
    answer = strict.post(url, data="List-Unsubscribe=One-Click",
                         content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert answer.status_code == 200 and "配信を停止しました" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(DigestState, member.id).opted_out_at is not None

    make_event(title="AI活用セミナー", unit="section:ict", days=8)
    assert _digest(runner) == "digests planned: 0"
    assert anyone.get("/follows/unsubscribe/forged-token").status_code == 404
    assert anyone.post("/follows/unsubscribe/forged-token").status_code == 404


def test_a_digest_planned_before_an_opt_out_is_not_sent(
    member_client, member, make_event, runner, sent_mail
):
    _follow(member_client, "section:services")
    make_event(title="サービス業の集客講座", unit="section:services", days=8)
    assert _digest(runner) == "digests planned: 1"
    member_client.post(f"/follows/unsubscribe/{unsubscribe_token(member.id)}")
    assert sent_mail() == []
    assert _digests()[0].status == "cancelled"


def test_the_digest_is_in_the_members_language(member_client, member, make_event, runner,
                                               sent_mail):  # fmt: skip
    member_client.post("/lang/en")
    _follow(member_client, "branch:chuo")
    make_event(title="中央支部 交流会", unit="branch:chuo", days=8)
    assert _digest(runner) == "digests planned: 1"
    [mail] = sent_mail()
    assert mail["Subject"] == "【Tokyo Chamber of Commerce】New events you follow (1)"
    assert "Organiser: Chuo Branch" in _text(mail)


def test_a_person_who_follows_nothing_now_gets_nothing(member_client, member, make_event,
                                                       runner):  # fmt: skip
    _follow(member_client, "branch:koto")
    member_client.post("/follows/unfollow", data={"unit": "branch:koto"})
    make_event(title="江東支部 交流会", unit="branch:koto", days=8)
    assert _digest(runner) == "digests planned: 0"


def test_the_english_digest_addresses_the_person_in_english_order(
    member_client, member, make_event, runner, sent_mail
):
    member_client.post("/lang/en")
    _follow(member_client, "branch:bunkyo")
    make_event(title="文京支部 セミナー", unit="branch:bunkyo", days=8)
    _digest(runner)
    [mail] = sent_mail()
    assert "Dear Taro" in _text(mail) and "Yamada" in _text(mail) and "様" not in _text(mail)
