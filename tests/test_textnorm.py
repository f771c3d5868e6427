from booking.textnorm import (
    normalise_email,
    normalise_member_no,
    normalise_phone,
    normalise_postal_code,
    to_katakana,
)


def test_full_width_email_is_made_ascii_and_lower_case():
    assert normalise_email(" ＹＡＭＡＤＡ＠ｅｘａｍｐｌｅ．ｊｐ ") == "yamada@example.jp"


def test_full_width_phone_digits_and_dashes_become_ascii():
    assert normalise_phone("０３－１２３４－５６７８") == "03-1234-5678"
    assert normalise_phone("03ー1234ー5678") == "03-1234-5678"


def test_postal_code_gets_its_hyphen():
    assert normalise_postal_code("１０００００５") == "100-0005"
    assert normalise_postal_code("100－0005") == "100-0005"


def test_member_number_is_normalised():
    assert normalise_member_no("１３０００１") == "130001"


def test_furigana_in_hiragana_or_half_width_is_stored_as_katakana():
    assert to_katakana("やまだ") == "ヤマダ"
    assert to_katakana("ﾔﾏﾀﾞ") == "ヤマダ"
    assert to_katakana("ヤマダ") == "ヤマダ"


def test_a_phone_number_is_digits_hyphens_and_a_leading_plus():
    from booking.textnorm import is_phone_number

    for good in ("03-1234-5678", "０３－１２３４－５６７８", "09012345678", "+81-3-1234-5678"):
        assert is_phone_number(good), good
    for bad in ("電話ABC", "03-12", "03--1234-5678", "03-1234-5678-", "+", "１２３"):
        assert not is_phone_number(bad), bad


def test_pictographs_are_found_but_the_symbols_of_japanese_company_names_are_not():
    from booking.textnorm import has_pictograph

    for bad in ("山田😀", "花子❤️", "☎", "★商店", "\ue63e"):
        assert has_pictograph(bad), bad
    for good in ("㈱つなぐ", "つなぐ㍿", "〒100-0005", "山田・太郎", "Smith-Jones", "ＡＢＣ商事"):
        assert not has_pictograph(good), good
