"""Reading one cell: dates, amounts, yes/no flags, currencies and identifiers.

Every parser returns the value or raises `CellError` whose message quotes the cell
and says what was expected; the caller turns it into a `Problem` with the file, line
and column. Nothing is ever guessed:
- a date is read with one declared format only (ISO `YYYY-MM-DD` unless a mapping
  declares a `strptime` format): `4/6/2013` with `%m/%d/%Y` is 6 April 2013, and the
  same text with any other declared format is either another date or a problem;
- an amount is an optional sign, digits and at most one decimal separator (a dot, or
  a comma when declared); a declared thousands separator is removed first. Exponents,
  currency signs and spaces inside digits are refused;
- identifiers are text: leading zeros survive unless a normalisation is declared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from relance.domain.money import UnknownCurrency, check_currency, minor_digits, quantize

ISO = "ISO"
_AMOUNT = re.compile(r"[+-]?\d+(\.\d+)?")
_TRUE = frozenset({"yes", "true", "1", "y", "oui"})
_FALSE = frozenset({"no", "false", "0", "n", "non", ""})
_SPACES = str.maketrans("", "", " \u00a0\u202f")


class CellError(ValueError):
    """A cell that cannot be read as what its column holds."""


@lru_cache(maxsize=65536)
def _strptime(text: str, fmt: str) -> date:
    return datetime.strptime(text, fmt).date()


@lru_cache(maxsize=65536)
def _iso(text: str) -> date:
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError(text)
    return date.fromisoformat(text)


def parse_date(cell: str | date, fmt: str = ISO) -> date:
    """A date written with `fmt` (a `strptime` format, or `ISO` for YYYY-MM-DD)."""
    if isinstance(cell, date):
        return cell
    text = cell.strip()
    try:
        return _iso(text) if fmt == ISO else _strptime(text, fmt)
    except ValueError:
        expected = "YYYY-MM-DD" if fmt == ISO else f"the format {fmt}"
        raise CellError(f"{cell!r} is not a date: expected {expected}") from None


@dataclass(frozen=True, slots=True)
class NumberFormat:
    """How amounts are written: decimal separator and thousands separator."""

    decimal_comma: bool = False
    thousands: str = ""

    def example(self) -> str:
        sep = "," if self.decimal_comma else "."
        return f"-1{self.thousands}234{sep}56"


PLAIN_NUMBER = NumberFormat()


class SheetNumber(str):
    """The text of a cell a spreadsheet typed as a number: `-1234.5`, `59`.

    Written with a dot for decimals and no exponent (see
    `relance.imports.tabular`): the separators a mapping declares describe
    numbers typed as text, not these.
    """

    __slots__ = ()


def parse_amount(cell: str | date, number: NumberFormat = NumberFormat()) -> Decimal:
    """A signed decimal amount written in `number`'s format.

    A spreadsheet's number cell (a `SheetNumber`) is read as the number it is:
    the separators declared for text do not apply to it.
    """
    if isinstance(cell, SheetNumber):
        number = PLAIN_NUMBER
    text = cell.strip() if isinstance(cell, str) else ""
    cleaned = text
    if number.thousands:
        thousands = number.thousands
        cleaned = cleaned.replace(thousands, "")
        if thousands.strip() == "":
            cleaned = cleaned.translate(_SPACES)
    if number.decimal_comma:
        cleaned = cleaned.replace(",", ".") if "." not in cleaned else "?"
    if not _AMOUNT.fullmatch(cleaned):
        sep = "a comma" if number.decimal_comma else "a dot"
        raise CellError(
            f"{cell!r} is not an amount: expected digits with {sep} for decimals, "
            f"e.g. {number.example()}"
        )
    return Decimal(cleaned)


@lru_cache(maxsize=512)
def _digits(currency: str) -> int:
    return minor_digits(currency)


def check_minor_unit(amount: Decimal, currency: str, cell: str | date) -> None:
    """Refuse an amount finer than the currency's minor unit (10.005 EUR).

    Trailing zeros are fine: 10.500 EUR is 10.50 EUR.
    """
    digits = _digits(currency)
    exponent = amount.as_tuple().exponent
    # Few enough written decimals settles it without rounding (the usual case).
    if isinstance(exponent, int) and exponent >= -digits:
        return
    if quantize(amount, currency) != amount:
        raise CellError(f"{cell!r} has more decimals than {currency} allows ({digits})")


def parse_currency(cell: str | date) -> str:
    """An ISO 4217 code, upper-cased."""
    text = cell if isinstance(cell, str) else str(cell)
    try:
        return check_currency(text)
    except UnknownCurrency:
        raise CellError(
            f"unknown currency {text!r}: expected an ISO 4217 code such as EUR or USD"
        ) from None


def parse_flag(
    cell: str | date,
    true_values: frozenset[str] | None = None,
    false_values: frozenset[str] | None = None,
) -> bool:
    """A yes/no cell: yes/no/true/false/1/0 (any case) unless values are declared.

    With declared `true_values` only, anything else is false; with both lists, a
    value in neither is an error. Comparisons ignore case and surrounding spaces.
    """
    text = cell.strip().lower() if isinstance(cell, str) else str(cell)
    if true_values is None:
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise CellError(
            f"{cell!r} is not yes or no: expected yes, no, true, false, 1 or 0"
        )
    if text in true_values:
        return True
    if false_values is None or text in false_values or text == "":
        return False
    allowed = ", ".join(sorted(true_values | false_values))
    raise CellError(f"{cell!r} is not a declared value: expected one of {allowed}")


@dataclass(frozen=True, slots=True)
class IdentifierRule:
    """How to normalise an identifier; whitespace around it is always removed.

    Applied in this order: `strip_float_suffix` drops a trailing `.0` left by a
    float round-trip (`1930571429.0`); `strip_leading_zeros` and `pad_zeros` only
    touch all-digit identifiers (`0200769623` -> `200769623`; `611365` padded to 10
    -> `0000611365`).
    """

    strip_float_suffix: bool = False
    strip_leading_zeros: bool = False
    pad_zeros: int = 0

    def apply(self, cell: str | date) -> str:
        text = cell.strip() if isinstance(cell, str) else cell.isoformat()
        if not (self.strip_float_suffix or self.strip_leading_zeros or self.pad_zeros):
            return text
        if self.strip_float_suffix and text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]
        if text.isdigit():
            if self.strip_leading_zeros:
                text = text.lstrip("0") or "0"
            if self.pad_zeros:
                text = text.zfill(self.pad_zeros)
        return text


PLAIN_ID = IdentifierRule()
