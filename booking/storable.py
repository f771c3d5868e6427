"""What the database can hold, checked on the way in, so no input reaches it as a 500.

PostgreSQL refuses two things Python accepts: an integer beyond its column type (INTEGER is
32-bit signed: `NumericValueOutOfRange`) and text with a NUL character (or a lone surrogate,
which has no UTF-8 form). SQLite refuses integers beyond 64 bits. So:

- every `<int:…>` in a route is a `BoundedIntConverter`: an id the database cannot hold
  matches no route, and the answer is 404 like any other unknown id;
- ids and counts read from query strings, forms and JSON go through `db_int`, and JSON
  bodies are refused whole (422) when any integer in them is out of range (`check_json_ints`);
- a request carrying NUL (path, query string, form, file name or JSON body) is refused before
  any view runs (`refuse_unstorable_text`): 422 in the API, 400 with a message on pages.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

from booking.errors import DomainError, Invalid

INT_MIN, INT_MAX = -(2**31), 2**31 - 1


def in_int_range(value: int) -> bool:
    return INT_MIN <= value <= INT_MAX


def digits_at_most(limit: int) -> str:
    """A regular expression for the ASCII digit strings of 0…`limit` (leading zeros allowed)."""
    digits = str(limit)
    choices = [f"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        lowest = "1" if i == 0 and len(digits) > 1 else "0"  # fewer digits: the first choice
        if digit > lowest:
            rest = len(digits) - i - 1
            choices.append(
                f"{digits[:i]}[{lowest}-{int(digit) - 1}]" + f"[0-9]{{{rest}}}" * bool(rest)
            )
    choices.append(digits)
    return f"0*(?:{'|'.join(choices)})"


class BoundedIntConverter(IntegerConverter):
    """The `int` converter, bounded by what an INTEGER column holds (unless a route says less).

    The bound is in the pattern itself, not only in the conversion: a path whose id is out of
    range then matches no route at all and answers 404 for every method (a failed conversion
    would let a neighbour route of another method answer 405).
    """

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        low = (INT_MIN if signed else 0) if min is None else sorted((INT_MIN, min, INT_MAX))[1]
        high = INT_MAX if max is None else sorted((INT_MIN, max, INT_MAX))[1]
        super().__init__(map, fixed_digits, min=low, max=high, signed=signed)
        if not signed and not fixed_digits and high >= 0:
            self.regex = digits_at_most(high)


def db_int(value) -> int:
    """An integer a database column can hold, from text or a JSON number.

    Usable as `request.args.get(name, type=db_int)` (out of range → the default).
    :raises ValueError: not an integer (booleans neither), or out of range.
    """
    if isinstance(value, bool):
        raise ValueError("a boolean is not an integer")
    number = value if isinstance(value, int) else int(str(value).strip())
    if not in_int_range(number):
        raise ValueError(f"{number} is beyond the database's integer range")
    return number


def db_int_or_none(value) -> int | None:
    """Like `db_int`, but None for anything that is not an integer a column can hold."""
    try:
        return db_int(value)
    except (TypeError, ValueError):
        return None


def _json_ints(value, path: str) -> Iterator[str]:
    """The paths of the integers in a JSON value that no column could hold."""
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if not in_int_range(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _json_ints(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_ints(item, f"{path}[{index}]")


def check_json_ints(data) -> None:
    """:raises Invalid: an integer somewhere in the body is beyond the database's range."""
    for path in _json_ints(data, ""):
        raise Invalid(
            _l("%(f)s の数値が大きすぎるか小さすぎます。", f=path), field=path, code="out_of_range"
        )


def _unstorable(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, e.g. JSON "\ud800"
        return True
    return False


def _json_texts(value, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            yield child, str(key)
            yield from _json_texts(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_texts(item, f"{path}[{index}]")


_FORM_MIMETYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def _request_texts() -> Iterator[tuple[str, str]]:
    """Every text of the request a view may pass on: (where, text)."""
    yield "path", request.path
    sources = [("query", request.args)]
    # Werkzeug parses a form (and files) only from these two kinds of body; for any other
    # (JSON, none) both are empty, and asking for them costs every API request a parse step.
    has_form = request.mimetype in _FORM_MIMETYPES
    if has_form:
        sources.append(("form", request.form))
    for source, values in sources:
        for key, items in values.lists():
            yield source, key
            for item in items:
                yield f"{source}:{key}", item
    if has_form:
        for key, upload in request.files.items(multi=True):
            yield f"file:{key}", upload.filename or ""
    if request.is_json:
        yield from _json_texts(request.get_json(silent=True), "")


class UnstorableText(DomainError):
    code, status = "unstorable_text", 400


def refuse_unstorable_text() -> None:
    """Before every request: refuse NUL (and lone surrogates) anywhere in what was sent.

    :raises Invalid: in the API (422); :raises UnstorableText: on pages (400).
    """
    for where, text in _request_texts():
        if _unstorable(text):
            message = _l("送信された内容に使用できない文字（NUL 文字など）が含まれています。")
            field = where.partition(":")[2] or where
            if request.path.startswith("/api/"):
                raise Invalid(message, field=field, code="unstorable_text")
            raise UnstorableText(message, field=field)


def init_app(app: Flask) -> None:
    """Bound every `<int:…>` route argument and check each request's text on the way in."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(refuse_unstorable_text)
