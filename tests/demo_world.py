"""The demo data as the whole-site tests see it: each role's account, real ids and tokens for
every route argument, and a browser signed in as a role.

Shared by the hostile-form crawl (tests/test_hostile_forms.py) and the every-page browser test
(tests/browser/test_every_page.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from booking.accounts.models import AccountToken, User
from booking.calendars.feed_tokens import ensure_feed_token
from booking.companies.models import CompanyInvitation
from booking.consultations.models import Advisor, Channel, Consultation, Theme
from booking.consultations.notify import manage_token
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
from tests.conftest import IsolatedClient
from tests.site_forms import PageForm

ROLES = {
    "anonymous": None,
    "guest": "guest@demo.tsunagu.jp",
    "member": "member@demo.tsunagu.jp",
    "exhibitor": "exhibitor@demo.tsunagu.jp",
    "advisor": "advisor@demo.tsunagu.jp",
    "staff": "staff@demo.tsunagu.jp",
    "admin": "admin@demo.tsunagu.jp",
}


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


def ids_and_tokens(users: dict[str, int | None]) -> tuple[dict, dict, dict]:
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


def route_url(world: World, rule) -> str | None:
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


def signed_in_client(world: World, role: str) -> IsolatedClient:
    """A browser signed in as the role's demo account (a session as the login page makes)."""
    client = world.app.test_client()
    user_id = world.users[role]
    if user_id is not None:
        user = db.session.get(User, user_id)
        db.session.refresh(user)
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = user.get_id(), True
    return client
