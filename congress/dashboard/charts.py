"""Accessible inline SVG charts, built as pure functions.

Each chart is an ``<svg role="img">`` named by the ``<title>`` it contains
(``aria-labelledby``), with no script, no external resource and no ``style``
attribute, so it passes the site's strict Content-Security-Policy. Colours are
SVG presentation attributes; the ``chart``, ``bar`` and ``bar-alt`` classes let
the stylesheet override them. Every piece of text is escaped, so labels taken
from the database cannot inject markup. A chart never carries information on
its own: the page prints the same figures in a table beside it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date

from markupsafe import Markup, escape

WIDTH = 640
PAD = 8
VALUE_ROOM = 64  # room right of the longest bar for its value
LABEL_HEIGHT = 16  # the row's label sits above its bar(s)
BAR_HEIGHT = 14
BAR_GAP = 2
ROW_GAP = 10
LEGEND_HEIGHT = 24
LABEL_MAX = 90  # characters of a label drawn in the chart; the table has it whole

PRIMARY = "#2b6cb0"
SECONDARY = "#9b1c1c"
INK = "#1a202c"
GRID = "#cbd5e0"

LINE_HEIGHT = 240
LINE_LEFT = 56
LINE_RIGHT = 24
LINE_TOP = 16
LINE_BOTTOM = 40
MAX_MARKERS = 62  # a dot per point up to about two months of days


def _num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1].rstrip() + "…"


def _chart_id(kind: str, title: str, data: object) -> str:
    digest = hashlib.sha256(f"{kind}\0{title}\0{data!r}".encode()).hexdigest()[:12]
    return f"chart-{digest}"


def _open(chart_id: str, title: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{chart_id}-title" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]


def _close(parts: list[str]) -> Markup:
    parts.append("</svg>")
    # Every text and attribute value above went through escape() or is a number.
    return Markup("".join(parts))  # noqa: S704  # nosec B704


def _empty(chart_id: str, title: str, text: str) -> Markup:
    height = 40
    parts = _open(chart_id, title, height)
    parts.append(f'<text x="{PAD}" y="24" font-size="14" fill="{INK}">{escape(text)}</text>')
    return _close(parts)


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, int]],
    *,
    max_value: int | None = None,
    paired: Sequence[int] | None = None,
    legend: Sequence[str] = (),
    unit: str = "",
    empty_text: str = "No data",
) -> Markup:
    """Horizontal bars, one row per ``(label, value)``, each label above its bar.

    ``paired`` adds a second bar under each row's first (expected vs checked in);
    it must have one value per row. ``legend`` names the two series when paired.
    Bar lengths are proportional to the values, the longest reaching ``max_value``
    (default: the largest value drawn); values above ``max_value`` are capped and
    negative values drawn as zero. ``unit`` follows each printed value ("%").
    """
    if paired is not None and len(paired) != len(rows):
        raise ValueError("paired needs exactly one value per row")
    chart_id = _chart_id("bar", title, (list(rows), list(paired or ()), max_value))
    if not rows:
        return _empty(chart_id, title, empty_text)
    series = 2 if paired is not None else 1
    values = [value for _, value in rows] + list(paired or ())
    scale_max = max_value if max_value is not None else max(values)
    plot_width = WIDTH - 2 * PAD - VALUE_ROOM
    bars_height = series * BAR_HEIGHT + (series - 1) * BAR_GAP
    row_height = LABEL_HEIGHT + bars_height + ROW_GAP
    top = PAD + (LEGEND_HEIGHT if series == 2 and legend else 0)
    height = top + len(rows) * row_height
    parts = _open(chart_id, title, height)

    if series == 2 and legend:
        x = PAD
        for name, css, colour in zip(
            legend, ("bar", "bar-alt"), (PRIMARY, SECONDARY), strict=False
        ):
            parts.append(
                f'<rect class="{css}" x="{x}" y="{PAD}" width="12" height="12" fill="{colour}"/>'
                f'<text x="{x + 16}" y="{PAD + 11}" font-size="12" fill="{INK}">'
                f"{escape(name)}</text>"
            )
            x += 16 + 8 * len(str(name)) + 24

    def bar(value: int, y: int, css: str, colour: str) -> str:
        shown = max(value, 0)
        length = 0.0 if scale_max <= 0 else plot_width * min(shown, scale_max) / scale_max
        return (
            f'<rect class="{css}" x="{PAD}" y="{y}" width="{_num(length)}" '
            f'height="{BAR_HEIGHT}" fill="{colour}"/>'
            f'<text x="{_num(PAD + length + 4)}" y="{y + BAR_HEIGHT - 3}" font-size="12" '
            f'fill="{INK}">{escape(value)}{escape(unit)}</text>'
        )

    for index, (label, value) in enumerate(rows):
        y = top + index * row_height
        parts.append(
            f'<text x="{PAD}" y="{y + LABEL_HEIGHT - 4}" font-size="12" fill="{INK}">'
            f"{escape(_short(str(label)))}</text>"
        )
        parts.append(bar(value, y + LABEL_HEIGHT, "bar", PRIMARY))
        if paired is not None:
            second_y = y + LABEL_HEIGHT + BAR_HEIGHT + BAR_GAP
            parts.append(bar(paired[index], second_y, "bar-alt", SECONDARY))
    return _close(parts)


def line_chart(
    title: str,
    points: Sequence[tuple[date, int]],
    *,
    date_label: Callable[[date], str] = date.isoformat,
    empty_text: str = "No data",
) -> Markup:
    """A line over time: x is the day (spaced by calendar distance), y the value.

    The axes show zero and the largest value, and the first and last days
    (written by ``date_label``). A single point is drawn in the middle.
    """
    ordered = sorted(points)
    chart_id = _chart_id("line", title, ordered)
    if not ordered:
        return _empty(chart_id, title, empty_text)
    height = LINE_HEIGHT
    left, right = LINE_LEFT, WIDTH - LINE_RIGHT
    top, bottom = LINE_TOP, height - LINE_BOTTOM
    first, last = ordered[0][0], ordered[-1][0]
    span = (last - first).days
    top_value = max(max(value for _, value in ordered), 0)

    def x_of(day: date) -> float:
        if span == 0:
            return (left + right) / 2
        return left + (right - left) * (day - first).days / span

    def y_of(value: int) -> float:
        if top_value == 0:
            return bottom
        return bottom - (bottom - top) * max(value, 0) / top_value

    coordinates = [(x_of(day), y_of(value)) for day, value in ordered]
    parts = _open(chart_id, title, height)
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{INK}"/>'
        f'<line x1="{left}" y1="{top}" x2="{right}" y2="{top}" stroke="{GRID}"/>'
        f'<text x="{left - 6}" y="{bottom + 4}" font-size="12" text-anchor="end" '
        f'fill="{INK}">0</text>'
        f'<text x="{left - 6}" y="{top + 4}" font-size="12" text-anchor="end" '
        f'fill="{INK}">{escape(top_value)}</text>'
    )
    first_anchor = "middle" if span == 0 else "start"
    parts.append(
        f'<text x="{_num(x_of(first))}" y="{bottom + 20}" font-size="12" '
        f'text-anchor="{first_anchor}" fill="{INK}">{escape(date_label(first))}</text>'
    )
    if span:
        parts.append(
            f'<text x="{right}" y="{bottom + 20}" font-size="12" text-anchor="end" '
            f'fill="{INK}">{escape(date_label(last))}</text>'
        )
    path = " ".join(f"{_num(x)},{_num(y)}" for x, y in coordinates)
    parts.append(
        f'<polyline class="line" points="{path}" fill="none" stroke="{PRIMARY}" stroke-width="2"/>'
    )
    if len(coordinates) <= MAX_MARKERS:
        parts.extend(
            f'<circle class="bar" cx="{_num(x)}" cy="{_num(y)}" r="3" fill="{PRIMARY}"/>'
            for x, y in coordinates
        )
    return _close(parts)
