"""Small ledgers written as text tables, for the figure tests.

Each table is whitespace separated, one header line then one row per line; `-`
is an empty cell; `ledger` builds a `Ledger` directly, `batch` an `ImportBatch`
for the store. Amounts are decimal strings in the row's currency (EUR unless a
`currency` column says otherwise). Ids are given in row order, as the store would.

    documents:  ref customer issue due amount [currency] [disputed]
    payments:   ref customer date amount [currency]
    applied:    payment document amount        (applied on the payment's date)
    credits:    credit_note document amount on (a credit note set against a document)
    writeoffs:  document date amount
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from relance.domain.ledger import (
    APPLICATION_SCHEMA,
    CUSTOMER_SCHEMA,
    DOCUMENT_SCHEMA,
    PAYMENT_SCHEMA,
    WRITEOFF_SCHEMA,
    Ledger,
)
from relance.domain.money import to_minor
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


def rows(table: str) -> list[dict[str, Any]]:
    """The rows of a text table as dicts keyed by the header's names."""
    lines = [line.split() for line in table.strip().splitlines() if line.strip()]
    if not lines:
        return []
    header, body = lines[0], lines[1:]
    return [
        {
            name: (None if cell == "-" else cell)
            for name, cell in zip(header, line, strict=True)
        }
        for line in body
    ]


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def ledger(
    documents: str,
    payments: str = "",
    applied: str = "",
    credits: str = "",
    writeoffs: str = "",
    names: dict[str, str] | None = None,
) -> Ledger:
    """Build a `Ledger` from text tables (see the module docstring)."""
    docs = rows(documents)
    pays = rows(payments)
    customer_refs = sorted({r["customer"] for r in docs + pays})
    customer_id = {ref: i + 1 for i, ref in enumerate(customer_refs)}
    doc_id = {r["ref"]: i + 1 for i, r in enumerate(docs)}
    doc_currency = {r["ref"]: r.get("currency") or "EUR" for r in docs}
    pay_id = {r["ref"]: i + 1 for i, r in enumerate(pays)}
    pay_row = {r["ref"]: r for r in pays}

    def minor(amount: str | None, currency: str) -> int:
        return to_minor(Decimal(amount or "0"), currency)

    customers = pl.DataFrame(
        [
            (customer_id[ref], ref, (names or {}).get(ref, ref), None, None, None)
            for ref in customer_refs
        ],
        schema=CUSTOMER_SCHEMA,
        orient="row",
    )
    documents_frame = pl.DataFrame(
        [
            (
                doc_id[r["ref"]],
                r["ref"],
                customer_id[r["customer"]],
                r["customer"],
                "credit_note" if Decimal(r["amount"] or "0") < 0 else "invoice",
                _day(r["issue"]),
                _day(r["due"]),
                minor(r["amount"], doc_currency[r["ref"]]),
                doc_currency[r["ref"]],
                r.get("disputed") in ("yes", "true", "1"),
            )
            for r in docs
        ],
        schema=DOCUMENT_SCHEMA,
        orient="row",
    )
    payments_frame = pl.DataFrame(
        [
            (
                pay_id[r["ref"]],
                r["ref"],
                customer_id[r["customer"]],
                r["customer"],
                _day(r["date"]),
                minor(r["amount"], r.get("currency") or "EUR"),
                r.get("currency") or "EUR",
            )
            for r in pays
        ],
        schema=PAYMENT_SCHEMA,
        orient="row",
    )
    applications = [
        (
            pay_id[r["payment"]],
            None,
            doc_id[r["document"]],
            _day(pay_row[r["payment"]]["date"]),
            minor(r["amount"], doc_currency[r["document"]]),
            doc_currency[r["document"]],
        )
        for r in rows(applied)
    ] + [
        (
            None,
            doc_id[r["credit_note"]],
            doc_id[r["document"]],
            _day(r["on"]),
            minor(r["amount"], doc_currency[r["document"]]),
            doc_currency[r["document"]],
        )
        for r in rows(credits)
    ]
    writeoffs_frame = pl.DataFrame(
        [
            (
                doc_id[r["document"]],
                _day(r["date"]),
                minor(r["amount"], doc_currency[r["document"]]),
                doc_currency[r["document"]],
            )
            for r in rows(writeoffs)
        ],
        schema=WRITEOFF_SCHEMA,
        orient="row",
    )
    return Ledger(
        customers=customers,
        documents=documents_frame,
        payments=payments_frame,
        applications=pl.DataFrame(
            applications, schema=APPLICATION_SCHEMA, orient="row"
        ),
        writeoffs=writeoffs_frame,
    )


def eur(minor: int) -> Decimal:
    """Minor units of EUR as a Decimal, for readable assertions."""
    return Decimal(minor).scaleb(-2)


def batch(
    documents: str,
    payments: str = "",
    applied: str = "",
    credits: str = "",
    writeoffs: str = "",
    names: dict[str, str] | None = None,
) -> ImportBatch:
    """The same tables as an `ImportBatch`, to write into a store.

    A `status` column in `documents` is honoured (posted when absent).
    """
    origin = Origin("test", 2)
    docs = rows(documents)
    pays = rows(payments)
    currency = {r["ref"]: r.get("currency") or "EUR" for r in docs}
    refs = sorted({r["customer"] for r in docs + pays})
    by_payment: dict[str, list[Application]] = {}
    for r in rows(applied):
        by_payment.setdefault(r["payment"], []).append(
            Application(r["document"], Decimal(r["amount"]))
        )
    return ImportBatch(
        source="test",
        customers=[
            CustomerRecord(ref, (names or {}).get(ref, ref), origin) for ref in refs
        ],
        documents=[
            DocumentRecord(
                r["ref"],
                r["customer"],
                date.fromisoformat(r["issue"]),
                date.fromisoformat(r["due"]),
                Decimal(r["amount"]),
                currency[r["ref"]],
                origin,
                status=r.get("status") or "posted",
                disputed=r.get("disputed") in ("yes", "true", "1"),
            )
            for r in docs
        ],
        payments=[
            PaymentRecord(
                r["ref"],
                r["customer"],
                date.fromisoformat(r["date"]),
                Decimal(r["amount"]),
                r.get("currency") or "EUR",
                origin,
                tuple(by_payment.get(r["ref"], [])),
            )
            for r in pays
        ],
        credit_applications=[
            CreditApplication(
                r["credit_note"],
                r["document"],
                Decimal(r["amount"]),
                date.fromisoformat(r["on"]),
                origin,
            )
            for r in rows(credits)
        ],
        writeoffs=[
            WriteOffRecord(
                r["document"],
                date.fromisoformat(r["date"]),
                Decimal(r["amount"]),
                origin,
            )
            for r in rows(writeoffs)
        ],
    )
