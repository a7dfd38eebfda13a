"""Text helpers for slugs and accent-insensitive search keys."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


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
