"""CLI command: `relance plan`, what the day's reminders would be, and why.

Reads only: the store is left exactly as it was. Exit codes: 0 ok, 1 when the
policy file has problems (all printed as `file: key: message`), 2 usage errors.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from relance.cli.common import DbOption, JsonOption, console, errors, parse_day
from relance.domain.money import from_minor
from relance.reminders.planned import DayPlan
from relance.reminders.policy import PolicyInvalid
from relance.services.planning import plan, plan_to_dict, resolve_policy
from relance.store.db import Store

PolicyOption = Annotated[
    Path | None,
    typer.Option(
        "--policy", help="Policy file (TOML); default: the shipped default policy."
    ),
]


def _print_plan(day_plan: DayPlan) -> None:
    for note in day_plan.notes:
        console.print(f"[yellow]{escape(note)}[/yellow]", highlight=False)
    if day_plan.contacts:
        table = Table(
            title=f"Reminders planned for {day_plan.day.isoformat()}",
            box=box.SIMPLE_HEAD,
            show_edge=False,
            padding=(0, 1, 0, 0),
            expand=True,
        )
        # Step keys are short identifiers people search for: never folded (a
        # column without a ratio keeps the width of its content).
        table.add_column("Customer", overflow="fold", ratio=2)
        table.add_column("Step", no_wrap=True)
        table.add_column("Channel", overflow="fold", ratio=1)
        table.add_column("Invoices", overflow="fold", ratio=2)
        table.add_column("Total", justify="right", no_wrap=True)
        table.add_column("Why", overflow="fold", ratio=6)
        for contact in day_plan.contacts:
            invoices = ", ".join(
                f"{item.document_ref} {from_minor(item.residual, contact.currency)}"
                for item in contact.items
            )
            total = f"{from_minor(contact.total, contact.currency)} {contact.currency}"
            step = f"{contact.segment}/{contact.step}" + (
                " (held out)" if contact.holdout else ""
            )
            table.add_row(
                escape(f"{contact.customer_ref} {contact.customer_name}"),
                escape(step),
                contact.channel,
                escape(invoices),
                total,
                escape("\n".join(contact.reasons)),
            )
        console.print(table)
    else:
        console.print(f"No reminder planned for {day_plan.day.isoformat()}.")
    held = sum(1 for c in day_plan.contacts if c.holdout)
    console.print(
        f"{len(day_plan.contacts)} contact(s), {held} held out; "
        f"{len(day_plan.skipped)} skipped.",
        highlight=False,
    )
    if day_plan.skipped:
        skipped = Table(
            title="Skipped", box=box.SIMPLE_HEAD, show_edge=False, expand=True
        )
        skipped.add_column("Customer", overflow="fold", ratio=1)
        skipped.add_column("Invoice", overflow="fold", ratio=1)
        skipped.add_column("Why", overflow="fold", ratio=6)
        for entry in day_plan.skipped:
            skipped.add_row(
                escape(entry.customer_ref),
                escape(entry.document_ref or "-"),
                escape(entry.reason),
            )
        console.print(skipped)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""

    @app.command("plan")
    def plan_command(
        day: Annotated[
            str | None,
            typer.Option("--date", help="Day to plan (YYYY-MM-DD), default today."),
        ] = None,
        policy_file: PolicyOption = None,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Show the reminders a run would make on a day, and why; change nothing."""
        when = parse_day(day, "--date")
        try:
            policy = resolve_policy(policy_file)
        except PolicyInvalid as caught:
            for problem in caught.problems:
                errors.print(
                    str(problem), markup=False, highlight=False, soft_wrap=True
                )
            errors.print(f"[red]{len(caught.problems)} problem(s) in the policy[/red]")
            raise typer.Exit(1) from None
        with Store(db) as store:
            day_plan = plan(store, policy, when)
        if as_json:
            console.print_json(json.dumps(plan_to_dict(day_plan)))
        else:
            _print_plan(day_plan)
