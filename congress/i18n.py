"""Language choice and translation helpers.

French is the default; ``?lang=en`` switches to English and the choice is
remembered in the session. ``lazy_gettext`` here differs from Flask-Babel's in
one way: in HTML its interpolated values are escaped. Flask-Babel's lazy string
declares itself safe HTML as a whole, so a talk title or a name placed into a
translated message (a flash, a field error) would reach the page unescaped.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request, session
from flask_babel import LazyString, gettext, ngettext
from markupsafe import Markup

__all__ = ["LANGUAGES", "gettext", "lazy_gettext", "ngettext", "select_locale"]

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


class SafeLazyString(LazyString):
    """A lazily translated message whose translation is trusted and whose values are not."""

    def __html__(self) -> Markup:
        (message,) = self._args
        template = Markup(gettext(message))  # noqa: S704  # nosec B704
        return template % self._kwargs if self._kwargs else template


def lazy_gettext(string: str, **variables: Any) -> SafeLazyString:
    return SafeLazyString(gettext, string, **variables)


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
