"""How people are addressed: 山田 太郎 様 in Japanese, "Dear Taro Yamada" in English."""

from __future__ import annotations

from types import SimpleNamespace

from booking.accounts.names import addressed_name, english_name, romanise


def person(family="山田", given="太郎", family_kana="ヤマダ", given_kana="タロウ"):
    return SimpleNamespace(family_name=family, given_name=given, family_kana=family_kana,
                           given_kana=given_kana, full_name=f"{family} {given}".strip())  # fmt: skip


def test_furigana_are_romanised_as_a_passport_spells_them():
    assert romanise("ヤマダ") == "Yamada"
    assert romanise("タロウ") == "Taro"
    assert romanise("オオノ") == "Ono"
    assert romanise("ショウタ") == "Shota"
    assert romanise("ハットリ") == "Hattori"
    assert romanise("キョウコ") == "Kyoko"
    assert romanise("ABC") == ""


def test_an_english_mail_names_the_given_name_first_without_an_honorific():
    assert addressed_name(person(), "en") == "Taro Yamada"
    assert addressed_name(person(), "ja") == "山田 太郎"


def test_without_readable_furigana_the_name_is_used_as_typed():
    assert english_name("Smith", "John", "", "") == "John Smith"  # Latin letters: English order
    assert english_name("山田", "太郎", "", "") == "山田 太郎"
    assert addressed_name(None, "en") == ""
