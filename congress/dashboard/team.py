"""The team page: organisers, their roles and second factors, invitations (administrators only).

Every change is one call into ``accounts.team``, which holds the rules (the
last active administrator stays one) and audits; this module only parses,
renders and redirects. Times are shown in the edition's zone (Paris without
an edition) with the French date typography of ``congress.typography``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from congress.accounts import (
    invitation_views,  # noqa: F401  (registers /team/invitation/<token> on the accounts blueprint)
    team,
)
from congress.accounts.forms import InviteForm, RoleForm
from congress.accounts.models import Role
from congress.accounts.permissions import Permission
from congress.core.errors import DomainError
from congress.core.forms import ButtonForm
from congress.dashboard.actions import button_action, run_flashed, show_refusal
from congress.dashboard.blueprint import bp, needs
from congress.dashboard.cfp_review_forms import OrganisationForm
from congress.edition.queries import display_zone
from congress.i18n import LANGUAGES, gettext
from congress.typography import long_date


def _role_choices() -> list[tuple[str, str]]:
    return [(role.value, str(team.ROLE_LABELS[role])) for role in Role]


def _moment(value: datetime | None, zone: ZoneInfo) -> str:
    """ "mardi 1er avril 2014, 09:05" in the edition's zone; a dash for never."""
    if value is None:
        return "—"
    local = value.astimezone(zone)
    return f"{long_date(local.date())}, {local:%H:%M}"


def _page(form: InviteForm, status: int = 200) -> tuple[str, int]:
    zone = display_zone()
    return render_template(
        "dashboard/team.html",
        members=team.team_members(),
        invitations=team.pending_invitations(),
        form=form,
        button=ButtonForm(),
        role_form=RoleForm(),
        organisation_form=OrganisationForm(),
        roles=_role_choices(),
        role_labels=team.ROLE_LABELS,
        moment=lambda value: _moment(value, zone),
        me=current_user.id,
    ), status


@bp.route("/team", methods=["GET", "POST"], endpoint="team")
@needs(Permission.MANAGE_ACCOUNTS)
def team_page() -> Any:
    form = InviteForm()
    form.role.choices = _role_choices()
    if not form.is_submitted():
        form.role.data = Role.EDITOR.value
        return _page(form)
    if not form.validate_on_submit():
        return _page(form, 400)
    language = str(get_locale() or "fr")
    try:
        issued = team.invite(
            form.email.data or "",
            Role(form.role.data),
            invited_by=current_user._get_current_object(),
            base_url=current_app.config["BASE_URL"],
            language=language if language in LANGUAGES else "fr",
        )
    except DomainError as error:
        return _page(form, show_refusal(form, error))
    flash(
        gettext("Invitation sent to %(email)s.", email=issued.invitation.email),
        "success",
    )
    return redirect(url_for("dashboard.team"))


@bp.post("/team/<int:user_id>/role")
@needs(Permission.MANAGE_ACCOUNTS)
def team_role(user_id: int) -> Response:
    form = RoleForm()
    form.role.choices = _role_choices()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        flash(gettext("Choose a role."), "error")
        return redirect(url_for("dashboard.team"))
    run_flashed(lambda: team.change_role(user_id, Role(form.role.data)), gettext("Role changed."))
    return redirect(url_for("dashboard.team"))


@bp.post("/team/<int:user_id>/organisation")
@needs(Permission.MANAGE_ACCOUNTS)
def team_organisation(user_id: int) -> Response:
    """Where a team member works: reviewers do not see proposals from there."""
    form = OrganisationForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        flash(" ".join(str(error) for error in form.organisation.errors), "error")
        return redirect(url_for("dashboard.team") + f"#member-{user_id}")
    run_flashed(
        lambda: team.set_organisation(user_id, form.organisation.data or ""),
        gettext("Organisation saved."),
    )
    return redirect(url_for("dashboard.team") + f"#member-{user_id}")


@bp.post("/team/<int:user_id>/disable")
@needs(Permission.MANAGE_ACCOUNTS)
def team_disable(user_id: int) -> Response:
    return button_action(
        lambda: team.disable(user_id),
        gettext("The account is disabled; its sessions have ended."),
        url_for("dashboard.team"),
    )


@bp.post("/team/<int:user_id>/enable")
@needs(Permission.MANAGE_ACCOUNTS)
def team_enable(user_id: int) -> Response:
    return button_action(
        lambda: team.enable(user_id),
        gettext("The account is active again."),
        url_for("dashboard.team"),
    )


@bp.post("/team/<int:user_id>/second-factor/reset")
@needs(Permission.MANAGE_ACCOUNTS)
def team_reset_second_factor(user_id: int) -> Response:
    return button_action(
        lambda: team.reset_second_factor(user_id),
        gettext("The second factor is reset; a new one is set up at the next login."),
        url_for("dashboard.team"),
    )


@bp.post("/team/invitations/<int:invitation_id>/revoke")
@needs(Permission.MANAGE_ACCOUNTS)
def team_revoke_invitation(invitation_id: int) -> Response:
    return button_action(
        lambda: team.revoke_invitation(invitation_id),
        gettext("The invitation is withdrawn."),
        url_for("dashboard.team"),
    )
