"""The Content-Security-Policy in a real browser: the suite notices any violation (the `page`
fixture fails a test that met one), and the pages whose inline script and styles moved to
static files still behave and look as they did."""

import pytest

from booking.extensions import db
from tests.conftest import PASSWORD

# The exhibition factories (used through request.getfixturevalue).
from tests.exhibitions.conftest import make_exhibitor, make_fair  # noqa: F401
from tests.factories import make_event

pytestmark = pytest.mark.browser

# Resolves once the page's report of the violation has reached the test.
INJECT_AND_WAIT = """(inject) => new Promise((resolve) => {
  document.addEventListener("securitypolicyviolation", () => resolve(window.lastCspReport),
                            {once: true});
  if (inject === "script") {
    const script = document.createElement("script");
    script.textContent = "document.title = 'injected'";
    document.body.append(script);
  } else {
    document.body.setAttribute("style", "background: red");
  }
})"""


def _refused(text: str) -> bool:
    return "Content Security Policy" in text


@pytest.mark.parametrize(
    ("inject", "directive"), [("script", "script-src"), ("style", "style-src")]
)
def test_the_suite_notices_what_the_policy_refuses(
    page, live_server, csp_violations, inject, directive
):
    page.goto(live_server + "/")
    assert csp_violations == []
    with page.expect_console_message(lambda msg: _refused(msg.text)):
        page.evaluate(INJECT_AND_WAIT, inject)
    assert page.title() != "injected"
    reported = [v for v in csp_violations if v.startswith(directive)]
    assert reported and f"on {live_server}/" in reported[0]
    assert any(_refused(v) for v in csp_violations)  # the console line too
    csp_violations.clear()  # seen and expected: the fixture would fail the test otherwise


def test_the_suite_notices_a_page_without_the_security_headers(
    page, app, live_server, csp_violations
):  # fmt: skip
    served = app.wsgi_app

    def without_nosniff(environ, start_response):
        def start(status, headers, exc_info=None):
            kept = [(k, v) for k, v in headers if k.lower() != "x-content-type-options"]
            return start_response(status, kept, exc_info)

        return served(environ, start)

    app.wsgi_app = without_nosniff
    page.goto(live_server + "/events/")
    assert csp_violations == [
        f"{live_server}/events/ answered without X-Content-Type-Options: nosniff"
    ]
    csp_violations.clear()  # seen and expected: the fixture would fail the test otherwise


def test_the_event_filters_fold_on_a_phone_unless_in_use(page, live_server):
    filters = page.locator("details#filters")
    page.goto(live_server + "/events/")
    assert filters.evaluate("box => box.open") is True
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server + "/events/")
    assert filters.evaluate("box => box.open") is False
    page.goto(live_server + "/events/?q=DX")
    assert filters.evaluate("box => box.open") is True


def _sign_in(page, live_server, user):
    email = user.email
    db.session.commit()  # SQLite: hold no transaction (no write lock) while the server works
    page.goto(live_server + "/account/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログインする").click()
    page.get_by_role("button", name="ログアウト").wait_for()


def _style(locator, prop: str) -> str:
    return locator.evaluate("(el, prop) => getComputedStyle(el)[prop]", prop)


def test_staff_pages_draw_bars_maps_and_fields_from_the_stylesheet(
    page, live_server, staff, request
):
    event = make_event(title="渋谷ビジネス交流会")
    event.frames[0].taken = 45  # of 50
    fair = request.getfixturevalue("make_fair")()
    exhibitor, _user = request.getfixturevalue("make_exhibitor")(fair, status="applied")
    exhibitor.products = "センサー\n治具"
    db.session.commit()
    event_id, frame_id, fair_id = event.id, event.frames[0].id, fair.id
    _sign_in(page, live_server, staff)

    page.goto(live_server + "/staff/")
    bar = page.locator("li.fill-row", has_text="渋谷ビジネス交流会").locator(".bar")
    fill = bar.locator("rect").bounding_box()["width"] / bar.locator("svg").bounding_box()["width"]
    assert fill == pytest.approx(0.9, abs=0.01)
    accent = _style(page.locator(".brand-mark"), "backgroundColor")
    assert _style(bar.locator("rect"), "fill") == accent

    page.goto(f"{live_server}/staff/events/{event_id}")
    capacity = page.locator(f"#cap-{frame_id}")
    em = float(_style(capacity, "fontSize").removesuffix("px"))
    assert float(_style(capacity, "width").removesuffix("px")) == pytest.approx(6 * em, abs=0.5)

    page.goto(f"{live_server}/staff/exhibitions/{fair_id}/applications/")
    products = page.locator("dd", has_text="センサー")
    assert _style(products, "whiteSpace") == "pre-line"
    assert products.inner_text() == "センサー\n治具"

    page.goto(f"{live_server}/staff/exhibitions/{fair_id}/booths/")
    assert _style(page.locator("svg.booth-map-grid"), "display") == "block"
    assert _style(page.locator("figure.booth-map"), "marginLeft") == "0px"

    page.goto(f"{live_server}/staff/exhibitions/{fair_id}")
    page.locator(".bar rect").wait_for(state="attached")


def test_the_booth_poster_prints_without_the_site_chrome(page, live_server, request):
    fair = request.getfixturevalue("make_fair")()
    exhibitor, user = request.getfixturevalue("make_exhibitor")(fair)
    exhibitor_id = exhibitor.id
    _sign_in(page, live_server, user)
    for path in (f"/exhibitor/{exhibitor_id}/booth-qr", f"/exhibitor/{exhibitor_id}/meetings"):
        page.emulate_media(media="screen")
        page.goto(live_server + path)
        header = page.locator(".site-header")
        assert header.is_visible(), path
        page.emulate_media(media="print")
        assert header.is_hidden(), path
