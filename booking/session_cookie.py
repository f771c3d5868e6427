"""The signed-cookie session, silent towards visitors who have none.

Flask adds `Vary: Cookie` whenever a request so much as looks at the session, and every
page does: Flask-Login asks it who is signed in, the base template asks it for flashed
messages. For an anonymous visitor the session is empty and stays empty, so the answer
does not depend on it; the `Vary: Cookie` would only keep shared caches from storing the
public pages and feeds. A session that holds something, or was written or cleared in
this request, keeps Flask's behaviour (cookie and `Vary: Cookie`).
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from werkzeug.wrappers import Response


class QuietCookieSessionInterface(SecureCookieSessionInterface):
    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not session and not session.modified:
            session.accessed = False  # looked at, found empty: nothing varies with it
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = QuietCookieSessionInterface()
