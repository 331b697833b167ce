"""Reading a FEC file (Fichier des Écritures Comptables) into typed lines.

This module knows the file format only, not what the lines mean for receivables
(that is `relance.imports.fec`). It accepts what real exports contain:

- fields separated by tabs or by `|`, detected from the header line;
- UTF-8 with or without BOM; a file that is not valid UTF-8 is decoded whole as
  ISO-8859-15 (Latin-9, which maps every byte, so decoding never fails);
- line ends LF, CR LF, CR CR LF or CR alone; blank lines are skipped, and line
  numbers count lines as an editor shows them with those ends (header = line 1);
- one trailing separator (an extra empty field) on the header, the lines or both;
- fields padded with spaces (fixed-width exports): every field is stripped;
- amounts with a decimal comma (or point), zero-padded; `Debit`/`Credit` columns or
  `Montant`/`Sens` (Sens = D/C or +1/-1);
- header names in any case (`MontantDevise`, `Montantdevise`), extra columns (the
  22-column cash-basis layout's DateRglt, ModeRglt, NatOp, IdClient) ignored;
- dates as YYYYMMDD; a PieceDate that is empty, all zeros or on or before
  1900-01-01 (a sentinel some tools write) is treated as absent.

Contracts: `FecLine.amount` is signed in the book currency (debit positive, credit
negative), exact to the cent. Every bad value becomes a `Problem` quoting it, at
`file:line`; such a line is left out of `FecFile.lines`.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from relance.domain.money import UnknownCurrency, check_currency, parse_decimal
from relance.imports.records import Origin, Problem

BOOK_CURRENCY = "EUR"
_LINE_BREAK = re.compile(r"\r*\n|\r+")
_SENTINEL_BEFORE = date(1900, 1, 2)

# Canonical column names, looked up case-insensitively.
_COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "Montant",
    "Sens",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
_CANONICAL = {name.lower(): name for name in _COLUMNS}
_REQUIRED = ("JournalCode", "EcritureNum", "EcritureDate", "CompteNum", "PieceRef")
_SIGNS = {"D": 1, "+1": 1, "1": 1, "+": 1, "C": -1, "-1": -1, "-": -1}


@dataclass(frozen=True, slots=True)
class FecLine:
    """One line of a FEC, typed; `amount` is signed (debit > 0), in euros."""

    origin: Origin
    journal: str
    journal_label: str
    entry_number: str
    entry_date: date
    account: str
    account_label: str
    aux: str
    aux_label: str
    piece_ref: str
    piece_date: date | None
    label: str
    amount: Decimal
    letter: str
    currency: str | None = None
    currency_amount: Decimal | None = None

    @property
    def document_date(self) -> date:
        """PieceDate, or EcritureDate when the piece date is absent."""
        return self.piece_date or self.entry_date


@dataclass
class FecFile:
    """The typed lines of one FEC and the problems met reading it."""

    name: str
    separator: str
    columns: tuple[str, ...]
    lines: list[FecLine] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def decode(raw: bytes) -> str:
    """UTF-8 (BOM dropped), else the whole file as ISO-8859-15."""
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("iso-8859-15")


def parse_fec_date(text: str) -> date:
    """A YYYYMMDD date; ValueError quoting the text otherwise."""
    if not re.fullmatch(r"\d{8}", text):
        raise ValueError(f"not a date: {text!r} (expected YYYYMMDD)")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise ValueError(f"not a date: {text!r} (expected YYYYMMDD)") from None


def parse_piece_date(text: str) -> date | None:
    """PieceDate, or None when empty, all zeros, or the 1900-01-01 sentinel."""
    if not text or set(text) == {"0"}:
        return None
    day = parse_fec_date(text)
    return None if day < _SENTINEL_BEFORE else day


def parse_fec_amount(text: str) -> Decimal:
    """An amount with a decimal comma or point, at most 2 decimals; empty is 0."""
    if not text:
        return Decimal(0)
    value = parse_decimal(text, decimal_comma=True)
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"{text!r} has more than 2 decimals")
    return value


def _header(text: str, file: str) -> tuple[str, list[str], list[Problem]]:
    """Separator and canonical column names of the header line."""
    separator = "|" if text.count("|") > text.count("\t") else "\t"
    if text.count(separator) == 0:
        message = f"header {text[:60]!r} is not separated by tabs or '|': not a FEC"
        return separator, [], [Problem(file, 1, "header", message)]
    names = [n.strip().lstrip("\ufeff") for n in text.split(separator)]
    if names and names[-1] == "":
        names.pop()
    columns = [_CANONICAL.get(n.lower(), n) for n in names]
    missing = [c for c in _REQUIRED if c not in columns]
    if not {"Debit", "Credit"} <= set(columns) and not {"Montant", "Sens"} <= set(
        columns
    ):
        missing.append("Debit and Credit (or Montant and Sens)")
    problems = [
        Problem(file, 1, name, "missing column in the FEC header") for name in missing
    ]
    return separator, columns, problems


def _signed_amount(
    row: dict[str, str], origin: Origin, problems: list[Problem]
) -> Decimal:
    """Debit − Credit, or Montant signed by Sens."""
    if "Debit" in row and "Credit" in row:
        result = Decimal(0)
        for column, side in (("Debit", 1), ("Credit", -1)):
            try:
                result += side * parse_fec_amount(row[column])
            except ValueError as error:
                problems.append(Problem.at(origin, column, str(error)))
        return result
    try:
        amount = parse_fec_amount(row["Montant"])
    except ValueError as error:
        problems.append(Problem.at(origin, "Montant", str(error)))
        return Decimal(0)
    sign = _SIGNS.get(row["Sens"].upper())
    if sign is None:
        problems.append(
            Problem.at(
                origin, "Sens", f"expected D, C, +1 or -1, found {row['Sens']!r}"
            )
        )
        return Decimal(0)
    return sign * amount


def _foreign(
    row: dict[str, str], origin: Origin, problems: list[Problem]
) -> tuple[str | None, Decimal | None]:
    """Currency and amount in that currency, when the line is not in euros."""
    code, written = row.get("Idevise", ""), row.get("Montantdevise", "")
    if not code or not written or code.upper() == BOOK_CURRENCY:
        return None, None
    try:
        currency = check_currency(code)
        amount = abs(parse_decimal(written, decimal_comma=True))
    except UnknownCurrency as error:
        problems.append(Problem.at(origin, "Idevise", str(error)))
        return None, None
    except ValueError as error:
        problems.append(Problem.at(origin, "Montantdevise", str(error)))
        return None, None
    return (currency, amount) if amount else (None, None)


def _line(row: dict[str, str], origin: Origin) -> tuple[FecLine | None, list[Problem]]:
    """Type one row; None with problems when a value is bad."""
    problems: list[Problem] = []
    entry_date: date | None = None
    piece_date: date | None = None
    try:
        entry_date = parse_fec_date(row["EcritureDate"])
    except ValueError as error:
        problems.append(Problem.at(origin, "EcritureDate", str(error)))
    try:
        piece_date = parse_piece_date(row.get("PieceDate", ""))
    except ValueError as error:
        problems.append(Problem.at(origin, "PieceDate", str(error)))
    amount = _signed_amount(row, origin, problems)
    currency, currency_amount = _foreign(row, origin, problems)
    if problems or entry_date is None:
        return None, problems
    line = FecLine(
        origin=origin,
        journal=row["JournalCode"],
        journal_label=row.get("JournalLib", ""),
        entry_number=row["EcritureNum"],
        entry_date=entry_date,
        account=row["CompteNum"],
        account_label=row.get("CompteLib", ""),
        aux=row.get("CompAuxNum", ""),
        aux_label=row.get("CompAuxLib", ""),
        piece_ref=row["PieceRef"],
        piece_date=piece_date,
        label=row.get("EcritureLib", ""),
        amount=amount,
        letter=row.get("EcritureLet", ""),
        currency=currency,
        currency_amount=currency_amount,
    )
    return line, []


def read_fec_lines(path: Path, display_name: str | None = None) -> FecFile:
    """Read and type every line of a FEC file; problems are collected, not raised.

    Problems name the file `display_name` when given (the path as typed).
    """
    name = display_name if display_name is not None else path.name
    texts = _LINE_BREAK.split(decode(path.read_bytes()))
    separator, columns, problems = _header(texts[0] if texts else "", name)
    fec = FecFile(name, separator, tuple(columns), problems=problems)
    if problems:
        return fec

    width = len(columns)
    for number, text in enumerate(texts[1:], start=2):
        if not text.strip(" \t\x1a"):
            continue
        origin = Origin(name, number)
        values = text.split(separator)
        # A trailing separator gives one extra, empty field.
        if len(values) == width + 1 and not values[-1].strip():
            values.pop()
        if len(values) != width:
            fec.problems.append(
                Problem.at(
                    origin, "line", f"expected {width} fields, found {len(values)}"
                )
            )
            continue
        row = dict(zip(columns, (v.strip() for v in values), strict=True))
        line, line_problems = _line(row, origin)
        fec.problems.extend(line_problems)
        if line is not None:
            fec.lines.append(line)
    return fec
