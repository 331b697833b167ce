"""Reminder campaigns with holdouts and a known effect, written into a store.

Two ways, both for the demo and the tests:

- `record_demo_reminders(store, books)`: the sample company's own reminders. The
  generator (`relance.demo.generator.generate_books` with a `ReminderEffect`)
  reminds every late invoice `after_days` after its due date, holds out a share of
  customers, and moves the payments of the others `days` earlier. Once the books
  are imported, this writes those reminders as actions (one per customer and day,
  holdouts recorded as `held_out`, never delivered), so `relance roi` can measure
  an effect that is known exactly;
- `simulate_campaign(store)`: a campaign on customers of its own (refs prefixed
  with the campaign's name) drawn by `relance.roi.simulate`, whose true uplift of
  the collection rate and true days sooner are given.

Both are idempotent: actions are keyed by ref, and what exists is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import polars as pl
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from relance.demo.simulation import DemoBooks
from relance.domain.money import from_minor, to_minor
from relance.imports.records import (
    Application,
    CustomerRecord,
    DocumentRecord,
    ImportBatch,
    Origin,
    PaymentRecord,
)
from relance.roi.collections import residuals_at
from relance.roi.simulate import (
    CampaignPlan,
    CampaignTruth,
    SimulatedCampaign,
    simulate,
)
from relance.store import models as m
from relance.store.db import Store
from relance.store.reader import load_ledger
from relance.store.writer import write_batch

DEMO_CAMPAIGN = "demo-reminders"


@dataclass(frozen=True)
class CampaignWritten:
    """What was written: actions contacted and held out, and the true effect."""

    campaign: str
    contacted: int
    held_out: int
    items: int
    true_days_sooner: float
    true_uplift: float | None


def _insert_actions(
    session: Session, actions: list[dict[str, Any]], items: list[dict[str, Any]]
) -> tuple[int, int]:
    """Insert actions (by ref, skipping those present) and their items."""
    refs = [a["ref"] for a in actions]
    present = set(
        session.execute(select(m.Action.ref).where(m.Action.ref.in_(refs))).scalars()
    )
    now = datetime.now(UTC)
    fresh = [
        {**a, "created_at": now, "updated_at": now, "attempts": 0, "source": "demo"}
        for a in actions
        if a["ref"] not in present
    ]
    for start in range(0, len(fresh), 2000):
        session.execute(insert(m.Action), fresh[start : start + 2000])
    ids = dict(
        session.execute(
            select(m.Action.ref, m.Action.id).where(m.Action.ref.in_(refs))
        ).all()
    )
    rows = [
        {
            **{k: v for k, v in i.items() if k != "action_ref"},
            "action_id": ids[i["action_ref"]],
        }
        for i in items
        if i["action_ref"] not in present
    ]
    for start in range(0, len(rows), 2000):
        session.execute(insert(m.ActionItem), rows[start : start + 2000])
    return len(fresh), len(rows)


def record_demo_reminders(
    store: Store,
    books: DemoBooks,
    *,
    true_days: float,
    campaign: str = DEMO_CAMPAIGN,
    step: str = "email_1",
    channel: str = "email",
    cost: Decimal = Decimal("0.35"),
) -> CampaignWritten:
    """Write the generator's reminders of imported `books` as actions.

    `true_days` is the `ReminderEffect.days` the books were generated with.
    """
    docs = books.documents.select(
        pl.col("id").alias("document_id"), pl.col("ref").alias("doc_ref"), "currency"
    )
    people = books.customers.select(
        pl.col("id").alias("customer_id"), pl.col("ref").alias("customer_ref")
    )
    reminders = books.reminders.join(docs, on="document_id").join(
        people, on="customer_id"
    )
    with store.transaction() as session:
        doc_ids = dict(session.execute(select(m.Document.ref, m.Document.id)).all())
        cust = {
            r: (i, s)
            for r, i, s in session.execute(
                select(m.Customer.ref, m.Customer.id, m.Customer.segment)
            )
        }
        frame = reminders.with_columns(
            pl.col("doc_ref")
            .replace_strict(doc_ids, default=None, return_dtype=pl.Int64)
            .alias("store_doc")
        ).filter(pl.col("store_doc").is_not_null())
        balances = residuals_at(
            load_ledger(session),
            frame.select(
                pl.col("store_doc").alias("document_id"),
                pl.col("reminder_date").alias("on"),
            ),
        )
        frame = frame.join(
            balances.rename({"document_id": "store_doc", "on": "reminder_date"}),
            on=["store_doc", "reminder_date"],
            how="left",
        )
        actions, items = [], []
        heads = frame.select(
            "customer_ref", "reminder_date", "holdout", "currency"
        ).unique()
        for cref, day, held, currency in heads.sort(
            "reminder_date", "customer_ref"
        ).iter_rows():
            cid, segment = cust[cref]
            actions.append(
                _action(
                    f"{campaign}:{cref}:{day.isoformat()}",
                    cid,
                    segment,
                    campaign,
                    step,
                    channel,
                    day,
                    held,
                    cost,
                    currency,
                )
            )
        for row in frame.iter_rows(named=True):
            ref = f"{campaign}:{row['customer_ref']}:{row['reminder_date'].isoformat()}"
            items.append(
                {
                    "action_ref": ref,
                    "document_id": row["store_doc"],
                    "step_key": f"{campaign}/{step}",
                    "residual_minor": int(row["residual"] or 0),
                    "currency": row["currency"],
                }
            )
        _insert_actions(session, actions, items)
    held = sum(1 for a in actions if a["holdout"])
    return CampaignWritten(
        campaign, len(actions) - held, held, len(items), true_days, None
    )


def _action(
    ref: str,
    customer_id: int,
    segment: str | None,
    campaign: str,
    step: str,
    channel: str,
    day: Any,
    held: bool,
    cost: Decimal,
    currency: str,
) -> dict[str, Any]:
    return {
        "ref": ref,
        "customer_id": customer_id,
        "campaign": campaign,
        "segment": segment,
        "step": step,
        "step_index": 0,
        "channel": channel,
        "planned_on": day,
        "state": "held_out" if held else "sent",
        "holdout": held,
        "cost_minor": 0 if held else to_minor(cost, currency),
        "currency": currency,
        "amount_minor": 0,
    }


def _batch(sim: SimulatedCampaign, new_customers: bool) -> ImportBatch:
    """The simulated customers (when new), invoices and payments as import records."""
    origin = Origin(f"simulated campaign {sim.plan.campaign}", 1)
    led = sim.ledger
    refs = dict(zip(led.documents["id"], led.documents["ref"], strict=True))
    paid_doc = dict(
        zip(
            led.applications["payment_id"], led.applications["document_id"], strict=True
        )
    )
    cur = sim.plan.currency
    return ImportBatch(
        source="simulation",
        customers=[
            CustomerRecord(
                r["ref"],
                r["name"],
                origin,
                segment=r["segment"],
                country=r["country"],
                payment_terms=r["payment_terms"],
            )
            for r in led.customers.iter_rows(named=True)
        ]
        if new_customers
        else [],
        documents=[
            DocumentRecord(
                r["ref"],
                r["customer_ref"],
                r["issue_date"],
                r["due_date"],
                from_minor(r["amount"], cur),
                cur,
                origin,
            )
            for r in led.documents.iter_rows(named=True)
        ],
        payments=[
            PaymentRecord(
                r["ref"],
                r["customer_ref"],
                r["payment_date"],
                from_minor(r["amount"], cur),
                cur,
                origin,
                (Application(refs[paid_doc[r["id"]]], from_minor(r["amount"], cur)),),
            )
            for r in led.payments.iter_rows(named=True)
        ],
    )


def simulate_campaign(
    store: Store,
    truth: CampaignTruth | None = None,
    plan: CampaignPlan | None = None,
    seed: int = 0,
    existing_customers: int | None = None,
) -> CampaignWritten:
    """Draw a campaign with a known effect and write its books and actions.

    With `existing_customers` = N, the campaign's invoices go to the first N
    customers of the store (by ref) instead of new ones: a campaign "on the
    sample company", whose extra invoices carry the campaign's prefix.
    """
    truth = truth or CampaignTruth()
    plan = plan or CampaignPlan()
    refs = None
    if existing_customers:
        with store.transaction() as session:
            refs = list(
                session.execute(
                    select(m.Customer.ref)
                    .order_by(m.Customer.ref)
                    .limit(existing_customers)
                ).scalars()
            )
    sim = simulate(truth, plan, seed=seed, customer_refs=refs or None)
    with store.transaction() as session:
        write_batch(session, _batch(sim, new_customers=not refs))
        doc_ids = dict(session.execute(select(m.Document.ref, m.Document.id)).all())
        cust_ids = dict(session.execute(select(m.Customer.ref, m.Customer.id)).all())
        docs = sim.ledger.documents.select("id", "ref", "customer_ref")
        acts = sim.actions.join(
            sim.ledger.customers.select(
                pl.col("id").alias("customer_id"), pl.col("ref").alias("customer_ref")
            ),
            on="customer_id",
        )
        segments = dict(
            session.execute(select(m.Customer.ref, m.Customer.segment)).all()
        )
        actions = [
            _action(
                f"{plan.campaign}:{a['customer_ref']}",
                cust_ids[a["customer_ref"]],
                segments.get(a["customer_ref"]) or plan.segment,
                plan.campaign,
                plan.step,
                plan.channel,
                a["acted_on"],
                a["holdout"],
                from_minor(plan.cost_minor, plan.currency),
                plan.currency,
            )
            for a in acts.iter_rows(named=True)
        ]
        owner = dict(zip(acts["action_id"], acts["customer_ref"], strict=True))
        ref_of = dict(zip(docs["id"], docs["ref"], strict=True))
        items = [
            {
                "action_ref": f"{plan.campaign}:{owner[i['action_id']]}",
                "document_id": doc_ids[ref_of[i["document_id"]]],
                "step_key": f"{plan.campaign}/{plan.step}",
                "residual_minor": i["stake"],
                "currency": plan.currency,
            }
            for i in sim.items.iter_rows(named=True)
        ]
        _insert_actions(session, actions, items)
    held = int(sim.actions["holdout"].sum())
    return CampaignWritten(
        plan.campaign,
        sim.actions.height - held,
        held,
        len(items),
        float(truth.days_sooner),
        truth.uplift,
    )
