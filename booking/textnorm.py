"""Normalisation of what Japanese users type: full-width digits, hyphens, kana."""

from __future__ import annotations

import re
import unicodedata

# Hyphen-like characters people type in phone numbers and postal codes.
_DASHES = re.compile("[\u2010-\u2015\u2212\u30fc\uff70\u2043\ufe63\uff0d-]")
_HIRAGANA_START, _HIRAGANA_END = 0x3041, 0x3096
_KANA_SHIFT = 0x60
_TO_KATAKANA = {c: c + _KANA_SHIFT for c in range(_HIRAGANA_START, _HIRAGANA_END + 1)}
_KATAKANA = re.compile(r"^[\u30a1-\u30fa\u30fc\u30fd\u30fe\u30f4・ 　]+$")


def nfkc(value: str | None) -> str:
    """NFKC-normalise and strip; full-width letters and digits become ASCII."""
    return unicodedata.normalize("NFKC", value or "").strip()


def normalise_email(value: str | None) -> str:
    return nfkc(value).lower()


def normalise_phone(value: str | None) -> str:
    """Digits with ASCII hyphens: `０３－１２３４－５６７８` → `03-1234-5678`."""
    return _DASHES.sub("-", nfkc(value)).replace(" ", "")


def normalise_postal_code(value: str | None) -> str:
    digits = re.sub(r"\D", "", _DASHES.sub("", nfkc(value)))
    return f"{digits[:3]}-{digits[3:]}" if len(digits) == 7 else nfkc(value)


def normalise_member_no(value: str | None) -> str:
    return _DASHES.sub("-", nfkc(value)).replace(" ", "")


def to_katakana(value: str | None) -> str:
    """Furigana are accepted in hiragana or katakana (half-width too) and stored in katakana."""
    # NFKC turns half-width katakana into full-width; then shift hiragana up to katakana.
    return unicodedata.normalize("NFKC", value or "").strip().translate(_TO_KATAKANA)


def is_katakana(value: str) -> bool:
    return bool(_KATAKANA.match(value))


# A phone number once normalised: an optional +, then digits in groups joined by hyphens.
_PHONE = re.compile(r"^\+?[0-9]+(?:-[0-9]+)*$")
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 10, 15  # 03-1234-5678 … E.164's 15 digits


def is_phone_number(value: str | None) -> bool:
    """A normalised phone number (see `normalise_phone`): digits, hyphens, a leading +;
    10 to 15 digits. `電話ABC` and `03-12` are not."""
    text = normalise_phone(value)
    digits = sum(ch.isdigit() for ch in text)
    return bool(_PHONE.match(text)) and MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS


# Emoji joiners and selectors, and the private-use area (old carriers' pictographs).
_PICTOGRAPH_MARKS = {0x200D, 0xFE0E, 0xFE0F, 0x20E3}


def has_pictograph(value: str | None) -> bool:
    """Emoji or other pictographs, which have no place in a person's or company's name.

    Symbols Japanese names and company names do use are fine: ㈱, ㍿, 〒 and the CJK
    symbol blocks (U+3000–U+33FF), and full-width punctuation.
    """
    for ch in value or "":
        code = ord(ch)
        if code in _PICTOGRAPH_MARKS or 0xE000 <= code <= 0xF8FF or code >= 0xF0000:
            return True
        if 0x3000 <= code <= 0x33FF:
            continue
        if unicodedata.category(ch) in ("So", "Cs", "Co"):
            return True
    return False
