"""A simulated reminder campaign with holdouts, whose true effect is known.

Used to test that the estimators recover what they claim (and that the direct
return overstates it), and by the demo. Everything is drawn from one seeded NumPy
generator: the same arguments give the same campaign.

The model, per customer (all its invoices move together, as real customers pay
several invoices with one transfer), with t the action day and W the window:
- without contact, the customer pays within the window with probability `p`,
  drawn per customer around `base_rate` (a Beta law of mean `base_rate`); such a
  payment comes `days_sooner` + 1 to W days after t, uniformly; otherwise it comes
  W + `days_sooner` + 1 to W + `days_sooner` + 90 days after t, or never (share
  `never_share`);
- a contacted customer pays `days_sooner` days earlier than it would have, and one
  who would have paid after the window pays within it (1 to W − `days_sooner`
  days after t) with probability `uplift` / (1 − `base_rate`);
- so the share of invoices (and, amounts being independent of behaviour, of
  amounts) paid within the window is `base_rate` without contact and
  `base_rate + uplift` with it: the true uplift by count and by amount is
  `uplift`; with `uplift` = 0 and `never_share` = 0, every contacted invoice is
  paid exactly `days_sooner` days sooner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
from relance.roi.actions import ACTION_SCHEMA, ITEM_SCHEMA


@dataclass(frozen=True)
class CampaignTruth:
    """The effect built into a simulated campaign."""

    uplift: float = 0.15
    days_sooner: int = 5
    base_rate: float = 0.5
    never_share: float = 0.1


@dataclass(frozen=True)
class CampaignPlan:
    """The shape of a simulated campaign."""

    customers: int = 400
    holdout_share: float = 0.3
    start: date = date(2024, 3, 1)
    days_past_due: int = 10
    window: int = 30
    campaign: str = "sim"
    step: str = "email_2"
    channel: str = "email"
    segment: str = "standard"
    cost_minor: int = 150
    currency: str = "EUR"
    terms_days: int = 30


@dataclass(frozen=True)
class SimulatedCampaign:
    """A ledger and an action log drawn from a `CampaignTruth`."""

    ledger: Ledger
    actions: pl.DataFrame
    items: pl.DataFrame
    truth: CampaignTruth
    plan: CampaignPlan


def _delays(
    rng: np.random.Generator, n: int, truth: CampaignTruth, window: int
) -> tuple[np.ndarray, np.ndarray]:
    """Days from action to payment without and with contact (-1: never paid)."""
    x = truth.days_sooner
    if window - x < 1 or truth.base_rate + truth.uplift > 1:
        raise ValueError(
            "days_sooner must be below the window and base_rate + uplift ≤ 1"
        )
    # Customer propensity: Beta of mean base_rate (concentration 4).
    p = rng.beta(4 * truth.base_rate, 4 * (1 - truth.base_rate), size=n)
    inside = rng.random(n) < p
    never = rng.random(n) < truth.never_share
    early = rng.integers(x + 1, window + 1, size=n)
    late = rng.integers(window + x + 1, window + x + 91, size=n)
    baseline = np.where(inside, early, np.where(never, -1, late))
    convert_share = truth.uplift / (1 - truth.base_rate) if truth.base_rate < 1 else 0.0
    converted = ~inside & (rng.random(n) < convert_share)
    quick = rng.integers(1, window - x + 1, size=n)
    shifted = np.where(baseline > 0, baseline - x, -1)
    contacted = np.where(converted, quick, shifted)
    return baseline, contacted


def simulate(
    truth: CampaignTruth,
    plan: CampaignPlan | None = None,
    seed: int = 0,
    first_id: int = 1,
    customer_refs: list[str] | None = None,
) -> SimulatedCampaign:
    """Draw a campaign: customers, invoices, payments, actions and their items.

    Ids start at `first_id`; invoice and payment refs are prefixed with the
    campaign name, so a campaign can be written beside a real ledger without
    clashing. Customers are new (`<campaign>-C00001`...) unless `customer_refs`
    names existing ones to use (then `plan.customers` is ignored).
    """
    plan = plan or CampaignPlan()
    rng = np.random.default_rng(seed)
    n = len(customer_refs) if customer_refs else plan.customers
    customer_ids = np.arange(first_id, first_id + n)
    held = rng.random(n) < plan.holdout_share
    without, with_contact = _delays(rng, n, truth, plan.window)
    delay = np.where(held, without, with_contact)

    # Invoices: 1 to 3 per customer, due on the same day, amounts log-normal.
    per_customer = rng.integers(1, 4, size=n)
    owner = np.repeat(np.arange(n), per_customer)
    m = owner.size
    amounts = np.round(rng.lognormal(np.log(1500), 0.8, size=m) * 100).astype(np.int64)
    start = np.datetime64(plan.start, "D")
    acted = start + rng.integers(0, 28, size=n)[owner].astype("timedelta64[D]")
    due = acted - np.timedelta64(plan.days_past_due, "D")
    issue = due - np.timedelta64(plan.terms_days, "D")
    doc_ids = np.arange(first_id, first_id + m)
    paid_delay = delay[owner]
    is_paid = paid_delay > 0

    prefix = plan.campaign
    cust_refs = customer_refs or [f"{prefix}-C{i:05d}" for i in range(n)]
    customers = pl.DataFrame(
        {
            "id": customer_ids,
            "ref": cust_refs,
            "name": [f"Customer {i}" for i in range(n)],
            "segment": [plan.segment] * n,
            "country": ["FR"] * n,
            "payment_terms": [f"{plan.terms_days} days"] * n,
        },
        schema=CUSTOMER_SCHEMA,
    )
    documents = pl.DataFrame(
        {
            "id": doc_ids,
            "ref": [f"{prefix}-F{i:06d}" for i in range(m)],
            "customer_id": customer_ids[owner],
            "customer_ref": [cust_refs[o] for o in owner],
            "kind": ["invoice"] * m,
            "issue_date": issue,
            "due_date": due,
            "amount": amounts,
            "currency": [plan.currency] * m,
            "disputed": [False] * m,
        },
        schema=DOCUMENT_SCHEMA,
    )
    paid_idx = np.flatnonzero(is_paid)
    pay_dates = acted[paid_idx] + paid_delay[paid_idx].astype("timedelta64[D]")
    pay_ids = np.arange(first_id, first_id + paid_idx.size)
    payments = pl.DataFrame(
        {
            "id": pay_ids,
            "ref": [f"{prefix}-P{i:06d}" for i in paid_idx],
            "customer_id": customer_ids[owner[paid_idx]],
            "customer_ref": [cust_refs[o] for o in owner[paid_idx]],
            "payment_date": pay_dates,
            "amount": amounts[paid_idx],
            "currency": [plan.currency] * paid_idx.size,
        },
        schema=PAYMENT_SCHEMA,
    )
    applications = pl.DataFrame(
        {
            "payment_id": pay_ids,
            "credit_note_id": [None] * paid_idx.size,
            "document_id": doc_ids[paid_idx],
            "applied_on": pay_dates,
            "amount": amounts[paid_idx],
            "currency": [plan.currency] * paid_idx.size,
        },
        schema=APPLICATION_SCHEMA,
    )
    ledger = Ledger(
        customers=customers,
        documents=documents,
        payments=payments,
        applications=applications,
        writeoffs=pl.DataFrame(schema=WRITEOFF_SCHEMA),
    )

    # One action per customer, on the day its invoices reach the step.
    first_doc = np.concatenate([[0], np.cumsum(per_customer)[:-1]])
    actions = pl.DataFrame(
        {
            "action_id": customer_ids,
            "customer_id": customer_ids,
            "campaign": [plan.campaign] * n,
            "segment": [plan.segment] * n,
            "step": [plan.step] * n,
            "channel": [plan.channel] * n,
            "acted_on": acted[first_doc],
            "state": np.where(held, "held_out", "sent"),
            "holdout": held,
            "cost": np.where(held, 0, plan.cost_minor),
            "currency": [plan.currency] * n,
            "collector": [None] * n,
        },
        schema=ACTION_SCHEMA,
    )
    items = pl.DataFrame(
        {"action_id": customer_ids[owner], "document_id": doc_ids, "stake": amounts},
        schema=ITEM_SCHEMA,
    )
    return SimulatedCampaign(ledger, actions, items, truth, plan)
