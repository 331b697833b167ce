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

from relance.domain.ledger import Ledger, effective_applications
from relance.figures.period import Period, months_ending
from relance.figures.sales import sales_between


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


def _reductions(ledger: Ledger, applications: pl.DataFrame) -> pl.DataFrame:
    """What reduced each document and when: applications, then write-offs."""
    applied = applications.select(
        "document_id",
        pl.col("applied_on").alias("on"),
        "amount",
        pl.lit(True).alias("collected"),
    )
    written = ledger.writeoffs.select(
        "document_id",
        pl.col("writeoff_date").alias("on"),
        "amount",
        pl.lit(False).alias("collected"),
    )
    return pl.concat([applied, written])


def _invoice_sums(
    ledger: Ledger, period: Period, applications: pl.DataFrame
) -> pl.DataFrame:
    """Per invoice: amount, dates and the reductions the stocks need."""
    start, end, before = period.start, period.end, period.day_before
    invoices = ledger.documents.filter(
        (pl.col("amount") > 0) & (pl.col("issue_date") <= end)
    ).select("id", "issue_date", "due_date", "amount")
    moves = _reductions(ledger, applications).join(
        invoices.select(pl.col("id").alias("document_id"), "due_date"),
        on="document_id",
    )
    in_period = pl.col("on").is_between(start, end) & pl.col("collected")
    sums = moves.group_by("document_id").agg(
        pl.col("amount").filter(pl.col("on") <= before).sum().alias("by_start"),
        pl.col("amount")
        .filter(pl.col("on") <= pl.col("due_date"))
        .sum()
        .alias("by_due"),
        pl.col("amount").filter(in_period).sum().alias("collected"),
        pl.col("amount")
        .filter(in_period & (pl.col("on") > pl.col("due_date")))
        .sum()
        .alias("collected_overdue"),
    )
    return invoices.join(
        sums, left_on="id", right_on="document_id", how="left"
    ).with_columns(
        pl.col("by_start", "by_due", "collected", "collected_overdue").fill_null(0),
        ((pl.col("issue_date") <= before) & (pl.col("due_date") <= before)).alias(
            "opening"
        ),
    )


def recovery(
    ledger: Ledger, period: Period, *, applications: pl.DataFrame | None = None
) -> Recovery:
    """Opening and new overdue stock, what was collected on it, write-offs.

    `applications` may pass `effective_applications(ledger)` computed once.
    """
    if applications is None:
        applications = effective_applications(ledger)
    invoices = _invoice_sums(ledger, period, applications)
    opening = pl.col("opening")
    becomes_overdue = ~opening & (pl.col("due_date") < period.end)
    totals = invoices.select(
        (pl.col("amount") - pl.col("by_start")).filter(opening).sum().alias("opening"),
        (pl.col("amount") - pl.col("by_due"))
        .filter(becomes_overdue)
        .sum()
        .alias("new"),
        pl.col("collected").filter(opening).sum().alias("opening_collected"),
        pl.col("collected_overdue").sum().alias("collected_overdue"),
    ).row(0, named=True)

    year = months_ending(period.end, 12)
    written = ledger.writeoffs
    return Recovery(
        opening_overdue=int(totals["opening"]),
        new_overdue=int(totals["new"]),
        overdue_collections=int(totals["collected_overdue"]),
        opening_collections=int(totals["opening_collected"]),
        write_offs=_sum_between(written, period.start, period.end),
        write_offs_12_months=_sum_between(written, year.start, year.end),
        sales_12_months=sales_between(ledger, year.start, year.end),
    )


def _sum_between(writeoffs: pl.DataFrame, start: date, end: date) -> int:
    dated = writeoffs.filter(pl.col("writeoff_date").is_between(start, end))
    return int(dated.get_column("amount").sum())
