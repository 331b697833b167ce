"""The `relance` command: a thin layer over `relance.services`.

Each command group lives in its own module and registers itself on `app`.
Exit codes: 0 ok, 1 data problems, 2 usage errors.
"""

from __future__ import annotations

import typer

from relance.cli import demo, figures, imports, penalties, plan, reminders, report, roi
from relance.cli.common import errors
from relance.store.db import StoreUnavailable

app = typer.Typer(
    name="relance",
    help="Follow up unpaid customer invoices and prove what it is worth.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

for module in (imports, figures, report, demo, penalties, plan, reminders, roi):
    module.register(app)


def main() -> None:
    """Entry point of the console script."""
    try:
        app()
    except StoreUnavailable as exc:
        errors.print(f"[red]{exc}[/red]", highlight=False)
        raise SystemExit(2) from None
