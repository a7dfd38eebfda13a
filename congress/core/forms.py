"""Forms every domain's pages share; they import nothing from the domains.

Why here: a bare button form is no registration concept, and the accounts and
dashboard pages need it as much as the attendee's pages do. Keeping it in the
kernel lets any domain use it without importing another domain.
"""

from __future__ import annotations

from flask_wtf import FlaskForm


class ButtonForm(FlaskForm):
    """A bare CSRF-protected form behind a single button (confirm, cancel, erase...)."""
