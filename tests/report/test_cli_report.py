"""`relance report`: options, the file written, exit codes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from relance.cli import app

from .book import AS_OF
from .page import Page

runner = CliRunner()


@pytest.fixture
def db(book_store) -> str:
    return book_store.engine.url.render_as_string(hide_password=False)


def test_report_command_writes_the_file(db, tmp_path):
    """As of 15 March 2024 over 3 months: the headline AR of book.py."""
    out = tmp_path / "r.html"
    args = ["report", "--as-of", AS_OF.isoformat(), "--months", "3", "--out", str(out)]
    result = runner.invoke(app, [*args, "--db", db])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output.replace("\n", "")
    page = Page(out.read_text(encoding="utf-8"))
    assert page.value("EUR", "receivables") == "2\u202f850,00\u00a0€"
    assert page.value("EUR", "dso_accounting") == "56,3\u202fj"


def test_report_command_in_english(db, tmp_path):
    out = tmp_path / "r.html"
    args = ["report", "--as-of", "2024-03-15", "--months", "3", "--lang", "en"]
    result = runner.invoke(app, [*args, "--out", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    assert (
        Page(out.read_text(encoding="utf-8")).value("EUR", "receivables") == "€2,850.00"
    )


@pytest.mark.parametrize(
    "option",
    [["--as-of", "15/03/2024"], ["--months", "0"], ["--lang", "de"]],
    ids=["date", "months", "lang"],
)
def test_bad_options_exit_2(tmp_path, option):
    out = tmp_path / "r.html"
    db = f"sqlite:///{tmp_path / 'x.db'}"
    result = runner.invoke(app, ["report", *option, "--out", str(out), "--db", db])
    assert result.exit_code == 2
    assert not out.exists()
