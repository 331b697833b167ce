"""Reading what the ROI needs from the store, as the frames `relance.roi` takes.

Contracts: only posted documents reach the ledger (`relance.store.reader`); an
action's segment and collector fall back to the customer's when the action has
none; a promise's collector falls back to its action's, then to the customer's;
amounts stay Int64 minor units.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from relance.domain.ledger import Ledger
from relance.roi.actions import ACTION_SCHEMA, ITEM_SCHEMA
from relance.roi.satisfaction import NOTE_SCHEMA, SCORE_SCHEMA
from relance.roi.team import DISPUTE_SCHEMA, PROMISE_SCHEMA
from relance.store import models as m
from relance.store.reader import load_ledger


@dataclass(frozen=True)
class RoiInputs:
    """Everything the ROI figures read, loaded once."""

    ledger: Ledger
    actions: pl.DataFrame
    items: pl.DataFrame
    promises: pl.DataFrame
    disputes: pl.DataFrame
    scores: pl.DataFrame
    notes: pl.DataFrame


def _frame(session: Session, query, schema: dict) -> pl.DataFrame:  # type: ignore[no-untyped-def, type-arg]
    return pl.DataFrame(session.execute(query).all(), schema=schema, orient="row")


def load_actions(session: Session) -> pl.DataFrame:
    """Every action, with the customer's segment and collector as fallbacks."""
    a, c = m.Action, m.Customer
    query = select(
        a.id,
        a.customer_id,
        a.campaign,
        a.segment,
        a.step,
        a.channel,
        a.planned_on,
        a.state,
        a.holdout,
        a.cost_minor,
        a.currency,
        a.collector,
        c.segment,
        c.collector,
    ).join(c, c.id == a.customer_id)
    schema = {**ACTION_SCHEMA, "_segment": pl.Utf8, "_collector": pl.Utf8}
    frame = _frame(session, query, schema)
    return frame.with_columns(
        pl.coalesce("segment", "_segment").alias("segment"),
        pl.coalesce("collector", "_collector").alias("collector"),
    ).drop("_segment", "_collector")


def load_inputs(session: Session) -> RoiInputs:
    """Ledger, actions, items, promises, disputes, scores and notes."""
    items = _frame(
        session,
        select(
            m.ActionItem.action_id,
            m.ActionItem.document_id,
            m.ActionItem.residual_minor,
        ),
        ITEM_SCHEMA,
    )
    action = aliased(m.Action)
    promises = _frame(
        session,
        select(
            m.Promise.collector,
            action.collector,
            m.Customer.collector,
            m.Promise.recorded_on,
            m.Promise.promised_for,
            m.Promise.amount_minor,
            m.Promise.currency,
            m.Promise.status,
        )
        .join(m.Customer, m.Customer.id == m.Promise.customer_id)
        .outerjoin(action, action.id == m.Promise.action_id),
        {
            "collector": pl.Utf8,
            "_action": pl.Utf8,
            "_customer": pl.Utf8,
            **{k: v for k, v in PROMISE_SCHEMA.items() if k != "collector"},
        },
    ).with_columns(pl.coalesce("collector", "_action", "_customer").alias("collector"))
    disputes = _frame(
        session,
        select(m.Dispute.owner, m.Dispute.opened_on, m.Dispute.closed_on),
        DISPUTE_SCHEMA,
    )
    scores = _frame(
        session,
        select(
            m.SatisfactionScore.customer_id,
            m.SatisfactionScore.scored_on,
            m.SatisfactionScore.kind,
            m.SatisfactionScore.score,
        ),
        SCORE_SCHEMA,
    )
    notes = _frame(
        session,
        select(m.TeamNote.customer_id, m.TeamNote.noted_on, m.TeamNote.tag),
        NOTE_SCHEMA,
    )
    return RoiInputs(
        ledger=load_ledger(session),
        actions=load_actions(session),
        items=items,
        promises=promises.select(list(PROMISE_SCHEMA)),
        disputes=disputes,
        scores=scores,
        notes=notes,
    )
