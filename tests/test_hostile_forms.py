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
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from booking import create_app
from booking.accounts.models import AccountToken, User
from booking.accounts.services import PersonDetails, create_user
from booking.calendars.feed_tokens import ensure_feed_token
from booking.companies.models import CompanyInvitation
from booking.consultations.models import Advisor, Channel, Consultation, Theme
from booking.consultations.notify import manage_token
from booking.demo import load
from booking.events.certificates.models import Material
from booking.events.models import Event, Frame, Registration
from booking.events.passes import cancel_link_token
from booking.events.registrations import audience_allows, frame_state, register_for_frame
from booking.events.survey_models import SurveyQuestion
from booking.exhibitions.meetings.mails import cancel_token
from booking.exhibitions.meetings.services import book_meeting
from booking.exhibitions.meetings.slots import free_meeting_slots
from booking.exhibitions.models import Booth, Exhibitor, Meeting, MeetingHours
from booking.extensions import db
from booking.follows.digest import unsubscribe_token
from booking.notifications.models import OutboxMessage, ReminderRule
from booking.timefmt import now_utc
from booking.tokens import new_token, token_hash
from tests.conftest import IsolatedClient, _empty_all_tables, app_settings
from tests.site_forms import FAR_OFF, PageForm, crawl

ROLES = {
    "anonymous": None,
    "guest": "guest@demo.tsunagu.jp",
    "member": "member@demo.tsunagu.jp",
    "exhibitor": "exhibitor@demo.tsunagu.jp",
    "advisor": "advisor@demo.tsunagu.jp",
    "staff": "staff@demo.tsunagu.jp",
    "admin": "admin@demo.tsunagu.jp",
}

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


@dataclass
class Form:
    endpoint: str
    url: str
    page_form: PageForm  # as the first role to find it saw it
    seen_by: list[str]  # the roles whose pages offer it, the first one found it


@dataclass
class World:
    app: object
    users: dict[str, int | None]
    ids: dict[str, int]
    own_ids: dict[str, dict[str, int]]
    tokens: dict[str, str]
    forms: dict[str, Form] = field(default_factory=dict)
    get_urls: list[str] = field(default_factory=list)
    pages: dict[str, list[str]] = field(default_factory=dict)  # role → routes it may open


def _table_counts() -> dict[str, int]:
    """Rows in every table, in one statement."""
    tables = db.metadata.sorted_tables
    columns = [select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables]
    row = db.session.execute(select(*columns)).one()
    db.session.rollback()
    return dict(zip([t.name for t in tables], row, strict=True))


def _first(statement) -> int | None:
    return db.session.scalar(statement.limit(1))


def _open_frame_for(member: User, now) -> Frame:
    """A frame of an upcoming event the member may still register for."""
    registered = select(Registration.event_id).where(Registration.user_id == member.id)
    for frame in db.session.scalars(
        select(Frame)
        .join(Event)
        .where(Event.status == "published", Event.kind != "exhibition")
        .where(Event.id.not_in(registered))
        .order_by(Event.starts_at)
    ):
        if frame_state(frame, now) in ("open", "few_left") and audience_allows(frame, member):
            return frame
    raise AssertionError("the demo data has no open event")


def _book_meetings(member: User, exhibitor: Exhibitor, now) -> list[Meeting]:
    slots = free_meeting_slots(exhibitor, now, now + timedelta(days=60), now, None)
    meetings = [
        book_meeting(member, exhibitor, slot.start, slot.mode, now, topic="商談の予約")
        for slot in (slots[0], slots[-1])
    ]
    db.session.commit()
    return meetings


def _account_token(user_id: int, purpose: str, now) -> str:
    token = new_token()
    db.session.add(
        AccountToken(user_id=user_id, purpose=purpose, token_hash=token_hash(token),
                     expires_at=now + timedelta(days=1))
    )  # fmt: skip
    db.session.commit()
    return token


def _invitation_token(company_id: int, now) -> str:
    """A company administrator's invitation to join (the link of the mail)."""
    token = new_token()
    db.session.add(
        CompanyInvitation(company_id=company_id, email="invited@example.jp",
                          token_hash=token_hash(token), expires_at=now + timedelta(days=7))
    )  # fmt: skip
    db.session.commit()
    return token


def _ids_and_tokens(users: dict[str, int | None]) -> tuple[dict, dict, dict]:
    """Real ids of the demo data for each route argument (the member's own where it matters),
    the ids some routes need of their own, and a valid token for each route that takes one.

    Links in mails work without signing in, so every role (anonymous first) can cancel with
    them: they get a registration, a consultation and a meeting of their own, and the
    staff's cancelling of a whole event its own event, so the other routes keep theirs.
    """
    now = now_utc()
    member = db.session.get(User, users["member"])
    regs = db.session.scalars(
        select(Registration)
        .join(Event)
        .where(Registration.user_id == member.id, Registration.status == "confirmed")
        .where(Event.kind != "exhibition", Event.starts_at > now)
        .order_by(Event.starts_at)
    ).all()
    # Upcoming ones: the demo's past consultations (support cases) can no longer be changed.
    consultations = db.session.scalars(
        select(Consultation)
        .where(Consultation.member_id == member.id, Consultation.starts_at > now)
        .order_by(Consultation.id)
    ).all()
    exhibitor = db.session.scalar(
        select(Exhibitor)
        .join(User, User.company_id == Exhibitor.company_id)
        .where(User.id == users["exhibitor"], Exhibitor.status == "accepted")
        .limit(1)
    )
    meetings = _book_meetings(member, exhibitor, now)
    frame = _open_frame_for(member, now)
    by_link_reg = register_for_frame(member, frame.event_id, frame.id, {}, now, attestation=True)
    db.session.commit()
    open_event = _open_frame_for(member, now).event_id
    spare_event = db.session.scalar(
        select(Event.id)
        .where(Event.status == "published", Event.kind != "exhibition")
        .where(Event.id.not_in([r.event_id for r in regs] + [open_event]))
        .limit(1)
    )
    reg = regs[0]
    ids = {
        "event_id": reg.event_id,
        "reg_id": reg.id,
        "frame_id": reg.frame_id,
        "consultation_id": consultations[0].id,
        "exhibition_id": exhibitor.exhibition_id,
        "exhibitor_id": exhibitor.id,
        "booth_id": _first(select(Booth.id).where(Booth.exhibitor_id == exhibitor.id)) or 1,
        "hours_id": _first(select(MeetingHours.id).where(MeetingHours.exhibitor_id == exhibitor.id))
        or 1,
        "meeting_id": meetings[0].id,
        "message_id": _first(select(OutboxMessage.id)) or 1,
        "rule_id": _first(select(ReminderRule.id).where(ReminderRule.event_id == reg.event_id))
        or 1,
        # The staff account pages: the guest's (its merge page too) and the member's company.
        "user_id": users["guest"],
        "company_id": member.company_id or 1,
        "slug": "chiyoda",  # a branch page (/branches/<slug>)
        # The consultation back office: the demo advisor, a theme, a channel, their branch.
        "advisor_id": _first(
            select(Advisor.id)
            .join(User, User.id == Advisor.user_id)
            .where(User.id == users["advisor"])
        )
        or 1,
        "theme_id": _first(select(Theme.id).order_by(Theme.position)) or 1,
        "channel_id": _first(select(Channel.id).order_by(Channel.position)) or 1,
        "unit_id": _first(select(User.unit_id).where(User.id == users["advisor"])) or 1,
        "material_id": _first(select(Material.id)) or 1,
        # A survey question (the demo's past event has a survey).
        "question_id": _first(select(SurveyQuestion.id)) or 1,
    }
    own_ids = {
        "events.register": {"event_id": open_event},
        "staff_events.cancel": {"event_id": spare_event},
    }
    by_link = manage_token(consultations[-1])
    tokens = {
        "events.cancel_link": cancel_link_token(by_link_reg),
        "consultations.manage": by_link,
        "consultations.cancel_by_link": by_link,
        "consultations.reschedule_by_link": by_link,
        "meetings.cancel_by_link": cancel_token(meetings[-1], "v"),
        "accounts.confirm": _account_token(users["guest"], "confirm", now),
        "accounts.reset": _account_token(users["guest"], "reset", now),
        "calendars.person_feed": ensure_feed_token(member, now),
        "company.join": _invitation_token(member.company_id, now),
        "follows.unsubscribe": unsubscribe_token(member.id),
    }
    return ids, own_ids, tokens


def _url(world: World, rule) -> str | None:
    values: dict[str, object] = {}
    ids = world.ids | world.own_ids.get(rule.endpoint, {})
    for name in rule.arguments:
        if name in ids:
            values[name] = ids[name]
        elif name == "token":
            values[name] = world.tokens.get(rule.endpoint, "not-a-token")
        elif name == "purpose":
            values[name] = "private"
        elif name == "code":
            values[name] = "en"
        else:
            return None
    with world.app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _client(world: World, role: str) -> IsolatedClient:
    """A browser signed in as the role's demo account (a session as the login page makes)."""
    client = world.app.test_client()
    user_id = world.users[role]
    if user_id is not None:
        user = db.session.get(User, user_id)
        db.session.refresh(user)
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = user.get_id(), True
    return client


@pytest.fixture(scope="module")
def world(database_url) -> Iterator[World]:
    # The tests' clock, as every app of the suite has: the demo is laid out around its instant.
    app = create_app(app_settings(database_url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        load(now_utc())
        db.session.commit()
        users = {
            role: (db.session.scalar(select(User.id).where(User.email == email)) if email else None)
            for role, email in ROLES.items()
        }
        world = World(app, users, *_ids_and_tokens(users))
        _discover(world)
        yield world
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


def _discover(world: World) -> None:
    """Crawl the site as each role; keep the first form found for each POST route."""
    rules = [
        r
        for r in world.app.url_map.iter_rules()
        if "GET" in r.methods and r.endpoint != "static" and not r.rule.startswith("/api/")
    ]
    world.get_urls = [u for u in (_url(world, r) for r in rules) if u]
    for role in ROLES:
        for page in crawl(world.app, _client(world, role), world.get_urls, role in FOLLOW_LINKS):
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
        routes[rule.endpoint] = form.url if form else _url(world, rule)
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
        client = _client(world, role)  # afresh: a post may have signed the role out
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
    client = _client(world, role)
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
