"""Rate tables: a percentage per year that changes on given dates.

A `RateTable` is a step function: each `RateStep` applies from its `effective` date
(inclusive) until the day before the next step. Rates are exact `Decimal` percentages
(2.15 means 2.15 % per year) with at most `RATE_DECIMALS` decimals, so that they fit
the integer rate units (`to_rate_units`) the interest computation multiplies by.

The text form is a CSV with the header `effective_date,rate_percent`, ISO dates,
rows strictly ascending by date, and `#` comment lines. `parse_rates` reports every
problem of a file as `Problem(file, line, field, message)` values.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from relance.imports.records import Problem

HEADER = ("effective_date", "rate_percent")
RATE_DECIMALS = 4
RATE_SCALE = 10**RATE_DECIMALS
# A sanity bound: no central bank or legal rate has come near it; a typo may.
_MAX_ABS_RATE = Decimal(100)


@dataclass(frozen=True, slots=True)
class RateStep:
    """A rate in % per year, in force from `effective` on.

    `line` is where the step was read (0 when not read from a file).
    """

    effective: date
    percent: Decimal
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class RateTable:
    """Rate steps sorted by strictly ascending date."""

    steps: tuple[RateStep, ...]

    def on(self, day: date) -> Decimal | None:
        """The rate in force on `day`, or None before the first step."""
        found = None
        for step in self.steps:
            if step.effective > day:
                break
            found = step.percent
        return found

    @property
    def first(self) -> date | None:
        return self.steps[0].effective if self.steps else None

    @property
    def last(self) -> RateStep | None:
        return self.steps[-1] if self.steps else None


def to_rate_units(percent: Decimal) -> int:
    """The rate as an integer count of 1/10,000 of a percent; refuse finer rates."""
    scaled = percent.scaleb(RATE_DECIMALS)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{percent} has more than {RATE_DECIMALS} decimals")
    return int(scaled)


def _data_lines(text: str) -> Iterable[tuple[int, list[str]]]:
    """(1-based line number, cells) of every non-blank, non-comment line."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        yield number, next(csv.reader(io.StringIO(line)))


def _parse_percent(text: str) -> Decimal | str:
    """The rate, or a message saying what is wrong with `text`."""
    try:
        value = Decimal(text)
    except ArithmeticError:
        return f"{text!r} is not a decimal rate (expected e.g. 2.15)"
    if not value.is_finite() or "e" in text.lower():
        return f"{text!r} is not a decimal rate (expected e.g. 2.15)"
    if abs(value) >= _MAX_ABS_RATE:
        return f"{text!r} is not a plausible rate in % per year"
    try:
        to_rate_units(value)
    except ValueError:
        return f"{text!r} has more than {RATE_DECIMALS} decimals"
    return value


def parse_rates(text: str, source: str) -> tuple[RateTable, list[Problem]]:
    """Read a rate CSV; return the table and every problem found.

    The table holds the rows that were valid; use it only when there is no problem.
    """
    problems: list[Problem] = []
    steps: list[RateStep] = []
    lines = iter(_data_lines(text))
    first = next(lines, None)
    if first is None:
        return RateTable(()), [Problem(source, 1, "header", "empty file")]
    number, cells = first
    if tuple(c.strip() for c in cells) != HEADER:
        message = f"found {','.join(cells)!r}, expected {','.join(HEADER)!r}"
        return RateTable(()), [Problem(source, number, "header", message)]

    for number, cells in lines:
        if len(cells) != 2:
            problems.append(
                Problem(source, number, "row", f"{len(cells)} cells, expected 2")
            )
            continue
        day_text, rate_text = (c.strip() for c in cells)
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            problems.append(
                Problem(
                    source,
                    number,
                    "effective_date",
                    f"{day_text!r} is not a date (expected YYYY-MM-DD)",
                )
            )
            continue
        rate = _parse_percent(rate_text)
        if isinstance(rate, str):
            problems.append(Problem(source, number, "rate_percent", rate))
            continue

        # Order and uniqueness: each row must come strictly after the previous one.
        if steps and day == steps[-1].effective:
            problems.append(
                Problem(source, number, "effective_date", f"duplicate date {day_text}")
            )
            continue
        if steps and day < steps[-1].effective:
            message = f"{day_text} comes after {steps[-1].effective}: sort by date"
            problems.append(Problem(source, number, "effective_date", message))
            continue
        steps.append(RateStep(day, rate, number))
    if not steps and not problems:
        problems.append(Problem(source, number, "row", "no rate in the file"))
    return RateTable(tuple(steps)), problems


def merge_rates(
    current: RateTable, new: RateTable, source: str
) -> tuple[RateTable, int, list[Problem]]:
    """Add the steps of `new` to `current`; return (table, steps added, problems).

    A date already present with the same rate changes nothing; with another rate it
    is a problem (the history is not rewritten by accident).
    """
    known = {step.effective: step.percent for step in current.steps}
    problems = []
    added = 0
    for step in new.steps:
        old = known.get(step.effective)
        if old is None:
            known[step.effective] = step.percent
            added += 1
        elif old != step.percent:
            message = (
                f"{step.effective} is already in the history at {old} %, "
                f"not {step.percent} %: use --replace to rewrite the history"
            )
            problems.append(Problem(source, step.line, "rate_percent", message))
    steps = tuple(RateStep(day, known[day]) for day in sorted(known))
    return RateTable(steps), added, problems


def format_rates(table: RateTable, comment: str = "") -> str:
    """The CSV text of a table, with optional `#` comment lines first."""
    lines = [f"# {line}" for line in comment.splitlines()]
    lines.append(",".join(HEADER))
    lines += [f"{s.effective.isoformat()},{s.percent}" for s in table.steps]
    return "\n".join(lines) + "\n"
