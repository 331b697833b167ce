"""Aged balance: buckets by days past due, unapplied cash, credit notes, replay."""

from datetime import date, timedelta

import pytest

from relance.figures.aging import aged_by_customer, aged_items
from relance.figures.receivables import receivables_of

from .book import AS_OF, book
from .figure_tables import eur, ledger

D = date(2024, 6, 30)


@pytest.mark.parametrize(
    ("days_past_due", "bucket"),
    [
        (-1, "not_due"),
        (0, "not_due"),  # due on D: not overdue on D
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "over_90"),
    ],
    ids=lambda v: str(v),
)
def test_bucket_bounds_are_inclusive(days_past_due, bucket):
    """One invoice due `days_past_due` days before 30 June 2024, 10.00 open."""
    due = D - timedelta(days=days_past_due)
    books = ledger(
        f"""
        ref customer issue      due      amount
        F1  C1       2024-01-01 {due}    10.00
        """
    )
    items = aged_items(books, D)
    assert items["days_past_due"].to_list() == [days_past_due]
    assert receivables_of(items).aging[bucket] == 1000


def test_calendar_bounds():
    """Due dates chosen on the calendar, as of 30 June 2024.

    31 May is 30 days before (1_30); 30 May 31 days (31_60); 1 May 60 days
    (30 to 31 May + 30 to 30 June; 31_60); 30 April 61 days (61_90); 1 April 90
    (30 + 31 + 29; 61_90); 31 March 91 (over_90).
    """
    books = ledger(
        """
        ref customer issue      due        amount
        A   C1       2024-01-01 2024-05-31   1.00
        B   C1       2024-01-01 2024-05-30   2.00
        C   C1       2024-01-01 2024-05-01   4.00
        E   C1       2024-01-01 2024-04-30   8.00
        G   C1       2024-01-01 2024-04-01  16.00
        H   C1       2024-01-01 2024-03-31  32.00
        """
    )
    got = receivables_of(aged_items(books, D)).aging
    assert got == {
        "not_due": 0,
        "1_30": 100,
        "31_60": 200 + 400,
        "61_90": 800 + 1600,
        "over_90": 3200,
        "unapplied": 0,
    }


def test_book_aging_adds_up_to_receivables():
    """The book (tests/figures/book.py) as of 15 March 2024.

    not_due = F4 600 + F5 300 = 900; 1_30 = F3 1200 + A1 (-100) = 1100;
    31_60 = 0; 61_90 = F6 500 - 200 written off = 300; over_90 = F1 1000 - 400 = 600
    (P5's 200 is dated 20 March, after D); unapplied = -P4 50.
    AR = 900 + 1100 + 300 + 600 - 50 = 2850; overdue = 1100 + 300 + 600 = 2000.
    """
    ar = receivables_of(aged_items(book(), AS_OF))
    assert {k: eur(v) for k, v in ar.aging.items()} == {
        "not_due": eur(90000),
        "1_30": eur(110000),
        "31_60": 0,
        "61_90": eur(30000),
        "over_90": eur(60000),
        "unapplied": eur(-5000),
    }
    assert (ar.total, ar.overdue, ar.not_due, ar.unapplied) == (
        285000,
        200000,
        90000,
        -5000,
    )


def test_payment_after_as_of_is_ignored():
    """F1 is 1000 - P1 400 = 600 open on 15 March; P5 (20 March) makes it 400 on
    20 March. F1 is then 16 + 31 + 29 + 20 = 96 days past due."""
    items = aged_items(book(), AS_OF)
    assert items.filter(items["ref"] == "F1")["residual"].item() == 60000
    later = aged_items(book(), date(2024, 3, 20))
    f1 = later.filter(later["ref"] == "F1")
    assert (f1["residual"].item(), f1["days_past_due"].item()) == (40000, 96)


def test_credit_note_unapplied_then_applied():
    """A credit note is a negative item in its own bucket until it is used.

    As of 10 March: F1 100 due 1 March (9 days, 1_30); A1 -30 due 5 Feb (34 days,
    31_60). AR = 70. On 12 March A1 is set against F1: F1 70 open, A1 gone; AR is
    still 70, now all in 1_30.
    """
    books = ledger(
        """
        ref customer issue      due        amount
        F1  C1       2024-01-31 2024-03-01  100.00
        A1  C1       2024-02-05 2024-02-05  -30.00
        """,
        credits="""
        credit_note document amount on
        A1          F1       30.00  2024-03-12
        """,
    )
    before = receivables_of(aged_items(books, date(2024, 3, 10)))
    assert (before.aging["1_30"], before.aging["31_60"], before.total) == (
        10000,
        -3000,
        7000,
    )
    after = aged_items(books, date(2024, 3, 12))
    assert after["ref"].to_list() == ["F1"]
    assert receivables_of(after).aging["1_30"] == 7000


def test_aged_by_customer():
    """Per customer, as of 15 March, sorted by balance:
    C2: 1_30 F3 1200, not_due F4 600 -> 1800;
    C3: not_due F5 300, 61_90 F6 300, unapplied -50 -> 550;
    C1: over_90 F1 600, 1_30 A1 -100 -> 500."""
    b = book()
    rows = aged_by_customer(aged_items(b, AS_OF), b.customers)
    assert rows["customer_ref"].to_list() == ["C2", "C3", "C1"]
    assert rows["balance"].to_list() == [180000, 55000, 50000]
    assert rows["overdue"].to_list() == [120000, 30000, 50000]
    c3 = rows.row(1, named=True)
    assert (c3["not_due"], c3["61_90"], c3["unapplied"], c3["name"]) == (
        30000,
        30000,
        -5000,
        "Durand et fils",
    )
