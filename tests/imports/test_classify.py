"""Telling files apart, and handing a FEC to its reader with the customers' terms.

The FEC reader itself is tested elsewhere; here a stand-in records what the import
service gives it.
"""

from __future__ import annotations

import sys
import types
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from import_helpers import files_writer
from sqlalchemy import select

from relance.imports.records import CustomerRecord, DocumentRecord, ImportBatch, Origin
from relance.services.importing import classify, import_paths, looks_like_fec
from relance.store import models as m

FEC_HEADER = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\n"


@pytest.fixture
def write_files(tmp_path, monkeypatch):
    """Write CSV files in the test's own working folder."""
    return files_writer(tmp_path, monkeypatch)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (FEC_HEADER.encode(), True),
        (b"\xef\xbb\xbf" + FEC_HEADER.encode(), True),
        (b"JournalCode|JournalLib|EcritureNum|\n", True),
        (b"JournalCode,JournalLib\n", False),
        (b"invoice_id,customer_id\n", False),
    ],
    ids=["tab", "bom", "pipe", "comma", "csv"],
)
def test_fec_is_told_by_its_header(tmp_path, content, expected):
    path = tmp_path / "books.txt"
    path.write_bytes(content)
    assert looks_like_fec(path) is expected


def test_customers_come_first(write_files):
    paths = write_files(payments="x\n", invoices="x\n", customers="x\n")
    assert [s.kind for s in classify(paths, mapped=False)] == [
        "customers",
        "invoices",
        "payments",
    ]


def test_fec_gets_terms_of_customers_given_and_stored(store, write_files, monkeypatch):
    """C2's terms are in the store, C1's in the customers.csv of the same import.

    The FEC names C1 too: customers.csv wins, and C1 keeps its name.
    """
    seen = {}

    def read_fec(path, *, default_terms, customer_terms, display_name=None):
        seen.update(
            path=path, default_terms=default_terms, customer_terms=customer_terms
        )
        origin = Origin(path.name, 2)
        return ImportBatch(
            source=path.name,
            customers=[
                CustomerRecord("C1", "CLIENT UN", origin),
                CustomerRecord("C3", "Trois", origin),
            ],
            documents=[
                DocumentRecord(
                    "VE1",
                    "C3",
                    date(2024, 1, 5),
                    date(2024, 2, 4),
                    Decimal("10.00"),
                    "EUR",
                    origin,
                )
            ],
        )

    monkeypatch.setitem(
        sys.modules, "relance.imports.fec", types.SimpleNamespace(read_fec=read_fec)
    )
    import_paths(
        store,
        write_files(customers="customer_id,name,payment_terms\nC2,Deux,30 days\n"),
    )
    paths = write_files(customers="customer_id,name,payment_terms\nC1,Un,60 days\n")
    fec = Path("123456789FEC20241231.txt")
    fec.write_text(FEC_HEADER)

    result = import_paths(store, [fec, *paths], default_terms="45 days end of month")
    assert [f.kind for f in result.files] == ["customers", "fec"]
    assert seen == {
        "path": fec,
        "default_terms": "45 days end of month",
        "customer_terms": {"C1": "60 days", "C2": "30 days"},
    }
    with store.transaction() as s:
        names = dict(s.execute(select(m.Customer.ref, m.Customer.name)).all())
    assert names == {"C1": "Un", "C2": "Deux", "C3": "Trois"}


def test_a_tool_export_called_invoices_csv_goes_through_the_mapping(write_files):
    """With --mapping, invoices.csv is canonical only with the canonical header."""
    tool, canonical = write_files(
        invoices="Numero,Client,Date,Montant\n",
        customers="Customer_ID,Name\n",
    )
    kinds = {s.name: s.kind for s in classify([tool, canonical], mapped=True)}
    assert kinds == {"invoices.csv": "mapped", "customers.csv": "customers"}
    assert classify([tool], mapped=False)[0].kind == "invoices"


def test_canonical_columns_in_any_case(store, write_files):
    paths = write_files(customers="Customer_ID,NAME,Email\nC1,Dupont,a@b.example\n")
    import_paths(store, paths)
    with store.transaction() as s:
        email = s.execute(select(m.Customer.email)).scalar_one()
    assert email == "a@b.example"
