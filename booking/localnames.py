"""Names of data in the reader's language: units, themes, channels, zones, frames and fees.

Reference data carries an English name (`name_en`) beside its Japanese one; frames are named
by staff, so only the names the system itself gives them (会場参加, オンライン参加, …) have
English words. Templates call the `localized` and `fee` filters wherever such a name is shown.
"""

from __future__ import annotations

import re

from flask import has_app_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

# Names the system gives frames (booking/demo, new events' defaults), with their translation.
DEFAULT_NAMES = {
    "会場参加": _l("会場参加"),
    "オンライン参加": _l("オンライン参加"),
    "会場来場": _l("会場来場"),
    "オンライン来場": _l("オンライン来場"),
    "会員参加": _l("会員参加"),
    "本部": _l("本部"),
}

FREE = ("", "無料", "0円", "無料（事前申込制）", "free")
# 3,000円（税込） / 会員 2,000円（税込） / 一般 3,000円
_PRICE = re.compile(r"^(?:(会員|一般)\s*)?([\d,]+)\s*円\s*(（税込）|\(税込\))?$")


def _english() -> bool:
    """The page's or the mail's language (mails are rendered under `force_locale`)."""
    if not has_app_context():
        return False
    try:
        return str(get_locale() or "ja").startswith("en")
    except (RuntimeError, AttributeError):  # no request and no forced locale
        return False


def localized(obj, english: bool | None = None) -> str:
    """The name of a unit, theme, channel, zone or frame in the current language.

    English mode shows `name_en` when the row has one, the translation of a default frame
    name, else the name as it was written.
    """
    if obj is None:
        return ""
    name = getattr(obj, "name", "") or ""
    if not (_english() if english is None else english):
        return name
    name_en = getattr(obj, "name_en", "") or ""
    if name_en:
        return name_en
    if name in DEFAULT_NAMES:
        return str(DEFAULT_NAMES[name])
    return name


def ward_name(unit, english: bool | None = None) -> str:
    """A branch's ward in the current language: 千代田区 / Chiyoda City (the wards' own English
    style), from the branch's English name `Chiyoda Branch`; the ward as written otherwise."""
    ward = getattr(unit, "ward", "") or ""
    name_en = getattr(unit, "name_en", "") or ""
    if ward and name_en.endswith(" Branch") and (_english() if english is None else english):
        return name_en.removesuffix(" Branch") + " City"
    return ward


def is_free(label: str | None) -> bool:
    """The fee label means no fee (staff type 無料 into the price field; the API may send "")."""
    return (label or "").strip().lower() in FREE


def fee(label: str | None, english: bool | None = None) -> str:
    """A frame's fee: `無料` / `Free`; `会員 2,000円（税込）` / `Members ¥2,000 (incl. tax)`.

    A fee staff wrote in another way is shown as written.
    """
    label = (label or "").strip()
    english = _english() if english is None else english
    if is_free(label):
        return "Free" if english else "無料"
    if not english:
        return label
    match = _PRICE.match(label)
    if match is None:
        return label
    who, amount, tax = match.groups()
    text = f"¥{amount}" + (" (incl. tax)" if tax else "")
    return {"会員": f"Members {text}", "一般": f"Non-members {text}"}.get(who, text)


def bracketed(text, english: bool | None = None) -> Markup:
    """An aside after a name: `（港区）` in Japanese, ` (Minato)` in English text.

    Escapes plain text and keeps markup (a macro's output) as it is.
    """
    if text is None or text == "":
        return Markup("")
    english = _english() if english is None else english
    return Markup(" ({})" if english else "（{}）").format(text)
