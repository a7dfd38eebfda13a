"""French typography helpers: ordinal first day, elision and contraction before names."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask_babel import Babel, force_locale
from markupsafe import Markup

from congress.typography import date_range, long_date, with_name, with_names

pytestmark = pytest.mark.unit


@pytest.fixture
def babel_app() -> Flask:
    app = Flask(__name__)
    Babel(app)
    return app


def test_long_date_first_of_month_in_french_is_ordinal(babel_app: Flask) -> None:
    with babel_app.app_context(), force_locale("fr"):
        assert long_date(date(2014, 4, 1)) == "mardi 1er avril 2014"


def test_long_date_other_days_in_french_are_cardinal(babel_app: Flask) -> None:
    with babel_app.app_context(), force_locale("fr"):
        assert long_date(date(2014, 4, 3)) == "jeudi 3 avril 2014"
        assert long_date(date(2014, 4, 11)) == "vendredi 11 avril 2014"
        assert long_date(date(2014, 4, 21)) == "lundi 21 avril 2014"


def test_long_date_in_english_is_unchanged(babel_app: Flask) -> None:
    with babel_app.app_context(), force_locale("en"):
        assert long_date(date(2014, 4, 1)) == "Tuesday, April 1, 2014"


def test_long_date_range_in_french_reads_du_1er_au(babel_app: Flask) -> None:
    with babel_app.app_context(), force_locale("fr"):
        first, last = long_date(date(2014, 4, 1)), long_date(date(2014, 4, 3))
        assert f"du {first} au {last}" == "du mardi 1er avril 2014 au jeudi 3 avril 2014"


@pytest.mark.parametrize(
    ("preposition", "name", "expected"),
    [
        ("de", "APSSIS", "d'APSSIS"),
        ("de", "Angers", "d'Angers"),
        ("de", "Évry", "d'Évry"),
        ("de", "Île-de-France", "d'Île-de-France"),
        ("De", "Orléans", "D'Orléans"),
        ("de", "Paris", "de Paris"),
        ("à", "Angers", "à Angers"),
        ("à", "Le Mans", "au Mans"),
        ("de", "Le Mans", "du Mans"),
        ("à", "Les Herbiers", "aux Herbiers"),
        ("de", "Les Herbiers", "des Herbiers"),
        ("À", "Le Mans", "Au Mans"),
        ("à", "Congrès national", "au Congrès national"),
        ("de", "Congrès national", "du Congrès national"),
        ("à", "Lens", "à Lens"),
        ("de", "Lesneven", "de Lesneven"),
    ],
)
def test_with_name_in_french_elides_and_contracts(
    preposition: str, name: str, expected: str
) -> None:
    assert with_name(preposition, name, "fr") == expected


def test_with_name_in_english_is_unchanged() -> None:
    assert with_name("of", "APSSIS", "en") == "of APSSIS"
    assert with_name("de", "Le Mans", "en") == "de Le Mans"


def test_with_names_fixes_the_preposition_before_each_name() -> None:
    text = "Votre inscription à APSSIS 2014 est confirmée. À bientôt à Le Mans\u202f!"
    assert with_names(text, "APSSIS 2014", "Le Mans", language="fr") == (
        "Votre inscription à APSSIS 2014 est confirmée. À bientôt au Mans\u202f!"
    )
    assert with_names("Les organisateurs de APSSIS 2014", "APSSIS 2014", language="fr") == (
        "Les organisateurs d'APSSIS 2014"
    )


def test_with_names_treats_au_before_a_name_as_a() -> None:
    assert with_names("À bientôt au Angers", "Angers", language="fr") == "À bientôt à Angers"


def test_with_names_leaves_words_other_than_the_names_alone() -> None:
    text = "Avant de le faire, écrivez à Anne de Le Mans."
    assert with_names(text, "Anne", language="fr") == text


def test_with_names_keeps_markup_and_matches_escaped_names() -> None:
    text = Markup("Les organisateurs de <b>A&amp;B</b>")
    result = with_names(text, "A&B", language="fr")
    assert isinstance(result, Markup)
    assert result == Markup("Les organisateurs de <b>A&amp;B</b>")
    assert with_names(Markup("inscription à A&amp;B"), "A&B", language="fr") == Markup(
        "inscription à A&amp;B"
    )
    assert with_names(Markup("organisateurs de A&amp;B"), "A&B", language="fr") == Markup(
        "organisateurs d'A&amp;B"
    )


def test_with_names_in_english_is_unchanged() -> None:
    assert with_names("The organisers of APSSIS", "APSSIS", language="en") == (
        "The organisers of APSSIS"
    )


def test_date_range_in_french_shares_month_and_year(babel_app: Flask) -> None:
    with babel_app.app_context(), force_locale("fr"):
        assert date_range(date(2014, 4, 1), date(2014, 4, 3)) == (
            "du mardi 1er au jeudi 3 avril 2014"
        )


def test_date_range_in_english_shares_month_and_year(babel_app: Flask) -> None:
    with babel_app.app_context(), force_locale("en"):
        assert date_range(date(2014, 4, 1), date(2014, 4, 3)) == (
            "Tuesday 1 to Thursday 3 April 2014"
        )


def test_date_range_across_months_names_both_months(babel_app: Flask) -> None:
    with babel_app.app_context(), force_locale("fr"):
        assert date_range(date(2014, 3, 31), date(2014, 4, 1)) == (
            "du lundi 31 mars au mardi 1er avril 2014"
        )
    with babel_app.app_context(), force_locale("en"):
        assert date_range(date(2014, 3, 31), date(2014, 4, 1)) == (
            "Monday 31 March to Tuesday 1 April 2014"
        )


def test_date_range_across_years_names_both_years(babel_app: Flask) -> None:
    with babel_app.app_context(), force_locale("fr"):
        assert date_range(date(2014, 12, 31), date(2015, 1, 1)) == (
            "du mercredi 31 décembre 2014 au jeudi 1er janvier 2015"
        )


def test_date_range_of_one_day_is_that_day(babel_app: Flask) -> None:
    with babel_app.app_context(), force_locale("fr"):
        assert date_range(date(2014, 4, 1), date(2014, 4, 1)) == "mardi 1er avril 2014"
    with babel_app.app_context(), force_locale("en"):
        assert date_range(date(2014, 4, 2), date(2014, 4, 2)) == "Wednesday 2 April 2014"
