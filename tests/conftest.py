"""Fixtures: an app on a fresh database per test, clients, signed-in people and factories.

The suite runs on SQLite by default; `TEST_DATABASE_URL=postgresql://…` runs the very same
tests on PostgreSQL (and enables the concurrency tests marked `postgres`).
"""

from __future__ import annotations

import contextvars
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, make_url, text
from werkzeug.routing import Rule

from booking import create_app
from booking.accounts.models import User
from booking.events.models import Event
from booking.extensions import db
from booking.notifications import mailer
from booking.notifications.dispatcher import dispatch_due
from config import normalise_database_url
from tests import factories
from tests.clock import CLOCK
from tests.extra_apps import made as _made_apps
from tests.factories import PASSWORD


class _RuleOfManyApps(Rule):
    """Werkzeug's URL rule, parsed and compiled once per test process, not once per app.

    Every test builds an app, and Werkzeug parses each of its ~220 rules into regular
    expressions and compiles two Python functions for it: most of `create_app`'s time, and
    once the largest part of the suite's. What comes out depends on nothing but the rule (its
    text, defaults and host or subdomain) and the map's converter classes, so the apps of one
    run share it; each app still gets converters of its own, made as Werkzeug makes them.
    Flask's documented `url_rule_class` hook carries it; production apps keep Werkzeug's `Rule`.
    """

    _builders: dict = {}
    _parsed: dict = {}

    def compile(self) -> None:
        key = (self.rule, self.subdomain, self.host, self.map.host_matching, self.merge_slashes,
               tuple(self.map.converters.items()), repr(self.defaults))  # fmt: skip
        parsed = self._parsed.get(key)
        if parsed is None:
            self._made: list = []  # what `get_converter` is asked for while Werkzeug parses
            super().compile()
            self._parsed[key] = (self._parts, tuple(self._trace), self._made, set(self.arguments))
            del self._made
            return
        parts, trace, made, arguments = parsed
        self._parts, self._trace, self.arguments = list(parts), list(trace), set(arguments)
        self._converters = {name: self.get_converter(name, *spec) for name, *spec in made}
        self._build = self._compile_builder(False).__get__(self, None)
        self._build_unknown = self._compile_builder(True).__get__(self, None)

    def get_converter(self, variable_name, converter_name, args, kwargs):
        if hasattr(self, "_made"):
            self._made.append((variable_name, converter_name, args, dict(kwargs)))
        return super().get_converter(variable_name, converter_name, args, kwargs)

    def _compile_builder(self, append_unknown: bool = True):
        key = (append_unknown, self.rule, tuple(self._trace), repr(self.defaults))
        builder = self._builders.get(key)
        if builder is None:
            builder = self._builders[key] = super()._compile_builder(append_unknown)
        return builder


Flask.url_rule_class = _RuleOfManyApps


class _TemplatesOfManyApps(BytecodeCache):
    """Jinja's compiled templates, kept for the apps of one test process (each app has an
    environment of its own, which compiled every template it rendered afresh). Jinja checks
    each against its source's checksum before using it."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": _TemplatesOfManyApps()}

# Every run keeps its Redis keys under a prefix of its own, so two runs side by side (two
# checkouts, CI beside a laptop run) never see each other's counters.
REDIS_KEY_PREFIX = f"tsunagu-test-{uuid.uuid4().hex[:12]}"


def app_settings(database_url: str, **overrides) -> dict:
    """What every app of the tests is built with: the tests' clock, this run's Redis prefix."""
    return {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "CLOCK": CLOCK,
            "RATELIMIT_KEY_PREFIX": REDIS_KEY_PREFIX, **overrides}  # fmt: skip


def _test_database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def _worker_database(url: str) -> str | None:
    """Under pytest-xdist each worker gets a PostgreSQL database of its own (TEST_DATABASE_URL's
    name plus the worker's), since every test empties all tables when it ends."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return None
    return f"{make_url(url).database}_{worker}"


def _server_command(url: str, sql: str) -> None:
    engine = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


class Databases:
    """The test process's database server and how a test gets a database on it.

    PostgreSQL: one database per worker; each test loads the organisation into it and empties
    every table when it ends. SQLite: each test gets a file of its own, copied from one that
    holds the schema and the organisation already, and the file goes when the test ends: a
    copy costs a millisecond where loading and emptying the rows cost ~50, in every test.
    """

    def __init__(self, url: str, files: Path | None) -> None:
        self.url = url
        self.files = files  # SQLite: where the tests' files go (None on PostgreSQL)
        self.made = 0

    @property
    def copies_files(self) -> bool:
        return self.files is not None

    def fresh(self, organisation: bool = True) -> str:
        """A database for one test (or one module's world): empty, or with the organisation."""
        if self.files is None:
            return self.url
        self.made += 1
        path = self.files / f"test-{self.made}.sqlite"
        template = self.files / ("organisation.sqlite" if organisation else "empty.sqlite")
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"

    def empty(self) -> None:
        """After a test, in its app's context: on PostgreSQL every row goes, and ids start
        again from 1; then the app's connections close. (A SQLite file goes whole: `remove`.)"""
        if self.files is None:
            _empty_all_tables()
        db.engine.dispose()

    def remove(self, url: str) -> None:
        """A test's SQLite file goes (a connection still open keeps reading what it had)."""
        if self.files is not None:
            path = make_url(url).database
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)


@pytest.fixture(scope="session")
def databases(tmp_path_factory) -> Iterator[Databases]:
    url = _test_database_url(tmp_path_factory)
    own = _worker_database(url)
    if own:
        _server_command(url, f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')
        _server_command(url, f'CREATE DATABASE "{own}"')
        url = make_url(url).set(database=own).render_as_string(hide_password=False)
    app = create_app(app_settings(url))
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    files = None
    if url.startswith("sqlite"):
        files = Path(make_url(url).database).parent
        shutil.copyfile(make_url(url).database, files / "empty.sqlite")
        shutil.copyfile(make_url(url).database, files / "organisation.sqlite")
        app = create_app(app_settings(f"sqlite:///{files / 'organisation.sqlite'}"))
        with app.app_context():
            _load_structure()
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
    yield Databases(url, files)
    if own:
        _server_command(url, f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')


@pytest.fixture
def database_url(databases) -> Iterator[str]:
    """The test's database (`Databases`): the app and every extra app of the test use it. On
    SQLite it holds the organisation from the start; on PostgreSQL the `app` fixture loads it,
    and empties the database afterwards (a test without `app` writes nothing there)."""
    url = databases.fresh()
    yield url
    _close_made_apps()  # the test's extra apps let go of its file before the file goes
    databases.remove(url)


@pytest.fixture
def redis_url() -> str:
    """A real Redis (TEST_REDIS_URL, default 127.0.0.1:6379/15); CI requires it, a laptop skips."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("TSUNAGU_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is required here but does not answer at {url}")
        pytest.skip(f"needs Redis at {url} (CI starts one)")
    yield url
    for key in client.scan_iter(f"*{REDIS_KEY_PREFIX}*"):
        client.delete(key)
    client.close()


@pytest.fixture
def is_postgres(database_url) -> bool:
    return database_url.startswith("postgresql")


@pytest.fixture
def postgres_url(database_url) -> str:
    """Tests of concurrency rules need the real thing; CI always provides it."""
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL=postgresql://… (CI does)")
    return database_url


def make_app(database_url: str, **overrides):
    """An extra app (a second worker, other settings); its connections close after the test."""
    app = create_app(app_settings(database_url, **overrides))
    _made_apps.append(app)
    return app


def _close_made_apps() -> None:
    while _made_apps:
        app = _made_apps.pop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(autouse=True)
def _close_extra_apps():
    yield
    _close_made_apps()


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context and database session, as in production.

    The test's own session commits first: on SQLite an open transaction of the test would
    otherwise hold the write lock the request is waiting for. Its objects are then expired,
    so reading them after the request shows what the request did.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def clock():
    """The tests' clock, at `DEFAULT_INSTANT` when a test starts; move it as the test needs."""
    CLOCK.reset()
    yield CLOCK
    CLOCK.reset()


@pytest.fixture
def app(databases, database_url, clock):
    app = create_app(app_settings(database_url, CLOCK=clock))
    app.test_client_class = IsolatedClient
    mailer.outbox_memory.clear()
    with app.app_context():
        if not databases.copies_files:
            _load_structure()
            db.session.commit()
        yield app
        db.session.remove()
        databases.empty()


def _load_structure() -> None:
    from booking.demo import chamber_data
    from booking.org.services import load_structure

    load_structure(chamber_data())


def _empty_all_tables() -> None:
    """Every row goes, and ids start again from 1 as on a fresh database.

    DELETE rather than TRUNCATE on PostgreSQL too: a TRUNCATE of the 56 tables gives each a
    new file and syncs them at commit (0.2 s a test here, against 0.02 s for DELETE).
    """
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
        if conn.dialect.name == "postgresql":
            conn.execute(text(_RESTART_SEQUENCES))


# setval is not rolled back with its transaction; here that is what is wanted.
_RESTART_SEQUENCES = """
SELECT setval(c.oid::regclass, 1, false)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'S' AND n.nspname = current_schema()
"""


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app) -> Callable[..., User]:
    """`make_user(role="member", email=None, company=None, **names)` (tests/factories.py)."""
    return factories.make_user


@pytest.fixture
def make_event(app) -> Callable[..., Event]:
    """`make_event(capacity=50, days=7, status="published", frames=None, …)` (tests/factories.py)."""
    return factories.make_event


def login(client, user, password: str = PASSWORD):
    return client.post("/account/login", data={"email": user.email, "password": password})


@pytest.fixture
def member(make_user):
    return make_user("member")


@pytest.fixture
def staff(make_user):
    return make_user("staff")


@pytest.fixture
def member_client(client, member):
    assert login(client, member).status_code == 302
    return client


@pytest.fixture
def staff_client(client, staff):
    assert login(client, staff).status_code == 302
    return client


@pytest.fixture
def sent_mail(app) -> Callable[[], list]:
    """Run one dispatch pass and return every message the memory backend has 'sent'."""

    def deliver():
        dispatch_due()
        return list(mailer.outbox_memory)

    return deliver


def pytest_collection_modifyitems(items):
    """Everything under tests/browser/ is a `browser` test (CI runs those in a step of their own)."""
    for item in items:
        if "tests/browser/" in item.nodeid or item.nodeid.startswith("browser/"):
            item.add_marker(pytest.mark.browser)
