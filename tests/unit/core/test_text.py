import pytest

from congress.core.text import fold, slugify

pytestmark = pytest.mark.unit


def test_fold_removes_accents_and_case():
    assert fold("Sécurité des SYSTÈMES") == "securite des systemes"


def test_slugify_makes_url_safe_slug():
    assert slugify("Retour d'expérience : l'hôpital & le « cloud »") == (
        "retour-d-experience-l-hopital-le-cloud"
    )


def test_slugify_never_returns_empty():
    assert slugify("!!!") == "item"


def test_slugify_respects_max_length_without_trailing_dash():
    slug = slugify("a" * 10 + " " + "b" * 100, max_length=12)
    assert slug == "aaaaaaaaaa-b"
