"""Organiser login (password, then second factor), logout and account settings.

A failed login answers the same whether or not the account exists, and costs
the same. Logging in starts a fresh session; logging out raises the account's
session version, so a copy of the old cookie no longer opens anything.
Sessions end after 30 minutes without activity and 12 hours after login.
"""

from __future__ import annotations

import time
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

import segno
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from congress.accounts import services
from congress.accounts.forms import CodeForm, LoginForm, PasswordChangeForm
from congress.accounts.models import User
from congress.accounts.second_factor_lock import SecondFactorLocked
from congress.core.errors import DomainError
from congress.core.forms import ButtonForm
from congress.core.security_log import log_event
from congress.extensions import db, limiter
from congress.i18n import gettext

bp = Blueprint("accounts", __name__)

INACTIVITY_SECONDS = 30 * 60
LIFETIME_SECONDS = 12 * 3600
SECOND_FACTOR_SECONDS = 5 * 60


def safe_next(target: str | None) -> str:
    """Only a path on this site: ``next=`` never sends anyone elsewhere."""
    default = url_for("dashboard.index")
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return default
    return target


def _account_key() -> str:
    """Rate-limit key for one account, whether or not it exists."""
    return "account:" + services.normalise_email(request.form.get("email", ""))[:254]


def _start_session(user: User) -> None:
    target = safe_next(request.args.get("next"))
    language = session.get("lang")
    session.clear()
    login_user(user, remember=False)
    stamp = int(time.time())
    session["auth_at"] = stamp
    session["seen_at"] = stamp
    if language:
        session["lang"] = language
    session["next"] = target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    "5 per minute",
    methods=["POST"],
    key_func=_account_key,
    deduct_when=lambda response: response.status_code == 401,
)
@limiter.limit("20 per minute", methods=["POST"])
def login() -> Any:
    form = LoginForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            outcome = services.authenticate(form.email.data or "", form.password.data or "")
            if outcome.user is not None and outcome.needs_second_factor:
                session.clear()
                session["2fa"] = {
                    "id": outcome.user.id,
                    "v": outcome.user.session_version,
                    "at": int(time.time()),
                    "next": safe_next(request.args.get("next")),
                }
                return redirect(url_for("accounts.second_factor"))
            if outcome.user is not None:
                _start_session(outcome.user)
                return redirect(_after_login(outcome.user))
            flash(gettext("Wrong e-mail address or password."), "error")
            log_event("login.failed")
            status = 401
        else:
            status = 400
    return render_template("accounts/login.html", form=form), status


def _after_login(user: User) -> str:
    target = session.pop("next", None) or url_for("dashboard.index")
    if services.needs_totp_setup(user):
        return url_for("accounts.totp_setup")
    return target


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def second_factor() -> Any:
    pending = session.get("2fa")
    if not pending or time.time() - pending.get("at", 0) > SECOND_FACTOR_SECONDS:
        session.pop("2fa", None)
        flash(gettext("Please log in again."), "error")
        return redirect(url_for("accounts.login"))
    user = db.session.get(User, pending["id"])
    if user is None or user.session_version != pending["v"] or not user.active:
        abort(404)
    form = CodeForm()
    status = 200
    headers: dict[str, str] = {}
    if request.method == "POST":
        try:
            valid = form.validate_on_submit() and services.verify_second_factor(
                user, form.code.data or ""
            )
        except SecondFactorLocked as error:
            flash(str(error.message), "error")
            log_event("login.second_factor_failed", locked=True)
            status = error.status_code
            headers["Retry-After"] = str(error.retry_after)
        else:
            if valid:
                target = pending.get("next")
                _start_session(user)
                session["next"] = target
                return redirect(_after_login(user))
            flash(gettext("This code is not valid."), "error")
            log_event("login.second_factor_failed")
            status = 401
    return render_template("accounts/second_factor.html", form=form), status, headers


@bp.post("/logout")
def logout() -> Any:
    if current_user.is_authenticated:
        services.end_sessions(current_user)
    logout_user()
    session.clear()
    flash(gettext("You are logged out."), "success")
    return redirect(url_for("accounts.login"))


@bp.before_app_request
def enforce_session_lifetime() -> Any:
    """End an organiser's session after inactivity or past its absolute lifetime."""
    if not current_user.is_authenticated:
        return None
    moment = int(time.time())
    started = session.get("auth_at", 0)
    seen = session.get("seen_at", 0)
    if moment - seen > INACTIVITY_SECONDS or moment - started > LIFETIME_SECONDS:
        logout_user()
        session.clear()
        flash(gettext("Your session has expired. Please log in again."), "error")
        if request.path.startswith(("/dashboard", "/account")):
            return redirect(url_for("accounts.login", next=request.path))
        return None
    session["seen_at"] = moment
    return None


def organiser_required(view: Any) -> Any:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.path))
        return view(*args, **kwargs)

    return wrapper


@bp.get("/account")
@organiser_required
def account() -> str:
    return render_template("accounts/account.html", button=ButtonForm(), form=PasswordChangeForm())


@bp.route("/account/2fa", methods=["GET", "POST"])
@organiser_required
def totp_setup() -> Any:
    user = current_user._get_current_object()
    form = CodeForm()
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            codes = services.confirm_totp_setup(user, form.code.data or "")
        except DomainError as error:
            form.code.errors = [error.message]
            status = 400
        else:
            return render_template("accounts/recovery_codes.html", codes=codes)
    # Reloading the page keeps the secret already scanned; a new one only when none is pending.
    secret = services.pending_secret(user) or services.start_totp_setup(user)
    from congress.accounts.totp import provisioning_uri

    uri = provisioning_uri(secret, user.email)
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
    return render_template(
        "accounts/totp_setup.html",
        form=form,
        secret=secret,
        qr=qr,
        required=services.needs_totp_setup(user),
    ), status


@bp.post("/account/recovery-codes")
@organiser_required
def recovery_codes() -> Any:
    if not ButtonForm().validate_on_submit() or not current_user.totp_enabled:
        abort(400)
    codes = services.regenerate_recovery_codes(current_user._get_current_object())
    return render_template("accounts/recovery_codes.html", codes=codes)


@bp.post("/account/2fa/disable")
@organiser_required
def totp_disable() -> Any:
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        services.disable_totp(current_user._get_current_object())
        flash(gettext("The second factor is off."), "success")
    except DomainError as error:
        flash(error.message, "error")
    return redirect(url_for("accounts.account"))


@bp.post("/account/password")
@organiser_required
def password() -> Any:
    form = PasswordChangeForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        try:
            services.change_password(
                user, form.current_password.data or "", form.new_password.data or ""
            )
        except DomainError as error:
            target = getattr(form, error.field or "new_password", form.new_password)
            target.errors = [error.message]
        else:
            _start_session(user)  # the old session version is gone; keep this one alive
            flash(gettext("Password changed; your other sessions are closed."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", button=ButtonForm(), form=form), 400
