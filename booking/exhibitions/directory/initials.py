"""The tile that stands in for an exhibitor without a logo: the first meaningful character of
its name (not the 株 of 株式会社) on one of a few colours, the same colour every time."""

from __future__ import annotations

import re
import zlib

# Legal-form words and their abbreviations, before or after the name.
_FORMS = (
    "株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "一般社団法人", "公益社団法人",
    "一般財団法人", "公益財団法人", "特定非営利活動法人", "NPO法人", "社会福祉法人", "医療法人",
    "学校法人", "協同組合", "（株）", "(株)", "㈱", "（有）", "(有)", "㈲", "（同）", "(同)",
)  # fmt: skip
_FORM = re.compile("|".join(re.escape(f) for f in sorted(_FORMS, key=len, reverse=True)))
_SKIP = re.compile(r"[\s\W_]+")
TILES = 8  # colours, as classes tile-0 … tile-7 in exhibitor-pages.css


def short_name(name: str | None) -> str:
    """The name without its legal form, for labels with little room (株式会社つなぐ食品 → つなぐ食品)."""
    rest = _FORM.sub("", name or "").strip()
    return rest or (name or "")


def initial(name: str | None) -> str:
    """株式会社つなぐ食品 → つ; Tsunagu Ltd. → T; an empty name → ・."""
    rest = _SKIP.sub("", _FORM.sub("", name or ""))
    if not rest:
        rest = _SKIP.sub("", name or "")
    return rest[:1].upper() if rest else "・"


def tile(name: str | None) -> str:
    """The tile's colour class, fixed for a name."""
    return f"tile-{zlib.crc32((name or '').encode()) % TILES}"
