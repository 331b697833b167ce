"""`relance figures` and `relance aging` on the book of tests/figures/book.py."""

import json

import pytest
from typer.testing import CliRunner

from relance.cli import app
from relance.cli.common import console
from relance.store.writer import write_batch

from .book import book_batch

runner = CliRunner()


@pytest.fixture
def db(store) -> str:
    with store.transaction() as session:
        write_batch(session, book_batch())
    return store.engine.url.render_as_string(hide_password=False)


def test_figures_json(db):
    """The JSON keys required by the issue, with the book's hand-computed values
    (see test_aging, test_dso, test_cei, test_recovery, test_delays)."""
    result = runner.invoke(
        app, ["figures", "--json", "--as-of", "2024-03-15", "--months", "3", "--db", db]
    )
    assert result.exit_code == 0, result.output
    (eur,) = json.loads(result.output)
    required = {
        "as_of", "currency", "period", "receivables", "overdue", "aging", "dso",
        "cei", "recovery", "delays",
    }  # fmt: skip
    assert required <= set(eur)
    assert eur["as_of"] == "2024-03-15" and eur["currency"] == "EUR"
    assert eur["period"] == {"start": "2024-01-01", "end": "2024-03-15", "days": 75}
    assert (eur["receivables"], eur["overdue"]) == ("2850.00", "2000.00")
    assert eur["aging"] == {
        "not_due": "900.00",
        "1_30": "1100.00",
        "31_60": "0.00",
        "61_90": "300.00",
        "over_90": "600.00",
        "unapplied": "-50.00",
    }
    assert {
        k: eur["dso"][k]
        for k in ("accounting", "countback", "best_possible", "days_delinquent")
    } == {
        "accounting": "73.7",
        "countback": "74.1",
        "best_possible": "23.3",
        "days_delinquent": "50.4",
    }
    assert eur["cei"] == "44.29"
    rec = eur["recovery"]
    assert {
        k: rec[k] for k in ("opening_overdue", "new_overdue", "overdue_collections")
    } == {
        "opening_overdue": "1500.00",
        "new_overdue": "1200.00",
        "overdue_collections": "400.00",
    }
    assert (rec["cohort_rate"], rec["period_rate"]) == ("0.2667", "0.1481")
    assert (rec["write_offs"], rec["bad_debt_ratio"]) == ("200.00", "0.0455")
    delays = eur["delays"]
    assert delays["payments"] == 3
    assert (
        delays["days_to_pay"],
        delays["days_beyond_terms"],
        delays["days_late"],
    ) == (
        "36.5",
        "6.5",
        "11.1",
    )
    assert (delays["on_time_rate_count"], delays["on_time_rate_amount"]) == (
        "0.6667",
        "0.6923",
    )
    assert delays["distribution"]["31_60"] == {"count": 1, "amount": "400.00"}
    assert eur["disputes"] == {"items": 1, "amount": "1200.00", "share": "0.4211"}
    assert [c["customer"] for c in eur["customers"]] == ["C2", "C1", "C3"]
    assert eur["customers"][1]["days_late"] == "14.4"
    assert len(eur["trend"]) == 24
    assert eur["trend"][-1]["dso_accounting"] == "73.7"


def test_figures_table(db):
    """The book's AR 2850.00 (test_aging), accounting DSO 73.7 days (test_dso) and
    CEI 44.29 % (test_cei), as the table writes them."""
    result = runner.invoke(
        app, ["figures", "--date", "2024-03-15", "--months", "3", "--db", db]
    )
    assert result.exit_code == 0, result.output
    assert "2,850.00" in result.output
    assert "73.7 d" in result.output
    assert "44.29 %" in result.output


def test_aging_by_customer_and_item(db, monkeypatch):
    """AR 2850.00 (test_aging); by item the most overdue first: F1, 1000 − P1 400 =
    600.00 open, due 15 Dec: 16 + 31 + 29 + 15 = 91 days past due (book.py); the
    unapplied cash P4 comes last."""
    # A terminal wide enough for the nine columns.
    monkeypatch.setattr(console, "width", 160)
    result = runner.invoke(app, ["aging", "--as-of", "2024-03-15", "--db", db])
    assert result.exit_code == 0, result.output
    assert "Martin SA" in result.output and "2,850.00" in result.output
    result = runner.invoke(
        app, ["aging", "--as-of", "2024-03-15", "--by", "item", "--json", "--db", db]
    )
    (eur,) = json.loads(result.output)
    assert eur["receivables"] == "2850.00"
    first = eur["rows"][0]
    assert (first["ref"], first["days_past_due"], first["residual"]) == (
        "F1",
        91,
        "600.00",
    )
    assert eur["rows"][-1]["kind"] == "payment"


@pytest.mark.parametrize(
    "args",
    [
        ["--months", "3", "--from", "2024-01-01"],
        ["--from", "2024-04-01"],
        ["--as-of", "15/03/2024"],
        ["--customer", "NOPE"],
    ],
    ids=["months-and-from", "from-after-as-of", "bad-date", "unknown-customer"],
)
def test_usage_errors_exit_2(db, args):
    result = runner.invoke(app, ["figures", "--db", db, "--as-of", "2024-03-15", *args])
    assert result.exit_code == 2


def test_rates_shown_as_percentages(db):
    """The table shows rates as CEI is shown, in percent (JSON keeps fractions):
    disputed share 1,200 / 2,850 = 0.42105 → 42.11 %; cohort recovery 400 /
    1,500 = 0.26667 → 26.67 %; on time by count 2 of 3 → 66.67 %."""
    result = runner.invoke(
        app, ["figures", "--as-of", "2024-03-15", "--months", "3", "--db", db]
    )
    assert result.exit_code == 0, result.output
    lines = {
        line.split("│")[1].strip(): line.split("│")[2].strip()
        for line in result.output.splitlines()
        if line.count("│") == 3
    }
    assert lines["Disputed share"] == "42.11 %"
    assert lines["Cohort recovery rate"] == "26.67 %"
    assert lines["On time (count)"] == "66.67 %"
    assert lines["CEI"] == "44.29 %"


def test_period_before_the_first_invoice_is_flagged(db):
    """The book's first invoice is F1, 15 Nov 2023. Six months to 15 March 2024
    start on 1 Oct 2023, before it: a warning, in the JSON and under the table.
    Three months start on 1 Jan 2024: no warning. The DSO keeps its value."""
    base = ["figures", "--as-of", "2024-03-15", "--db", db]
    warning = (
        "the period starts before the first invoice (2023-11-15): sales are "
        "incomplete, DSO overstated"
    )
    six = runner.invoke(app, [*base, "--months", "6", "--json"])
    (eur,) = json.loads(six.output)
    assert eur["warnings"] == [warning]
    assert eur["dso"]["accounting"] is not None
    three = runner.invoke(app, [*base, "--months", "3", "--json"])
    assert json.loads(three.output)[0]["warnings"] == []
    table = runner.invoke(app, [*base, "--months", "6"])
    assert warning in " ".join(table.output.split())
