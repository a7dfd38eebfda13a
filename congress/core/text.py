"""Text helpers for slugs and accent-insensitive search keys."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_NON_WORD = re.compile(r"[^a-z0-9]+")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def fold(text: str) -> str:
    """Lower-case, accent-free form used for search ("Sécurité" -> "securite")."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def slugify(text: str, *, max_length: int = 80) -> str:
    """URL-safe slug from a title; never empty."""
    slug = _NON_WORD.sub("-", fold(text)).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or "item"


def parse_day(value: str) -> date | None:
    """A day written exactly YYYY-MM-DD, else None.

    ``date.fromisoformat`` also takes 20140401 or 2014-W14-2 since Python 3.11;
    one spelling per day keeps URLs (and caches keyed by them) canonical.
    """
    if not _ISO_DAY.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
