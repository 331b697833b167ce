"""Receivables (encours client) as of a date, and how overdue they are.

Contracts (one currency, Int64 minor units, as of D inclusive):
- receivables AR(D) = open items' residuals + unapplied cash, which counts
  negative; it equals the sum of the aging buckets exactly;
- overdue = residuals of items with due date < D (the four past-due buckets;
  a past-due credit note counts negative there);
- not yet due (current) = residuals of items with due date ≥ D; unapplied cash
  is in neither.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from relance.figures.aging import OVERDUE_BUCKETS, bucket_totals


@dataclass(frozen=True, slots=True)
class Receivables:
    """AR at one date, in minor units, with its aging buckets."""

    total: int
    overdue: int
    not_due: int
    unapplied: int
    aging: dict[str, int]


def receivables_of(items: pl.DataFrame) -> Receivables:
    """Totals of aged items (see `relance.figures.aging.aged_items`)."""
    buckets = bucket_totals(items)
    return Receivables(
        total=sum(buckets.values()),
        overdue=sum(buckets[name] for name in OVERDUE_BUCKETS),
        not_due=buckets["not_due"],
        unapplied=buckets["unapplied"],
        aging=buckets,
    )
