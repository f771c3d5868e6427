import pytest

from booking import create_app
from config import env_bool, normalise_database_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("YES", True), ("on", True),
     ("0", False), ("false", False), ("no", False), ("off", False)],
)  # fmt: skip
def test_booleans_accept_every_documented_spelling(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", not expected) is expected


def test_a_boolean_that_is_not_one_is_refused(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ValueError, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_postgres_urls_are_routed_through_psycopg3():
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": None})


def test_production_starts_with_a_secret_key(tmp_path):
    app = create_app(
        {"ENV_NAME": "production", "SECRET_KEY": "x" * 32,
         "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}"}
    )  # fmt: skip
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SCHEDULER_ENABLED"] is False


def test_a_malformed_reminder_offset_stops_start_up():
    with pytest.raises(ValueError, match="REMINDER_OFFSETS"):
        create_app({"ENV_NAME": "testing", "REMINDER_OFFSETS": "P1D,tomorrow"})


def test_the_contract_defaults():
    app = create_app("testing")
    from config import Config

    assert Config.REMINDER_OFFSETS == "P1D,PT1H"
    assert Config.DISPATCH_INTERVAL == 15
    assert Config.TIMEZONE == "Asia/Tokyo"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "ja"


def _app_built_inside(command: str, tmp_path):
    import click

    parent = click.Context(click.Group("flask"), info_name="flask")
    with parent, click.Context(click.Command(command), parent=parent, info_name=command):
        return create_app(
            {"ENV_NAME": "testing", "SCHEDULER_ENABLED": True,
             "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 's.sqlite'}"}
        )  # fmt: skip


def test_flask_commands_other_than_run_start_no_background_dispatcher(tmp_path):
    app = _app_built_inside("upgrade", tmp_path)
    assert "scheduler" not in app.extensions


def test_flask_run_starts_the_background_dispatcher(tmp_path):
    app = _app_built_inside("run", tmp_path)
    scheduler = app.extensions["scheduler"]
    try:
        assert scheduler.running
    finally:
        scheduler.shutdown(wait=False)
