"""Found: an action dated before its invoice existed got the invoice's full stake.

On the demo, importing `2020-01-01,,FA2023-000001,email,email_1,0.50,no,old`
(invoice issued 1 December 2023 for 20,518.15) was accepted, and the action's
item got a stake of 20,518.15: the ledger replay took the invoice amount less
the reductions up to that day, without asking whether the invoice had been
issued. An invoice owes nothing before it is issued, and an action about an
invoice that did not exist yet is a wrong date or a wrong invoice: a problem.

By hand, with the books of test_import_actions (F1 1,000.00 issued 2 January
2024, 400.00 paid on 10 February):
- open balance of F1 on 15 December 2023: 0 (not issued);
  on 2 January 2024: 1,000.00; on 10 February (payment of that day included):
  600.00;
- importing an action on F1 dated 2023-12-15 is refused: "actions.csv:2: date:
  2023-12-15 is before invoice 'F1' was issued (2024-01-02)", nothing written.
"""

from datetime import date

import polars as pl
import pytest
from tests.roi.test_import_actions import _count, _write, books  # noqa: F401

from relance.imports.records import ImportRejected
from relance.roi.collections import residuals_at
from relance.services.roi_imports import import_actions
from relance.store import models as m
from relance.store.reader import load_ledger


def test_no_balance_before_the_invoice_is_issued(books):  # noqa: F811
    with books.transaction() as session:
        ledger = load_ledger(session)
        f1 = session.query(m.Document.id).filter(m.Document.ref == "F1").scalar()
    days = [date(2023, 12, 15), date(2024, 1, 2), date(2024, 2, 10)]
    pairs = pl.DataFrame(
        {"document_id": [f1] * 3, "on": days},
        schema={"document_id": pl.Int64, "on": pl.Date},
    )
    got = residuals_at(ledger, pairs).sort("on").get_column("residual").to_list()
    assert got == [0, 100000, 60000]


def test_action_before_its_invoice_is_a_problem(books, tmp_path):  # noqa: F811
    path = _write(
        tmp_path,
        "date,customer_id,invoice_id,channel,step,cost\n"
        "2023-12-15,,F1,email,email_1,0.50\n",
    )
    with pytest.raises(ImportRejected) as caught:
        import_actions(books, path)
    assert [
        str(p).replace(str(path), "actions.csv") for p in caught.value.problems
    ] == [
        "actions.csv:2: date: 2023-12-15 is before invoice 'F1' was issued (2024-01-02)"
    ]
    assert _count(books, m.Action) == 0
