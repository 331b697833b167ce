"""Rate tables in use: shipped, or updated into the user's rates directory."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from relance.imports.records import ImportRejected
from relance.services.rates import (
    load_table,
    rates_dir,
    table_source,
    update_rates,
)


def test_shipped_tables_load(tmp_path):
    ecb = load_table("ecb", tmp_path)
    assert ecb.on(date(2025, 7, 1)) == Decimal("2.15")
    assert load_table("legal", tmp_path).on(date(2026, 1, 1)) == Decimal("2.62")
    assert table_source("ecb", tmp_path) == "shipped"


def test_rates_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RELANCE_RATES_DIR", str(tmp_path / "r"))
    assert rates_dir() == tmp_path / "r"
    monkeypatch.delenv("RELANCE_RATES_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert rates_dir() == tmp_path / "xdg" / "relance" / "rates"


def test_update_adds_a_decision_and_is_used_from_then_on(tmp_path):
    new = tmp_path / "new.csv"
    new.write_text("effective_date,rate_percent\n2025-06-11,2.15\n2026-03-18,1.90\n")
    done = update_rates("ecb", new, tmp_path / "rates")
    assert (done.added, done.total) == (1, 38)
    assert done.last is not None and done.last.percent == Decimal("1.90")
    assert table_source("ecb", tmp_path / "rates") == str(done.path)
    assert load_table("ecb", tmp_path / "rates").on(date(2026, 7, 1)) == Decimal("1.90")
    # Updating again with the same file changes nothing.
    assert update_rates("ecb", new, tmp_path / "rates").added == 0


def test_bad_file_writes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("effective_date,rate_percent\n2026-03-18,1,90\n2026-01-01,x\n")
    with pytest.raises(ImportRejected) as caught:
        update_rates("ecb", bad, tmp_path / "rates")
    assert [str(p) for p in caught.value.problems] == [
        f"{bad}:2: row: 3 cells, expected 2",
        f"{bad}:3: rate_percent: 'x' is not a decimal rate (expected e.g. 2.15)",
    ]
    assert not (tmp_path / "rates").exists()


def test_rewrite_needs_replace(tmp_path):
    clash = tmp_path / "clash.csv"
    clash.write_text("effective_date,rate_percent\n2025-06-11,2.00\n")
    with pytest.raises(ImportRejected):
        update_rates("ecb", clash, tmp_path / "rates")
    done = update_rates("ecb", clash, tmp_path / "rates", replace=True)
    assert (done.added, done.total) == (1, 1)
    assert load_table("ecb", tmp_path / "rates").on(date(2025, 7, 1)) == Decimal("2.00")


def test_broken_user_table_is_reported(tmp_path):
    """Also a ValueError: the formal notice then goes out without penalties."""
    (tmp_path / "fr_legal_interest_rates.csv").write_text("nope\n")
    with pytest.raises(ValueError) as caught:
        load_table("legal", tmp_path)
    assert "header" in str(caught.value.problems[0])
