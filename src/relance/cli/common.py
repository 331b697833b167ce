"""Options and helpers shared by every command."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $RELANCE_DATABASE_URL, else sqlite:///relance.db).",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON instead of tables.")
]

# Amounts and references must never be cut: when the output is not a terminal (a
# pipe, a file, a test), lay tables out on at least 120 columns.
_MIN_WIDTH = 120


def _console(stderr: bool = False) -> Console:
    probe = Console(stderr=stderr)
    if probe.is_terminal:
        return probe
    return Console(stderr=stderr, width=max(_MIN_WIDTH, probe.width))


console = _console()
errors = _console(stderr=True)


def parse_day(text: str | None, option: str) -> date:
    """An ISO date given on the command line; today when not given."""
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.print(
            f"[red]{option}: {text!r} is not a date (expected YYYY-MM-DD)[/red]"
        )
        raise typer.Exit(2) from None
