import pytest

from congress.programme.models import Disclosure
from congress.programme.queries import MAX_QUERY_TERMS, search_terms
from congress.programme.services import search_key

pytestmark = pytest.mark.unit


def test_terms_are_folded_and_deduplicated():
    assert search_terms("  Sécurité  SECURITE hôpital ") == ("securite", "hopital")


def test_terms_are_capped():
    assert len(search_terms(" ".join(f"mot{i}" for i in range(20)))) == MAX_QUERY_TERMS


def test_search_key_covers_title_abstract_and_speakers():
    key = search_key("Sécurité", "Résumé **gras**", ["Élodie Müller"], Disclosure.TLP_GREEN)
    assert key == "securite resume **gras** elodie muller"


@pytest.mark.parametrize("label", [Disclosure.TLP_AMBER, Disclosure.TLP_RED])
def test_restricted_abstracts_are_not_searchable(label):
    assert search_key("Intrusion", "secret détaillé", ["Ana"], label) == "intrusion  ana"
