"""Planning reminders from the store: load what the planner reads, then plan.

Reading only: nothing here writes to the store (`relance plan` changes nothing; the
run that records actions lives elsewhere and calls `plan_for_day`).

What is loaded (`load_planning_data`):
- the posted ledger (`relance.store.reader.load_ledger`);
- customers with their follow-up attributes (type, tags, language, opt-out, legal
  procedure, exclusion, pinned segment, collector);
- every dispute, every promise, every action and action item (an item whose
  `dropped_reason` is set did not reach its step).

Amounts in `plan_to_dict` are decimal strings in major units, never floats.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from relance.domain.money import from_minor
from relance.reminders.eligibility import (
    ACTION_ITEM_SCHEMA,
    ACTION_SCHEMA,
    CUSTOMER_FACTS_SCHEMA,
    DISPUTE_SCHEMA,
    PROMISE_SCHEMA,
    PlanningData,
    eligibility,
)
from relance.reminders.planned import DayPlan, PlannedContact
from relance.reminders.planner import plan_day
from relance.reminders.policy import Policy, default_policy, load_policy
from relance.store import models as m
from relance.store.db import Store
from relance.store.reader import load_ledger


def _frame(session: Session, query: Select, schema: dict[str, Any]) -> pl.DataFrame:  # type: ignore[type-arg]
    rows = session.execute(query).all()
    return pl.DataFrame(rows, schema=schema, orient="row")


def load_planning_data(session: Session) -> PlanningData:
    """Everything the planner reads, from the store."""
    customers = select(
        m.Customer.id,
        m.Customer.ref,
        m.Customer.name,
        m.Customer.segment,
        m.Customer.country,
        m.Customer.customer_type,
        m.Customer.tags,
        m.Customer.language,
        m.Customer.opted_out,
        m.Customer.legal_procedure,
        m.Customer.dunning_excluded,
        m.Customer.collector,
    )
    disputes = select(m.Dispute.document_id, m.Dispute.opened_on, m.Dispute.closed_on)
    promises = select(
        m.Promise.customer_id,
        m.Promise.document_id,
        m.Promise.recorded_on,
        m.Promise.promised_for,
        m.Promise.status,
    )
    actions = select(
        m.Action.id,
        m.Action.customer_id,
        m.Action.step,
        m.Action.planned_on,
        m.Action.state,
    )
    # `dropped_reason` arrives with the delivery migration; without it nothing is dropped.
    dropped_reason = getattr(m.ActionItem, "dropped_reason", None)
    dropped = dropped_reason.is_not(None) if dropped_reason is not None else false()
    items = select(m.ActionItem.action_id, m.ActionItem.document_id, dropped)
    return PlanningData(
        ledger=load_ledger(session),
        customers=_frame(session, customers, CUSTOMER_FACTS_SCHEMA),
        disputes=_frame(session, disputes, DISPUTE_SCHEMA),
        promises=_frame(session, promises, PROMISE_SCHEMA),
        actions=_frame(session, actions, ACTION_SCHEMA),
        action_items=_frame(session, items, ACTION_ITEM_SCHEMA),
    )


def resolve_policy(path: Path | str | None) -> Policy:
    """The policy file given, else the default policy; raises `PolicyInvalid`."""
    return default_policy() if path is None else load_policy(path)


def plan_for_day(session: Session, policy: Policy, day: date) -> DayPlan:
    """The plan of `day` for the books in the store (reads only)."""
    return plan_day(load_planning_data(session), policy, day)


def plan(store: Store, policy: Policy, day: date) -> DayPlan:
    """`plan_for_day` in a read-only session of `store` (rolled back at the end)."""
    with store.session() as session:
        try:
            return plan_for_day(session, policy, day)
        finally:
            session.rollback()


def eligibility_for_day(session: Session, policy: Policy, day: date) -> pl.DataFrame:
    """`relance.reminders.eligibility.eligibility` on the store's current books.

    One row per open invoice: `id` (document id), `residual`, `blocked` (null when
    it may be reminded) and `blocked_reason`. Sending calls it to drop what no
    longer applies.
    """
    return eligibility(load_planning_data(session), policy, day)


# --- JSON -----------------------------------------------------------------------------


def _money(units: int, currency: str) -> str:
    return str(from_minor(units, currency))


def contact_to_dict(contact: PlannedContact) -> dict[str, Any]:
    """One planned contact as JSON-ready values (amounts as decimal strings)."""
    cur = contact.currency
    return {
        "customer_ref": contact.customer_ref,
        "customer_name": contact.customer_name,
        "campaign": contact.campaign,
        "segment": contact.segment,
        "payer_profile": contact.payer_profile,
        "step": contact.step,
        "step_index": contact.step_index,
        "step_key": contact.step_key,
        "channel": contact.channel,
        "template": contact.template,
        "language": contact.language,
        "currency": cur,
        "planned_on": contact.planned_on.isoformat(),
        "holdout": contact.holdout,
        "total": _money(contact.total, cur),
        "items": [
            {
                "document_ref": item.document_ref,
                "issue_date": item.issue_date.isoformat(),
                "due_date": item.due_date.isoformat(),
                "residual": _money(item.residual, cur),
                "days_past_due": item.days_past_due,
            }
            for item in contact.items
        ],
        "reasons": list(contact.reasons),
    }


def plan_to_dict(day_plan: DayPlan) -> dict[str, Any]:
    """The whole plan as JSON-ready values."""
    return {
        "day": day_plan.day.isoformat(),
        "notes": list(day_plan.notes),
        "contacts": [contact_to_dict(c) for c in day_plan.contacts],
        "skipped": [
            {
                "customer_ref": s.customer_ref,
                "document_ref": s.document_ref,
                "reason": s.reason,
            }
            for s in day_plan.skipped
        ],
    }
