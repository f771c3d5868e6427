"""An event's materials (資料): files staff upload and publish to the event's attendees.

An upload is trusted for nothing: its name is cleaned for the download (the file on disk has
a random name in `MATERIALS_DIR`), its extension must be one of `KINDS` and its first bytes
must look like that kind, and it may not pass `MATERIALS_MAX_MB`.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from booking.errors import Invalid, NotFound
from booking.events.certificates.models import Material
from booking.events.models import Event
from booking.extensions import db

# Extension → (content type, how the file starts). Office files are ZIP containers.
_ZIP = b"PK\x03\x04"
KINDS = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (_ZIP,)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    "zip": ("application/zip", (_ZIP,)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
# Characters no file system or download dialog takes well, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def max_bytes() -> int:
    return int(current_app.config["MATERIALS_MAX_MB"]) * 1_000_000


def storage_dir() -> Path:
    return Path(current_app.config["MATERIALS_DIR"])


def safe_filename(name: str, extension: str) -> str:
    """The upload's name as people will download it: no path, no unsafe or control
    characters, not hidden, at most 100 characters, ending in its (lower-case) extension."""
    base = unicodedata.normalize("NFKC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:100] or "material"
    return f"{stem}.{extension}"


def _kind_of(filename: str, head: bytes) -> str:
    """The upload's extension once its content agrees with it. :raises Invalid: (`file`)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    if extension not in KINDS:
        raise Invalid(_l("アップロードできるのは PDF・Word・Excel・PowerPoint・ZIP・PNG・JPEG ファイルです。"),
                      field="file", code="material_type")  # fmt: skip
    if not any(head.startswith(magic) for magic in KINDS[extension][1]):
        raise Invalid(_l("ファイルの内容が拡張子（.%(ext)s）と一致しません。", ext=extension),
                      field="file", code="material_type")  # fmt: skip
    return extension


def add_material(event: Event, title: str, filename: str, raw: bytes, by,
                 now: datetime) -> Material:  # fmt: skip
    """Keep the upload as an unpublished material of the event.

    `raw` may be one byte longer than allowed (the view reads no further): that says it is
    too big. :raises Invalid: empty, too big, or not an allowed kind of file (`file`).
    """
    if not raw:
        raise Invalid(_l("ファイルを選択してください。"), field="file", code="material_empty")
    if len(raw) > max_bytes():
        raise Invalid(_l("ファイルが大きすぎます（%(mb)s MB まで）。", mb=max_bytes() // 1_000_000),
                      field="file", code="material_too_big")  # fmt: skip
    extension = _kind_of(filename, raw[:16])
    stored = f"{secrets.token_hex(16)}.{extension}"
    folder = storage_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored).write_bytes(raw)
    material = Material(
        event_id=event.id, title=title.strip() or safe_filename(filename, extension),
        filename=safe_filename(filename, extension), stored_name=stored,
        content_type=KINDS[extension][0], size=len(raw), uploaded_by_id=by.id, uploaded_at=now,
    )  # fmt: skip
    db.session.add(material)
    db.session.flush()
    return material


def set_published(material: Material, published: bool, now: datetime) -> None:
    """Show the material to the event's attendees (from now on), or hide it again."""
    if published and material.published_at is None:
        material.published_at = now
    elif not published:
        material.published_at = None
    db.session.flush()


def delete_material(material: Material) -> None:
    """Remove the material and its file."""
    path = file_of(material)
    db.session.delete(material)
    db.session.flush()
    path.unlink(missing_ok=True)


def file_of(material: Material) -> Path:
    return storage_dir() / material.stored_name


def materials_of(event: Event, published_only: bool = False) -> list[Material]:
    query = select(Material).where(Material.event_id == event.id)
    if published_only:
        query = query.where(Material.published_at.is_not(None))
    return list(db.session.scalars(query.order_by(Material.uploaded_at, Material.id)))


def material_of(event: Event, material_id: int) -> Material:
    """The event's material with this id. :raises NotFound: none, or another event's."""
    material = db.session.get(Material, material_id)
    if material is None or material.event_id != event.id:
        raise NotFound(_l("資料が見つかりません。"))
    return material
