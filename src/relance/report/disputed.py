"""The disputed items (litiges) the report lists, one row per open item.

Contracts, one currency, as of D: the rows are the documents open at D (see
`relance.domain.ledger.open_items`) flagged disputed, with their residual (minor
units) and days past due at D; sorted by residual, largest first, then by
document reference. Their sum is the disputed amount of `relance.figures`
(`disputes.amount`); the report shows the first `limit` rows and says how many
more there are.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from relance.domain.ledger import Ledger, open_items

DISPUTED_SHOWN = 50

DISPUTED_COLUMNS = (
    "ref",
    "customer_ref",
    "name",
    "issue_date",
    "due_date",
    "amount",
    "residual",
    "days_past_due",
)


def disputed_items(ledger: Ledger, as_of: date) -> pl.DataFrame:
    """Every open disputed item at `as_of` (one currency), largest first."""
    names = ledger.customers.select(pl.col("id").alias("customer_id"), "name")
    return (
        open_items(ledger, as_of)
        .filter(pl.col("disputed"))
        .join(names, on="customer_id", how="left")
        .sort(["residual", "ref"], descending=[True, False])
        .select(DISPUTED_COLUMNS)
    )
