"""Regenerate the screenshots of the public pages in docs/screenshots/ (issue 13).

    .venv/bin/python docs/screenshots/make.py               # into docs/screenshots/
    .venv/bin/python docs/screenshots/make.py --out /tmp/x  # elsewhere
    .venv/bin/python docs/screenshots/make.py --repo /path/to/other/checkout --out /tmp/before

Builds the app of the checkout (`--repo`, default: this one) on a scratch SQLite database with
the demo data (`flask db upgrade`, `flask demo load`), at a fixed clock (Wednesday 8 July 2026
09:30 in Tokyo, so the month shows 海の日), serves it on a loopback port and photographs home,
event list, event detail, registration confirm, month calendar and a branch page at 1280 and
375 px, in Japanese and English, with Debian's Chromium through Playwright. Each picture is
the first screen, stored as a 256-colour PNG to stay small. It prints any page that scrolls
sideways (scrollWidth > innerWidth) and exits 1 if one does.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
INSTANT = datetime(2026, 7, 8, 0, 30, tzinfo=UTC)  # Wed 8 July 2026 09:30 JST
WIDTHS = {"1280": (1280, 800), "375": (375, 812)}
PASSWORD = "tsunagu-demo"
MEMBER = "member@demo.tsunagu.jp"


class FixedClock:
    def now(self) -> datetime:
        return INSTANT


def build_app(repo: Path, db_path: Path):
    sys.path.insert(0, str(repo))
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("MAIL_BACKEND", "console")
    from booking import create_app

    app = create_app(
        {"ENV_NAME": "development", "CLOCK": FixedClock(), "SCHEDULER_ENABLED": False,
         "SECRET_KEY": "screenshots", "RATELIMIT_ENABLED": False}
    )  # fmt: skip
    runner = app.test_cli_runner()
    with contextlib.redirect_stdout(io.StringIO()):
        for args in (["db", "upgrade"], ["demo", "load"]):
            result = runner.invoke(args=args)
            if result.exit_code != 0:
                raise SystemExit(f"flask {' '.join(args)} failed:\n{result.output}")
    return app


def serve(app) -> str:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app.config["BASE_URL"]


def pick_event(app) -> int:
    """A published, priced, upcoming event with seats (the detail and confirm pictures)."""
    from sqlalchemy import select

    from booking.events.models import Event, Frame

    with app.app_context():
        from booking.extensions import db

        rows = db.session.scalars(
            select(Event)
            .join(Frame, Frame.event_id == Event.id)
            .where(Event.status == "published", Event.member_only.is_(False),
                   Event.starts_at > INSTANT, Frame.price_label.like("%円%"),
                   Frame.taken < Frame.capacity)
            .order_by(Event.starts_at)
        ).all()  # fmt: skip
        if not rows:
            rows = db.session.scalars(
                select(Event).where(Event.status == "published", Event.starts_at > INSTANT)
            ).all()
        return rows[0].id


def shrink(path: Path) -> None:
    """256 colours: a page of text and flat colours loses nothing visible, and a third of the size."""
    from PIL import Image

    image = Image.open(path).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--repo", type=Path, default=HERE.parent.parent)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        app = build_app(args.repo.resolve(), Path(scratch) / "screens.sqlite")
        base = serve(app)
        event_id = pick_event(app)
        pages = {
            "home": "/",
            "events": "/events/",
            "event": f"/events/{event_id}",
            "month": "/events/?view=month",
            "branch": "/branches/chiyoda",
        }
        sideways = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for lang in ("ja", "en"):
                for width, (w, h) in WIDTHS.items():
                    context = browser.new_context(viewport={"width": w, "height": h})
                    context.add_cookies([{"name": "lang", "value": lang, "url": base}])
                    page = context.new_page()
                    shots = list(pages.items())
                    for name, path in shots:
                        page.goto(base + path)
                        sideways += _check(page, f"{name} {lang} {width}")
                        _shot(page, args.out / f"{name}-{lang}-{width}.png")
                    # Registration confirm: sign in as the demo member, pick the first frame.
                    page.goto(base + "/account/login")
                    page.fill("input[name=email]", MEMBER)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("main form [type=submit]")
                    if lang not in page.locator("html").get_attribute("lang"):
                        page.click(
                            ".lang-form button"
                        )  # the account's language wins over the cookie
                    page.goto(f"{base}/events/{event_id}/register")
                    if page.locator("input[name=frame]").count():
                        page.locator("input[name=frame]").first.check()
                        for box in page.locator("main input[type=checkbox][required]").all():
                            box.check()
                        page.click("main form button[type=submit]")
                    sideways += _check(page, f"confirm {lang} {width}")
                    _shot(page, args.out / f"confirm-{lang}-{width}.png")
                    context.close()
            browser.close()
    for line in sideways:
        print("scrolls sideways:", line)
    print(f"screenshots in {args.out}")
    return 1 if sideways else 0


def _check(page, label: str) -> list[str]:
    wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    return [label] if wide else []


def _shot(page, path: Path) -> None:
    page.screenshot(path=str(path))
    shrink(path)


if __name__ == "__main__":
    sys.exit(main())
