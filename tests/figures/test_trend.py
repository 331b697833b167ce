"""Monthly trend: each point is the figures as of that month-end."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from relance.domain.ledger import effective_applications
from relance.figures.aging import aged_items
from relance.figures.period import month_ends, months_ending
from relance.figures.receivables import receivables_of, receivables_total
from relance.figures.summary import currency_figures
from relance.figures.trend import balances_at, monthly_trend
from relance.figures.units import DAYS, PERCENT, rounded

from .book import AS_OF, book
from .figure_tables import ledger


def test_book_trend_point_at_end_of_february():
    """The point of February 2024, as of 29 Feb, over 3 months (1 Dec - 29 Feb,
    31 + 31 + 29 = 91 days).

    AR: F1 1000 - 400 = 600, F3 1200, F4 900 - 300 = 600, A1 -100, F6 500 - 200
    (written off on 29 Feb) = 300; F5 and P4 come in March. AR = 2600.
    Overdue (due before 29 Feb): F1 600 + A1 -100 + F6 300 = 800; not due 1800.
    Sales 1 Dec - 29 Feb: F6 500 + F2 600 + F3 1200 + F4 900 + A1 -100 = 3100.
    DSO = 2600 / 3100 x 91 = 76.32... -> 76.3; best possible 1800 / 3100 x 91
    = 52.83... -> 52.8; days delinquent 800 / 3100 x 91 = 23.48... -> 23.5.
    Count-back: February 800 over 29 days -> 1800 left; January 1800 covers it
    whole: 29 + 31 = 60.0.
    CEI: AR on 30 Nov = F1 1000; (1000 + 3100 - 2600) / (1000 + 3100 - 1800)
    = 1500 / 2300 = 65.217... -> 65.22.
    Delays of 1 Dec - 29 Feb: P1, P3 and P2, as in the headline: 36.5 days to pay.
    """
    trend = monthly_trend(book(), AS_OF, count=24, window=3)
    assert [p.as_of for p in trend[-3:]] == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 15),
    ]
    feb = trend[-2]
    assert (feb.period.start, feb.period.days) == (date(2023, 12, 1), 91)
    assert (feb.receivables, feb.overdue, feb.not_due, feb.sales) == (
        260000,
        80000,
        180000,
        310000,
    )
    assert rounded(feb.dso_accounting, DAYS) == Decimal("76.3")
    assert rounded(feb.best_possible, DAYS) == Decimal("52.8")
    assert rounded(feb.days_delinquent, DAYS) == Decimal("23.5")
    assert feb.dso_countback == 60
    assert rounded(feb.cei, PERCENT) == Decimal("65.22")
    assert rounded(feb.delays.days_to_pay, DAYS) == Decimal("36.5")


def test_last_point_is_the_headline():
    """As of D over 3 months: AR 2850, DSO 73.7, count-back 74.1, CEI 44.29
    (see test_dso and test_cei)."""
    last = monthly_trend(book(), AS_OF, count=24, window=3)[-1]
    assert (last.as_of, last.receivables, last.overdue, last.sales) == (
        AS_OF,
        285000,
        200000,
        290000,
    )
    assert rounded(last.dso_accounting, DAYS) == Decimal("73.7")
    assert rounded(last.dso_countback, DAYS) == Decimal("74.1")
    assert rounded(last.cei, PERCENT) == Decimal("44.29")


def _random_book(seed: int):
    """A random little book: invoices, credit notes, (partial, late, early,
    advance) payments, unapplied cash, credit notes used, write-offs."""
    rnd = random.Random(seed)
    start = date(2022, 6, 1)
    docs = ["ref customer issue due amount"]
    pays = ["ref customer date amount"]
    applied = ["payment document amount"]
    credits = ["credit_note document amount on"]
    writeoffs = ["document date amount"]
    invoices = []
    for i in range(60):
        issue = start + timedelta(days=rnd.randrange(700))
        due = issue + timedelta(days=rnd.choice([0, 30, 45, 60]))
        customer = f"C{rnd.randrange(5)}"
        amount = rnd.randrange(100, 5000)
        docs.append(f"F{i} {customer} {issue} {due} {amount}.00")
        invoices.append((f"F{i}", customer, issue, due, amount))
    for i, (ref, customer, issue, due, amount) in enumerate(invoices):
        fate = rnd.random()
        if fate < 0.6:
            paid = due + timedelta(days=rnd.randrange(-40, 120))
            part = amount if rnd.random() < 0.8 else amount // 2
            pays.append(f"P{i} {customer} {paid} {part + rnd.choice([0, 0, 7])}.00")
            applied.append(f"P{i} {ref} {part}.00")
        elif fate < 0.7:
            on = issue + timedelta(days=rnd.randrange(10, 90))
            docs.append(f"A{i} {customer} {on} {on} -{amount // 3}.00")
            credits.append(f"A{i} {ref} {amount // 3}.00 {on}")
        elif fate < 0.8:
            writeoffs.append(
                f"{ref} {due + timedelta(days=rnd.randrange(90, 300))} {amount}.00"
            )
        elif fate < 0.85:
            docs.append(f"A{i} {customer} {issue} {issue} -{amount // 4}.00")
        else:
            pays.append(f"U{i} {customer} {issue} 99.00")
    join = "\n".join
    return ledger(join(docs), join(pays), join(applied), join(credits), join(writeoffs))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_one_pass_balances_match_the_replay(seed):
    """AR, overdue and not due computed in one pass for 30 month-ends equal those
    of `open_items` and `unapplied_cash` replayed at each date."""
    books = _random_book(seed)
    apps = effective_applications(books)
    days = month_ends(date(2024, 6, 15), 30)
    fast = balances_at(books, days).to_dicts()
    for row in fast:
        slow = receivables_of(aged_items(books, row["as_of"]))
        assert (row["receivables"], row["overdue"], row["not_due"]) == (
            slow.total,
            slow.overdue,
            slow.not_due,
        ), row["as_of"]
        assert receivables_total(books, row["as_of"], apps) == slow.total


def test_one_customer_paid_by_another():
    """P1 from C1 pays C2's invoice F2 in full. Seen for C2 alone, F2 is settled
    and there is no cash of C2's: AR 0. Seen for C1 alone, the application is to
    a document outside the part, so P1 is unapplied cash there: 100 - 40 = 60.
    The three ways of computing AR agree on both parts."""
    books = ledger(
        """
        ref customer issue      due        amount
        F1  C1       2024-01-10 2024-02-09 100.00
        F2  C2       2024-01-10 2024-02-09  40.00
        """,
        payments="""
        ref customer date       amount
        P1  C1       2024-02-01 40.00
        """,
        applied="""
        payment document amount
        P1      F2       40.00
        """,
    )
    for ref, expected in (("C1", 6000), ("C2", 0)):
        part = books.for_customer(ref)
        as_of = date(2024, 3, 31)
        slow = receivables_of(aged_items(part, as_of)).total
        fast = balances_at(part, [as_of])["receivables"].item()
        total = receivables_total(part, as_of, effective_applications(part))
        assert slow == fast == total == expected


@pytest.mark.parametrize("seed", [4, 5])
def test_trend_points_match_the_headline_at_each_month_end(seed):
    """Every fifth trend point equals the full figures computed as of its date."""
    books = _random_book(seed)
    as_of = date(2024, 4, 20)
    trend = monthly_trend(books, as_of, count=24, window=6)
    for point in trend[::5] + [trend[-1]]:
        full = currency_figures(
            books, "EUR", point.as_of, months_ending(point.as_of, 6), None
        )
        assert point.receivables == full.receivables.total
        assert point.sales == full.sales
        assert point.dso_accounting == full.dso_accounting
        assert point.dso_countback == full.dso_countback
        assert point.best_possible == full.best_possible
        assert point.cei == full.cei
        assert point.delays == full.delays
