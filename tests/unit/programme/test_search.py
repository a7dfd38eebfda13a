"""The programme's French search, as pure functions: stems, accents, synonyms, ranking."""

from __future__ import annotations

import pytest

from congress.programme.search import (
    Term,
    in_title,
    index_text,
    matches,
    parse_query,
    read_groups,
    suggestions,
)

pytestmark = pytest.mark.unit

RANSOMWARE_TITLE = "Rançongiciel au CHU : retour d'expérience"
RANSOMWARE_ABSTRACT = "Comment un ransomware a arrêté les urgences pendant trois jours."


def _finds(q: str, *texts: str) -> bool:
    index = index_text(texts)
    return all(matches(index, term) for term in parse_query(q))


@pytest.mark.parametrize("q", ["ransomware", "rançongiciels", "rançongiciel", "RANCONGICIEL"])
def test_every_ransomware_spelling_finds_both_sessions(q):
    assert _finds(q, RANSOMWARE_TITLE)
    assert _finds(q, "Anatomie d'une attaque", RANSOMWARE_ABSTRACT)


@pytest.mark.parametrize(
    ("q", "text"),
    [
        ("attaques", "Analyse d'une attaque"),
        ("hôpitaux", "La sécurité à l'hôpital"),
        ("securite", "Sécurité des PACS"),
        ("Sécurités", "securite des pacs"),
        ("DPD", "Le rôle du DPO"),
        ("délégué à la protection des données", "Le rôle du DPO"),
        ("hameçonnage", "Campagnes de phishing"),
    ],
)
def test_inflections_accents_and_synonyms_match(q, text):
    assert _finds(q, text)


@pytest.mark.parametrize(
    ("q", "text"),
    [
        ("pardon", "Données de santé"),  # "donn" is a stem, not a fragment of any word
        ("ware", "Un ransomware"),  # words match from their start only
        ("%", "100 % sécurisé"),  # punctuation alone finds nothing
        ("sécurité pacs", "Sécurité des dispositifs médicaux"),  # every word must match
    ],
)
def test_unrelated_text_does_not_match(q, text):
    assert not _finds(q, text)


def test_stop_words_are_dropped_unless_they_are_the_whole_query():
    assert [term.typed for term in parse_query("la sécurité des PACS")] == ["sécurité", "PACS"]
    assert [term.typed for term in parse_query("de la")] == ["de", "la"]


def test_index_is_stems_between_spaces():
    assert index_text(["Rançongiciels", "", "Hôpitaux"]) == " rancongiciel hopital "
    assert index_text(["", "  "]) == ""


def test_title_matches_rank_first():
    terms = parse_query("rançongiciel urgences")
    assert in_title(RANSOMWARE_TITLE, terms) == 1
    assert in_title("Urgences et rançongiciels", terms) == 2
    assert in_title("Anatomie d'une attaque", terms) == 0


def test_suggestion_corrects_a_misspelt_word_from_the_programme_vocabulary():
    terms = parse_query("rancongicel hopital")
    assert suggestions(terms, ["Rançongiciel", "Hôpital", "Imagerie"]) == ["Rançongiciel hopital"]
    assert suggestions(parse_query("zzzz"), ["Rançongiciel"]) == []


def test_synonym_file_lines_make_groups_and_comments_are_skipped():
    groups = read_groups("# comment\nransomware, Rançongiciel\n\nseul\n")
    assert groups == (frozenset({"ransomwar", "rancongiciel"}),)
    (term,) = parse_query("rançongiciels", groups)
    assert term == Term("rançongiciels", ("rancongiciel", "ransomwar"))
