"""Bad canonical files: every problem is reported as file:line: field: message, and
nothing at all is written, not even the good rows or the good files."""

from __future__ import annotations

import pytest
from import_helpers import CUSTOMERS, EMPTY, INVOICES, files_writer, ledger_counts

from relance.imports.records import ImportRejected
from relance.services.importing import import_paths

HEAD = "invoice_id,customer_id,issue_date,due_date,amount,currency\n"
PAY_HEAD = "payment_id,invoice_id,customer_id,date,amount,currency\n"
GOOD = "F1,C1,2024-01-10,2024-02-09,1200.00,EUR\n"

CASES = [
    pytest.param(
        {"invoices": HEAD + GOOD + "F2,C1,2024-01-10,2024-02-09,12,50,EUR\n"},
        ["invoices.csv:3: columns: expected 6 values as in the header, found 7"],
        id="wrong-column-count",
    ),
    pytest.param(
        {
            "invoices": "invoice_id,customer_id,issue_date,amount,currency\n"
            "F1,C1,x,1,EUR\n"
        },
        ["invoices.csv:1: due_date: missing column (required)"],
        id="missing-column",
    ),
    pytest.param(
        {"invoices": HEAD.replace("currency", "devise") + GOOD},
        [
            "invoices.csv:1: currency: missing column (required)",
            (
                "invoices.csv:1: devise: unknown column: expected some of invoice_id, "
                "customer_id, issue_date, due_date, amount, "
                "currency, status, disputed, "
                "billing_email, applies_to"
            ),
        ],
        id="unknown-column",
    ),
    pytest.param(
        {"invoices": HEAD + "F1,C1,10/01/2024,2024-02-09,1.00,EUR\n"},
        ["invoices.csv:2: issue_date: '10/01/2024' is not a date: expected YYYY-MM-DD"],
        id="unparseable-date",
    ),
    pytest.param(
        {"invoices": HEAD + "F1,C1,2024-01-10,2024-02-30,1.00,EUR\n"},
        ["invoices.csv:2: due_date: '2024-02-30' is not a date: expected YYYY-MM-DD"],
        id="impossible-date",
    ),
    pytest.param(
        {"invoices": HEAD + 'F1,C1,2024-01-10,2024-02-09,"1 200,00",EUR\n'},
        [
            (
                "invoices.csv:2: amount: '1 200,00' is not an amount: expected digits "
                "with a dot for decimals, e.g. -1234.56"
            )
        ],
        id="unparseable-amount",
    ),
    pytest.param(
        {"invoices": HEAD + "F1,C1,2024-01-10,2024-02-09,1.00,EURO\n"},
        [
            (
                "invoices.csv:2: currency: unknown currency "
                "'EURO': expected an ISO 4217 "
                "code such as EUR or USD"
            )
        ],
        id="unknown-currency",
    ),
    pytest.param(
        {"invoices": HEAD + "F1,C1,2024-01-10,2024-02-09,10.005,EUR\n"},
        ["invoices.csv:2: amount: '10.005' has more decimals than EUR allows (2)"],
        id="too-many-decimals",
    ),
    pytest.param(
        {
            "invoices": HEAD + "F1,C1,2024-01-10,2024-02-09,1000,JPY\n",
            "payments": PAY_HEAD + "P1,F1,,2024-02-01,99.5,\n",
        },
        ["payments.csv:2: amount: '99.5' has more decimals than JPY allows (0)"],
        id="payment-decimals-of-invoice-currency",
    ),
    pytest.param(
        {"invoices": HEAD + GOOD + GOOD.replace("1200.00", "5.00")},
        ["invoices.csv:3: invoice_id: duplicate id 'F1', first at invoices.csv:2"],
        id="duplicate-invoice",
    ),
    pytest.param(
        {"customers": CUSTOMERS + "C1,Dupont bis,,,,,\n"},
        ["customers.csv:4: customer_id: duplicate id 'C1', first at customers.csv:2"],
        id="duplicate-customer",
    ),
    pytest.param(
        {
            "invoices": HEAD + GOOD,
            "payments": PAY_HEAD
            + "P1,F1,,2024-02-01,10.00,EUR\nP1,F1,,2024-02-02,20.00,EUR\n",
        },
        ["payments.csv:3: payment_id: duplicate id 'P1', first at payments.csv:2"],
        id="duplicate-payment",
    ),
    pytest.param(
        {
            "invoices": HEAD + GOOD,
            "payments": PAY_HEAD + "P1,F9,,2024-02-01,10.00,EUR\n",
        },
        ["payments.csv:2: invoice_id: unknown invoice 'F9'"],
        id="payment-of-unknown-invoice",
    ),
    pytest.param(
        {"writeoffs": "invoice_id,date,amount\nF9,2024-06-30,10.00\n"},
        ["writeoffs.csv:2: invoice_id: unknown invoice 'F9'"],
        id="writeoff-of-unknown-invoice",
    ),
    pytest.param(
        {"invoices": HEAD + "F1,C9,2024-01-10,2024-02-09,1.00,EUR\n"},
        ["invoices.csv:2: customer_id: unknown customer 'C9'"],
        id="invoice-of-unknown-customer",
    ),
    pytest.param(
        {"invoices": HEAD.replace("\n", ",status\n") + GOOD.replace("\n", ",paid\n")},
        [
            (
                "invoices.csv:2: status: 'paid' is not a "
                "status: expected posted, draft "
                "or cancelled"
            )
        ],
        id="bad-status",
    ),
    pytest.param(
        {
            "invoices": HEAD.replace("\n", ",disputed\n")
            + GOOD.replace("\n", ",maybe\n")
        },
        [
            (
                "invoices.csv:2: disputed: 'maybe' is not yes or no: expected yes, no, "
                "true, false, 1 or 0"
            )
        ],
        id="bad-disputed",
    ),
    pytest.param(
        {
            "invoices": HEAD + "F1,C2,2024-01-10,,1.00,EUR\n",
            "customers": "customer_id,name\nC2,Martin\n",
        },
        [
            (
                "invoices.csv:2: due_date: missing value: give "
                "a due date, payment terms "
                "for the customer, or --default-terms"
            )
        ],
        id="no-due-date-nor-terms",
    ),
    pytest.param(
        {"payments": PAY_HEAD + "P1,,,2024-02-01,10.00,\n"},
        [
            (
                "payments.csv:2: customer_id: missing value: a "
                "payment of no invoice needs "
                "a customer_id"
            ),
            (
                "payments.csv:2: currency: missing value: a "
                "payment of no invoice needs "
                "a currency"
            ),
        ],
        id="payment-of-nothing",
    ),
    pytest.param(
        {
            "invoices": HEAD + GOOD,
            "payments": PAY_HEAD + "P1,F1,C2,2024-02-01,-10.00,EUR\n",
        },
        [
            (
                "payments.csv:2: amount: '-10.00' is not a payment: expected an amount "
                "above 0"
            ),
            "payments.csv:2: customer_id: invoice 'F1' is of customer 'C1', not 'C2'",
        ],
        id="negative-payment-by-another-customer",
    ),
    pytest.param(
        {"customers": "customer_id,name,country,payment_terms\nC5,Leroy,France,soon\n"},
        [
            (
                "customers.csv:2: payment_terms: payment terms 'soon' not understood: "
                'expected one of "30 days", "30 jours", "30 jours net", "net 30", '
                '"45 days end of month", "45 jours fin de mois", '
                '"end of month + 45 days", "fin de mois + 45 jours", '
                '"comptant", "immediate", "0 days"'
            ),
            (
                "customers.csv:2: country: 'France' is not a "
                "country: expected a 2-letter "
                "ISO code such as FR"
            ),
        ],
        id="bad-customer-fields",
    ),
]


@pytest.fixture
def write_files(tmp_path, monkeypatch):
    """Write CSV files in the test's own working folder."""
    return files_writer(tmp_path, monkeypatch)


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_bad_input_is_reported_and_nothing_written(store, write_files, files, expected):
    paths = (
        write_files(customers=CUSTOMERS, **files)
        if "customers" not in files
        else write_files(**files)
    )
    with pytest.raises(ImportRejected) as caught:
        import_paths(store, paths)
    assert [str(p) for p in caught.value.problems] == expected
    assert ledger_counts(store) == EMPTY


def test_every_problem_of_every_file_together(store, write_files):
    """Three problems in two files, reported at once in file order, then line order."""
    paths = write_files(
        customers=CUSTOMERS,
        invoices=HEAD
        + "F1,C1,2024-01-10,2024-02-09,abc,EUR\n"
        + GOOD.replace("F1", "F2")
        + "F3,C1,2024-01-10,x,1.00,EUR\n",
        payments=PAY_HEAD + "P1,F7,,2024-02-01,10.00,EUR\n",
    )
    with pytest.raises(ImportRejected) as caught:
        import_paths(store, paths)
    assert [str(p) for p in caught.value.problems] == [
        (
            "invoices.csv:2: amount: 'abc' is not an "
            "amount: expected digits with a dot "
            "for decimals, e.g. -1234.56"
        ),
        "invoices.csv:4: due_date: 'x' is not a date: expected YYYY-MM-DD",
        "payments.csv:2: invoice_id: unknown invoice 'F7'",
    ]


def test_payment_of_a_mistyped_invoice_is_not_called_unknown(store, write_files):
    """F1's date is wrong; P1 pays F1: only the date is reported."""
    paths = write_files(
        customers=CUSTOMERS,
        invoices=HEAD + "F1,C1,2024-01-99,2024-02-09,1.00,EUR\n",
        payments=PAY_HEAD + "P1,F1,,2024-02-01,1.00,EUR\n",
    )
    with pytest.raises(ImportRejected) as caught:
        import_paths(store, paths)
    assert [str(p) for p in caught.value.problems] == [
        "invoices.csv:2: issue_date: '2024-01-99' is not a date: expected YYYY-MM-DD"
    ]


def test_undecodable_byte(store, write_files):
    """A Latin-1 'é' (0xE9) in a UTF-8 file, on line 3."""
    (path,) = write_files(customers="customer_id,name\nC1,Dupont\n")
    path.write_bytes(b"customer_id,name\nC1,Dupont\nC2,Cr\xe9dit\n")
    with pytest.raises(ImportRejected) as caught:
        import_paths(store, [path])
    assert [str(p) for p in caught.value.problems] == [
        (
            "customers.csv:3: encoding: byte 0xE9 is not valid utf-8: save the file as "
            'UTF-8, or declare its encoding in a mapping (e.g. encoding = "cp1252")'
        )
    ]
    assert ledger_counts(store) == EMPTY


def test_a_rejected_import_leaves_earlier_books_alone(store, write_files):
    import_paths(store, write_files(customers=CUSTOMERS, invoices=INVOICES))
    before = ledger_counts(store)
    bad = write_files(invoices=INVOICES + "F9,C1,2024-01-10,2024-02-09,1.00,XYZ\n")
    with pytest.raises(ImportRejected):
        import_paths(store, bad)
    assert ledger_counts(store) == before


def test_bom_and_crlf_are_read(store, write_files):
    (path,) = write_files(customers="x")
    path.write_bytes("\ufeffcustomer_id,name\r\nC1,Société Générale\r\n".encode())
    import_paths(store, [path])
    assert ledger_counts(store)["customers"] == 1
