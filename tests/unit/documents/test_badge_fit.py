"""The badge's size rule, its values and the category colours (no rendering, no database)."""

import base64
from urllib.parse import unquote

import pytest

from congress.core.errors import DomainError
from congress.documents.badges import (
    BAND_STEPS,
    STEPS,
    TEXT_HEIGHT_MM,
    Badge,
    band_step,
    fit,
    qr_data_uri,
    text_height_mm,
    wrapped_lines,
)
from congress.registration.badges import PALETTE, BadgeOrder, colour_for, parse_order

pytestmark = pytest.mark.unit

GREEK = "Αλέξανδρος-Κωνσταντίνος Παναγιώτης Χαράλαμπος Ευάγγελος Δημήτριος Ιωάννης Σπυρίδωνας"
CYRILLIC = "АЛЕКСАНДР-КОНСТАНТИН ВЛАДИМИРОВИЧ ЩЕРБАКОВ-ЖУКОВСКИЙ ДОСТОЕВСКИЙ МЕЩЕРСКИЙ ШУ"


def _relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_fit_short_name_gets_the_largest_step():
    assert fit(("Marie", "Curie"), "CHU de Nulle-Part") == 0


def test_fit_longer_surname_shrinks_before_breaking_a_word():
    assert fit(("Marie", "Curie" * 4), "CHU") == 1
    assert fit(("Marie", "Curie" * 6), "CHU") == 4
    assert fit(("Marie", "Curie" * 8), "CHU") == 6


def test_fit_step_never_grows_while_words_stay_whole():
    steps = [fit(("Jean", "Dupont " * words), "CHU") for words in range(1, 15)]
    assert steps == sorted(steps)
    assert steps[0] == 0
    assert steps[-1] > 0


@pytest.mark.parametrize(
    ("name_lines", "organisation"),
    [
        (("Jean-Baptiste " * 8)[:100], ("Centre hospitalier universitaire " * 7)[:200]),
        ("A" * 100, "W" * 200),
        (GREEK[:100], ("Εθνικό και Καποδιστριακό Πανεπιστήμιο Αθηνών " * 5)[:200]),
        (CYRILLIC[:100], ("МОСКОВСКИЙ ГОСУДАРСТВЕННЫЙ УНИВЕРСИТЕТ " * 6)[:200]),
    ],
)
def test_fit_longest_form_values_fit_by_the_estimate(name_lines, organisation):
    lines = (name_lines, name_lines)  # first and last names both at the form's maximum
    step = fit(lines, organisation)
    assert text_height_mm(lines, organisation, STEPS[step]) <= TEXT_HEIGHT_MM


def test_wrapped_lines_breaks_a_word_longer_than_the_line():
    assert wrapped_lines("x" * 100, 10, 59) == 4
    assert wrapped_lines("Marie Curie", 10, 59) == 1
    assert wrapped_lines("Centre hospitalier universitaire de Nantes", 9, 30) == 3


def test_wrapped_lines_greek_and_cyrillic_count_wider_than_latin():
    assert wrapped_lines("ЩЕРБАКОВ " * 6, 10, 59) > wrapped_lines("SCHERBAK " * 6, 10, 59)


def test_band_step_short_label_large_long_label_wraps_small():
    assert band_step("Intervenants") == 0
    assert band_step("Établissements de santé (publics et privés)") == 0
    assert band_step("Catégorie " * 8) == 2
    assert band_step("X" * 200) == len(BAND_STEPS) - 1


def test_badge_refuses_a_colour_that_is_not_plain_hex():
    qr = qr_data_uri("code")
    with pytest.raises(ValueError, match="#rrggbb"):
        Badge(("Marie", "Curie"), "CHU", "Étudiants", "red;background:url(x)", qr)
    with pytest.raises(ValueError, match="data: URI"):
        Badge(("Marie", "Curie"), "CHU", "Étudiants", "#0b5372", "https://example.org/qr.svg")


def test_qr_data_uri_is_an_svg_carrying_no_url():
    uri = qr_data_uri("S3cr3t-code_0123456789")
    assert uri.startswith("data:image/svg+xml")
    payload = uri.split(",", 1)[1]
    svg = base64.b64decode(payload).decode() if ";base64" in uri else unquote(payload)
    assert "<svg" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_palette_colours_contrast_with_white_text_at_aa():
    for colour in PALETTE:
        ratio = 1.05 / (_relative_luminance(colour) + 0.05)
        assert ratio >= 4.5, colour


def test_colour_for_is_the_rank_in_the_palette_and_wraps():
    assert colour_for(0) == "#0b5372"
    assert colour_for(1) == "#b3400f"
    assert colour_for(len(PALETTE)) == colour_for(0)
    assert len(set(PALETTE)) == len(PALETTE)


def test_parse_order_defaults_to_name_and_refuses_other_values():
    assert parse_order(None) is BadgeOrder.NAME
    assert parse_order("category") is BadgeOrder.CATEGORY
    with pytest.raises(DomainError):
        parse_order("price")
