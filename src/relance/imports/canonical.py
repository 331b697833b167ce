"""The canonical CSV files: customers.csv, invoices.csv, payments.csv, writeoffs.csv.

A file's kind is its name (any case). Columns are named after the fields (see
`relance.imports.layout.FIELDS` and docs/import.md), in any order; optional columns
may be left out, an unknown column is a problem (it is usually a typo). Files are
UTF-8 (with or without byte order mark), comma separated; dates are ISO
`YYYY-MM-DD`; amounts use a dot for decimals and no thousands separator. A negative
invoice amount is a credit note; a credit note may leave its due date blank (it is
then due on its issue date); an invoice may too, when payment terms give it.
"""

from __future__ import annotations

from pathlib import Path

from relance.domain.terms import PaymentTerms
from relance.imports.layout import KINDS, Kind, canonical_layout
from relance.imports.rows import CustomerTerms, Progress, ReadResult, read_records
from relance.imports.tabular import read_csv

CANONICAL_NAMES: dict[str, Kind] = {f"{kind}.csv": kind for kind in KINDS}


def canonical_kind(path: Path) -> Kind | None:
    """The kind of a canonical file, from its name; None for any other name."""
    return CANONICAL_NAMES.get(path.name.lower())


def read_canonical(
    path: Path,
    kind: Kind,
    name: str | None = None,
    progress: Progress | None = None,
    *,
    terms: PaymentTerms | None = None,
    customer_terms: CustomerTerms | None = None,
) -> ReadResult:
    """Read a canonical file; `name` is how problems call it (default: the path).

    An invoice with a blank due date is due by its customer's terms
    (`customer_terms`), else by `terms`; a credit note is due when issued.
    """
    label = name if name is not None else str(path)
    table = read_csv(path, label)
    layout = canonical_layout(kind, terms=terms)
    return read_records(table, layout, progress=progress, customer_terms=customer_terms)
