"""The monthly trend of the headline figures, over the last months up to D.

Contracts, one currency:
- the trend has one point per calendar month, the last month ending with D's
  month; each month is seen as of its last day, the current one as of D;
- each point's figures are those `relance figures --months N` would print as of
  that date: AR, overdue, not-yet-due AR, sales, DSO (both methods), best possible
  DSO, days delinquent and CEI over the N months ending with the point's month,
  and the payment delays of that same window (rolling windows);
- the ledger is not replayed once per point: every movement (document issued,
  amount applied, credit note used, write-off, payment received) is dated, and
  a movement counts at every point on or after its date, and in the overdue
  stock from the first point past the item's due date. Sums per point are
  cumulative sums of the movements placed on that first point, so the cost is
  one pass over the movements whatever the number of points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl

from relance.domain.ledger import Ledger, effective_applications
from relance.figures.cei import collection_effectiveness
from relance.figures.delays import Delays, delay_sums, paid_invoices
from relance.figures.dso import (
    accounting_dso,
    best_possible_dso,
    countback_dso,
    days_delinquent,
)
from relance.figures.period import Period, month_ends, month_index, month_start
from relance.figures.sales import month_of, monthly_sales
from relance.figures.settlements import settlements


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """Headline figures as of one month-end (or D); money in minor units."""

    as_of: date
    period: Period
    receivables: int
    overdue: int
    not_due: int
    sales: int
    dso_accounting: Decimal | None
    dso_countback: Decimal | None
    best_possible: Decimal | None
    days_delinquent: Decimal | None
    cei: Decimal | None
    delays: Delays


def _item_movements(
    ledger: Ledger, apps: pl.DataFrame, settled: pl.DataFrame
) -> pl.DataFrame:
    """Dated changes of open items' residuals, with the item's due date."""
    docs = ledger.documents.select("id", "issue_date", "due_date")
    issued = ledger.documents.select(
        pl.col("issue_date").alias("on"), "due_date", pl.col("amount").alias("delta")
    )
    received = settled.select(
        pl.col("applied_on").alias("on"), "due_date", (-pl.col("amount")).alias("delta")
    )
    given = (
        apps.filter(pl.col("credit_note_id").is_not_null())
        .join(docs, left_on="credit_note_id", right_on="id")
        .select(
            pl.col("applied_on").alias("on"),
            "due_date",
            pl.col("amount").alias("delta"),
        )
    )
    # A write-off counts once its document exists, as in `open_items`.
    written = ledger.writeoffs.join(docs, left_on="document_id", right_on="id").select(
        pl.max_horizontal("writeoff_date", "issue_date").alias("on"),
        "due_date",
        (-pl.col("amount")).alias("delta"),
    )
    return pl.concat([issued, received, given, written])


def _cash_movements(ledger: Ledger, apps: pl.DataFrame) -> pl.DataFrame:
    """Dated changes of unapplied cash, negative as it counts in AR."""
    received = ledger.payments.select(
        pl.col("payment_date").alias("on"), (-pl.col("amount")).alias("delta")
    )
    used = apps.filter(
        pl.col("payment_id").is_in(ledger.payments.get_column("id").implode())
    ).select(pl.col("applied_on").alias("on"), pl.col("amount").alias("delta"))
    return pl.concat([received, used])


def _cumulative(movements: pl.DataFrame, points: int) -> list[int]:
    """Sum of `delta` per first point `k`, then accumulated over the points."""
    per_point = movements.group_by("k").agg(pl.col("delta").sum())
    grid = pl.DataFrame({"k": pl.int_range(0, points, eager=True, dtype=pl.UInt32)})
    return (
        grid.join(per_point, on="k", how="left")
        .sort("k")
        .get_column("delta")
        .fill_null(0)
        .cum_sum()
        .to_list()
    )


def balances_at(
    ledger: Ledger,
    days: list[date],
    *,
    applications: pl.DataFrame | None = None,
    settled: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """AR, overdue and not-yet-due AR at each of `days`, in one pass.

    Columns: `as_of` (the distinct days, ascending), `receivables`, `overdue`,
    `not_due` (minor units). `applications` may pass
    `effective_applications(ledger)` and `settled` its
    `relance.figures.settlements.settlements`, when already computed.
    """
    if applications is None:
        applications = effective_applications(ledger)
    if settled is None:
        settled = settlements(ledger, applications)
    days = sorted(set(days))
    grid = pl.Series("grid", days, dtype=pl.Date)
    last = days[-1]
    # First point at which the movement exists, and at which its item is overdue.
    items = _item_movements(ledger, applications, settled).filter(pl.col("on") <= last)
    items = items.with_columns(
        grid.search_sorted(items.get_column("on"), side="left").alias("k"),
        grid.search_sorted(items.get_column("due_date"), side="right").alias("due_k"),
    )
    cash = _cash_movements(ledger, applications).filter(pl.col("on") <= last)
    cash = cash.with_columns(grid.search_sorted(cash.get_column("on")).alias("k"))

    open_total = _cumulative(items, len(days))
    overdue = _cumulative(
        items.with_columns(pl.max_horizontal("k", "due_k").alias("k")), len(days)
    )
    unapplied = _cumulative(cash, len(days))
    return pl.DataFrame(
        {
            "as_of": days,
            "receivables": [o + u for o, u in zip(open_total, unapplied, strict=True)],
            "overdue": overdue,
            "not_due": [o - d for o, d in zip(open_total, overdue, strict=True)],
        },
        schema={
            "as_of": pl.Date,
            "receivables": pl.Int64,
            "overdue": pl.Int64,
            "not_due": pl.Int64,
        },
    )


def _windows(as_of: date, count: int, window: int) -> pl.DataFrame:
    """Per point: its as-of date, month and the first month of its window."""
    ends = month_ends(as_of, count)
    months = [month_index(day) for day in ends]
    return pl.DataFrame(
        {
            "point": list(range(count)),
            "as_of": ends,
            "month": months,
            "first": [m - window + 1 for m in months],
        },
        schema={
            "point": pl.Int64,
            "as_of": pl.Date,
            "month": pl.Int64,
            "first": pl.Int64,
        },
    )


def _windowed(
    points: pl.DataFrame, monthly: pl.DataFrame, sums: list[str]
) -> pl.DataFrame:
    """Add to each point the sums of `monthly` over its window of months."""
    inside = pl.col("month_right").is_between(pl.col("first"), pl.col("month"))
    totals = (
        points.join(monthly.rename({"month": "month_right"}), how="cross")
        .filter(inside)
        .group_by("point")
        .agg(pl.col(name).sum() for name in sums)
    )
    return points.join(totals, on="point", how="left").sort("point")


def monthly_trend(
    ledger: Ledger,
    as_of: date,
    count: int = 24,
    window: int = 12,
    *,
    applications: pl.DataFrame | None = None,
    settled: pl.DataFrame | None = None,
    paid: pl.DataFrame | None = None,
) -> list[TrendPoint]:
    """The `count` monthly points up to `as_of`, each over a `window`-month period.

    `applications` may pass `effective_applications(ledger)`, `settled` the
    `relance.figures.settlements.settlements` and `paid` the `paid_invoices` up
    to `as_of`, when the caller has them already.
    """
    if applications is None:
        applications = effective_applications(ledger)
    if settled is None:
        settled = settlements(ledger, applications)
    points = _windows(as_of, count, window)
    first_point_month = month_index(as_of) - count + 1

    # Balances at every point and on the eve of every point's period.
    eves = month_ends(as_of, count + window)[:count]
    ends = points.get_column("as_of").to_list()
    grid = balances_at(ledger, eves + ends, applications=applications, settled=settled)
    balances = {row["as_of"]: row for row in grid.to_dicts()}
    before = [balances[day]["receivables"] for day in eves]
    at = [balances[day] for day in ends]

    # Sales and payment delays per month, summed over each point's window.
    sales = monthly_sales(ledger, as_of)
    if paid is None:
        paid = paid_invoices(ledger, as_of, settled=settled)
    delays = paid.group_by(month_of(pl.col("paid_on")).alias("month")).agg(delay_sums())
    delay_columns = [c for c in delays.columns if c != "month"]
    with_sales = _windowed(points, sales.select("month", "sales"), ["sales"])
    windowed = _windowed(with_sales, delays, delay_columns).to_dicts()

    history = list(zip(sales["sales"].to_list(), sales["days"].to_list(), strict=True))
    first_sales_month = int(sales["month"][0])
    trend = []
    for point, bal, eve_ar, row in zip(range(count), at, before, windowed, strict=True):
        day = row["as_of"]
        period = Period(month_start(row["first"]), day)
        # Count-back walks months newest first from the point's own month, which
        # is complete unless it is the as-of month (then counted up to D).
        upto = first_point_month + point - first_sales_month
        recent = list(reversed(history[: upto + 1])) if upto >= 0 else []
        sold = int(row["sales"] or 0)
        trend.append(
            TrendPoint(
                as_of=day,
                period=period,
                receivables=bal["receivables"],
                overdue=bal["overdue"],
                not_due=bal["not_due"],
                sales=sold,
                dso_accounting=accounting_dso(bal["receivables"], sold, period.days),
                dso_countback=countback_dso(bal["receivables"], recent),
                best_possible=best_possible_dso(bal["not_due"], sold, period.days),
                days_delinquent=days_delinquent(
                    bal["receivables"], bal["not_due"], sold, period.days
                ),
                cei=collection_effectiveness(
                    eve_ar, sold, bal["receivables"], bal["not_due"]
                ),
                delays=Delays.from_sums(row),
            )
        )
    return trend
