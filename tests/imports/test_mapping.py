"""Any CSV or XLSX through a TOML mapping: declared formats, never guessed ones."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from import_helpers import EMPTY, files_writer, ledger_counts
from openpyxl import Workbook
from sqlalchemy import select

from relance.domain.ledger import open_items
from relance.imports.mapping import MappingError, load_mapping
from relance.imports.records import ImportRejected
from relance.services.importing import ImportUsageError, import_paths
from relance.store import models as m
from relance.store.reader import load_ledger

FRENCH_MAPPING = """
kind = "invoices"

[file]
separator = ";"
encoding = "cp1252"

[format]
date = "%d/%m/%Y"
decimal_comma = true
thousands = " "

[defaults]
currency = "EUR"
payment_terms = "30 jours"

[columns]
invoice_id = "N° facture"
customer_id = "Client"
customer_name = "Raison sociale"
issue_date = "Date"
due_date = "Échéance"
amount = "Montant TTC"
currency = "Devise"
status = "État"
disputed = "Litige"

[values]
disputed_true = ["oui"]
disputed_false = ["non"]
status = { V = "posted", B = "draft" }
"""
FRENCH_EXPORT = """\
N° facture;Client;Raison sociale;Date;Échéance;Montant TTC;Devise;État;Litige
00123;411DUP;Dupont SARL;04/06/2024;04/07/2024;1 234,56;;V;non
00124;411DUP;Dupont SARL (bis);05/06/2024;;-100,00;EUR;V;non
00125;411MAR;Martin SA;06/06/2024;;99,90;;B;oui
"""


@pytest.fixture
def write_files(tmp_path, monkeypatch):
    """Write CSV files in the test's own working folder."""
    return files_writer(tmp_path, monkeypatch)


def _write(name: str, text: str, encoding: str = "utf-8") -> Path:
    path = Path(name)
    path.write_text(text, encoding=encoding)
    return path


def _documents(store) -> dict[str, tuple]:
    with store.transaction() as s:
        rows = s.execute(
            select(
                m.Document.ref,
                m.Document.issue_date,
                m.Document.due_date,
                m.Document.amount_minor,
                m.Document.currency,
                m.Document.status,
                m.Document.disputed,
            )
        ).all()
    return {ref: tuple(rest) for ref, *rest in rows}


def _customers(store) -> dict[str, tuple]:
    with store.transaction() as s:
        rows = s.execute(select(m.Customer.ref, m.Customer.name)).all()
    return dict(rows)


def test_french_export(store, write_files):
    """Semicolons, Windows-1252, 1 234,56, day first, coded statuses.

    00123: 4 June 2024, due 4 July, 1,234.56 EUR (blank currency -> the default).
    00124: a credit note without due date, due when issued (5 June).
    00125: no due date, default terms 30 days: 6 June + 30 = 6 July; draft, disputed.
    The identifiers keep their leading zeros.
    """
    mapping = _write("fr.toml", FRENCH_MAPPING)
    export = _write("ventes.csv", FRENCH_EXPORT, encoding="cp1252")
    import_paths(store, [export], mapping=mapping)
    assert _documents(store) == {
        "00123": (date(2024, 6, 4), date(2024, 7, 4), 123456, "EUR", "posted", False),
        "00124": (date(2024, 6, 5), date(2024, 6, 5), -10000, "EUR", "posted", False),
        "00125": (date(2024, 6, 6), date(2024, 7, 6), 9990, "EUR", "draft", True),
    }
    # One customer per id, named from its first row.
    assert _customers(store) == {"411DUP": "Dupont SARL", "411MAR": "Martin SA"}


def test_mapped_problems_name_the_file_column(store, write_files):
    mapping = _write("fr.toml", FRENCH_MAPPING)
    bad = FRENCH_EXPORT.replace("05/06/2024", "2024-06-05").replace("99,90", "99.90")
    export = _write("ventes.csv", bad, encoding="cp1252")
    with pytest.raises(ImportRejected) as caught:
        import_paths(store, [export], mapping=mapping)
    assert [str(p) for p in caught.value.problems] == [
        "ventes.csv:3: Date: '2024-06-05' is not a date: expected the format %d/%m/%Y",
        (
            "ventes.csv:4: Montant TTC: '99.90' is not an "
            "amount: expected digits with a comma "
            "for decimals, e.g. -1 234,56"
        ),
    ]
    assert ledger_counts(store) == EMPTY


def test_mapped_column_missing_from_the_file(store, write_files):
    mapping = _write("fr.toml", FRENCH_MAPPING)
    export = _write(
        "ventes.csv", FRENCH_EXPORT.replace(";Litige", ";Dispute"), encoding="cp1252"
    )
    with pytest.raises(ImportRejected) as caught:
        import_paths(store, [export], mapping=mapping)
    assert [str(p) for p in caught.value.problems] == [
        "ventes.csv:1: Litige: missing column (the mapping reads disputed from it)"
    ]


def test_wrong_encoding_is_reported_at_its_line(store, write_files):
    mapping = _write("fr.toml", FRENCH_MAPPING.replace('"cp1252"', '"utf-8"'))
    export = _write("ventes.csv", FRENCH_EXPORT, encoding="cp1252")
    with pytest.raises(ImportRejected) as caught:
        import_paths(store, [export], mapping=mapping)
    assert [str(p) for p in caught.value.problems] == [
        (
            "ventes.csv:1: encoding: byte 0xB0 is not valid "
            "utf-8: save the file as UTF-8, "
            'or declare its encoding in a mapping (e.g. encoding = "cp1252")'
        )
    ]


SETTLED_MAPPING = """
[format]
date = "%m/%d/%Y"

[defaults]
currency = "USD"

[columns]
invoice_id = "invoice"
customer_id = "customer"
issue_date = "issued"
due_date = "due"
amount = "amount"
settled_date = "settled"
"""


def test_settled_date_becomes_a_payment_once(store, write_files):
    """I1 settled on 3/15/2024 gets payment settled:I1; I2 is open.

    A newer export settles I2: one payment more, nothing duplicated; importing it
    again changes nothing.
    """
    mapping = _write("m.toml", SETTLED_MAPPING)
    first = (
        "invoice,customer,issued,due,amount,settled\n"
        "I1,K1,1/5/2024,2/4/2024,100.00,3/15/2024\n"
        "I2,K1,2/1/2024,3/2/2024,50.00,\n"
    )
    export = _write("ar.csv", first)
    import_paths(store, [export], mapping=mapping)
    with store.transaction() as s:
        pays = s.execute(
            select(m.Payment.ref, m.Payment.payment_date, m.Payment.amount_minor)
        ).all()
    assert [tuple(p) for p in pays] == [("settled:I1", date(2024, 3, 15), 10000)]

    _write("ar.csv", first.replace("50.00,\n", "50.00,4/1/2024\n"))
    newer = import_paths(store, [export], mapping=mapping)
    assert newer.summary.inserted.get("payments") == 1
    assert newer.summary.inserted.get("documents", 0) == 0
    assert ledger_counts(store) == {
        "customers": 1,
        "documents": 2,
        "payments": 2,
        "applications": 2,
        "writeoffs": 0,
    }
    assert not import_paths(store, [export], mapping=mapping).summary.changed
    with store.transaction() as s:
        ledger = load_ledger(s)
    assert open_items(ledger, date(2024, 4, 1)).height == 0
    assert open_items(ledger, date(2024, 3, 31))["ref"].to_list() == ["I2"]


def test_mapped_file_never_renames_a_known_customer(store, write_files):
    """customers.csv names K1; a mapped file calling it otherwise leaves the name."""
    (customers,) = write_files(
        customers="customer_id,name,payment_terms\nK1,Kappa SAS,45 days end of month\n"
    )
    mapping = _write(
        "m.toml",
        SETTLED_MAPPING.replace('settled_date = "settled"', 'customer_name = "name"'),
    )
    export = _write(
        "ar.csv",
        "invoice,customer,name,issued,due,amount\nI1,K1,KAPPA,1/5/2024,2/4/2024,1.00\n",
    )
    import_paths(store, [customers, export], mapping=mapping)
    assert _customers(store) == {"K1": "Kappa SAS"}
    import_paths(store, [export], mapping=mapping)
    assert _customers(store) == {"K1": "Kappa SAS"}


def test_customer_terms_give_due_dates_of_a_mapped_file(store, write_files):
    """No due column: K1's terms, 45 days end of month: 20 Jan 2024 + 45 = 5 March,
    so 31 March; K2 has no terms: the mapping's default 30 days, 20 Jan -> 19 Feb."""
    (customers,) = write_files(
        customers="customer_id,name,payment_terms\nK1,Kappa,45 days end of month\n"
    )
    mapping = _write(
        "m.toml",
        SETTLED_MAPPING.replace('due_date = "due"\n', "")
        .replace('settled_date = "settled"\n', "")
        .replace('currency = "USD"', 'currency = "USD"\npayment_terms = "30 days"'),
    )
    export = _write(
        "ar.csv",
        "invoice,customer,issued,amount\nI1,K1,1/20/2024,1.00\nI2,K2,1/20/2024,2.00\n",
    )
    import_paths(store, [customers, export], mapping=mapping)
    docs = _documents(store)
    assert docs["I1"][1] == date(2024, 3, 31)
    assert docs["I2"][1] == date(2024, 2, 19)


def test_xlsx_sheet(store, write_files):
    """A workbook: two title lines, ids typed as numbers, date cells, float amounts.

    611365 typed as a number is padded back to 0000611365; "007" typed as text keeps
    its zeros; 0.1 + 0.2 stored by Excel as 0.30000000000000004 reads 0.3.
    """
    book = Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Factures")
    sheet.append(["Export du 30/06/2024"])
    sheet.append([])
    sheet.append(["Numéro", "Client", "Date", "Échéance", "Montant"])
    sheet.append([611365, "007", datetime(2024, 6, 4), datetime(2024, 7, 4), 1234.5])
    sheet.append([611366, "007", "05/06/2024", "05/07/2024", 0.1 + 0.2])
    sheet.append([None, None, None, None, None])
    book.save("factures.xlsx")
    mapping = _write(
        "x.toml",
        """
[file]
sheet = "Factures"
skip_rows = 2

[format]
date = "%d/%m/%Y"

[defaults]
currency = "EUR"

[columns]
invoice_id = "Numéro"
customer_id = "Client"
issue_date = "Date"
due_date = "Échéance"
amount = "Montant"

[identifiers]
invoice_id = { pad_zeros = 10 }
""",
    )
    result = import_paths(store, [Path("factures.xlsx")], mapping=mapping)
    assert result.files[0].rows == 2
    assert _documents(store) == {
        "0000611365": (
            date(2024, 6, 4),
            date(2024, 7, 4),
            123450,
            "EUR",
            "posted",
            False,
        ),
        "0000611366": (date(2024, 6, 5), date(2024, 7, 5), 30, "EUR", "posted", False),
    }
    assert _customers(store) == {"007": "007"}


def test_xlsx_problem_lines_are_sheet_rows(store, write_files):
    book = Workbook()
    sheet = book.active
    sheet.append(["Numéro", "Client", "Date", "Montant"])
    sheet.append(["F1", "C1", "31/02/2024", 10])
    book.save("f.xlsx")
    mapping = _write(
        "x.toml",
        '[format]\ndate = "%d/%m/%Y"\n'
        '[defaults]\ncurrency = "EUR"\npayment_terms = "30 days"\n'
        '[columns]\ninvoice_id = "Numéro"\ncustomer_id = "Client"\n'
        'issue_date = "Date"\namount = "Montant"\n',
    )
    with pytest.raises(ImportRejected) as caught:
        import_paths(store, [Path("f.xlsx")], mapping=mapping)
    assert [str(p) for p in caught.value.problems] == [
        "f.xlsx:2: Date: '31/02/2024' is not a date: expected the format %d/%m/%Y"
    ]


def test_mapped_payments(store, write_files):
    """A bank export mapped as payments, invoice numbers padded to match.

    "42" padded to 6 digits is 000042; "60,00" with a decimal comma is 60.00:
    000042 is left open for 100.00 − 60.00 = 40.00 = 4000 cents."""
    books = write_files(
        customers="customer_id,name\nC1,Dupont\n",
        invoices="invoice_id,customer_id,issue_date,due_date,amount,currency\n"
        "000042,C1,2024-01-10,2024-02-09,100.00,EUR\n",
    )
    mapping = _write(
        "bank.toml",
        'kind = "payments"\n[format]\ndate = "%d.%m.%Y"\ndecimal_comma = true\n'
        '[defaults]\ncurrency = "EUR"\n'
        '[columns]\npayment_id = "Ref"\ninvoice_id = "Invoice"\n'
        'date = "Value date"\namount = "Credit"\n'
        "[identifiers]\ninvoice_id = { pad_zeros = 6 }\n",
    )
    bank = _write(
        "bank.csv", 'Ref,Invoice,Value date,Credit\nVIR-1,42,01.02.2024,"60,00"\n'
    )
    import_paths(store, [*books, bank], mapping=mapping)
    with store.transaction() as s:
        ledger = load_ledger(s)
    items = open_items(ledger, date(2024, 2, 1))
    assert dict(zip(items["ref"], items["residual"])) == {"000042": 4000}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'kind = "invoices"\n[columns]\ninvoice_id = "a"\namout = "b"\n',
            r"m.toml:4: columns.amout: unknown field for invoices: expected some of ",
        ),
        (
            '[colums]\ninvoice_id = "a"\n',
            r"m.toml:1: colums: unknown key: expected some of kind, file, ",
        ),
        (
            'kind = "orders"\n',
            r"m.toml:1: kind: 'orders' is not a kind: expected one of customers, ",
        ),
        (
            '[defaults]\ncurrency = "DOLLAR"\n',
            r"m.toml:2: defaults.currency: unknown currency 'DOLLAR'",
        ),
        (
            '[format]\ndate = "DD/MM/YYYY"\n',
            r"m.toml:2: format.date: 'DD/MM/YYYY' is not a strptime format",
        ),
        (
            (
                '[defaults]\ncurrency = "EUR"\n'
                '[columns]\ninvoice_id = "a"\ncustomer_id = "b"\nissue_date = "c"\n'
            ),
            r"m.toml:3: columns: no column for amount$",
        ),
        (
            (
                '[columns]\ninvoice_id = "a"\ncustomer_id = "b"\n'
                'issue_date = "c"\namount = "d"\n'
            ),
            r"no column for currency \(or set defaults.currency\)",
        ),
        (
            "[identifiers]\ninvoice_id = { pad = 10 }\n",
            r"m.toml:2: identifiers.invoice_id: unknown option 'pad'",
        ),
        (
            '[file]\nseparator = ";;"\n',
            r"m.toml:2: file.separator: ';;' must be one character",
        ),
        ("kind = \n", r"m.toml: not valid TOML"),
    ],
    ids=[
        "field-typo",
        "section-typo",
        "kind",
        "currency",
        "date-format",
        "no-amount",
        "no-currency",
        "rule",
        "separator",
        "toml",
    ],
)
def test_mapping_errors(tmp_path, text, message):
    path = tmp_path / "m.toml"
    path.write_text(text)
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    assert re.search(message, str(caught.value).replace(str(tmp_path) + "/", ""))


def test_mapping_error_is_a_usage_error(store, write_files):
    mapping = _write("m.toml", "[colums]\n")
    export = _write("x.csv", "a\n1\n")
    with pytest.raises(ImportUsageError, match="m.toml:1: colums: unknown key"):
        import_paths(store, [export], mapping=mapping)
