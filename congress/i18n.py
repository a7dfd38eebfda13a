"""Language choice: French by default, English on request, remembered in the session."""

from __future__ import annotations

from flask import has_request_context, request, session
from flask_babel import gettext, lazy_gettext, ngettext

__all__ = ["LANGUAGES", "gettext", "lazy_gettext", "ngettext", "select_locale"]

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


def select_locale() -> str:
    """``?lang=`` wins and is remembered; otherwise the session; otherwise French.

    The browser's Accept-Language is deliberately not consulted: the congress is
    French and its pages must read the same for every visitor until they switch.
    """
    if not has_request_context():  # CLI and workers speak the default language
        return DEFAULT_LANGUAGE
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    remembered = session.get("lang")
    if remembered in LANGUAGES:
        return remembered
    return DEFAULT_LANGUAGE
