"""The two public receivables files through their shipped mappings.

Every expected figure is recomputed here from the raw file with the csv module and
plain Python (see PROVENANCE.md in shared/data for the files' quirks), then
compared with what relance stored and replays.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import select

from relance.domain.ledger import open_items
from relance.domain.money import from_minor
from relance.services.importing import import_paths
from relance.store import models as m
from relance.store.reader import load_ledger

MAPPINGS = Path(__file__).resolve().parents[2] / "examples" / "mappings"
IBM = "ibm_accounts_receivable/WA_Fn-UseC_-Accounts-Receivable.csv"
IBM_MISSING = "ibm_accounts_receivable/WA_Fn-UseC_-Accounts-Receivable_with_missing.csv"
HIGHRADIUS = "highradius_style/highradius_open_invoices_data2.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _us(text: str) -> date:
    return datetime.strptime(text, "%m/%d/%Y").date()


def _ledger(store):
    with store.transaction() as s:
        return load_ledger(s)


def _total(frame: pl.DataFrame, column: str, currency: str) -> Decimal:
    return from_minor(int(frame.get_column(column).sum()), currency)


@pytest.fixture
def ibm_imported(store, shared_data):
    import_paths(
        store, [shared_data / IBM], mapping=MAPPINGS / "ibm-accounts-receivable.toml"
    )
    return _rows(shared_data / IBM)


def test_ibm_sample(store, ibm_imported):
    """2,466 invoices of 100 customers, each settled once; 877 late, 561 disputed."""
    rows = ibm_imported
    ledger = _ledger(store)
    docs, pays = ledger.documents, ledger.payments

    assert docs.height == len(rows) == 2466
    assert ledger.customers.height == len({r["customerID"] for r in rows}) == 100
    assert pays.height == sum(1 for r in rows if r["SettledDate"]) == 2466
    assert set(docs["currency"]) == {"USD"}
    assert _total(docs, "amount", "USD") == sum(
        Decimal(r["InvoiceAmount"]) for r in rows
    )
    assert docs["disputed"].sum() == sum(r["Disputed"] == "Yes" for r in rows) == 561

    # Late: paid after the due date (an invoice paid on its due date is on time).
    late_plain = sum(_us(r["SettledDate"]) > _us(r["DueDate"]) for r in rows)
    paid = ledger.applications.join(
        docs.select(pl.col("id").alias("document_id"), "due_date"), on="document_id"
    )
    assert (
        paid.filter(pl.col("applied_on") > pl.col("due_date")).height
        == late_plain
        == 877
    )


@pytest.mark.parametrize(
    "as_of", [date(2012, 12, 31), date(2013, 6, 30), date(2013, 12, 31)]
)
def test_ibm_open_balance_as_of(store, ibm_imported, as_of):
    """Open at D: issued on or before D and settled after D, for its full amount."""
    rows = ibm_imported
    open_plain = [
        r for r in rows if _us(r["InvoiceDate"]) <= as_of < _us(r["SettledDate"])
    ]
    items = open_items(_ledger(store), as_of)
    assert items.height == len(open_plain)
    assert _total(items, "residual", "USD") == sum(
        Decimal(r["InvoiceAmount"]) for r in open_plain
    )
    # No partial payment in this file: every open item is open for its amount.
    assert (items["residual"] == items["amount"]).all()


def test_ibm_dates_are_month_first(store, ibm_imported):
    """Invoice 3244991557 is dated 4/6/2013 and due 5/6/2013: 6 April, 6 May."""
    with store.transaction() as s:
        doc = s.execute(
            select(m.Document).where(m.Document.ref == "3244991557")
        ).scalar_one()
    assert (doc.issue_date, doc.due_date) == (date(2013, 4, 6), date(2013, 5, 6))
    # invoiceNumber keeps its leading zeros.
    with store.transaction() as s:
        assert s.execute(
            select(m.Document.ref).where(m.Document.ref == "0000611365")
        ).scalar_one()


def test_ibm_variant_with_missing_values(store, ibm_imported, shared_data):
    """The variant holds the 2,466 invoices (zeros stripped, 59 written 59.0) plus
    120 more: importing it after the original adds 120 invoices and 120 payments
    and leaves the others exactly as they were."""
    variant = _rows(shared_data / IBM_MISSING)
    result = import_paths(
        store,
        [shared_data / IBM_MISSING],
        mapping=MAPPINGS / "ibm-accounts-receivable.toml",
    )
    new_ids = {r["invoiceNumber"].zfill(10) for r in variant} - {
        r["invoiceNumber"] for r in ibm_imported
    }
    assert len(new_ids) == 120
    assert result.summary.inserted["documents"] == 120
    assert result.summary.inserted["payments"] == 120
    assert result.summary.updated.get("documents", 0) == 0
    assert result.summary.unchanged["documents"] == 2466

    docs = _ledger(store).documents
    assert docs.height == len(variant) == 2586
    assert (docs["ref"].str.len_chars() == 10).all()
    assert _total(docs, "amount", "USD") == sum(
        Decimal(r["InvoiceAmount"]) for r in variant
    )


def test_highradius_open_invoices(store, shared_data):
    """9,700 open invoices: USD and CAD kept apart, totals per currency exact."""
    rows = _rows(shared_data / HIGHRADIUS)
    import_paths(
        store, [shared_data / HIGHRADIUS], mapping=MAPPINGS / "highradius.toml"
    )
    ledger = _ledger(store)
    docs = ledger.documents

    totals: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        totals[r["invoice_currency"]] += Decimal(r["total_open_amount"])
    counts = Counter(r["invoice_currency"] for r in rows)
    assert docs.height == len(rows) == 9700
    assert dict(counts) == {"USD": 8953, "CAD": 747}
    for currency, total in totals.items():
        mine = docs.filter(pl.col("currency") == currency)
        assert mine.height == counts[currency]
        assert _total(mine, "amount", currency) == total

    # 0200769623 and 200769623 are one customer; ids lose the float's ".0".
    customers = {r["cust_number"].lstrip("0") or "0" for r in rows}
    assert ledger.customers.height == len(customers) == 526
    assert set(docs["ref"]) == {r["doc_id"].removesuffix(".0") for r in rows}
    assert ledger.payments.height == 0

    # All open: after the last posting date the open items are the whole file.
    items = open_items(ledger, date(2020, 7, 31))
    assert items.height == 9700
    for currency, total in totals.items():
        assert (
            _total(items.filter(pl.col("currency") == currency), "residual", currency)
            == total
        )


def test_highradius_reimport_changes_nothing(store, shared_data):
    mapping = MAPPINGS / "highradius.toml"
    import_paths(store, [shared_data / HIGHRADIUS], mapping=mapping)
    again = import_paths(store, [shared_data / HIGHRADIUS], mapping=mapping)
    assert not again.summary.changed
    assert again.summary.unchanged["documents"] == 9700
