"""Sales (chiffre d'affaires facturé): posted documents by issue date.

Contracts: sales over a range are the amounts of the posted documents issued in
it, both ends included, credit notes netted (they are negative); one currency,
Int64 minor units. Drafts and cancelled documents are never in a `Ledger`.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from relance.domain.ledger import Ledger
from relance.figures.period import month_end, month_index


def sales_between(ledger: Ledger, start: date, end: date) -> int:
    """Net amount of documents issued from `start` to `end`, both included."""
    issued = ledger.documents.filter(pl.col("issue_date").is_between(start, end))
    return int(issued.get_column("amount").sum())


def month_of(day: pl.Expr) -> pl.Expr:
    """The `relance.figures.period.month_index` of a date column."""
    return day.dt.year().cast(pl.Int64) * 12 + day.dt.month().cast(pl.Int64) - 1


def monthly_sales(ledger: Ledger, as_of: date) -> pl.DataFrame:
    """Net sales of every month up to the as-of month, oldest first.

    Columns: `month` (month index), `sales` (minor units, zero for a month without
    documents) and `days` (the month's calendar days, or for the as-of month the
    days elapsed up to `as_of`). The first month is that of the oldest document.
    """
    last = month_index(as_of)
    per_month = (
        ledger.documents.filter(pl.col("issue_date") <= as_of)
        .group_by(month_of(pl.col("issue_date")).alias("month"))
        .agg(pl.col("amount").sum().alias("sales"))
    )
    first = int(per_month["month"].min()) if per_month.height else last  # type: ignore[arg-type]
    months = pl.DataFrame({"month": pl.int_range(first, last + 1, eager=True)})
    days = [month_end(i).day for i in range(first, last)] + [as_of.day]
    return (
        months.join(per_month, on="month", how="left")
        .with_columns(
            pl.col("sales").fill_null(0).cast(pl.Int64),
            pl.Series("days", days, dtype=pl.Int64),
        )
        .sort("month")
    )
