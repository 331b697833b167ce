"""Charts drawn as inline SVG strings, from the numbers, with no script at all.

The report must open offline and print well, so charts are plain SVG elements
written here (no charting library, no JavaScript). Contracts:

- geometry is in floats (pixels inside the `viewBox`): a chart only places
  shapes; every number a reader reads on it is a string the caller formatted
  (`Bar.shown`, the `tick` function), so money never goes through a float there;
- every text is escaped; the SVG is well-formed XML without a namespace
  declaration (HTML5 puts an inline `<svg>` in the SVG namespace itself);
- bars are `<rect class="bar">` (plus `negative` below zero) in input order, each
  with `data-value` and a `<title>` tooltip; a line series is one
  `<polyline class="line sN">` per run of known values (None leaves a gap) and
  one `<circle class="point sN">` per known value;
- the value axis always includes zero and ends on "nice" ticks (1, 2, 2.5 or 5
  times a power of ten).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

Tick = Callable[[float], str]

# Room around the plot for tick labels (left), values (top) and categories.
_LEFT, _RIGHT, _TOP, _BOTTOM = 84.0, 16.0, 28.0, 44.0
_NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its category, its height in chart units and its written value."""

    label: str
    value: float
    shown: str


@dataclass(frozen=True, slots=True)
class Series:
    """One line: a name for the legend, a value (or None) per x label, a style.

    `style` is the CSS class that colours it (`s1`, `s2`, ...); add `dashed` for a
    reference line, e.g. `"s3 dashed"`. `shown` may give the written value of each
    point for its tooltip (else the axis' `tick` writes it).
    """

    name: str
    values: Sequence[float | None]
    style: str
    shown: Sequence[str] | None = None


def _esc(text: str) -> str:
    return escape(text, quote=True)


def _num(value: float) -> str:
    """A coordinate with at most two decimals, trailing zeros dropped."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def nice_ticks(
    low: float, high: float, count: int = 5, *, whole: bool = False
) -> list[float]:
    """About `count` evenly spaced round values covering `low`..`high` and zero.

    With `whole`, the step is at least 1 (an axis of counts has no 0.25).
    """
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        return [0.0, 1.0]
    raw = (high - low) / max(count - 1, 1)
    if whole:
        raw = max(raw, 1.0)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(s * power for s in _NICE_STEPS if s * power >= raw * (1 - 1e-9))
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [k * step for k in range(first, last + 1)]


@dataclass(frozen=True, slots=True)
class _Frame:
    """The plot area inside the SVG and the value range mapped onto it."""

    width: float
    height: float
    low: float
    high: float
    right: float = _RIGHT

    @property
    def plot_bottom(self) -> float:
        return self.height - _BOTTOM

    def y(self, value: float) -> float:
        """The vertical pixel of a value (top is high)."""
        share = (value - self.low) / (self.high - self.low)
        return self.plot_bottom - share * (self.plot_bottom - _TOP)


def _open(width: float, height: float, title: str, css: str) -> list[str]:
    opening = (
        f'<svg class="chart {css}" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" role="img" '
        f'aria-label="{_esc(title)}">'
    )
    return [opening, f"<title>{_esc(title)}</title>"]


def _grid(frame: _Frame, ticks: list[float], tick: Tick) -> list[str]:
    """Horizontal grid lines with their labels; the zero line is the axis."""
    parts = []
    for value in ticks:
        y = _num(frame.y(value))
        css = "axis" if value == 0 else "grid"
        parts.append(
            f'<line class="{css}" x1="{_num(_LEFT)}" y1="{y}" '
            f'x2="{_num(frame.width - frame.right)}" y2="{y}"/>'
        )
        parts.append(
            f'<text class="tick" x="{_num(_LEFT - 6)}" y="{y}" text-anchor="end" '
            f'dominant-baseline="middle">{_esc(tick(value))}</text>'
        )
    return parts


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    tick: Tick,
    width: float = 560,
    height: float = 260,
    whole: bool = False,
) -> str:
    """Vertical bars, one per category, with their written values.

    `tick` writes a value of the axis (e.g. a compact amount); `whole` keeps the
    axis on whole numbers (counts).
    """
    values = [bar.value for bar in bars]
    ticks = nice_ticks(min(values, default=0.0), max(values, default=0.0), whole=whole)
    frame = _Frame(width, height, ticks[0], ticks[-1])
    parts = _open(width, height, title, "bars")
    parts += _grid(frame, ticks, tick)

    slot = (width - _LEFT - _RIGHT) / max(len(bars), 1)
    zero = frame.y(0.0)
    for index, bar in enumerate(bars):
        x = _LEFT + index * slot + slot * 0.15
        top, bottom = sorted((frame.y(bar.value), zero))
        negative = bar.value < 0
        css = "bar negative" if negative else "bar"
        parts.append(
            f'<rect class="{css}" data-value="{_num(bar.value)}" x="{_num(x)}" '
            f'y="{_num(top)}" width="{_num(slot * 0.7)}" '
            f'height="{_num(bottom - top)}">'
            f"<title>{_esc(bar.label)} — {_esc(bar.shown)}</title></rect>"
        )
        centre = _num(x + slot * 0.35)
        # Above the bar, or above the zero line for a bar that hangs below it.
        value_y = zero - 5 if negative else top - 5
        parts.append(
            f'<text class="value" x="{centre}" y="{_num(value_y)}" '
            f'text-anchor="middle">{_esc(bar.shown)}</text>'
        )
        parts.append(_category(bar.label, centre, frame.plot_bottom + 16, slot))
    parts.append("</svg>")
    return "".join(parts)


def _wrap(text: str, chars: int) -> list[str]:
    """Words of `text` in lines of about `chars` characters (a long word stays)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _category(label: str, centre: str, top: float, slot: float) -> str:
    """A category label under its bar, on two lines or more when it is too wide."""
    # About 6 pixels per character at the labels' 11px size.
    lines = _wrap(label, max(int(slot / 6), 4))
    spans = "".join(
        f'<tspan x="{centre}" dy="{0 if i == 0 else 13}">{_esc(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text class="category" x="{centre}" y="{_num(top)}" '
        f'text-anchor="middle">{spans}</text>'
    )


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """Consecutive known values, as (index, value) runs split at each None."""
    runs: list[list[tuple[int, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((index, value))
    return [run for run in runs if run]


def _legend(series: Sequence[Series]) -> list[str]:
    parts = []
    x = _LEFT
    for line in series:
        parts.append(
            f'<line class="line {line.style}" x1="{_num(x)}" y1="12" '
            f'x2="{_num(x + 22)}" y2="12"/>'
            f'<text class="legend" x="{_num(x + 28)}" y="12" '
            f'dominant-baseline="middle">{_esc(line.name)}</text>'
        )
        # Legend entries are spaced by a rough width of their text.
        x += 44 + 7.2 * len(line.name)
    return parts


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    tick: Tick,
    label_every: int = 3,
    width: float = 760,
    height: float = 300,
) -> str:
    """Lines over evenly spaced x labels (e.g. months), with a legend on top.

    Every `label_every`-th x label is written, counting back from the last one,
    so the latest point is always labelled.
    """
    known = [v for line in series for v in line.values if v is not None]
    ticks = nice_ticks(min(known, default=0.0), max(known, default=0.0))
    # A wider right margin leaves room for the last x label, centred on its point.
    frame = _Frame(width, height, ticks[0], ticks[-1], right=_RIGHT + 24)
    parts = _open(width, height, title, "lines")
    parts += _grid(frame, ticks, tick)
    parts += _legend(series)

    count = len(labels)
    span = width - _LEFT - frame.right
    step = span / max(count - 1, 1)

    def x(index: int) -> float:
        return _LEFT + index * step if count > 1 else _LEFT + span / 2

    for index, label in enumerate(labels):
        if (count - 1 - index) % max(label_every, 1) == 0:
            parts.append(
                f'<text class="category" x="{_num(x(index))}" '
                f'y="{_num(frame.plot_bottom + 18)}" text-anchor="middle">'
                f"{_esc(label)}</text>"
            )
    for line in series:
        for run in _runs(line.values):
            points = " ".join(f"{_num(x(i))},{_num(frame.y(v))}" for i, v in run)
            parts.append(f'<polyline class="line {line.style}" points="{points}"/>')
        for index, value in enumerate(line.values):
            if value is None:
                continue
            shown = line.shown[index] if line.shown is not None else tick(value)
            parts.append(
                f'<circle class="point {line.style}" cx="{_num(x(index))}" '
                f'cy="{_num(frame.y(value))}" r="2.5">'
                f"<title>{_esc(line.name)}, {_esc(labels[index])} — "
                f"{_esc(shown)}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)
