"""A planned mail, rendered: multipart text + HTML in the recipient's language, with its
deterministic Message-ID, its calendar invitation and its opt-out headers."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale, get_translations
from jinja2 import Environment, pass_context
from markupsafe import Markup

from booking.notifications.hooks import build_invitation
from booking.notifications.models import OutboxMessage
from booking.notifications.wire import Utf8Header, plain_address
from booking.timefmt import now_utc, to_local


def message_id_for(dedupe_key: str, resends: int = 0) -> str:
    """Deterministic: a message re-sent after a crash carries the same Message-ID."""
    host = _message_id_host(current_app.config["BASE_URL"])
    seed = dedupe_key if not resends else f"{dedupe_key}/r{resends}"
    digest = hashlib.sha256(seed.encode()).hexdigest()[:32]
    return f"<{digest}@{host}>"


@lru_cache(maxsize=8)
def _message_id_host(base_url: str) -> str:
    return urlsplit(base_url).hostname or "tsunagu.local"


def render_message(msg: OutboxMessage, now: datetime | None = None) -> Message:
    """Render a row into a multipart text + HTML mail in the recipient's language.

    Built with the classic MIME classes rather than `EmailMessage`: the result on the wire is
    the same (UTF-8 parts in base64, encoded-word subject and names) at a third of the cost,
    which matters when thousands of reminders fall due at once.
    """
    cfg = current_app.config
    with force_locale(msg.locale or "ja"):
        ctx = _template_context(msg)
        env = current_app.jinja_env
        subject = _render(env, f"emails/{msg.template}.subject.txt", ctx).strip()
        text = _render(env, f"emails/{msg.template}.txt", ctx)
        html = _render(env, f"emails/{msg.template}.html", ctx)
    # Our own boundaries: every part is base64, so no line can start with "--=_"; and the
    # generator need not search each message for a free random one (a regex per message).
    message_id = message_id_for(msg.dedupe_key, msg.resends or 0)
    tag = message_id[1:17]
    body = MIMEMultipart(
        "alternative",
        _subparts=[text_part(text, "plain"), text_part(html, "html")],
        boundary=f"=_alt_{tag}",
    )
    ics = msg.ics or (
        build_invitation(msg.about, msg.invite, msg.recipient) if msg.invite else None
    )
    if ics:
        invitation = text_part(ics, "calendar")
        invitation.set_param("method", "CANCEL" if "METHOD:CANCEL" in ics else "REQUEST")
        invitation.add_header("Content-Disposition", "attachment", filename="invite.ics")
        mail = MIMEMultipart("mixed", _subparts=[body, invitation], boundary=f"=_mix_{tag}")
    else:
        mail = body
    mail["Subject"] = Utf8Header(" ".join(subject.split()))
    mail["From"] = encode_address(cfg["MAIL_FROM"])
    mail["To"] = encode_address(msg.recipient)
    reply_to = msg.reply_to or cfg.get("MAIL_REPLY_TO")
    if reply_to:
        mail["Reply-To"] = encode_address(reply_to)
    mail["Date"] = format_datetime(to_local(now or now_utc()))
    mail["Message-ID"] = message_id
    mail["Auto-Submitted"] = "auto-generated"
    if not msg.transactional:
        # A mail planned with its own signed opt-out link (`unsubscribe_url`) offers the
        # one-click opt-out of RFC 8058: the mail client POSTs to it, no login, no page.
        one_click = (msg.context or {}).get("unsubscribe_url")
        mail["List-Unsubscribe"] = f"<{one_click or cfg['BASE_URL'] + '/mypage/profile'}>"
        if one_click:
            mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return mail


def text_part(text: str, subtype: str) -> Message:
    """`MIMEText(text, subtype, "utf-8")`, header for header and byte for byte, built directly:
    MIMEText parses and rewrites its Content-Type and encodes in a Python loop (~0.3 ms)."""
    part = Message()
    part["Content-Type"] = f'text/{subtype}; charset="utf-8"'
    part["MIME-Version"] = "1.0"
    part["Content-Transfer-Encoding"] = "base64"
    part.set_payload(
        base64.encodebytes(text.encode("utf-8", "surrogateescape")).decode("ascii") if text else ""
    )
    return part


def _render(env: Environment, name: str, ctx: dict) -> str:
    """`env.get_template(name).render(ctx)`, the same text without its dearest step: `render`
    copies the template's globals into each new context through their `ChainMap`, a Python
    call per global (some fifty: Flask's and the app's), a sixth of a mail's rendering. Here
    the scopes of that `ChainMap` are merged as dicts (the first one wins, as in the
    `ChainMap`), the mail's context over them, and the context is made from that (`shared`:
    taken as it is)."""
    template = env.get_template(name)
    if env.is_async:
        return template.render(ctx)
    scopes = getattr(template.globals, "maps", None)
    parent: dict = {}
    if scopes is None:  # not a ChainMap: as `new_context` would copy it
        parent.update(template.globals)
    else:
        for scope in reversed(scopes):
            parent.update(scope)
    parent.update(ctx)
    context = template.new_context(parent, shared=True)
    try:
        return env.concat(template.root_render_func(context))
    except Exception:  # as `Template.render`: the traceback points into the template
        return env.handle_exception()


def _template_context(msg: OutboxMessage) -> dict:
    """What `render_template` would give each of a mail's three templates, built once.

    The app's context processors run once per mail, not per template; and `_()` is given
    the locale's translations, looked up once: Flask-Babel's own `_()` finds its context,
    locale and catalogue anew on every call, a third of a mail's rendering. The catalogue is
    the one Flask-Babel would use (same lookup, same forced locale), so the text is the same.
    """
    ctx = dict(msg.context or {}, recipient=msg.recipient)
    current_app.update_template_context(ctx)
    translations = get_translations()
    ctx["gettext"] = _newstyle(translations.ugettext)
    ctx["ngettext"] = _newstyle(translations.ungettext, plural=True)
    # `_` is the i18n extension's alias, which looks `gettext` up in the context and calls
    # it through the context again: two context calls per phrase; given at once, one.
    ctx["_"] = ctx["gettext"]
    return ctx


def _newstyle(lookup, plural: bool = False):
    """Jinja's "newstyle" gettext (as `install_gettext_callables(newstyle=True)` builds it):
    the translation, marked safe when autoescaping, then always %-formatted."""

    @pass_context
    def translate(context, *args, **variables):
        if plural:
            variables.setdefault("num", args[2])
        text = lookup(*args)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return translate


def summary_line(msg: OutboxMessage) -> str:
    """One line about a planned mail: when it is due, to whom, its subject."""
    ctx = dict(msg.context or {}, recipient=msg.recipient)
    with force_locale(msg.locale or "ja"):
        subject = render_template(f"emails/{msg.template}.subject.txt", **ctx).strip()
    due = to_local(msg.due_at).strftime("%m-%d %H:%M")
    return f"{due}  {msg.recipient}  {' '.join(subject.split())}"


@lru_cache(maxsize=256)
def encode_address(value: str) -> str:
    """`東京商工会議所 <noreply@…>` → an RFC 2047 encoded display name and the bare address."""
    if plain_address(value):  # what parseaddr would return, without its ~50 µs
        return value
    name, address = parseaddr(value)
    if not address:
        return value
    return formataddr((name, address), charset="utf-8") if name else address
