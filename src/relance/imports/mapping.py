"""Mapping files: how to read any CSV or XLSX export as relance records.

A mapping is a small TOML file (documented with a full example in docs/import.md):
`kind` says what each row is, `[columns]` where each field sits, `[format]` how
dates and amounts are written, `[defaults]` what the file does not say (its
currency, the payment terms giving due dates), `[identifiers]` how to normalise
ids, `[values]` what the disputed and status cells hold, `[file]` the separator,
encoding, sheet and lines to skip. Nothing is guessed: a date is read with the one
declared format, so `4/6/2013` is 6 April with `%m/%d/%Y` and 4 June with
`%d/%m/%Y`.

A mapping that cannot be used raises `MappingError` (a usage error, not a data
problem), naming the mapping file, the line of the key when it can be found, the key
and what is wrong.
"""

from __future__ import annotations

import codecs
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from relance.domain.money import UnknownCurrency, check_currency
from relance.domain.terms import PaymentTerms, parse_terms
from relance.imports.cells import ISO, IdentifierRule, NumberFormat
from relance.imports.layout import FIELDS, IDENTIFIER_FIELDS, KINDS, Kind, Layout
from relance.imports.records import DOCUMENT_STATUSES, DocumentStatus
from relance.imports.rows import CustomerTerms, Progress, ReadResult, read_records
from relance.imports.tabular import read_table

_SECTIONS = {
    "kind": None,
    "file": {"separator", "encoding", "sheet", "skip_rows"},
    "format": {"date", "decimal_comma", "thousands"},
    "defaults": {"currency", "payment_terms"},
    "columns": None,
    "identifiers": None,
    "values": {"disputed_true", "disputed_false", "status"},
}
_RULE_KEYS = {"strip_float_suffix", "strip_leading_zeros", "pad_zeros"}


class MappingError(ValueError):
    """A mapping file that cannot be used; the message says where and why."""


@dataclass(frozen=True)
class FileOptions:
    """How to open the file: CSV separator and encoding, XLSX sheet, preamble."""

    separator: str = ","
    encoding: str = "utf-8"
    sheet: str | None = None
    skip_rows: int = 0


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping: where it came from, how to open files, how to read rows."""

    name: str
    options: FileOptions
    layout: Layout


class _Source:
    """The mapping's text, to point errors at the line of a key."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.lines = text.splitlines()

    def error(self, key: str, message: str) -> MappingError:
        last = key.rsplit(".", 1)[-1]
        pattern = re.compile(
            rf"^\s*\"?{re.escape(last)}\"?\s*=|^\s*\[{re.escape(key)}\]"
        )
        for number, line in enumerate(self.lines, start=1):
            if pattern.search(line):
                return MappingError(f"{self.name}:{number}: {key}: {message}")
        return MappingError(f"{self.name}: {key}: {message}")


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"{name}: cannot read the mapping: {exc}") from None
    src = _Source(name, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{name}: not valid TOML: {exc}") from None
    for key, value in data.items():
        if key not in _SECTIONS:
            raise src.error(
                key, f"unknown key: expected some of {', '.join(_SECTIONS)}"
            )
        allowed = _SECTIONS[key]
        if allowed is not None:
            _table(src, key, value)
            for sub in value:
                if sub not in allowed:
                    raise src.error(
                        f"{key}.{sub}",
                        f"unknown key: expected some of {', '.join(sorted(allowed))}",
                    )
    kind = _kind(src, data.get("kind", "invoices"))
    options = _options(src, data.get("file", {}))
    layout = Layout(
        kind=kind,
        columns=_columns(src, kind, data.get("columns", {})),
        date_format=_date_format(src, data.get("format", {})),
        number=_number(src, data.get("format", {})),
        identifiers=_identifiers(src, data.get("identifiers", {})),
        currency=_currency(src, data.get("defaults", {})),
        terms=_terms(src, data.get("defaults", {})),
        disputed_true=_values(src, data.get("values", {}), "disputed_true"),
        disputed_false=_values(src, data.get("values", {}), "disputed_false"),
        status_values=_status_values(src, data.get("values", {})),
        implied_customers=kind == "invoices",
    )
    _check_complete(src, layout)
    return Mapping(name, options, layout)


def read_mapped(
    path: Path,
    mapping: Mapping,
    name: str | None = None,
    progress: Progress | None = None,
    *,
    customer_terms: CustomerTerms | None = None,
) -> ReadResult:
    """Read a CSV or XLSX file through a mapping.

    An invoice without a due date is due by its customer's terms
    (`customer_terms`), else by the mapping's default terms.
    """
    label = name if name is not None else str(path)
    opts = mapping.options
    table = read_table(
        path,
        label,
        separator=opts.separator,
        encoding=opts.encoding,
        sheet=opts.sheet,
        skip_rows=opts.skip_rows,
    )
    return read_records(
        table,
        mapping.layout,
        header_line=opts.skip_rows + 1,
        progress=progress,
        customer_terms=customer_terms,
    )


def _table(src: _Source, key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise src.error(key, f"expected a table [{key}]")
    return value


def _string(src: _Source, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise src.error(key, f"expected a string, found {value!r}")
    return value


def _kind(src: _Source, value: Any) -> Kind:
    if value not in KINDS:
        raise src.error(
            "kind", f"{value!r} is not a kind: expected one of {', '.join(KINDS)}"
        )
    return cast(Kind, value)


def _columns(src: _Source, kind: Kind, value: Any) -> dict[str, str]:
    columns = _table(src, "columns", value)
    fields = FIELDS[kind].all
    for fld, column in columns.items():
        if fld not in fields:
            raise src.error(
                f"columns.{fld}",
                f"unknown field for {kind}: expected some of {', '.join(fields)}",
            )
        if not _string(src, f"columns.{fld}", column).strip():
            raise src.error(f"columns.{fld}", "empty column name")
    return {fld: col.strip() for fld, col in columns.items()}


def _date_format(src: _Source, fmt: dict[str, Any]) -> str:
    value = fmt.get("date", ISO)
    text = _string(src, "format.date", value)
    if text != ISO and "%" not in text:
        raise src.error(
            "format.date",
            f"{text!r} is not a strptime format: e.g. %d/%m/%Y or %m/%d/%Y",
        )
    return text


def _number(src: _Source, fmt: dict[str, Any]) -> NumberFormat:
    comma = fmt.get("decimal_comma", False)
    if not isinstance(comma, bool):
        raise src.error(
            "format.decimal_comma", f"expected true or false, found {comma!r}"
        )
    thousands = _string(src, "format.thousands", fmt.get("thousands", ""))
    decimal = "," if comma else "."
    if thousands == decimal or thousands.isdigit() or len(thousands) > 1:
        raise src.error(
            "format.thousands",
            f"{thousands!r} cannot separate thousands when decimals use {decimal!r}",
        )
    return NumberFormat(decimal_comma=comma, thousands=thousands)


def _identifiers(src: _Source, value: Any) -> dict[str, IdentifierRule]:
    rules = {}
    for fld, options in _table(src, "identifiers", value).items():
        key = f"identifiers.{fld}"
        if fld not in IDENTIFIER_FIELDS:
            raise src.error(
                key,
                f"not an identifier: expected one of {', '.join(IDENTIFIER_FIELDS)}",
            )
        _table(src, key, options)
        for option, setting in options.items():
            if option not in _RULE_KEYS:
                raise src.error(
                    key,
                    f"unknown option {option!r}: expected some of "
                    + ", ".join(sorted(_RULE_KEYS)),
                )
            if option == "pad_zeros":
                if (
                    not isinstance(setting, int)
                    or isinstance(setting, bool)
                    or not 0 <= setting <= 64
                ):
                    raise src.error(
                        key,
                        f"pad_zeros must be a width from 0 to 64, found {setting!r}",
                    )
            elif not isinstance(setting, bool):
                raise src.error(
                    key, f"{option} must be true or false, found {setting!r}"
                )
        rules[fld] = IdentifierRule(**options)
    return rules


def _currency(src: _Source, defaults: dict[str, Any]) -> str | None:
    if "currency" not in defaults:
        return None
    code = _string(src, "defaults.currency", defaults["currency"])
    try:
        return check_currency(code)
    except UnknownCurrency:
        raise src.error(
            "defaults.currency",
            f"unknown currency {code!r}: expected an ISO 4217 code such as EUR",
        ) from None


def _terms(src: _Source, defaults: dict[str, Any]) -> PaymentTerms | None:
    if "payment_terms" not in defaults:
        return None
    text = _string(src, "defaults.payment_terms", defaults["payment_terms"])
    try:
        return parse_terms(text)
    except ValueError as exc:
        raise src.error("defaults.payment_terms", str(exc)) from None


def _values(src: _Source, values: dict[str, Any], key: str) -> frozenset[str] | None:
    if key not in values:
        return None
    listed = values[key]
    if not isinstance(listed, list) or not all(isinstance(v, str) for v in listed):
        raise src.error(
            f"values.{key}", f"expected a list of strings, found {listed!r}"
        )
    return frozenset(v.strip().lower() for v in listed)


def _status_values(
    src: _Source, values: dict[str, Any]
) -> dict[str, DocumentStatus] | None:
    if "status" not in values:
        return None
    table = _table(src, "values.status", values["status"])
    found: dict[str, DocumentStatus] = {}
    for cell, status in table.items():
        if status not in DOCUMENT_STATUSES:
            raise src.error(
                "values.status",
                f"{status!r} is not a status: expected posted, draft or cancelled",
            )
        found[cell.strip().lower()] = cast(DocumentStatus, status)
    return found


def _options(src: _Source, opts: dict[str, Any]) -> FileOptions:
    separator = _string(src, "file.separator", opts.get("separator", ","))
    if len(separator) != 1:
        raise src.error(
            "file.separator", f'{separator!r} must be one character ("\\t" for a tab)'
        )
    encoding = _string(src, "file.encoding", opts.get("encoding", "utf-8"))
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise src.error(
            "file.encoding",
            f"unknown encoding {encoding!r}: e.g. utf-8, cp1252, latin-1",
        ) from None
    sheet = opts.get("sheet")
    if sheet is not None:
        _string(src, "file.sheet", sheet)
    skip = opts.get("skip_rows", 0)
    if not isinstance(skip, int) or isinstance(skip, bool) or skip < 0:
        raise src.error("file.skip_rows", f"expected a number of lines, found {skip!r}")
    return FileOptions(separator, encoding, sheet, skip)


def _check_complete(src: _Source, layout: Layout) -> None:
    for fld in layout.required_columns():
        if fld not in layout.columns:
            hint = " (or set defaults.currency)" if fld == "currency" else ""
            raise src.error("columns", f"no column for {fld}{hint}")
