"""`relance penalties` and `relance rates`, run as a user would."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from typer.testing import CliRunner

from relance.cli import app
from relance.imports.records import (
    Application,
    CustomerRecord,
    DocumentRecord,
    ImportBatch,
    Origin,
    PaymentRecord,
)
from relance.store.db import Store
from relance.store.writer import write_batch

O = Origin("test.csv", 2)
runner = CliRunner()


def _store_url(tmp_path) -> str:
    """A store with two late invoices of a French customer.

    F1 1,200.00 due 15 Dec 2024, paid 14 Jan 2025: 16 days at 14.25 % and 14 at
    13.15 %: (1,200 × 14.25 % × 16 + 1,200 × 13.15 % × 14) / 365 = 4,945.2 / 365
    = 13.548... → 13.55.
    F2 1,000.00 due 31 Jan 2025, open on 10 Feb 2025: 10 days at 13.15 %:
    131.5 / 36.5 = 3.602... → 3.60.
    Totals: interest 17.15 EUR, indemnities 2 × 40 = 80.00 EUR.
    """
    url = f"sqlite:///{tmp_path / 'relance.db'}"
    batch = ImportBatch(
        source="test",
        customers=[CustomerRecord("C1", "Dupont SARL", O, country="FR")],
        documents=[
            DocumentRecord(
                "F1",
                "C1",
                date(2024, 11, 15),
                date(2024, 12, 15),
                Decimal("1200.00"),
                "EUR",
                O,
            ),
            DocumentRecord(
                "F2",
                "C1",
                date(2025, 1, 1),
                date(2025, 1, 31),
                Decimal("1000.00"),
                "EUR",
                O,
            ),
        ],
        payments=[
            PaymentRecord(
                "P1",
                "C1",
                date(2025, 1, 14),
                Decimal("1200.00"),
                "EUR",
                O,
                (Application("F1", Decimal("1200.00")),),
            )
        ],
    )
    store = Store(url)
    with store.transaction() as s:
        write_batch(s, batch)
    store.close()
    return url


def test_penalties_json(tmp_path):
    url = _store_url(tmp_path)
    args = ["penalties", "--as-of", "2025-02-10", "--json", "--db", url]
    args += ["--include-paid"]
    result = runner.invoke(app, [*args, "--rates-dir", str(tmp_path / "rates")])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["as_of"] == "2025-02-10"
    first, second = payload["invoices"]
    assert first == {
        "invoice_ref": "F1",
        "customer_ref": "C1",
        "currency": "EUR",
        "due_date": "2024-12-15",
        "late_until": "2025-01-14",
        "principal_outstanding": "0.00",
        "days_late": 30,
        "interest": "13.55",
        "indemnity": {"amount": "40.00", "currency": "EUR"},
        "rate_basis": "fr_statutory",
        "periods": [
            {"semester": "2024-S2", "rate_percent": "14.25", "days": 16},
            {"semester": "2025-S1", "rate_percent": "13.15", "days": 14},
        ],
        "disputed": False,
        "warnings": [],
    }
    assert (second["invoice_ref"], second["interest"]) == ("F2", "3.60")
    assert second["principal_outstanding"] == "1000.00"
    assert payload["totals"] == [
        {"currency": "EUR", "interest": "17.15", "indemnity": "80.00"}
    ]


def test_penalties_table_and_customer_filter(tmp_path):
    url = _store_url(tmp_path)
    result = runner.invoke(
        app,
        [
            *("penalties", "--as-of", "2025-02-10", "--customer", "C1", "--db", url),
            "--include-paid",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "13.55" in result.stdout and "3.60" in result.stdout
    assert "Total EUR: interest 17.15, indemnities 80.00" in result.stdout
    nobody = runner.invoke(
        app, ["penalties", "--as-of", "2025-02-10", "--customer", "ZZ", "--db", url]
    )
    assert "No invoice late" in nobody.stdout


def test_bad_date_is_a_usage_error(tmp_path):
    result = runner.invoke(
        app, ["penalties", "--as-of", "10/02/2025", "--db", "sqlite://"]
    )
    assert result.exit_code == 2


def test_rates_show_json(tmp_path):
    result = runner.invoke(
        app,
        [
            "rates",
            "show",
            "--since",
            "2024",
            "--as-of",
            "2025-03-01",
            "--json",
            "--rates-dir",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [s["semester"] for s in payload["semesters"]] == [
        "2024-S1",
        "2024-S2",
        "2025-S1",
    ]
    assert payload["semesters"][0] == {
        "semester": "2024-S1",
        "start": "2024-01-01",
        "ecb_percent": "4.50",
        "fr_statutory_percent": "14.50",
        "eu_directive_percent": "12.50",
        "legal_percent": "5.07",
        "contract_floor_percent": "15.21",
    }
    assert payload["sources"] == {"ecb": "shipped", "legal": "shipped"}


def test_rates_update(tmp_path):
    rates = str(tmp_path / "rates")
    good = tmp_path / "ecb.csv"
    good.write_text("effective_date,rate_percent\n2026-03-18,1.90\n")
    result = runner.invoke(app, ["rates", "update", str(good), "--rates-dir", rates])
    assert result.exit_code == 0, result.output
    assert "1 rate(s) added to the ecb table, 38 in all" in result.stdout

    bad = tmp_path / "bad.csv"
    bad.write_text("effective_date,rate_percent\n2026-13-01,1.90\n")
    result = runner.invoke(
        app, ["rates", "update", str(bad), "--table", "legal", "--rates-dir", rates]
    )
    assert result.exit_code == 1
    assert f"{bad}:2: effective_date: '2026-13-01' is not a date" in result.stderr


def test_default_is_what_can_be_claimed_now(tmp_path):
    """Same store (see `_store_url`). By default only F2, still open and overdue
    on 10 Feb 2025: interest 3.60, one indemnity of 40.00; F1 (paid late on 14
    Jan) is left out. The table names the customer, Dupont SARL."""
    url = _store_url(tmp_path)
    base = ["penalties", "--as-of", "2025-02-10", "--db", url]
    payload = json.loads(runner.invoke(app, [*base, "--json"]).stdout)
    assert [p["invoice_ref"] for p in payload["invoices"]] == ["F2"]
    assert payload["totals"] == [
        {"currency": "EUR", "interest": "3.60", "indemnity": "40.00"}
    ]
    assert payload["customers"] == {"C1": "Dupont SARL"}
    assert (payload["include_paid"], payload["paid_from"]) == (False, None)
    table = runner.invoke(app, base)
    assert "Dupont SARL" in table.stdout and "13.55" not in table.stdout
    assert "Total EUR: interest 3.60, indemnities 40.00" in table.stdout


def test_paid_late_from_a_date(tmp_path):
    """F1 was settled on 14 Jan 2025. `--from 2025-01-14` keeps it (on or after),
    so the totals are those of both invoices, 17.15 and 80.00; `--from
    2025-01-15` leaves it out: F2 alone, 3.60 and 40.00."""
    url = _store_url(tmp_path)
    base = ["penalties", "--as-of", "2025-02-10", "--json", "--db", url]
    on_the_day = json.loads(runner.invoke(app, [*base, "--from", "2025-01-14"]).stdout)
    assert [p["invoice_ref"] for p in on_the_day["invoices"]] == ["F1", "F2"]
    assert on_the_day["totals"][0]["interest"] == "17.15"
    assert on_the_day["include_paid"] is True
    after = json.loads(runner.invoke(app, [*base, "--from", "2025-01-15"]).stdout)
    assert [p["invoice_ref"] for p in after["invoices"]] == ["F2"]
    assert after["totals"][0]["indemnity"] == "40.00"
