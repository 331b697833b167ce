"""The aged balance (balance âgée): open items by days past due, as of a date.

Contracts:
- days past due = as-of date − due date, in calendar days: an item due on the
  as-of date is 0 days past due and therefore not due;
- buckets, bounds included: `not_due` (≤ 0), `1_30`, `31_60`, `61_90`,
  `over_90` (≥ 91), and `unapplied` for cash not yet matched to an item (negative);
- a credit note still to be used is a negative item aged by its own due date;
- the buckets add up exactly to the receivables; amounts are Int64 minor units
  of the rows' currency (one currency per call: see `Ledger.in_currency`).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from relance.domain.ledger import (
    Ledger,
    effective_applications,
    open_items,
    unapplied_cash,
)

BUCKETS = ("not_due", "1_30", "31_60", "61_90", "over_90", "unapplied")
OVERDUE_BUCKETS = ("1_30", "31_60", "61_90", "over_90")

AGED_ITEM_SCHEMA = pl.Schema(
    {
        "kind": pl.Utf8,
        "ref": pl.Utf8,
        "customer_id": pl.Int64,
        "customer_ref": pl.Utf8,
        "issue_date": pl.Date,
        "due_date": pl.Date,
        "amount": pl.Int64,
        "residual": pl.Int64,
        "days_past_due": pl.Int64,
        "bucket": pl.Utf8,
        "currency": pl.Utf8,
        "disputed": pl.Boolean,
    }
)


def bucket_of(days_past_due: pl.Expr) -> pl.Expr:
    """The aging bucket name for a days-past-due column."""
    return (
        pl.when(days_past_due <= 0)
        .then(pl.lit("not_due"))
        .when(days_past_due <= 30)
        .then(pl.lit("1_30"))
        .when(days_past_due <= 60)
        .then(pl.lit("31_60"))
        .when(days_past_due <= 90)
        .then(pl.lit("61_90"))
        .otherwise(pl.lit("over_90"))
    )


def aged_items(
    ledger: Ledger, as_of: date, *, applications: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Open items and unapplied payments as of `as_of`, each with its bucket.

    An unapplied payment is a row of kind `payment` whose `residual` is minus the
    unapplied part, with no due date and the payment date as `issue_date`.
    `applications` may pass `effective_applications(ledger)` computed once.
    """
    if applications is None:
        applications = effective_applications(ledger)
    items = open_items(ledger, as_of, applications=applications).with_columns(
        bucket_of(pl.col("days_past_due")).alias("bucket")
    )
    cash = unapplied_cash(ledger, as_of, applications=applications).select(
        pl.lit("payment").alias("kind"),
        "ref",
        "customer_id",
        "customer_ref",
        pl.col("payment_date").alias("issue_date"),
        pl.lit(None, dtype=pl.Date).alias("due_date"),
        "amount",
        (-pl.col("unapplied")).alias("residual"),
        pl.lit(None, dtype=pl.Int64).alias("days_past_due"),
        pl.lit("unapplied").alias("bucket"),
        "currency",
        pl.lit(False).alias("disputed"),
    )
    columns = list(AGED_ITEM_SCHEMA)
    return pl.concat(
        [items.select(columns).cast(AGED_ITEM_SCHEMA), cash.cast(AGED_ITEM_SCHEMA)]
    )


def bucket_totals(items: pl.DataFrame) -> dict[str, int]:
    """Sum of residuals per bucket, every bucket present (zero when empty)."""
    sums = items.group_by("bucket").agg(pl.col("residual").sum())
    found = dict(zip(sums["bucket"].to_list(), sums["residual"].to_list(), strict=True))
    return {name: int(found.get(name, 0)) for name in BUCKETS}


def aged_by_customer(items: pl.DataFrame, customers: pl.DataFrame) -> pl.DataFrame:
    """One row per customer: a column per bucket, `overdue` and `balance`.

    Sorted by balance, largest first; customers with nothing open are absent.
    """
    wide = items.group_by("customer_id", "currency").agg(
        *(
            pl.col("residual").filter(pl.col("bucket") == name).sum().alias(name)
            for name in BUCKETS
        ),
        pl.col("residual").sum().alias("balance"),
    )
    names = customers.select(
        pl.col("id").alias("customer_id"),
        pl.col("ref").alias("customer_ref"),
        pl.col("name"),
    )
    return (
        wide.join(names, on="customer_id", how="left")
        .with_columns(pl.sum_horizontal(*OVERDUE_BUCKETS).alias("overdue"))
        .select("customer_ref", "name", "currency", *BUCKETS, "overdue", "balance")
        .sort(["balance", "customer_ref"], descending=[True, False])
    )
