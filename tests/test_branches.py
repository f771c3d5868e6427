"""Branch pages (issue 13): `/branches/` and `/branches/<slug>` with the branch's events,
its consultation desk and its public calendar feed."""

from __future__ import annotations

from tests.factories import make_chiyoda_desk_advisor
from tests.factories import make_event as new_event


def test_the_home_page_links_every_branch(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/branches/chiyoda"' in html and 'href="/branches/"' in html


def test_the_branch_index_lists_branches_with_their_event_counts(app, client):
    new_event(title="千代田の会", unit="branch:chiyoda")
    html = client.get("/branches/").get_data(as_text=True)
    assert 'href="/branches/chiyoda"' in html and "千代田支部" in html
    assert "今後のイベント 1件" in html


def test_a_branch_page_lists_that_branchs_events_only(app, client):
    make_event = new_event
    make_event(title="千代田の会", unit="branch:chiyoda")
    make_event(title="中央の会", unit="branch:chuo")
    make_event(title="下書きの会", unit="branch:chiyoda", status="draft")
    html = client.get("/branches/chiyoda").get_data(as_text=True)
    assert "<h1" in html and "千代田支部" in html
    assert "千代田の会" in html and "中央の会" not in html and "下書きの会" not in html
    assert "1件のイベント" in html
    assert 'href="/events/?unit=branch:chiyoda"' in html


def test_a_branch_page_offers_its_public_calendar_feed(app, client):
    html = client.get("/branches/chiyoda").get_data(as_text=True)
    assert "/calendar/public.ics?branch=chiyoda" in html
    assert "webcal://" in html
    feed = client.get("/calendar/public.ics?branch=chiyoda")
    assert feed.status_code == 200


def test_a_branch_page_links_its_consultation_desk(app, client, make_user):

    make_chiyoda_desk_advisor(make_user)
    html = client.get("/branches/chiyoda").get_data(as_text=True)
    desk = html[html.index('id="branch-desk"') : html.index('id="branch-calendar"')]
    assert "/consultations/book?theme=management&amp;channel=branch&amp;branch=chiyoda" in desk
    other = client.get("/branches/chuo").get_data(as_text=True)
    other_desk = other[other.index('id="branch-desk"') : other.index('id="branch-calendar"')]
    assert "theme=management" not in other_desk and "/consultations/" in other_desk


def test_an_unknown_branch_is_404(client):
    assert client.get("/branches/nowhere").status_code == 404
    assert client.get("/branches/" + "x" * 500).status_code == 404


def test_an_event_organised_by_a_branch_links_to_its_page(app, client):
    event = new_event(title="千代田の会", unit="branch:chiyoda")
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert 'href="/branches/chiyoda"' in html
