"""`relance import` on the command line: summary, problems on stderr, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_helpers import BOOKS, CUSTOMERS, files_writer
from typer.testing import CliRunner

from relance.cli import app

runner = CliRunner()


@pytest.fixture
def write_files(tmp_path, monkeypatch):
    """Write CSV files in the test's own working folder."""
    return files_writer(tmp_path, monkeypatch)


def _db(tmp_path: Path) -> list[str]:
    return ["--db", f"sqlite:///{tmp_path / 'cli.db'}"]


def test_import_prints_a_summary(tmp_path, write_files):
    write_files(folder="books", **BOOKS)
    result = runner.invoke(app, ["import", "books", *_db(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "books/invoices.csv" in result.stdout
    # The ledger table: documents inserted 4, updated 0, unchanged 0.
    documents = next(line for line in result.stdout.splitlines() if "documents" in line)
    assert documents.split() == ["│", "documents", "│", "4", "│", "0", "│", "0", "│"]

    again = runner.invoke(app, ["import", "books", *_db(tmp_path)])
    assert again.exit_code == 0
    assert "Nothing changed" in again.stdout


def test_problems_go_to_stderr_with_exit_code_1(tmp_path, write_files):
    write_files(
        customers=CUSTOMERS,
        invoices="invoice_id,customer_id,issue_date,due_date,amount,currency\n"
        "F1,C1,2024-01-10,2024-02-09,1200.00,EURO\n"
        "F2,C1,2024-01-10,2024-02-09,12.345,EUR\n",
    )
    result = runner.invoke(
        app, ["import", "customers.csv", "invoices.csv", *_db(tmp_path)]
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        (
            "invoices.csv:2: currency: unknown currency 'EURO': expected an ISO 4217 "
            "code such as EUR or USD"
        ),
        "invoices.csv:3: amount: '12.345' has more decimals than EUR allows (2)",
        "2 problem(s): nothing was written.",
    ]


def test_usage_errors_exit_2(tmp_path, write_files):
    write_files(export="a,b\n1,2\n")
    unknown = runner.invoke(app, ["import", "export.csv", *_db(tmp_path)])
    assert unknown.exit_code == 2
    assert "export.csv: unknown kind of file" in unknown.stderr

    Path("m.toml").write_text("[colums]\n")
    bad_mapping = runner.invoke(
        app, ["import", "export.csv", "--mapping", "m.toml", *_db(tmp_path)]
    )
    assert bad_mapping.exit_code == 2
    assert "m.toml:1: colums: unknown key" in bad_mapping.stderr

    terms = runner.invoke(
        app, ["import", "export.csv", "--default-terms", "soon", *_db(tmp_path)]
    )
    assert terms.exit_code == 2


def test_mapping_and_default_terms_options(tmp_path, write_files):
    write_files(customers="customer_id,name\nK1,Kappa\n")
    Path("ar.csv").write_text('ref,client,date,montant\nI1,K1,20/01/2024,"10,00"\n')
    Path("m.toml").write_text(
        '[format]\ndate = "%d/%m/%Y"\ndecimal_comma = true\n'
        '[defaults]\ncurrency = "EUR"\n'
        '[columns]\ninvoice_id = "ref"\ncustomer_id = "client"\n'
        'issue_date = "date"\namount = "montant"\n'
    )
    args = ["import", "customers.csv", "ar.csv", "--mapping", "m.toml", *_db(tmp_path)]
    missing = runner.invoke(app, args)
    assert missing.exit_code == 1
    assert "ar.csv:2: due_date: missing value" in missing.stderr
    done = runner.invoke(app, [*args, "--default-terms", "30 jours"])
    assert done.exit_code == 0, done.output
