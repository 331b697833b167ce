"""Promises to pay: a customer's commitment to pay an amount by a date.

An open promise pauses reminders until its date (the whole customer, or one
invoice when it names one); the day after, planning resumes the ladder at the next
step. `settle` judges promises:

- kept: the customer's payments in the promise's currency dated from `recorded_on`
  to `promised_for + grace` (both included), and not after the settling day, add
  up to at least the promised amount; `resolved_on` is the date of the payment that
  reached it;
- broken: not kept and the settling day is after `promised_for + grace`;
  `resolved_on` is the first day after the grace;
- otherwise still open.

One payment may count towards two promises of the same customer made over the same
days: promises are commitments about cash, not about particular invoices.

Kept rate over a period [start, end): promises resolved in the period,
kept / (kept + broken), unrounded (shown as a percentage with one decimal).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import polars as pl

PROMISE_COLUMNS = {
    "id": pl.Int64,
    "customer_id": pl.Int64,
    "recorded_on": pl.Date,
    "promised_for": pl.Date,
    "amount": pl.Int64,
    "currency": pl.Utf8,
}
PAYMENT_COLUMNS = {
    "customer_id": pl.Int64,
    "payment_date": pl.Date,
    "amount": pl.Int64,
    "currency": pl.Utf8,
}


def settle(
    promises: pl.DataFrame, payments: pl.DataFrame, day: date, grace_days: int
) -> pl.DataFrame:
    """Judge open promises on `day`: columns id, status (kept|broken), resolved_on.

    Only promises that change are returned; amounts are minor units.
    """
    grace = timedelta(days=grace_days)
    open_ = promises.select(list(PROMISE_COLUMNS)).with_columns(
        (pl.col("promised_for") + grace).alias("_until")
    )
    paid = payments.select(
        pl.col("customer_id"),
        pl.col("currency"),
        pl.col("payment_date"),
        pl.col("amount").alias("_paid"),
    )
    matched = (
        open_.join(paid, on=["customer_id", "currency"], how="inner")
        .filter(
            (pl.col("payment_date") >= pl.col("recorded_on"))
            & (pl.col("payment_date") <= pl.col("_until"))
            & (pl.col("payment_date") <= day)
        )
        .sort("id", "payment_date")
        .with_columns(pl.col("_paid").cum_sum().over("id").alias("_cumulated"))
    )
    kept = (
        matched.filter(pl.col("_cumulated") >= pl.col("amount"))
        .group_by("id")
        .agg(pl.col("payment_date").min().alias("resolved_on"))
        .with_columns(pl.lit("kept").alias("status"))
    )
    broken = (
        open_.join(kept.select("id"), on="id", how="anti")
        .filter(pl.col("_until") < day)
        .select(
            "id",
            pl.lit("broken").alias("status"),
            (pl.col("_until") + timedelta(days=1)).alias("resolved_on"),
        )
    )
    return pl.concat([kept.select("id", "status", "resolved_on"), broken]).sort("id")


@dataclass(frozen=True)
class PromiseFigures:
    """Promises resolved over [start, end): how many kept, broken, and the rate."""

    start: date
    end: date
    kept: int
    broken: int

    @property
    def kept_rate(self) -> Decimal | None:
        """kept / (kept + broken), or None when none was resolved."""
        resolved = self.kept + self.broken
        return Decimal(self.kept) / resolved if resolved else None


def promise_figures(promises: pl.DataFrame, start: date, end: date) -> PromiseFigures:
    """Figures of `promises` (columns status, resolved_on) over [start, end)."""
    resolved = promises.filter(
        pl.col("resolved_on").is_not_null()
        & (pl.col("resolved_on") >= start)
        & (pl.col("resolved_on") < end)
    )
    counts = dict(resolved.group_by("status").len().iter_rows())
    return PromiseFigures(
        start, end, int(counts.get("kept", 0)), int(counts.get("broken", 0))
    )
