"""Configuration: one class per environment, every value overridable by environment variables.

The variables and their defaults are a contract (see ARCHITECTURE.md); keep them exactly.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE = ROOT / "instance"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean variable; accepts 1/0, true/false, yes/no, on/off."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be one of 1/0, true/false, yes/no, on/off (got {raw!r})")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


def database_url(default: str) -> str:
    return normalise_database_url(os.environ.get("DATABASE_URL") or default)


def normalise_database_url(url: str) -> str:
    """PostgreSQL URLs always go through psycopg 3, whatever scheme they were given with."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
    SQLALCHEMY_DATABASE_URI = database_url(f"sqlite:///{INSTANCE / 'tsunagu.sqlite'}")
    # No `pool_pre_ping`: a round trip before every request; PostgreSQL connections are
    # checked on checkout without one (`booking.database.check_liveness_on_checkout`).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # PostgreSQL reached through PgBouncer in transaction pooling: no server-side prepared
    # statements, no session state (booking/database.py; README, Deployment).
    DATABASE_PGBOUNCER = env_bool("DATABASE_PGBOUNCER", False)
    # Optional: public pages and feeds of visitors not signed in read from this replica.
    DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL") or None
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    # Werkzeug's scrypt: slow on purpose (about 0.1 s a password here), against guessing.
    PASSWORD_HASH_METHOD = "scrypt"
    ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "東京商工会議所")
    ORGANISATION_NAME_EN = os.environ.get("ORGANISATION_NAME_EN", "Tokyo Chamber of Commerce")

    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)
    MAIL_FROM = os.environ.get("MAIL_FROM", "Tsunagu <noreply@tsunagu.example.jp>")
    MAIL_REPLY_TO = os.environ.get("MAIL_REPLY_TO") or None
    # On by default: no correctness rule bends for speed. Off, "sent" marks on PostgreSQL skip
    # the disk flush (faster); a crash of the database server itself may then re-send up to
    # ~1 s of mail after the lease. Never loses mail either way.
    MAIL_MARKS_SYNCHRONOUS = env_bool("MAIL_MARKS_SYNCHRONOUS", True)

    SCHEDULER_ENABLED = env_bool("SCHEDULER_ENABLED", False)
    REMINDER_OFFSETS = os.environ.get("REMINDER_OFFSETS", "P1D,PT1H")
    DISPATCH_INTERVAL = env_int("DISPATCH_INTERVAL", 15)
    TIMEZONE = os.environ.get("TIMEZONE", "Asia/Tokyo")

    REDIS_URL = os.environ.get("REDIS_URL") or None
    # Event materials (資料) staff upload: where the files are kept, and how big one may be.
    MATERIALS_DIR = os.environ.get("MATERIALS_DIR") or str(INSTANCE / "materials")
    MATERIALS_MAX_MB = env_int("MATERIALS_MAX_MB", 20)
    # Each worker's caches, in entries (memory only: their keys are versions the database
    # keeps, so no entry is ever stale): free-slot answers and advisors' days, and events as a
    # registration reads them.
    SLOT_CACHE_SIZE = env_int("SLOT_CACHE_SIZE", 16)
    SLOT_CACHE_ADVISOR_SIZE = env_int("SLOT_CACHE_ADVISOR_SIZE", 640)
    EVENT_CACHE_SIZE = env_int("EVENT_CACHE_SIZE", 256)
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_FAILURES_PER_MINUTE = env_int("LOGIN_FAILURES_PER_MINUTE", 5)
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600 per minute")

    BABEL_DEFAULT_LOCALE = "ja"
    BABEL_DEFAULT_TIMEZONE = TIMEZONE
    LANGUAGES = ("ja", "en")
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SCHEDULER_ENABLED = env_bool("SCHEDULER_ENABLED", True)


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    # Every test creates accounts and signs in, and scrypt's deliberate slowness is most of
    # the suite's time; a cheap method keeps the same code path (the production setting has a
    # test of its own, tests/accounts/test_signup_and_login.py).
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    SCHEDULER_ENABLED = False
    MAIL_BACKEND = "memory"
    BASE_URL = "http://tsunagu.test"
    RATELIMIT_STORAGE_URI = "memory://"
    REDIS_URL = None
    # Uploaded materials stay out of the checkout (tests that look at the files set their own).
    MATERIALS_DIR = os.environ.get("MATERIALS_DIR") or str(
        Path(tempfile.gettempdir()) / "tsunagu-test-materials"
    )


class ProductionConfig(Config):
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
