"""`relance import` reports every problem of the files in one go.

The files are written in the tests; the problems expected are listed by hand.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from relance.imports.canonical import read_canonical
from relance.imports.records import ImportRejected
from relance.services.importing import import_paths
from relance.store import models as m
from relance.store.writer import check_batch

CUSTOMERS = "customer_id,name,payment_terms\nC0,Zero,30 days\n"
# Four mistakes, one per line: a month 13 (line 2), a customer nobody gives
# (line 3), the letter O in an amount (line 4), F3 twice (lines 4 and 5).
INVOICES = (
    "invoice_id,customer_id,issue_date,due_date,amount,currency\n"
    "F1,C0,2024-13-01,2024-02-01,100.00,EUR\n"
    "F2,C1,2024-01-01,2024-02-01,100.00,EUR\n"
    "F3,C0,2024-01-01,2024-02-01,1O0.00,EUR\n"
    "F3,C0,2024-01-02,2024-02-01,100.00,EUR\n"
)


def _files(tmp_path):
    (tmp_path / "customers.csv").write_text(CUSTOMERS)
    (tmp_path / "invoices.csv").write_text(INVOICES)
    return [tmp_path / "customers.csv", tmp_path / "invoices.csv"]


def _count(store, model) -> int:
    with store.transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_four_mistakes_reported_together_nothing_written(store, tmp_path):
    """The reader finds lines 2 and 4; the cross-checks add line 3 (C1 is in
    neither customers.csv nor the store) and line 5 (F3 again); sorted by line."""
    paths = _files(tmp_path)
    with pytest.raises(ImportRejected) as caught:
        import_paths(store, paths)
    found = [
        (p.file.rsplit("/", 1)[-1], p.line, p.field) for p in caught.value.problems
    ]
    assert found == [
        ("invoices.csv", 2, "issue_date"),
        ("invoices.csv", 3, "customer_id"),
        ("invoices.csv", 4, "amount"),
        ("invoices.csv", 5, "invoice_id"),
    ]
    assert "'C1'" in str(caught.value.problems[1])
    assert "'F3'" in str(caught.value.problems[3])
    assert (_count(store, m.Customer), _count(store, m.Document)) == (0, 0)


def test_check_batch_writes_nothing(store, tmp_path):
    """check_batch on invoices.csv alone, with an empty store: the reader keeps a
    record of every line (lines 2 and 4 with their problems), so all four name a
    customer nobody gives (C0 on lines 2, 4, 5; C1 on line 3), and line 5 repeats
    F3. The reader's own problems (lines 2 and 4) are not repeated."""
    paths = _files(tmp_path)
    read = read_canonical(paths[1], "invoices", "invoices.csv", None)
    with store.transaction() as session:
        problems = check_batch(session, read.batch)
    assert sorted((p.line, p.field) for p in problems) == [
        (2, "customer_id"),
        (3, "customer_id"),
        (4, "customer_id"),
        (5, "customer_id"),
        (5, "invoice_id"),
    ]
    assert _count(store, m.Document) == 0
