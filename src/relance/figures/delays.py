"""Payment delays (délais et retards de paiement), weighted by amount paid.

Contracts, for one currency over a range of days (both ends included):
- the observations are the payment applications (not credit notes, not
  write-offs) to invoices whose effective date (see
  `relance.domain.ledger.effective_applications`; the payment date unless the
  invoice was issued later) falls in the range; one payment settling three
  invoices is three observations;
- days to pay = payment date − issue date; days beyond terms = payment date −
  due date (negative when early); days late = days beyond terms, or 0 when paid
  by the due date; each is averaged weighted by the amount applied;
- on-time rates: the share of observations (by count, and by amount) paid on or
  before the due date;
- the distribution counts observations, and sums amounts, by days beyond terms:
  early (< 0), on_time (0), 1_5, 6_15, 16_30, 31_60, 61_plus (bounds included).
Averages are unrounded `Decimal` days, None without any amount paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from relance.domain.ledger import Ledger
from relance.figures.settlements import settlements
from relance.figures.units import ratio

BANDS = ("early", "on_time", "1_5", "6_15", "16_30", "31_60", "61_plus")


def band_of(days_beyond: pl.Expr) -> pl.Expr:
    """The distribution band of a days-beyond-terms column."""
    return (
        pl.when(days_beyond < 0)
        .then(pl.lit("early"))
        .when(days_beyond == 0)
        .then(pl.lit("on_time"))
        .when(days_beyond <= 5)
        .then(pl.lit("1_5"))
        .when(days_beyond <= 15)
        .then(pl.lit("6_15"))
        .when(days_beyond <= 30)
        .then(pl.lit("16_30"))
        .when(days_beyond <= 60)
        .then(pl.lit("31_60"))
        .otherwise(pl.lit("61_plus"))
    )


def paid_invoices(
    ledger: Ledger,
    until: date,
    *,
    applications: pl.DataFrame | None = None,
    settled: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every payment application to an invoice effective by `until`, with delays.

    Columns: customer_id, document_id, paid_on, amount (minor units), to_pay,
    beyond, late (days), band. `applications` may pass
    `effective_applications(ledger)`, or `settled` the
    `relance.figures.settlements.settlements`, when already computed.
    """
    if settled is None:
        settled = settlements(ledger, applications)
    paid = settled.filter(
        pl.col("payment_id").is_not_null()
        & pl.col("invoice")
        & (pl.col("applied_on") <= until)
    )
    beyond = (pl.col("paid_on") - pl.col("due_date")).dt.total_days()
    return (
        paid.select(
            "customer_id",
            "document_id",
            pl.col("applied_on").alias("paid_on"),
            "amount",
            "issue_date",
            "due_date",
        )
        .with_columns(
            (pl.col("paid_on") - pl.col("issue_date")).dt.total_days().alias("to_pay"),
            beyond.alias("beyond"),
        )
        .with_columns(
            pl.col("beyond").clip(lower_bound=0).alias("late"),
            band_of(pl.col("beyond")).alias("band"),
        )
    )


def delay_sums() -> list[pl.Expr]:
    """Aggregations a `Delays` is built from, for `group_by(...).agg` or `select`.

    Products of amount and days are Int128 so that millions of large amounts
    cannot overflow.
    """
    amount = pl.col("amount").cast(pl.Int128)
    on_time = pl.col("beyond") <= 0
    sums = [
        pl.len().alias("n"),
        amount.sum().alias("amount_sum"),
        (amount * pl.col("to_pay")).sum().alias("to_pay_sum"),
        (amount * pl.col("beyond")).sum().alias("beyond_sum"),
        (amount * pl.col("late")).sum().alias("late_sum"),
        on_time.sum().alias("on_time_n"),
        amount.filter(on_time).sum().alias("on_time_amount"),
    ]
    for band in BANDS:
        chosen = pl.col("band") == band
        sums.append(chosen.sum().alias(f"n_{band}"))
        sums.append(amount.filter(chosen).sum().alias(f"amount_{band}"))
    return sums


@dataclass(frozen=True, slots=True)
class Delays:
    """Amount-weighted delays of the payments of a period; money in minor units."""

    payments: int
    amount: int
    days_to_pay: Decimal | None
    days_beyond_terms: Decimal | None
    days_late: Decimal | None
    on_time_rate_count: Decimal | None
    on_time_rate_amount: Decimal | None
    distribution: dict[str, tuple[int, int]]

    @classmethod
    def from_sums(cls, row: dict[str, Any]) -> Delays:
        """Build from one row of `delay_sums` (missing sums count as zero)."""

        def get(name: str) -> int:
            return int(row.get(name) or 0)

        paid = get("amount_sum")
        return cls(
            payments=get("n"),
            amount=paid,
            days_to_pay=ratio(get("to_pay_sum"), paid),
            days_beyond_terms=ratio(get("beyond_sum"), paid),
            days_late=ratio(get("late_sum"), paid),
            on_time_rate_count=ratio(get("on_time_n"), get("n")),
            on_time_rate_amount=ratio(get("on_time_amount"), paid),
            distribution={b: (get(f"n_{b}"), get(f"amount_{b}")) for b in BANDS},
        )


def payment_delays(paid: pl.DataFrame, start: date, end: date) -> Delays:
    """Delays of the payment applications (`paid_invoices`) from `start` to `end`."""
    chosen = paid.filter(pl.col("paid_on").is_between(start, end))
    return Delays.from_sums(chosen.select(delay_sums()).row(0, named=True))
