"""Helpers for the import tests: small canonical books, and counting the store.

Not a conftest: other test modules of this folder belong to other readers. Each
module declares its own `write_files` fixture from `files_writer`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from relance.store import models as m
from relance.store.db import Store

CUSTOMERS = """customer_id,name,email,payment_terms,segment,country,tags
C1,Dupont SARL,compta@dupont.example,30 days,SME,FR,key account;north
C2,Martin SA,,45 days end of month,,fr,
"""
# F2 has no due date: C1's terms (30 days) give 2024-02-19. A1 is a credit note
# without due date: due when issued. F3 is a draft.
INVOICES = """invoice_id,customer_id,issue_date,due_date,amount,currency,status,disputed
F1,C1,2024-01-10,2024-02-09,1200.00,EUR,posted,no
F2,C1,2024-01-20,,300.50,EUR,,yes
F3,C2,2024-02-01,2024-03-31,99.99,EUR,draft,
A1,C1,2024-01-25,,-100.00,EUR,,
"""
PAYMENTS = """payment_id,invoice_id,customer_id,date,amount,currency
P1,F1,,2024-02-05,1200.00,EUR
P2,F2,,2024-03-01,100.50,
P3,,C2,2024-03-02,50.00,EUR
"""
WRITEOFFS = """invoice_id,date,amount
F2,2024-06-30,200.00
"""
BOOKS = {
    "customers": CUSTOMERS,
    "invoices": INVOICES,
    "payments": PAYMENTS,
    "writeoffs": WRITEOFFS,
}

WriteFiles = Callable[..., list[Path]]


def files_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WriteFiles:
    """A function writing CSV files in the test's folder, made the working folder.

    Paths are then relative, and messages read `invoices.csv:3: ...` as a user
    who typed `relance import invoices.csv` sees them. Keyword names are file stems.
    """
    monkeypatch.chdir(tmp_path)

    def write(folder: str = "", **files: str) -> list[Path]:
        paths = []
        for stem, text in files.items():
            path = Path(folder, f"{stem}.csv")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        return paths

    return write


def count(store: Store, model: type[m.Base]) -> int:
    """How many rows a table of the store holds."""
    with store.transaction() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def ledger_counts(store: Store) -> dict[str, int]:
    """Rows of each ledger table."""
    tables = {
        "customers": m.Customer,
        "documents": m.Document,
        "payments": m.Payment,
        "applications": m.Application,
        "writeoffs": m.WriteOff,
    }
    return {name: count(store, model) for name, model in tables.items()}


EMPTY = {
    "customers": 0,
    "documents": 0,
    "payments": 0,
    "applications": 0,
    "writeoffs": 0,
}
