"""All the figures of one currency as of a date, and their JSON shape.

`currency_figures` assembles the concepts of this package for a ledger already
restricted to one currency; `as_json` writes the result with the units of
`relance.figures.units`: money as exact decimal strings, rates as fractions of 1
with 4 decimals, days with 1 decimal, CEI as a percentage with 2 decimals, counts
as integers, dates as ISO strings, null where a figure cannot be measured;
`warnings` lists sentences on what the figures cannot be trusted for (see
`relance.figures.coverage`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from relance.domain.ledger import Ledger, effective_applications
from relance.figures.aging import aged_items
from relance.figures.cei import collection_effectiveness
from relance.figures.coverage import period_warnings
from relance.figures.customers import customer_figures
from relance.figures.delays import BANDS, Delays, paid_invoices, payment_delays
from relance.figures.disputes import Disputes, disputes_of
from relance.figures.dso import (
    accounting_dso,
    best_possible_dso,
    countback_dso,
    days_delinquent,
)
from relance.figures.period import Period
from relance.figures.receivables import (
    Receivables,
    receivables_of,
    receivables_total,
)
from relance.figures.recovery import Recovery, recovery
from relance.figures.sales import monthly_sales, sales_between
from relance.figures.settlements import settlements
from relance.figures.trend import TrendPoint, monthly_trend
from relance.figures.units import (
    DAYS,
    PERCENT,
    RATE,
    money,
    money_text,
    ratio,
    rounded,
    text,
)

TREND_MONTHS = 24


@dataclass(frozen=True)
class CurrencyFigures:
    """Every figure of one currency; money in minor units, ratios unrounded."""

    as_of: date
    currency: str
    period: Period
    receivables: Receivables
    receivables_before: int
    sales: int
    dso_accounting: Decimal | None
    dso_countback: Decimal | None
    best_possible: Decimal | None
    days_delinquent: Decimal | None
    cei: Decimal | None
    recovery: Recovery
    delays: Delays
    disputes: Disputes
    customers: pl.DataFrame
    trend: list[TrendPoint] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def countback_months(ledger: Ledger, as_of: date) -> list[tuple[int, int]]:
    """(sales, days) per month, newest first, the as-of month cut at `as_of`."""
    sales = monthly_sales(ledger, as_of)
    pairs = zip(sales["sales"].to_list(), sales["days"].to_list(), strict=True)
    return list(reversed(list(pairs)))


def currency_figures(
    ledger: Ledger,
    currency: str,
    as_of: date,
    period: Period,
    trend_window: int | None = 12,
) -> CurrencyFigures:
    """Compute the figures of `ledger`, which must hold only `currency`.

    `trend_window` is the number of months each trend point is measured over;
    None skips the trend.
    """
    # The effective applications are the costliest step: computed once.
    apps = effective_applications(ledger)
    settled = settlements(ledger, apps)
    items = aged_items(ledger, as_of, applications=apps)
    now = receivables_of(items)
    before = receivables_total(ledger, period.day_before, apps)
    sold = sales_between(ledger, period.start, period.end)
    paid = paid_invoices(ledger, as_of, settled=settled)
    trend = (
        monthly_trend(
            ledger,
            as_of,
            TREND_MONTHS,
            trend_window,
            applications=apps,
            settled=settled,
            paid=paid,
        )
        if trend_window is not None
        else []
    )
    return CurrencyFigures(
        as_of=as_of,
        currency=currency,
        period=period,
        receivables=now,
        receivables_before=before,
        sales=sold,
        dso_accounting=accounting_dso(now.total, sold, period.days),
        dso_countback=countback_dso(now.total, countback_months(ledger, as_of)),
        best_possible=best_possible_dso(now.not_due, sold, period.days),
        days_delinquent=days_delinquent(now.total, now.not_due, sold, period.days),
        cei=collection_effectiveness(before, sold, now.total, now.not_due),
        recovery=recovery(ledger, period, settled=settled),
        delays=payment_delays(paid, period.start, period.end),
        disputes=disputes_of(items, now.total),
        customers=customer_figures(ledger, items, paid, period),
        trend=trend,
        warnings=period_warnings(ledger, period),
    )


def _minus(left: Decimal | None, right: Decimal | None) -> Decimal | None:
    return None if left is None or right is None else left - right


def _delays_json(delays: Delays, currency: str) -> dict[str, Any]:
    return {
        "payments": delays.payments,
        "amount": str(money(delays.amount, currency)),
        "days_to_pay": text(rounded(delays.days_to_pay, DAYS)),
        "days_beyond_terms": text(rounded(delays.days_beyond_terms, DAYS)),
        "days_late": text(rounded(delays.days_late, DAYS)),
        "on_time_rate_count": text(rounded(delays.on_time_rate_count, RATE)),
        "on_time_rate_amount": text(rounded(delays.on_time_rate_amount, RATE)),
        "distribution": {
            band: {
                "count": delays.distribution[band][0],
                "amount": str(money(delays.distribution[band][1], currency)),
            }
            for band in BANDS
        },
    }


def _recovery_json(rec: Recovery, currency: str) -> dict[str, Any]:
    def cash(minor: int) -> str:
        return str(money(minor, currency))

    return {
        "opening_overdue": cash(rec.opening_overdue),
        "new_overdue": cash(rec.new_overdue),
        "overdue_collections": cash(rec.overdue_collections),
        "opening_collections": cash(rec.opening_collections),
        "cohort_rate": text(rounded(rec.cohort_rate, RATE)),
        "period_rate": text(rounded(rec.period_rate, RATE)),
        "write_offs": cash(rec.write_offs),
        "write_offs_12_months": cash(rec.write_offs_12_months),
        "sales_12_months": cash(rec.sales_12_months),
        "bad_debt_ratio": text(rounded(rec.bad_debt_ratio, RATE)),
    }


def _customers_json(customers: pl.DataFrame, currency: str) -> list[dict[str, Any]]:
    # Tens of thousands of customers: the amounts are written column-wise.
    amounts = ("balance", "overdue", "not_due", "unapplied", "disputed")
    written = customers.select(
        pl.col("customer_ref").alias("customer"),
        "name",
        *(money_text(pl.col(name), currency).alias(name) for name in amounts),
        "late_sum",
        "paid",
        pl.col("last_payment").dt.to_string(),
    )
    rows = written.to_dicts()
    for row in rows:
        late, paid = row.pop("late_sum"), row.pop("paid")
        row["days_late"] = text(rounded(ratio(late, paid), DAYS))
        row["last_payment"] = row.pop("last_payment")
    return rows


def _trend_json(point: TrendPoint, currency: str) -> dict[str, Any]:
    return {
        "as_of": point.as_of.isoformat(),
        "period_start": point.period.start.isoformat(),
        "receivables": str(money(point.receivables, currency)),
        "overdue": str(money(point.overdue, currency)),
        "not_due": str(money(point.not_due, currency)),
        "sales": str(money(point.sales, currency)),
        "dso_accounting": text(rounded(point.dso_accounting, DAYS)),
        "dso_countback": text(rounded(point.dso_countback, DAYS)),
        "best_possible": text(rounded(point.best_possible, DAYS)),
        "days_delinquent": text(rounded(point.days_delinquent, DAYS)),
        "cei": text(rounded(point.cei, PERCENT)),
        "days_to_pay": text(rounded(point.delays.days_to_pay, DAYS)),
        "days_beyond_terms": text(rounded(point.delays.days_beyond_terms, DAYS)),
        "days_late": text(rounded(point.delays.days_late, DAYS)),
        "on_time_rate_amount": text(rounded(point.delays.on_time_rate_amount, RATE)),
    }


def as_json(fig: CurrencyFigures) -> dict[str, Any]:
    """The JSON object of one currency (see the module docstring for units)."""
    cur = fig.currency

    def cash(minor: int) -> str:
        return str(money(minor, cur))

    ar = fig.receivables
    return {
        "as_of": fig.as_of.isoformat(),
        "currency": cur,
        "period": {
            "start": fig.period.start.isoformat(),
            "end": fig.period.end.isoformat(),
            "days": fig.period.days,
        },
        "receivables": cash(ar.total),
        "overdue": cash(ar.overdue),
        "not_due": cash(ar.not_due),
        "receivables_before": cash(fig.receivables_before),
        "sales": cash(fig.sales),
        "aging": {name: cash(value) for name, value in ar.aging.items()},
        "dso": {
            "accounting": text(rounded(fig.dso_accounting, DAYS)),
            "countback": text(rounded(fig.dso_countback, DAYS)),
            "best_possible": text(rounded(fig.best_possible, DAYS)),
            "days_delinquent": text(rounded(fig.days_delinquent, DAYS)),
            "days_delinquent_countback": text(
                rounded(_minus(fig.dso_countback, fig.best_possible), DAYS)
            ),
        },
        "cei": text(rounded(fig.cei, PERCENT)),
        "recovery": _recovery_json(fig.recovery, cur),
        "delays": _delays_json(fig.delays, cur),
        "disputes": {
            "items": fig.disputes.items,
            "amount": cash(fig.disputes.amount),
            "share": text(rounded(fig.disputes.share, RATE)),
        },
        "customers": _customers_json(fig.customers, cur),
        "trend": [_trend_json(point, cur) for point in fig.trend],
        "warnings": list(fig.warnings),
    }
