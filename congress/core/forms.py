"""Forms every domain's pages share; they import nothing from the domains.

Why here: a bare button form is no registration concept, and the accounts and
dashboard pages need it as much as the attendee's pages do. Keeping it in the
kernel lets any domain use it without importing another domain. The same holds
for showing a service's refusal beside the field it names (``show_refusals``):
the attendee's, the proposals' and the organisers' forms all do it.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm

from congress.core.errors import DomainError
from congress.core.field_errors import refusals


class ButtonForm(FlaskForm):
    """A bare CSRF-protected form behind a single button (confirm, cancel, erase...)."""


def show_error(form: FlaskForm, field_name: str | None, message: Any) -> None:
    """Put ``message`` beside the form field the service named, or above the form."""
    field = getattr(form, field_name or "", None)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*list(field.errors or []), message]
    else:
        form.form_errors.append(message)


def show_refusals(form: FlaskForm, error: DomainError) -> None:
    """Every refusal ``error`` stands for (all of a ``FieldErrors``) beside its field."""
    for refusal in refusals(error):
        show_error(form, refusal.field, refusal.message)
