"""Calls and hand-overs: tasks in a collector's worklist, and their outcomes.

Sending turns a phone or hand-over action into a task (state `todo`) assigned to
the customer's collector (else the `default_collector` setting). The collector
records how it went; outcomes feed the ledger:

- `reached`: spoke to the customer, nothing else to record;
- `promise`: the customer promised to pay an amount by a date → a promise, which
  pauses reminders until then;
- `dispute`: the customer disputes an invoice → a dispute, which pauses it;
- `no_answer`, `wrong_number`: nobody reached (the ladder goes on).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

Outcome = Literal[
    "reached", "promise", "dispute", "no_answer", "wrong_number", "handed_over"
]
OUTCOMES: tuple[Outcome, ...] = (
    "reached",
    "promise",
    "dispute",
    "no_answer",
    "wrong_number",
    "handed_over",
)


@dataclass(frozen=True)
class TaskResult:
    """What a collector reports on a task."""

    outcome: Outcome
    day: date
    promise_date: date | None = None
    amount: Decimal | None = None
    dispute_reason: str | None = None
    invoice_ref: str | None = None
    note: str | None = None


def check_result(result: TaskResult) -> list[str]:
    """Problems with a reported result (empty when it can be recorded)."""
    problems = []
    if result.outcome not in OUTCOMES:
        problems.append(
            f"outcome {result.outcome!r}: expected one of {', '.join(OUTCOMES)}"
        )
    if result.outcome == "promise":
        if result.promise_date is None:
            problems.append("a promise needs --promise-date")
        elif result.promise_date < result.day:
            problems.append(
                f"promise date {result.promise_date} is before {result.day}"
            )
        if result.amount is None or result.amount <= 0:
            problems.append("a promise needs a positive --amount")
    if result.outcome == "dispute" and not result.dispute_reason:
        problems.append("a dispute needs --dispute-reason")
    return problems
