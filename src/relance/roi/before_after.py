"""Before/after: the same figures over two periods, when no holdout exists.

**Not causal.** A better second period may come from the reminders, or from the
economy, the season, a change of customers or of terms: a before/after comparison
cannot tell them apart. Only a holdout can (`relance.roi.incremental`).

Contracts (per period, both ends included, one currency):
- sales = invoices minus credit notes issued in the period
  (`relance.figures.sales.sales_between`);
- receivables = open items plus unapplied cash (negative) on the last day
  (`relance.figures.receivables.receivables_total`);
- DSO (accounting method) = receivables / sales × calendar days of the period,
  by `relance.figures.dso.accounting_dso`: the one DSO of relance, None when
  the period's sales are zero or negative;
- collections = customer payments dated in the period;
- days late = amount-weighted mean over payments applied in the period of
  max(0, payment day − due date); on-time rate = share of that amount paid on or
  before the due date;
- write-offs and bad-debt ratio as in `relance.roi.bad_debt`;
- reminders, their cost and what was collected after them (direct, last touch,
  attributed, not caused) for the contacted actions dated in the period.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

import polars as pl

from relance.domain.ledger import Ledger, effective_applications
from relance.figures.delays import paid_invoices, payment_delays
from relance.figures.dso import accounting_dso
from relance.figures.receivables import receivables_total
from relance.figures.sales import sales_between
from relance.roi.actions import CONTACTED
from relance.roi.bad_debt import sales_ratio, writeoffs_between
from relance.roi.ratios import money

NOT_CAUSAL = "before/after comparison: not causal"


@dataclass(frozen=True)
class PeriodFigures:
    """The figures of one period."""

    start: date
    end: date
    currency: str
    sales: Decimal
    receivables: Decimal
    dso: Decimal | None
    collections: Decimal
    days_late: Decimal | None
    on_time_rate_amount: Decimal | None
    writeoffs: Decimal
    bad_debt_ratio: Decimal | None
    reminders: int
    reminder_cost: Decimal
    collected_after_reminders: Decimal


@dataclass(frozen=True)
class BeforeAfter:
    """Two periods side by side and what changed (after − before)."""

    before: PeriodFigures
    after: PeriodFigures
    changes: dict[str, Decimal | None]
    label: str = NOT_CAUSAL


def receivables_on(ledger: Ledger, day: date, currency: str) -> int:
    """Open items plus unapplied cash (negative) on `day`, minor units."""
    book = ledger.in_currency(currency)
    return receivables_total(book, day, effective_applications(book))


def period_figures(
    ledger: Ledger,
    actions: pl.DataFrame,
    attributed: pl.DataFrame,
    start: date,
    end: date,
    currency: str,
) -> PeriodFigures:
    """The figures of one period; `actions` has `group`, `attributed` is last-touch."""
    days = (end - start).days + 1
    sold = sales_between(ledger.in_currency(currency), start, end)
    ar = receivables_on(ledger, end, currency)
    paid_in = ledger.payments.filter(
        (pl.col("currency") == currency)
        & (pl.col("payment_date") >= start)
        & (pl.col("payment_date") <= end)
    )
    # The same amount-weighted delays as `relance figures` (invoice payments only).
    book = ledger.in_currency(currency)
    delays = payment_delays(paid_invoices(book, end), start, end)
    written = writeoffs_between(ledger, start, end, currency)

    def in_period(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter(
            (pl.col("currency") == currency)
            & (pl.col("acted_on") >= start)
            & (pl.col("acted_on") <= end)
        )

    contacted = in_period(actions).filter(pl.col("group") == CONTACTED)
    dso = accounting_dso(ar, sold, days)
    return PeriodFigures(
        start=start,
        end=end,
        currency=currency,
        sales=money(sold, currency),
        receivables=money(ar, currency),
        dso=dso,
        collections=money(int(paid_in.get_column("amount").sum()), currency),
        days_late=delays.days_late,
        on_time_rate_amount=delays.on_time_rate_amount,
        writeoffs=money(written, currency),
        bad_debt_ratio=sales_ratio(written, sold),
        reminders=contacted.height,
        reminder_cost=money(int(contacted.get_column("cost").sum()), currency),
        collected_after_reminders=money(
            int(in_period(attributed).get_column("attributed").sum()), currency
        ),
    )


def compare_periods(before: PeriodFigures, after: PeriodFigures) -> BeforeAfter:
    """Put two periods side by side with the change of every figure."""
    changes: dict[str, Decimal | None] = {}
    for f in fields(PeriodFigures):
        old, new = getattr(before, f.name), getattr(after, f.name)
        if f.name in ("start", "end", "currency"):
            continue
        if old is None or new is None:
            changes[f.name] = None
        else:
            changes[f.name] = Decimal(new) - Decimal(old)
    return BeforeAfter(before=before, after=after, changes=changes)
