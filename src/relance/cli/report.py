"""CLI command `relance report`: the HTML report of the receivables.

Thin: parse the options, call `relance.services.report.write_report`, say where
the file is. Exit 2 on a bad option (unreadable date, unknown language, fewer
than one month).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from relance.cli.common import DbOption, console, errors, parse_day
from relance.figures.period import PeriodError
from relance.services.report import DEFAULT_MONTHS, write_report
from relance.store.db import Store


class Language(str, Enum):
    fr = "fr"
    en = "en"


def register(app: typer.Typer) -> None:
    """Add `relance report` to the application."""
    app.command("report")(report_command)


def report_command(
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", "--date", help="As-of date, YYYY-MM-DD (default: today)."
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write.")] = Path(
        "report.html"
    ),
    lang: Annotated[
        Language, typer.Option("--lang", help="Language of the labels and numbers.")
    ] = Language.fr,
    months: Annotated[
        int,
        typer.Option(
            "--months",
            help="Period: the N calendar months ending with the as-of month.",
        ),
    ] = DEFAULT_MONTHS,
    db: DbOption = None,
) -> None:
    """Write a self-contained HTML report: figures, DSO trend, aging, late payers.

    The file opens offline (no script, font or stylesheet to fetch); one section
    per currency.
    """
    day = parse_day(as_of, "--as-of")
    if months < 1:
        errors.print(
            f"[red]--months: {months} is not a number of months (1 or more)[/red]"
        )
        raise typer.Exit(2)
    with Store(db) as store:
        try:
            path = write_report(store, day, out, lang=lang.value, months=months)
        except PeriodError as problem:
            errors.print(f"[red]{problem}[/red]")
            raise typer.Exit(2) from None
    console.print(f"Report written to {path}", highlight=False)
