"""Organiser login form (shape only)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from congress.i18n import lazy_gettext as _l

REQUIRED = _l("This field is required.")


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(REQUIRED), Length(max=254)],
        render_kw={"autocomplete": "username", "maxlength": 254},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(REQUIRED), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[DataRequired(REQUIRED), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text", "maxlength": 40},
    )


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(REQUIRED), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(REQUIRED), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password, again"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("new_password", _l("The two passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class InviteForm(FlaskForm):
    """An administrator invites an organiser; the role choices come from ``accounts.team``."""

    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(REQUIRED), Length(max=254)],
        render_kw={"autocomplete": "off", "maxlength": 254},
    )
    role = SelectField(_l("Team role"), validators=[DataRequired(REQUIRED)])


class RoleForm(FlaskForm):
    """Another role for one organiser (one small form per row of the team table)."""

    role = SelectField(_l("Team role"), validators=[DataRequired(REQUIRED)])


class AcceptInvitationForm(FlaskForm):
    display_name = StringField(
        _l("Your name, as other organisers will see it"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name", "maxlength": 120},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(REQUIRED), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Password, again"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", _l("The two passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
