"""How a dashboard view runs one service call and tells the organiser how it went.

A service either commits its whole change or raises a ``DomainError``. When it
raises, the session may still hold what it had begun (an object added, an
attribute set), so every refusal here rolls back before anything else touches
the database: the page drawn next, or the audit of a page view, would
otherwise flush half of a refused change. Then the refusal is shown: beside its
field when the page has a form, as a flash message when the page was a button.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from congress.core.errors import DomainError
from congress.core.forms import ButtonForm, show_error, show_refusals
from congress.extensions import db

__all__ = ["button_action", "run_flashed", "save_form", "show_error", "show_refusal"]


def show_refusal(form: FlaskForm, error: DomainError) -> int:
    """Roll back, show each refusal beside its field (or above the form); its 4xx status."""
    db.session.rollback()
    show_refusals(form, error)
    return error.status_code


def save_form(
    form: FlaskForm, action: Callable[[], object], done: Callable[[], Any], target: str
) -> Response | int:
    """Validate, run one service call, flash ``done()`` and redirect; else the status to render.

    The answer is a redirect once the change is made, 400 for a form that fails its
    checks, or the service's status after ``show_refusal``. ``done`` is called only
    after a success, so it may describe what the form now holds; pages build it with
    the eager ``gettext``, whose plain string the layout escapes like any other.
    """
    if not form.validate_on_submit():
        return 400
    try:
        action()
    except DomainError as error:
        return show_refusal(form, error)
    flash(done(), "success")
    return redirect(target)


def run_flashed(action: Callable[[], object], done: Any) -> bool:
    """Run one service call and flash ``done``; on a refusal roll back and flash it instead.

    The refusal is flashed as a plain string, which the layout escapes. True when
    the change was made.
    """
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return False
    flash(done, "success")
    return True


def button_action(
    action: Callable[[], object], done: Any, target: str, *, refused_target: str | None = None
) -> Response:
    """The whole answer to a page's single button: CSRF check, one service call, redirect.

    A form without a valid CSRF token is a 400 before anything runs. After a
    refusal the organiser goes to ``refused_target`` (by default ``target``): a
    refused deletion leaves them on the page of the object they tried to delete.
    """
    if not ButtonForm().validate_on_submit():
        abort(400)
    made = run_flashed(action, done)
    return redirect(target if made or refused_target is None else refused_target)
