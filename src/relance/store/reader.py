"""Loading the ledger from the store into columns (see `relance.domain.ledger`).

Only posted documents are loaded, and only applications and write-offs that touch
them: drafts and cancelled documents stay in the store but never reach a figure.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from relance.domain.ledger import (
    APPLICATION_SCHEMA,
    CUSTOMER_SCHEMA,
    DOCUMENT_SCHEMA,
    PAYMENT_SCHEMA,
    WRITEOFF_SCHEMA,
    Ledger,
)
from relance.store import models as m


def _frame(session: Session, query: Select, schema: dict) -> pl.DataFrame:  # type: ignore[type-arg]
    rows = session.execute(query).all()
    return pl.DataFrame(rows, schema=schema, orient="row")


def load_ledger(session: Session, customer_ref: str | None = None) -> Ledger:
    """Read the posted ledger, optionally for one customer only."""
    posted = m.Document.status == "posted"
    customers = select(
        m.Customer.id,
        m.Customer.ref,
        m.Customer.name,
        m.Customer.segment,
        m.Customer.country,
        m.Customer.payment_terms,
    )
    documents = (
        select(
            m.Document.id,
            m.Document.ref,
            m.Document.customer_id,
            m.Customer.ref,
            m.Document.kind,
            m.Document.issue_date,
            m.Document.due_date,
            m.Document.amount_minor,
            m.Document.currency,
            m.Document.disputed,
        )
        .join(m.Customer, m.Customer.id == m.Document.customer_id)
        .where(posted)
    )
    payments = select(
        m.Payment.id,
        m.Payment.ref,
        m.Payment.customer_id,
        m.Customer.ref,
        m.Payment.payment_date,
        m.Payment.amount_minor,
        m.Payment.currency,
    ).join(m.Customer, m.Customer.id == m.Payment.customer_id)
    applications = (
        select(
            m.Application.payment_id,
            m.Application.credit_note_id,
            m.Application.document_id,
            m.Application.applied_on,
            m.Application.amount_minor,
            m.Application.currency,
        )
        .join(m.Document, m.Document.id == m.Application.document_id)
        .where(posted)
    )
    writeoffs = (
        select(
            m.WriteOff.document_id,
            m.WriteOff.writeoff_date,
            m.WriteOff.amount_minor,
            m.WriteOff.currency,
        )
        .join(m.Document, m.Document.id == m.WriteOff.document_id)
        .where(posted)
    )
    if customer_ref is not None:
        customers = customers.where(m.Customer.ref == customer_ref)
        documents = documents.where(m.Customer.ref == customer_ref)
        payments = payments.where(m.Customer.ref == customer_ref)
        of_customer = m.Document.customer_id.in_(
            select(m.Customer.id).where(m.Customer.ref == customer_ref)
        )
        applications = applications.where(of_customer)
        writeoffs = writeoffs.where(of_customer)
    return Ledger(
        customers=_frame(session, customers, CUSTOMER_SCHEMA),
        documents=_frame(session, documents, DOCUMENT_SCHEMA),
        payments=_frame(session, payments, PAYMENT_SCHEMA),
        applications=_frame(session, applications, APPLICATION_SCHEMA),
        writeoffs=_frame(session, writeoffs, WRITEOFF_SCHEMA),
    )
