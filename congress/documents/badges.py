"""Printed name badges: A4 sheets of ten 90 x 55 mm badges, cut out and slipped into holders.

Why 90 x 55 mm: it is the business-card format that the common soft and rigid
badge holders are made for (their pocket takes 90 x 55 to 90 x 60), and ten of
them fill an A4 sheet in two columns of five with 15 mm side and 11 mm top and
bottom margins, which is also the grid of the usual micro-perforated A4 badge
inserts. So the same PDF prints on plain paper (cut along the light guides) or
on pre-cut inserts. The ID-1 card size (86 x 54 mm) would leave a loose badge
in most pockets, and 100 x 70 mm only fits eight on a sheet.

What never happens is a name cut short: the text is never clipped. Each badge
gets a size step (``fit``), the largest whose estimated wrapped text still fits
the text box; the smallest step fits the longest values the registration form
accepts (100-character first and last names, a 200-character organisation),
even in DejaVu Sans, the wider fallback used for Greek and Cyrillic names.
``tests/integration/dashboard/test_badges.py`` checks it on WeasyPrint's real
layout, which is the judge: the estimate only chooses a step.

Pure like the rest of ``documents``: plain values in, PDF bytes out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import segno
from flask import render_template

from congress.documents.pdf import html_document, render

if TYPE_CHECKING:
    from weasyprint import Document

# The sheet and the badge, in millimetres (see the module's docstring).
BADGE_WIDTH_MM = 90
BADGE_HEIGHT_MM = 55
COLUMNS = 2
ROWS = 5
PER_SHEET = COLUMNS * ROWS
PADDING_MM = 4
QR_MM = 20
QR_GAP_MM = 3
# The box that holds the name lines and the organisation: left of the QR code,
# between the wordmark (top) and the category band (bottom).
TEXT_WIDTH_MM = BADGE_WIDTH_MM - 2 * PADDING_MM - QR_MM - QR_GAP_MM  # 59
TEXT_HEIGHT_MM = 32
BAND_HEIGHT_MM = 9
BAND_TEXT_WIDTH_MM = BADGE_WIDTH_MM - 2 * PADDING_MM
LINE_HEIGHT = 1.15
PT_TO_MM = 25.4 / 72

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True, slots=True)
class Step:
    """One size step: name lines and organisation, in points."""

    name_pt: float
    organisation_pt: float


# Largest first. The last one is the one the longest values rely on.
STEPS: tuple[Step, ...] = (
    Step(17, 10),
    Step(15, 9.5),
    Step(13, 9),
    Step(11.5, 8.5),
    Step(10, 8),
    Step(9, 7),
    Step(8, 6.5),
    Step(7, 6),
    Step(6, 5),
    Step(5.5, 4.5),
)
# The category band: one size per length class, wrapping allowed from the third.
BAND_STEPS: tuple[float, ...] = (10, 8.5, 7, 6, 5)


@dataclass(frozen=True, slots=True)
class Badge:
    """What one badge shows, already in the wearer's words.

    ``name_lines`` are printed one under the other (first name, then the last
    name in bold); ``qr`` is a ``data:`` URI of an SVG (see ``qr_data_uri``);
    ``colour`` is the category band's ``#rrggbb``, which must carry white text.
    """

    name_lines: tuple[str, ...]
    organisation: str
    category: str
    colour: str
    qr: str

    def __post_init__(self) -> None:
        # The colour goes into a style attribute: only a plain hex colour may.
        if not _COLOUR.fullmatch(self.colour):
            raise ValueError(f"badge colour must be #rrggbb: {self.colour[:20]!r}")
        if not self.qr.startswith("data:image/svg+xml"):
            raise ValueError("badge QR must be an SVG data: URI")


def qr_data_uri(text: str) -> str:
    """``text`` as a QR code (error correction M, quiet zone of 2), an SVG ``data:`` URI."""
    return segno.make(text, error="m").svg_data_uri(border=2, scale=1)


# Character widths in ems, a little generous, measured on the two faces the
# template uses: Source Sans 3 for Latin scripts, DejaVu Sans (much wider) for
# the Greek and Cyrillic letters Source Sans lacks. Bold text is about 8 % wider.
_LATIN = {"space": 0.23, "narrow": 0.3, "lower": 0.52, "upper": 0.64, "wide": 0.88}
_OTHER = {"space": 0.36, "narrow": 0.42, "lower": 0.8, "upper": 0.95, "wide": 1.36}
_NARROW = frozenset("iljtfrI.,;:'’!|-()ıіїΙι")
_WIDE = frozenset("mwMW@%ЖШЩЮМЫжшщюмыΩΜΨΦωψφ")
_LATIN_END = 0x370  # Basic Latin to IPA extensions; Greek starts here


def _advance(char: str, bold: bool) -> float:
    """An estimate of ``char``'s width in ems, slightly on the wide side."""
    widths = _LATIN if ord(char) < _LATIN_END else _OTHER
    if char.isspace():
        kind = "space"
    elif char in _NARROW:
        kind = "narrow"
    elif char in _WIDE:
        kind = "wide"
    elif char.isupper() or char.isdigit():
        kind = "upper"
    else:
        kind = "lower"
    return widths[kind] * (1.08 if bold else 1.0)


def wrapped_lines(text: str, size_pt: float, width_mm: float, *, bold: bool = False) -> int:
    """How many lines ``text`` takes at ``size_pt`` in a box ``width_mm`` wide (an estimate).

    Greedy word wrapping as the renderer does; a word longer than the line is
    broken anywhere (``overflow-wrap: anywhere`` in the template), so one
    100-letter word still fits, on several lines.
    """
    width_em = width_mm / (size_pt * PT_TO_MM)
    space = _advance(" ", bold)
    lines, used = 1, 0.0
    for word in text.split():
        span = sum(_advance(char, bold) for char in word)
        wanted = used + space + span if used else span
        if wanted <= width_em:
            used = wanted
            continue
        if used:  # the word goes to the next line
            lines += 1
            used = 0.0
        if span <= width_em:
            used = span
            continue
        for char in word:  # longer than a line: broken where it must be
            step = _advance(char, bold)
            if used and used + step > width_em:
                lines += 1
                used = 0.0
            used += step
    return lines


def text_height_mm(name_lines: Sequence[str], organisation: str, step: Step) -> float:
    """Estimated height of the name and organisation at ``step``, in millimetres."""
    name = sum(
        wrapped_lines(line, step.name_pt, TEXT_WIDTH_MM, bold=True) for line in name_lines if line
    )
    organisation_lines = (
        wrapped_lines(organisation, step.organisation_pt, TEXT_WIDTH_MM) if organisation else 0
    )
    gap = step.organisation_pt * 0.4 if organisation else 0.0
    points = (name * step.name_pt + organisation_lines * step.organisation_pt) * LINE_HEIGHT
    return (points + gap) * PT_TO_MM


def _words_fit(name_lines: Sequence[str], organisation: str, step: Step) -> bool:
    """True when no word has to be broken at ``step`` (each fits within a line)."""
    texts = [(line, step.name_pt, True) for line in name_lines]
    texts.append((organisation, step.organisation_pt, False))
    return all(
        sum(_advance(char, bold) for char in word) * size * PT_TO_MM <= TEXT_WIDTH_MM
        for text, size, bold in texts
        for word in text.split()
    )


def fit(name_lines: Sequence[str], organisation: str) -> int:
    """The index in ``STEPS`` of the largest size at which the text fits its box.

    Words are kept whole when a step allows it (a long surname shrinks rather
    than breaking mid-word); a word longer than a line even at the smallest
    size is broken, at the largest step where the whole text then fits. When
    nothing fits by the estimate the smallest step is returned: it fits the
    form's longest values (checked on the real layout by the tests).
    """
    for whole_words in (True, False):
        for index, step in enumerate(STEPS):
            if text_height_mm(name_lines, organisation, step) > TEXT_HEIGHT_MM:
                continue
            if whole_words and not _words_fit(name_lines, organisation, step):
                continue
            return index
    return len(STEPS) - 1


def band_step(label: str) -> int:
    """The index in ``BAND_STEPS`` for a category label: one line when it can, else wrapped."""
    for index, size in enumerate(BAND_STEPS):
        lines = wrapped_lines(label, size, BAND_TEXT_WIDTH_MM, bold=True)
        if lines == 1:
            return index
        if index >= 2 and lines * size * LINE_HEIGHT * PT_TO_MM <= BAND_HEIGHT_MM - 1:
            return index
    return len(BAND_STEPS) - 1


def _context(
    badges: Sequence[Badge], edition_name: str, lang: str, title: str, cut_guides: bool
) -> dict[str, object]:
    sheets = [
        [
            (badge, fit(badge.name_lines, badge.organisation), band_step(badge.category))
            for badge in badges[start : start + PER_SHEET]
        ]
        for start in range(0, len(badges), PER_SHEET)
    ]
    return {
        "sheets": sheets,
        "edition_name": edition_name,
        "lang": lang,
        "title": title,
        "cut_guides": cut_guides,
        "steps": STEPS,
        "band_steps": BAND_STEPS,
        "mm": {
            "columns": COLUMNS,
            "rows": ROWS,
            "width": BADGE_WIDTH_MM,
            "height": BADGE_HEIGHT_MM,
            "padding": PADDING_MM,
            "qr": QR_MM,
            "text_width": TEXT_WIDTH_MM,
            "text_height": TEXT_HEIGHT_MM,
            "band": BAND_HEIGHT_MM,
            "side": (210 - COLUMNS * BADGE_WIDTH_MM) / 2,
            "top": (297 - ROWS * BADGE_HEIGHT_MM) / 2,
        },
    }


def render_badges(
    badges: Sequence[Badge],
    *,
    edition_name: str,
    lang: str = "fr",
    title: str = "Badges",
    cut_guides: bool = True,
) -> bytes:
    """The PDF: A4 sheets of ``PER_SHEET`` badges in the given order, row by row.

    ``edition_name`` is printed beside the wordmark on every badge; ``title``
    is the PDF's title (translated by the caller). ``cut_guides`` draws a light
    outline to cut along on plain paper.
    """
    if not badges:
        raise ValueError("no badge to print")
    return render("badges.html", **_context(badges, edition_name, lang, title, cut_guides))


def layout_badges(
    badges: Sequence[Badge], *, edition_name: str, lang: str = "fr", title: str = "Badges"
) -> Document:
    """The laid-out document ``render_badges`` writes, for checks on the boxes' positions."""
    html = render_template(
        "documents/badges.html", **_context(badges, edition_name, lang, title, True)
    )
    return html_document(html).render()
