"""Found: a re-run of `relance run` said "0 action(s) recorded (0 held out), 0
skipped", not that the day's contacts were already recorded.

The planner itself leaves out customers contacted that day, so a re-run has no
contact to skip; the summary now counts the contacts earlier runs recorded.
"""

from __future__ import annotations

from datetime import date

from typer.testing import CliRunner

from relance.cli import app
from relance.imports.records import CustomerRecord, DocumentRecord, ImportBatch, Origin
from relance.store.db import Store
from relance.store.writer import write_batch

O = Origin("t.csv", 2)


def _books(store: Store) -> None:
    """Two customers, each one invoice due 2 June 2025 (a Monday). On Thursday 12
    June (+10 days; never reminded, so the first step after the due date,
    standard/email_1 at +3) each gets one contact: 2 contacts."""
    from decimal import Decimal

    with store.transaction() as s:
        write_batch(
            s,
            ImportBatch(
                source="t",
                customers=[
                    CustomerRecord("A", "A SARL", O, email="a@a.fr"),
                    CustomerRecord("B", "B SARL", O, email="b@b.fr"),
                ],
                documents=[
                    DocumentRecord(
                        f"F-{c}",
                        c,
                        date(2025, 5, 3),
                        date(2025, 6, 2),
                        Decimal("100.00"),
                        "EUR",
                        O,
                    )
                    for c in ("A", "B")
                ],
            ),
        )


def test_rerun_says_how_many_were_already_recorded(store: Store) -> None:
    _books(store)
    url = store.engine.url.render_as_string(hide_password=False)
    args = ["run", "--date", "2025-06-12", "--db", url]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "2 action(s) recorded" in first.output
    assert "already recorded" not in first.output
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    said = " ".join(again.output.split())
    assert "0 action(s) recorded" in said
    assert "2 contact(s) already recorded for this day by an earlier run" in said
    as_json = CliRunner().invoke(app, [*args, "--json"])
    assert '"already_recorded": 2' in as_json.output
