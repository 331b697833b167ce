"""`relance demo`, run as a newcomer would (on a small company, to stay fast)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from relance.cli import app
from relance.demo.export import CANONICAL_FILES

runner = CliRunner()


def test_demo_writes_files_database_and_report(tmp_path):
    out = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "--out", str(out), "--customers", "30"])
    assert result.exit_code == 0, result.output
    for name in CANONICAL_FILES:
        assert (out / "company" / name).is_file()
    assert (out / "relance.db").is_file()
    assert (out / "report.html").is_file()
    assert "Receivables" in result.stdout
    assert "DSO (accounting)" in result.stdout
    assert "skipped" not in result.output


def test_demo_is_repeatable(tmp_path):
    """Two runs give the same files and figures: the database is made afresh."""
    out = tmp_path / "demo"
    args = ["demo", "--out", str(out), "--customers", "30", "--json"]
    first = runner.invoke(app, args)
    files = {name: (out / "company" / name).read_bytes() for name in CANONICAL_FILES}
    second = runner.invoke(app, args)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert {
        name: (out / "company" / name).read_bytes() for name in CANONICAL_FILES
    } == files
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert one["figures"] == two["figures"]
    assert one["as_of"] == "2026-11-30"
    assert one["figures"][0]["currency"] == "EUR"
    assert one["counts"]["customers"] == 30


def test_bad_as_of_is_a_usage_error(tmp_path):
    result = runner.invoke(
        app, ["demo", "--out", str(tmp_path), "--as-of", "30/11/2026"]
    )
    assert result.exit_code == 2


def test_unknown_report_language_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["demo", "--out", str(tmp_path), "--lang", "de"])
    assert result.exit_code == 2
    assert not (tmp_path / "company").exists()
