"""Disputed receivables (litiges): open items a customer objects to.

Contracts: the disputed amount is the sum of the residuals, as of D, of the open
items flagged disputed (minor units, one currency); its share is that amount over
the receivables AR(D), None when AR(D) is not positive.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from relance.figures.recovery import share


@dataclass(frozen=True, slots=True)
class Disputes:
    """Open disputed items at a date."""

    items: int
    amount: int
    receivables: int

    @property
    def share(self) -> Decimal | None:
        return share(self.amount, self.receivables)


def disputes_of(items: pl.DataFrame, receivables: int) -> Disputes:
    """Count and sum the disputed rows of aged items."""
    disputed = items.filter(pl.col("disputed"))
    return Disputes(
        items=disputed.height,
        amount=int(disputed.get_column("residual").sum()),
        receivables=receivables,
    )
