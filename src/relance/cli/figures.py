"""CLI commands `relance figures` and `relance aging`.

Thin: parse the options, call `relance.services.figures`, print Rich tables or
JSON (one object per currency, see docs/figures.md). Exit 2 on a bad option
(unreadable date, both --months and --from, a start after the as-of date, an
unknown customer).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import polars as pl
import typer
from rich.table import Table

from relance.cli.common import DbOption, JsonOption, console, errors, parse_day
from relance.figures.aging import BUCKETS
from relance.figures.delays import BANDS
from relance.figures.period import PeriodError
from relance.figures.summary import CurrencyFigures, as_json
from relance.figures.units import DAYS, PERCENT, money, ratio, rounded
from relance.services.figures import (
    AgedBalance,
    UnknownCustomer,
    aged_balance,
    choose_period,
    compute_figures,
)
from relance.store.db import Store

AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", "--date", help="As-of date, YYYY-MM-DD (default: today)."),
]
CustomerOption = Annotated[
    str | None, typer.Option("--customer", help="Only this customer (its id).")
]
BUCKET_TITLES = {
    "not_due": "Not due",
    "1_30": "1–30",
    "31_60": "31–60",
    "61_90": "61–90",
    "over_90": "91+",
    "unapplied": "Unapplied",
}


BAND_TITLES = {
    "early": "early (< 0)",
    "on_time": "on time (0)",
    "1_5": "1–5",
    "6_15": "6–15",
    "16_30": "16–30",
    "31_60": "31–60",
    "61_plus": "61+",
}


class AgingBy(str, Enum):
    customer = "customer"
    item = "item"


def _usage(message: str) -> typer.Exit:
    errors.print(f"[red]{message}[/red]")
    return typer.Exit(2)


def _cash(minor: int, currency: str) -> str:
    return f"{money(minor, currency):,}"


def _shown(value: Decimal | None, step: Decimal, suffix: str = "") -> str:
    shown = rounded(value, step)
    return "—" if shown is None else f"{shown}{suffix}"


def _rate(value: Decimal | None) -> str:
    """A fraction of 1 shown as a percentage: 0.43166 is `43.17 %`."""
    return _shown(None if value is None else value * 100, PERCENT, " %")


def _headline(fig: CurrencyFigures) -> Table:
    cur, ar, rec, dl = fig.currency, fig.receivables, fig.recovery, fig.delays
    title = (
        f"{cur} as of {fig.as_of}, period {fig.period.start} to {fig.period.end} "
        f"({fig.period.days} days)"
    )
    table = Table(title=title, show_header=False)
    table.add_column("Figure")
    table.add_column("Value", justify="right", overflow="fold")
    rows = [
        ("Receivables", _cash(ar.total, cur)),
        ("Overdue", _cash(ar.overdue, cur)),
        ("Not yet due", _cash(ar.not_due, cur)),
        ("Unapplied cash", _cash(ar.unapplied, cur)),
        ("Disputed", _cash(fig.disputes.amount, cur)),
        ("Disputed share", _rate(fig.disputes.share)),
        ("Sales of the period", _cash(fig.sales, cur)),
        ("DSO (accounting)", _shown(fig.dso_accounting, DAYS, " d")),
        ("DSO (count-back)", _shown(fig.dso_countback, DAYS, " d")),
        ("Best possible DSO", _shown(fig.best_possible, DAYS, " d")),
        ("Days delinquent", _shown(fig.days_delinquent, DAYS, " d")),
        ("CEI", _shown(fig.cei, PERCENT, " %")),
        ("Opening overdue", _cash(rec.opening_overdue, cur)),
        ("New overdue", _cash(rec.new_overdue, cur)),
        ("Overdue collections", _cash(rec.overdue_collections, cur)),
        ("Cohort recovery rate", _rate(rec.cohort_rate)),
        ("Period recovery rate", _rate(rec.period_rate)),
        ("Write-offs", _cash(rec.write_offs, cur)),
        ("Bad-debt ratio (12 months)", _rate(rec.bad_debt_ratio)),
        ("Invoice payments", str(dl.payments)),
        ("Days to pay", _shown(dl.days_to_pay, DAYS, " d")),
        ("Days beyond terms", _shown(dl.days_beyond_terms, DAYS, " d")),
        ("Days late", _shown(dl.days_late, DAYS, " d")),
        ("On time (count)", _rate(dl.on_time_rate_count)),
        ("On time (amount)", _rate(dl.on_time_rate_amount)),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table


def _aging_table(fig: CurrencyFigures) -> Table:
    table = Table(title=f"Aged balance ({fig.currency})")
    for name in BUCKETS:
        table.add_column(BUCKET_TITLES[name], justify="right", overflow="fold")
    table.add_row(
        *(_cash(fig.receivables.aging[name], fig.currency) for name in BUCKETS)
    )
    return table


def _distribution_table(fig: CurrencyFigures) -> Table:
    table = Table(title=f"Payments by days beyond terms ({fig.currency})")
    table.add_column("Days")
    table.add_column("Count", justify="right", overflow="fold")
    table.add_column("Amount", justify="right", overflow="fold")
    for band in BANDS:
        count, amount = fig.delays.distribution[band]
        table.add_row(BAND_TITLES[band], str(count), _cash(amount, fig.currency))
    return table


def _customers_table(fig: CurrencyFigures, limit: int = 10) -> Table:
    table = Table(title=f"Customers with the most overdue ({fig.currency})")
    for name in ("Customer", "Name", "Balance", "Overdue", "Days late", "Last payment"):
        table.add_column(
            name,
            justify="right" if name in ("Balance", "Overdue") else "left",
            overflow="fold",
        )
    for row in fig.customers.head(limit).to_dicts():
        table.add_row(
            row["customer_ref"],
            row["name"] or "",
            _cash(row["balance"], fig.currency),
            _cash(row["overdue"], fig.currency),
            _shown(ratio(row["late_sum"], row["paid"]), DAYS),
            str(row["last_payment"] or "—"),
        )
    return table


def _trend_table(fig: CurrencyFigures) -> Table:
    table = Table(title=f"Monthly trend ({fig.currency})")
    for name in ("As of", "Receivables", "Overdue", "DSO", "Count-back", "Best", "CEI"):
        table.add_column(
            name, justify="left" if name == "As of" else "right", overflow="fold"
        )
    for p in fig.trend:
        table.add_row(
            str(p.as_of),
            _cash(p.receivables, fig.currency),
            _cash(p.overdue, fig.currency),
            _shown(p.dso_accounting, DAYS),
            _shown(p.dso_countback, DAYS),
            _shown(p.best_possible, DAYS),
            _shown(p.cei, PERCENT),
        )
    return table


def figures(
    as_of: AsOfOption = None,
    months: Annotated[
        int | None,
        typer.Option(
            "--months",
            min=1,
            help="Period: the N months ending with the as-of month (default 12).",
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--from", help="Period: from this date to the as-of date."),
    ] = None,
    customer: CustomerOption = None,
    as_json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Receivables, aging, DSO, CEI, recovery and payment delays, per currency."""
    day = parse_day(as_of, "--as-of")
    first = parse_day(start, "--from") if start is not None else None
    try:
        choose_period(day, months, first)
    except PeriodError as error:
        raise _usage(f"period: {error}") from None
    with Store(db) as store:
        try:
            result = compute_figures(store, day, months, first, customer)
        except UnknownCustomer as error:
            raise _usage(f"--customer: {error}") from None
    if as_json_output:
        print(
            json.dumps([as_json(fig) for fig in result], indent=2, ensure_ascii=False)
        )
        return
    if not result:
        console.print("No posted document or payment: nothing to measure.")
    for fig in result:
        console.print(_headline(fig))
        for warning in fig.warnings:
            console.print(f"[yellow]Warning: {warning}[/yellow]")
        for table in (
            _aging_table(fig),
            _distribution_table(fig),
            _customers_table(fig),
            _trend_table(fig),
        ):
            console.print(table)


def _aged_json(balance: AgedBalance, by: AgingBy) -> dict[str, Any]:
    cur = balance.currency
    money_columns = (
        [*BUCKETS, "overdue", "balance"]
        if by is AgingBy.customer
        else [
            "amount",
            "residual",
        ]
    )
    rows = balance.rows.with_columns(pl.col(pl.Date).dt.to_string()).to_dicts()
    for row in rows:
        for name in money_columns:
            row[name] = str(money(row[name], cur))
        row.pop("customer_id", None)
    totals = balance.totals
    return {
        "as_of": balance.as_of.isoformat(),
        "currency": cur,
        "by": by.value,
        "receivables": str(money(totals.total, cur)),
        "overdue": str(money(totals.overdue, cur)),
        "aging": {name: str(money(v, cur)) for name, v in totals.aging.items()},
        "rows": rows,
    }


def _aged_table(balance: AgedBalance, by: AgingBy) -> Table:
    cur = balance.currency
    table = Table(title=f"Aged balance as of {balance.as_of} ({cur}), by {by.value}")
    if by is AgingBy.customer:
        columns = ["Customer", "Name", *(BUCKET_TITLES[b] for b in BUCKETS), "Balance"]
        for name in columns:
            table.add_column(
                name,
                justify="left" if name in ("Customer", "Name") else "right",
                overflow="fold",
            )
        for row in balance.rows.to_dicts():
            table.add_row(
                row["customer_ref"],
                row["name"] or "",
                *(_cash(row[b], cur) for b in BUCKETS),
                _cash(row["balance"], cur),
            )
        totals = balance.totals
        table.add_row(
            "Total",
            "",
            *(_cash(totals.aging[b], cur) for b in BUCKETS),
            _cash(totals.total, cur),
        )
        return table
    for name in ("Customer", "Item", "Kind", "Issued", "Due", "Days past due", "Open"):
        table.add_column(
            name,
            justify="right" if name in ("Days past due", "Open") else "left",
            overflow="fold",
        )
    for row in balance.rows.to_dicts():
        dpd = row["days_past_due"]
        table.add_row(
            row["customer_ref"],
            row["ref"] + (" (disputed)" if row["disputed"] else ""),
            row["kind"],
            str(row["issue_date"]),
            str(row["due_date"] or "—"),
            "—" if dpd is None else str(dpd),
            _cash(row["residual"], cur),
        )
    return table


def aging(
    as_of: AsOfOption = None,
    by: Annotated[
        AgingBy, typer.Option("--by", help="One row per customer or per open item.")
    ] = AgingBy.customer,
    customer: CustomerOption = None,
    as_json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The aged balance: open items by days past due, per currency."""
    day: date = parse_day(as_of, "--as-of")
    with Store(db) as store:
        try:
            result = aged_balance(store, day, by=by.value, customer=customer)
        except UnknownCustomer as error:
            raise _usage(f"--customer: {error}") from None
    if as_json_output:
        print(
            json.dumps(
                [_aged_json(b, by) for b in result], indent=2, ensure_ascii=False
            )
        )
        return
    if not result:
        console.print("No posted document or payment: nothing is open.")
    for balance in result:
        console.print(_aged_table(balance, by))


def register(app: typer.Typer) -> None:
    """Add `figures` and `aging` to the application."""
    app.command("figures")(figures)
    app.command("aging")(aging)
