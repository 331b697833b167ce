"""`relance demo`: the sample company, generated, imported, measured and reported.

Thin: parse the options, call `relance.services.demo.run_demo`, print a Rich
summary (or JSON with `--json`). The as-of date defaults to the demo's fixed date,
not today, so that the demo's output is the same on every machine and every day.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from relance.cli.common import JsonOption, console, errors, parse_day
from relance.demo.defaults import DEMO_AS_OF, DEMO_CUSTOMERS, DEMO_SEED
from relance.report.messages import LANGUAGES

if TYPE_CHECKING:
    from relance.services.demo import DemoResult


def register(app: typer.Typer) -> None:
    """Add `relance demo` to the application."""
    app.command("demo")(demo_command)


def demo_command(
    out: Annotated[
        Path,
        typer.Option("--out", help="Folder for the CSV files, database and report."),
    ] = Path("demo-output"),
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL to import the sample into (default: a fresh SQLite "
            "file OUT/relance.db; $RELANCE_DATABASE_URL is not used, so the demo "
            "never writes into your own books by accident).",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help=f"End date of the sample books and of the figures (default {DEMO_AS_OF}).",
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the generator.")
    ] = DEMO_SEED,
    customers: Annotated[
        int, typer.Option("--customers", min=1, help="Number of customers to generate.")
    ] = DEMO_CUSTOMERS,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Language of the report: fr (default) or en."),
    ] = None,
    campaign: Annotated[
        bool,
        typer.Option(
            "--campaign/--no-campaign",
            help="Run the simulated reminder campaign with holdouts and its ROI report.",
        ),
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """Generate a sample company, import it, and show its figures and report.

    Without --db the database is a fresh SQLite file OUT/relance.db, replaced on
    every run; with --db the sample books are imported into that database.
    """
    day = DEMO_AS_OF if as_of is None else parse_day(as_of, "--as-of")
    quiet = as_json

    def step(label: str) -> None:
        if not quiet:
            errors.print(f"[dim]… {label}[/dim]", highlight=False)

    if lang is not None and lang not in LANGUAGES:
        errors.print(f"[red]--lang: {lang!r} is not fr or en[/red]", highlight=False)
        raise typer.Exit(2)
    # Imported here: generating books needs numpy and more, --help does not.
    from relance.services.demo import run_demo

    result = run_demo(
        out,
        as_of=day,
        seed=seed,
        customers=customers,
        database_url=db,
        lang=lang,
        step=step,
        campaign=campaign,
    )
    if as_json:
        console.print_json(json.dumps(_as_json(result)))
        return
    _print_summary(result)


def _as_json(result: DemoResult) -> dict[str, Any]:
    from relance.figures.summary import as_json

    return {
        "as_of": result.as_of.isoformat(),
        "seed": result.seed,
        "out": str(result.out),
        "database": result.database_url,
        "files": [str(path) for path in result.files],
        "counts": result.counts,
        "figures": [as_json(fig) for fig in result.figures],
        "report": None if result.report is None else str(result.report),
        "roi_report": None if result.roi_report is None else str(result.roi_report),
    }


def _print_summary(result: DemoResult) -> None:
    counts = result.counts
    console.print(
        f"Sample company (seed {result.seed}): {counts['customers']} customers, "
        f"{counts['invoices']} invoices, {counts['credit_notes']} credit notes, "
        f"{counts['payments']} payments, {counts['writeoffs']} write-offs, "
        f"books ending {result.as_of}.",
        highlight=False,
    )
    console.print(f"CSV files: {result.out / 'company'}", highlight=False)
    console.print(f"Database:  {result.database_url}", highlight=False)
    for fig in result.figures:
        console.print(_headline(fig))
    if result.report is not None:
        console.print(f"Report: [bold]{result.report}[/bold]", highlight=False)
    if result.campaign is not None:
        c = result.campaign
        console.print(
            f"Simulated campaign '{c.campaign}': {c.contacted} customers contacted, "
            f"{c.held_out} held out; true effect: {c.true_uplift:.0%} more invoices "
            f"paid within the window, and payments {c.true_days_sooner:g} days "
            "sooner (the measured days-sooner also counts the invoices the reminder "
            "brought into the window: see docs/roi.md).",
            highlight=False,
        )
    if result.roi_report is not None:
        console.print(
            f"Return of the follow-up: [bold]{result.roi_report}[/bold] "
            "(direct and incremental ROI side by side)",
            highlight=False,
        )


def _headline(fig: Any) -> Table:
    """The few figures a credit manager looks at first (a CurrencyFigures)."""
    from relance.figures.units import DAYS, PERCENT, RATE, money, rounded

    cur, ar, delays = fig.currency, fig.receivables, fig.delays

    def cash(minor: int) -> str:
        return f"{money(minor, cur):,} {cur}"

    def shown(value: Any, step: Any, suffix: str = "") -> str:
        value = rounded(value, step)
        return "—" if value is None else f"{value}{suffix}"

    table = Table(
        title=f"{cur} as of {fig.as_of}, last {fig.period.days} days", show_header=False
    )
    table.add_column("Figure")
    table.add_column("Value", justify="right")
    for name, value in (
        ("Receivables", cash(ar.total)),
        ("  not yet due", cash(ar.aging["not_due"])),
        ("  1–30 days past due", cash(ar.aging["1_30"])),
        ("  31–60", cash(ar.aging["31_60"])),
        ("  61–90", cash(ar.aging["61_90"])),
        ("  91+", cash(ar.aging["over_90"])),
        ("  unapplied cash", cash(ar.aging["unapplied"])),
        ("Overdue", cash(ar.overdue)),
        ("Sales of the period", cash(fig.sales)),
        ("DSO (accounting)", shown(fig.dso_accounting, DAYS, " d")),
        ("DSO (count-back)", shown(fig.dso_countback, DAYS, " d")),
        ("Best possible DSO", shown(fig.best_possible, DAYS, " d")),
        ("CEI", shown(fig.cei, PERCENT, " %")),
        ("Days beyond terms (weighted)", shown(delays.days_beyond_terms, DAYS, " d")),
        ("Paid on time (by amount)", shown(delays.on_time_rate_amount, RATE)),
        ("Disputed", cash(fig.disputes.amount)),
        ("Write-offs of the period", cash(fig.recovery.write_offs)),
    ):
        table.add_row(name, value)
    return table
