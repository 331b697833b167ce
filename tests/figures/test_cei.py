"""Collection effectiveness index."""

from decimal import Decimal

from relance.figures.aging import aged_items
from relance.figures.cei import collection_effectiveness
from relance.figures.period import months_ending
from relance.figures.receivables import receivables_of
from relance.figures.summary import currency_figures
from relance.figures.units import PERCENT, rounded

from .book import AS_OF, book


def test_book_cei():
    """Period 1 Jan - 15 Mar 2024.

    AR on 31 Dec 2023: F1 1000 (P1 comes on 20 Jan) + F6 500 (written off in
    February) = 1500. Sales 2900, AR(D) 2850, not yet due at D 900.
    CEI = (1500 + 2900 - 2850) / (1500 + 2900 - 900) x 100 = 1550 / 3500 x 100
        = 44.2857... -> 44.29.
    The 1550 collected: P1 400 + P2 300 + P3 600 + P4 50 + write-off 200.
    """
    eve = receivables_of(aged_items(book(), months_ending(AS_OF, 3).day_before))
    assert eve.total == 150000
    fig = currency_figures(book(), "EUR", AS_OF, months_ending(AS_OF, 3), None)
    assert fig.receivables_before == 150000
    assert rounded(fig.cei, PERCENT) == Decimal("44.29")


def test_everything_collected_is_100():
    """Start 0, sales 1000, all paid, nothing left: (0+1000-0)/(0+1000-0) = 100 %."""
    assert collection_effectiveness(0, 100000, 0, 0) == 100


def test_nothing_collectible_is_none():
    """Start 0, sales 500 all still not due: denominator 0 + 500 - 500 = 0."""
    assert collection_effectiveness(0, 50000, 50000, 50000) is None
