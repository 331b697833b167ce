"""Writing the demo books as canonical CSV files (see docs/import.md).

`write_company` writes `customers.csv`, `invoices.csv`, `payments.csv` and
`writeoffs.csv` in the canonical layout: UTF-8, comma separated, ISO dates,
amounts with a dot and two decimals, flags as `yes`/`no`, tags separated by
semicolons. Every payment names its customer and currency; a payment left
unapplied has a blank `invoice_id`.

A credit note set against an invoice names it in `applies_to`, so the files carry
the whole ledger and `relance import` rebuilds exactly the generated books.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from relance.demo.simulation import DemoBooks

CANONICAL_FILES = ("customers.csv", "invoices.csv", "payments.csv", "writeoffs.csv")


def amount_text(cents: pl.Expr) -> pl.Expr:
    """Cents as text with a dot and exactly two decimals ("-12.05", "1234.50")."""
    whole = (cents.abs() // 100).cast(pl.Utf8)
    part = (cents.abs() % 100).cast(pl.Utf8).str.zfill(2)
    sign = pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.concat_str(sign, whole, pl.lit("."), part)


def _flag(column: str) -> pl.Expr:
    return (
        pl.when(pl.col(column))
        .then(pl.lit("yes"))
        .otherwise(pl.lit("no"))
        .alias(column)
    )


def _frames(books: DemoBooks) -> dict[str, pl.DataFrame]:
    """The rows of each file, columns in canonical order, as text."""
    refs = books.documents.select(pl.col("id"), pl.col("ref"))
    invoice_ref = refs.rename({"id": "document_id", "ref": "invoice_id"})
    customers = books.customers.select(
        pl.col("ref").alias("customer_id"),
        "name", "email", "billing_email", "payment_terms", "segment", "country",
        "language", "customer_type",
        pl.when(pl.col("tags").list.len() > 0).then(pl.col("tags").list.join(";")).alias("tags"),
        _flag("opted_out"),
        _flag("legal_procedure"),
    )  # fmt: skip
    applies_to = books.credit_applications.join(
        refs.rename({"id": "document_id", "ref": "applies_to"}), on="document_id"
    ).select(pl.col("credit_note_id").alias("id"), "applies_to")
    invoices = books.documents.join(applies_to, on="id", how="left").select(
        pl.col("ref").alias("invoice_id"),
        pl.col("customer_ref").alias("customer_id"),
        "issue_date",
        "due_date",
        amount_text(pl.col("amount")).alias("amount"),
        "currency",
        "status",
        _flag("disputed"),
        "applies_to",
    )
    payments = books.payments.join(invoice_ref, on="document_id", how="left").select(
        pl.col("ref").alias("payment_id"),
        "invoice_id",
        pl.col("customer_ref").alias("customer_id"),
        pl.col("payment_date").alias("date"),
        amount_text(pl.col("amount")).alias("amount"),
        "currency",
    )
    writeoffs = books.writeoffs.join(invoice_ref, on="document_id", how="left").select(
        "invoice_id",
        pl.col("writeoff_date").alias("date"),
        amount_text(pl.col("amount")).alias("amount"),
    )
    return {
        "customers.csv": customers,
        "invoices.csv": invoices,
        "payments.csv": payments,
        "writeoffs.csv": writeoffs,
    }


def write_company(books: DemoBooks, folder: Path) -> list[Path]:
    """Write the books into `folder` (created if needed); return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in _frames(books).items():
        path = folder / name
        frame.write_csv(path, date_format="%Y-%m-%d")
        written.append(path)
    return written
