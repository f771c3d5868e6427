"""The one CSV writer: BOM, CRLF, formula-safe cells (header too), a safe download name.

Each export through its page is tested in its domain's folder (events/test_staff.py,
exhibitions/test_leads.py, consultations/test_desk_pages.py).
"""

import csv
import io
from urllib.parse import unquote

import pytest

from booking.csvexport import content_disposition, csv_bytes, csv_response, safe_cell


@pytest.mark.parametrize(
    "typed",
    ['=HYPERLINK("http://evil.example/","x")', "@SUM(A1:A9)", "+81-3-1234", "-2+3",
     "\t=1+1", "\r=1+1", "＝HYPERLINK(1)", "＠SUM(1)"],
)  # fmt: skip
def test_a_cell_that_would_start_a_formula_is_shown_as_text(typed):
    assert safe_cell(typed) == "'" + typed


@pytest.mark.parametrize("typed", ["山田 太郎", "a=b", "", "1-2", "株式会社＝テスト"])
def test_ordinary_text_is_kept_as_typed(typed):
    assert safe_cell(typed) == typed


def test_none_and_numbers_are_written_as_text():
    assert safe_cell(None) == "" and safe_cell(42) == "42" and safe_cell(-5) == "'-5"


def test_the_file_is_utf8_with_bom_crlf_and_neutralised_header_and_rows():
    data = csv_bytes(["受付番号", "=ご質問"], [["A-1", '=HYPERLINK("x")'], ["A-2", "改行\nあり"]])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.startswith("受付番号,'=ご質問\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["受付番号", "'=ご質問"], ["A-1", '\'=HYPERLINK("x")'], ["A-2", "改行\nあり"]]


def test_a_japanese_filename_gets_an_ascii_fallback_and_the_exact_name_in_filename_star():
    value = content_disposition("参加者一覧-12.csv")
    assert value.startswith('attachment; filename="')
    fallback = value.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii() and fallback.endswith("-12.csv")
    exact = value.split("filename*=UTF-8''", 1)[1]
    assert unquote(exact) == "参加者一覧-12.csv" and exact.isascii()


def test_quotes_and_line_breaks_cannot_break_out_of_the_header():
    value = content_disposition('a"b\r\nSet-Cookie: x=1.csv')
    assert "\r" not in value and "\n" not in value
    fallback = value.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback == "a_b_Set-Cookie_x_1.csv"
    assert '"' not in value.split("filename*=", 1)[1]


def test_the_response_is_a_private_utf8_csv_download(app):
    response = csv_response(["氏名"], [["@SUM(1)"]], "leads-3.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"leads-3.csv\"; filename*=UTF-8''leads-3.csv"
    )
    assert response.data == "\ufeff氏名\r\n'@SUM(1)\r\n".encode()
