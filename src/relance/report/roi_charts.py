"""Inline SVG charts of the ROI report, drawn by hand: no script, no CDN, offline.

Contracts: each function returns one `<svg>` element as text, sized by `viewBox`
so it scales with the page; values come in as floats (chart payloads only);
labels are escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#1f6f8b", "#e07a1f", "#5a9e3a", "#8e4e9e", "#c23b3b", "#6b6b6b")
_FONT = 'font-family="sans-serif" font-size="11"'


def _frame(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def survival_chart(
    curves: Sequence[
        tuple[str, Sequence[float], Sequence[float], Sequence[float], Sequence[float]]
    ],
    horizon: int,
    title: str,
    width: int = 640,
    height: int = 300,
) -> str:
    """Step curves of the share still unpaid, with their 95 % bands.

    Each curve is (label, days, unpaid share, band low, band high).
    """
    left, right, top, bottom = 48, 130, 12, 34
    w, h = width - left - right, height - top - bottom

    def x(day: float) -> float:
        return left + w * min(day, horizon) / horizon

    def y(share: float) -> float:
        return top + h * (1 - share)

    body = [
        f'<rect x="{left}" y="{top}" width="{w}" height="{h}" fill="none" '
        'stroke="#ccc"/>'
    ]
    for share in (0.0, 0.25, 0.5, 0.75, 1.0):
        body.append(
            f'<line x1="{left}" x2="{left + w}" y1="{y(share):.1f}" '
            f'y2="{y(share):.1f}" '
            f'stroke="#eee"/><text x="{left - 6}" y="{y(share) + 4:.1f}" '
            f'text-anchor="end" {_FONT}>{share:.0%}</text>'
        )
    for day in range(0, horizon + 1, max(horizon // 6, 1)):
        body.append(
            f'<text x="{x(day):.1f}" y="{top + h + 14}" text-anchor="middle" '
            f"{_FONT}>{day}</text>"
        )
    body.append(
        f'<text x="{left + w / 2}" y="{height - 4}" text-anchor="middle" {_FONT}>'
        "days after the due date</text>"
    )
    for n, (label, days, unpaid, low, high) in enumerate(curves):
        colour = PALETTE[n % len(PALETTE)]
        upper = _steps(days, high, x, y, horizon)
        lower = _steps(days, low, x, y, horizon)
        band = upper + list(reversed(lower))
        body.append(
            f'<polygon points="{" ".join(band)}" fill="{colour}" opacity="0.15"/>'
        )
        body.append(
            f'<polyline points="{" ".join(_steps(days, unpaid, x, y, horizon))}" '
            f'fill="none" stroke="{colour}" stroke-width="2"/>'
        )
        ly = top + 14 + 16 * n
        body.append(
            f'<rect x="{left + w + 10}" y="{ly - 9}" width="12" height="10" '
            f'fill="{colour}"/><text x="{left + w + 26}" y="{ly}" {_FONT}>'
            f"{escape(label)}</text>"
        )
    return _frame(width, height, body, title)


def _steps(days, values, x, y, horizon: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Points of a right-continuous step function, extended to the horizon."""
    points: list[str] = []
    previous = None
    for day, value in zip(days, values, strict=True):
        if previous is not None:
            points.append(f"{x(day):.1f},{y(previous):.1f}")
        points.append(f"{x(day):.1f},{y(value):.1f}")
        previous = value
    if previous is not None:
        points.append(f"{x(horizon):.1f},{y(previous):.1f}")
    return points


def interval_bars(
    rows: Sequence[tuple[str, float, float | None, float | None]],
    title: str,
    unit: str = "",
    width: int = 640,
) -> str:
    """Horizontal bars (label, value, low, high) with whiskers for the interval."""
    left, right, row_h = 220, 90, 26
    height = 24 + row_h * len(rows)
    values = [v for r in rows for v in (r[1], r[2], r[3]) if v is not None]
    lo, hi = min([0.0, *values]), max([0.0, *values])
    span = (hi - lo) or 1.0
    w = width - left - right

    def x(v: float) -> float:
        return left + w * (v - lo) / span

    body = [
        f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="8" y2="{height - 8}" '
        'stroke="#999"/>'
    ]
    for n, (label, value, low, high) in enumerate(rows):
        cy = 16 + row_h * n + row_h / 2
        colour = PALETTE[n % len(PALETTE)]
        x0, x1 = sorted((x(0), x(value)))
        body.append(
            f'<text x="{left - 8}" y="{cy + 4:.1f}" text-anchor="end" {_FONT}>'
            f"{escape(label)}</text>"
        )
        body.append(
            f'<rect x="{x0:.1f}" y="{cy - 8:.1f}" width="{max(x1 - x0, 1):.1f}" '
            f'height="16" fill="{colour}" opacity="0.8"/>'
        )
        if low is not None and high is not None:
            body.append(
                f'<line x1="{x(low):.1f}" x2="{x(high):.1f}" y1="{cy:.1f}" '
                f'y2="{cy:.1f}" stroke="#222" stroke-width="1.5"/>'
            )
            for end in (low, high):
                body.append(
                    f'<line x1="{x(end):.1f}" x2="{x(end):.1f}" y1="{cy - 6:.1f}" '
                    f'y2="{cy + 6:.1f}" stroke="#222" stroke-width="1.5"/>'
                )
        body.append(
            f'<text x="{width - right + 6}" y="{cy + 4:.1f}" {_FONT}>'
            f"{value:,.0f}{escape(unit)}</text>"
        )
    return _frame(width, height, body, title)


def payback_chart(
    setup: float,
    monthly_net: float,
    months: int,
    title: str,
    width: int = 640,
    height: int = 220,
) -> str:
    """Cumulated net benefit month by month (−set-up at month 0), with the zero line."""
    left, right, top, bottom = 70, 20, 12, 30
    w, h = width - left - right, height - top - bottom
    values = [-setup + monthly_net * n for n in range(months + 1)]
    lo, hi = min(0.0, *values), max(0.0, *values)
    span = (hi - lo) or 1.0

    def x(n: float) -> float:
        return left + w * n / months

    def y(v: float) -> float:
        return top + h * (hi - v) / span

    body = [
        f'<line x1="{left}" x2="{left + w}" y1="{y(0):.1f}" y2="{y(0):.1f}" '
        'stroke="#999"/>',
        f'<text x="{left - 6}" y="{y(hi) + 4:.1f}" text-anchor="end" {_FONT}>'
        f"{hi:,.0f}</text>",
        f'<text x="{left - 6}" y="{y(lo) + 4:.1f}" text-anchor="end" {_FONT}>'
        f"{lo:,.0f}</text>",
    ]
    points = " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in enumerate(values))
    body.append(
        f'<polyline points="{points}" fill="none" stroke="{PALETTE[0]}" '
        'stroke-width="2"/>'
    )
    for n in range(0, months + 1, 6):
        body.append(
            f'<text x="{x(n):.1f}" y="{top + h + 16}" text-anchor="middle" {_FONT}>'
            f"{n}</text>"
        )
    return _frame(width, height, body, title)
