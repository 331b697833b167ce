"""Benchmark: plan one day of reminders for 1 M open invoices over 100 k customers.

    .venv/bin/python benchmarks/plan_bench.py [--customers N] [--open N] [--paid N]

Builds synthetic books straight as Polars frames (numpy random, fixed seed): open
invoices, a paid history for the payer profiles, credit notes, unapplied cash,
disputes, promises and a recorded reminder history, then times
`relance.reminders.planner.plan_day` with the default policy (the pure function:
no database). Prints the sizes, the time to build and the time to plan.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import date, timedelta

import numpy as np
import polars as pl

from relance.domain.ledger import (
    APPLICATION_SCHEMA,
    CUSTOMER_SCHEMA,
    DOCUMENT_SCHEMA,
    PAYMENT_SCHEMA,
    WRITEOFF_SCHEMA,
    Ledger,
)
from relance.reminders.eligibility import (
    ACTION_ITEM_SCHEMA,
    ACTION_SCHEMA,
    DISPUTE_SCHEMA,
    PROMISE_SCHEMA,
    PlanningData,
    customer_facts,
)
from relance.reminders.planner import plan_day
from relance.reminders.policy import default_policy

DAY = date(2025, 6, 12)  # a Thursday, not a holiday in France
EPOCH = date(1970, 1, 1)


def _dates(days_before: np.ndarray) -> pl.Series:
    """Dates `days_before` days before DAY, as a Polars Date series."""
    offset = (DAY - EPOCH).days
    return pl.Series(offset - days_before.astype(np.int32)).cast(pl.Date)


def build(customers: int, n_open: int, n_paid: int, seed: int = 7) -> PlanningData:
    """Synthetic books of the given size (see module doc)."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1, customers + 1)
    refs = [f"C{i:06d}" for i in ids]
    kinds = rng.choice(["pme", "grand_compte"], size=customers, p=[0.95, 0.05])
    facts = customer_facts(
        pl.DataFrame(
            {
                "id": ids,
                "ref": refs,
                "name": [f"Client {i}" for i in ids],
                "customer_type": kinds,
                "country": rng.choice(
                    ["FR", "BE", "DE"], size=customers, p=[0.9, 0.05, 0.05]
                ),
                "tags": rng.choice(
                    ["", "vip", "export"], size=customers, p=[0.9, 0.05, 0.05]
                ),
                "opted_out": rng.random(customers) < 0.005,
                "legal_procedure": rng.random(customers) < 0.005,
            }
        )
    )
    ledger_customers = facts.select(
        "id",
        "ref",
        "name",
        "segment",
        "country",
        pl.lit(None, dtype=pl.Utf8).alias("payment_terms"),
    )
    # Each customer pays about this many days late (its profile).
    lateness = rng.choice([0, 8, 30], size=customers, p=[0.6, 0.3, 0.1])

    # Open invoices: issued up to 200 days ago, due 30 or 60 days after issue.
    n_docs = n_open + n_paid
    owner = rng.integers(1, customers + 1, size=n_docs)
    age = np.concatenate(
        [rng.integers(0, 200, size=n_open), rng.integers(60, 500, size=n_paid)]
    )
    terms = rng.choice([30, 60], size=n_docs)
    amount = np.maximum(rng.lognormal(11, 1.2, size=n_docs).astype(np.int64), 100)
    currency = rng.choice(["EUR", "USD"], size=n_docs, p=[0.97, 0.03])
    doc_ids = np.arange(1, n_docs + 1)
    issue = _dates(age)
    due = _dates(age - terms)
    documents = pl.DataFrame(
        {
            "id": doc_ids,
            "ref": pl.Series(doc_ids).cast(pl.Utf8).str.pad_start(9, "0"),
            "customer_id": owner,
            "customer_ref": pl.Series(refs).gather(owner - 1),
            "kind": ["invoice"] * n_docs,
            "issue_date": issue,
            "due_date": due,
            "amount": amount,
            "currency": currency,
            "disputed": rng.random(n_docs) < 0.005,
        },
        schema=DOCUMENT_SCHEMA,
    )

    # Paid history: one payment per paid invoice, late by the customer's habit.
    paid_idx = np.arange(n_open, n_docs)
    paid_late = lateness[owner[paid_idx] - 1] + rng.integers(0, 5, size=n_paid)
    paid_on = _dates(age[paid_idx] - terms[paid_idx] - paid_late).to_numpy()
    paid_on = np.minimum(paid_on, np.datetime64(DAY))
    # Some open invoices are partly paid (a quarter of their amount).
    partial = np.flatnonzero(rng.random(n_open) < 0.1)
    pay_doc = np.concatenate([paid_idx, partial])
    pay_amount = np.concatenate([amount[paid_idx], amount[partial] // 4])
    pay_dates = np.concatenate([paid_on, issue.to_numpy()[partial]])
    n_pay = len(pay_doc)
    # Unapplied cash: a few payments on account.
    n_cash = customers // 5
    cash_owner = rng.integers(1, customers + 1, size=n_cash)
    pay_ids = np.arange(1, n_pay + n_cash + 1)
    payment_owner = np.concatenate([owner[pay_doc], cash_owner])
    payments = pl.DataFrame(
        {
            "id": pay_ids,
            "ref": pl.Series(pay_ids).cast(pl.Utf8),
            "customer_id": payment_owner,
            "customer_ref": pl.Series(refs).gather(payment_owner - 1),
            "payment_date": np.concatenate(
                [pay_dates, _dates(rng.integers(0, 30, size=n_cash)).to_numpy()]
            ),
            "amount": np.concatenate(
                [pay_amount, rng.integers(1_000, 200_000, size=n_cash)]
            ),
            "currency": np.concatenate([currency[pay_doc], np.full(n_cash, "EUR")]),
        },
        schema=PAYMENT_SCHEMA,
    )
    applications = pl.DataFrame(
        {
            "payment_id": np.arange(1, n_pay + 1),
            "credit_note_id": pl.Series([None] * n_pay, dtype=pl.Int64),
            "document_id": doc_ids[pay_doc],
            "applied_on": pay_dates,
            "amount": pay_amount,
            "currency": currency[pay_doc],
        },
        schema=APPLICATION_SCHEMA,
    )
    ledger = Ledger(
        customers=ledger_customers.cast(CUSTOMER_SCHEMA),  # type: ignore[arg-type]
        documents=documents,
        payments=payments,
        applications=applications,
        writeoffs=pl.DataFrame(schema=WRITEOFF_SCHEMA),
    )

    # Follow-up state: disputes, promises, and reminders already recorded.
    open_ids = doc_ids[:n_open]
    disputed = rng.choice(open_ids, size=n_open // 200, replace=False)
    disputes = pl.DataFrame(
        {
            "document_id": disputed,
            "opened_on": _dates(rng.integers(1, 60, size=len(disputed))),
            "closed_on": pl.Series([None] * len(disputed), dtype=pl.Date),
        },
        schema=DISPUTE_SCHEMA,
    )
    promised = rng.integers(1, customers + 1, size=customers // 50)
    promises = pl.DataFrame(
        {
            "customer_id": promised,
            "document_id": pl.Series([None] * len(promised), dtype=pl.Int64),
            "recorded_on": _dates(rng.integers(1, 20, size=len(promised))),
            "promised_for": _dates(rng.integers(-10, 10, size=len(promised))),
            "status": ["open"] * len(promised),
        },
        schema=PROMISE_SCHEMA,
    )
    overdue = open_ids[(age[:n_open] - terms[:n_open]) > 10]
    reached = rng.choice(overdue, size=len(overdue) // 2, replace=False)
    n_act = len(reached)
    actions = pl.DataFrame(
        {
            "id": np.arange(1, n_act + 1),
            "customer_id": owner[reached - 1],
            "step": rng.choice(["pre_due", "email_1", "email_2"], size=n_act),
            "planned_on": _dates(rng.integers(1, 40, size=n_act)),
            "state": rng.choice(
                ["sent", "held_out", "cancelled"], size=n_act, p=[0.9, 0.05, 0.05]
            ),
        },
        schema=ACTION_SCHEMA,
    )
    items = pl.DataFrame(
        {
            "action_id": np.arange(1, n_act + 1),
            "document_id": reached,
            "dropped": np.zeros(n_act, bool),
        },
        schema=ACTION_ITEM_SCHEMA,
    )
    return PlanningData(
        ledger=ledger,
        customers=facts,
        disputes=disputes,
        promises=promises,
        actions=actions,
        action_items=items,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--open", type=int, default=1_000_000)
    parser.add_argument("--paid", type=int, default=1_000_000)
    args = parser.parse_args()

    started = time.perf_counter()
    data = build(args.customers, args.open, args.paid)
    built = time.perf_counter() - started
    policy = default_policy()
    plan_day(data, policy, DAY - timedelta(days=1))  # warm-up: holidays, caches

    started, cpu = time.perf_counter(), time.process_time()
    plan = plan_day(data, policy, DAY)
    planned, cpu = time.perf_counter() - started, time.process_time() - cpu
    items = sum(len(c.items) for c in plan.contacts)
    held = sum(c.holdout for c in plan.contacts)
    print(
        f"books: {args.customers:,} customers, {args.open:,} open + {args.paid:,} paid "
        f"invoices, {data.actions.height:,} recorded actions (built in {built:.1f} s)"
    )
    print(
        f"plan of {DAY}: {len(plan.contacts):,} contacts ({held:,} held out) covering "
        f"{items:,} invoices, {len(plan.skipped):,} skipped, in {planned:.1f} s "
        f"(CPU {cpu:.1f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
        "cores)"
    )


if __name__ == "__main__":
    main()
