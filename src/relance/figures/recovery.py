"""Recovery (taux de recouvrement): how much of the overdue stock comes in.

Contracts, for one currency over a period S..D (both included), on invoices only
(credit notes are not a stock to recover), Int64 minor units:
- an invoice becomes overdue the day after its due date;
- opening overdue = what was left, at the end of S − 1, on the invoices issued
  and due on or before S − 1: the overdue stock the period starts with;
- new overdue = for every other invoice issued by D and due by D − 1 (so overdue
  by D), what was left at the end of its due date: the stock added during the
  period;
- overdue collections = payments and credit notes applied (effective date,
  see `relance.domain.ledger.effective_applications`) during the period to
  invoices already overdue that day (application date > due date);
- cohort rate = applied during the period to the opening stock / opening overdue;
- period rate = overdue collections / (opening overdue + new overdue);
- write-offs = amounts written off during the period (any document);
- bad-debt ratio = write-offs / sales, both over the 12 calendar months ending
  with D's month (cut at D), whatever the period.
A rate is None when its denominator is not positive. Write-offs reduce the stocks
but are not collections.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl

from relance.domain.ledger import Ledger
from relance.figures.period import Period, months_ending
from relance.figures.sales import sales_between
from relance.figures.settlements import settlements


@dataclass(frozen=True, slots=True)
class Recovery:
    """Recovery of overdue invoices over a period; amounts in minor units."""

    opening_overdue: int
    new_overdue: int
    overdue_collections: int
    opening_collections: int
    write_offs: int
    write_offs_12_months: int
    sales_12_months: int

    @property
    def cohort_rate(self) -> Decimal | None:
        return share(self.opening_collections, self.opening_overdue)

    @property
    def period_rate(self) -> Decimal | None:
        return share(self.overdue_collections, self.opening_overdue + self.new_overdue)

    @property
    def bad_debt_ratio(self) -> Decimal | None:
        return share(self.write_offs_12_months, self.sales_12_months)


def share(part: int, whole: int) -> Decimal | None:
    """part / whole, unrounded; None when `whole` is not positive."""
    if whole <= 0:
        return None
    return Decimal(part) / Decimal(whole)


def _stocks(period: Period) -> tuple[pl.Expr, pl.Expr]:
    """Whether an invoice row is in the opening stock, or becomes overdue later."""
    before = period.day_before
    opening = (pl.col("issue_date") <= before) & (pl.col("due_date") <= before)
    becomes_overdue = ~opening & (pl.col("due_date") < period.end)
    return opening, becomes_overdue


def _reductions(
    ledger: Ledger, period: Period, settled: pl.DataFrame, invoices: pl.DataFrame
) -> pl.DataFrame:
    """What reduced the invoices and when: applications, then write-offs.

    Each row keeps its invoice's issue and due dates, so that the stocks are
    filtered sums, with no grouping per invoice.
    """
    applied = settled.filter(
        pl.col("invoice") & (pl.col("issue_date") <= period.end)
    ).select(
        pl.col("applied_on").alias("on"),
        "amount",
        "issue_date",
        "due_date",
        pl.lit(True).alias("collected"),
    )
    written = ledger.writeoffs.join(
        invoices.select(pl.col("id").alias("document_id"), "issue_date", "due_date"),
        on="document_id",
    ).select(
        pl.col("writeoff_date").alias("on"),
        "amount",
        "issue_date",
        "due_date",
        pl.lit(False).alias("collected"),
    )
    return pl.concat([applied, written])


def recovery(
    ledger: Ledger,
    period: Period,
    *,
    applications: pl.DataFrame | None = None,
    settled: pl.DataFrame | None = None,
) -> Recovery:
    """Opening and new overdue stock, what was collected on it, write-offs.

    `applications` may pass `effective_applications(ledger)`, or `settled` the
    `relance.figures.settlements.settlements`, when already computed.
    """
    if settled is None:
        settled = settlements(ledger, applications)
    opening, becomes_overdue = _stocks(period)
    invoices = ledger.documents.filter(
        (pl.col("amount") > 0) & (pl.col("issue_date") <= period.end)
    )
    amount = pl.col("amount")
    owed = invoices.select(
        amount.filter(opening).sum().alias("opening"),
        amount.filter(becomes_overdue).sum().alias("new"),
    ).row(0, named=True)

    # Reductions by the eve (opening stock) or by the due date (new stock), and
    # applications of the period on invoices overdue that day.
    on = pl.col("on")
    in_period = on.is_between(period.start, period.end) & pl.col("collected")
    moves = _reductions(ledger, period, settled, invoices)
    reduced = moves.select(
        amount.filter(opening & (on <= period.day_before)).sum().alias("opening"),
        amount.filter(becomes_overdue & (on <= pl.col("due_date"))).sum().alias("new"),
        amount.filter(opening & in_period).sum().alias("opening_collected"),
        amount.filter(in_period & (on > pl.col("due_date"))).sum().alias("overdue"),
    ).row(0, named=True)

    year = months_ending(period.end, 12)
    written = ledger.writeoffs
    return Recovery(
        opening_overdue=int(owed["opening"]) - int(reduced["opening"]),
        new_overdue=int(owed["new"]) - int(reduced["new"]),
        overdue_collections=int(reduced["overdue"]),
        opening_collections=int(reduced["opening_collected"]),
        write_offs=_sum_between(written, period.start, period.end),
        write_offs_12_months=_sum_between(written, year.start, year.end),
        sales_12_months=sales_between(ledger, year.start, year.end),
    )


def _sum_between(writeoffs: pl.DataFrame, start: date, end: date) -> int:
    dated = writeoffs.filter(pl.col("writeoff_date").is_between(start, end))
    return int(dated.get_column("amount").sum())
