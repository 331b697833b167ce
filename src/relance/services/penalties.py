"""Late-payment penalties of the stored ledger, as of a day.

Reads the posted ledger and each customer's terms (country, customer type, and the
contractual late-payment rate `customers.late_rate_percent` when the store has that
column), then computes with `relance.domain.late_interest`. Nothing is written:
penalties are figures beside the ledger, never part of an invoice's residual.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

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
    # The contractual rate column arrives with a later migration; use it when there.
    late_rate = getattr(m.Customer, "late_rate_percent", None)
    columns = [m.Customer.ref, m.Customer.country, m.Customer.customer_type]
    query = select(*columns, late_rate) if late_rate is not None else select(*columns)
    if customer is not None:
        query = query.where(m.Customer.ref == customer)
    terms, bad = {}, {}
    for row in session.execute(query):
        ref, country, kind = row[0], row[1], row[2]
        rate = _contract_rate(row[3]) if late_rate is not None else None
        if isinstance(rate, str):
            bad[ref], rate = rate, None
        consumer = (kind or "").strip().lower() in CONSUMER_TYPES
        terms[ref] = PenaltyTerms(
            country=country, consumer=consumer, contract_rate=rate
        )
    return terms, bad


def penalties(
    store: Store,
    as_of: date,
    customer: str | None = None,
    contract_rates: Mapping[str, Decimal] | None = None,
    rates: PenaltyRates | None = None,
    rates_dir: Path | None = None,
) -> list[InvoicePenalty]:
    """Penalties of every invoice late on some day up to `as_of` (inclusive).

    `contract_rates` (customer ref → % per year) overrides the stored contractual
    rates; `rates` overrides the rate tables in use (see `relance.services.rates`).
    """
    rates = rates or load_penalty_rates(rates_dir)
    with store.session() as session:
        ledger = load_ledger(session, customer)
        terms, bad = customer_terms(session, customer)
    for ref, rate in (contract_rates or {}).items():
        terms[ref] = replace(terms.get(ref, PenaltyTerms()), contract_rate=rate)
        bad.pop(ref, None)
    results = invoice_penalties(ledger, as_of, rates, terms)
    return [
        replace(p, warnings=(bad[p.customer_ref], *p.warnings))
        if p.customer_ref in bad
        else p
        for p in results
    ]
