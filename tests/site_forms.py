"""Reading the site as a browser does: each page's forms as a person leaves them filled in,
and a bounded crawl from every GET route through the links and GET forms of its pages.

Tests that post to every form (tests/test_hostile_forms.py) find the forms here rather than
keep a list of them.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException

# The crawl's bounds: pages of one kind (route and query keys), and pages in all.
PER_KIND, MAX_PAGES = 2, 400

# Date and time inputs by type, with a value far in the future and one far in the past (or
# beyond the type's range) to try in them.
FAR_OFF = {
    "date": ("9999-12-31", "0001-01-01"),
    "datetime-local": ("9999-12-31T23:59", "0001-01-01T00:00"),
    "month": ("9999-12", "0000-01"),
    "week": ("9999-W52", "0001-W01"),
    "time": ("24:61", "-1:00"),
}


@dataclass
class PageForm:
    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # number, text, choice or an input type


class PageReader(HTMLParser):
    """The forms of a page, what a browser would send for each, and the page's links.

    A form is filled in as a person would leave it: its values, the selected (else the first)
    option, the checked (else the first) box of each group, and the first submit button.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self.links: list[str] = []
        self._form: PageForm | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""
        self._submitted = False

    def _add(self, name: str, value: str, kind: str) -> None:
        self._form.fields.append((name, value))
        self._form.kinds.setdefault(name, kind)

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form, self._submitted = (
                PageForm(a.get("method", "get").lower(), a.get("action", "")),
                False,
            )
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind, value = a.get("type", "text").lower(), a.get("value", "")
            if kind in ("checkbox", "radio"):
                if "checked" in a or name not in self._form.kinds:
                    self._add(name, value or "on", "number" if value.isdigit() else "choice")
            elif kind in ("submit", "image", "button"):
                if not self._submitted:
                    self._add(name, value, "choice")
                    self._submitted = True
            elif kind in ("number", "range") or (kind == "hidden" and value.isdigit()):
                self._add(name, value, "number")
            elif kind in FAR_OFF:
                self._add(name, value, kind)
            elif kind != "file":
                self._add(name, value, "text")
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            if not self._submitted:
                self._add(name, a.get("value", ""), "choice")
                self._submitted = True
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            values = [v for v, _ in self._options if v]
            kind = "number" if values and all(v.isdigit() for v in values) else "choice"
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            for value in chosen:
                self._add(self._select, value, kind)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._add(self._textarea, self._text, "text")
            self._textarea = None


def read_page(html: str) -> PageReader:
    parser = PageReader()
    parser.feed(html)
    return parser


@dataclass
class CrawledPage:
    url: str
    status: int
    post_forms: list[tuple[str, str, PageForm]]  # (endpoint, URL, form) of each POST form


def crawl(app: Flask, client: FlaskClient, start: list[str], follow: bool) -> Iterator[CrawledPage]:
    """Open every URL of `start`; with `follow`, also the links and GET forms of each page.

    A slot link leads to the booking form, a day chosen to the scan form: following them
    reaches forms no route shows by itself. At most `PER_KIND` pages of each kind and
    `MAX_PAGES` in all are opened.
    """
    adapter = app.url_map.bind("tsunagu.test")
    queue, kinds, opened = deque(start), Counter(), 0
    while queue and opened < MAX_PAGES:
        url = queue.popleft()
        parts = urlsplit(url)
        try:
            endpoint, _ = adapter.match(parts.path, method="GET")
        except HTTPException:  # a link off the site's routes (a static file, another method)
            continue
        kind = (endpoint, tuple(sorted(parse_qs(parts.query))))
        if kinds[kind] >= PER_KIND:
            continue
        kinds[kind] += 1
        opened += 1
        response = client.get(url)
        page = CrawledPage(url, response.status_code, [])
        if response.status_code == 200 and response.mimetype == "text/html":
            reader = read_page(response.get_data(as_text=True))
            for form in reader.forms:
                target = urljoin(url, form.action or url)
                if form.method == "get":
                    queue.append(f"{urlsplit(target).path}?{urlencode(form.fields)}")
                    continue
                try:
                    posted, _ = adapter.match(urlsplit(target).path, method="POST")
                except HTTPException:  # posts to a route that takes no POST: none should
                    continue
                page.post_forms.append((posted, target, form))
            if follow:
                queue.extend(
                    urljoin(url, href.partition("#")[0])
                    for href in reader.links
                    if href.startswith(("/", "?")) and not href.startswith(("/static/", "/api/"))
                )
        yield page
