"""Markdown from organisers, rendered then sanitised.

markdown-it-py renders with raw HTML disabled, and nh3 (ammonia) keeps only an
allow-list of tags and attributes on top of that: two locks, so a mistake in one
configuration never lets script or event handlers through.
"""

from __future__ import annotations

import html as html_module
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "blockquote", "h3", "h4"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
#: Abstracts kept converted to plain text, per process (a few hundred bytes each).
TEXT_CACHE_SIZE = 4096


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(text: str) -> Markup:
    """Safe HTML for a Markdown text; links get rel=noopener noreferrer nofollow."""
    html = _parser().render(text or "")
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704  # nosec B704


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def markdown_to_text(text: str) -> str:
    """Plain text for feeds (ICS DESCRIPTION): tags dropped, entities decoded.

    Cached: a pure function of its argument, and every cold build of a feed
    converts the same abstracts again (a quarter of a millisecond each). The
    bound keeps a process's memory in check whatever the size of the programme.
    """
    html = _parser().render(text or "")
    stripped = nh3.clean(html, tags=set())
    return html_module.unescape(stripped).strip()


def markdown_source_as_text(text: str) -> str:
    """The Markdown source itself as plain text, anything tag-shaped removed.

    For an e-mail's text part: Markdown is written to be read as it is, and its
    links stay visible (``[programme](https://…)``) where ``markdown_to_text``
    would keep only the words.
    """
    return html_module.unescape(nh3.clean(text or "", tags=set())).strip()
