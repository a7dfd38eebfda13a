"""URL building for the long loops of the programme."""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import g, url_for

# Characters Werkzeug's default converter leaves unquoted in a path segment.
PATH_SEGMENT_SAFE = "!$&'()*+,/:;=@"
_SAMPLE_SLUG = "slug-sample"
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]+")


def slug_prefix(endpoint: str) -> str:
    """The path of ``endpoint`` up to its slug, built once per request."""
    prefixes: dict[str, str] = g.setdefault("slug_url_prefixes", {})
    prefix = prefixes.get(endpoint)
    if prefix is None:
        sample = url_for(endpoint, slug=_SAMPLE_SLUG)
        if not sample.endswith(_SAMPLE_SLUG):
            raise ValueError(f"{endpoint} does not end with its slug")
        prefix = prefixes[endpoint] = sample[: -len(_SAMPLE_SLUG)]
    return prefix


def with_slug(prefix: str, slug: str) -> str:
    """``prefix`` followed by ``slug`` quoted as a path segment."""
    if _UNRESERVED.fullmatch(slug):  # what quote() would leave as it is anyway
        return prefix + slug
    return prefix + quote(slug, safe=PATH_SEGMENT_SAFE)


def slug_url(endpoint: str, slug: str) -> str:
    """``url_for(endpoint, slug=slug)`` for the long loops of the programme.

    The endpoint's path is built once per request with a sample slug, then
    each slug is quoted as Werkzeug's default converter quotes a path
    segment; ``url_for`` itself cost a fifth of a 1,000-talk page. Only for
    rules whose single argument is ``slug`` (a test compares the results).
    """
    return with_slug(slug_prefix(endpoint), slug)
