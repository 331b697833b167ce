"""Disputes (litiges): a customer's objection to one invoice, which pauses it.

A dispute is open from `opened_on` until `closed_on` (exclusive: on the closing day
the invoice may be reminded again). It pauses that invoice only; the customer's
other invoices follow their ladder.

Figures over a period [start, end) (start included, end excluded):
- disputes opened: those with start <= opened_on < end;
- average resolution time: over disputes closed in the period, the mean of
  closed_on − opened_on in days, rounded half up to one decimal (None if none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

# Common reason codes; others are accepted if they are short lower-case words.
REASON_CODES = (
    "price",
    "quantity",
    "quality",
    "delivery",
    "not_ordered",
    "duplicate",
    "payment_sent",
    "other",
)
_CODE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


def check_reason_code(code: str) -> str:
    """The code, lower-cased; ValueError naming the expected form when it is not one."""
    cleaned = code.strip().lower()
    if not _CODE.match(cleaned):
        raise ValueError(
            f"reason code {code!r} should be a short word such as "
            f"{', '.join(REASON_CODES)}"
        )
    return cleaned


@dataclass(frozen=True)
class DisputeFigures:
    """Disputes over a period: how many opened, how fast they were resolved."""

    start: date
    end: date
    opened: int
    closed: int
    average_resolution_days: Decimal | None


def dispute_figures(disputes: pl.DataFrame, start: date, end: date) -> DisputeFigures:
    """Figures of `disputes` (columns opened_on, closed_on) over [start, end)."""
    opened = disputes.filter(
        (pl.col("opened_on") >= start) & (pl.col("opened_on") < end)
    )
    closed = disputes.filter(
        pl.col("closed_on").is_not_null()
        & (pl.col("closed_on") >= start)
        & (pl.col("closed_on") < end)
    )
    average = None
    if closed.height:
        days = closed.select(
            (pl.col("closed_on") - pl.col("opened_on")).dt.total_days().sum()
        ).item()
        average = (Decimal(int(days)) / closed.height).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return DisputeFigures(start, end, opened.height, closed.height, average)
