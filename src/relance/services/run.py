"""`relance run`: record a day's plan as actions, once.

`run_day` writes every planned contact as an `Action` with its `ActionItem`s in one
transaction, under the `run` lock (two runs at once: the second gets `LockBusy`).
It is idempotent: an invoice reaches a step once (unique (document, step_key)), so
a second run of the same day, or of a plan that overlaps an earlier one, records
nothing it already has. Nothing is delivered here: that is `relance send`.

A re-run of a day usually finds nothing to record at all: the planner already
leaves out the customers contacted that day. `already_recorded` counts the
contacts earlier runs recorded for the day, so that the summary can say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select, tuple_
from sqlalchemy.orm import Session

from relance.reminders.actions import action_ref
from relance.reminders.planned import DayPlan
from relance.reminders.run import Decision, action_cost, decide, initial_state
from relance.services import locks
from relance.settings import Settings
from relance.store import models as m
from relance.store.db import Store

_CHUNK = 500


@dataclass(frozen=True)
class Recorded:
    """One action written by the run."""

    action_id: int
    ref: str
    customer_ref: str
    step: str
    channel: str
    state: str
    items: int
    amount_minor: int
    currency: str
    cost_minor: int


@dataclass
class RunSummary:
    """What a run recorded and what it skipped, with reasons."""

    day: date
    recorded: list[Recorded] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)
    # Contacts of that day recorded by earlier runs (a re-run finds them all).
    already_recorded: int = 0

    @property
    def held_out(self) -> int:
        return sum(1 for r in self.recorded if r.state == "held_out")


def _chunks(values: list[Any], size: int = _CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _reached(session: Session, pairs: list[tuple[int, str]]) -> set[tuple[int, str]]:
    found: set[tuple[int, str]] = set()
    for chunk in _chunks(pairs):
        query = select(m.ActionItem.document_id, m.ActionItem.step_key).where(
            tuple_(m.ActionItem.document_id, m.ActionItem.step_key).in_(chunk)
        )
        found.update((doc, key) for doc, key in session.execute(query))
    return found


def _contacted(session: Session, day: date, customers: list[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(customers):
        query = select(m.Action.customer_id).where(
            m.Action.planned_on == day, m.Action.customer_id.in_(chunk)
        )
        found.update(session.execute(query).scalars())
    return found


def _recorded_on(session: Session, day: date) -> int:
    """Contacts (not dispute handling costs) already recorded for `day`."""
    query = select(func.count(m.Action.id)).where(
        m.Action.planned_on == day, m.Action.channel != "dispute"
    )
    return int(session.execute(query).scalar_one())


def _collectors(session: Session, customers: list[int]) -> dict[int, str | None]:
    found: dict[int, str | None] = {}
    for chunk in _chunks(customers):
        query = select(m.Customer.id, m.Customer.collector).where(
            m.Customer.id.in_(chunk)
        )
        found.update(dict(session.execute(query).all()))
    return found


def _write(
    session: Session, day: date, decisions: list[Decision], settings: Settings
) -> list[Recorded]:
    """Insert the actions, then their items, in bulk."""
    collectors = _collectors(
        session, sorted({d.contact.customer_id for d in decisions})
    )
    now = locks.utc_now()
    rows = []
    for d in decisions:
        c = d.contact
        rows.append(
            {
                "ref": action_ref(day, c.customer_ref, c.step_key),
                "customer_id": c.customer_id,
                "campaign": c.campaign,
                "segment": c.segment,
                "step": c.step,
                "step_index": c.step_index,
                "channel": c.channel,
                "template": c.template,
                "planned_on": day,
                "state": initial_state(c),
                "reason": "; ".join(c.reasons) or None,
                "holdout": c.holdout,
                "cost_minor": action_cost(c.channel, c.holdout, settings),
                "cost_currency": settings.cost_currency,
                "currency": c.currency,
                "amount_minor": d.total,
                "collector": collectors.get(c.customer_id)
                or settings.default_collector
                or None,
                "language": c.language,
                "source": "relance",
                "created_at": now,
                "updated_at": now,
                "attempts": 0,
            }
        )
    ids: dict[str, int] = {}
    for chunk in _chunks(rows):
        session.execute(insert(m.Action), chunk)
        refs = [row["ref"] for row in chunk]
        ids.update(
            session.execute(
                select(m.Action.ref, m.Action.id).where(m.Action.ref.in_(refs))
            ).all()
        )

    items = []
    recorded = []
    for d, row in zip(decisions, rows, strict=True):
        action_id = ids[row["ref"]]
        for item in d.items:
            items.append(
                {
                    "action_id": action_id,
                    "document_id": item.document_id,
                    "step_key": d.contact.step_key,
                    "residual_minor": item.residual,
                    "currency": d.contact.currency,
                }
            )
        recorded.append(
            Recorded(
                action_id=action_id,
                ref=row["ref"],
                customer_ref=d.contact.customer_ref,
                step=d.contact.step,
                channel=d.contact.channel,
                state=row["state"],
                items=len(d.items),
                amount_minor=d.total,
                currency=d.contact.currency,
                cost_minor=row["cost_minor"],
            )
        )
    for chunk in _chunks(items, 2_000):
        session.execute(insert(m.ActionItem), chunk)
    return recorded


def run_day(
    store: Store, day: date, plan: DayPlan, settings: Settings | None = None
) -> RunSummary:
    """Record `plan` as actions for `day` (see the module docstring)."""
    settings = settings or Settings()
    summary = RunSummary(day=day)
    contacts = list(plan.contacts)
    lock_ttl = timedelta(minutes=settings.send_lock_minutes)
    with locks.held(store, "run", lock_ttl), store.transaction() as session:
        summary.already_recorded = _recorded_on(session, day)
        pairs = sorted({(i.document_id, c.step_key) for c in contacts for i in c.items})
        reached = _reached(session, pairs)
        contacted = _contacted(session, day, sorted({c.customer_id for c in contacts}))
        keep: list[Decision] = []
        for contact in contacts:
            decision = decide(contact, reached, contacted)
            if decision.skip_reason is not None:
                summary.skipped.append(
                    (contact.customer_ref, contact.step_key, decision.skip_reason)
                )
                continue
            keep.append(decision)
            # Within one plan too: one contact per customer, one step per invoice.
            contacted.add(contact.customer_id)
            reached.update((i.document_id, contact.step_key) for i in decision.items)
        summary.recorded = _write(session, day, keep, settings)
    return summary
