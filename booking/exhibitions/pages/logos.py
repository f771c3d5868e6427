"""Exhibitor logos: what an upload must be, and the clean PNG that is kept instead.

An upload is trusted for nothing: not its name, not its declared type. Pillow must decode
it as one of a few raster formats (SVG, which can carry script, is never one of them); its
header's size is checked before any pixel is decoded, so a small file that would expand to
gigabytes (a decompression bomb) is refused cheaply. What is stored is a fresh PNG drawn
from the decoded pixels: no metadata, no trailing bytes, nothing of the original file.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from booking.errors import Invalid
from booking.exhibitions.models import Exhibitor, ExhibitorLogo
from booking.extensions import db

MAX_BYTES = 1_000_000
MAX_SIDE = 2000  # pixels, either side, as the file declares it
FIT = 600  # the stored logo fits in FIT × FIT
FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
STORED_TYPE = "image/png"


@dataclass(frozen=True)
class CleanLogo:
    data: bytes
    width: int
    height: int
    digest: str


def _refuse(message) -> Invalid:
    return Invalid(message, field="logo", code="bad_logo")


def clean_logo(raw: bytes) -> CleanLogo:
    """Decode an upload and redraw it as a small PNG. :raises Invalid: (field `logo`)."""
    if not raw:
        raise _refuse(_l("画像ファイルを選んでください。"))
    if len(raw) > MAX_BYTES:
        raise _refuse(_l("ファイルが大きすぎます。1MB以下の画像にしてください。"))
    not_an_image = _l("PNG・JPEG・WebP・GIF の画像ファイルを選んでください。")
    try:
        with warnings.catch_warnings():
            # Pillow warns (and with our test settings raises) on huge declared sizes; the
            # explicit check below is the rule, so the warning adds nothing.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw), formats=FORMATS)
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE:
                raise _refuse(_l("画像が大きすぎます。縦横2000ピクセル以内にしてください。"))
            if width < 1 or height < 1:
                raise _refuse(not_an_image)
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError, EOFError):  # fmt: skip
        raise _refuse(not_an_image) from None
    return _redraw(image)


def _redraw(image: Image.Image) -> CleanLogo:
    image = ImageOps.exif_transpose(image)  # phones' JPEGs are rotated by a tag
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    pixels = image.convert("RGBA" if has_alpha else "RGB")
    pixels.thumbnail((FIT, FIT), Image.Resampling.LANCZOS)
    # A new image holds pixels only: no EXIF, ICC profile, text chunks or comments.
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    data = out.getvalue()
    return CleanLogo(data, clean.width, clean.height, hashlib.sha256(data).hexdigest())


def set_logo(exhibitor: Exhibitor, raw: bytes, now: datetime) -> ExhibitorLogo:
    """Replace the exhibitor's logo with a clean copy of `raw`. :raises Invalid:

    Decoding happens before anything is touched, so a refused upload keeps the old logo.
    """
    clean = clean_logo(raw)
    logo = exhibitor.logo
    if logo is None:
        logo = ExhibitorLogo(exhibitor_id=exhibitor.id)
        exhibitor.logo = logo
    logo.content_type = STORED_TYPE
    logo.data, logo.width, logo.height = clean.data, clean.width, clean.height
    logo.digest = clean.digest
    logo.updated_at = now
    exhibitor.updated_at = now
    db.session.flush()
    return logo


def remove_logo(exhibitor: Exhibitor, now: datetime) -> bool:
    """Delete the logo; False when there was none."""
    if exhibitor.logo is None:
        return False
    exhibitor.logo = None
    exhibitor.updated_at = now
    db.session.flush()
    return True
