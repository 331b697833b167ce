"""Inline SVG charts: the bars and points drawn match the numbers given."""

import xml.etree.ElementTree as ET

import pytest

from relance.report.charts import Bar, Series, bar_chart, line_chart, nice_ticks


def _svg(text: str) -> ET.Element:
    """Parse as XML: the chart must be well-formed on its own."""
    return ET.fromstring(text)


def _px(value: float) -> object:
    """Coordinates are written with two decimals."""
    return pytest.approx(value, abs=0.02)


def _tick(value: float) -> str:
    return f"{value:g}"


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 4.9, [0, 2, 4, 6]),  # raw step 4.9 / 4 = 1.225 → 2
        (-0.3, 4.9, [-2, 0, 2, 4, 6]),  # zero and the negative bar included
        (3, 7, [0, 2, 4, 6, 8]),  # zero is always on the axis
        (0, 100, [0, 25, 50, 75, 100]),  # raw step 25 is nice
        (0, 0, [0, 1]),
    ],
)
def test_nice_ticks(low, high, expected):
    assert nice_ticks(low, high) == pytest.approx(expected)


def test_bar_chart_draws_one_bar_per_value_in_proportion():
    """Bars 10, −5 and 20 on an axis from −10 to 20 (ticks −10, 0, 10, 20).

    Heights are proportional: B is half of A, C twice A. B hangs below the zero
    line (its top is the zero line) and is marked negative.
    """
    svg = _svg(
        bar_chart(
            [
                Bar("A", 10, "ten"),
                Bar("B", -5, "minus five"),
                Bar("<C&>", 20, "twenty"),
            ],
            title="Test & bars",
            tick=_tick,
        )
    )
    bars = [r for r in svg.iter("rect") if "bar" in r.get("class", "").split()]
    assert [b.get("data-value") for b in bars] == ["10", "-5", "20"]
    height = {b.get("data-value"): float(b.get("height")) for b in bars}
    assert height["-5"] == _px(height["10"] / 2)
    assert height["20"] == _px(height["10"] * 2)
    assert bars[1].get("class") == "bar negative"
    zero = [ln for ln in svg.iter("line") if ln.get("class") == "axis"]
    assert len(zero) == 1
    assert float(bars[1].get("y")) == _px(float(zero[0].get("y1")))
    assert float(bars[0].get("y")) + height["10"] == _px(float(zero[0].get("y1")))
    texts = ["".join(t.itertext()) for t in svg.iter("text")]
    assert {"ten", "minus five", "twenty", "A", "B", "<C&>"} <= set(texts)
    assert [_tick(v) for v in (-10, 0, 10, 20)] == [
        t for t in texts if t in {"-10", "0", "10", "20"}
    ]
    assert svg.find("title").text == "Test & bars"


def test_long_category_labels_wrap():
    svg = _svg(
        bar_chart(
            [Bar(f"label number {i} of seven", i, str(i)) for i in range(7)],
            title="t",
            tick=_tick,
            width=400,
        )
    )
    categories = [t for t in svg.iter("text") if t.get("class") == "category"]
    assert len(categories) == 7
    assert all(len(list(t.iter("tspan"))) > 1 for t in categories)


def test_line_chart_points_and_gaps():
    """Values 10, None, 30, 40 over four months: two runs (a gap at None), three
    points, evenly spaced, higher values drawn higher; every second label is
    written counting back from the last one (months 2 and 4)."""
    chart = line_chart(
        ["m1", "m2", "m3", "m4"],
        [
            Series("DSO", [10, None, 30, 40], "s1", ["10 d", "—", "30 d", "40 d"]),
            Series("Best", [5, 5, 5, 5], "s3 dashed"),
        ],
        title="DSO",
        tick=_tick,
        label_every=2,
    )
    svg = _svg(chart)
    lines = [p for p in svg.iter("polyline") if p.get("class") == "line s1"]
    assert len(lines) == 2
    assert [len(p.get("points").split()) for p in lines] == [1, 2]
    points = [c for c in svg.iter("circle") if c.get("class") == "point s1"]
    assert len(points) == 3
    xs = [float(c.get("cx")) for c in points]
    ys = [float(c.get("cy")) for c in points]
    step = (xs[1] - xs[0]) / 2  # m1 to m3 is two steps
    assert xs[2] - xs[1] == _px(step)
    assert ys[0] > ys[1] > ys[2]  # SVG's y grows downwards
    assert [c.find("title").text for c in points] == [
        "DSO, m1 — 10 d",
        "DSO, m3 — 30 d",
        "DSO, m4 — 40 d",
    ]
    dashed = [p for p in svg.iter("polyline") if p.get("class") == "line s3 dashed"]
    assert len(dashed) == 1 and len(dashed[0].get("points").split()) == 4
    labels = [t.text for t in svg.iter("text") if t.get("class") == "category"]
    assert labels == ["m2", "m4"]
    legend = [t.text for t in svg.iter("text") if t.get("class") == "legend"]
    assert legend == ["DSO", "Best"]


def test_charts_have_no_script_and_no_external_reference():
    chart = bar_chart([Bar("a", 1, "1")], title="x", tick=_tick) + line_chart(
        ["a"], [Series("s", [1], "s1")], title="y", tick=_tick
    )
    assert "<script" not in chart
    assert "http" not in chart
    assert "href" not in chart
