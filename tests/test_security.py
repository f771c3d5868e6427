import logging
import re
from pathlib import Path

import pytest

from booking.logsafe import carries_secret, redact
from tests.conftest import PASSWORD, IsolatedClient, make_app


def test_secret_tokens_in_paths_are_redacted_from_logs():
    line = '"GET /account/reset/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd HTTP/1.1" 200'
    assert "AbCdEfGh" not in redact(line)
    assert "/account/reset/[redacted]" in redact(line)


def test_consultation_links_count_as_secret_paths():
    path = "/consultations/m/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd"
    assert carries_secret(path) and "AbCdEfGh" not in redact(path)
    assert not carries_secret("/events/12") and not carries_secret("/calendar/")


def test_the_access_log_filter_redacts_tokens(app, caplog):
    logger = logging.getLogger("werkzeug")
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logger.info('"%s" %s', "GET /calendar/SecretSecretSecretSecret1234.ics HTTP/1.1", 200)
    assert "SecretSecret" not in caplog.text


def test_forms_need_a_csrf_token_when_csrf_is_on(app, database_url, make_user):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = make_user("member")
        response = app.test_client().post(
            "/account/login", data={"email": user.email, "password": "x"}
        )
    assert response.status_code == 400


def test_login_limit_is_shared_by_workers_through_redis(app, database_url, make_user, redis_url):
    worker_a = make_app(database_url, RATELIMIT_STORAGE_URI=redis_url)
    worker_b = make_app(database_url, RATELIMIT_STORAGE_URI=redis_url)
    with worker_a.app_context():
        email = make_user("member").email

    def attempt(worker):
        form = {"email": email, "password": "wrong"}
        return worker.test_client().post("/account/login", data=form).status_code

    for worker in (worker_a, worker_b, worker_a, worker_b, worker_a):
        assert attempt(worker) == 401
    assert attempt(worker_b) == 429


# --- The headers a security review looks for first ---------------------------------------

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _assert_protected(response, label):
    headers = response.headers
    assert headers.get("Content-Security-Policy") == POLICY, label
    assert headers.get("X-Content-Type-Options") == "nosniff", label
    assert headers.get("X-Frame-Options") == "DENY", label
    assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", label


@pytest.fixture
def public_event(app):
    from tests.factories import make_event

    return make_event(title="公開セミナー")


def test_pages_api_feeds_errors_and_static_files_carry_the_security_headers(client, public_event):
    answers = {
        "home": client.get("/"),
        "event list": client.get("/events/"),
        "event page": client.get(f"/events/{public_event.id}"),
        "login form": client.get("/account/login"),
        "API JSON": client.get("/api/v1/events"),
        "API error": client.get("/api/v1/events/99999"),
        "public feed": client.get("/calendar/public.ics"),
        "event .ics": client.get(f"/events/{public_event.id}.ics"),
        "404 page": client.get("/no-such-page"),
        "stylesheet": client.get("/static/site.css"),
    }
    assert answers["404 page"].status_code == 404 and answers["API error"].status_code == 404
    for label, response in answers.items():
        _assert_protected(response, label)
        response.close()


def test_signed_in_pages_carry_the_security_headers(member_client):
    _assert_protected(member_client.get("/mypage/"), "my page")


def test_no_hsts_over_plain_http_in_development_and_tests(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_production_adds_hsts_and_keeps_the_rest(database_url, public_event):
    production = make_app(database_url, ENV_NAME="production", SECRET_KEY="s" * 32)
    production.test_client_class = IsolatedClient
    client = production.test_client()
    for url in ("/", f"/events/{public_event.id}", "/api/v1/events", "/calendar/public.ics",
                "/no-such-page"):  # fmt: skip
        response = client.get(url, base_url="https://tsunagu.example.jp")
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000", url
        _assert_protected(response, url)
    login_form = client.get("/account/login", base_url="https://tsunagu.example.jp")
    cookie = login_form.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_exhibitor_logo_keeps_its_own_stricter_policy(app):
    from booking.exhibitions.directory.views import logo_response

    with app.test_request_context("/exhibitions/1/exhibitors/1/logo"):
        logo = type("Logo", (), {"digest": "d1", "data": b"\x89PNG", "content_type": "image/png"})
        response = app.process_response(logo_response(logo))
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_behind_a_secret_link_send_no_referer_to_other_sites(client, member, public_event):
    from booking.events.passes import cancel_link_token
    from booking.events.registrations import register_for_frame
    from booking.extensions import db
    from booking.timefmt import now_utc

    reg = register_for_frame(member, public_event.id, public_event.frames[0].id, {}, now_utc())
    db.session.commit()
    cancel_page = client.get(f"/r/{cancel_link_token(reg)}")
    assert cancel_page.status_code == 200 and b'method="post"' in cancel_page.data
    # same-origin, not no-referrer: the cancel form must still post with a Referer, which
    # Flask-WTF demands over HTTPS.
    assert cancel_page.headers["Referrer-Policy"] == "same-origin"
    assert cancel_page.headers["X-Frame-Options"] == "DENY"  # no clickjacking of the cancel
    assert "frame-ancestors 'none'" in cancel_page.headers["Content-Security-Policy"]
    bad_reset = client.get("/account/reset/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789")
    assert bad_reset.headers["Referrer-Policy"] == "same-origin"


def test_a_private_feed_sends_no_referer_at_all(client, member):
    from booking.calendars.feed_tokens import ensure_feed_token
    from booking.extensions import db
    from booking.timefmt import now_utc

    token = ensure_feed_token(member, now_utc())
    db.session.commit()
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Content-Security-Policy"] == POLICY


def test_a_template_that_asks_for_a_nonce_gets_it_into_the_policy(app):
    from flask import render_template_string

    app.add_url_rule(
        "/nonce-demo",
        "nonce_demo",
        lambda: render_template_string('<script nonce="{{ csp_nonce() }}">1</script>'),
    )
    response = app.test_client().get("/nonce-demo")
    nonce = re.search(r'nonce="([^"]+)"', response.get_data(as_text=True)).group(1)
    policy = response.headers["Content-Security-Policy"]
    assert f"script-src 'self' 'nonce-{nonce}'" in policy
    assert f"style-src 'self' 'nonce-{nonce}'" in policy
    other = app.test_client().get("/nonce-demo")
    assert nonce not in other.headers["Content-Security-Policy"]  # one nonce per answer


INLINE = re.compile(r"<script(?![^>]*\ssrc=)|<style|\sstyle=|\son[a-z]+=|javascript:", re.I)


def _without_comments(source: str) -> list[str]:
    """The template's lines with Jinja comments blanked (line numbers kept)."""
    blank = re.sub(r"\{#.*?#\}", lambda m: "\n" * m.group().count("\n"), source, flags=re.S)
    return blank.splitlines()


def test_no_page_template_inlines_script_or_style():
    """The policy refuses inline script and style; mails (not served as pages) may inline."""
    templates = Path(__file__).resolve().parent.parent / "templates"
    offending = [
        f"{path.relative_to(templates)}:{n}: {line.strip()}"
        for path in templates.rglob("*.html")
        if "emails" not in path.relative_to(templates).parts
        for n, line in enumerate(_without_comments(path.read_text(encoding="utf-8")), 1)
        if INLINE.search(line)
    ]
    assert not offending, "\n".join(offending)


# --- Anonymous public pages and feeds stay cacheable -------------------------------------


def _assert_no_session(response, label):
    assert response.status_code == 200, label
    assert "Set-Cookie" not in response.headers, label
    assert "cookie" not in {v.lower() for v in response.vary}, label


def test_anonymous_public_pages_and_feeds_set_no_cookie_and_do_not_vary_on_it(client, public_event):
    for url in ("/", "/events/", f"/events/{public_event.id}", "/calendar/public.ics",
                f"/events/{public_event.id}.ics", "/calendar/"):  # fmt: skip
        _assert_no_session(client.get(url), url)
    assert client.get_cookie("session") is None


def test_public_feed_is_cacheable_by_shared_caches(client):
    response = client.get("/calendar/public.ics")
    assert response.headers["Cache-Control"].startswith("public")
    assert "Vary" not in response.headers


def test_switching_language_anonymously_sets_only_the_language_cookie(client):
    response = client.post("/lang/en", data={"next": "/"})
    assert response.status_code == 302
    assert [c.split("=")[0] for c in response.headers.getlist("Set-Cookie")] == ["lang"]
    home = client.get("/")
    assert '<html lang="en">' in home.get_data(as_text=True)
    assert "Set-Cookie" not in home.headers


def test_signed_in_pages_still_vary_on_the_session_cookie(member_client):
    response = member_client.get("/")
    assert response.status_code == 200 and "Cookie" in response.vary
    assert "ログアウト" in response.get_data(as_text=True)


def _csrf_token(body: str) -> str:
    return re.search(r'name="csrf_token"[^>]*? value="([^"]+)"', body).group(1)


def test_forms_keep_csrf_and_the_signed_in_language_switch_needs_it(app, database_url, member):
    email = member.email
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    app.test_client_class = IsolatedClient
    client = app.test_client()
    login_page = client.get("/account/login")
    assert "Set-Cookie" in login_page.headers  # a form's token lives in the session
    token = _csrf_token(login_page.get_data(as_text=True))
    signed_in = client.post(
        "/account/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302
    assert client.post("/lang/en", data={"next": "/"}).status_code == 400
    page = client.get("/mypage/").get_data(as_text=True)
    switched = client.post("/lang/en", data={"next": "/", "csrf_token": _csrf_token(page)})
    assert switched.status_code == 302
    assert '<html lang="en">' in client.get("/mypage/").get_data(as_text=True)


def test_the_anonymous_language_switch_needs_no_token_even_with_csrf_on(app, database_url):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    app.test_client_class = IsolatedClient
    client = app.test_client()
    home = client.get("/")
    assert 'name="csrf_token"' not in home.get_data(as_text=True)
    assert client.post("/lang/en", data={"next": "/"}).status_code == 302
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
