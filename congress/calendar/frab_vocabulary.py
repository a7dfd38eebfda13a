"""The words our frab/Pentabarf schedule files are written in, spelled once for both sides.

``calendar.schedule`` writes ``/schedule.xml`` and ``/schedule.json``;
``interchange.frab_*`` reads them back, as it reads frab's and pretalx's
files. Where the schemas leave no field for a fact, our files carry it in
the text (see ``calendar.schedule``): a title prefix for a cancelled
session, the sharing label opening the abstract, a common area for sessions
without a room, a default track. The reader can only undo what the writer
did if both use the same words, so they live here and nowhere else; the
round-trip tests (export, then import into an empty database) check the
pair.

This module sits in ``calendar`` because the writer does and imports point
down: ``interchange`` is above every domain and may import it.

Nothing here touches Flask: the writer is pure, and a file may be parsed
outside any application context. The cancelled prefix is therefore read
from the compiled catalogues with Babel itself, the same ``.mo`` files that
Flask-Babel serves to pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Final

from babel.support import NullTranslations, Translations

from congress.core.text import fold
from congress.i18n import DEFAULT_LANGUAGE, LANGUAGES
from congress.programme.models import Disclosure, TalkKind

__all__ = [
    "COMMON_AREA_NAME",
    "COMMON_AREA_SLUG",
    "DEFAULT_TRACK_NAME",
    "DISCLOSURES_BY_LABEL",
    "DISCLOSURE_LABELS",
    "FEED_LANGUAGE",
    "GENERATOR_NAME",
    "cancelled_title",
    "frab_type",
    "kind_for",
    "split_cancelled",
    "withheld_notice",
]

#: ``<generator name>``: tells the reader a file is ours, so the markers below apply.
GENERATOR_NAME: Final = "congress"
#: Room given to talks without one (breaks, social events), listed after the real rooms.
COMMON_AREA_NAME: Final = "Espace commun"
COMMON_AREA_SLUG: Final = "espace-commun"
#: The XSD requires a ``track`` on every event; apps group and colour by it.
DEFAULT_TRACK_NAME: Final = "Général"

#: How each sharing label is written in the files; ``Disclosure.NONE`` has none.
DISCLOSURE_LABELS: Final[Mapping[Disclosure, str]] = {
    Disclosure.TLP_CLEAR: "TLP:CLEAR",
    Disclosure.TLP_GREEN: "TLP:GREEN",
    Disclosure.TLP_AMBER: "TLP:AMBER",
    Disclosure.TLP_RED: "TLP:RED",
    Disclosure.CHATHAM_HOUSE: "Chatham House",
}
DISCLOSURES_BY_LABEL: Final[Mapping[str, Disclosure]] = {
    label: disclosure for disclosure, label in DISCLOSURE_LABELS.items()
}

#: The files are public: an AMBER or RED abstract is replaced by this notice.
_WITHHELD_NOTICE: Final = "Résumé réservé aux participants inscrits ({label})."

#: The language of the files' own words, whatever the visitor's: one file for
#: every app, and its fixed words (common area, default track) are French.
FEED_LANGUAGE: Final = DEFAULT_LANGUAGE
#: The message the ``.ics`` feeds use for a cancelled session's title.
_CANCELLED_MESSAGE: Final = "[Cancelled] %(title)s"
#: How files written before the title followed the catalogue marked a cancellation.
_LEGACY_CANCELLED: Final = ("[ANNULÉ] %(title)s",)
_TRANSLATIONS: Final = Path(__file__).resolve().parents[1] / "translations"

#: Our kinds are written as their own value (``round_table``); other tools' types
#: are read by their folded form (case, accents, ``-``/``_`` ignored).
_OTHER_TYPES: Final[Mapping[str, TalkKind]] = {
    "lecture": TalkKind.TALK,
    "panel": TalkKind.ROUND_TABLE,
    "podium": TalkKind.ROUND_TABLE,
    "party": TalkKind.SOCIAL,
}


def withheld_notice(label: str) -> str:
    """The text standing for an abstract the public files may not show."""
    return _WITHHELD_NOTICE.format(label=label)


def frab_type(kind: TalkKind) -> str:
    """The ``type`` written for a kind: its own value, which ``kind_for`` reads back."""
    return kind.value


def _type_key(value: str | None) -> str:
    return " ".join(fold(value or "").replace("_", " ").replace("-", " ").split())


_KINDS: Final[Mapping[str, TalkKind]] = {
    **{_type_key(frab_type(kind)): kind for kind in TalkKind},
    **_OTHER_TYPES,
}


def kind_for(value: str | None) -> TalkKind:
    """Our kind for a frab ``type`` (case, accents, ``-``/``_`` ignored); unknown is a talk."""
    return _KINDS.get(_type_key(value), TalkKind.TALK)


def cancelled_title(title: str) -> str:
    """A cancelled session's title, worded as the ``.ics`` feeds word it, in ``FEED_LANGUAGE``."""
    return _catalogue(FEED_LANGUAGE).gettext(_CANCELLED_MESSAGE) % {"title": title}


def split_cancelled(title: str) -> tuple[str, bool]:
    """``(title, True)`` without its cancelled marking, else ``(title, False)``.

    Reads the marking in every language of the site, untranslated, and as
    older files wrote it: a file stays readable whoever wrote it and whenever.
    """
    for template in _cancelled_templates():
        prefix, _, suffix = template.partition("%(title)s")
        inner_length = len(title) - len(prefix) - len(suffix)
        if inner_length > 0 and title.startswith(prefix) and title.endswith(suffix):
            return title[len(prefix) : len(prefix) + inner_length].strip(), True
    return title, False


@lru_cache(maxsize=1)
def _cancelled_templates() -> tuple[str, ...]:
    found = [_catalogue(language).gettext(_CANCELLED_MESSAGE) for language in LANGUAGES]
    return tuple(dict.fromkeys([*found, _CANCELLED_MESSAGE, *_LEGACY_CANCELLED]))


@lru_cache(maxsize=len(LANGUAGES))
def _catalogue(language: str) -> NullTranslations:
    """The compiled catalogue Flask-Babel would use for ``language`` (untranslated if none)."""
    return Translations.load(str(_TRANSLATIONS), [language])
