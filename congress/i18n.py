"""Language choice and translation helpers.

French is the default; ``?lang=en`` switches to English and the choice is
remembered in the session. ``lazy_gettext`` here differs from Flask-Babel's in
one way: in HTML its interpolated values are escaped. Flask-Babel's lazy string
declares itself safe HTML as a whole, so a talk title or a name placed into a
translated message (a flash, a field error) would reach the page unescaped.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from flask import has_request_context, request, session
from flask_babel import LazyString, get_locale, gettext, ngettext
from markupsafe import Markup, escape

__all__ = [
    "LANGUAGES",
    "TranslatedLabels",
    "gettext",
    "lazy_gettext",
    "ngettext",
    "select_locale",
]

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


K = TypeVar("K")


class TranslatedLabels(Mapping[K, Markup]):
    """A table of lazy labels as pages print it: translated once per language.

    Why: each lazy label asks Babel for its translation whenever it is printed,
    and a programme of 1,000 talks prints a kind badge per talk. The result
    is what printing the lazy label gives (``SafeLazyString.__html__``: a
    translation is trusted markup), looked up by the current language.
    """

    def __init__(self, lazy: Mapping[K, LazyString]) -> None:
        self._lazy = lazy
        self._by_language: dict[str, dict[K, Markup]] = {}

    def table(self, language: str) -> dict[K, Markup]:
        """The whole table in ``language``, for code that prints many labels at once."""
        table = self._by_language.get(language)
        if table is None:
            table = {key: escape(label) for key, label in self._lazy.items()}
            self._by_language[language] = table
        return table

    def __getitem__(self, key: K) -> Markup:
        return self.table(str(get_locale()))[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._lazy)

    def __len__(self) -> int:
        return len(self._lazy)


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
