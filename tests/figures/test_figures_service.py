"""Figures through the store: posted documents only, one result per currency."""

from datetime import date

import pytest

from relance.figures.summary import as_json
from relance.services.figures import (
    UnknownCustomer,
    aged_balance,
    compute_figures,
    monthly_trend,
)
from relance.store.writer import write_batch

from .book import AS_OF, book_batch
from .figure_tables import batch

MIXED = batch(
    """
    ref  customer  issue       due         amount  currency  status
    F1   C1        2024-02-01  2024-03-02  100.00  EUR       posted
    D1   C1        2024-02-01  2024-03-02  900.00  EUR       draft
    X1   C1        2024-02-01  2024-03-02  700.00  EUR       cancelled
    U1   C2        2024-02-10  2024-03-11  250     JPY       posted
    U2   C2        2024-03-01  2024-03-31   80.00  USD       posted
    """,
    """
    ref  customer  date        amount  currency
    P1   C2        2024-03-05  30      JPY
    """,
)


def test_drafts_and_cancelled_never_count(store):
    """EUR: only F1 (100) is posted; the draft D1 (900) and cancelled X1 (700) are
    kept in the store but count nowhere: AR 100, sales 100."""
    with store.transaction() as session:
        write_batch(session, MIXED)
    eur = compute_figures(store, date(2024, 3, 15), months=2, trend=False)[0]
    assert eur.currency == "EUR"
    assert (eur.receivables.total, eur.sales) == (10000, 10000)


def test_currencies_are_never_added(store):
    """Three currencies, three results: EUR 100.00; JPY 250 - 30 unapplied = 220
    (no minor unit); USD 80.00 not due (due 31 March)."""
    with store.transaction() as session:
        write_batch(session, MIXED)
    got = {
        f.currency: as_json(f)
        for f in compute_figures(store, date(2024, 3, 15), months=2, trend=False)
    }
    assert list(got) == ["EUR", "JPY", "USD"]
    assert got["EUR"]["receivables"] == "100.00"
    assert got["JPY"]["receivables"] == "220"
    assert got["JPY"]["aging"]["unapplied"] == "-30"
    assert got["USD"]["aging"]["not_due"] == "80.00"
    assert got["USD"]["overdue"] == "0.00"


def test_one_customer(store):
    """--customer C3 of the book: F5 300 + F6 300 - P4 50 = 550."""
    with store.transaction() as session:
        write_batch(session, book_batch())
    only = compute_figures(store, AS_OF, months=3, customer="C3", trend=False)
    assert [f.receivables.total for f in only] == [55000]
    with pytest.raises(UnknownCustomer):
        compute_figures(store, AS_OF, customer="NOPE")


def test_aged_balance_and_trend(store):
    """By customer the book's rows are C2 1800, C3 550, C1 500 (test_aging);
    by item the most overdue first: F1 (91 days) then F6 (75)."""
    with store.transaction() as session:
        write_batch(session, book_batch())
    (by_customer,) = aged_balance(store, AS_OF)
    assert by_customer.rows["balance"].to_list() == [180000, 55000, 50000]
    (by_item,) = aged_balance(store, AS_OF, by="item")
    assert by_item.rows["ref"].to_list()[:2] == ["F1", "F6"]
    trend = monthly_trend(store, AS_OF, months=3)
    assert trend["EUR"][-1].receivables == 285000
