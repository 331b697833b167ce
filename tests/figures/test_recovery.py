"""Recovery of overdue invoices: cohort and period rates, write-offs, bad debt."""

from datetime import date
from decimal import Decimal

from relance.figures.period import months_ending, since
from relance.figures.recovery import recovery
from relance.figures.units import RATE, rounded

from .book import AS_OF, book
from .figure_tables import ledger


def rate(value):
    return rounded(value, RATE)


def test_book_recovery():
    """Period 1 Jan - 15 Mar 2024; the eve is 31 Dec 2023.

    Opening stock (issued and due by 31 Dec): F1 1000 (due 15 Dec) and F6 500 (due
    31 Dec, overdue from 1 Jan) = 1500, nothing paid on them by 31 Dec.
    New overdue (due 1 Jan - 14 Mar): F2 due 9 Feb, paid by P3 on 9 Feb -> 0
    left; F3 due 1 Mar -> 1200 left. F4 is due 16 Mar, F5 4 Apr: not overdue yet.
    New overdue = 1200.
    Overdue collections: P1 400 on F1 (20 Jan, after 15 Dec). P3 on F2 is paid on
    its due date, P2 on F4 early: not overdue collections. = 400.
    Cohort rate = 400 / 1500 = 0.26666... -> 0.2667.
    Period rate = 400 / (1500 + 1200) = 0.148148... -> 0.1481.
    Write-offs in the period: F6 200.
    Bad debt: 12 months 1 Apr 2023 - 15 Mar 2024; sales F1 1000 + F6 500 + 2900
    = 4400; 200 / 4400 = 0.045454... -> 0.0455.
    """
    rec = recovery(book(), months_ending(AS_OF, 3))
    assert (rec.opening_overdue, rec.new_overdue) == (150000, 120000)
    assert (rec.overdue_collections, rec.opening_collections) == (40000, 40000)
    assert rate(rec.cohort_rate) == Decimal("0.2667")
    assert rate(rec.period_rate) == Decimal("0.1481")
    assert (rec.write_offs, rec.write_offs_12_months, rec.sales_12_months) == (
        20000,
        20000,
        440000,
    )
    assert rate(rec.bad_debt_ratio) == Decimal("0.0455")


def test_credit_note_on_overdue_invoice_is_a_collection():
    """Period 1 - 31 March. F1 100 due 15 Feb: opening stock 100. A1 -30 set
    against it on 5 March and P1 50 on 20 March, both after its due date: overdue
    collections 80, cohort rate 80/100 = 0.8. F2 200 due 10 March, half paid on
    10 March (on its due date, so not an overdue collection): new overdue = 100
    left at the end of 10 March. Period rate = 80 / (100 + 100) = 0.4.
    """
    books = ledger(
        """
        ref customer issue      due        amount
        F1  C1       2024-01-15 2024-02-15  100.00
        A1  C1       2024-03-05 2024-03-05  -30.00
        F2  C1       2024-02-10 2024-03-10  200.00
        """,
        payments="""
        ref customer date       amount
        P1  C1       2024-03-20 50.00
        P2  C1       2024-03-10 100.00
        """,
        applied="""
        payment document amount
        P1      F1       50.00
        P2      F2       100.00
        """,
        credits="""
        credit_note document amount on
        A1          F1       30.00  2024-03-05
        """,
    )
    rec = recovery(books, since(date(2024, 3, 1), date(2024, 3, 31)))
    assert (rec.opening_overdue, rec.new_overdue, rec.overdue_collections) == (
        10000,
        10000,
        8000,
    )
    assert rec.cohort_rate == Decimal("0.8")
    assert rec.period_rate == Decimal("0.4")


def test_rates_are_none_without_a_stock():
    """Nothing overdue ever: no rate to give (and no sales: no bad-debt ratio)."""
    books = ledger(
        """
        ref customer issue      due        amount
        F1  C1       2024-03-01 2024-04-30  100.00
        """
    )
    rec = recovery(books, since(date(2024, 3, 10), date(2024, 3, 31)))
    assert rec.cohort_rate is None and rec.period_rate is None
    assert rec.bad_debt_ratio == 0
    empty = recovery(books, since(date(2023, 1, 1), date(2023, 1, 31)))
    assert empty.bad_debt_ratio is None
