"""The programme's search on the demo edition, through the page, on SQLite and PostgreSQL.

What the issue asks: "ransomware", "rançongiciels" and "rançongiciel" all find both
ransomware sessions; title matches come first; nothing found offers a correction.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.integration

SESSION_LINK = re.compile(r'class="talk-title" id="talk-\d+"><a href="/sessions/([^"]+)"')
RANSOMWARE_SESSIONS = ["cryptolocker-partages-reseau-urgences", "etat-de-la-menace-secteur-sante"]


def _found(client, q: str) -> list[str]:
    """Slugs of the sessions listed for ``q``, in page order."""
    response = client.get("/programme", query_string={"q": q})
    assert response.status_code == 200
    return re.findall(
        r'class="talk-title" id="talk-\d+"><a href="/sessions/([^"]+)"', response.text
    )


@pytest.mark.parametrize("q", ["ransomware", "rançongiciels", "rançongiciel", "Rancongiciel"])
def test_every_spelling_finds_both_ransomware_sessions_title_match_first(client, demo, q):
    assert _found(client, q) == RANSOMWARE_SESSIONS


def test_results_are_ranked_under_their_own_heading(client, demo):
    html = client.get("/programme?q=rançongiciels").text
    assert '<h2 id="results-heading">Les plus pertinentes d\'abord</h2>' in html
    assert "2 sessions correspondent." in html


def test_no_result_offers_the_nearest_programme_word(client, demo):
    html = client.get("/programme?q=rancongicel").text
    assert "0 session correspond." in html
    assert (
        '<p class="search-suggestion">Vouliez-vous dire\u202f: '
        '<a href="/programme?q=Ran%C3%A7ongiciel">Rançongiciel</a></p>'
    ) in html
    assert _found(client, "Rançongiciel") == RANSOMWARE_SESSIONS


def test_suggestion_keeps_the_other_filters(client, demo):
    html = client.get("/programme?q=rancongicel&day=2014-04-01").text
    assert 'href="/programme?q=Ran%C3%A7ongiciel&amp;day=2014-04-01"' in html


def test_search_without_any_word_finds_nothing_and_suggests_nothing(client, demo):
    html = client.get("/programme?q=%25%25").text
    assert "0 session correspond." in html
    assert "search-suggestion" not in html
