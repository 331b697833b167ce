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
from datetime import date

import polars as pl

from relance.domain.ledger import Ledger
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


def receivables_total(ledger: Ledger, as_of: date, applications: pl.DataFrame) -> int:
    """AR(as_of) alone, from sums of the ledger's movements, without open items.

    Equal to the total of `aged_items` (the tests hold the two together), for
    when no bucket is needed (the receivables on the eve of the period):
    documents issued − applications received + credit notes given − write-offs
    − (payments received − their applications).
    `applications` is `effective_applications(ledger)`.
    """
    issued = ledger.documents.filter(pl.col("issue_date") <= as_of)
    live = applications.filter(pl.col("applied_on") <= as_of)
    received_cash = ledger.payments.filter(pl.col("payment_date") <= as_of)
    # A write-off counts once its document exists; cash only once received.
    written = ledger.writeoffs.filter(
        (pl.col("writeoff_date") <= as_of)
        & pl.col("document_id").is_in(issued.get_column("id").implode())
    )
    used = live.filter(
        pl.col("payment_id").is_in(received_cash.get_column("id").implode())
    )
    given = live.filter(pl.col("credit_note_id").is_not_null())

    def total(frame: pl.DataFrame) -> int:
        return int(frame.get_column("amount").sum())

    open_items_total = total(issued) - total(live) + total(given) - total(written)
    return open_items_total - (total(received_cash) - total(used))
