"""Reading a CSV or XLSX sheet as text rows numbered like the file.

Contracts:
- line numbers are 1-based and count physical lines, the header included (after
  `skip_rows` lines of preamble); a row's number is the line it starts on, so a
  message points where a person looking at the file in an editor would look;
- CSV is decoded as a whole with the declared encoding (UTF-8 by default, a byte
  order mark is dropped); a byte that does not decode is one `Problem`, with the line
  it sits on;
- cells are text, never numbers: identifiers keep their leading zeros. XLSX cells
  holding a date come through as `datetime.date`; numeric XLSX cells are written
  back as text with Excel's 15 significant digits (`1930571429.0` -> `1930571429`),
  as a `SheetNumber`: plain digits with a dot, which the amount reader takes as
  they are whatever decimal and thousands separators the mapping declares for text;
- blank lines and rows whose cells are all blank are skipped, as spreadsheets leave
  them at the end; any other row with a different number of values than the header
  is a `Problem` (CSV only: XLSX rows are padded to the header).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from relance.imports.cells import SheetNumber
from relance.imports.records import Problem

Cell = str | date


@dataclass
class Table:
    """A header and its rows; `rows` yields `(line, cells)` once."""

    name: str
    header: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    total: int
    problems: list[Problem] = field(default_factory=list)


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode(data: bytes, encoding: str, name: str) -> tuple[str | None, Problem | None]:
    codec = (
        "utf-8-sig"
        if encoding.lower().replace("_", "-") in ("utf-8", "utf8")
        else encoding
    )
    try:
        return data.decode(codec), None
    except UnicodeDecodeError as exc:
        line = _line_of_offset(data, exc.start)
        bad = data[exc.start : exc.start + 1].hex().upper()
        return None, Problem(
            name,
            line,
            "encoding",
            f"byte 0x{bad} is not valid {encoding}: save the file as UTF-8, or "
            f'declare its encoding in a mapping (e.g. encoding = "cp1252")',
        )
    except LookupError:
        return None, Problem(name, 1, "encoding", f"unknown encoding {encoding!r}")


def _blank(cells: list[Cell]) -> bool:
    for cell in cells:
        if not isinstance(cell, str) or cell.strip():
            return False
    return True


def read_csv(
    path: Path,
    name: str,
    *,
    separator: str = ",",
    encoding: str = "utf-8",
    skip_rows: int = 0,
) -> Table:
    """Open a CSV file as a `Table` (decoding problems land in `problems`)."""
    data = path.read_bytes()
    text, problem = _decode(data, encoding, name)
    if text is None:
        assert problem is not None
        return Table(name, [], iter(()), 0, [problem])
    total = max(data.count(b"\n") - skip_rows, 0)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    problems: list[Problem] = []
    header: list[str] = []
    try:
        for _ in range(skip_rows):
            next(reader, None)
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, "header", f"unreadable: {exc}"))
    return Table(name, header, _csv_rows(reader, name, problems), total, problems)


def _csv_rows(
    reader: Iterator[list[str]], name: str, problems: list[Problem]
) -> Iterator[tuple[int, list[Cell]]]:
    line_num = reader.line_num  # type: ignore[attr-defined]
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(Problem(name, line_num + 1, "row", f"unreadable: {exc}"))
            line_num = reader.line_num  # type: ignore[attr-defined]
            continue
        start, line_num = line_num + 1, reader.line_num  # type: ignore[attr-defined]
        if cells and not _blank(list(cells)):
            yield start, list(cells)


def _cell_text(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return SheetNumber(value)
    if isinstance(value, float):
        if value.is_integer():
            return SheetNumber(int(value))
        # Excel keeps 15 significant digits; more would show binary noise. Written
        # out without exponent: 1e-05 is 0.00001.
        return SheetNumber(format(Decimal(format(value, ".15g")), "f"))
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def read_xlsx(
    path: Path, name: str, *, sheet: str | None = None, skip_rows: int = 0
) -> Table:
    """Open a sheet of an XLSX workbook (the first one by default) as a `Table`."""
    from openpyxl import load_workbook  # imported here: only XLSX imports pay for it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        return Table(
            name,
            [],
            iter(()),
            0,
            [Problem(name, 1, "file", f"not a readable XLSX workbook: {exc}")],
        )
    if sheet is not None and sheet not in book.sheetnames:
        book.close()
        known = ", ".join(repr(s) for s in book.sheetnames)
        return Table(
            name,
            [],
            iter(()),
            0,
            [
                Problem(
                    name, 1, "sheet", f"no sheet {sheet!r}: the workbook has {known}"
                )
            ],
        )
    ws = book[sheet] if sheet is not None else book.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    for _ in range(skip_rows):
        next(rows, None)
    first = next(rows, None) or ()
    header = [str(_cell_text(v)).strip() for v in first]
    while header and not header[-1]:
        header.pop()
    total = max((ws.max_row or 0) - skip_rows - 1, 0)
    return Table(
        name, header, _xlsx_rows(rows, len(header), skip_rows + 2, book), total
    )


def _xlsx_rows(
    rows: Iterator[tuple[object, ...]], width: int, first_line: int, book: object
) -> Iterator[tuple[int, list[Cell]]]:
    try:
        for line, values in enumerate(rows, start=first_line):
            cells = [_cell_text(v) for v in values[:width]]
            cells += [""] * (width - len(cells))
            if not _blank(cells):
                yield line, cells
    finally:
        book.close()  # type: ignore[attr-defined]


def read_table(
    path: Path,
    name: str,
    *,
    separator: str = ",",
    encoding: str = "utf-8",
    sheet: str | None = None,
    skip_rows: int = 0,
) -> Table:
    """Open a CSV or an XLSX file, told apart by the extension."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(path, name, sheet=sheet, skip_rows=skip_rows)
    return read_csv(
        path, name, separator=separator, encoding=encoding, skip_rows=skip_rows
    )
