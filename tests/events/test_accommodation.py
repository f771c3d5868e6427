"""Reasonable accommodation (合理的配慮) on event registration: asked in the form, confirmed,
kept with the registration, shown to the person and to the event's staff (door, attendee
list, CSV) and to nobody else."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from booking.accounts.services import issue_api_token
from booking.events.models import Registration
from booking.extensions import db
from booking.timefmt import as_utc
from tests.clock import CLOCK
from tests.conftest import login

ASKED = {"accommodations": ["wheelchair", "hearing"], "accommodation_note": "補助犬を同伴します"}


def _register(client, event, **extra):
    data = {"frame": str(event.frames[0].id), **ASKED, **extra}
    confirm = client.post(f"/events/{event.id}/register", data=data)
    page = confirm.get_data(as_text=True)
    assert (
        confirm.status_code == 200 and "車いす・移動の配慮" in page and "補助犬を同伴します" in page
    )
    done = client.post(f"/events/{event.id}/register", data={**data, "confirmed": "1"})
    assert done.status_code == 302
    return db.session.scalar(select(Registration).order_by(Registration.id.desc()))


def test_the_registration_form_offers_the_optional_step(member_client, make_event):
    event = make_event()
    page = member_client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert "合理的配慮のご希望（任意）" in page and 'value="wheelchair"' in page
    # Nothing asked: registering still works and stores nothing.
    data = {"frame": str(event.frames[0].id), "confirmed": "1"}
    assert member_client.post(f"/events/{event.id}/register", data=data).status_code == 302
    reg = db.session.scalar(select(Registration))
    assert reg.accommodations == [] and reg.accommodation_note == ""


def test_what_is_asked_reaches_the_person_and_the_events_staff_only(
    app, client, member, make_user, make_event
):  # fmt: skip
    event = make_event(days=1)
    login(client, member)
    reg = _register(client, event)
    assert reg.accommodations == ["wheelchair", "hearing"]
    assert reg.accommodation_note == "補助犬を同伴します"
    own = client.get(f"/mypage/registrations/{reg.id}").get_data(as_text=True)
    assert "補助犬を同伴します" in own
    # The pass (shown at the door, perhaps to others) and the API's event say nothing of it.
    assert "補助犬" not in _ok(client.get(f"/mypage/passes/{reg.id}")).get_data(as_text=True)
    for path in (f"/api/v1/events/{event.id}", "/api/v1/me/registrations"):
        answer = _ok(client.get(path, headers=_bearer(member)))
        assert "補助犬" not in answer.get_data(as_text=True)

    other = app.test_client()
    someone = make_user("member")
    login(other, someone)
    assert other.get(f"/mypage/registrations/{reg.id}").status_code == 404
    assert "補助犬" not in _ok(other.get(f"/events/{event.id}")).get_data(as_text=True)
    api = other.get(f"/api/v1/events/{event.id}", headers=_bearer(someone))
    assert "補助犬" not in _ok(api).get_data(as_text=True)
    assert other.get(f"/staff/events/{event.id}/attendees").status_code == 404

    staff = app.test_client()
    login(staff, make_user("staff"))
    listing = staff.get(f"/staff/events/{event.id}/attendees").get_data(as_text=True)
    assert "車いす・移動の配慮、聴覚（手話通訳・筆談・字幕など）: 補助犬を同伴します" in listing
    rows = list(csv.reader(io.StringIO(
        staff.get(f"/staff/events/{event.id}/attendees.csv").get_data(as_text=True).lstrip("\ufeff")
    )))  # fmt: skip
    column = rows[0].index("合理的配慮")
    assert (
        rows[1][column]
        == "車いす・移動の配慮、聴覚（手話通訳・筆談・字幕など）: 補助犬を同伴します"
    )
    CLOCK.move_to(as_utc(event.starts_at) - timedelta(minutes=10))
    door = staff.post(f"/staff/events/{event.id}/checkin", data={"token": reg.pass_token})
    assert "補助犬を同伴します" in door.get_data(as_text=True)
    search = staff.get(f"/staff/events/{event.id}/checkin", query_string={"q": "ヤマダ"})
    assert "補助犬を同伴します" in search.get_data(as_text=True)
    # Staff of another unit do not manage the event: 404.
    branch = app.test_client()
    login(branch, make_user("staff", unit_key="branch:chiyoda"))
    assert branch.get(f"/staff/events/{event.id}/attendees").status_code == 404


def test_a_too_long_note_is_refused_and_kept(member_client, make_event):
    event = make_event()
    data = {"frame": str(event.frames[0].id), "accommodation_note": "あ" * 501,
            "accommodations": ["bogus"]}  # fmt: skip
    page = member_client.post(f"/events/{event.id}/register", data=data)
    assert page.status_code == 422
    assert "あ" * 501 in page.get_data(as_text=True)
    assert db.session.scalar(select(Registration)) is None


def _ok(response):
    assert response.status_code == 200
    return response


def _bearer(user) -> dict:
    token = issue_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}
