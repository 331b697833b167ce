"""The cost of lateness per customer: late days × amount, the report's top list.

Contracts, one currency, as of D over the period S..D (both included):
- open part = Σ, over the customer's invoices open at D and past due
  (D − due date ≥ 1), of residual(D) × days past due at D;
- paid part = Σ, over the customer's payment applications to invoices whose
  effective date falls in S..D (as in `relance.figures.delays`), of amount ×
  days late (payment date − due date, 0 when paid by the due date);
- cost = open part + paid part, in minor units × days (exact integers, summed
  as 128-bit so that large books cannot overflow);
- credit notes, unapplied cash and write-offs cost nothing; a disputed invoice
  costs like any other (it is late all the same);
- the list keeps customers with a positive cost, largest first, ties by
  customer reference, cut at `limit` rows.
The averages the report shows beside the cost are the open part / overdue
invoices (average days past due of the open overdue amount) and the paid part /
amount paid (average days late of the period's payments).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from relance.domain.ledger import Ledger, open_items
from relance.figures.delays import paid_invoices
from relance.figures.period import Period

TOP_CUSTOMERS = 20

LATENESS_COLUMNS = (
    "customer_ref",
    "name",
    "overdue",
    "open_cost",
    "paid",
    "paid_cost",
    "cost",
)


def _open_costs(ledger: Ledger, as_of: date) -> pl.DataFrame:
    """Per customer: overdue invoices' residual and residual × days past due."""
    late = open_items(ledger, as_of).filter(
        (pl.col("kind") == "invoice")
        & (pl.col("residual") > 0)
        & (pl.col("days_past_due") > 0)
    )
    residual = pl.col("residual").cast(pl.Int128)
    return late.group_by("customer_id").agg(
        residual.sum().alias("overdue"),
        (residual * pl.col("days_past_due")).sum().alias("open_cost"),
    )


def _paid_costs(ledger: Ledger, period: Period) -> pl.DataFrame:
    """Per customer: amount paid in the period and amount × days late."""
    paid = paid_invoices(ledger, period.end).filter(
        pl.col("paid_on").is_between(period.start, period.end)
    )
    amount = pl.col("amount").cast(pl.Int128)
    return paid.group_by("customer_id").agg(
        amount.sum().alias("paid"),
        (amount * pl.col("late")).sum().alias("paid_cost"),
    )


def lateness_costs(
    ledger: Ledger, period: Period, limit: int | None = TOP_CUSTOMERS
) -> pl.DataFrame:
    """The customers who cost the most in late days × amount (see module doc).

    `ledger` holds one currency; the as-of date is the period's end. Columns:
    `LATENESS_COLUMNS`, money in minor units, costs in minor units × days.
    """
    names = ledger.customers.select(
        pl.col("id").alias("customer_id"), pl.col("ref").alias("customer_ref"), "name"
    )
    open_part = _open_costs(ledger, period.end)
    paid_part = _paid_costs(ledger, period)
    keys = pl.concat([open_part.select("customer_id"), paid_part.select("customer_id")])
    sums = ("overdue", "open_cost", "paid", "paid_cost")
    costs = (
        keys.unique()
        .join(open_part, on="customer_id", how="left")
        .join(paid_part, on="customer_id", how="left")
        .with_columns(pl.col(*sums).fill_null(0).cast(pl.Int128))
        .with_columns((pl.col("open_cost") + pl.col("paid_cost")).alias("cost"))
        .filter(pl.col("cost") > 0)
        .join(names, on="customer_id", how="left")
        .sort(["cost", "customer_ref"], descending=[True, False])
        .select(LATENESS_COLUMNS)
    )
    return costs if limit is None else costs.head(limit)
