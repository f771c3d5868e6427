"""Sign-in, sign-up with e-mail confirmation, password reset, sign-out."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from werkzeug.exceptions import TooManyRequests

from booking.accounts import services
from booking.accounts.forms import LoginForm, ResetForm, ResetRequestForm, SignupForm
from booking.errors import TooManyAttempts
from booking.extensions import limiter
from booking.main.forms import safe_next
from booking.main.templating import current_locale
from booking.ratelimit import login_key
from booking.refusals import form_page, refusals
from booking.timefmt import now_utc
from booking.unit_of_work import keep_changes

bp = Blueprint("accounts", __name__, url_prefix="/account")


def _login_limit() -> str:
    return f"{current_app.config['LOGIN_FAILURES_PER_MINUTE']} per minute"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    _login_limit, key_func=login_key, methods=["POST"], deduct_when=lambda r: r.status_code != 302
)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None and user.email_confirmed_at is None:
            # The password was right, so it is safe to say why and to send the link again.
            services.resend_confirmation(user, now_utc())
            keep_changes()  # the answer refuses the login; the mail it planned still goes
            form.email.errors.append(
                _(
                    "メールアドレスの確認が済んでいません。確認メールを再送しましたので、メールのリンクを開いてください。"
                )
            )
            return render_template("accounts/login.html", form=form), 403
        if user is not None:
            login_user(user)
            home = _home_of(user)
            return redirect(safe_next(request.args.get("next")) or url_for(home))
        form.password.errors.append(_("メールアドレスまたはパスワードが正しくありません。"))
        return render_template("accounts/login.html", form=form), 401
    return form_page("accounts/login.html", form)


def _home_of(user) -> str:
    """Where a sign-in lands: advisors on their desk, staff and admins on the dashboard they
    run the day from, members and guests on My Page."""
    if user.role == "advisor":
        return "desk.schedule_view"
    return "staff.dashboard" if user.is_staff else "mypage.index"


@bp.errorhandler(TooManyRequests)
def too_many_attempts(_exc):
    form = LoginForm()
    form.validate()
    throttled = TooManyAttempts(
        _(
            "ログインの失敗が続いたため、一時的に制限しています。1分ほど待ってからもう一度お試しください。"
        )
    )
    return render_template("accounts/login.html", form=form, throttled=throttled), 429


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("ログアウトしました。"), "info")
    return redirect(url_for("main.home"))


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        details = services.PersonDetails(
            form.family_name.data, form.given_name.data, form.family_kana.data,
            form.given_kana.data, form.phone.data,
        )  # fmt: skip
        with refusals(form):
            # The same answer whether or not the address was free (see sign_up_guest).
            services.sign_up_guest(
                form.email.data, form.password.data, details, current_locale(), now_utc(),
                company_name=form.company_name.data or "",
            )  # fmt: skip
            return redirect(url_for("accounts.signup_sent"))
    return form_page("accounts/signup.html", form)


@bp.get("/signup/sent")
def signup_sent():
    return render_template("accounts/signup_sent.html")


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """GET only shows a button: mail scanners follow links, and must not spend the token."""
    if request.method == "GET":
        user = services.peek_link_token(token, "confirm", now_utc())
        return render_template("accounts/confirm.html", valid=user is not None), (
            200 if user else 404
        )
    user = services.confirm_email(token, now_utc())
    if user is None:
        return render_template("accounts/confirm.html", valid=False), 404
    flash(_("メールアドレスを確認しました。ログインしてください。"), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data, now_utc())
        # The same answer whether or not the account exists.
        return render_template("accounts/reset_sent.html")
    return form_page("accounts/reset_request.html", form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    form = ResetForm()
    if services.peek_link_token(token, "reset", now_utc()) is None:
        return render_template("accounts/reset.html", form=None), 404
    if form.validate_on_submit():
        with refusals(form):
            user = services.reset_password(token, form.password.data, now_utc())
            login_user(user)
            flash(_("パスワードを変更しました。"), "success")
            return redirect(url_for("mypage.index"))
    return form_page("accounts/reset.html", form)
