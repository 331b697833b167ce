"""Edges found by trying the figures as a credit manager would.

Overpaid invoices, credit notes larger than what is left, and books whose credit
outweighs what is owed. Every expected value is worked out by hand below.
"""

from datetime import date
from decimal import Decimal

from relance.domain.ledger import effective_applications, open_items, unapplied_cash
from relance.figures.cei import collection_effectiveness
from relance.figures.period import months_ending
from relance.figures.summary import currency_figures
from relance.figures.units import DAYS, PERCENT, rounded

from .figure_tables import ledger

D = date(2024, 3, 15)


def _overpaid():
    """F1 1000.00 (C1, issued 10 Jan, due 9 Feb) paid 1200.00 by P1 on 1 Feb."""
    return ledger(
        """
        ref customer issue      due        amount
        F1  C1       2024-01-10 2024-02-09 1000.00
        """,
        """
        ref customer date       amount
        P1  C1       2024-02-01 1200.00
        """,
        """
        payment document amount
        P1      F1       1200.00
        """,
    )


def test_overpayment_excess_is_unapplied_cash():
    """F1 is settled for its 1000.00 and leaves the aging; the 200.00 P1 paid
    beyond it is unapplied cash of C1 (−200.00), not an invoice open for −200.00
    in the 31_60 bucket (15 Mar − 9 Feb = 20 + 15 = 35 days).

    AR = −200.00 = unapplied; overdue 0.00.
    """
    books = _overpaid()
    assert open_items(books, D).height == 0
    assert unapplied_cash(books, D)["unapplied"].to_list() == [20000]
    fig = currency_figures(books, "EUR", D, months_ending(D, 3), None)
    assert fig.receivables.total == -20000
    assert fig.receivables.overdue == 0
    assert fig.receivables.aging["unapplied"] == -20000
    assert fig.receivables.aging["31_60"] == 0


def test_overpayment_weighs_delays_by_what_it_settled():
    """P1 settles 1000.00 of F1 on 1 Feb: 22 days after issue, 8 days early.

    One observation of 1000.00 (not 1200.00): days to pay 22.0, beyond terms −8.0.
    """
    fig = currency_figures(_overpaid(), "EUR", D, months_ending(D, 3), None)
    assert fig.delays.payments == 1
    assert fig.delays.amount == 100000
    assert rounded(fig.delays.days_to_pay, DAYS) == Decimal("22.0")
    assert rounded(fig.delays.days_beyond_terms, DAYS) == Decimal("-8.0")


def test_two_payments_beyond_the_invoice_keep_the_later_excess():
    """F1 1000.00; P1 700.00 on 1 Feb and P2 700.00 on 20 Feb, both on F1.

    P1 settles 700.00; P2 only the 300.00 left; P2's other 400.00 is unapplied.
    AR as of 15 Mar = −400.00; as of 10 Feb (before P2) F1 is open for 300.00.
    """
    books = ledger(
        """
        ref customer issue      due        amount
        F1  C1       2024-01-10 2024-02-09 1000.00
        """,
        """
        ref customer date       amount
        P1  C1       2024-02-01 700.00
        P2  C1       2024-02-20 700.00
        """,
        """
        payment document amount
        P1      F1       700.00
        P2      F1       700.00
        """,
    )
    apps = effective_applications(books).sort("applied_on")
    assert apps["amount"].to_list() == [70000, 30000]
    assert open_items(books, date(2024, 2, 10))["residual"].to_list() == [30000]
    fig = currency_figures(books, "EUR", D, months_ending(D, 3), None)
    assert fig.receivables.total == -40000
    assert fig.receivables.aging["unapplied"] == -40000


def test_credit_note_larger_than_the_invoice_stays_open_for_the_rest():
    """F1 600.00 (due 19 Feb) and a credit note A1 −900.00 (20 Jan) set against
    it for 900.00 on 25 Jan: F1 is cleared, A1 keeps −300.00 open, in the 31_60
    bucket by its own due date (15 Mar − 20 Jan = 11 + 29 + 15 = 55 days).
    """
    books = ledger(
        """
        ref customer issue      due        amount
        F1  C1       2024-01-20 2024-02-19 600.00
        A1  C1       2024-01-20 2024-01-20 -900.00
        """,
        credits="""
        credit_note document amount on
        A1          F1       900.00 2024-01-25
        """,
    )
    items = open_items(books, D)
    assert items.select("ref", "residual").rows() == [("A1", -30000)]
    fig = currency_figures(books, "EUR", D, months_ending(D, 3), None)
    assert fig.receivables.total == -30000
    assert fig.receivables.aging["31_60"] == -30000


def test_cei_is_null_when_credit_outweighs_what_is_owed():
    """A customer with only a credit note: AR before −50.00, no sales, AR end
    −50.00, nothing not due. Denominator −50 + 0 − 0 = −50: nothing collectible,
    the CEI is null (it read 0.00 % before, and (−25)/(−50) would read 50 %).
    """
    assert collection_effectiveness(-5000, 0, -5000, 0) is None
    assert collection_effectiveness(-5000, 0, -2500, 0) is None
    books = ledger(
        """
        ref customer issue      due        amount
        A1  C3       2024-02-10 2024-02-10 -50.00
        """
    )
    fig = currency_figures(books, "EUR", D, months_ending(D, 1), 1)
    assert fig.receivables_before == -5000
    assert fig.cei is None
    # The February point: AR before 0, sales −50, AR end −50; denominator −50.
    assert [p.cei for p in fig.trend[-2:]] == [None, None]


def test_cei_still_measured_with_a_positive_denominator():
    """AR before 100, sales 0, AR end 50, not due 0: (100 − 50) / 100 = 50.00 %."""
    assert rounded(collection_effectiveness(10000, 0, 5000, 0), PERCENT) == Decimal(
        "50.00"
    )
