"""The response headers a browser needs to keep our pages safe: CSP, framing, sniffing,
referrer and, behind HTTPS, HSTS.

One `after_request` sets them on every answer (pages, API, feeds, errors, static files).
An answer that already carries its own, stricter policy (the exhibitor logo's
`default-src 'none'; sandbox`) keeps it.

The policy allows no inline script and no inline style: scripts and styles come from our
own static files. A template that must inline something calls `csp_nonce()` and puts the
value in a `nonce` attribute; the nonce then joins the policy of that one answer.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, current_app, g, request

from booking.logsafe import carries_secret

_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",  # the pass's QR code is a data: URI
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# The browser sends only our origin, never the path, to other sites. Pages whose URL is a
# secret (mail links, feeds) send no Referer to other sites at all; they keep it for our
# own origin because Flask-WTF checks Referer on HTTPS form posts (WTF_CSRF_SSL_STRICT),
# and those pages have forms (cancel, reset password, confirm).
REFERRER_POLICY = "strict-origin-when-cross-origin"
SECRET_PAGE_REFERRER_POLICY = "same-origin"

HSTS_MAX_AGE = 365 * 24 * 3600


def csp_nonce() -> str:
    """This answer's nonce (made on first use): `<script nonce="{{ csp_nonce() }}">`."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _joined(policy: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in policy.items())


# Built once: most answers (every API answer) carry no nonce.
_PLAIN_POLICY = _joined(_POLICY)


def content_security_policy() -> str:
    if "csp_nonce" not in g:
        return _PLAIN_POLICY
    policy = dict(_POLICY)
    nonce = f"'nonce-{g.csp_nonce}'"
    policy["script-src"] += f" {nonce}"
    policy["style-src"] += f" {nonce}"
    return _joined(policy)


_FIXED_HEADERS = (("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"))


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    # Each header only where the answer has none of its own. The names it has are read in
    # one pass: a `setdefault` per header would search the whole list each time.
    present = {name.lower() for name, _ in headers.items()}
    if "content-security-policy" not in present:
        headers.add("Content-Security-Policy", content_security_policy())
    for name, value in _FIXED_HEADERS:
        if name.lower() not in present:
            headers.add(name, value)
    if "referrer-policy" not in present:
        secret = carries_secret(request.path)
        headers.add("Referrer-Policy", SECRET_PAGE_REFERRER_POLICY if secret else REFERRER_POLICY)
    # Secure session cookies mean the site is served over HTTPS only (production): tell
    # browsers to never try plain HTTP again. Never on a plain-HTTP development server.
    if current_app.config.get("SESSION_COOKIE_SECURE") and (
        "strict-transport-security" not in present
    ):
        headers.add("Strict-Transport-Security", f"max-age={HSTS_MAX_AGE}")
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.add_template_global(csp_nonce, "csp_nonce")
