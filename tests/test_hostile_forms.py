"""Hostile values posted to every form of every page, signed in as each role: never a 5xx,
and a refused post leaves every table as it was.

The forms are found, not listed (tests/site_forms.py): on the demo data, the site is crawled
as each role and every `<form method="post">` is read as a person leaves it filled in. Every
POST route must be reached by a form found that way or be named in `POST_ONLY`, so a new POST
route that no test reaches fails here. Then, for every POST route and role:

- NUL in every field (refused on the way in), and a different hostile value in each field;
- for the first role to find the form, also: the whole form with 10,000 characters, emoji,
  full-width digits, words where numbers go, every field twice, nothing at all; and the
  person's own values with one field at a time made hostile (ids beyond the database's range
  either way, far-off dates, long text, full-width digits), so each value gets past the
  other fields' checks to the code behind them.

Every page a role may open is also asked with hostile query strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from booking import create_app
from booking.accounts.models import User
from booking.accounts.services import PersonDetails, create_user
from booking.demo import load
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import IsolatedClient, app_settings
from tests.demo_world import ROLES, Form, World, ids_and_tokens, route_url, signed_in_client
from tests.site_forms import FAR_OFF, PageForm, crawl

# POST routes no rendered page of the demo data offers a form for (the state they need is not
# in it), with the fields they read. Every other POST route is reached through its page.
POST_ONLY: dict[str, dict[str, str]] = {
    "staff_events.publish": {},  # a draft's button; the demo's events are published
    "staff_lottery.lottery": {"weighting": ""},  # lottery frames only
    "staff_lottery.deadline": {"closes_at": ""},  # lottery frames only
    "staff_waitlist.move": {"position": "", "reason": ""},  # people on a waitlist only
    "staff_waitlist.promote": {"reason": ""},  # people on a waitlist only
    "staff_door.undo": {"reason": ""},  # people checked in only
    "outbox.resend": {},  # failed mails only
    "outbox.delete_event_reminder": {},  # rules staff added
    "exhibitor_page.delete_logo": {},  # once a logo is uploaded
    "meetings.withdraw_share": {},  # once contact details are shared
    "events.switch_online": {"frame": ""},  # an in-person booking of a hybrid event
    "staff_accounts.merge": {"into": ""},  # once a member account is chosen
    "staff_accounts.reactivate": {},  # deactivated accounts only
    "staff_accounts.resend": {},  # unconfirmed accounts, or ones without a password
    "staff_frames.move": {"direction": "up", "version": ""},  # events with several frames
    "staff_frames.reopen": {"version": ""},  # frames staff closed
    "staff_frames.delete": {"version": ""},
    # Events held at a venue only; which event the staff crawl opens first depends on the demo.
    "staff_events.online": {"online_url": ""},  # frames nobody ever registered in
    # Events with materials (the demo's is a section's event).
    "staff_certificates.material_publish": {},
    "staff_certificates.material_hide": {},
    "staff_certificates.material_delete": {},
    "staff_survey.delete": {},  # survey questions nobody has answered yet
}

# Posts that end what the others work on (a cancelled booking, a withdrawn application, the
# session itself) go last in each role's turn.
ENDING = ("cancel", "withdraw", "delete", "remove", "decide", "deactivate", "merge", "logout")

# Guests see the members' pages and admins the staff's: they open every route, not its links.
FOLLOW_LINKS = ("anonymous", "member", "exhibitor", "advisor", "staff")

BIG, SMALL = "99999999999999999999", "-2147483649"
LONG = "あ" * 9_990 + "😀👨‍👩‍👧‍👦🇯🇵"
FULL_WIDTH = "１２３４５６７８９０"
EMOJI = "😀👨‍👩‍👧‍👦🇯🇵"
DATE = re.compile(r"^\d{4}-\d\d-\d\d")

# Query strings the pages read (filters, pages, days, weeks, advisors, …), made hostile.
HOSTILE_QUERIES = (
    dict.fromkeys(
        (
            "page",
            "offset",
            "advisor",
            "category",
            "rule",
            "exhibitor",
            "zone",
            "booth",
            "id",
            "event",
            "before",
        ),
        BIG,
    )
    | {"date": "9999-12-31", "day": "0001-01-01", "week": "9999-12-31", "month": "9999-12"},
    dict.fromkeys(
        ("from", "to", "q", "kind", "branch", "section", "view", "format", "status"), LONG[-500:]
    )
    | {"page": SMALL, "advisor": FULL_WIDTH, "date": "0001-01-01", "month": "0000-00"},
)


def _table_counts() -> dict[str, int]:
    """Rows in every table, in one statement."""
    tables = db.metadata.sorted_tables
    columns = [select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables]
    row = db.session.execute(select(*columns)).one()
    db.session.rollback()
    return dict(zip([t.name for t in tables], row, strict=True))


@pytest.fixture(scope="module")
def world(databases) -> Iterator[World]:
    # The tests' clock, as every app of the suite has: the demo is laid out around its instant.
    database_url = databases.fresh(organisation=False)
    app = create_app(app_settings(database_url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        load(now_utc())
        db.session.commit()
        users = {
            role: (db.session.scalar(select(User.id).where(User.email == email)) if email else None)
            for role, email in ROLES.items()
        }
        world = World(app, users, *ids_and_tokens(users))
        _discover(world)
        yield world
        db.session.remove()
        databases.empty()
    databases.remove(database_url)


def _discover(world: World) -> None:
    """Crawl the site as each role; keep the first form found for each POST route."""
    rules = [
        r
        for r in world.app.url_map.iter_rules()
        if "GET" in r.methods and r.endpoint != "static" and not r.rule.startswith("/api/")
    ]
    world.get_urls = [u for u in (route_url(world, r) for r in rules) if u]
    for role in ROLES:
        for page in crawl(
            world.app, signed_in_client(world, role), world.get_urls, role in FOLLOW_LINKS
        ):
            assert page.status < 500, f"GET {page.url} as {role}: {page.status}"
            if page.status == 200 and page.url in world.get_urls:
                world.pages.setdefault(role, []).append(page.url)
            for endpoint, url, page_form in page.post_forms:
                if endpoint not in world.forms:
                    world.forms[endpoint] = Form(endpoint, url, page_form, [role])
                elif role not in world.forms[endpoint].seen_by:
                    world.forms[endpoint].seen_by.append(role)


def _post_routes(world: World) -> dict[str, str]:
    """Every POST route of the site (the API has its own fuzzer) → a URL to post to."""
    routes = {}
    for rule in world.app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        form = world.forms.get(rule.endpoint)
        routes[rule.endpoint] = form.url if form else route_url(world, rule)
    return dict(sorted(routes.items(), key=lambda item: any(w in item[0] for w in ENDING)))


def _whole_form_variants(names: list[str]) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    yield "nothing", []
    yield "10k characters", [(n, LONG) for n in names]
    yield "emoji", [(n, EMOJI) for n in names]
    yield "full-width digits", [(n, FULL_WIDTH) for n in names]
    yield "words for numbers", [(n, "abc") for n in names]
    yield "every field twice", [pair for n in names for pair in ((n, "1"), (n, BIG))]


def _mixed(names: list[str]) -> list[tuple[str, str]]:
    """One post with a different hostile value in each field (for roles the form is not for)."""
    kinds = [BIG, SMALL, LONG, FULL_WIDTH, "abc", EMOJI]
    return [(n, kinds[i % len(kinds)]) for i, n in enumerate(names)]


def _hostile_values(kind: str, value: str) -> list[str]:
    """What to try in one field, by what the field takes."""
    if kind == "number":
        return [BIG, SMALL, FULL_WIDTH]
    if kind in FAR_OFF:
        if DATE.match(value):
            return ["9999" + value[4:], "0001" + value[4:]]
        return list(FAR_OFF[kind])
    if kind == "text":
        return [LONG, FULL_WIDTH]
    return [BIG]


def _one_field_variants(page_form: PageForm) -> Iterator[tuple[str, list]]:
    fields = page_form.fields
    for index, (name, value) in enumerate(fields):
        if name == "csrf_token":  # not checked in tests; refused before any field elsewhere
            continue
        for bad in _hostile_values(page_form.kinds[name], value):
            changed = [*fields[:index], (name, bad), *fields[index + 1 :]]
            yield f"{name}={bad[:24]!r}", changed


class Attacker:
    """Posts as one role and checks each answer; keeps the row counts between posts."""

    def __init__(self, world: World, role: str):
        self.world, self.role = world, role
        self.counts = _table_counts()

    def post(self, client, endpoint: str, url: str, label: str, data) -> None:
        response = client.post(url, data=MultiDict(data))
        status = response.status_code
        where = f"POST {url} ({endpoint}) as {self.role}, {label}"
        assert status < 500, f"{where}: {status}"
        if label == "NUL":
            assert status == 400, f"{where}: NUL was not refused ({status})"
        before, self.counts = self.counts, _table_counts()
        if status >= 400:
            changed = {t: (n, self.counts[t]) for t, n in before.items() if n != self.counts[t]}
            assert not changed, f"{where}: refused with {status} but saved {changed}"


def test_every_post_route_has_a_form_or_is_declared(world):
    missing = [
        endpoint
        for endpoint in _post_routes(world)
        if endpoint not in world.forms and endpoint not in POST_ONLY
    ]
    assert not missing, f"no page offers a form for {missing}: add their fields to POST_ONLY"


@pytest.mark.parametrize("role", list(ROLES))
def test_hostile_posts_answer_no_5xx_and_save_nothing_half(world, role):
    attacker = Attacker(world, role)
    for endpoint, url in _post_routes(world).items():
        client = signed_in_client(world, role)  # afresh: a post may have signed the role out
        form = world.forms.get(endpoint)
        fields = form.page_form.fields if form else list(POST_ONLY.get(endpoint, {}).items())
        names = list(dict.fromkeys(n for n, _ in fields)) or ["id"]
        attacker.post(client, endpoint, url, "NUL", [(n, "a\x00b") for n in names])
        attacker.post(client, endpoint, url, "mixed", _mixed(names))
        if form is not None and form.seen_by[0] != role:
            continue  # someone else's form, or one the first role to see it tries in full
        for label, data in _whole_form_variants(names):
            attacker.post(client, endpoint, url, label, data)
        if form is not None:
            for label, data in _one_field_variants(form.page_form):
                attacker.post(client, endpoint, url, label, data)


@pytest.mark.parametrize("role", ["member", "staff"])
def test_hostile_query_strings_answer_no_5xx(world, role):
    client = signed_in_client(world, role)
    for url in world.pages[role]:  # the others turn the role away before reading a query
        for query in HOSTILE_QUERIES:
            response = client.get(f"{url}?{urlencode(query)}")
            assert response.status_code < 500, f"GET {url}?… as {role}: {response.status_code}"


def test_the_forms_found_cover_the_site(world):
    """The discovery itself works: the main forms of each kind of person are among them."""
    for endpoint in ("accounts.login", "events.register", "staff_events.new", "mypage.profile",
                     "staff_accounts.change_role", "staff_accounts.deactivate"):  # fmt: skip
        assert endpoint in world.forms, endpoint
    assert world.forms["accounts.login"].page_form.kinds["email"] == "text"


def test_counting_sees_a_saved_row(world):
    """The half-saved check can fail: a committed row changes the counts."""
    before = _table_counts()
    details = PersonDetails("検査", "太郎", "ケンサ", "タロウ", "03-1234-5678")
    create_user("counted@example.jp", "correct-horse-1", "guest", details)
    db.session.commit()
    after = _table_counts()
    assert after["users"] == before["users"] + 1
    assert {t for t in before if before[t] != after[t]} == {"users"}
