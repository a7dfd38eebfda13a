"""The per-process LRU of cached bodies."""

from __future__ import annotations

import pytest

from congress.caching.pages import LocalPages, StoredPage

pytestmark = pytest.mark.unit

OVERHEAD = 200  # bytes counted per entry on top of its body


def _page(size: int) -> StoredPage:
    return StoredPage(b"x" * size, "text/html; charset=utf-8", {})


def test_local_pages_returns_what_was_put():
    pages = LocalPages(max_bytes=10_000)
    page = _page(100)

    pages.put("a", page)
    pages.put("a.gz", b"packed")

    assert pages.get("a") is page
    assert pages.get("a.gz") == b"packed"
    assert pages.get("b") is None
    assert pages.size == 100 + 6 + 2 * OVERHEAD


def test_local_pages_drops_the_least_recently_used_beyond_the_bound():
    pages = LocalPages(max_bytes=3 * (1000 + OVERHEAD))
    for key in ("a", "b", "c"):
        pages.put(key, _page(1000))
    assert pages.get("a") is not None  # "b" is now the least recently used

    pages.put("d", _page(1000))

    assert [key for key in "abcd" if pages.get(key) is not None] == ["a", "c", "d"]
    assert pages.size == 3 * (1000 + OVERHEAD)


def test_local_pages_replacing_a_key_counts_it_once():
    pages = LocalPages(max_bytes=10_000)
    pages.put("a", _page(1000))
    pages.put("a", _page(500))

    assert len(pages) == 1
    assert pages.size == 500 + OVERHEAD


def test_local_pages_never_keeps_an_entry_larger_than_the_bound():
    pages = LocalPages(max_bytes=1000)
    pages.put("small", _page(100))

    pages.put("huge", _page(5000))

    assert pages.get("huge") is None
    assert pages.get("small") is not None


def test_local_pages_clear_empties_everything():
    pages = LocalPages(max_bytes=10_000)
    pages.put("a", _page(100))

    pages.clear()

    assert len(pages) == 0
    assert pages.size == 0
    assert pages.get("a") is None
