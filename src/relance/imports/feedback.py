"""Reading feedback files: customer satisfaction scores and the team's notes.

Two layouts, told apart by their header (names are case-insensitive):

- **scores**: `customer_id`, `date`, `kind` (`csat` or `nps`), `score`; a CSAT
  score runs from 1 to 5, an NPS answer from 0 to 10;
- **notes**: `date`, `tag`, `text`, optional `customer_id` and `collector`; the tag
  is one word naming the subject (dispute, process, tone, ...), lower-cased.

Contracts: CSV or XLSX; every problem is collected as `file:line: field: message`;
records are returned only for rows without problems (the caller writes nothing
when there is any).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from relance.imports.cells import CellError, parse_date
from relance.imports.records import Origin, Problem
from relance.imports.tabular import Cell, read_table

SCORE_RANGES = {"csat": (1, 5), "nps": (0, 10)}
SUGGESTED_TAGS = ("dispute", "process", "tone", "other")
_TAG = re.compile(r"[a-z][a-z0-9_-]*")


@dataclass(frozen=True, slots=True)
class ScoreRecord:
    customer_ref: str
    day: date
    kind: str
    score: int
    origin: Origin


@dataclass(frozen=True, slots=True)
class NoteRecord:
    day: date
    tag: str
    text: str
    customer_ref: str | None
    collector: str | None
    origin: Origin


@dataclass
class FeedbackFile:
    """What a feedback file holds."""

    layout: Literal["scores", "notes"] | None = None
    scores: list[ScoreRecord] = field(default_factory=list)
    notes: list[NoteRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _text(cell: Cell | None) -> str:
    if cell is None:
        return ""
    return cell.isoformat() if isinstance(cell, date) else cell.strip()


def _day(cells: dict[str, str], origin: Origin, problems: list[Problem]) -> date | None:
    try:
        return parse_date(cells.get("date", ""))
    except CellError as exc:
        problems.append(Problem.at(origin, "date", str(exc)))
        return None


def _score(
    cells: dict[str, str], origin: Origin
) -> tuple[ScoreRecord | None, list[Problem]]:
    problems: list[Problem] = []
    day = _day(cells, origin, problems)
    kind = cells.get("kind", "").lower()
    if kind not in SCORE_RANGES:
        problems.append(
            Problem.at(origin, "kind", f"{cells.get('kind')!r} is not csat or nps")
        )
    raw = cells.get("score", "")
    score = int(raw) if re.fullmatch(r"\d{1,2}", raw) else None
    if score is None:
        problems.append(Problem.at(origin, "score", f"{raw!r} is not a whole score"))
    elif kind in SCORE_RANGES:
        low, high = SCORE_RANGES[kind]
        if not low <= score <= high:
            problems.append(
                Problem.at(
                    origin,
                    "score",
                    f"{raw!r} is out of range: {kind} runs {low} to {high}",
                )
            )
    customer = cells.get("customer_id", "")
    if not customer:
        problems.append(Problem.at(origin, "customer_id", "empty: whose score is it?"))
    if problems or day is None or score is None:
        return None, problems
    return ScoreRecord(customer, day, kind, score, origin), []


def _note(
    cells: dict[str, str], origin: Origin
) -> tuple[NoteRecord | None, list[Problem]]:
    problems: list[Problem] = []
    day = _day(cells, origin, problems)
    tag = cells.get("tag", "").lower()
    if not _TAG.fullmatch(tag):
        problems.append(
            Problem.at(
                origin,
                "tag",
                f"{cells.get('tag')!r} is not a one-word tag: e.g. "
                f"{', '.join(SUGGESTED_TAGS)}",
            )
        )
    text = cells.get("text", "")
    if not text:
        problems.append(Problem.at(origin, "text", "empty: write the note"))
    if problems or day is None:
        return None, problems
    return (
        NoteRecord(
            day,
            tag,
            text,
            cells.get("customer_id") or None,
            cells.get("collector") or None,
            origin,
        ),
        [],
    )


def read_feedback(path: Path, name: str | None = None) -> FeedbackFile:
    """Read a scores or a notes file; the header says which."""
    label = name or path.name
    table = read_table(path, label)
    result = FeedbackFile(problems=list(table.problems))
    seen = len(table.problems)
    header = [h.strip().lower() for h in table.header]
    required: tuple[str, ...]
    if {"score", "kind"} <= set(header):
        result.layout = "scores"
        required = ("customer_id", "date", "kind", "score")
    elif {"tag", "text"} <= set(header):
        result.layout = "notes"
        required = ("date", "tag", "text")
    else:
        result.problems.append(
            Problem(
                label,
                1,
                "header",
                "neither a scores file (customer_id, date, kind, "
                "score) nor a notes file (date, tag, text)",
            )
        )
        return result
    missing = [c for c in required if c not in header]
    if missing:
        result.problems.append(
            Problem(label, 1, "header", f"missing column(s): {', '.join(missing)}")
        )
        return result
    for line, row in table.rows:
        cells = {column: _text(cell) for column, cell in zip(header, row, strict=False)}
        origin = Origin(label, line)
        if result.layout == "scores":
            score, problems = _score(cells, origin)
            if score is not None:
                result.scores.append(score)
        else:
            note, problems = _note(cells, origin)
            if note is not None:
                result.notes.append(note)
        result.problems.extend(problems)
    result.problems.extend(table.problems[seen:])
    result.problems.sort(key=lambda p: p.line)
    return result
