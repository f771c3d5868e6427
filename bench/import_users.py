"""Benchmark: `users import` of the membership system's CSV (83,000 rows in minutes).

Prints rows/s for the real import (normalising, validating, companies, chunked commits) and
for a bare baseline measured in the same run: Core executemany INSERTs of the same accounts
with no checks. The ratio says what the import's rules cost.

    .venv/bin/python bench/import_users.py                      # 20,000 rows, fresh SQLite
    .venv/bin/python bench/import_users.py --rows 83000 --database-url postgresql://postgres@127.0.0.1/tsunagu_bench
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from booking import create_app
from booking.accounts.importer import COLUMNS, import_users
from booking.accounts.models import User
from booking.demo import chamber_data
from booking.extensions import db
from booking.org.services import load_structure
from booking.timefmt import now_utc


def make_csv(rows: int, branches: list[str], sections: list[str]) -> str:
    lines = [",".join(COLUMNS)]
    for i in range(rows):
        lines.append(
            f"person{i}@member{i // 3}.example.jp,山田,太郎{i},やまだ,たろう,株式会社サンプル{i // 3},"
            f"サンプル,{1_000_000 + i // 3},{branches[i % len(branches)]},"
            f"{sections[i % len(sections)]},member,"
        )
    return "\n".join(lines) + "\n"


def fresh(app):
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_structure(chamber_data())
        db.session.commit()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--database-url", default=None)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    url = a.database_url or f"sqlite:///{tmp / 'bench.sqlite'}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    data = chamber_data()
    text = make_csv(
        a.rows, [b["slug"] for b in data["branches"]], [s["slug"] for s in data["sections"]]
    )

    fresh(app)
    with app.app_context():
        t0 = time.perf_counter()
        report = import_users(text, now_utc())
        t_import = time.perf_counter() - t0
    assert report.created == a.rows and not report.rejected, report.rejected[:3]

    fresh(app)
    with app.app_context():
        rows = [
            {"email": f"person{i}@member{i // 3}.example.jp", "role": "member", "family_name": "山田",
             "given_name": f"太郎{i}", "family_kana": "ヤマダ", "given_kana": "タロウ"}
            for i in range(a.rows)
        ]  # fmt: skip
        t0 = time.perf_counter()
        for start in range(0, len(rows), 1000):
            db.session.execute(insert(User), rows[start : start + 1000])
            db.session.commit()
        t_bare = time.perf_counter() - t0
        db.drop_all()
        db.engine.dispose()

    print(f"database: {url.split('://')[0]}, rows: {a.rows:,}")
    print(f"users import : {t_import:7.1f} s  {a.rows / t_import:9,.0f} rows/s")
    print(f"bare inserts : {t_bare:7.1f} s  {a.rows / t_bare:9,.0f} rows/s")
    print(f"ratio import/bare throughput: {t_bare / t_import:.2f}")
    print(f"projected 83,000 rows: {83_000 / (a.rows / t_import) / 60:.1f} min")


if __name__ == "__main__":
    main()
