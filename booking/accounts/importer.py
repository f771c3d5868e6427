"""Bulk import of accounts and companies from the membership system's CSV.

Idempotent by e-mail: a second import of the same file updates rows in place. Work is done
in chunks (one query per chunk for existing accounts and companies, one commit per chunk),
so 83,000 rows take minutes, not hours; a rejected row never stops the others.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from sqlalchemy import select

from booking.accounts.models import ROLES, Company, User
from booking.accounts.services import (
    MIN_PASSWORD,
    hash_password,
    password_hash_method,
    request_password_reset,
)
from booking.extensions import db
from booking.org.models import Unit
from booking.textnorm import (
    is_phone_number,
    nfkc,
    normalise_email,
    normalise_member_no,
    normalise_phone,
    normalise_postal_code,
    to_katakana,
)

COLUMNS = (
    "email", "family_name", "given_name", "family_kana", "given_kana", "company",
    "company_kana", "member_no", "branch", "section", "role", "password",
    "company_phone", "company_postal_code",
)  # fmt: skip
# The last two are optional (older files without them still import): the roster facts a
# membership claim is checked against (`accounts.claims`). Empty keeps what the company had.
CHUNK = 1000
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
POSTAL = re.compile(r"^[0-9]{3}-[0-9]{4}$")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def decode_csv(raw: bytes) -> str:
    """UTF-8 (with or without BOM) first; the membership system's older exports are CP932."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp932")


def read_rows(text: str) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header

    def rows():
        for row in reader:
            yield reader.line_num, {k: (v or "") for k, v in row.items() if k}

    return header, rows()


def _clean(row: dict, units: dict[tuple[str, str], Unit]) -> dict:
    """Normalise one row; raises ValueError with the reason it is rejected."""
    email = normalise_email(row.get("email"))
    if not EMAIL.match(email):
        raise ValueError(f"invalid email {row.get('email')!r}")
    member_no = normalise_member_no(row.get("member_no"))
    role = nfkc(row.get("role")).lower() or ("member" if member_no else "guest")
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    branch = nfkc(row.get("branch")).lower()
    section = nfkc(row.get("section")).lower()
    if branch and ("branch", branch) not in units:
        raise ValueError(f"unknown branch {branch!r}")
    if section and ("section", section) not in units:
        raise ValueError(f"unknown section {section!r}")
    password = row.get("password") or ""
    if password and len(password) < MIN_PASSWORD:
        raise ValueError(f"password shorter than {MIN_PASSWORD} characters")
    company_phone, company_postal = _roster_facts(row)
    return {
        "email": email,
        "family_name": nfkc(row.get("family_name")),
        "given_name": nfkc(row.get("given_name")),
        "family_kana": to_katakana(row.get("family_kana")),
        "given_kana": to_katakana(row.get("given_kana")),
        "company": nfkc(row.get("company")),
        "company_kana": to_katakana(row.get("company_kana")),
        "member_no": member_no or None,
        "branch": units.get(("branch", branch)),
        "section": units.get(("section", section)),
        "role": role,
        "password": password,
        "company_phone": company_phone,
        "company_postal_code": company_postal,
    }


def _roster_facts(row: dict) -> tuple[str, str]:
    """The company's phone and postal code, normalised (full-width digits, any hyphen).

    :raises ValueError: a value that is not a phone number or a seven-digit postal code."""
    phone = normalise_phone(row.get("company_phone"))
    if phone and not is_phone_number(phone):
        raise ValueError(f"invalid company_phone {row.get('company_phone')!r}")
    postal = normalise_postal_code(row.get("company_postal_code"))
    if postal and not POSTAL.match(postal):
        raise ValueError(f"invalid company_postal_code {row.get('company_postal_code')!r}")
    return phone, postal


def import_users(
    text: str,
    now: datetime,
    *,
    invite: bool = False,
    progress: Callable[[int], None] = lambda n: None,
    workers: int = 2,
) -> ImportReport:
    """Create or update accounts from CSV text; commits per chunk.

    :raises ValueError: the header lacks the `email` column.
    """
    header, rows = read_rows(text)
    if "email" not in header:
        raise ValueError(f"the header row must contain: {', '.join(COLUMNS)}")
    units = {(u.kind, u.slug): u for u in db.session.scalars(select(Unit))}
    report = ImportReport()
    seen: dict[str, int] = {}
    chunk: list[tuple[int, dict]] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for line, row in rows:
            try:
                clean = _clean(row, units)
            except ValueError as exc:
                report.rejected.append((line, str(exc)))
                progress(1)
                continue
            if clean["email"] in seen:
                report.rejected.append((line, f"duplicate of line {seen[clean['email']]}"))
                progress(1)
                continue
            seen[clean["email"]] = line
            chunk.append((line, clean))
            if len(chunk) >= CHUNK:
                _store_chunk(chunk, report, pool, now, invite)
                progress(len(chunk))
                chunk = []
        if chunk:
            _store_chunk(chunk, report, pool, now, invite)
            progress(len(chunk))
    return report


def _store_chunk(chunk, report: ImportReport, pool, now: datetime, invite: bool) -> None:
    emails = [c["email"] for _, c in chunk]
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    numbers = [c["member_no"] for _, c in chunk if c["member_no"]]
    companies = {
        c.member_no: c
        for c in db.session.scalars(select(Company).where(Company.member_no.in_(numbers)))
    }
    # Hashing is the slow part (scrypt, deliberately): spread it over processes.
    to_hash = [c["password"] for _, c in chunk if c["password"]]
    hash_one = partial(hash_password, method=password_hash_method())
    hashes = iter(pool.map(hash_one, to_hash, chunksize=16)) if to_hash else iter(())
    created_users = []
    for _line, c in chunk:
        user = users.get(c["email"])
        company = _company_for(c, companies, user.company if user else None)
        if user is None:
            user = User(email=c["email"], email_confirmed_at=now)
            db.session.add(user)
            created_users.append(user)
            report.created += 1
        else:
            report.updated += 1
        user.family_name, user.given_name = c["family_name"], c["given_name"]
        user.family_kana, user.given_kana = c["family_kana"], c["given_kana"]
        user.role = c["role"]
        if company is not None:
            user.company = company
        if c["role"] in ("staff", "advisor") and c["branch"] is not None:
            user.unit = c["branch"]
        if c["password"]:
            user.password_hash = next(hashes)
    db.session.flush()
    if invite:
        for user in created_users:
            request_password_reset(user.email, now)
    db.session.commit()


def _company_for(c: dict, companies: dict[str, Company], current: Company | None):
    """The member company by number; without a number, the person's current company."""
    if not c["company"] and not c["member_no"]:
        return None
    company = companies.get(c["member_no"]) if c["member_no"] else current
    if company is not None and company.member_no != c["member_no"]:
        company = None
    if company is None:
        company = Company(member_no=c["member_no"])
        db.session.add(company)
        if c["member_no"]:
            companies[c["member_no"]] = company
    company.name = c["company"] or company.name or ""
    company.name_kana = c["company_kana"] or company.name_kana or ""
    if c["branch"] is not None:
        company.branch = c["branch"]
    if c["section"] is not None:
        company.section = c["section"]
    company.phone = c["company_phone"] or company.phone or ""
    company.postal_code = c["company_postal_code"] or company.postal_code or ""
    return company
