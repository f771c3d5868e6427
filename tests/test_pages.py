from datetime import timedelta

from booking.events.models import Event, Frame
from booking.extensions import db
from booking.org.services import unit_by_key
from booking.timefmt import now_utc


def _event(title, member_only=False, status="published", days=3):
    start = now_utc() + timedelta(days=days)
    event = Event(
        title=title, kind="seminar", format="in_person", unit=unit_by_key("branch:chiyoda"),
        starts_at=start, ends_at=start + timedelta(hours=2), status=status, member_only=member_only,
        frames=[Frame(name="会場参加", capacity=50, taken=45)],
    )  # fmt: skip
    db.session.add(event)
    db.session.commit()
    return event


def test_home_is_japanese_and_lists_upcoming_events(client):
    _event("ものづくりゼミナール")
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="ja">' in html
    assert "ものづくりゼミナール" in html
    assert "残り5席" in html
    assert "経営相談を予約する" in html
    assert "千代田支部" in html


def test_member_only_events_are_hidden_from_guests_and_visitors(client, make_user):
    from tests.conftest import login

    _event("会員限定交流会", member_only=True)
    _event("下書きセミナー", status="draft")
    assert "会員限定交流会" not in client.get("/").get_data(as_text=True)
    login(client, make_user("guest"))
    assert "会員限定交流会" not in client.get("/").get_data(as_text=True)
    client.post("/account/logout")
    login(client, make_user("member"))
    html = client.get("/").get_data(as_text=True)
    assert "会員限定交流会" in html
    assert "下書きセミナー" not in html


def test_unknown_pages_get_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "お探しのページは見つかりませんでした。" in response.get_data(as_text=True)


def test_staff_pages_are_404_for_members(member_client):
    assert member_client.get("/staff/").status_code == 404


def test_staff_dashboard_shows_fill_rates(staff_client):
    _event("渋谷ビジネス交流会")
    html = staff_client.get("/staff/").get_data(as_text=True)
    assert "渋谷ビジネス交流会" in html and "確定 45 / 定員 50名" in html


def test_pages_have_landmarks_and_a_skip_link(client):
    html = client.get("/account/login").get_data(as_text=True)
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert '<label for="email">' in html
