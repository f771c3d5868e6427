"""Real-browser fixtures: a live server on a loopback port and Debian's Chromium via Playwright.

Without Chromium (a laptop), these tests skip with the reason; CI sets
TSUNAGU_REQUIRE_BROWSER=1 so that a missing browser fails instead of skipping.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = HERE / "artifacts"
BLOCKING = {"serious", "critical"}


def _unavailable(reason: str):
    if os.environ.get("TSUNAGU_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required here but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-ipafont-gothic)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Python Playwright is not installed (make test installs it)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """Serve the test app on a free loopback port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    thread.join(10)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


# Every document reports each Content-Security-Policy violation to the test at once (a
# binding survives navigation; a list kept in the page would not). The promise of the last
# report is kept so that a test can wait until the report has arrived.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.lastCspReport = window.reportCspViolation(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} on ${e.documentURI}` +
    (e.sourceFile ? ` (${e.sourceFile}:${e.lineNumber})` : "") +
    (e.sample ? `: ${e.sample}` : ""));
});
"""


def missing_security_headers(headers: dict[str, str]) -> list[str]:
    """What a page of ours lacks of the headers every answer carries (tests/test_security.py
    pins their exact values; HSTS is production's, over HTTPS, and tested there)."""
    policy = headers.get("content-security-policy", "")
    wanted = {
        "Content-Security-Policy without inline script": "script-src 'self'" in policy
        and "unsafe-inline" not in policy,
        "frame-ancestors 'none'": "frame-ancestors 'none'" in policy,
        "X-Content-Type-Options: nosniff": headers.get("x-content-type-options") == "nosniff",
        "X-Frame-Options: DENY": headers.get("x-frame-options") == "DENY",
        "Referrer-Policy": bool(headers.get("referrer-policy")),
    }
    return [name for name, present in wanted.items() if not present]


def _check_page_headers(response, violations: list[str]) -> None:
    if response.request.resource_type != "document":
        return
    if missing := missing_security_headers(response.headers):
        violations.append(f"{response.url} answered without {', '.join(missing)}")


def watch_csp_violations(context, violations: list[str]) -> None:
    """Record every CSP violation of every page of `context` into `violations`, and every page
    answered without the security headers."""
    context.on("response", lambda response: _check_page_headers(response, violations))
    context.expose_function("reportCspViolation", lambda text: violations.append(text))
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    # Chromium also logs each refusal to the console ("Refused to … because it violates the
    # following Content Security Policy directive …").
    context.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text),
    )


@pytest.fixture
def csp_violations() -> list[str]:
    """The CSP violations met by the test's `page` (and pages without the security headers);
    any left at the end fails the test."""
    return []


@pytest.fixture
def page(browser, request, live_server, csp_violations):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    watch_csp_violations(context, csp_violations)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not csp_violations, "Content-Security-Policy findings:\n" + "\n".join(csp_violations)


@pytest.fixture
def axe_check():
    """Run axe-core in the page; fail on serious or critical violations."""
    if not AXE.exists():
        _unavailable(f"axe-core is not installed at {AXE} (make browser-deps)")
    source = AXE.read_text(encoding="utf-8")

    def check(page, label: str) -> None:
        # Evaluated through the DevTools protocol: an inline <script> tag would be refused
        # by the page's Content-Security-Policy (and count as a violation).
        page.evaluate(source)
        result = page.evaluate("async () => await axe.run(document)")
        bad = [v for v in result["violations"] if v.get("impact") in BLOCKING]
        details = "\n".join(
            f"  {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in bad
        )
        assert not bad, f"axe found serious problems on {label}:\n{details}"

    return check
