"""The page an invited organiser opens from their e-mail: choose a name and a password.

Why apart from ``accounts.views``: it is the only public accounts page reached
through a capability link, and its refusals (unknown, used, withdrawn or
expired link) each need their own clear 4xx page rather than a form error.
The account is created here but not logged in: the new organiser logs in
through the ordinary form, so an administrator goes through the usual
second-factor enrolment (``needs_totp_setup``) like any other.
"""

from __future__ import annotations

from typing import Any

from flask import flash, make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from congress.accounts import team
from congress.accounts.forms import AcceptInvitationForm
from congress.accounts.models import Role
from congress.accounts.password_policy import MIN_LENGTH
from congress.accounts.views import bp
from congress.core.errors import DomainError, Expired
from congress.extensions import db, limiter
from congress.i18n import gettext

_LINK_ERRORS = (team.UnknownInvitation, team.InvitationUnusable, Expired)


def _private(body: str, status: int) -> Response:
    """The page's address carries the token: never stored, never sent on as a Referer.

    ``security.security_headers`` only sets its defaults around these (``setdefault``).
    """
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    response.headers["Referrer-Policy"] = "strict-origin"
    return response


def _refused(error: DomainError) -> Response:
    db.session.rollback()
    body = render_template("accounts/invitation_invalid.html", message=error.message)
    return _private(body, error.status_code)


@bp.route("/team/invitation/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def invitation(token: str) -> Any:
    try:
        pending = team.invitation_for_token(token)
    except _LINK_ERRORS as error:
        return _refused(error)
    form = AcceptInvitationForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                user = team.accept_invitation(
                    token, form.display_name.data or "", form.password.data or ""
                )
            except _LINK_ERRORS as error:
                return _refused(error)
            except DomainError as error:
                db.session.rollback()
                field = getattr(form, error.field or "", None)
                if field is not None and hasattr(field, "errors"):
                    field.errors = [*list(field.errors or []), error.message]
                else:
                    form.form_errors.append(error.message)
                status = error.status_code
                pending = team.invitation_for_token(token)
            else:
                message = gettext("Your account is ready. Log in with your new password.")
                if user.role is Role.ADMIN:
                    message += " " + gettext(
                        "As an administrator you will then set up a second factor."
                    )
                flash(message, "success")
                return redirect(url_for("accounts.login"))
    body = render_template(
        "accounts/invitation.html",
        form=form,
        invitation=pending,
        role_label=team.ROLE_LABELS[pending.role],
        min_length=MIN_LENGTH,
    )
    return _private(body, status)
