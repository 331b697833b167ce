"""Disputes, promises to pay and collectors' tasks, as the CLI uses them.

Every function takes the day it acts on (never today's date) and works in one
transaction. Problems a person can fix (unknown invoice, bad reason code, a task
already done) raise `FollowUpError` with a sentence saying what was expected.

Opening a dispute also records its handling cost as an action (channel
`dispute`, state `done`, cost = `minutes_per_dispute` × `collector_hourly_cost`),
so the ROI sees what disputes cost like any other action.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from relance.domain.money import Money
from relance.reminders import disputes as d
from relance.reminders import promises as p
from relance.reminders.actions import DONE, TODO
from relance.reminders.channels.phone import TaskResult, check_result
from relance.reminders.run import action_cost
from relance.services.locks import utc_now
from relance.settings import Settings
from relance.store import models as m
from relance.store.db import Store


class FollowUpError(ValueError):
    """A request that cannot be carried out as given."""


def _document(session: Session, ref: str) -> m.Document:
    doc = session.execute(
        select(m.Document).where(m.Document.ref == ref)
    ).scalar_one_or_none()
    if doc is None or doc.kind != "invoice":
        raise FollowUpError(f"unknown invoice {ref!r}")
    return doc


def _customer(session: Session, ref: str) -> m.Customer:
    found = session.execute(
        select(m.Customer).where(m.Customer.ref == ref)
    ).scalar_one_or_none()
    if found is None:
        raise FollowUpError(f"unknown customer {ref!r}")
    return found


# --- Disputes ----------------------------------------------------------------------


def _open_in(session: Session, document_id: int) -> m.Dispute | None:
    query = select(m.Dispute).where(
        m.Dispute.document_id == document_id, m.Dispute.closed_on.is_(None)
    )
    return session.execute(query).scalars().first()


def _dispute_in(
    session: Session,
    doc: m.Document,
    reason_code: str,
    day: date,
    owner: str | None,
    note: str | None,
    settings: Settings,
) -> m.Dispute:
    try:
        code = d.check_reason_code(reason_code)
    except ValueError as error:
        raise FollowUpError(str(error)) from None
    if _open_in(session, doc.id) is not None:
        raise FollowUpError(f"invoice {doc.ref} already has an open dispute")
    dispute = m.Dispute(
        document_id=doc.id, reason_code=code, owner=owner, note=note, opened_on=day
    )
    session.add(dispute)
    session.flush()
    now = utc_now()
    session.add(
        m.Action(
            ref=f"dispute/{dispute.id}",
            customer_id=doc.customer_id,
            campaign="followup",
            step="dispute",
            step_index=0,
            channel="dispute",
            planned_on=day,
            state=DONE,
            reason=f"dispute on {doc.ref}: {code}",
            holdout=False,
            cost_minor=action_cost("dispute", False, settings),
            cost_currency=settings.cost_currency,
            currency=doc.currency,
            amount_minor=0,
            collector=owner,
            outcome="dispute",
            outcome_on=day,
            source="relance",
            created_at=now,
            updated_at=now,
            attempts=0,
        )
    )
    return dispute


def open_dispute(
    store: Store,
    invoice_ref: str,
    reason_code: str,
    day: date,
    owner: str | None = None,
    note: str | None = None,
    settings: Settings | None = None,
) -> int:
    """Open a dispute on an invoice from `day`; return its id."""
    with store.transaction() as session:
        doc = _document(session, invoice_ref)
        dispute = _dispute_in(
            session, doc, reason_code, day, owner, note, settings or Settings()
        )
        return dispute.id


def update_dispute(
    store: Store,
    dispute_id: int,
    reason_code: str | None = None,
    owner: str | None = None,
    note: str | None = None,
) -> None:
    """Change a dispute's reason code, owner or note (what is given)."""
    with store.transaction() as session:
        dispute = session.get(m.Dispute, dispute_id)
        if dispute is None:
            raise FollowUpError(f"no dispute {dispute_id}")
        if reason_code is not None:
            try:
                dispute.reason_code = d.check_reason_code(reason_code)
            except ValueError as error:
                raise FollowUpError(str(error)) from None
        if owner is not None:
            dispute.owner = owner
        if note is not None:
            dispute.note = note


def close_dispute(
    store: Store, dispute_id: int, day: date, resolution: str | None = None
) -> None:
    """Close a dispute on `day`; the invoice may be reminded again from that day."""
    with store.transaction() as session:
        dispute = session.get(m.Dispute, dispute_id)
        if dispute is None:
            raise FollowUpError(f"no dispute {dispute_id}")
        if dispute.closed_on is not None:
            raise FollowUpError(
                f"dispute {dispute_id} was closed on {dispute.closed_on}"
            )
        if day < dispute.opened_on:
            raise FollowUpError(
                f"{day} is before the dispute opened ({dispute.opened_on})"
            )
        dispute.closed_on = day
        dispute.resolution = resolution


@dataclass(frozen=True)
class DisputeRow:
    """A dispute as listed."""

    id: int
    invoice_ref: str
    customer_ref: str
    reason_code: str
    owner: str | None
    note: str | None
    opened_on: date
    closed_on: date | None
    resolution: str | None


def list_disputes(store: Store, open_only: bool = False) -> list[DisputeRow]:
    """Disputes, oldest first."""
    query = (
        select(m.Dispute, m.Document.ref, m.Customer.ref)
        .join(m.Document, m.Document.id == m.Dispute.document_id)
        .join(m.Customer, m.Customer.id == m.Document.customer_id)
        .order_by(m.Dispute.opened_on, m.Dispute.id)
    )
    if open_only:
        query = query.where(m.Dispute.closed_on.is_(None))
    with store.session() as session:
        return [
            DisputeRow(
                x.id,
                doc_ref,
                cust_ref,
                x.reason_code,
                x.owner,
                x.note,
                x.opened_on,
                x.closed_on,
                x.resolution,
            )
            for x, doc_ref, cust_ref in session.execute(query)
        ]


def dispute_figures(store: Store, start: date, end: date) -> d.DisputeFigures:
    """Disputes opened and average resolution time over [start, end)."""
    with store.session() as session:
        rows = session.execute(select(m.Dispute.opened_on, m.Dispute.closed_on)).all()
    frame = pl.DataFrame(
        rows, schema={"opened_on": pl.Date, "closed_on": pl.Date}, orient="row"
    )
    return d.dispute_figures(frame, start, end)


# --- Promises ----------------------------------------------------------------------


def _promise_in(
    session: Session,
    customer: m.Customer,
    promised_for: date,
    amount: Decimal,
    day: date,
    invoice: m.Document | None,
    collector: str | None,
    action_id: int | None,
    currency: str | None,
) -> m.Promise:
    if promised_for < day:
        raise FollowUpError(f"promise date {promised_for} is before {day}")
    code = invoice.currency if invoice is not None else currency
    if code is None:
        code = (
            session.execute(
                select(m.Document.currency).where(m.Document.customer_id == customer.id)
            )
            .scalars()
            .first()
            or "EUR"
        )
    try:
        minor = Money.of(amount, code).to_minor()
    except (ValueError, TypeError) as error:
        raise FollowUpError(f"amount {amount}: {error}") from None
    if minor <= 0:
        raise FollowUpError(f"amount {amount} should be positive")
    promise = m.Promise(
        customer_id=customer.id,
        document_id=invoice.id if invoice is not None else None,
        recorded_on=day,
        promised_for=promised_for,
        amount_minor=minor,
        currency=code,
        status="open",
        collector=collector,
        action_id=action_id,
    )
    session.add(promise)
    session.flush()
    return promise


def record_promise(
    store: Store,
    customer_ref: str,
    promised_for: date,
    amount: Decimal,
    day: date,
    invoice_ref: str | None = None,
    collector: str | None = None,
    currency: str | None = None,
) -> int:
    """Record a promise to pay `amount` by `promised_for`; return its id.

    The currency is the invoice's when one is named, else `currency`, else the
    currency of the customer's documents.
    """
    with store.transaction() as session:
        customer = _customer(session, customer_ref)
        invoice = _document(session, invoice_ref) if invoice_ref else None
        if invoice is not None and invoice.customer_id != customer.id:
            raise FollowUpError(f"invoice {invoice_ref} is not {customer_ref}'s")
        promise = _promise_in(
            session,
            customer,
            promised_for,
            amount,
            day,
            invoice,
            collector,
            None,
            currency,
        )
        return promise.id


@dataclass(frozen=True)
class PromiseRow:
    """A promise as listed."""

    id: int
    customer_ref: str
    invoice_ref: str | None
    recorded_on: date
    promised_for: date
    amount: Money
    status: str
    resolved_on: date | None
    collector: str | None


def list_promises(store: Store, status: str | None = None) -> list[PromiseRow]:
    """Promises, by date promised."""
    query = (
        select(m.Promise, m.Customer.ref, m.Document.ref)
        .join(m.Customer, m.Customer.id == m.Promise.customer_id)
        .outerjoin(m.Document, m.Document.id == m.Promise.document_id)
        .order_by(m.Promise.promised_for, m.Promise.id)
    )
    if status is not None:
        query = query.where(m.Promise.status == status)
    with store.session() as session:
        return [
            PromiseRow(
                x.id,
                cust,
                doc,
                x.recorded_on,
                x.promised_for,
                Money.from_minor(x.amount_minor, x.currency),
                x.status,
                x.resolved_on,
                x.collector,
            )
            for x, cust, doc in session.execute(query)
        ]


def settle_promises(
    store: Store, day: date, settings: Settings | None = None
) -> list[tuple[int, str, date]]:
    """Mark open promises kept or broken on `day` (see `relance.reminders.promises`).

    Returns (promise id, new status, resolved_on) for each promise that changed.
    """
    grace = (settings or Settings()).promise_grace_days
    with store.transaction() as session:
        promises = pl.DataFrame(
            session.execute(
                select(
                    m.Promise.id,
                    m.Promise.customer_id,
                    m.Promise.recorded_on,
                    m.Promise.promised_for,
                    m.Promise.amount_minor,
                    m.Promise.currency,
                ).where(m.Promise.status == "open")
            ).all(),
            schema=p.PROMISE_COLUMNS,
            orient="row",
        )
        customers = promises.get_column("customer_id").unique().to_list()
        payments = pl.DataFrame(
            session.execute(
                select(
                    m.Payment.customer_id,
                    m.Payment.payment_date,
                    m.Payment.amount_minor,
                    m.Payment.currency,
                ).where(m.Payment.customer_id.in_(customers))
            ).all(),
            schema=p.PAYMENT_COLUMNS,
            orient="row",
        )
        changes = p.settle(promises, payments, day, grace)
        result = []
        for promise_id, status, resolved_on in changes.iter_rows():
            promise = session.get(m.Promise, promise_id)
            assert promise is not None
            promise.status, promise.resolved_on = status, resolved_on
            result.append((promise_id, status, resolved_on))
        return result


def promise_figures(store: Store, start: date, end: date) -> p.PromiseFigures:
    """Promises kept and broken over [start, end), and the kept rate."""
    with store.session() as session:
        rows = session.execute(select(m.Promise.status, m.Promise.resolved_on)).all()
    frame = pl.DataFrame(
        rows, schema={"status": pl.Utf8, "resolved_on": pl.Date}, orient="row"
    )
    return p.promise_figures(frame, start, end)


# --- Tasks -------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskRow:
    """A task of the worklist."""

    id: int
    customer_ref: str
    customer_name: str
    phone: str | None
    channel: str
    step: str
    planned_on: date
    collector: str | None
    amount: Money
    invoices: tuple[str, ...]
    what: str | None
    state: str
    outcome: str | None


def list_tasks(
    store: Store, collector: str | None = None, include_done: bool = False
) -> list[TaskRow]:
    """Open tasks (and done ones if asked), oldest first, optionally one collector's."""
    states = [TODO, DONE] if include_done else [TODO]
    query = (
        select(m.Action, m.Customer)
        .join(m.Customer, m.Customer.id == m.Action.customer_id)
        .where(m.Action.state.in_(states), m.Action.channel.in_(["phone", "handover"]))
        .order_by(m.Action.planned_on, m.Action.id)
    )
    if collector is not None:
        query = query.where(m.Action.collector == collector)
    with store.session() as session:
        found = session.execute(query).all()
        ids = [a.id for a, _ in found]
        refs: dict[int, list[str]] = {}
        items = session.execute(
            select(m.ActionItem.action_id, m.Document.ref)
            .join(m.Document, m.Document.id == m.ActionItem.document_id)
            .where(
                m.ActionItem.action_id.in_(ids), m.ActionItem.dropped_reason.is_(None)
            )
            .order_by(m.Document.due_date, m.Document.ref)
        )
        for action_id, ref in items:
            refs.setdefault(action_id, []).append(ref)
        return [
            TaskRow(
                a.id,
                c.ref,
                c.name,
                c.phone,
                a.channel,
                a.step,
                a.planned_on,
                a.collector,
                Money.from_minor(a.amount_minor, a.currency),
                tuple(refs.get(a.id, [])),
                a.reason,
                a.state,
                a.outcome,
            )
            for a, c in found
        ]


def complete_task(
    store: Store, task_id: int, result: TaskResult, settings: Settings | None = None
) -> str:
    """Record a task's outcome; a promise or a dispute goes into the ledger too.

    Returns a sentence saying what was recorded.
    """
    problems = check_result(result)
    if problems:
        raise FollowUpError("; ".join(problems))
    settings = settings or Settings()
    with store.transaction() as session:
        action = session.get(m.Action, task_id)
        if action is None or action.channel not in ("phone", "handover"):
            raise FollowUpError(f"no task {task_id}")
        if action.state != TODO:
            raise FollowUpError(f"task {task_id} is {action.state}, not to do")
        customer = session.get(m.Customer, action.customer_id)
        assert customer is not None
        refs = list(
            session.execute(
                select(m.Document.ref)
                .join(m.ActionItem, m.ActionItem.document_id == m.Document.id)
                .where(
                    m.ActionItem.action_id == task_id,
                    m.ActionItem.dropped_reason.is_(None),
                )
            ).scalars()
        )
        said = f"task {task_id}: {result.outcome}"
        if result.outcome == "promise":
            invoice = (
                _document(session, result.invoice_ref) if result.invoice_ref else None
            )
            assert result.promise_date is not None and result.amount is not None
            promise = _promise_in(
                session,
                customer,
                result.promise_date,
                result.amount,
                result.day,
                invoice,
                action.collector,
                task_id,
                action.currency,
            )
            said += f", promise {promise.id} recorded"
        elif result.outcome == "dispute":
            targets = [result.invoice_ref] if result.invoice_ref else refs
            if len(targets) != 1:
                raise FollowUpError(
                    f"task {task_id} covers {len(refs)} invoices ({', '.join(refs)}): "
                    "say which is disputed with --invoice"
                )
            doc = _document(session, targets[0])
            dispute = _dispute_in(
                session,
                doc,
                result.dispute_reason or "other",
                result.day,
                action.collector,
                result.note,
                settings,
            )
            said += f", dispute {dispute.id} opened on {doc.ref}"
        action.state = DONE
        action.outcome = result.outcome
        action.outcome_on = result.day
        if result.note:
            action.reason = f"{action.reason or ''}\n{result.note}".strip()
        action.updated_at = utc_now()
        return said
