"""Late-payment penalties of the stored ledger, as of a day.

By default only the invoices still open and past due on the day: what a formal
notice can claim now. Invoices paid late are added on request, from a date.

Reads the posted ledger, the disputes open at the day, and each customer's terms
(country, customer type, contractual late-payment rate `customers.late_rate_percent`),
then computes with `relance.domain.late_interest`. Nothing is written:
penalties are figures beside the ledger, never part of an invoice's residual.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from relance.domain.late_interest import (
    CONSUMER_TYPES,
    InvoicePenalty,
    PenaltyRates,
    PenaltyTerms,
    invoice_penalties,
)
from relance.domain.money import parse_decimal
from relance.domain.rates import to_rate_units
from relance.services.rates import load_penalty_rates
from relance.store import models as m
from relance.store.db import Store
from relance.store.reader import load_ledger


def _contract_rate(text: str | None) -> Decimal | None | str:
    """The stored contractual rate, None when blank, or a message when unusable."""
    if text is None or not text.strip():
        return None
    try:
        rate = parse_decimal(text.strip().rstrip("%"), decimal_comma="," in text)
        to_rate_units(rate)
    except ValueError:
        return f"late_rate_percent {text!r} is not a rate in % (e.g. 12.5)"
    return rate


def customer_terms(
    session: Session, customer: str | None = None
) -> tuple[dict[str, PenaltyTerms], dict[str, str]]:
    """Each customer's terms, and a message per customer whose stored rate is bad."""
    query = select(
        m.Customer.ref,
        m.Customer.country,
        m.Customer.customer_type,
        m.Customer.late_rate_percent,
    )
    if customer is not None:
        query = query.where(m.Customer.ref == customer)
    terms, bad = {}, {}
    for ref, country, kind, stored_rate in session.execute(query):
        rate = _contract_rate(stored_rate)
        if isinstance(rate, str):
            bad[ref], rate = rate, None
        consumer = (kind or "").strip().lower() in CONSUMER_TYPES
        terms[ref] = PenaltyTerms(
            country=country, consumer=consumer, contract_rate=rate
        )
    return terms, bad


def open_disputes(session: Session, as_of: date) -> list[int]:
    """Ids of the documents with a dispute open on `as_of`."""
    query = select(m.Dispute.document_id).where(
        m.Dispute.opened_on <= as_of,
        (m.Dispute.closed_on.is_(None)) | (m.Dispute.closed_on > as_of),
    )
    return list(session.execute(query).scalars())


def penalties(
    store: Store,
    as_of: date,
    customer: str | None = None,
    contract_rates: Mapping[str, Decimal] | None = None,
    rates: PenaltyRates | None = None,
    rates_dir: Path | None = None,
    *,
    include_paid: bool = False,
    paid_from: date | None = None,
) -> list[InvoicePenalty]:
    """Penalties of the invoices still open and overdue on `as_of`.

    What can be claimed now, on a formal notice. `include_paid` adds the
    invoices paid (or credited, written off) late by `as_of`, and `paid_from`
    keeps only those settled on or after it (it implies `include_paid`).
    `contract_rates` (customer ref → % per year) overrides the stored contractual
    rates; `rates` overrides the rate tables in use (see `relance.services.rates`).
    """
    rates = rates or load_penalty_rates(rates_dir)
    with store.session() as session:
        ledger = load_ledger(session, customer)
        terms, bad = customer_terms(session, customer)
        disputed = open_disputes(session, as_of)
    # A dispute recorded in relance flags the invoice like the imported flag does.
    ledger = replace(
        ledger,
        documents=ledger.documents.with_columns(
            (pl.col("disputed") | pl.col("id").is_in(disputed)).alias("disputed")
        ),
    )
    for ref, rate in (contract_rates or {}).items():
        terms[ref] = replace(terms.get(ref, PenaltyTerms()), contract_rate=rate)
        bad.pop(ref, None)
    results = invoice_penalties(
        ledger,
        as_of,
        rates,
        terms,
        include_paid=include_paid or paid_from is not None,
        paid_from=paid_from,
    )
    return [
        replace(p, warnings=(bad[p.customer_ref], *p.warnings))
        if p.customer_ref in bad
        else p
        for p in results
    ]
