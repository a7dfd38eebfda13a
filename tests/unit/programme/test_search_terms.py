import pytest

from congress.programme.models import Disclosure
from congress.programme.queries import search_terms
from congress.programme.search import MAX_TERMS, Term
from congress.programme.services import search_key

pytestmark = pytest.mark.unit


def test_terms_are_folded_stemmed_and_deduplicated():
    assert search_terms("  Sécurité  SECURITE hôpitaux ") == (
        Term("Sécurité", ("securit",)),
        Term("hôpitaux", ("hopital",)),
    )


def test_terms_are_capped():
    assert len(search_terms(" ".join(f"mot{i}" for i in range(20)))) == MAX_TERMS


def test_search_key_covers_title_abstract_and_speakers():
    key = search_key("Sécurité", "Résumé **gras**", ["Élodie Müller"], Disclosure.TLP_GREEN)
    assert key == " securit resum gras elod mull "


@pytest.mark.parametrize("label", [Disclosure.TLP_AMBER, Disclosure.TLP_RED])
def test_restricted_abstracts_are_not_searchable(label):
    assert search_key("Intrusion", "secret détaillé", ["Ana"], label) == " intrus ana "
