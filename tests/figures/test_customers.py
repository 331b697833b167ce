"""Disputes and figures per customer."""

from datetime import date
from decimal import Decimal

from relance.figures.period import months_ending
from relance.figures.summary import currency_figures
from relance.figures.units import RATE, rounded

from .book import AS_OF, book


def _figures():
    return currency_figures(book(), "EUR", AS_OF, months_ending(AS_OF, 3), None)


def test_disputes():
    """F3 (1200) is disputed and open: share of AR = 1200 / 2850 = 0.42105...
    -> 0.4211."""
    disputes = _figures().disputes
    assert (disputes.items, disputes.amount) == (1, 120000)
    assert rounded(disputes.share, RATE) == Decimal("0.4211")


def test_per_customer():
    """As of 15 March, period 1 Jan - 15 Mar, sorted by overdue:

    C2: F3 1200 (overdue, disputed) + F4 600 (not due) = 1800; P2 paid F4 early:
        days late 0; last payment 25 Feb.
    C1: F1 600 (overdue) + A1 -100 (overdue credit note) = 500; days late
        (400 x 36 + 600 x 0) / 1000 = 14.4; last payment P3 on 9 Feb (P5 is
        after D).
    C3: F5 300 (not due) + F6 300 (overdue) - P4 50 unapplied = 550; no payment
        applied to an invoice: days late unknown; last payment P4 on 10 March.
    """
    rows = _figures().customers.to_dicts()
    assert [r["customer_ref"] for r in rows] == ["C2", "C1", "C3"]
    c2, c1, c3 = rows
    assert (c2["balance"], c2["overdue"], c2["not_due"], c2["disputed"]) == (
        180000,
        120000,
        60000,
        120000,
    )
    assert (c2["late_sum"], c2["paid"], c2["last_payment"]) == (
        0,
        30000,
        date(2024, 2, 25),
    )
    assert (c1["balance"], c1["overdue"], c1["not_due"]) == (50000, 50000, 0)
    assert Decimal(c1["late_sum"]) / c1["paid"] == Decimal("14.4")
    assert c1["last_payment"] == date(2024, 2, 9)
    assert (c3["balance"], c3["overdue"], c3["unapplied"], c3["paid"]) == (
        55000,
        30000,
        -5000,
        0,
    )
    assert c3["last_payment"] == date(2024, 3, 10)
    assert c3["name"] == "Durand et fils"
