import xml.etree.ElementTree as ET
from datetime import date

import pytest
from markupsafe import Markup

from congress.dashboard.charts import bar_chart, line_chart

pytestmark = pytest.mark.unit

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: Markup) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 - our own output, under test


def _bars(root: ET.Element, css: str = "bar") -> list[float]:
    return [
        float(rect.get("width")) for rect in root.iter(f"{SVG}rect") if rect.get("class") == css
    ]


def _texts(root: ET.Element) -> list[str]:
    return [text.text for text in root.iter(f"{SVG}text")]


def test_bar_chart_is_an_image_named_by_its_title():
    chart = bar_chart("Per job", [("CISO", 3), ("CIO", 1)])
    assert isinstance(chart, Markup)
    root = _parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == "Per job"
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("class") == "chart"


def test_bar_chart_widths_are_proportional_to_values():
    root = _parse(bar_chart("t", [("a", 10), ("b", 5), ("c", 0), ("d", 3)]))
    widths = _bars(root)
    assert len(widths) == 4
    assert widths[0] > 0
    assert widths[1] == pytest.approx(widths[0] / 2, abs=0.01)
    assert widths[2] == 0
    assert widths[3] == pytest.approx(widths[0] * 3 / 10, abs=0.01)
    assert _texts(root) == ["a", "10", "b", "5", "c", "0", "d", "3"]


def test_bar_chart_scales_to_max_value_and_caps_above_it():
    full = _bars(_parse(bar_chart("t", [("x", 100)], max_value=100)))[0]
    root = _parse(bar_chart("t", [("a", 50), ("b", 150), ("c", -4)], max_value=100, unit="%"))
    assert _bars(root) == [pytest.approx(full / 2, abs=0.01), full, 0]
    assert _texts(root) == ["a", "50%", "b", "150%", "c", "-4%"]


def test_bar_chart_paired_series_share_one_scale():
    root = _parse(
        bar_chart(
            "Days",
            [("Tue", 40), ("Wed", 20)],
            paired=[30, 10],
            legend=("Expected", "Checked in"),
        )
    )
    first, second = _bars(root, "bar"), _bars(root, "bar-alt")
    # The legend's two swatches come first, then one bar per row in each series.
    assert first[1:] == [pytest.approx(first[1]), pytest.approx(first[1] / 2, abs=0.01)]
    assert second[1:] == [
        pytest.approx(first[1] * 3 / 4, abs=0.01),
        pytest.approx(first[1] / 4, abs=0.01),
    ]
    assert _texts(root) == ["Expected", "Checked in", "Tue", "40", "30", "Wed", "20", "10"]


def test_bar_chart_paired_needs_one_value_per_row():
    with pytest.raises(ValueError, match="one value per row"):
        bar_chart("t", [("a", 1), ("b", 2)], paired=[1])


def test_bar_chart_escapes_every_label():
    hostile = '<script>alert("x")</script> & co'
    chart = bar_chart(hostile, [(hostile, 1)], paired=[2], legend=(hostile, "<b>"))
    assert "<script>" not in chart
    assert "<b>" not in chart
    root = _parse(chart)
    assert root.find(f"{SVG}title").text == hostile
    assert _texts(root)[:3] == [hostile, "<b>", hostile]
    assert [element.tag for element in root.iter() if "script" in element.tag] == []


def test_bar_chart_without_rows_says_so():
    root = _parse(bar_chart("Empty", [], empty_text="No data yet."))
    assert root.get("role") == "img"
    assert _bars(root) == []
    assert _texts(root) == ["No data yet."]


def test_bar_chart_with_only_zero_values_draws_empty_bars():
    assert _bars(_parse(bar_chart("t", [("a", 0), ("b", 0)]))) == [0, 0]


def test_bar_chart_shortens_long_labels_in_the_drawing_only():
    root = _parse(bar_chart("t", [("x" * 200, 1)]))
    label = _texts(root)[0]
    assert len(label) == 90
    assert label.endswith("…")


def test_bar_chart_has_no_style_or_script():
    chart = str(bar_chart("t", [("a", 1)], paired=[1], legend=("p", "q")))
    assert "style" not in chart
    assert "<script" not in chart
    assert "http" not in chart.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_charts_with_different_titles_get_different_ids():
    one = _parse(bar_chart("One", [("a", 1)]))
    two = _parse(bar_chart("Two", [("a", 1)]))
    assert one.get("aria-labelledby") != two.get("aria-labelledby")


def _polyline(root: ET.Element) -> list[tuple[float, float]]:
    line = root.find(f"{SVG}polyline")
    assert line is not None
    return [tuple(float(part) for part in pair.split(",")) for pair in line.get("points").split()]


def test_line_chart_places_points_by_date_and_value():
    chart = line_chart(
        "Registrations",
        [(date(2014, 3, 1), 2), (date(2014, 3, 3), 4), (date(2014, 3, 2), 3)],
    )
    root = _parse(chart)
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title.text == "Registrations"
    assert root.get("aria-labelledby") == title.get("id")
    (x1, y1), (x2, y2), (x3, y3) = _polyline(root)
    assert x1 < x2 < x3
    assert x2 - x1 == pytest.approx(x3 - x2, abs=0.01)
    # y grows downwards; zero sits on the axis, the maximum at the top.
    bottom, top = y1 + (y1 - y3), y3
    assert (bottom - y1) / (bottom - top) == pytest.approx(0.5, abs=0.01)
    assert (bottom - y2) / (bottom - top) == pytest.approx(0.75, abs=0.01)
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    assert _texts(root) == ["0", "4", "2014-03-01", "2014-03-03"]


def test_line_chart_spaces_points_by_calendar_distance():
    root = _parse(
        line_chart("t", [(date(2014, 3, 1), 1), (date(2014, 3, 2), 2), (date(2014, 3, 11), 3)])
    )
    (x1, _), (x2, _), (x3, _) = _polyline(root)
    assert (x3 - x1) / (x2 - x1) == pytest.approx(10, abs=0.01)


def test_line_chart_single_point_and_custom_date_labels():
    root = _parse(line_chart("t", [(date(2014, 3, 1), 5)], date_label=lambda d: f"<{d.day}>"))
    assert len(_polyline(root)) == 1
    assert _texts(root) == ["0", "5", "<1>"]


def test_line_chart_escapes_title_and_labels():
    hostile = "<script>alert(1)</script>"
    chart = line_chart(hostile, [(date(2014, 3, 1), 1)], date_label=lambda d: hostile)
    assert "<script>" not in chart
    root = _parse(chart)
    assert root.find(f"{SVG}title").text == hostile


def test_line_chart_without_points_says_so():
    root = _parse(line_chart("Empty", [], empty_text="Nothing"))
    assert root.find(f"{SVG}polyline") is None
    assert _texts(root) == ["Nothing"]


def test_line_chart_of_zeros_stays_on_the_axis():
    root = _parse(line_chart("t", [(date(2014, 3, 1), 0), (date(2014, 3, 2), 0)]))
    ys = {y for _, y in _polyline(root)}
    assert len(ys) == 1
    assert "style" not in str(line_chart("t", [(date(2014, 3, 1), 0)]))
