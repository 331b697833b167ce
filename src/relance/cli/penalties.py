"""CLI commands: `relance penalties` and `relance rates show|update`.

`relance penalties` lists by default the invoices still open and overdue at
`--as-of` (what a formal notice can claim); `--include-paid` adds the invoices
paid late, `--from DATE` only those settled on or after DATE.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from relance.cli.common import DbOption, JsonOption, console, errors, parse_day
from relance.domain.late_interest import InvoicePenalty, SemesterRates, semester_rates
from relance.imports.records import ImportRejected
from relance.services.penalties import penalties
from relance.services.rates import (
    TABLE_NAMES,
    load_penalty_rates,
    table_source,
    update_rates,
)
from relance.store.db import Store

RatesDirOption = Annotated[
    Path | None,
    typer.Option(
        "--rates-dir",
        help="Directory of updated rate tables (default: $RELANCE_RATES_DIR, else "
        "~/.local/share/relance/rates).",
    ),
]
_BASIS_LABELS = {
    "fr_statutory": "FR",
    "eu_directive": "EU",
    "contractual": "CTR",
    "none": "none",
}


class RateTableChoice(str, Enum):
    ecb = "ecb"
    legal = "legal"


def _reject(caught: ImportRejected) -> typer.Exit:
    for problem in caught.problems:
        errors.print(str(problem), markup=False, highlight=False, soft_wrap=True)
    errors.print(f"[red]{len(caught.problems)} problem(s), nothing was written[/red]")
    return typer.Exit(1)


def _penalty_json(p: InvoicePenalty) -> dict[str, Any]:
    return {
        "invoice_ref": p.invoice_ref,
        "customer_ref": p.customer_ref,
        "currency": p.currency,
        "due_date": p.due_date.isoformat(),
        "late_until": p.late_until.isoformat(),
        "principal_outstanding": str(p.principal_outstanding),
        "days_late": p.days_late,
        "interest": str(p.interest),
        "indemnity": None
        if p.indemnity is None
        else {"amount": str(p.indemnity.amount), "currency": p.indemnity.currency},
        "rate_basis": p.rate_basis,
        "periods": [
            {
                "semester": period.semester,
                "rate_percent": None
                if period.rate_percent is None
                else str(period.rate_percent),
                "days": period.days,
            }
            for period in p.periods
        ],
        "disputed": p.disputed,
        "warnings": list(p.warnings),
    }


def _totals(results: list[InvoicePenalty]) -> list[dict[str, str]]:
    """Interest and indemnities summed per currency, never across currencies."""
    interest: dict[str, Decimal] = defaultdict(Decimal)
    indemnity: dict[str, Decimal] = defaultdict(Decimal)
    for p in results:
        interest[p.currency] += p.interest
        if p.indemnity is not None:
            indemnity[p.indemnity.currency] += p.indemnity.amount
    return [
        {
            "currency": currency,
            "interest": str(interest.get(currency, Decimal("0.00"))),
            "indemnity": str(indemnity.get(currency, Decimal("0.00"))),
        }
        for currency in sorted(set(interest) | set(indemnity))
    ]


def _rates_text(p: InvoicePenalty) -> str:
    shown = dict.fromkeys(
        "?" if period.rate_percent is None else str(period.rate_percent)
        for period in p.periods
    )
    return "/".join(shown)


def _scope(include_paid: bool, paid_from: date | None) -> str:
    """What the list covers, in words."""
    if paid_from is not None:
        return f"open and overdue, and paid late since {paid_from}"
    return "open and overdue, and paid late" if include_paid else "open and overdue"


def _print_penalties(
    results: list[InvoicePenalty], as_of: date, scope: str = "open and overdue"
) -> None:
    if not results:
        console.print(f"No invoice late on or before {as_of} ({scope}).")
        return
    table = Table(
        title=f"Late-payment penalties as of {as_of}: invoices {scope}",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 1, 0, 0),
    )
    table.add_column("Invoice", overflow="fold", ratio=1)
    table.add_column("Customer", overflow="fold", ratio=1)
    table.add_column("Name", overflow="fold", ratio=2)
    table.add_column("Due", no_wrap=True)
    for name in ("Days", "Principal", "Cur", "Rate %", "Interest", "EUR 40"):
        left = name in ("Cur", "Rate %")
        table.add_column(
            name,
            justify="left" if left else "right",
            no_wrap=not left,
            overflow="fold",
        )
    for p in results:
        table.add_row(
            p.invoice_ref + (" (disputed)" if p.disputed else ""),
            p.customer_ref,
            p.customer_name or "",
            p.due_date.isoformat(),
            str(p.days_late),
            str(p.principal_outstanding),
            p.currency,
            f"{_BASIS_LABELS[p.rate_basis]} {_rates_text(p)}",
            str(p.interest),
            "" if p.indemnity is None else str(p.indemnity.amount),
        )
    console.print(table)
    console.print(
        "Basis: FR = ECB + 10 (C. com. L441-10), EU = ECB + 8 (directive 2011/7), "
        "CTR = the customer's contract. EUR 40: recovery indemnity (D441-5).",
        highlight=False,
    )
    for total in _totals(results):
        console.print(
            f"Total {total['currency']}: interest {total['interest']}, "
            f"indemnities {total['indemnity']}",
            highlight=False,
        )
    for p in results:
        for warning in p.warnings:
            console.print(
                f"[yellow]{p.invoice_ref}: {warning}[/yellow]", highlight=False
            )


def _semester_json(row: SemesterRates) -> dict[str, str | None]:
    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "semester": row.semester,
        "start": row.start.isoformat(),
        "ecb_percent": text(row.ecb_percent),
        "fr_statutory_percent": text(row.fr_statutory_percent),
        "eu_directive_percent": text(row.eu_directive_percent),
        "legal_percent": text(row.legal_percent),
        "contract_floor_percent": text(row.contract_floor_percent),
    }


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    rates_app = typer.Typer(help="Show or update the ECB and legal interest rates.")
    app.add_typer(rates_app, name="rates")

    @app.command("penalties")
    def penalties_command(
        as_of: Annotated[
            str | None, typer.Option("--as-of", help="Day (YYYY-MM-DD), default today.")
        ] = None,
        customer: Annotated[
            str | None, typer.Option("--customer", help="Only this customer (id).")
        ] = None,
        include_paid: Annotated[
            bool,
            typer.Option(
                "--include-paid",
                help="Also invoices paid (or credited) late by --as-of.",
            ),
        ] = False,
        paid_from: Annotated[
            str | None,
            typer.Option(
                "--from",
                help="Invoices paid late only if settled on or after this day "
                "(YYYY-MM-DD); implies --include-paid.",
            ),
        ] = None,
        db: DbOption = None,
        rates_dir: RatesDirOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Late-payment interest and the 40 EUR indemnity of the overdue invoices.

        By default the invoices still open and overdue at --as-of: what can be
        claimed now, on the formal notice.
        """
        day = parse_day(as_of, "--as-of")
        since = parse_day(paid_from, "--from") if paid_from is not None else None
        include_paid = include_paid or since is not None
        with Store(db) as store:
            try:
                results = penalties(
                    store,
                    day,
                    customer=customer,
                    rates_dir=rates_dir,
                    include_paid=include_paid,
                    paid_from=since,
                )
            except ImportRejected as caught:
                raise _reject(caught) from None
        if as_json:
            payload = {
                "as_of": day.isoformat(),
                "include_paid": include_paid,
                "paid_from": None if since is None else since.isoformat(),
                "invoices": [_penalty_json(p) for p in results],
                "customers": {p.customer_ref: p.customer_name for p in results},
                "totals": _totals(results),
            }
            print(json.dumps(payload, indent=2, ensure_ascii=False))
        else:
            _print_penalties(results, day, _scope(include_paid, since))

    @rates_app.command("show")
    def show_command(
        since: Annotated[int, typer.Option("--since", help="First year shown.")] = 2013,
        as_of: Annotated[
            str | None, typer.Option("--as-of", help="Last day shown, default today.")
        ] = None,
        rates_dir: RatesDirOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """The rates of each half-year: ECB, FR statutory, EU minimum, legal, floor."""
        day = parse_day(as_of, "--as-of")
        try:
            rates = load_penalty_rates(rates_dir)
        except ImportRejected as caught:
            raise _reject(caught) from None
        rows = semester_rates(rates, date(since, 1, 1), day)
        sources = {name: table_source(name, rates_dir) for name in TABLE_NAMES}
        last = rates.ecb.last
        if as_json:
            payload = {
                "sources": sources,
                "ecb_last_change": None
                if last is None
                else {
                    "effective_date": last.effective.isoformat(),
                    "rate_percent": str(last.percent),
                },
                "semesters": [_semester_json(row) for row in rows],
            }
            print(json.dumps(payload, indent=2))
            return
        table = Table(title="Late-payment rates by half-year (% per year)")
        for name in ("Half-year", "ECB", "FR ECB+10", "EU ECB+8", "Legal", "3× legal"):
            table.add_column(name, justify="left" if name == "Half-year" else "right")
        for row in rows:
            cells = _semester_json(row)
            table.add_row(
                row.semester,
                *(
                    cells[key] or "—"
                    for key in (
                        "ecb_percent",
                        "fr_statutory_percent",
                        "eu_directive_percent",
                        "legal_percent",
                        "contract_floor_percent",
                    )
                ),
            )
        console.print(table)
        for name, source in sources.items():
            console.print(f"{name} table: {source}", highlight=False)
        if last is not None:
            console.print(
                f"Last ECB change recorded: {last.percent} % from {last.effective}",
                highlight=False,
            )

    @rates_app.command("update")
    def update_command(
        file: Annotated[Path, typer.Argument(help="CSV: effective_date,rate_percent.")],
        table: Annotated[
            RateTableChoice, typer.Option("--table", help="Which table to update.")
        ] = RateTableChoice.ecb,
        replace: Annotated[
            bool,
            typer.Option("--replace", help="Make FILE the whole table, not additions."),
        ] = False,
        rates_dir: RatesDirOption = None,
    ) -> None:
        """Add the rows of FILE to a rate table (validated; all rows or none)."""
        if not file.is_file():
            errors.print(f"[red]{file}: no such file[/red]")
            raise typer.Exit(2)
        try:
            done = update_rates(table.value, file, rates_dir, replace=replace)
        except ImportRejected as caught:
            raise _reject(caught) from None
        last = (
            ""
            if done.last is None
            else f", last {done.last.percent} % from {done.last.effective}"
        )
        console.print(
            f"{done.added} rate(s) added to the {done.name} table, {done.total} in all"
            f"{last}: {done.path}",
            highlight=False,
        )
