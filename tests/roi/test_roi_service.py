"""`relance roi` over the store: the same figures as the pure estimators, plus the
store's own rules (segments and collectors from the customer, immature actions)."""

from datetime import date
from decimal import Decimal

import pytest

from relance.demo.campaign import record_demo_reminders, simulate_campaign
from relance.demo.generator import ReminderEffect, books_to_batch, generate_books
from relance.roi.attribution import direct_return
from relance.roi.incremental import customer_table, incremental_return
from relance.roi.measures import measure
from relance.roi.simulate import CampaignPlan, CampaignTruth, simulate
from relance.services.roi import RoiOptions, roi
from relance.services.roi_json import jsonable
from relance.store.writer import write_batch

PLAN = CampaignPlan(customers=120, campaign="spring")
AS_OF = date(2024, 12, 31)


@pytest.fixture
def campaign_store(store):
    simulate_campaign(store, CampaignTruth(), PLAN, seed=4)
    return store


def test_store_round_trip_gives_the_pure_figures(campaign_store):
    """The store holds the simulated campaign: the service must find exactly what the
    estimators find on the simulated frames themselves."""
    sim = simulate(CampaignTruth(), PLAN, seed=4)
    m = measure(sim.actions, sim.items, sim.ledger, 30)
    (direct,) = direct_return(m.actions, m.attributed, [])
    (inc,) = incremental_return(
        customer_table(m.actions, m.collected, []), [], reps=100, seed=0
    )

    result = roi(
        campaign_store, RoiOptions(as_of=AS_OF, reps=100, by=("step", "segment"))
    )
    (cur,) = result.currencies
    assert (cur.direct.collected, cur.direct.cost, cur.direct.actions) == (
        direct.collected,
        direct.cost,
        direct.actions,
    )
    assert cur.incremental.uplift_amount == inc.uplift_amount
    assert cur.incremental.incremental_amount == inc.incremental_amount
    assert [r.key for r in cur.direct_by] == [
        {"step": "email_2", "segment": "standard"}
    ]
    assert cur.time_to_pay.sooner is not None
    assert cur.treasury_measured.days_gained == cur.time_to_pay.sooner.days
    assert result.left_out_actions == 0


def test_immature_actions_are_left_out_and_said(campaign_store):
    """The campaign's actions run 1 to 28 March 2024; as of 15 April a 30-day window
    has ended only for actions up to 16 March."""
    result = roi(
        campaign_store,
        RoiOptions(as_of=date(2024, 4, 15), start=date(2024, 3, 1), reps=50),
    )
    assert result.left_out_actions > 0
    assert "window ends after 2024-04-15" in result.notes[0]
    (cur,) = result.currencies
    assert cur.direct.actions + result.left_out_actions <= 120


def test_json_is_plain(campaign_store):
    body = jsonable(roi(campaign_store, RoiOptions(as_of=AS_OF, reps=50)))
    cur = body["currencies"][0]
    assert cur["direct"]["label"] == "attributed, not caused"
    assert isinstance(cur["direct"]["collected"], str)
    assert cur["before_after"]["label"] == "before/after comparison: not causal"


def test_demo_reminders_recorded_as_actions(store):
    """The generator's reminders become one action per customer and day, held-out
    customers' as `held_out` with no cost; recording twice adds nothing."""
    books = generate_books(3, 40, effect=ReminderEffect(days=8, holdout_share=0.5))
    with store.transaction() as s:
        write_batch(s, books_to_batch(books))
    first = record_demo_reminders(store, books, true_days=8)
    heads = books.reminders.select("customer_id", "reminder_date").unique().height
    assert first.contacted + first.held_out == heads
    assert first.items == books.reminders.height
    held_customers = (
        books.reminders.filter("holdout").get_column("customer_id").n_unique()
    )
    assert held_customers > 0 and first.held_out > 0
    again = record_demo_reminders(store, books, true_days=8)
    assert (again.contacted, again.held_out) == (first.contacted, first.held_out)
    result = roi(store, RoiOptions(as_of=books.end, reps=50))
    (cur,) = result.currencies
    assert cur.incremental.held_out.customers > 0


def test_team_reads_promises_and_disputes_from_the_store(campaign_store):
    """One promise (kept, due 20 March) and one dispute closed in 12 days, both on
    the first simulated customer, whose collector is `alice`: the promise's
    collector comes from the customer, the dispute's owner is given."""
    from sqlalchemy import select, update

    from relance.store import models as m

    with campaign_store.transaction() as s:
        customer = (
            s.execute(select(m.Customer).order_by(m.Customer.ref)).scalars().first()
        )
        s.execute(
            update(m.Customer)
            .where(m.Customer.id == customer.id)
            .values(collector="alice")
        )
        doc = (
            s.execute(select(m.Document).where(m.Document.customer_id == customer.id))
            .scalars()
            .first()
        )
        s.add(
            m.Promise(
                customer_id=customer.id,
                document_id=doc.id,
                recorded_on=date(2024, 3, 10),
                promised_for=date(2024, 3, 20),
                amount_minor=10000,
                currency="EUR",
                status="kept",
            )
        )
        s.add(
            m.Dispute(
                document_id=doc.id,
                reason_code="price",
                owner="alice",
                opened_on=date(2024, 3, 1),
                closed_on=date(2024, 3, 13),
            )
        )
    result = roi(campaign_store, RoiOptions(as_of=AS_OF, reps=50))
    (cur,) = result.currencies
    alice = next(t for t in cur.team if t.collector == "alice")
    assert (alice.promises, alice.promises_kept, alice.kept_rate) == (1, 1, 1)
    assert (alice.disputes_resolved, alice.days_to_resolve_mean) == (1, Decimal("12.0"))
    assert alice.actions <= 1
