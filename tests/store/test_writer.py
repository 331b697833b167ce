"""Writing batches: all or nothing, idempotent, updates without duplicates."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from relance.domain.ledger import open_items, unapplied_cash
from relance.imports.records import (
    Application,
    CustomerRecord,
    DocumentRecord,
    ImportBatch,
    ImportRejected,
    Origin,
    PaymentRecord,
)
from relance.store import models as m
from relance.store.reader import load_ledger
from relance.store.writer import write_batch

O = Origin("test.csv", 2)


def _batch(amount: str = "100.00", paid: str = "40.00") -> ImportBatch:
    return ImportBatch(
        source="test",
        customers=[CustomerRecord("C1", "Dupont SARL", O)],
        documents=[
            DocumentRecord(
                "F1",
                "C1",
                date(2024, 1, 10),
                date(2024, 2, 9),
                Decimal(amount),
                "EUR",
                O,
            ),
            DocumentRecord(
                "A1",
                "C1",
                date(2024, 1, 20),
                date(2024, 1, 20),
                Decimal("-10.00"),
                "EUR",
                O,
            ),
            DocumentRecord(
                "D1",
                "C1",
                date(2024, 1, 5),
                date(2024, 2, 5),
                Decimal("999.00"),
                "EUR",
                O,
                status="draft",
            ),
        ],
        payments=[
            PaymentRecord(
                "P1",
                None,
                date(2024, 2, 1),
                Decimal(paid),
                None,
                O,
                (Application("F1", Decimal(paid)),),
            ),
            PaymentRecord("P2", "C1", date(2024, 2, 3), Decimal("5.00"), "EUR", O),
        ],
    )


def _count(store, model) -> int:
    with store.transaction() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_replay_as_of(store):
    """F1 100 − P1 40 (on 1 Feb) = 60 open; A1 −10 open; P2 5 unapplied.

    On 31 Jan P1 is not yet paid: F1 is open for 100. The draft D1 never counts.
    """
    with store.transaction() as s:
        write_batch(s, _batch())
    with store.transaction() as s:
        ledger = load_ledger(s)
    before = open_items(ledger, date(2024, 1, 31))
    assert dict(zip(before["ref"], before["residual"])) == {"F1": 10000, "A1": -1000}
    after = open_items(ledger, date(2024, 2, 9))
    assert dict(zip(after["ref"], after["residual"])) == {"F1": 6000, "A1": -1000}
    assert after.filter(after["ref"] == "F1")["days_past_due"].item() == 0
    cash = unapplied_cash(ledger, date(2024, 2, 3))
    assert cash["unapplied"].to_list() == [500]
    assert unapplied_cash(ledger, date(2024, 2, 2)).height == 0


def test_reimport_changes_nothing_and_update_has_no_duplicate(store):
    with store.transaction() as s:
        first = write_batch(s, _batch())
    assert first.changed
    with store.transaction() as s:
        again = write_batch(s, _batch())
    assert not again.changed
    with store.transaction() as s:
        newer = write_batch(s, _batch(paid="100.00"))
    assert newer.updated["payments"] == 1
    assert _count(store, m.Document) == 3
    assert _count(store, m.Payment) == 2
    assert _count(store, m.Application) == 1
    with store.transaction() as s:
        ledger = load_ledger(s)
    items = open_items(ledger, date(2024, 3, 1))
    assert items["ref"].to_list() == ["A1"]


def test_unknown_invoice_rejects_everything(store):
    batch = _batch()
    batch.payments.append(
        PaymentRecord(
            "P9",
            None,
            date(2024, 2, 1),
            Decimal(1),
            None,
            Origin("payments.csv", 7),
            (Application("NOPE", Decimal(1)),),
        )
    )
    with pytest.raises(ImportRejected) as caught, store.transaction() as s:
        write_batch(s, batch)
    assert (
        str(caught.value.problems[0])
        == "payments.csv:7: invoice_id: unknown invoice 'NOPE'"
    )
    assert _count(store, m.Customer) == 0
    assert _count(store, m.Document) == 0
