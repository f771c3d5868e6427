"""DATABASE_REPLICA_URL: visitors' public pages read from the replica; a signed-in person and
every write use the primary. The "replica" is a second database filled with a copy of the
primary, then the primary changes (the replica's lag)."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import create_engine, insert, select

from booking.events.models import Event, Registration
from booking.extensions import db
from tests.conftest import login, make_app


def _replica_of_primary(tmp_path) -> str:
    """A second database with every row the primary has now."""
    url = f"sqlite:///{tmp_path / 'replica.sqlite'}"
    replica = create_engine(url)
    db.metadata.create_all(replica)
    with replica.begin() as conn:
        for table in db.metadata.sorted_tables:
            rows = [dict(r._mapping) for r in db.session.execute(select(table))]
            if rows:
                conn.execute(insert(table), rows)
    replica.dispose()
    return url


def test_visitors_read_the_replica_and_signed_in_people_the_primary(
    app, database_url, make_event, make_user, tmp_path
):
    event = make_event(title="本日のセミナー")
    member = make_user("member")
    replica_url = _replica_of_primary(tmp_path)
    event_id, frame_id, member = event.id, event.frames[0].id, SimpleNamespace(email=member.email)
    event.title = "本日のセミナー（会場変更）"  # on the primary only: the replica lags
    db.session.commit()
    db.session.close()  # this test's own session holds no transaction while the app runs

    routed = make_app(database_url, DATABASE_REPLICA_URL=replica_url)
    visitor = routed.test_client()
    page = visitor.get(f"/events/{event_id}").get_data(as_text=True)
    assert "本日のセミナー" in page and "会場変更" not in page  # read from the replica
    assert "会場変更" not in visitor.get("/events/").get_data(as_text=True)

    signed_in = routed.test_client()
    assert login(signed_in, member).status_code == 302
    assert "会場変更" in signed_in.get(f"/events/{event_id}").get_data(as_text=True)

    # A write goes to the primary, and the person reads it back from there.
    answer = signed_in.post(
        f"/events/{event_id}/register", data={"frame": frame_id, "confirmed": "1"}
    )
    assert answer.status_code == 302
    assert "会場変更" in signed_in.get(answer.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Registration.status).where(Registration.event_id == event_id))
    replica = create_engine(replica_url)
    with replica.connect() as conn:
        assert conn.execute(select(Registration.id)).first() is None
        assert (
            conn.execute(select(Event.title).where(Event.id == event_id)).scalar()
            == "本日のセミナー"
        )
    replica.dispose()


def test_without_the_variable_everything_reads_the_primary(app, make_event, client):
    event = make_event(title="本日のセミナー")
    assert "本日のセミナー" in client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "tsunagu_replica" not in app.extensions
