"""Tiny ledgers and action logs written by hand for the ROI tests."""

from __future__ import annotations

from datetime import date

import polars as pl

from relance.domain.ledger import (
    APPLICATION_SCHEMA,
    CUSTOMER_SCHEMA,
    DOCUMENT_SCHEMA,
    PAYMENT_SCHEMA,
    WRITEOFF_SCHEMA,
    Ledger,
)
from relance.roi.actions import ACTION_SCHEMA, ITEM_SCHEMA

Invoice = tuple[int, int, date, date, int]  # id, customer, issue, due, cents
Receipt = tuple[int, date, int]  # invoice id, date, cents
Act = tuple[int, int, date, bool, int]  # action id, customer, day, holdout, cost cents


def ledger(
    invoices: list[Invoice],
    paid: list[Receipt] = (),  # type: ignore[assignment]
    written: list[Receipt] = (),  # type: ignore[assignment]
    credits: list[tuple[int, int, date, int]] = (),  # type: ignore[assignment]
    segments: dict[int, str] | None = None,
) -> Ledger:
    """A ledger in EUR: customers are numbered, each payment settles one invoice.

    `credits` are (credit note id, invoice id, day, cents) applied on that day.
    """
    customers = sorted({inv[1] for inv in invoices})
    docs = [
        (i, f"F{i}", c, f"C{c}", "invoice", issue, due, cents, "EUR", False)
        for i, c, issue, due, cents in invoices
    ]
    owner = {inv[0]: inv[1] for inv in invoices}
    docs += [
        (
            cn,
            f"A{cn}",
            owner[inv],
            f"C{owner[inv]}",
            "credit_note",
            day,
            day,
            -cents,
            "EUR",
            False,
        )
        for cn, inv, day, cents in credits
    ]
    payments = [
        (n, f"P{n}", owner[doc], f"C{owner[doc]}", day, cents, "EUR")
        for n, (doc, day, cents) in enumerate(paid, start=1)
    ]
    apps = [
        (n, None, doc, day, cents, "EUR")
        for n, (doc, day, cents) in enumerate(paid, start=1)
    ]
    apps += [(None, cn, inv, day, cents, "EUR") for cn, inv, day, cents in credits]
    seg = segments or {}
    return Ledger(
        customers=pl.DataFrame(
            [
                (c, f"C{c}", f"Customer {c}", seg.get(c, "smb"), "FR", "30 days")
                for c in customers
            ],
            schema=CUSTOMER_SCHEMA,
            orient="row",
        ),
        documents=pl.DataFrame(docs, schema=DOCUMENT_SCHEMA, orient="row"),
        payments=pl.DataFrame(payments, schema=PAYMENT_SCHEMA, orient="row"),
        applications=pl.DataFrame(apps, schema=APPLICATION_SCHEMA, orient="row"),
        writeoffs=pl.DataFrame(
            [(doc, day, cents, "EUR") for doc, day, cents in written],
            schema=WRITEOFF_SCHEMA,
            orient="row",
        ),
    )


def actions(
    rows: list[Act],
    step: str = "email_2",
    channel: str = "email",
    collectors: dict[int, str] | None = None,
    states: dict[int, str] | None = None,
    segment: str = "smb",
) -> pl.DataFrame:
    """Actions of one campaign and step; held-out ones are in state `held_out`."""
    who = collectors or {}
    state = states or {}
    return pl.DataFrame(
        [
            (
                a,
                c,
                "spring",
                segment,
                step,
                channel,
                day,
                state.get(a, "held_out" if held else "sent"),
                held,
                cost,
                "EUR",
                who.get(a),
            )
            for a, c, day, held, cost in rows
        ],
        schema=ACTION_SCHEMA,
        orient="row",
    )


def items(rows: list[tuple[int, int, int]]) -> pl.DataFrame:
    """(action id, invoice id, stake cents)."""
    return pl.DataFrame(rows, schema=ITEM_SCHEMA, orient="row")
