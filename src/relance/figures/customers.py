"""Figures per customer: balance, overdue, lateness, last payment.

Contracts, one currency, as of D over a period S..D (minor units):
- balance = the customer's receivables AR(D) (open items and unapplied cash);
  overdue, not_due, unapplied and disputed as in `relance.figures.receivables`;
- average days late = amount-weighted days late of the customer's payment
  applications effective in S..D (see `relance.figures.delays`), None without any;
- last payment = the latest date of the customer's payments on or before D,
  whatever the period;
- a customer appears when something is open at D or a payment was applied in the
  period; rows are sorted by overdue, then balance, largest first.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from relance.domain.ledger import Ledger
from relance.figures.aging import OVERDUE_BUCKETS
from relance.figures.period import Period

CUSTOMER_COLUMNS = (
    "customer_ref",
    "name",
    "balance",
    "overdue",
    "not_due",
    "unapplied",
    "disputed",
    "paid",
    "late_sum",
    "last_payment",
)


def _balances(items: pl.DataFrame) -> pl.DataFrame:
    in_bucket = pl.col("bucket")
    return items.group_by("customer_id").agg(
        pl.col("residual").sum().alias("balance"),
        pl.col("residual")
        .filter(in_bucket.is_in(OVERDUE_BUCKETS))
        .sum()
        .alias("overdue"),
        pl.col("residual").filter(in_bucket == "not_due").sum().alias("not_due"),
        pl.col("residual").filter(in_bucket == "unapplied").sum().alias("unapplied"),
        pl.col("residual").filter(pl.col("disputed")).sum().alias("disputed"),
    )


def _lateness(paid: pl.DataFrame, period: Period) -> pl.DataFrame:
    amount = pl.col("amount").cast(pl.Int128)
    return (
        paid.filter(pl.col("paid_on").is_between(period.start, period.end))
        .group_by("customer_id")
        .agg(
            amount.sum().alias("paid"),
            (amount * pl.col("late")).sum().alias("late_sum"),
        )
    )


def _last_payments(ledger: Ledger, as_of: date) -> pl.DataFrame:
    return (
        ledger.payments.filter(pl.col("payment_date") <= as_of)
        .group_by("customer_id")
        .agg(pl.col("payment_date").max().alias("last_payment"))
    )


def customer_figures(
    ledger: Ledger, items: pl.DataFrame, paid: pl.DataFrame, period: Period
) -> pl.DataFrame:
    """One row per customer with the columns of `CUSTOMER_COLUMNS`.

    `items` are the aged items as of the period's end, `paid` the payment
    applications of `relance.figures.delays.paid_invoices`. `late_sum / paid` is
    the average days late.
    """
    keys = pl.concat(
        [
            items.select("customer_id"),
            paid.filter(pl.col("paid_on").is_between(period.start, period.end)).select(
                "customer_id"
            ),
        ]
    ).unique()
    names = ledger.customers.select(
        pl.col("id").alias("customer_id"), pl.col("ref").alias("customer_ref"), "name"
    )
    money = ("balance", "overdue", "not_due", "unapplied", "disputed")
    return (
        keys.join(_balances(items), on="customer_id", how="left")
        .join(_lateness(paid, period), on="customer_id", how="left")
        .join(_last_payments(ledger, period.end), on="customer_id", how="left")
        .join(names, on="customer_id", how="left")
        .with_columns(pl.col(*money, "paid", "late_sum").fill_null(0))
        .sort(["overdue", "balance", "customer_ref"], descending=[True, True, False])
        .select(CUSTOMER_COLUMNS)
    )
