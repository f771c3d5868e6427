"""How a person is named to them: Japanese order with 様 in Japanese, English order in English.

We keep a person's name as typed (姓・名) and its furigana in katakana. An English mail says
"Dear Taro Yamada": the given name first, romanised (Hepburn, long vowels unmarked as on a
passport) from the furigana. Without furigana the name is used as typed, never with a guessed
Mr./Ms. (we do not know which applies).
"""

from __future__ import annotations

import unicodedata

_DIGRAPHS = {
    "キャ": "kya", "キュ": "kyu", "キョ": "kyo", "シャ": "sha", "シュ": "shu", "ショ": "sho",
    "チャ": "cha", "チュ": "chu", "チョ": "cho", "ニャ": "nya", "ニュ": "nyu", "ニョ": "nyo",
    "ヒャ": "hya", "ヒュ": "hyu", "ヒョ": "hyo", "ミャ": "mya", "ミュ": "myu", "ミョ": "myo",
    "リャ": "rya", "リュ": "ryu", "リョ": "ryo", "ギャ": "gya", "ギュ": "gyu", "ギョ": "gyo",
    "ジャ": "ja", "ジュ": "ju", "ジョ": "jo", "ビャ": "bya", "ビュ": "byu", "ビョ": "byo",
    "ピャ": "pya", "ピュ": "pyu", "ピョ": "pyo", "ヂャ": "ja", "ヂュ": "ju", "ヂョ": "jo",
    "ティ": "ti", "ディ": "di", "ファ": "fa", "フィ": "fi", "フェ": "fe", "フォ": "fo",
    "ウィ": "wi", "ウェ": "we", "ウォ": "wo", "シェ": "she", "ジェ": "je", "チェ": "che",
}  # fmt: skip
_KANA = dict(zip(
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴァィゥェォ",
    ["a", "i", "u", "e", "o", "ka", "ki", "ku", "ke", "ko", "sa", "shi", "su", "se", "so",
     "ta", "chi", "tsu", "te", "to", "na", "ni", "nu", "ne", "no", "ha", "hi", "fu", "he", "ho",
     "ma", "mi", "mu", "me", "mo", "ya", "yu", "yo", "ra", "ri", "ru", "re", "ro", "wa", "o", "n",
     "ga", "gi", "gu", "ge", "go", "za", "ji", "zu", "ze", "zo", "da", "ji", "zu", "de", "do",
     "ba", "bi", "bu", "be", "bo", "pa", "pi", "pu", "pe", "po", "vu", "a", "i", "u", "e", "o"],
    strict=True,
))  # fmt: skip


def romanise(kana: str) -> str:
    """`ヤマダ` → `Yamada`, `ショウタ` → `Shota`, `オオノ` → `Ono`; '' if not all katakana."""
    out, i, double = [], 0, False
    while i < len(kana):
        pair, ch = kana[i : i + 2], kana[i]
        if ch in "ー ・　":
            i += 1
            continue
        if ch == "ッ":
            double, i = True, i + 1
            continue
        syllable = _DIGRAPHS.get(pair)
        i += 2 if syllable else 1
        syllable = syllable or _KANA.get(ch)
        if syllable is None:
            return ""
        if double:
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
            double = False
        out.append(syllable)
    word = "".join(out)
    # Long vowels as a passport spells them: ou, oo, uu are written o, o, u.
    for long, short in (("ou", "o"), ("oo", "o"), ("uu", "u")):
        word = word.replace(long, short)
    return word.capitalize()


def english_name(family: str, given: str, family_kana: str, given_kana: str) -> str:
    """`Taro Yamada` from the furigana; a name typed in Latin letters given name first; else
    the name as typed."""
    family_en, given_en = romanise(family_kana or ""), romanise(given_kana or "")
    if family_en and given_en:
        return f"{given_en} {family_en}"
    if _latin(family) and _latin(given):  # typed in Latin letters: English order
        return f"{given} {family}".strip()
    return f"{family} {given}".strip()


def _latin(text: str) -> bool:
    return all(ch.isascii() or (unicodedata.category(ch).startswith("L") and ord(ch) < 0x250)
               for ch in text or "")  # fmt: skip


def addressed_name(user, locale: str | None) -> str:
    """What a mail's salutation puts in `%(name)s 様` / `Dear %(name)s` for this person."""
    if user is None:
        return ""
    if (locale or "ja").startswith("en"):
        return english_name(user.family_name, user.given_name, user.family_kana, user.given_kana)
    return user.full_name
