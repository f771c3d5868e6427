"""Logos: only real raster images, small enough, redrawn as a clean PNG and served safely."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, PngImagePlugin
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from booking.exhibitions.models import Exhibitor, ExhibitorLogo
from booking.exhibitions.pages.logos import FIT, MAX_BYTES
from booking.extensions import db
from tests.conftest import login


def image_bytes(fmt: str = "PNG", size=(120, 80), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None).save(out, format=fmt, **save)
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1024, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def stored(exhibitor_id: int) -> ExhibitorLogo | None:
    db.session.expire_all()
    return db.session.get(ExhibitorLogo, exhibitor_id)


@pytest.fixture
def fair(make_fair):
    return make_fair()


@pytest.fixture
def owner(client, fair, make_exhibitor):
    exhibitor, user = make_exhibitor(fair)
    assert login(client, user).status_code == 302
    return exhibitor


def upload(client, exhibitor, data: bytes, filename="logo.png", content_type="image/png"):
    # Encoded here, in memory: the test client spools big bodies to a file it never closes.
    file = FileStorage(io.BytesIO(data), filename=filename, content_type=content_type)
    boundary, body = encode_multipart({"logo": file})
    return client.post(
        f"/exhibitor/{exhibitor.id}/logo", data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )  # fmt: skip


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_raster_images_are_accepted_and_stored_as_png(client, owner, fmt):
    assert (
        upload(client, owner, image_bytes(fmt), filename=f"logo.{fmt.lower()}").status_code == 302
    )
    logo = stored(owner.id)
    assert logo.content_type == "image/png"
    image = decoded(logo.data)
    assert image.format == "PNG" and image.size == (120, 80) == (logo.width, logo.height)
    assert len(logo.digest) == 64


def test_the_file_is_judged_by_its_content_not_its_name_or_declared_type(client, owner):
    response = upload(
        client, owner, image_bytes("PNG"), filename="notes.txt", content_type="text/plain"
    )
    assert response.status_code == 302 and stored(owner.id) is not None


@pytest.mark.parametrize(
    ("data", "filename", "content_type"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "logo.svg",
            "image/svg+xml",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "logo.png", "image/png"),
        (b"<html><script>alert(1)</script></html>", "logo.png", "image/png"),
        (b"%PDF-1.4 not an image", "logo.jpg", "image/jpeg"),
        (image_bytes("BMP"), "logo.bmp", "image/bmp"),
        (image_bytes("TIFF"), "logo.png", "image/png"),
        (image_bytes("PNG")[:200], "logo.png", "image/png"),  # truncated
    ],
    ids=["svg", "svg-named-png", "html", "pdf", "bmp", "tiff", "truncated"],
)
def test_anything_but_a_decodable_png_jpeg_webp_or_gif_is_refused(
    client, owner, data, filename, content_type
):
    response = upload(client, owner, data, filename, content_type)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert (
        'id="logo-error"' in body and "PNG・JPEG・WebP・GIF の画像ファイルを選んでください" in body
    )
    assert stored(owner.id) is None


def test_a_file_over_one_megabyte_is_refused(client, owner):
    # A valid PNG padded past the limit: refused by its size before any decoding.
    data = image_bytes("PNG") + b"\0" * MAX_BYTES
    response = upload(client, owner, data)
    assert response.status_code == 422
    assert "1MB以下" in response.get_data(as_text=True)
    assert stored(owner.id) is None


@pytest.mark.parametrize("size", [(2001, 10), (10, 2001)])
def test_an_image_wider_or_taller_than_2000_pixels_is_refused(client, owner, size):
    response = upload(client, owner, image_bytes("PNG", size=size))
    assert response.status_code == 422
    assert "2000ピクセル" in response.get_data(as_text=True)


def test_a_decompression_bomb_is_refused_without_decoding_it(client, owner):
    bomb = png_declaring(100_000, 100_000)  # 10 gigapixels declared, under 1 KB sent
    assert len(bomb) < 1000
    response = upload(client, owner, bomb)
    assert response.status_code == 422
    assert "2000ピクセル" in response.get_data(as_text=True)


def test_a_large_image_is_scaled_down_to_fit(client, owner):
    assert upload(client, owner, image_bytes("JPEG", size=(1800, 900))).status_code == 302
    logo = stored(owner.id)
    assert (logo.width, logo.height) == (FIT, FIT // 2)
    assert decoded(logo.data).size == (FIT, FIT // 2)


def test_metadata_is_stripped(client, owner):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret-note")
    exif = Image.Exif()
    exif[0x010E] = "camera-serial-12345"  # ImageDescription
    assert upload(client, owner, image_bytes("PNG", pnginfo=info, exif=exif)).status_code == 302
    data = stored(owner.id).data
    assert b"secret-note" not in data and b"camera-serial" not in data
    image = decoded(data)
    assert "Comment" not in image.info and not image.getexif()


def test_a_phone_photo_is_turned_upright(client, owner):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    assert upload(client, owner, image_bytes("JPEG", size=(120, 80), exif=exif)).status_code == 302
    assert decoded(stored(owner.id).data).size == (80, 120)


def test_transparency_is_kept(client, owner):
    assert upload(client, owner, image_bytes("PNG", mode="RGBA")).status_code == 302
    assert decoded(stored(owner.id).data).mode == "RGBA"


def test_a_refused_upload_keeps_the_saved_logo(client, owner):
    assert upload(client, owner, image_bytes("PNG")).status_code == 302
    before = stored(owner.id).digest
    response = upload(client, owner, b"not an image")
    assert response.status_code == 422
    assert stored(owner.id).digest == before
    assert f"/exhibitor/{owner.id}/logo?v={before[:12]}" in response.get_data(as_text=True)


def test_no_file_chosen_is_refused_with_a_message(client, owner):
    response = client.post(
        f"/exhibitor/{owner.id}/logo", data={}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "画像ファイルを選んでください" in response.get_data(as_text=True)


def test_the_logo_can_be_removed(client, owner):
    upload(client, owner, image_bytes("PNG"))
    assert client.post(f"/exhibitor/{owner.id}/logo/delete").status_code == 302
    assert stored(owner.id) is None
    assert db.session.get(Exhibitor, owner.id) is not None


def test_another_companys_logo_cannot_be_changed(client, owner, fair, make_exhibitor):
    other, _ = make_exhibitor(fair)
    assert upload(client, other, image_bytes("PNG")).status_code == 404
    assert client.post(f"/exhibitor/{other.id}/logo/delete").status_code == 404
    assert stored(other.id) is None


def test_the_public_logo_is_served_with_safe_headers(client, owner, fair):
    upload(client, owner, image_bytes("PNG"))
    logo = stored(owner.id)
    url = f"/exhibitions/{fair.id}/exhibitors/{owner.id}/logo"
    response = client.get(url)
    assert response.status_code == 200
    assert response.content_type == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["ETag"] == f'"{logo.digest}"'
    assert "max-age=" in response.headers["Cache-Control"]
    assert response.data == logo.data
    again = client.get(url, headers={"If-None-Match": f'"{logo.digest}"'})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == f'"{logo.digest}"'
    stale = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.data == logo.data


def test_the_owners_preview_is_private(client, owner):
    upload(client, owner, image_bytes("PNG"))
    response = client.get(f"/exhibitor/{owner.id}/logo")
    assert response.status_code == 200 and response.content_type == "image/png"
    assert response.headers["Cache-Control"].startswith("private")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_logos_of_unpublished_fairs_or_unaccepted_exhibitors_are_404(
    client, make_fair, make_exhibitor
):
    draft = make_fair(status="draft")
    x, _ = make_exhibitor(draft)
    fair = make_fair()
    pending, _ = make_exhibitor(fair, status="applied")
    for e in (x, pending):
        db.session.add(ExhibitorLogo(exhibitor_id=e.id, content_type="image/png",
                                     data=image_bytes(), width=120, height=80, digest="d" * 64))  # fmt: skip
    db.session.commit()
    assert client.get(f"/exhibitions/{draft.id}/exhibitors/{x.id}/logo").status_code == 404
    assert client.get(f"/exhibitions/{fair.id}/exhibitors/{pending.id}/logo").status_code == 404
    accepted, _ = make_exhibitor(fair)
    assert client.get(f"/exhibitions/{fair.id}/exhibitors/{accepted.id}/logo").status_code == 404
