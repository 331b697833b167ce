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
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]

console = Console()
errors = Console(stderr=True)


def parse_day(text: str | None, option: str) -> date:
    """An ISO date given on the command line; today when not given."""
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.print(f"[red]{option}: {text!r} is not a date (expected YYYY-MM-DD)[/red]")
        raise typer.Exit(2) from None
