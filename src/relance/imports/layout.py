"""The layout of a file to import: what each row is, where each field sits, how
values are written.

A canonical file (`customers.csv`, `invoices.csv`, `payments.csv`, `writeoffs.csv`)
has a fixed layout: its columns are named after the fields, dates are ISO, amounts
use a dot. A mapping file (TOML, see `relance.imports.mapping`) builds a `Layout`
for any other CSV or XLSX. Field names are those of the canonical files, plus a few
that only a mapping can use (`customer_name`, `settled_date` on invoices).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from relance.domain.terms import PaymentTerms
from relance.imports.cells import ISO, PLAIN_ID, IdentifierRule, NumberFormat
from relance.imports.records import DocumentStatus

Kind = Literal["customers", "invoices", "payments", "writeoffs"]
KINDS: tuple[Kind, ...] = ("customers", "invoices", "payments", "writeoffs")


@dataclass(frozen=True)
class Fields:
    """The fields of one kind of row: those a file must have, and the others."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    mapping_only: tuple[str, ...] = ()

    @property
    def canonical(self) -> tuple[str, ...]:
        return self.required + self.optional

    @property
    def all(self) -> tuple[str, ...]:
        return self.required + self.optional + self.mapping_only


FIELDS: dict[Kind, Fields] = {
    "customers": Fields(
        required=("customer_id", "name"),
        optional=(
            "email",
            "billing_email",
            "payment_terms",
            "segment",
            "country",
            "language",
            "customer_type",
            "tags",
            "opted_out",
            "legal_procedure",
            "dunning_excluded",
            "late_rate_percent",
            "collector",
            "phone",
            "address",
        ),
    ),
    "invoices": Fields(
        required=(
            "invoice_id",
            "customer_id",
            "issue_date",
            "due_date",
            "amount",
            "currency",
        ),
        optional=("status", "disputed", "billing_email", "applies_to"),
        mapping_only=("customer_name", "settled_date"),
    ),
    "payments": Fields(
        required=("payment_id", "date", "amount"),
        optional=("invoice_id", "customer_id", "currency"),
    ),
    "writeoffs": Fields(required=("invoice_id", "date", "amount"), optional=()),
}

# Fields holding identifiers: kept as text, normalised only as declared.
IDENTIFIER_FIELDS = ("customer_id", "invoice_id", "payment_id", "applies_to")

# Longest identifiers and labels the store keeps (see relance.store.models).
MAX_LENGTH = {
    "customer_id": 64,
    "invoice_id": 128,
    "payment_id": 128,
    "applies_to": 128,
    "segment": 64,
    "customer_type": 32,
    "language": 8,
    "collector": 64,
    "phone": 32,
}


@dataclass(frozen=True)
class Layout:
    """How to read the rows of one file.

    `columns` maps a field to the file's column header. `currency` is used when the
    file has no currency column or a blank cell in it; `terms` gives the due date
    of an invoice without one when its customer has no payment terms of its own.
    `implied_customers` creates a customer for every customer id met (named from
    `customer_name`, else the id itself); `strict_header` refuses columns that map
    to no field.
    """

    kind: Kind
    columns: dict[str, str]
    date_format: str = ISO
    number: NumberFormat = field(default_factory=NumberFormat)
    identifiers: dict[str, IdentifierRule] = field(default_factory=dict)
    currency: str | None = None
    terms: PaymentTerms | None = None
    disputed_true: frozenset[str] | None = None
    disputed_false: frozenset[str] | None = None
    status_values: dict[str, DocumentStatus] | None = None
    implied_customers: bool = False
    strict_header: bool = False

    def rule(self, fld: str) -> IdentifierRule:
        # The invoice a credit note settles is written like any invoice id.
        if fld == "applies_to" and fld not in self.identifiers:
            fld = "invoice_id"
        return self.identifiers.get(fld, PLAIN_ID)

    def required_columns(self) -> list[str]:
        """Fields the file must have a column for, with this layout's defaults."""
        needed = list(FIELDS[self.kind].required)
        if self.kind == "invoices":
            if self.currency is not None:
                needed.remove("currency")
            if not self.strict_header:
                # Without due dates, payment terms give them.
                needed.remove("due_date")
        return needed


def canonical_layout(kind: Kind, terms: PaymentTerms | None = None) -> Layout:
    """The layout of a canonical file: columns named after the fields."""
    return Layout(
        kind=kind,
        columns={f: f for f in FIELDS[kind].canonical},
        terms=terms,
        strict_header=True,
    )
