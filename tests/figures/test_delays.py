"""Payment delays weighted by amount, on-time rates and distribution."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from relance.figures.delays import BANDS, paid_invoices, payment_delays
from relance.figures.period import months_ending
from relance.figures.units import DAYS, RATE, rounded

from .book import AS_OF, book
from .figure_tables import ledger


def test_book_delays():
    """Payment applications effective 1 Jan - 15 Mar 2024 (P5, 20 Mar, is out;
    P4 is applied to nothing):

        payment  invoice  amount  to pay (paid - issued)   beyond terms (paid - due)
        P1       F1       400     20 Jan - 15 Nov = 66      20 Jan - 15 Dec = 36
        P3       F2       600     9 Feb - 10 Jan = 30       0
        P2       F4       300     25 Feb - 15 Feb = 10      25 Feb - 16 Mar = -20

    Total 1300. Days to pay = (400x66 + 600x30 + 300x10) / 1300 = 47400/1300
    = 36.46... -> 36.5. Beyond terms = (14400 + 0 - 6000) / 1300 = 6.46... -> 6.5.
    Days late (negative clipped to 0) = 14400 / 1300 = 11.07... -> 11.1.
    On time by count 2/3 -> 0.6667, by amount (600 + 300)/1300 = 0.6923...
    -> 0.6923. Distribution: early P2, on_time P3, 31_60 P1.
    """
    period = months_ending(AS_OF, 3)
    got = payment_delays(paid_invoices(book(), AS_OF), period.start, period.end)
    assert (got.payments, got.amount) == (3, 130000)
    assert rounded(got.days_to_pay, DAYS) == Decimal("36.5")
    assert rounded(got.days_beyond_terms, DAYS) == Decimal("6.5")
    assert rounded(got.days_late, DAYS) == Decimal("11.1")
    assert rounded(got.on_time_rate_count, RATE) == Decimal("0.6667")
    assert rounded(got.on_time_rate_amount, RATE) == Decimal("0.6923")
    assert got.distribution == {
        "early": (1, 30000),
        "on_time": (1, 60000),
        "1_5": (0, 0),
        "6_15": (0, 0),
        "16_30": (0, 0),
        "31_60": (1, 40000),
        "61_plus": (0, 0),
    }


@pytest.mark.parametrize(
    ("beyond", "band"),
    [
        (-1, "early"),
        (0, "on_time"),
        (1, "1_5"),
        (5, "1_5"),
        (6, "6_15"),
        (15, "6_15"),
        (16, "16_30"),
        (30, "16_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_plus"),
    ],
    ids=lambda v: str(v),
)
def test_distribution_bounds(beyond, band):
    """An invoice due 1 March 2024 paid `beyond` days after its due date."""
    paid_on = date(2024, 3, 1) + timedelta(days=beyond)
    books = ledger(
        """
        ref customer issue      due        amount
        F1  C1       2024-01-01 2024-03-01  10.00
        """,
        payments=f"""
        ref customer date      amount
        P1  C1       {paid_on} 10.00
        """,
        applied="""
        payment document amount
        P1      F1       10.00
        """,
    )
    got = payment_delays(
        paid_invoices(books, date(2024, 12, 31)), date(2024, 1, 1), date(2024, 12, 31)
    )
    assert got.distribution[band] == (1, 1000)
    assert sum(n for n, _ in got.distribution.values()) == 1
    assert set(got.distribution) == set(BANDS)


def test_credit_notes_are_not_payments():
    """A1 settles F1 on 20 March, 19 days late: a credit, not a payment, so no
    delay is measured at all."""
    books = ledger(
        """
        ref customer issue      due        amount
        F1  C1       2024-01-01 2024-03-01   10.00
        A1  C1       2024-03-20 2024-03-20  -10.00
        """,
        credits="""
        credit_note document amount on
        A1          F1       10.00  2024-03-20
        """,
    )
    got = payment_delays(
        paid_invoices(books, date(2024, 3, 31)), date(2024, 1, 1), date(2024, 3, 31)
    )
    assert got.payments == 0
    assert got.days_late is None and got.on_time_rate_count is None


def test_prepayment_counts_from_the_invoice_date():
    """P1 arrives 5 Feb, before F1 is issued on 10 Feb: applied when F1 exists,
    10 Feb. Days to pay 0, beyond terms 10 Feb - 11 Mar = -30 (early)."""
    books = ledger(
        """
        ref customer issue      due        amount
        F1  C1       2024-02-10 2024-03-11  10.00
        """,
        payments="""
        ref customer date       amount
        P1  C1       2024-02-05 10.00
        """,
        applied="""
        payment document amount
        P1      F1       10.00
        """,
    )
    got = payment_delays(
        paid_invoices(books, date(2024, 3, 31)), date(2024, 2, 1), date(2024, 3, 31)
    )
    assert (got.days_to_pay, got.days_beyond_terms, got.days_late) == (0, -30, 0)
