import logging

from booking.logsafe import redact
from tests.conftest import make_app


def test_secret_tokens_in_paths_are_redacted_from_logs():
    line = '"GET /account/reset/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd HTTP/1.1" 200'
    assert "AbCdEfGh" not in redact(line)
    assert "/account/reset/[redacted]" in redact(line)


def test_the_access_log_filter_redacts_tokens(app, caplog):
    logger = logging.getLogger("werkzeug")
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logger.info('"%s" %s', "GET /calendar/SecretSecretSecretSecret1234.ics HTTP/1.1", 200)
    assert "SecretSecret" not in caplog.text


def test_forms_need_a_csrf_token_when_csrf_is_on(app, database_url, make_user):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = make_user("member")
        response = app.test_client().post(
            "/account/login", data={"email": user.email, "password": "x"}
        )
    assert response.status_code == 400


def test_login_limit_is_shared_by_workers_through_redis(app, database_url, make_user, redis_url):
    worker_a = make_app(database_url, RATELIMIT_STORAGE_URI=redis_url)
    worker_b = make_app(database_url, RATELIMIT_STORAGE_URI=redis_url)
    with worker_a.app_context():
        email = make_user("member").email

    def attempt(worker):
        form = {"email": email, "password": "wrong"}
        return worker.test_client().post("/account/login", data=form).status_code

    for worker in (worker_a, worker_b, worker_a, worker_b, worker_a):
        assert attempt(worker) == 401
    assert attempt(worker_b) == 429
