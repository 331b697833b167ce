"""What-if simulation: exact on a history that never pays, sane on a real one."""

from decimal import Decimal

import numpy as np
import pytest

from relance.roi.whatif import History, StepModel, Strategy, simulate_whatif


def _never_paid(n: int = 50) -> History:
    """Invoices that nobody paid within the 120-day horizon: no natural payment."""
    return History(
        days=np.full(n, 120),
        paid=np.zeros(n, bool),
        amounts=np.full(n, 100000),
        customers=np.arange(n),
        yearly_amount_minor=10_000_000,
        yearly_invoices=100,
    )


def _step(offset: int, response: float = 0.30) -> StepModel:
    return StepModel(
        "call", offset, "phone", 200, response, 0.0, profile=(0.1,) * 10, measured=True
    )


def test_adding_a_call_on_a_history_that_never_pays():
    """A call at +10 that gets 30 % paid, spread over days 11 to 20 (3 % a day).

    Today (no step): nothing collected by day 60, mean days = horizon = 120.
    With the call: collected by day 60 = 30 % × 100,000.00 = 30,000.00 a year;
    unpaid share 1 up to day 10, 1 − 0.03 k on day 10 + k, then 0.70 to day 119:
    mean = 11 + (10 − 0.03 × 55) + 0.70 × 99 = 11 + 8.35 + 69.3 = 88.65 days.
    Every invoice is still open at +10: 100 calls at 2.00 = 200.00 a year.
    Cash released = (120 − 88.65) × 100,000 / 365 = 8,589.04.
    """
    result = simulate_whatif(
        _never_paid(),
        Strategy("today", ()),
        Strategy("today", ()).added(_step(10)),
        "EUR",
        reps=20,
    )
    assert result.today.collected_by_day.value == Decimal("0.00")
    assert result.today.mean_days_to_pay.value == Decimal("120.0")
    assert result.proposed.collected_by_day.value == Decimal("30000.00")
    assert float(result.proposed.mean_days_to_pay.value) == pytest.approx(
        88.65, abs=0.051
    )
    assert result.proposed.contacts.value == Decimal(100)
    assert result.difference.cost.value == Decimal("200.00")
    assert result.difference.cash_released.value == Decimal("8589.04")
    assert result.assumptions == ()


def test_the_same_strategy_changes_nothing():
    today = Strategy("today", (_step(10),))
    result = simulate_whatif(_never_paid(), today, today, "EUR", reps=20)
    assert result.difference.collected_by_day.value == 0
    assert (
        result.difference.collected_by_day.low
        == result.difference.collected_by_day.high
        == 0
    )


def _real_history(seed: int = 5, n: int = 400) -> History:
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 150, n)
    return History(
        days=days,
        paid=days < 120,
        amounts=rng.integers(10_000, 500_000, n),
        customers=rng.integers(0, n // 2, n),
        yearly_amount_minor=50_000_000,
        yearly_invoices=n,
    )


def test_moving_a_step_earlier_pays_sooner_and_is_seeded():
    today = Strategy("today", (_step(20, 0.03),))
    sooner = today.moved("call", 5)
    first = simulate_whatif(_real_history(), today, sooner, "EUR", reps=50, seed=3)
    again = simulate_whatif(_real_history(), today, sooner, "EUR", reps=50, seed=3)
    assert first == again
    assert first.difference.mean_days_to_pay.value < 0
    assert first.difference.mean_days_to_pay.high <= 0
    assert first.difference.cash_released.value > 0
    # Today's strategy, replayed through the model, matches the history.
    assert abs(first.calibration_gap_days) <= Decimal("0.5")


def test_a_response_larger_than_the_history_allows_is_flagged():
    """Uniform delays over 150 days pay under 1 % a day; a call said to bring 10 %
    in 10 days adds more than that: the replay of today drifts, and the result says so.
    """
    today = Strategy("today", (_step(20, 0.10),))
    result = simulate_whatif(_real_history(), today, today, "EUR", reps=10)
    assert abs(result.calibration_gap_days) >= Decimal("0.5")
    assert any("probably overstated" in note for note in result.assumptions)


def test_an_assumed_response_is_said_to_be_one():
    today = Strategy("today", ())
    guess = StepModel("pre_due", -5, "email", 10, 0.05)
    result = simulate_whatif(_real_history(), today, today.added(guess), "EUR", reps=30)
    assert result.assumptions and "assumed at 5%" in result.assumptions[0]
    assert (
        result.difference.collected_by_day.low < result.difference.collected_by_day.high
    )


def test_unknown_step_is_refused():
    with pytest.raises(ValueError, match="no step 'email_9'"):
        Strategy("today", (_step(10),)).moved("email_9", 3)
