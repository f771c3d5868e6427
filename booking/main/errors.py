"""Error pages: friendly HTML for people, `{"error": {code, message}}` for the API."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from booking.errors import DomainError


def wants_json() -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, code: str, message: str):
    return jsonify(error={"code": code, "message": str(message)}), status


_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "invalid", 429: "too_many_requests",
}  # fmt: skip


def _messages() -> dict[int, str]:
    return {
        400: _("リクエストの内容が正しくありません。"),
        401: _("ログインが必要です。"),
        403: _("この操作を行う権限がありません。"),
        404: _("お探しのページは見つかりませんでした。"),
        405: _("この方法では操作できません。"),
        413: _("送信された内容が大きすぎます。"),
        429: _("短時間に多くの操作が行われました。しばらくしてからもう一度お試しください。"),
        500: _("申し訳ありません。システムで問題が発生しました。"),
    }


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        message = _messages().get(status, exc.description or "")
        if wants_json():
            return api_error(status, _CODES.get(status, "error"), message)
        return render_template("errors/error.html", status=status, message=message), status

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        if wants_json():
            return api_error(exc.status, exc.code, exc.message)
        return render_template("errors/error.html", status=exc.status, message=exc.message), (
            exc.status
        )

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return http_error(exc)
        app.logger.exception("unhandled error")
        if app.config.get("TESTING") and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise exc
        if wants_json():
            return api_error(500, "internal", _messages()[500])
        return render_template("errors/error.html", status=500, message=_messages()[500]), 500
