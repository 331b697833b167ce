"""The generated company goes into the store, directly or through its CSV files,
and the store gives back the same ledger."""

from datetime import date

import polars as pl

from relance.demo.export import write_company
from relance.demo.generator import (
    DEMO_AS_OF,
    books_to_batch,
    books_to_ledger,
    generate_books,
)
from relance.domain.ledger import Ledger, open_items, unapplied_cash
from relance.services.demo import import_company
from relance.store.reader import load_ledger
from relance.store.writer import write_batch

DAYS = (date(2025, 3, 31), date(2026, 1, 15), DEMO_AS_OF)


def _open_by_ref(ledger: Ledger, day: date) -> dict[str, int]:
    items = open_items(ledger, day)
    return dict(zip(items["ref"], items["residual"], strict=True))


def _unapplied(ledger: Ledger, day: date) -> int:
    return int(unapplied_cash(ledger, day)["unapplied"].sum())


def _same_ledger(stored: Ledger, expected: Ledger) -> None:
    assert stored.documents.height == expected.documents.height
    assert stored.payments.height == expected.payments.height
    assert stored.applications.height == expected.applications.height
    assert stored.writeoffs["amount"].sum() == expected.writeoffs["amount"].sum()
    for day in DAYS:
        assert _open_by_ref(stored, day) == _open_by_ref(expected, day), day
        assert _unapplied(stored, day) == _unapplied(expected, day), day


def test_batch_writes_into_the_store(store):
    books = generate_books(seed=21, customers=30)
    with store.transaction() as session:
        summary = write_batch(session, books_to_batch(books))
    assert summary.inserted["customers"] == 30
    with store.transaction() as session:
        stored = load_ledger(session)
    _same_ledger(stored, books_to_ledger(books))
    # Drafts and cancelled invoices are stored but never loaded.
    hidden = books.documents.filter(pl.col("status") != "posted").height
    assert hidden > 0
    assert stored.documents.height == books.documents.height - hidden


def test_csv_files_import_to_the_same_ledger(store, tmp_path):
    books = generate_books(seed=21, customers=30)
    write_company(books, tmp_path)
    import_company(store, tmp_path)
    with store.transaction() as session:
        stored = load_ledger(session)
    _same_ledger(stored, books_to_ledger(books))
    # Importing the same files again changes nothing.
    again = import_company(store, tmp_path)
    assert not again.summary.changed
