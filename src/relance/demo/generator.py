"""The demo company generator: deterministic books at any size.

Three entry points over one simulation (`relance.demo.simulation`):

- `generate_books(seed, customers, start, end, effect)` returns the simulated
  `DemoBooks`, with what the ledger does not keep (payer profile, holdout flag,
  natural payment date, reminder log) for tests and the ROI work;
- `generate_company(...)` returns the same books as an `ImportBatch`, the records
  every importer produces, ready for `relance.store.writer.write_batch`;
- `generate_frames(n_invoices, seed)` returns a `Ledger` (posted documents only)
  straight from the arrays, for benchmarks at millions of invoices.

Contracts: the same arguments give identical output, bit for bit. Amounts are cents
of EUR (Int64 in frames, `Decimal` with two places in records). The books run from
`start` (by default three years before `end`, see `HISTORY_YEARS`) to `end`
inclusive and show the ledger as exported on `end`: nothing dated
after it exists. With the default `ReminderEffect()` reminders change nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from relance.demo.defaults import DEMO_AS_OF, DEMO_CUSTOMERS, DEMO_SEED
from relance.demo.simulation import DemoBooks, ReminderEffect, simulate
from relance.domain.ledger import (
    APPLICATION_SCHEMA,
    CUSTOMER_SCHEMA,
    DOCUMENT_SCHEMA,
    PAYMENT_SCHEMA,
    WRITEOFF_SCHEMA,
    Ledger,
)
from relance.domain.money import from_minor
from relance.imports.records import (
    Application,
    CreditApplication,
    CustomerRecord,
    DocumentRecord,
    ImportBatch,
    Origin,
    PaymentRecord,
    WriteOffRecord,
)

INVOICES_PER_CUSTOMER = 50
"""Customers in `generate_frames`: one per this many invoices."""
HISTORY_YEARS = 3
"""Years of books by default: the two years a 24-month trend shows, plus the year
before, which the first trend point's 12-month window needs (without it the
first points would measure a DSO on a few weeks of sales)."""

__all__ = [
    "DEMO_AS_OF",
    "DemoBooks",
    "ReminderEffect",
    "books_to_batch",
    "books_to_ledger",
    "default_start",
    "generate_books",
    "generate_company",
    "generate_frames",
]


def default_start(end: date, years: int = HISTORY_YEARS) -> date:
    """The day after the same date `years` earlier: whole years ending at `end`."""
    try:
        back = end.replace(year=end.year - years)
    except ValueError:  # 29 February
        back = end.replace(year=end.year - years, day=28)
    return back + timedelta(days=1)


def generate_books(
    seed: int = DEMO_SEED,
    customers: int = DEMO_CUSTOMERS,
    start: date | None = None,
    end: date = DEMO_AS_OF,
    effect: ReminderEffect | None = None,
) -> DemoBooks:
    """Simulate the demo company's books (see `relance.demo.simulation`)."""
    if customers < 1:
        raise ValueError(f"customers must be at least 1, got {customers}")
    first = start or default_start(end)
    if first >= end:
        raise ValueError(f"start {first} must be before end {end}")
    return simulate(seed, customers, first, end, effect)


def generate_company(
    seed: int = DEMO_SEED,
    customers: int = DEMO_CUSTOMERS,
    start: date | None = None,
    end: date = DEMO_AS_OF,
    effect: ReminderEffect | None = None,
) -> ImportBatch:
    """The demo company as an import batch (three years ending at `end` by default)."""
    return books_to_batch(generate_books(seed, customers, start, end, effect))


def generate_frames(
    n_invoices: int,
    seed: int = DEMO_SEED,
    end: date = DEMO_AS_OF,
    effect: ReminderEffect | None = None,
) -> Ledger:
    """A `Ledger` of exactly `n_invoices` generated invoices (plus credit notes).

    One customer per `INVOICES_PER_CUSTOMER` invoices, three years ending at `end`.
    Drafts and cancelled invoices are generated, then left out like the store's
    reader does, so the ledger holds slightly fewer invoices than asked for.
    """
    if n_invoices < 1:
        raise ValueError(f"n_invoices must be at least 1, got {n_invoices}")
    n_customers = max(1, n_invoices // INVOICES_PER_CUSTOMER)
    books = simulate(seed, n_customers, default_start(end), end, effect, n_invoices)
    return books_to_ledger(books)


def books_to_ledger(books: DemoBooks) -> Ledger:
    """The posted ledger of the books, in `relance.domain.ledger` schemas."""
    posted = books.documents.filter(pl.col("status") == "posted")
    payments = books.payments
    paid = payments.filter(pl.col("document_id").is_not_null()).select(
        pl.col("id").alias("payment_id"),
        pl.lit(None, pl.Int64).alias("credit_note_id"),
        "document_id",
        pl.col("payment_date").alias("applied_on"),
        pl.col("applied").alias("amount"),
        "currency",
    )
    credited = books.credit_applications.select(
        pl.lit(None, pl.Int64).alias("payment_id"),
        "credit_note_id",
        "document_id",
        "applied_on",
        "amount",
        "currency",
    )
    return Ledger(
        customers=books.customers.select(list(CUSTOMER_SCHEMA)).cast(
            pl.Schema(CUSTOMER_SCHEMA)
        ),
        documents=posted.select(list(DOCUMENT_SCHEMA)).cast(pl.Schema(DOCUMENT_SCHEMA)),
        payments=payments.select(list(PAYMENT_SCHEMA)).cast(pl.Schema(PAYMENT_SCHEMA)),
        applications=pl.concat([paid, credited]).cast(pl.Schema(APPLICATION_SCHEMA)),
        writeoffs=books.writeoffs.select(list(WRITEOFF_SCHEMA)).cast(
            pl.Schema(WRITEOFF_SCHEMA)
        ),
    )


def books_to_batch(books: DemoBooks, source: str = "demo") -> ImportBatch:
    """The books as records, each with the line it has in the canonical CSV files.

    Payments carry at most one application; credit notes applied to an invoice are
    `CreditApplication`s dated on the credit note's issue date.
    """
    batch = ImportBatch(source=source)
    batch.customers = [
        _customer_record(row, line)
        for line, row in enumerate(books.customers.iter_rows(named=True), start=2)
    ]
    refs = dict(zip(books.documents["id"], books.documents["ref"], strict=True))
    batch.documents = [
        DocumentRecord(
            ref=row["ref"],
            customer_ref=row["customer_ref"],
            issue_date=row["issue_date"],
            due_date=row["due_date"],
            amount=from_minor(row["amount"], row["currency"]),
            currency=row["currency"],
            origin=Origin("invoices.csv", line),
            status=row["status"],
            disputed=row["disputed"],
        )
        for line, row in enumerate(books.documents.iter_rows(named=True), start=2)
    ]
    batch.payments = [
        PaymentRecord(
            ref=row["ref"],
            customer_ref=row["customer_ref"],
            payment_date=row["payment_date"],
            amount=from_minor(row["amount"], row["currency"]),
            currency=row["currency"],
            origin=Origin("payments.csv", line),
            applications=(
                (
                    Application(
                        refs[row["document_id"]], from_minor(row["applied"], "EUR")
                    ),
                )
                if row["document_id"] is not None
                else ()
            ),
        )
        for line, row in enumerate(books.payments.iter_rows(named=True), start=2)
    ]
    batch.credit_applications = [
        CreditApplication(
            credit_note_ref=refs[row["credit_note_id"]],
            document_ref=refs[row["document_id"]],
            amount=from_minor(row["amount"], row["currency"]),
            applied_on=row["applied_on"],
            origin=Origin("credit_applications.csv", line),
        )
        for line, row in enumerate(
            books.credit_applications.iter_rows(named=True), start=2
        )
    ]
    batch.writeoffs = [
        WriteOffRecord(
            document_ref=refs[row["document_id"]],
            writeoff_date=row["writeoff_date"],
            amount=from_minor(row["amount"], row["currency"]),
            origin=Origin("writeoffs.csv", line),
        )
        for line, row in enumerate(books.writeoffs.iter_rows(named=True), start=2)
    ]
    return batch


def _customer_record(row: dict, line: int) -> CustomerRecord:  # type: ignore[type-arg]
    return CustomerRecord(
        ref=row["ref"],
        name=row["name"],
        origin=Origin("customers.csv", line),
        email=row["email"],
        billing_email=row["billing_email"],
        payment_terms=row["payment_terms"],
        segment=row["segment"],
        country=row["country"],
        language=row["language"],
        customer_type=row["customer_type"],
        tags=tuple(row["tags"]),
        opted_out=row["opted_out"],
        legal_procedure=row["legal_procedure"],
    )
