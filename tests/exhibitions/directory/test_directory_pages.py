"""The directory in pages: furigana order across pages, filters kept, page links, bad page
numbers, and a fixed amount of work (queries, exhibitors built) whatever the total."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import event as sa_event

from booking.exhibitions.directory import cards, views
from booking.exhibitions.directory.search import Found
from booking.exhibitions.models import Booth, Exhibitor
from booking.extensions import db


@pytest.fixture
def fair(make_fair):
    return make_fair(booths_per_zone=12)


@pytest.fixture
def per_page(monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    return 2


def names_in(body: str) -> list[str]:
    return re.findall(
        r"<h3 [^>]*><a href=\"/exhibitions/\d+/exhibitors/\d+\">([^<]+)</a></h3>", body
    )


def link(body: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', body)
    return unescape(found.group(1)) if found else None


def current_page(body: str) -> str:
    nav = body[body.index('<nav class="pager"') :]
    return re.search(r'aria-current="page">(\d+)</a>', nav).group(1)


def walk(client, url: str) -> list[list[str]]:
    """Names on each page, following the "next" links from `url`."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        pages.append(names_in(body))
        url = link(body, "next")
        assert len(pages) <= 10
    return pages


def kana_order(fair, make_exhibitor):
    """Five exhibitors made out of furigana order; the third has no furigana of its own, so the
    company's (シュッテン…) counts. Code point order: カ < ガ, キ < ー."""
    made = [("ガス工業", "ガスコウギョウ"), ("カード印刷", "カードインサツ"), ("出展社", ""),
            ("カキ水産", "カキスイサン"), ("アオバ商会", "アオバショウカイ")]  # fmt: skip
    for name, kana in made:
        make_exhibitor(fair, name=name, display_kana=kana, hours=False)
    return ["アオバ商会", "カキ水産", "カード印刷", "ガス工業", "出展社"]


def test_pages_follow_furigana_order_with_every_exhibitor_once(
    client, fair, make_exhibitor, per_page
):
    expected = kana_order(fair, make_exhibitor)
    pages = walk(client, f"/exhibitions/{fair.id}/")
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [name for page in pages for name in page] == expected


def test_the_api_pages_in_the_same_order(client, fair, make_exhibitor, monkeypatch):
    from booking.api import exhibitions as api

    monkeypatch.setattr(api, "PAGE", 2)
    expected = kana_order(fair, make_exhibitor)
    url, seen = f"/api/v1/exhibitions/{fair.id}/exhibitors", []
    while url:
        body = client.get(url).json
        seen += [x["name"] for x in body["items"]]
        url = body.get("next", "").removeprefix("http://localhost")
        assert len(seen) <= 5
    assert seen == expected


def test_the_count_says_which_of_how_many(client, fair, make_exhibitor, per_page):
    kana_order(fair, make_exhibitor)
    body = client.get(f"/exhibitions/{fair.id}/?page=2").get_data(as_text=True)
    assert "5社中 3〜4社" in body and "(2ページ目)" in body
    body = client.get(f"/exhibitions/{fair.id}/?page=3").get_data(as_text=True)
    assert "5社中 5〜5社" in body


def test_page_links_keep_the_filters(client, fair, make_exhibitor, per_page):
    for i in range(5):
        make_exhibitor(fair, name=f"IT企業{i}", display_kana=f"アイティー{i}", category="ict",
                       pr_text="クラウド", hours=False)  # fmt: skip
        make_exhibitor(fair, name=f"製造業{i}", display_kana=f"セイゾウ{i}", category="industry",
                       pr_text="クラウド", hours=False)  # fmt: skip
    pages = walk(client, f"/exhibitions/{fair.id}/?category=ict&q=くらうど&zone=")
    assert [n for page in pages for n in page] == [f"IT企業{i}" for i in range(5)]
    body = client.get(f"/exhibitions/{fair.id}/?category=ict&q=くらうど&page=2").get_data(
        as_text=True
    )
    for rel, page in (("next", ["3"]), ("prev", None)):
        args = parse_qs(urlsplit(link(body, rel)).query)
        # The filters as typed; the empty zone stays out of the URL, and so does page 1.
        assert args == {"category": ["ict"], "q": ["くらうど"]} | ({"page": page} if page else {})


def test_the_page_links_are_a_labelled_nav_marking_the_current_page(
    client, fair, make_exhibitor, per_page
):
    kana_order(fair, make_exhibitor)
    body = client.get(f"/exhibitions/{fair.id}/?page=2").get_data(as_text=True)
    assert '<nav class="pager" aria-label="出展者一覧のページ">' in body
    assert current_page(body) == "2"
    assert body.count('aria-current="page"') == 1
    # Page 1 is the directory's own URL, without ?page=1.
    assert link(body, "prev") == f"/exhibitions/{fair.id}/"


def test_one_page_of_results_has_no_page_links(client, fair, make_exhibitor):
    make_exhibitor(fair, hours=False)
    body = client.get(f"/exhibitions/{fair.id}/").get_data(as_text=True)
    assert 'class="pager"' not in body and "1社中 1〜1社" in body


@pytest.mark.parametrize(
    ("page", "shown"),
    [("0", "1"), ("-1", "1"), ("abc", "1"), ("", "1"), ("1.5", "1"), ("3", "3"), ("4", "3"),
     ("99999999999999999999", "3")],
)  # fmt: skip
def test_a_page_number_that_is_not_one_shows_the_nearest_page(
    client, fair, make_exhibitor, per_page, page, shown
):
    kana_order(fair, make_exhibitor)
    response = client.get(f"/exhibitions/{fair.id}/?page={page}")
    assert response.status_code == 200
    assert current_page(response.get_data(as_text=True)) == shown


def test_a_page_number_with_nothing_found_shows_the_empty_result(client, fair):
    response = client.get(f"/exhibitions/{fair.id}/?q=存在しない&page=5")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "条件に合う出展者はいません。" in body and "0社" in body


def place_all(fair, exhibitor_ids: list[int]) -> None:
    booths = db.session.query(Booth).filter_by(exhibition_id=fair.id).order_by(Booth.code).all()
    for booth, x in zip(booths, exhibitor_ids, strict=False):
        booth.exhibitor_id = x
    db.session.commit()


class Work:
    """SQL statements run, and exhibitors built (as directory cards or ORM objects), while
    answering one request."""

    def __init__(self, client, monkeypatch):
        self.client = client
        self.built: list[int] = []
        work = self

        class CountedCard(cards.Card):
            __slots__ = ()

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                work.built.append(self.id)

        monkeypatch.setattr(cards, "Card", CountedCard)

    def __call__(self, path: str) -> tuple[int, int]:
        statements = []
        self.built.clear()

        def on_sql(conn, cursor, statement, *args):
            statements.append(statement)

        def on_load(target, context):
            self.built.append(target.id)

        sa_event.listen(db.engine, "before_cursor_execute", on_sql)
        sa_event.listen(Exhibitor, "load", on_load)
        try:
            db.session.expunge_all()
            assert self.client.get(path).status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", on_sql)
            sa_event.remove(Exhibitor, "load", on_load)
        return len(statements), len(self.built)


@pytest.mark.parametrize(
    "query", ["", "?page=2", "?zone=A", "?q=株式会社", "?q=株式会社&category=ict&page=2"]
)
def test_the_work_of_a_page_does_not_grow_with_exhibitors(
    client, fair, make_exhibitor, per_page, query, monkeypatch
):
    work = Work(client, monkeypatch)
    made = [make_exhibitor(fair, category=("ict", "industry")[i % 2], hours=False)[0].id
            for i in range(8)]  # fmt: skip
    place_all(fair, made)
    path = f"/exhibitions/{fair.id}/{query}"
    statements, built = work(path)
    assert 0 < built <= per_page
    made += [make_exhibitor(fair, category=("ict", "industry")[i % 2], hours=False)[0].id
             for i in range(12)]  # fmt: skip
    place_all(fair, made)
    assert work(path) == (statements, built)


@pytest.mark.parametrize(
    ("offset", "total", "links"),
    [
        (0, 300, [1, 2, 3, None, 7]),  # 48 a page: 7 pages
        (3 * 48, 300, [1, 2, 3, 4, 5, 6, 7]),
        (6 * 48, 300, [1, None, 5, 6, 7]),
        (0, 48, [1]),
        (0, 0, [1]),
    ],
)
def test_page_links_show_the_ends_and_the_pages_near_this_one(offset, total, links):
    assert Found([], total, offset, 48).page_links() == links
