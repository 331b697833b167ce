"""The rate tables in use: shipped with relance, or updated by the user.

Two tables, each a CSV read by `relance.domain.rates`:
- `ecb`: the ECB main refinancing rate by date of effect (`ecb_mro_rates.csv`);
- `legal`: the French legal interest rate for professionals
  (`fr_legal_interest_rates.csv`).

The shipped copies live in the package (`relance/data`). `update_rates` never edits
them: it writes the updated table into the rates directory, and a table found there
is used instead of the shipped one. The rates directory is the explicit one, else
`$RELANCE_RATES_DIR`, else `$XDG_DATA_HOME/relance/rates`, else
`~/.local/share/relance/rates`. A file-based choice keeps the tables out of the
database schema; one directory serves every database of the user.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from relance.domain.late_interest import PenaltyRates
from relance.domain.rates import (
    RateStep,
    RateTable,
    format_rates,
    merge_rates,
    parse_rates,
)
from relance.imports.records import ImportRejected

TableName = Literal["ecb", "legal"]
TABLE_NAMES: tuple[TableName, ...] = ("ecb", "legal")
FILE_NAMES: dict[TableName, str] = {
    "ecb": "ecb_mro_rates.csv",
    "legal": "fr_legal_interest_rates.csv",
}
RATES_DIR_ENV = "RELANCE_RATES_DIR"


class RatesRejected(ImportRejected, ValueError):
    """A rate file has problems; nothing was written.

    Also a ValueError, so that callers that treat penalties as optional (the
    formal notice) carry on without them.
    """


_COMMENTS: dict[TableName, str] = {
    "ecb": "ECB main refinancing operations rate, % per year, by date of effect.",
    "legal": "French legal interest rate, professionals, % per year.",
}


def rates_dir(explicit: Path | None = None) -> Path:
    """Where updated tables are written and looked for first."""
    if explicit is not None:
        return explicit
    if os.environ.get(RATES_DIR_ENV):
        return Path(os.environ[RATES_DIR_ENV])
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local/share")
    return Path(data_home) / "relance" / "rates"


def shipped_text(name: TableName) -> str:
    """The text of the table shipped inside the package."""
    return (
        resources.files("relance")
        .joinpath("data", FILE_NAMES[name])
        .read_text(encoding="utf-8")
    )


def table_source(name: TableName, directory: Path | None = None) -> str:
    """The path of the user's table when there is one, else 'shipped'."""
    override = rates_dir(directory) / FILE_NAMES[name]
    return str(override) if override.is_file() else "shipped"


def load_table(name: TableName, directory: Path | None = None) -> RateTable:
    """The table in use; raise `RatesRejected` when the user's file is broken."""
    source = table_source(name, directory)
    if source == "shipped":
        text, source = shipped_text(name), f"relance/data/{FILE_NAMES[name]}"
    else:
        text = Path(source).read_text(encoding="utf-8")
    table, problems = parse_rates(text, source)
    if problems:
        raise RatesRejected(problems)
    return table


def load_penalty_rates(directory: Path | None = None) -> PenaltyRates:
    """Both tables in use."""
    return PenaltyRates(load_table("ecb", directory), load_table("legal", directory))


@dataclass(frozen=True, slots=True)
class RatesUpdate:
    """What `update_rates` did."""

    name: TableName
    path: Path
    added: int
    total: int
    last: RateStep | None


def update_rates(
    name: TableName,
    file: Path,
    directory: Path | None = None,
    replace: bool = False,
) -> RatesUpdate:
    """Validate `file` and add its rows to the table in use (all of them or none).

    With `replace`, `file` becomes the whole table. Raise `RatesRejected` with
    every problem of the file, or with the conflicts with the current table.
    """
    new, problems = parse_rates(file.read_text(encoding="utf-8"), str(file))
    if problems:
        raise RatesRejected(problems)
    if replace:
        table, added = new, len(new.steps)
    else:
        table, added, problems = merge_rates(
            load_table(name, directory), new, str(file)
        )
        if problems:
            raise RatesRejected(problems)

    # Write beside, then rename: a crash never leaves half a table.
    target = rates_dir(directory) / FILE_NAMES[name]
    target.parent.mkdir(parents=True, exist_ok=True)
    comment = f"{_COMMENTS[name]}\nUpdated by `relance rates update` from {file.name}."
    partial = target.with_suffix(".csv.partial")
    partial.write_text(format_rates(table, comment), encoding="utf-8")
    partial.replace(target)
    return RatesUpdate(name, target, added, len(table.steps), table.last)
