"""Organiser login and logout.

The answer to a failed login is the same whether or not the account exists,
and costs the same (an unknown address still pays for one Argon2 check).
Logging in starts a fresh session; logging out raises the account's session
version, so a copy of the old cookie no longer opens anything.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from congress.accounts import services
from congress.accounts.forms import LoginForm
from congress.i18n import lazy_gettext as _l

bp = Blueprint("accounts", __name__)


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


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            user = services.authenticate(form.email.data or "", form.password.data or "")
            if user is not None:
                target = safe_next(request.args.get("next"))
                session.clear()
                login_user(user, remember=False)
                return redirect(target)
            flash(_l("Wrong e-mail address or password."), "error")
            status = 401
        else:
            status = 400
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout() -> Any:
    if current_user.is_authenticated:
        services.end_sessions(current_user)
    logout_user()
    session.clear()
    flash(_l("You are logged out."), "success")
    return redirect(url_for("accounts.login"))
