"""Tables of the ledger.

Money is stored losslessly as integer minor units (`*_minor` columns, BIGINT) next
to an ISO 4217 `currency` column; `relance.domain.money.from_minor` turns it back
into a Decimal. The schema is created and evolved only by the Alembic migrations in
`relance/store/migrations`; these classes must match them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    billing_email: Mapped[str | None] = mapped_column(Text)
    payment_terms: Mapped[str | None] = mapped_column(Text)
    segment: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(2))
    language: Mapped[str | None] = mapped_column(String(8))
    customer_type: Mapped[str | None] = mapped_column(String(32))
    tags: Mapped[str] = mapped_column(Text, default="")
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    legal_procedure: Mapped[bool] = mapped_column(Boolean, default=False)
    # Added by migration 0002, for the follow-up:
    dunning_excluded: Mapped[bool] = mapped_column(Boolean, default=False)
    late_rate_percent: Mapped[str | None] = mapped_column(String(16))
    collector: Mapped[str | None] = mapped_column(String(64))
    # Added by migration 0004, for SMS, calls and letters:
    phone: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(Text)


class Document(Base):
    """An invoice (amount > 0) or a credit note (amount < 0)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(128), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # invoice | credit_note
    issue_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16), default="posted")
    disputed: Mapped[bool] = mapped_column(Boolean, default=False)
    billing_email: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")


class Payment(Base):
    """Money received from a customer; positive."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(128), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    payment_date: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(Text, default="")


class Application(Base):
    """Part of a payment, or of a credit note, set against a document.

    Exactly one of `payment_id` and `credit_note_id` is set. `applied_on` is the
    payment's date (or the credit note's), never the date the match was recorded.
    """

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("payment_id", "document_id", name="uq_app_payment_doc"),
        UniqueConstraint("credit_note_id", "document_id", name="uq_app_credit_doc"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_id: Mapped[int | None] = mapped_column(
        ForeignKey("payments.id", ondelete="CASCADE"), index=True
    )
    credit_note_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    applied_on: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))


class WriteOff(Base):
    __tablename__ = "writeoffs"
    __table_args__ = (UniqueConstraint("document_id", "writeoff_date", name="uq_wo"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    writeoff_date: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))


# --- Follow-up: reminders, disputes, promises, and what the ROI reads -------------
#
# An `Action` is one contact (or one decision not to contact: a held-out customer)
# with one customer at one step; `ActionItem`s are the invoices it covers. The pair
# (document, step_key) is unique: an invoice can reach a given step only once.


class Action(Base):
    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(160), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    campaign: Mapped[str] = mapped_column(String(64))
    segment: Mapped[str | None] = mapped_column(String(64))
    step: Mapped[str] = mapped_column(String(64))
    step_index: Mapped[int] = mapped_column(Integer, default=0)
    channel: Mapped[str] = mapped_column(String(24))  # widened by migration 0004
    planned_on: Mapped[date] = mapped_column(Date, index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    holdout: Mapped[bool] = mapped_column(Boolean, default=False)
    cost_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    collector: Mapped[str | None] = mapped_column(String(64))
    recipient: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    message_id: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(32))
    outcome_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(16), default="relance")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Added by migration 0004:
    template: Mapped[str | None] = mapped_column(String(64))
    cost_currency: Mapped[str] = mapped_column(String(3), default="EUR")


class ActionItem(Base):
    __tablename__ = "action_items"
    __table_args__ = (UniqueConstraint("document_id", "step_key", name="uq_item_step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    step_key: Mapped[str] = mapped_column(String(160))
    residual_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    # Added by migration 0004: why sending dropped this invoice (None: kept).
    dropped_reason: Mapped[str | None] = mapped_column(Text)


class Dispute(Base):
    __tablename__ = "disputes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    reason_code: Mapped[str] = mapped_column(String(32))
    owner: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    resolution: Mapped[str | None] = mapped_column(Text)


class Promise(Base):
    __tablename__ = "promises"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    recorded_on: Mapped[date] = mapped_column(Date)
    promised_for: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolved_on: Mapped[date | None] = mapped_column(Date)
    collector: Mapped[str | None] = mapped_column(String(64))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))


class RunLock(Base):
    """One row per named lock; taken with an atomic insert, released by delete."""

    __tablename__ = "run_locks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(Text)
    acquired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SatisfactionScore(Base):
    __tablename__ = "satisfaction_scores"
    __table_args__ = (
        UniqueConstraint("customer_id", "scored_on", "kind", name="uq_satisfaction"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    scored_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(8))  # csat | nps
    score: Mapped[int] = mapped_column(Integer)


class TeamNote(Base):
    __tablename__ = "team_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    collector: Mapped[str | None] = mapped_column(String(64))
    noted_on: Mapped[date] = mapped_column(Date)
    tag: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
