"""Every page, as every role, in both languages, on a desk and on a phone.

On the demo data, each role's pages are found by a crawl (tests/site_forms.py) from every GET
route through the links and GET forms of the pages it may open; one page of each route is
then opened in Chromium four times — Japanese and English, 1280 px and 375 px wide — and the
test fails, listing every finding at once, on:

- an answer of 400 or more (the crawl opened the page with the role's own session);
- an axe-core finding of serious or critical impact (both languages, 1280 px);
- a page wider than the window at 375 px (it would scroll sideways on a phone);
- Japanese text in English mode that is not data people typed (event titles, names …: any
  text held in the database counts as typed); on the member's side (visitors, guests,
  members, exhibitors), also a name of reference data that has an English name (a branch,
  section, theme, channel, zone, default frame name) shown in Japanese on its own;
- a link on the page that leads nowhere (404, 410 or a server error).

Screenshots of every visit are kept under tests/browser/artifacts/pages/ (CI keeps them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import JSON, String, Text, select

from booking import create_app
from booking.accounts.models import User
from booking.demo import load
from booking.extensions import db
from booking.timefmt import now_utc
from tests.browser.conftest import ARTIFACTS, BLOCKING, watch_csp_violations
from tests.clock import CLOCK
from tests.conftest import IsolatedClient, app_settings
from tests.demo_world import ROLES, World, ids_and_tokens, route_url, signed_in_client
from tests.site_forms import crawl, read_page

pytestmark = pytest.mark.browser

WIDE, PHONE = 1280, 375
SHOTS = ARTIFACTS / "pages"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f々〆ヵヶ]+")
# Japanese that English pages show on purpose: the language switch names its language.
MEANT = {"日本語", "つなぐ"}
DEAD = (404, 410)


@dataclass
class Site:
    app: object
    base: str
    users: dict[str, int | None]
    session_ids: dict[str, str] = field(default_factory=dict)  # role → its session's user id
    pages: dict[str, list[str]] = field(default_factory=dict)  # role → one URL per route
    typed: str = ""  # every text the database holds, for telling data from interface
    reference: set[str] = field(default_factory=set)  # Japanese names that have English ones


def _strings(value) -> list[str]:
    """The strings in a column's value (JSON columns hold lists and objects of them)."""
    if isinstance(value, str):
        return [value] if JAPANESE.search(value) else []
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


def _typed_text() -> str:
    """All text in the database, joined: Japanese found in it on a page is someone's data."""
    chunks = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if columns:
            for row in db.session.execute(select(*columns)):
                chunks.extend(s for v in row for s in _strings(v))
    return "\n".join(chunks)


def _reference_names() -> set[str]:
    """Japanese names of reference data that carries an English name, and the default frame
    names and fee the interface translates: in English mode, they must not show on their own."""
    from booking.consultations.models import Channel, Theme
    from booking.exhibitions.models import Zone
    from booking.localnames import DEFAULT_NAMES
    from booking.org.models import Unit

    names = {"無料", *DEFAULT_NAMES}
    for model in (Unit, Theme, Channel, Zone):
        names.update(db.session.scalars(select(model.name).where(model.name_en != "")))
    return names


def _pages_of(world: World, role: str, seen: set[str]) -> list[str]:
    """One URL of each HTML page's route the role may open (answered 200 to its session) and
    no role before it opened: the pages everyone sees are looked at once, by the first."""
    client, urls = signed_in_client(world, role), []
    for page in crawl(world.app, client, world.get_urls, follow=True):
        endpoint = world.app.url_map.bind("x").match(urlsplit(page.url).path)[0]
        if page.status != 200 or endpoint in seen:
            continue
        seen.add(endpoint)
        if client.get(page.url).mimetype == "text/html":  # not a feed, a CSV or an image
            urls.append(page.url)
    return urls


@pytest.fixture(scope="module")
def site(databases, browser):
    import threading

    from werkzeug.serving import make_server

    CLOCK.reset()
    database_url = databases.fresh(organisation=False)
    app = create_app(app_settings(database_url))
    app.test_client_class = IsolatedClient
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with app.app_context():
        load(now_utc())
        db.session.commit()
        users = {
            role: (db.session.scalar(select(User.id).where(User.email == email)) if email else None)
            for role, email in ROLES.items()
        }
        world = World(app, users, *ids_and_tokens(users))
        rules = [
            r
            for r in app.url_map.iter_rules()
            if "GET" in r.methods and r.endpoint != "static" and not r.rule.startswith("/api/")
        ]
        world.get_urls = [u for u in (route_url(world, r) for r in rules) if u]
        site = Site(app, base, users)
        site.session_ids = {
            role: db.session.get(User, user_id).get_id()
            for role, user_id in users.items()
            if user_id is not None
        }
        seen: set[str] = set()
        site.pages = {role: _pages_of(world, role, seen) for role in ROLES}
        site.typed = _typed_text()
        site.reference = _reference_names()
        db.session.commit()
        yield site
        server.shutdown()
        thread.join(10)
        db.session.remove()
        databases.empty()
    databases.remove(database_url)


def _session_cookie(app, session_id: str | None) -> list[dict]:
    """The signed session cookie a sign-in would have set (none for visitors)."""
    if session_id is None:
        return []
    value = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": session_id, "_fresh": True}
    )
    return [{"name": app.config.get("SESSION_COOKIE_NAME", "session"), "value": value,
             "url": app.config["BASE_URL"]}]  # fmt: skip


def _set_language(users: dict[str, int | None], code: str) -> None:
    for user_id in users.values():
        if user_id is not None:
            db.session.get(User, user_id).locale = code
    db.session.commit()  # SQLite: hold no lock while the server answers the browser


# Every text node of the page that is not marked as another language (`lang="ja"` on a mail
# subject sent in Japanese, say) and is not code.
ENGLISH_TEXT = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, noscript, template")) continue;
    const marked = parent.closest("[lang]");
    if (marked && !marked.lang.toLowerCase().startsWith("en")) continue;
    texts.push(node.textContent);
  }
  return texts;
}"""


# The innermost elements reaching past the window's right edge (what makes a page scroll).
WIDEST = """() => {
  const over = [...document.body.querySelectorAll("*")].filter(
    (e) => e.getBoundingClientRect().right > window.innerWidth + 1);
  const inner = over.filter((e) => !over.some((o) => o !== e && e.contains(o)));
  return inner.slice(0, 3).map((e) =>
    e.tagName.toLowerCase() + (e.className && typeof e.className === "string"
      ? "." + e.className.trim().split(/\\s+/).join(".") : "") +
    ` (${Math.round(e.getBoundingClientRect().right)}px)`);
}"""


MEMBER_SIDE = {"anonymous", "guest", "member", "exhibitor"}
ASIDE = " \t\n()（）:：·・,、"  # brackets and separators around a name shown on its own


def _untranslated(page, site: Site, role: str) -> list[str]:
    texts = page.evaluate(ENGLISH_TEXT)
    runs = {run for text in texts for run in JAPANESE.findall(text)}
    found = {run for run in runs if run not in MEANT and run not in site.typed}
    if role in MEMBER_SIDE:
        found |= {t.strip(ASIDE) for t in texts if t.strip(ASIDE) in site.reference}
    return sorted(found)


def _axe(page, source: str) -> list[str]:
    page.evaluate(source)
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:2]}"
        for v in result["violations"]
        if v.get("impact") in BLOCKING
    ]


def _dead_links(site: Site, client, html: str, url: str, checked: dict[str, int]) -> list[str]:
    dead = []
    for href in read_page(html).links:
        target = urljoin(url, href.partition("#")[0])
        parts = urlsplit(target)
        if not href.startswith(("/", "?")) or parts.path.startswith(("/static/", "/api/")):
            continue
        if target not in checked:
            checked[target] = client.get(target).status_code
        if checked[target] in DEAD or checked[target] >= 500:
            dead.append(f"{href} → {checked[target]}")
    return dead


def test_the_crawl_reaches_the_pages_of_each_side(site):
    """Visitors, members, exhibitors, advisors and staff each have pages of their own."""
    for role in ("anonymous", "member", "exhibitor", "advisor", "staff"):
        assert site.pages[role], f"the crawl found no page of {role}'s own"
    assert sum(map(len, site.pages.values())) > 40


# A role and a language per test: pytest-xdist spreads the longest crawls over its workers.
@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_the_role_reads_well_everywhere(site, browser, axe_source, role, language):
    findings: list[str] = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    world_client = site.app.test_client()
    checked: dict[str, int] = {}
    _set_language(site.users, language)
    for width in (WIDE, PHONE):
        context = browser.new_context(
            locale="ja-JP" if language == "ja" else "en-US",
            viewport={"width": width, "height": 900},
        )
        violations: list[str] = []
        watch_csp_violations(context, violations)
        language_cookie = {"name": "lang", "value": language, "url": site.base}
        context.add_cookies(
            [*_session_cookie(site.app, site.session_ids.get(role)), language_cookie]
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        for url in site.pages[role]:
            where = f"{role} {language} {width}px {url}"
            response = page.goto(site.base + url)
            if response is None or response.status >= 400:
                findings.append(f"{where}: answered {response and response.status}")
                continue
            name = re.sub(r"[^A-Za-z0-9]+", "_", url).strip("_")[:80] or "home"
            _screenshot(page, SHOTS / f"{role}-{language}-{width}-{name}.png")
            if width == WIDE:
                findings += [f"{where}: axe {v}" for v in _axe(page, axe_source)]
            else:
                overflow = page.evaluate(
                    "() => document.documentElement.scrollWidth - window.innerWidth"
                )
                if overflow > 0:
                    culprits = page.evaluate(WIDEST)
                    findings.append(f"{where}: {overflow}px wider than the phone: {culprits}")
            if language == "en" and width == WIDE:
                runs = _untranslated(page, site, role)
                if runs:
                    findings.append(f"{where}: Japanese in English mode: {runs[:8]}")
            if language == "ja" and width == WIDE:
                with world_client.session_transaction() as session:
                    session.clear()
                    if role in site.session_ids:
                        session["_user_id"], session["_fresh"] = site.session_ids[role], True
                dead = _dead_links(site, world_client, page.content(), url, checked)
                findings += [f"{where}: dead link {d}" for d in dead]
        context.close()
        findings += [f"{role} {language} {width}px: CSP {v}" for v in violations]
    _set_language(site.users, "ja")
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(findings)


def _screenshot(page, path) -> None:
    """The page's picture, once it has loaded. Chromium now and then refuses a capture it is
    not ready for ("Unable to capture screenshot"): the picture is a record, not a finding,
    so it is taken again once the page has settled."""
    from playwright.sync_api import Error as PlaywrightError

    page.wait_for_load_state()
    try:
        page.screenshot(path=str(path))
    except PlaywrightError:
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(path))


@pytest.fixture(scope="module")
def axe_source():
    from tests.browser.conftest import AXE, _unavailable

    if not AXE.exists():
        _unavailable(f"axe-core is not installed at {AXE} (make browser-deps)")
    return AXE.read_text(encoding="utf-8")
