"""DSO by the accounting and count-back methods, best possible, days delinquent."""

from decimal import Decimal

import pytest

from relance.figures.dso import (
    accounting_dso,
    best_possible_dso,
    countback_dso,
    days_delinquent,
)
from relance.figures.period import months_ending
from relance.figures.summary import currency_figures
from relance.figures.units import DAYS, rounded

from .book import AS_OF, book


@pytest.fixture(scope="module")
def figures():
    return currency_figures(book(), "EUR", AS_OF, months_ending(AS_OF, 3), None)


def days(value):
    return rounded(value, DAYS)


def test_sales_of_the_period(figures):
    """Issued 1 Jan - 15 Mar: F2 600 + F3 1200 + F4 900 + F5 300 + A1 (-100) = 2900.
    F1 (Nov) and F6 (Dec) are before the period."""
    assert figures.sales == 290000


def test_accounting_dso(figures):
    """AR 2850 / sales 2900 x 75 days = 73.7069... -> 73.7."""
    assert days(figures.dso_accounting) == Decimal("73.7")


def test_best_possible_and_days_delinquent(figures):
    """Best possible: not yet due 900 / 2900 x 75 = 23.2758... -> 23.3.
    Days delinquent: (2850 - 900) / 2900 x 75 = 50.4310... -> 50.4."""
    assert days(figures.best_possible) == Decimal("23.3")
    assert days(figures.days_delinquent) == Decimal("50.4")


def test_countback_dso_with_a_prorated_month(figures):
    """AR 2850, exhausted with the newest sales first:
    March to the 15th: F5 300 over 15 days -> 2550 left, 15 days;
    February: F4 900 + A1 (-100) = 800 over 29 days -> 1750 left, 44 days;
    January: F2 600 + F3 1200 = 1800 covers the 1750 left:
    44 + 1750 / 1800 x 31 = 44 + 30.1388... = 74.1388... -> 74.1."""
    assert days(figures.dso_countback) == Decimal("74.1")


@pytest.mark.parametrize(
    ("ar", "months", "expected"),
    [
        # Covered inside the current month: 50 / 100 x 10 days = 5.
        (5000, [(10000, 10)], Decimal(5)),
        # Exactly the current month's sales: the whole 10 days.
        (10000, [(10000, 10), (5000, 30)], Decimal(10)),
        # A month with negative net sales adds its days and leaves more to cover:
        # 10 days (100 + 20 = 120 left), 30 more (nothing sold), then
        # 120 / 240 x 31 = 15.5: 10 + 30 + 15.5 = 55.5.
        (10000, [(-2000, 10), (0, 30), (24000, 31)], Decimal("55.5")),
        # Nothing owed: zero days.
        (0, [(10000, 10)], Decimal(0)),
        (-500, [], Decimal(0)),
    ],
    ids=["within-month", "exact", "negative-month", "zero-ar", "negative-ar"],
)
def test_countback_rules(ar, months, expected):
    assert countback_dso(ar, months) == expected


def test_countback_not_exhausted_is_none():
    """AR 1000 but only 600 of sales ever recorded: it cannot be exhausted."""
    assert countback_dso(100000, [(30000, 15), (30000, 29)]) is None


def test_no_sales_no_dso():
    assert accounting_dso(100, 0, 30) is None
    assert best_possible_dso(100, -5, 30) is None
    assert days_delinquent(100, 50, 0, 30) is None
