"""The report tests' book (tests/report/book.py) written into a fresh store."""

from __future__ import annotations

import pytest

from relance.domain.ledger import Ledger
from relance.store.db import Store
from relance.store.reader import load_ledger
from relance.store.writer import write_batch

from .book import report_batch


@pytest.fixture
def book_store(store: Store) -> Store:
    """The `store` fixture holding the book of book.py."""
    with store.transaction() as session:
        write_batch(session, report_batch())
    return store


@pytest.fixture
def eur_ledger(book_store: Store) -> Ledger:
    """The book's EUR ledger, read back from the store."""
    with book_store.transaction() as session:
        return load_ledger(session).in_currency("EUR")
