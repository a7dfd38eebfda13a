"""French typography that a translation catalog alone cannot carry.

Why: a catalog entry is written once, but French changes with the values put
into it. The first day of a month is "1er", not "1"; "de" and "à" before a
name elide ("d'APSSIS") or merge with the name's article ("au Mans", "des
Sables-d'Olonne"). These helpers are used by the template filters and the
e-mails alike, and leave English untouched.
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import format_date, get_locale
from markupsafe import Markup, escape

__all__ = ["date_range", "long_date", "with_name", "with_names"]

VOWELS = "aeiouyàâäéèêëîïôöùûüÿæœ"

# Names that begin with a common noun take the article in French: "au Congrès
# national…", "du Salon…". Kept short and explicit rather than guessed.
_ARTICLED_NOUNS = ("congrès", "colloque", "salon", "forum", "symposium", "séminaire")

_CONTRACTED = {
    ("de", "le"): "du",
    ("de", "les"): "des",
    ("à", "le"): "au",
    ("à", "les"): "aux",
}


def _language(language: str | None) -> str:
    return language or str(get_locale() or "fr")


def long_date(day: date) -> str:
    """The full date, "mardi 1er avril 2014" in French for the first of a month.

    Babel writes "mardi 1 avril 2014": French typography wants the ordinal
    "1er" for the first day only. English ("Tuesday, April 1, 2014") is kept.
    """
    text = format_date(day, format="full")  # in the request's language
    if day.day == 1 and _language(None).startswith("fr"):
        text = re.sub(r"(?<!\d)1(?=\s)", "1er", text, count=1)
    return text


def _day_words(day: date, *, month: bool, year: bool, french: bool) -> str:
    """ "mardi 1er avril 2014" / "Tuesday 1 April 2014", or shorter when the range shares them."""
    weekday = format_date(day, format="EEEE")
    number = "1er" if french and day.day == 1 else str(day.day)
    words = [weekday, number]
    if month:
        words.append(format_date(day, format="MMMM"))
    if year:
        words.append(str(day.year))
    return " ".join(words)


def date_range(first: date, last: date) -> str:
    """The edition's days as a sentence says them, in the request's language.

    French: "du mardi 1er au jeudi 3 avril 2014" (month and year written once
    when shared, "1er" for a first day); English, day before month as British
    usage and the site's other English pages: "Tuesday 1 to Thursday 3 April
    2014". One day is that day alone. Why not a catalog entry: which words the
    two ends share depends on the dates, not on the language.
    """
    french = _language(None).startswith("fr")
    if first == last:
        return _day_words(first, month=True, year=True, french=french)
    same_year = first.year == last.year
    same_month = same_year and first.month == last.month
    start = _day_words(first, month=not same_month, year=not same_year, french=french)
    end = _day_words(last, month=True, year=True, french=french)
    return f"du {start} au {end}" if french else f"{start} to {end}"


def with_name(preposition: str, name: str, language: str | None = None) -> str:
    """``preposition`` ("de" or "à") joined to ``name`` as French writes it.

    "de" + "APSSIS" → "d'APSSIS"; "à" + "Le Mans" → "au Mans"; "de" + "Les
    Herbiers" → "des Herbiers"; "à" + "Congrès national" → "au Congrès
    national". Anything else, and every language but French, is unchanged.
    """
    if not name or not _language(language).startswith("fr"):
        return f"{preposition} {name}"
    lower = preposition.lower()
    first, _, rest = name.partition(" ")
    article = first.lower()
    if rest and (lower, article) in _CONTRACTED:
        joined = _CONTRACTED[(lower, article)]
        return f"{_same_case(joined, preposition)} {rest}"
    if article in _ARTICLED_NOUNS and lower in ("de", "à"):
        joined = "du" if lower == "de" else "au"
        return f"{_same_case(joined, preposition)} {name}"
    if lower == "de" and name[0].lower() in VOWELS:
        return f"{preposition[0]}'{name}"
    return f"{preposition} {name}"


def _same_case(word: str, model: str) -> str:
    return word.capitalize() if model[:1].isupper() else word


_PREPOSITION = re.compile(r"(?<![\w'’])([Dd]e|[Àà]|[Aa]u) $")


def with_names(text: str, *names: str, language: str | None = None) -> str:
    """``text`` (a translated sentence) with "de"/"à" fixed before each of ``names``.

    Why here and not in the catalog: the sentence is translated once, but
    whether "de" becomes "d'" or "du" depends on the name put into it. Only the
    preposition right before an inserted name is touched, so ordinary words
    ("avant de le faire") are never rewritten. "au %(city)s" written in a
    catalog is treated as "à". Markup in, Markup out.
    """
    if not _language(language).startswith("fr"):
        return text
    result = str(text)
    for name in names:
        if not name:
            continue
        shown = str(escape(name)) if isinstance(text, Markup) else name
        result = _join_before(result, shown, language)
    # Safe: ``result`` is the given markup with only a preposition rewritten
    # before an already escaped name.
    return Markup(result) if isinstance(text, Markup) else result  # noqa: S704  # nosec B704


def _join_before(text: str, name: str, language: str | None) -> str:
    pieces: list[str] = []
    start = 0
    for found in re.finditer(re.escape(name), text):
        before = text[start : found.start()]
        preposition = _PREPOSITION.search(before)
        if preposition is None:
            pieces.append(before + name)
        else:
            word = preposition.group(1)
            word = "à" if word.lower() == "au" else ("À" if word == "Au" else word)
            pieces.append(before[: preposition.start()] + with_name(word, name, language))
        start = found.end()
    pieces.append(text[start:])
    return "".join(pieces)
