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


@pytest.mark.parametrize("value", ["20140401", "2014-W14-2", "2014-4-1", "2014-04-31", ""])
def test_parse_day_accepts_only_one_spelling(value):
    from congress.core.text import parse_day

    assert parse_day(value) is None


def test_parse_day_reads_iso_days():
    from datetime import date

    from congress.core.text import parse_day

    assert parse_day("2014-04-01") == date(2014, 4, 1)
