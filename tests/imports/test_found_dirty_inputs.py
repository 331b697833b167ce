"""Faults found by importing files as credit managers make them.

A French workbook whose mapping declares a decimal comma, a file typed twice on
the command line, and an overpaid invoice imported from payments.csv. Expected
values are worked out by hand in each docstring.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from import_helpers import files_writer, ledger_counts
from openpyxl import Workbook
from sqlalchemy import select

from relance.figures.period import months_ending
from relance.figures.summary import currency_figures
from relance.imports.cells import NumberFormat, SheetNumber, parse_amount
from relance.services.importing import import_paths
from relance.store import models as m
from relance.store.reader import load_ledger

FRENCH_XLSX_MAPPING = """
[file]
skip_rows = 1

[format]
date = "%d/%m/%Y"
decimal_comma = true
thousands = " "

[defaults]
currency = "EUR"

[columns]
invoice_id = "N° facture"
customer_id = "Client"
issue_date = "Date"
due_date = "Échéance"
amount = "Montant TTC"
"""


@pytest.fixture
def write_files(tmp_path, monkeypatch):
    """Write CSV files in the test's own working folder."""
    return files_writer(tmp_path, monkeypatch)


def _amounts(store) -> dict[str, int]:
    with store.transaction() as s:
        rows = s.execute(select(m.Document.ref, m.Document.amount_minor)).all()
    return dict(rows)


def test_xlsx_number_cells_ignore_the_text_separators(store, write_files):
    """The same mapping serves the CSV export (`1 234,56`) and the workbook.

    In the workbook, amounts typed as numbers (1234.56, 0.1 + 0.2 stored as
    0.30000000000000004, 1e12) are numbers whatever `decimal_comma` says; an
    amount typed as text ("1 234,50") still follows the declared format. Ids typed
    as numbers (123, 125.0) read 123 and 125; "000411" typed as text keeps its
    zeros. Minor units: 123456, 123450, 30, 100000000000000.
    """
    book = Workbook()
    sheet = book.active
    sheet.append(["Ventes juin 2024"])
    sheet.append(["N° facture", "Client", "Date", "Échéance", "Montant TTC"])
    sheet.append([123, 411001, datetime(2024, 6, 4), datetime(2024, 7, 4), 1234.56])
    sheet.append([124, 411001, datetime(2024, 6, 5), "31/12/2024", "1 234,50"])
    sheet.append([125.0, "000411", datetime(2024, 6, 5), "31/12/2024", 0.1 + 0.2])
    sheet.append([127, 411002, datetime(2024, 6, 5), "31/12/2024", 1e12])
    book.save("ventes.xlsx")
    mapping = Path("ventes.toml")
    mapping.write_text(FRENCH_XLSX_MAPPING, encoding="utf-8")
    import_paths(store, [Path("ventes.xlsx")], mapping=mapping)
    assert _amounts(store) == {
        "123": 123456,
        "124": 123450,
        "125": 30,
        "127": 100000000000000,
    }


def test_sheet_number_parsing():
    """A number cell is plain digits with a dot: 1234.5 is 1234.5 under a comma
    format with a dot for thousands (where the text `1.234,5` is 1234.5 too)."""
    comma_dot = NumberFormat(decimal_comma=True, thousands=".")
    assert parse_amount(SheetNumber("1234.5"), comma_dot) == parse_amount(
        "1.234,5", comma_dot
    )
    assert str(parse_amount(SheetNumber("-0.00001"), comma_dot)) == "-0.00001"


def test_a_file_named_twice_is_read_once(store, write_files):
    """`relance import customers.csv invoices.csv invoices.csv` and
    `relance import books/ books/invoices.csv`: one invoice F1, written once,
    no `duplicate id 'F1', first at invoices.csv:2` about the row itself."""
    write_files(customers="customer_id,name\nC1,Dupont\n")
    write_files(
        invoices="invoice_id,customer_id,issue_date,due_date,amount,currency\n"
        "F1,C1,2024-01-10,2024-02-09,100.00,EUR\n"
    )
    result = import_paths(
        store,
        [Path("customers.csv"), Path("invoices.csv"), Path("./invoices.csv")],
    )
    assert [f.name for f in result.files] == ["customers.csv", "invoices.csv"]
    assert ledger_counts(store)["documents"] == 1
    write_files(folder="books", customers="customer_id,name\nC1,Dupont\n")
    write_files(
        folder="books",
        invoices="invoice_id,customer_id,issue_date,due_date,amount,currency\n"
        "F1,C1,2024-01-10,2024-02-09,100.00,EUR\n",
    )
    again = import_paths(store, [Path("books"), Path("books/invoices.csv")])
    assert len(again.files) == 2
    assert not again.summary.changed


def test_overpaid_invoice_leaves_unapplied_cash(store, write_files):
    """payments.csv pays F1 (1000.00, due 9 Feb) 1200.00 on 1 Feb.

    As of 15 March 2024: F1 is settled, AR = −200.00, all of it unapplied cash
    of C1; overdue 0.00 (not −200.00 in the 31_60 bucket as an open invoice).
    The stored application keeps the 1200.00 the file says.
    """
    write_files(
        customers="customer_id,name\nC1,Dupont\n",
        invoices="invoice_id,customer_id,issue_date,due_date,amount,currency\n"
        "F1,C1,2024-01-10,2024-02-09,1000.00,EUR\n",
        payments="payment_id,invoice_id,customer_id,date,amount,currency\n"
        "P1,F1,,2024-02-01,1200.00,\n",
    )
    import_paths(
        store, [Path("customers.csv"), Path("invoices.csv"), Path("payments.csv")]
    )
    with store.transaction() as s:
        books = load_ledger(s)
        stored = s.execute(select(m.Application.amount_minor)).scalars().all()
    assert stored == [120000]
    as_of = date(2024, 3, 15)
    fig = currency_figures(books, "EUR", as_of, months_ending(as_of, 3), None)
    assert fig.receivables.total == -20000
    assert fig.receivables.aging["unapplied"] == -20000
    assert fig.receivables.overdue == 0
