"""Kaplan–Meier time to pay on tiny examples computed by hand."""

from datetime import date
from decimal import Decimal

import numpy as np
import polars as pl
import pytest
from tests.roi.books import ledger

from relance.roi.collections import settlements
from relance.roi.survival import (
    curves_by,
    fit_curve,
    paid_sooner,
    restricted_means,
    time_to_pay,
)

DUE = date(2024, 3, 1)


def test_median_all_paid():
    """Paid 2, 3, 3, 5, 8 days after due: the curve is 4/5 after day 2, 2/5 after
    day 3. Median = 3 (first day at or below one half). Mean = (2+3+3+5+8)/5 = 4.2."""
    curve = fit_curve("g", np.array([2, 3, 3, 5, 8]), np.array([True] * 5), horizon=30)
    assert curve.median_days == Decimal("3.0")
    assert curve.mean_days == Decimal("4.2")
    assert curve.unpaid_share[list(curve.timeline).index(2.0)] == pytest.approx(0.8)


def test_median_with_an_open_invoice():
    """1, 2 (still open), 3, 4, 5 days. After day 1: 4/5 = 0.8. Day 2 is censored:
    3 at risk on day 3, curve 0.8 × 2/3 = 0.5333; day 4: 0.5333 × 1/2 = 0.2667;
    day 5: 0. Median = 4. Area up to day 10 = 1×1 + 0.8×2 + 0.5333×1 + 0.2667×1 = 3.4.
    """
    curve = fit_curve(
        "g", np.array([1, 2, 3, 4, 5]), np.array([1, 0, 1, 1, 1], bool), 10
    )
    assert curve.median_days == Decimal("4.0")
    assert curve.mean_days == Decimal("3.4")
    assert (curve.invoices, curve.paid) == (5, 4)


def test_numpy_restricted_mean_matches_lifelines():
    rng = np.random.default_rng(3)
    days = rng.integers(0, 90, 200)
    paid = rng.random(200) < 0.8
    curve = fit_curve("g", days, paid, horizon=60)
    mine = restricted_means(days, paid, np.ones((1, 200)), 60)[0]
    assert mine == pytest.approx(curve.area)


def test_time_to_pay_from_the_ledger():
    """As of 1 May 2024, five invoices due 1 March:

    F1 paid 11 Mar → 10 days, paid; F2 paid 20 Feb (early) → day 0, paid;
    F3 open → censored at 61 days (1 Mar → 1 May); F4 written off 1 Apr → censored
    at 31 days; F5 fully credited → left out; F6 due 10 May → not yet due, left out.
    """
    issue = date(2024, 2, 1)
    book = ledger(
        [
            (1, 1, issue, DUE, 100),
            (2, 1, issue, DUE, 100),
            (3, 1, issue, DUE, 100),
            (4, 1, issue, DUE, 100),
            (5, 1, issue, DUE, 100),
            (6, 1, date(2024, 4, 10), date(2024, 5, 10), 100),
        ],
        paid=[(1, date(2024, 3, 11), 100), (2, date(2024, 2, 20), 100)],
        written=[(4, date(2024, 4, 1), 100)],
        credits=[(9, 5, date(2024, 3, 5), 100)],
    )
    frame = time_to_pay(settlements(book, date(2024, 5, 1)), date(2024, 5, 1))
    got = dict(
        zip(
            frame["document_id"],
            zip(frame["days"], frame["paid"], strict=True),
            strict=True,
        )
    )
    assert got == {1: (10, True), 2: (0, True), 3: (61, False), 4: (31, False)}


def test_curves_by_group_and_days_sooner():
    """Group a pays on days 2, 4, 6; group b on 7, 9, 11: b's mean is 5 days longer."""
    frame = pl.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 5, 6],
            "group": ["a", "a", "a", "b", "b", "b"],
            "days": [2, 4, 6, 7, 9, 11],
            "paid": [True] * 6,
        }
    )
    a, b = curves_by(frame, "group", horizon=30)
    assert (a.label, a.median_days, b.median_days) == (
        "a",
        Decimal("4.0"),
        Decimal("9.0"),
    )
    sooner = paid_sooner(frame, "a", "b", horizon=30, reps=100, seed=0)
    assert sooner.days == Decimal("5.0")
    assert sooner.interval.low <= Decimal(5) <= sooner.interval.high
