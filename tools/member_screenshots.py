"""Screenshots of the member's own pages (My Page, consultation booking, the pass).

Run against a server with the demo loaded (`make run`):

    .venv/bin/python tools/member_screenshots.py http://127.0.0.1:5000 docs/screenshots

It signs in as the demo member, walks My Page, each step of a consultation booking (the
booking it makes for the last step is cancelled again) and the first confirmed event pass, in Japanese and English at
375 and 1280 px, saves the first screen of each as `<prefix>-<page>-<lang>-<width>.png` and
prints every page that scrolls sideways (and exits 1 if any does).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
WIDTHS = (375, 1280)
LOGIN = ("member@demo.tsunagu.jp", "tsunagu-demo")


def _sign_in(page, base: str) -> None:
    page.goto(f"{base}/account/login")
    page.fill("input[name=email]", LOGIN[0])
    page.fill("input[name=password]", LOGIN[1])
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def _language(page, base: str, lang: str) -> None:
    page.goto(f"{base}/")
    if page.get_attribute("html", "lang") != lang:
        page.click(".lang-form button")
        page.wait_for_load_state()


def _pages(page, base: str) -> list[tuple[str, str]]:
    """(name, url) of the pages to show, found by following links as a member would."""
    page.goto(f"{base}/mypage/")
    found = [("mypage", f"{base}/mypage/")]
    passes = page.eval_on_selector_all(
        "a[href^='/mypage/passes/']", "els => els.map(e => e.getAttribute('href'))"
    )
    if passes:
        found.append(("pass", base + passes[0]))
        reg_id = passes[0].rstrip("/").rsplit("/", 1)[-1]
        found.append(("pass-registration", f"{base}/mypage/registrations/{reg_id}"))
    found.append(("consultation-1-theme", f"{base}/consultations/"))
    found.append(("consultation-2-channel", f"{base}/consultations/book?theme=finance"))
    found.append(
        ("consultation-3-branch", f"{base}/consultations/book?theme=finance&channel=branch")
    )
    slots = f"{base}/consultations/book?theme=finance&channel=branch&branch=chiyoda"
    found.append(("consultation-4-slots", slots))
    page.goto(slots)
    first = page.query_selector("a.slot")
    if first is not None:
        found.append(("consultation-5-intake", base + first.get_attribute("href")))
    return found


def _shoot(page, name: str, url: str, out: Path, lang: str, width: int, wide: list) -> None:
    page.goto(url)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        wide.append(f"{name} {lang} {width}px scrolls to {scroll}px")
    prefix = "" if re.match(r"(mypage|consultation|pass)", name) else "member-"
    page.screenshot(path=str(out / f"{prefix}{name}-{lang}-{width}.png"))


def _confirm_step(page, out: Path, lang: str, width: int, wide: list) -> None:
    """Fill the intake of the page already open and show the confirm page."""
    if page.query_selector("input[name=topic]") is None:
        return
    page.fill("input[name=topic]", "運転資金の借入れについて" if lang == "ja" else "A loan")
    page.click("button[value=confirm]")
    page.wait_for_load_state()
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        wide.append(f"consultation-6-confirm {lang} {width}px scrolls to {scroll}px")
    page.screenshot(path=str(out / f"consultation-6-confirm-{lang}-{width}.png"))
    # 完了: book it, show the last step, then cancel it again so the demo stays as it was.
    page.click("button[value=book]")
    page.wait_for_load_state()
    if "done=1" in page.url:
        page.screenshot(path=str(out / f"consultation-7-done-{lang}-{width}.png"))
        page.goto(page.url.split("?")[0] + "/cancel")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()


def _shrink(out: Path) -> None:
    """Screenshots are flat colours: a 128-colour palette keeps them small in the repository."""
    from PIL import Image

    for png in out.glob("*.png"):
        with Image.open(png) as image:
            small = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
        small.save(png, optimize=True)


def main(base: str, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    wide: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for lang in ("ja", "en"):
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                _sign_in(page, base)
                _language(page, base, lang)
                for name, url in _pages(page, base):
                    _shoot(page, name, url, out, lang, width, wide)
                    if name == "consultation-5-intake":
                        _confirm_step(page, out, lang, width, wide)
                _language(page, base, "ja")
                context.close()
        browser.close()
    for line in wide:
        print(line)
    _shrink(out)
    return 1 if wide else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
