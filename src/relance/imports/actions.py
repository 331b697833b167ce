"""Reading an actions file: the follow-up a team did before (or beside) relance.

A CSV or XLSX sheet with a header. Columns (names are case-insensitive):

| column      | required | meaning                                                    |
|-------------|----------|------------------------------------------------------------|
| date        | yes      | day of the action, YYYY-MM-DD                               |
| customer_id | one of   | the customer contacted                                      |
| invoice_id  | the two  | the invoice it was about (its customer is implied)          |
| channel     | yes      | email, letter, registered_letter, sms, phone, handover      |
| step        | yes      | the step's name in your ladder (e.g. email_1, call)         |
| cost        | yes      | what the action cost, dot decimals (0 allowed)              |
| holdout     | no       | yes when the customer was kept back on purpose (default no) |
| campaign    | no       | the campaign or tool (default `import`)                     |
| currency    | no       | of the cost (default: the invoice's, else the default one)  |
| collector   | no       | who did it                                                  |
| segment     | no       | the customer's segment then (default: the customer's)       |
| ref         | no       | your id of the action; rows sharing a ref are one action    |
|             |          | about several invoices                                      |

Contracts: problems are collected for every row as `file:line: field: message`;
nothing is returned as an action when any is found in its rows. Without a ref,
each row is one action, whose ref is derived from its content (date, customer,
invoice, channel, step, campaign): re-importing the same file finds the same
actions, and correcting a cost updates the action rather than adding one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from relance.imports.cells import (
    CellError,
    parse_amount,
    parse_currency,
    parse_date,
    parse_flag,
)
from relance.imports.records import Origin, Problem
from relance.imports.tabular import Cell, read_table
from relance.reminders.planned import CHANNELS

REQUIRED = ("date", "channel", "step", "cost")
OPTIONAL = (
    "customer_id",
    "invoice_id",
    "holdout",
    "campaign",
    "currency",
    "collector",
    "segment",
    "ref",
)
DEFAULT_CAMPAIGN = "import"


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """One imported action; `invoice_refs` may be empty (a customer-level action)."""

    ref: str
    day: date
    customer_ref: str | None
    invoice_refs: tuple[str, ...]
    channel: str
    step: str
    cost: Decimal
    currency: str | None
    holdout: bool
    campaign: str
    collector: str | None
    segment: str | None
    origin: Origin
    lines: tuple[Origin, ...] = ()  # where each of `invoice_refs` was read


@dataclass
class ActionsFile:
    """What an actions file holds: actions, and the problems found reading it."""

    actions: list[ActionRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def derived_ref(cells: dict[str, str]) -> str:
    """A stable ref from a row's identifying cells, for files that give none."""
    key = "|".join(
        cells.get(name, "").strip()
        for name in ("date", "customer_id", "invoice_id", "channel", "step", "campaign")
    )
    return "imp-" + hashlib.sha256(key.encode()).hexdigest()[:20]


def _text(cell: Cell | None) -> str:
    if cell is None:
        return ""
    return cell.isoformat() if isinstance(cell, date) else cell.strip()


def _row(
    line: int, cells: dict[str, str], name: str
) -> tuple[ActionRecord | None, list[Problem]]:
    """One row as an action about at most one invoice, or its problems."""
    origin = Origin(name, line)
    problems: list[Problem] = []

    def bad(column: str, message: str) -> None:
        problems.append(Problem.at(origin, column, message))

    day = None
    try:
        day = parse_date(cells["date"])
    except CellError as exc:
        bad("date", str(exc))
    channel = cells["channel"].lower()
    if channel not in CHANNELS:
        bad(
            "channel",
            f"{cells['channel']!r} is not a channel: expected one of "
            f"{', '.join(CHANNELS)}",
        )
    if not cells["step"]:
        bad("step", "empty: name the step of your ladder (e.g. email_1, call)")
    cost = None
    try:
        cost = parse_amount(cells["cost"])
        if cost < 0:
            bad("cost", f"{cells['cost']!r} is negative: a cost is 0 or more")
    except CellError as exc:
        bad("cost", str(exc))
    holdout = False
    try:
        holdout = parse_flag(cells.get("holdout", ""))
    except CellError as exc:
        bad("holdout", str(exc))
    currency = None
    if cells.get("currency"):
        try:
            currency = parse_currency(cells["currency"])
        except CellError as exc:
            bad("currency", str(exc))
    customer, invoice = (
        cells.get("customer_id") or None,
        cells.get("invoice_id") or None,
    )
    if customer is None and invoice is None:
        bad(
            "customer_id",
            "empty, and so is invoice_id: give the customer or the invoice",
        )
    if problems or day is None or cost is None:
        return None, problems
    return (
        ActionRecord(
            ref=cells.get("ref") or derived_ref(cells),
            day=day,
            customer_ref=customer,
            invoice_refs=() if invoice is None else (invoice,),
            channel=channel,
            step=cells["step"],
            cost=cost,
            currency=currency,
            holdout=holdout,
            campaign=cells.get("campaign") or DEFAULT_CAMPAIGN,
            collector=cells.get("collector") or None,
            segment=cells.get("segment") or None,
            origin=origin,
            lines=() if invoice is None else (origin,),
        ),
        [],
    )


def _merge(
    first: ActionRecord, other: ActionRecord
) -> tuple[ActionRecord, list[Problem]]:
    """Two rows of one ref: the same action about one more invoice."""
    problems = []
    for attr, column in (
        ("day", "date"),
        ("customer_ref", "customer_id"),
        ("channel", "channel"),
        ("step", "step"),
        ("cost", "cost"),
        ("currency", "currency"),
        ("holdout", "holdout"),
        ("campaign", "campaign"),
        ("collector", "collector"),
    ):
        mine, theirs = getattr(first, attr), getattr(other, attr)
        if attr == "customer_ref" and (mine is None or theirs is None):
            continue
        if mine != theirs:
            problems.append(
                Problem.at(
                    other.origin,
                    column,
                    f"{theirs!s} differs from {mine!s} given for ref {first.ref!r} at "
                    f"{first.origin}: rows of one action must agree",
                )
            )
    merged = replace(
        first,
        customer_ref=first.customer_ref or other.customer_ref,
        invoice_refs=first.invoice_refs + other.invoice_refs,
        lines=first.lines + other.lines,
    )
    return merged, problems


def read_actions(path: Path, name: str | None = None) -> ActionsFile:
    """Read an actions file (CSV or XLSX); every problem is collected."""
    label = name or path.name
    table = read_table(path, label)
    result = ActionsFile(problems=list(table.problems))
    # The reader adds the problems of unreadable rows as it goes.
    seen = len(table.problems)
    header = [h.strip().lower() for h in table.header]
    missing = [c for c in REQUIRED if c not in header]
    if not {"customer_id", "invoice_id"} & set(header):
        missing.append("customer_id or invoice_id")
    if missing:
        result.problems.append(
            Problem(label, 1, "header", f"missing column(s): {', '.join(missing)}")
        )
        return result
    by_ref: dict[str, ActionRecord] = {}
    for line, row in table.rows:
        cells = {column: _text(cell) for column, cell in zip(header, row, strict=False)}
        record, problems = _row(line, cells, label)
        result.problems.extend(problems)
        if record is None:
            continue
        if record.ref in by_ref:
            record, clashes = _merge(by_ref[record.ref], record)
            result.problems.extend(clashes)
        by_ref[record.ref] = record
    result.problems.extend(table.problems[seen:])
    result.problems.sort(key=lambda p: p.line)
    result.actions = list(by_ref.values())
    return result
