"""Forms say "required" only for required fields: in the label, the attribute and to ARIA.

Real pages are rendered and parsed: every control whose label carries 必須 has a boolean
`required` attribute, every other control has none (no `required="None"`).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.factories import make_event

CONTROLS = ("input", "select", "textarea")
VOID = ("input", "br", "img", "meta", "link", "hr", "source", "wbr")


class FormPage(HTMLParser):
    """Controls by id, options of radio/checkbox lists by name, and labels marked 必須."""

    def __init__(self, html: str):
        super().__init__()
        self.by_id: dict[str, tuple[str, dict]] = {}
        self.by_name: dict[str, list[dict]] = {}
        self.controls: list[tuple[str, dict]] = []
        self.marked: dict[str, bool] = {}  # label's `for` → says 必須
        self._label: str | None = None
        self._span_required = False
        self._open: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        parent = self._open[-1] if self._open else ("", {})
        if tag not in VOID:
            self._open.append((tag, attrs))
        if "id" in attrs:
            self.by_id[attrs["id"]] = (tag, attrs)
        if tag in CONTROLS and attrs.get("type") not in ("hidden", "submit"):
            self.controls.append((tag, attrs))
            self.by_name.setdefault(attrs.get("name", ""), []).append(attrs)
        # The macro's labels sit right inside <div class="field">.
        field_div = parent[0] == "div" and "field" in (parent[1].get("class") or "").split()
        if tag == "label" and field_div:
            self._label = attrs["for"]
            self.marked[self._label] = False
        if tag == "span" and self._label and "required" in (attrs.get("class") or "").split():
            self._span_required = True

    def handle_data(self, data):
        if self._span_required and self._label and "必須" in data:
            self.marked[self._label] = True

    def handle_endtag(self, tag):
        while self._open and self._open.pop()[0] != tag:
            pass
        if tag == "span":
            self._span_required = False
        if tag == "label":
            self._label = None

    def is_required(self, field_id: str) -> bool:
        """The control (or, for a list, its options) carries `required`."""
        tag, attrs = self.by_id[field_id]
        if tag in ("ul", "ol"):
            return any("required" in o for o in self.by_name.get(field_id, []))
        return "required" in attrs


def check_page(html: str) -> FormPage:
    """The invariants every page with forms keeps; returns the parsed page."""
    page = FormPage(html)
    assert page.marked, "no labelled field on the page"
    for tag, attrs in page.controls:
        assert attrs.get("required") is None, f"{tag} {attrs.get('name')}: {attrs['required']!r}"
        assert "None" not in attrs.values(), f"{tag} {attrs.get('name')}: {attrs}"
    for field_id, says_required in page.marked.items():
        assert page.is_required(field_id) == says_required, field_id
        tag, attrs = page.by_id[field_id]
        if tag == "ul" and attrs.get("role") == "radiogroup":
            assert (attrs.get("aria-required") == "true") == says_required, field_id
        assert "required" not in attrs or tag not in ("ul", "ol"), field_id
    return page


def test_signup_marks_names_required_and_the_phone_optional(client):
    page = check_page(client.get("/account/signup").get_data(as_text=True))
    assert page.marked["family_name"] and page.is_required("family_name")
    assert page.is_required("email") and page.is_required("password")
    assert not page.marked["phone"]
    assert "required" not in page.by_id["phone"][1]


def test_the_profile_page_leaves_the_phone_optional(member_client):
    page = check_page(member_client.get("/mypage/profile").get_data(as_text=True))
    assert page.is_required("family_name")
    assert "required" not in page.by_id["phone"][1]


def test_registration_questions_are_required_only_when_the_event_says_so(
    app, member_client, member
):
    event = make_event(
        frames=[
            dict(name="会場参加", capacity=10),
            dict(name="オンライン参加", capacity=10, mode="online"),
        ],
        format="hybrid",
        questions=[
            dict(label="業種", kind="text", required=True),
            dict(label="ご質問があればどうぞ", kind="text"),
            dict(label="参加の目的", kind="choice", choices=["情報収集", "導入検討"], required=True),
            dict(label="関心のある分野", kind="checkbox", choices=["AI", "セキュリティ"],
                 required=True),
            dict(label="講師への要望", kind="choice", choices=["特になし", "あり"]),
        ],
    )  # fmt: skip
    required_text, optional_text, purpose, interests, wishes = (q.key for q in event.questions)
    html = member_client.get(f"/events/{event.id}/register").get_data(as_text=True)
    page = check_page(html)
    assert "required" in page.by_id[required_text][1]
    assert "required" not in page.by_id[optional_text][1]
    assert all("required" in o for o in page.by_name[purpose])
    assert all("required" in o for o in page.by_name["frame"])
    # "Choose any" boxes: the question is required, no single box is.
    assert page.by_name[interests] and not any("required" in o for o in page.by_name[interests])
    assert page.by_name[wishes] and not any("required" in o for o in page.by_name[wishes])


def test_the_staff_event_form_marks_only_title_and_times_required(staff_client):
    page = check_page(staff_client.get("/staff/events/new").get_data(as_text=True))
    optional = [i for i, marked in page.marked.items() if not marked]
    required = [i for i, marked in page.marked.items() if marked]
    assert {"title", "starts_at", "ends_at"} == set(required)
    assert {"summary", "speakers", "online_url"} <= set(optional)
    for field_id in optional:
        assert not page.is_required(field_id), field_id


@pytest.mark.parametrize("path", ["/consultations/desk/book", "/consultations/desk/days"])
def test_desk_forms_that_override_required_render_no_required_attribute(staff_client, path):
    response = staff_client.get(path)
    assert response.status_code == 200
    page = check_page(response.get_data(as_text=True))
    assert any(marked for marked in page.marked.values())
    assert any(not marked for marked in page.marked.values())
