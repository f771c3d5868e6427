"""CSV files for Excel: the one writer behind every export (attendees, leads, consultations).

- UTF-8 with a BOM, CRLF line ends: Japanese Excel opens it with the right encoding.
- Formula-injection safe (OWASP "CSV injection"): a cell that starts with a character
  Excel reads as the start of a formula gets a leading `'`, so `=HYPERLINK(…)` typed
  by a member shows as text and never runs. Header cells too (question labels are typed).
- Headers come from the caller in the active locale (the signed-in person's language).
- `csv_response` sends it as a download with a filename safe for every browser: an ASCII
  `filename=` and the real one in `filename*` (RFC 5987 / RFC 6266).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from flask import Response

BOM = "\ufeff"
# Excel (and LibreOffice) start a formula with these; full-width forms too, since Japanese
# input methods type them and Excel treats them alike.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_cell(value) -> str:
    """The text of one cell, which Excel will show and never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(header: Sequence, rows: Iterable[Sequence]) -> str:
    """The whole file as text (BOM first), every cell passed through `safe_cell`."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(v) for v in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with BOM, ready to send or to store."""
    return csv_text(header, rows).encode("utf-8")


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the exact name in `filename*`."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    ascii_stem = _UNSAFE_FILENAME.sub("_", stem).strip("._") or "export"
    ascii_name = f"{ascii_stem}.{_UNSAFE_FILENAME.sub('', ext)}" if ext else ascii_stem
    # No CR, LF or quote can reach the header: the fallback is [A-Za-z0-9._-] only and the
    # exact name is percent-encoded.
    exact = quote(filename.replace("\r", "").replace("\n", ""), safe="")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{exact}"


def csv_response(header: Sequence, rows: Iterable[Sequence], filename: str) -> Response:
    """A download of the rows: private to the person (never cached by a proxy)."""
    return Response(
        csv_bytes(header, rows),
        mimetype="text/csv",
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition(filename),
            "Cache-Control": "no-store",
        },
    )
