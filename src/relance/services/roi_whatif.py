"""What-if from the store: fit today's strategy of a segment, then try a change.

Contracts:
- the history is the segment's invoices due in the 365 days up to the as-of date
  (days after due, paid or censored, per `relance.roi.survival.time_to_pay`); the
  yearly volume is their count and amount;
- today's strategy is the steps the segment's actions of that year went through:
  offset = median days past due of their invoices on the action day, channel = the
  most used, cost = the mean cost of a contacted action; a step's response is its
  holdout uplift by count when both groups have at least `MIN_CUSTOMERS`
  customers (measured, with a standard error from its interval), else the
  `assumed_response` (said in the result); its profile is when, 1 to W days after
  the action, contacted invoices were paid (uniform when none was);
- a change is `move` (step, new offset), `add` (a new step) or `drop` (step).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import polars as pl

from relance.domain.money import to_minor
from relance.reminders.planned import CHANNELS
from relance.roi import actions as act
from relance.roi.collections import receipts, settlements
from relance.roi.incremental import MIN_CUSTOMERS, customer_table, incremental_return
from relance.roi.measures import measure
from relance.roi.survival import time_to_pay
from relance.roi.whatif import (
    History,
    StepModel,
    Strategy,
    WhatIf,
    simulate_whatif,
    uniform_profile,
)
from relance.services.roi_store import RoiInputs, load_inputs
from relance.store.db import Store


@dataclass(frozen=True)
class Change:
    """One change of strategy: move, add or drop a step."""

    kind: str  # move | add | drop
    step: str
    offset: int = 0
    channel: str = "email"
    cost: Decimal = Decimal(0)
    response: float | None = None


def _history(inputs: RoiInputs, segment: str, as_of: date) -> History:
    ledger = inputs.ledger
    ids = ledger.customers.filter(pl.col("segment") == segment).get_column("id")
    ttp = time_to_pay(settlements(ledger, as_of), as_of).filter(
        pl.col("customer_id").is_in(ids.implode())
        & (pl.col("due_date") > as_of - timedelta(days=365))
    )
    if ttp.height == 0:
        raise ValueError(
            f"no invoice of segment {segment!r} due in the year to {as_of}"
        )
    return History(
        days=ttp.get_column("days").to_numpy(),
        paid=ttp.get_column("paid").to_numpy(),
        amounts=ttp.get_column("amount").to_numpy(),
        customers=ttp.get_column("customer_id").to_numpy(),
        yearly_amount_minor=int(ttp.get_column("amount").sum()),
        yearly_invoices=ttp.height,
    )


def _profile(
    collected: pl.DataFrame, paid: pl.DataFrame, window: int
) -> tuple[float, ...]:
    delays = (
        collected.filter(pl.col("group") == act.CONTACTED)
        .select("document_id", "acted_on")
        .join(paid, on="document_id")
        .with_columns(
            (pl.col("paid_on") - pl.col("acted_on")).dt.total_days().alias("k")
        )
        .filter(pl.col("k").is_between(1, window))
        .get_column("k")
        .to_numpy()
    )
    if delays.size == 0:
        return uniform_profile(window)
    counts = np.bincount(delays - 1, minlength=window)[:window].astype(float)
    return tuple(counts / counts.sum())


def today_strategy(
    inputs: RoiInputs,
    segment: str,
    as_of: date,
    window: int,
    assumed_response: float,
    currency: str,
    reps: int = 300,
    seed: int = 0,
) -> Strategy:
    """Today's steps of the segment, each with its measured or assumed response."""
    year = act.between(inputs.actions, as_of - timedelta(days=365), as_of)
    mine = act.mature(
        year.filter((pl.col("segment") == segment) & (pl.col("currency") == currency)),
        as_of,
        window,
    )
    m = measure(mine, inputs.items, inputs.ledger, window)
    if m.collected.height == 0:
        return Strategy("today", ())
    due = inputs.ledger.documents.select(pl.col("id").alias("document_id"), "due_date")
    with_due = m.collected.join(due, on="document_id")
    shape = with_due.group_by("step").agg(
        (pl.col("acted_on") - pl.col("due_date"))
        .dt.total_days()
        .median()
        .alias("offset"),
        pl.col("channel").mode().first().alias("channel"),
    )
    costs = (
        m.actions.filter(pl.col("group") == act.CONTACTED)
        .group_by("step")
        .agg(pl.col("cost").mean().alias("cost"))
    )
    effects = {
        r.key["step"]: r
        for r in incremental_return(
            customer_table(m.actions, m.collected, ["step"]), ["step"], reps, seed
        )
    }
    paid = receipts(inputs.ledger)
    steps = []
    for row in (
        shape.join(costs, on="step", how="left").sort("offset").iter_rows(named=True)
    ):
        effect = effects.get(row["step"])
        measured = (
            effect is not None
            and effect.uplift_count is not None
            and effect.uplift_count_ci is not None
            and min(effect.contacted.customers, effect.held_out.customers)
            >= MIN_CUSTOMERS
        )
        response, se = assumed_response, 0.0
        if measured:
            response = max(float(effect.uplift_count), 0.0)  # type: ignore[arg-type, union-attr]
            ci = effect.uplift_count_ci  # type: ignore[union-attr]
            se = float(ci.high - ci.low) / 3.92  # type: ignore[union-attr]
        steps.append(
            StepModel(
                name=row["step"],
                offset=int(row["offset"]),
                channel=row["channel"],
                cost_minor=round(row["cost"] or 0),
                response=response,
                response_se=se,
                profile=_profile(
                    m.collected.filter(pl.col("step") == row["step"]), paid, window
                ),
                measured=measured,
            )
        )
    return Strategy("today", tuple(steps))


MAX_RESPONSE = 0.95  # the model clips a step's response there: say so up front


def _check_added(change: Change, assumed_response: float) -> None:
    """A step to add must be one relance can model: ValueError otherwise."""
    if change.channel not in CHANNELS:
        raise ValueError(
            f"--add {change.step}: {change.channel!r} is not a channel: expected "
            f"one of {', '.join(CHANNELS)}"
        )
    if change.cost < 0:
        raise ValueError(f"--add {change.step}: a cost of {change.cost} is negative")
    response = assumed_response if change.response is None else change.response
    # A response is a share of the invoices still open: a probability, which the
    # model would silently cut at MAX_RESPONSE while saying it used more.
    if not 0 <= response <= MAX_RESPONSE:
        raise ValueError(
            f"--add {change.step}: a response of {response} is not a share from 0 "
            f"to {MAX_RESPONSE} (0.05 is 5 % more paid within the window)"
        )


def apply_changes(
    today: Strategy,
    changes: list[Change],
    window: int,
    assumed_response: float,
    currency: str,
) -> Strategy:
    """Today's strategy with the changes applied in order.

    An added step needs a known channel, a cost of 0 or more and a response from
    0 to `MAX_RESPONSE`; ValueError otherwise.
    """
    proposed = today
    for change in changes:
        if change.kind == "move":
            proposed = proposed.moved(change.step, change.offset)
        elif change.kind == "drop":
            proposed = proposed.dropped(change.step)
        elif change.kind == "add":
            _check_added(change, assumed_response)
            proposed = proposed.added(
                StepModel(
                    name=change.step,
                    offset=change.offset,
                    channel=change.channel,
                    cost_minor=to_minor(change.cost, currency),
                    response=assumed_response
                    if change.response is None
                    else change.response,
                    profile=uniform_profile(window),
                )
            )
        else:
            raise ValueError(
                f"unknown change {change.kind!r}: expected move, add or drop"
            )
    return proposed


def whatif(
    store: Store,
    segment: str,
    changes: list[Change],
    as_of: date,
    *,
    currency: str = "EUR",
    window: int = act.DEFAULT_WINDOW_DAYS,
    assumed_response: float = 0.05,
    reps: int = 200,
    seed: int = 0,
) -> WhatIf:
    """Simulate `changes` to the segment's strategy against today's (see module doc)."""
    with store.transaction() as session:
        inputs = load_inputs(session)
    history = _history(inputs, segment, as_of)
    today = today_strategy(
        inputs, segment, as_of, window, assumed_response, currency, seed=seed
    )
    proposed = apply_changes(today, changes, window, assumed_response, currency)
    return simulate_whatif(history, today, proposed, currency, reps=reps, seed=seed)
