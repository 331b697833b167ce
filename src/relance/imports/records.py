"""What every importer produces: plain records of the books, and problems.

An importer reads files and returns an `ImportBatch`. It never touches the store:
the store writes a batch in one transaction, and only when it holds no problem.
Amounts are signed `Decimal` in the document's currency: an invoice is positive, a
credit note negative; payments and write-offs are positive sums of money.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

DocumentStatus = Literal["posted", "draft", "cancelled"]
DOCUMENT_STATUSES: tuple[DocumentStatus, ...] = ("posted", "draft", "cancelled")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record came from: file name and 1-based line (header is line 1)."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One data problem, printed as `file:line: field: message`."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"

    @classmethod
    def at(cls, origin: Origin, field: str, message: str) -> Problem:
        return cls(origin.file, origin.line, field, message)


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    ref: str
    name: str
    origin: Origin
    email: str | None = None
    billing_email: str | None = None
    payment_terms: str | None = None
    segment: str | None = None
    country: str | None = None
    language: str | None = None
    customer_type: str | None = None
    tags: tuple[str, ...] = ()
    # Flags are None when the file does not say: the stored value is kept then.
    opted_out: bool | None = None
    legal_procedure: bool | None = None
    dunning_excluded: bool | None = None
    late_rate_percent: Decimal | None = None
    collector: str | None = None
    phone: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """An invoice (amount > 0) or a credit note (amount < 0)."""

    ref: str
    customer_ref: str
    issue_date: date
    due_date: date
    amount: Decimal
    currency: str
    origin: Origin
    status: DocumentStatus = "posted"
    disputed: bool = False
    billing_email: str | None = None


@dataclass(frozen=True, slots=True)
class Application:
    """Part of a payment settling one document (by the document's ref)."""

    document_ref: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    """Money received; `applications` say which documents it settles.

    What is not applied stays as unapplied cash of `customer_ref`. When
    `currency` is None the importer could not tell it: the store takes the
    currency of the first document applied to.
    """

    ref: str
    customer_ref: str | None
    payment_date: date
    amount: Decimal
    currency: str | None
    origin: Origin
    applications: tuple[Application, ...] = ()


@dataclass(frozen=True, slots=True)
class CreditApplication:
    """A credit note set against an invoice (lettering of an avoir)."""

    credit_note_ref: str
    document_ref: str
    amount: Decimal
    applied_on: date
    origin: Origin


@dataclass(frozen=True, slots=True)
class WriteOffRecord:
    document_ref: str
    writeoff_date: date
    amount: Decimal
    origin: Origin


@dataclass
class ImportBatch:
    """Everything read from one import: records to write and problems found."""

    source: str
    customers: list[CustomerRecord] = field(default_factory=list)
    documents: list[DocumentRecord] = field(default_factory=list)
    payments: list[PaymentRecord] = field(default_factory=list)
    credit_applications: list[CreditApplication] = field(default_factory=list)
    writeoffs: list[WriteOffRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def extend(self, other: ImportBatch) -> None:
        """Add another batch's records and problems to this one."""
        self.customers.extend(other.customers)
        self.documents.extend(other.documents)
        self.payments.extend(other.payments)
        self.credit_applications.extend(other.credit_applications)
        self.writeoffs.extend(other.writeoffs)
        self.problems.extend(other.problems)


class ImportRejected(Exception):
    """An import found data problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{len(problems)} problem(s), nothing was written:\n{lines}")
