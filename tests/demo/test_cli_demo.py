"""`relance demo`, run as a newcomer would (on a small company, to stay fast)."""

from __future__ import annotations

import json
from decimal import Decimal

from typer.testing import CliRunner

from relance.cli import app
from relance.demo.export import CANONICAL_FILES

runner = CliRunner()


def test_demo_writes_files_database_and_report_and_repeats(tmp_path, monkeypatch):
    """A second run gives the same files and figures: the database is made afresh
    (were it not, the import would find everything already there). The user's own
    database, named by RELANCE_DATABASE_URL, is left alone."""
    own = tmp_path / "own.db"
    monkeypatch.setenv("RELANCE_DATABASE_URL", f"sqlite:///{own}")
    out = tmp_path / "demo"
    args = ["demo", "--out", str(out), "--customers", "30"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    for name in CANONICAL_FILES:
        assert (out / "company" / name).is_file()
    assert (out / "relance.db").is_file()
    assert not own.exists()
    assert (out / "report.html").is_file()
    roi_page = (out / "roi" / "roi.html").read_text(encoding="utf-8")
    assert "direct and incremental return" in roi_page
    assert (out / "roi" / "roi.xlsx").is_file()
    assert "held out" in first.stdout
    assert "Receivables" in first.stdout
    assert "DSO (accounting)" in first.stdout
    assert "skipped" not in first.output
    files = {name: (out / "company" / name).read_bytes() for name in CANONICAL_FILES}

    second = runner.invoke(app, [*args, "--json"])
    assert second.exit_code == 0, second.output
    assert {
        name: (out / "company" / name).read_bytes() for name in CANONICAL_FILES
    } == files
    shown = json.loads(second.stdout)
    assert shown["as_of"] == "2026-11-30"
    assert shown["counts"]["customers"] == 30
    assert shown["report"] == str(out / "report.html")
    figures = shown["figures"][0]
    assert figures["currency"] == "EUR"
    receivables = f"{Decimal(figures['receivables']):,} EUR"
    assert receivables in first.stdout


def test_bad_as_of_is_a_usage_error(tmp_path):
    result = runner.invoke(
        app, ["demo", "--out", str(tmp_path), "--as-of", "30/11/2026"]
    )
    assert result.exit_code == 2


def test_unknown_report_language_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["demo", "--out", str(tmp_path), "--lang", "de"])
    assert result.exit_code == 2
    assert not (tmp_path / "company").exists()
