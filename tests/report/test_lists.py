"""The report's lists: customers by cost of lateness, disputed items.

On the book of book.py (see its docstring for the derivations), in minor units
(cents) and cents × days.
"""

from dataclasses import replace
from datetime import date

import polars as pl

from relance.figures.period import Period
from relance.report.disputed import disputed_items
from relance.report.lateness import lateness_costs

from .book import AS_OF

PERIOD = Period(date(2024, 1, 1), AS_OF)


def test_cost_of_lateness_by_customer(eur_ledger):
    """C1: F1 40000 cents open × 40 days = 1 600 000; paid P1 60000 × 10 +
    P3 80000 × 30 = 3 000 000; total 4 600 000 (46 000 € × days).
    C2: F2 200000 × 13 = 2 600 000, nothing paid. C3 paid early: absent.
    F3 (not due) costs nothing; P4 (unapplied cash) neither."""
    rows = lateness_costs(eur_ledger, PERIOD).to_dicts()
    assert rows == [
        {
            "customer_ref": "C1",
            "name": "Dupont SARL",
            "overdue": 40000,
            "open_cost": 1_600_000,
            "paid": 140000,
            "paid_cost": 3_000_000,
            "cost": 4_600_000,
        },
        {
            "customer_ref": "C2",
            "name": "Martin & Fils <Lyon>",
            "overdue": 200000,
            "open_cost": 2_600_000,
            "paid": 0,
            "paid_cost": 0,
            "cost": 2_600_000,
        },
    ]


def test_cost_of_lateness_is_cut_at_the_limit(eur_ledger):
    rows = lateness_costs(eur_ledger, PERIOD, limit=1)
    assert rows.get_column("customer_ref").to_list() == ["C1"]


def test_payments_before_the_period_cost_nothing(eur_ledger):
    """From 1 February: P3 (30 January) leaves the paid part; C1's paid cost is
    P1 alone, 60000 × 10 = 600 000, its total 1 600 000 + 600 000."""
    february = Period(date(2024, 2, 1), AS_OF)
    rows = {
        r["customer_ref"]: r for r in lateness_costs(eur_ledger, february).to_dicts()
    }
    assert rows["C1"]["paid_cost"] == 600_000
    assert rows["C1"]["cost"] == 2_200_000


def test_disputed_items(eur_ledger):
    """F2 is the only disputed item: 200000 cents open, 13 days past due."""
    rows = disputed_items(eur_ledger, AS_OF).to_dicts()
    assert [
        (r["ref"], r["customer_ref"], r["residual"], r["days_past_due"]) for r in rows
    ] == [("F2", "C2", 200000, 13)]
    assert rows[0]["name"] == "Martin & Fils <Lyon>"


def test_nothing_disputed_before_the_item_exists(eur_ledger):
    """Before F2 is issued (31 January) there is nothing disputed."""
    assert disputed_items(eur_ledger, date(2024, 1, 31)).height == 0


def test_a_settled_disputed_item_is_not_listed(eur_ledger):
    """F2 (2,000.00, disputed) paid in full on 10 March leaves the list then.

    A payment of 2,000.00 applied to F2 on 2024-03-10: open on the 9th (listed,
    2,000.00), residual 0 on the 10th (not listed).
    """
    f2 = eur_ledger.documents.filter(pl.col("ref") == "F2")
    payment = pl.DataFrame(
        {
            "id": [999],
            "ref": ["P-F2"],
            "customer_id": f2["customer_id"],
            "customer_ref": f2["customer_ref"],
            "payment_date": [date(2024, 3, 10)],
            "amount": [200000],
            "currency": ["EUR"],
        },
        schema=eur_ledger.payments.schema,
    )
    application = pl.DataFrame(
        {
            "payment_id": [999],
            "credit_note_id": [None],
            "document_id": f2["id"],
            "applied_on": [date(2024, 3, 10)],
            "amount": [200000],
            "currency": ["EUR"],
        },
        schema=eur_ledger.applications.schema,
    )
    paid = replace(
        eur_ledger,
        payments=pl.concat([eur_ledger.payments, payment]),
        applications=pl.concat([eur_ledger.applications, application]),
    )
    before = disputed_items(paid, date(2024, 3, 9))
    assert before["ref"].to_list() == ["F2"]
    assert before["residual"].to_list() == [200000]
    assert disputed_items(paid, date(2024, 3, 10)).height == 0
