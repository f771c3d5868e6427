"""Event materials (資料): staff upload and publish; confirmed participants download them from
My Page once published; anyone else gets 404; bad uploads are refused with a clear message."""

from __future__ import annotations

from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from booking.events.certificates.materials import safe_filename
from booking.events.certificates.models import Material
from booking.events.models import Registration
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import login

PDF = b"%PDF-1.4\n% a tiny handout\n%%EOF\n"


@pytest.fixture(autouse=True)
def materials_dir(app, tmp_path):
    app.config["MATERIALS_DIR"] = str(tmp_path / "materials")
    app.config["MATERIALS_MAX_MB"] = 1
    return tmp_path / "materials"


@pytest.fixture
def event(make_event):
    return make_event(days=3, title="BCP策定セミナー")


@pytest.fixture
def attendee(event, make_user):
    user = make_user("member", email="attendee@example.jp")
    register_for_frame(user, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    return user


def _client(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _upload(desk, event, name="第1回 配布資料.pdf", body=PDF, title="当日のスライド"):
    # Encoded here, in memory: the test client spools big bodies to a file it never closes.
    file = FileStorage(BytesIO(body), filename=name, content_type="application/octet-stream")
    boundary, encoded = encode_multipart({"title": title, "file": file})
    return desk.post(
        f"/staff/events/{event.id}/materials", data=encoded,
        content_type=f"multipart/form-data; boundary={boundary}",
    )  # fmt: skip


def _only_material() -> Material:
    [material] = db.session.query(Material).all()
    return material


def test_published_materials_reach_confirmed_participants_only(
    app, event, attendee, staff, make_user, materials_dir
):  # fmt: skip
    desk = _client(app, staff)
    assert _upload(desk, event).status_code == 302
    material = _only_material()
    assert (materials_dir / material.stored_name).read_bytes() == PDF
    url = f"/mypage/events/{event.id}/materials/{material.id}"

    me = _client(app, attendee)
    assert me.get(url).status_code == 404  # not published yet
    assert "当日のスライド" not in me.get("/mypage/").text

    desk.post(f"/staff/events/{event.id}/materials/{material.id}/publish")
    page = me.get("/mypage/")
    assert "当日のスライド" in page.text and url in page.text
    with me.get(url) as download:
        assert download.status_code == 200 and download.data == PDF
        assert download.mimetype == "application/pdf"
        assert "attachment" in download.headers["Content-Disposition"]
        assert "no-store" in download.headers["Cache-Control"]

    stranger = _client(app, make_user("member"))
    assert stranger.get(url).status_code == 404
    assert app.test_client().get(url).status_code == 302  # to the login page

    desk.post(f"/staff/events/{event.id}/materials/{material.id}/hide")
    assert me.get(url).status_code == 404


def test_a_cancelled_registration_loses_the_materials(app, event, attendee, staff):
    desk = _client(app, staff)
    _upload(desk, event)
    material = _only_material()
    desk.post(f"/staff/events/{event.id}/materials/{material.id}/publish")
    me = _client(app, attendee)
    url = f"/mypage/events/{event.id}/materials/{material.id}"
    with me.get(url) as download:
        assert download.status_code == 200
    reg = db.session.query(Registration).filter_by(user_id=attendee.id).one()
    assert me.post(f"/mypage/registrations/{reg.id}/cancel").status_code == 200
    assert db.session.get(Registration, reg.id).status == "cancelled"
    assert me.get(url).status_code == 404


def test_a_material_of_another_event_answers_404(app, event, attendee, staff, make_event):
    other = make_event(days=5, title="別のイベント")
    desk = _client(app, staff)
    _upload(desk, other)
    material = _only_material()
    desk.post(f"/staff/events/{other.id}/materials/{material.id}/publish")
    me = _client(app, attendee)
    assert me.get(f"/mypage/events/{event.id}/materials/{material.id}").status_code == 404
    assert me.get(f"/mypage/events/{other.id}/materials/{material.id}").status_code == 404
    assert desk.post(f"/staff/events/{event.id}/materials/{material.id}/publish").status_code == 404


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("script.exe", b"MZ\x90\x00", "アップロードできるのは PDF"),
        ("fake.pdf", b"<html>not a pdf</html>", "ファイルの内容が拡張子（.pdf）と一致しません"),
        ("big.pdf", PDF + b"0" * 1_000_001, "ファイルが大きすぎます（1 MB まで）"),
        ("empty.pdf", b"", "ファイルを選択してください"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message(app, event, staff, name, body, message):
    desk = _client(app, staff)
    page = _upload(desk, event, name=name, body=body, title="残したい資料名")
    assert page.status_code == 422
    assert message in page.text
    assert 'value="残したい資料名"' in page.text  # what was typed stays
    assert db.session.query(Material).count() == 0


def test_staff_delete_a_material_and_its_file(app, event, staff, materials_dir):
    desk = _client(app, staff)
    _upload(desk, event)
    material = _only_material()
    stored = materials_dir / material.stored_name
    assert stored.exists()
    desk.post(f"/staff/events/{event.id}/materials/{material.id}/delete")
    assert db.session.query(Material).count() == 0
    assert not stored.exists()


def test_staff_of_another_unit_cannot_upload(app, event, make_user):
    other = _client(app, make_user("staff", unit_key="branch:chiyoda"))
    assert _upload(other, event).status_code == 404


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("第1回 配布資料.pdf", "第1回 配布資料.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\staff\\スライド.PDF", "スライド.pdf"),
        ('a<b>:"c|d?.pdf', "a_b___c_d.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("...pdf", "material.pdf"),
        ("ｆｕｌｌ　ｗｉｄｔｈ.pdf", "full width.pdf"),
    ],
)
def test_download_names_are_made_safe(given, safe):
    assert safe_filename(given, "pdf") == safe
