"""Honesty of the estimators on campaigns whose true effect is known.

`relance.roi.simulate` draws campaigns where contacted customers pay within the
window with probability base_rate + uplift and held-out ones with base_rate, so the
true uplift, by count and by amount, is `uplift` (0.15 here). Over 20 seeds the
95 % interval must hold it most of the time (we require 17 of 20: a correct 95 %
interval misses 3 or more times in 20 with probability about 7.5 %, and the seeds
are fixed, so this test is deterministic), and the direct ROI must overstate the
incremental one every time.
"""

from datetime import date
from decimal import Decimal

import polars as pl

from relance.roi.attribution import direct_return
from relance.roi.collections import settlements
from relance.roi.incremental import customer_table, incremental_return
from relance.roi.measures import measure
from relance.roi.simulate import CampaignPlan, CampaignTruth, simulate
from relance.roi.survival import paid_sooner, time_to_pay

SEEDS = range(20)
PLAN = CampaignPlan(customers=300)


def _estimate(truth: CampaignTruth, seed: int):
    campaign = simulate(truth, PLAN, seed=seed)
    m = measure(campaign.actions, campaign.items, campaign.ledger, PLAN.window)
    (direct,) = direct_return(m.actions, m.attributed, [])
    (incremental,) = incremental_return(
        customer_table(m.actions, m.collected, []), [], reps=200, seed=seed
    )
    return direct, incremental


def test_incremental_interval_recovers_the_true_uplift():
    truth = CampaignTruth(uplift=0.15)
    true = Decimal("0.15")
    by_amount = by_count = 0
    for seed in SEEDS:
        direct, inc = _estimate(truth, seed)
        by_amount += inc.uplift_amount_ci.contains(true)
        by_count += inc.uplift_count_ci.contains(true)
        # The direct ROI counts what would have come anyway: always above.
        assert direct.roi > inc.roi_ci.high
        assert direct.collected > 2 * inc.incremental_amount
    assert by_amount >= 17
    assert by_count >= 17


def test_no_effect_is_not_mistaken_for_one():
    """With no true effect the interval holds zero most of the time, and says so."""
    holds_zero = 0
    for seed in SEEDS:
        _, inc = _estimate(CampaignTruth(uplift=0.0, days_sooner=0), seed)
        holds_zero += inc.uplift_amount_ci.contains(Decimal(0))
        if inc.uplift_amount_ci.contains(Decimal(0)):
            assert not inc.conclusive
            assert any("includes zero" in w for w in inc.warnings)
    assert holds_zero >= 17


def test_days_sooner_recovered_by_the_survival_curves():
    """Every contacted invoice is paid exactly 5 days sooner (no uplift, all pay).

    The difference of restricted means (horizon 200 days, beyond every payment)
    must hold 5 in its interval for at least 17 seeds of 20.
    """
    truth = CampaignTruth(uplift=0.0, days_sooner=5, never_share=0.0)
    held = 0
    for seed in SEEDS:
        campaign = simulate(truth, PLAN, seed=seed)
        m = measure(campaign.actions, campaign.items, campaign.ledger, PLAN.window)
        groups = m.collected.select("document_id", "customer_id", "group")
        ttp = time_to_pay(
            settlements(campaign.ledger, date(2025, 1, 1)), date(2025, 1, 1)
        )
        frame = ttp.drop("customer_id").join(groups, on="document_id")
        assert frame.filter(pl.col("paid")).height == frame.height
        result = paid_sooner(
            frame, "contacted", "held_out", horizon=200, reps=150, seed=seed
        )
        held += result.interval.contains(Decimal(5))
    assert held >= 17
