"""Figures and aged balance, as the CLI and the web ask for them.

Every function takes the as-of date as a parameter and returns one result per
currency (sorted by code): amounts of different currencies are never added.
Definitions and units: docs/figures.md and `relance.figures`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import polars as pl

from relance.domain.ledger import Ledger
from relance.figures.aging import aged_by_customer, aged_items
from relance.figures.period import Period, PeriodError, months_ending, since
from relance.figures.receivables import Receivables, receivables_of
from relance.figures.summary import TREND_MONTHS, CurrencyFigures, currency_figures
from relance.figures.trend import TrendPoint
from relance.figures.trend import monthly_trend as trend_of
from relance.store.db import Store
from relance.store.reader import load_ledger

DEFAULT_MONTHS = 12


class UnknownCustomer(LookupError):
    """`--customer` names a customer the store does not know."""

    def __init__(self, ref: str) -> None:
        super().__init__(f"unknown customer {ref!r}")
        self.ref = ref


@dataclass(frozen=True)
class AgedBalance:
    """The aged balance of one currency: totals and rows (minor units)."""

    currency: str
    as_of: date
    totals: Receivables
    rows: pl.DataFrame


def load(store: Store, customer: str | None = None) -> Ledger:
    """The posted ledger, of one customer when `customer` is given."""
    with store.transaction() as session:
        ledger = load_ledger(session, customer_ref=customer)
    if customer is not None and ledger.customers.height == 0:
        raise UnknownCustomer(customer)
    return ledger


def choose_period(
    as_of: date, months: int | None = None, start: date | None = None
) -> Period:
    """`start` to `as_of` when `start` is given, else the last `months` months."""
    if start is not None:
        if months is not None:
            raise PeriodError(
                "give either a number of months or a start date, not both"
            )
        return since(start, as_of)
    return months_ending(as_of, months or DEFAULT_MONTHS)


def figures_of(
    ledger: Ledger,
    as_of: date,
    months: int | None = None,
    start: date | None = None,
    trend: bool = True,
) -> list[CurrencyFigures]:
    """The figures of an already loaded ledger, one per currency.

    Each trend point is measured over `months` months (12 when a start date is
    given instead).
    """
    period = choose_period(as_of, months, start)
    window = (months or DEFAULT_MONTHS) if trend else None
    return [
        currency_figures(ledger.in_currency(code), code, as_of, period, window)
        for code in ledger.currencies()
    ]


def compute_figures(
    store: Store,
    as_of: date,
    months: int | None = None,
    start: date | None = None,
    customer: str | None = None,
    trend: bool = True,
) -> list[CurrencyFigures]:
    """The figures of the book (or of one customer), one per currency."""
    choose_period(as_of, months, start)  # refuse a bad period before loading
    return figures_of(load(store, customer), as_of, months, start, trend)


def aged_balance(
    store: Store,
    as_of: date,
    by: Literal["customer", "item"] = "customer",
    customer: str | None = None,
) -> list[AgedBalance]:
    """Open items by days past due, per customer or item by item.

    By item, rows are the aged items (see `relance.figures.aging.aged_items`) with
    the customer's name, the most overdue first.
    """
    ledger = load(store, customer)
    result = []
    for code in ledger.currencies():
        items = aged_items(ledger.in_currency(code), as_of)
        if by == "customer":
            rows = aged_by_customer(items, ledger.customers)
        else:
            names = ledger.customers.select(pl.col("id").alias("customer_id"), "name")
            rows = items.join(names, on="customer_id", how="left").sort(
                ["days_past_due", "residual"], descending=True, nulls_last=True
            )
        result.append(AgedBalance(code, as_of, receivables_of(items), rows))
    return result


def monthly_trend(
    store: Store,
    as_of: date,
    months: int = DEFAULT_MONTHS,
    customer: str | None = None,
    count: int = TREND_MONTHS,
) -> dict[str, list[TrendPoint]]:
    """The monthly trend per currency: `count` points, each over `months` months."""
    ledger = load(store, customer)
    return {
        code: trend_of(ledger.in_currency(code), as_of, count, months)
        for code in ledger.currencies()
    }
