"""The follow-up commands, end to end on a database file (exit codes and output)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relance.cli import app
from relance.settings import settings_markdown
from relance.store.db import Store
from reminders.sending_books import write_books

runner = CliRunner()
DOCS = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'relance.db'}"
    store = Store(url)
    write_books(store)
    store.close()
    return url


def test_settings_json_masks_secrets(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["settings", "--json"], env={"RELANCE_SMTP_PASSWORD": "hunter2"}
    )
    assert result.exit_code == 0
    rows = {row["name"]: row for row in json.loads(result.output)}
    assert rows["smtp_password"]["value"] == "********"
    assert rows["smtp_password"]["source"] == "$RELANCE_SMTP_PASSWORD"
    assert "hunter2" not in result.output


def test_settings_markdown_is_the_docs_page() -> None:
    result = runner.invoke(app, ["settings", "--markdown"])
    assert result.output == settings_markdown() == DOCS.read_text()


def test_bad_settings_are_a_usage_error() -> None:
    result = runner.invoke(app, ["settings"], env={"RELANCE_SMTP_PORT": "abc"})
    assert result.exit_code == 2
    assert "$RELANCE_SMTP_PORT: 'abc' is not a whole number" in result.output


def test_policy_check_passes_then_reports_a_broken_template(tmp_path: Path) -> None:
    assert runner.invoke(app, ["policy", "check"]).exit_code == 0
    broken = tmp_path / "tpl" / "fr" / "reminder_first"
    broken.mkdir(parents=True)
    (broken / "subject.txt").write_text("{{ clinet.name }}")
    result = runner.invoke(
        app, ["policy", "check"], env={"RELANCE_TEMPLATES_DIR": str(tmp_path / "tpl")}
    )
    assert result.exit_code == 1
    assert "fr/reminder_first/subject.txt:1: 'clinet' is undefined" in result.output


def test_run_send_and_actions(db: str) -> None:
    """Run records the day's actions once; a send at 20:00 (outside the window)
    delivers nothing and exits 0."""
    first = runner.invoke(app, ["run", "--date", "2024-03-15", "--db", db, "--json"])
    assert first.exit_code == 0, first.output
    recorded = json.loads(first.output)["recorded"]
    assert recorded
    again = runner.invoke(app, ["run", "--date", "2024-03-15", "--db", db, "--json"])
    assert json.loads(again.output)["recorded"] == []
    evening = runner.invoke(
        app, ["send", "--at", "2024-03-15T20:00", "--db", db, "--json"]
    )
    assert evening.exit_code == 0, evening.output
    assert json.loads(evening.output)["sent"] == []
    listed = runner.invoke(app, ["actions", "list", "--db", db, "--json"])
    assert len(json.loads(listed.output)) == len(recorded)


def test_resolve_needs_one_decision_and_an_action(db: str) -> None:
    assert runner.invoke(app, ["actions", "resolve", "1", "--db", db]).exit_code == 2
    missing = runner.invoke(app, ["actions", "resolve", "99", "--sent", "--db", db])
    assert missing.exit_code == 1
    assert "no action 99" in missing.output


def test_dispute_and_promise_commands(db: str) -> None:
    opened = runner.invoke(
        app,
        [
            "dispute",
            "open",
            "F1",
            "--reason",
            "price",
            "--date",
            "2024-03-01",
            "--db",
            db,
        ],
    )
    assert opened.output.strip() == "dispute 1 opened on F1"
    runner.invoke(app, ["dispute", "close", "1", "--date", "2024-03-11", "--db", db])
    figures = runner.invoke(
        app,
        [
            "dispute",
            "figures",
            "--from",
            "2024-03-01",
            "--to",
            "2024-04-01",
            "--db",
            db,
            "--json",
        ],
    )
    assert json.loads(figures.output) == {
        "from": "2024-03-01",
        "to": "2024-04-01",
        "opened": 1,
        "closed": 1,
        "average_resolution_days": "10.0",
    }
    added = runner.invoke(
        app,
        [
            "promise",
            "add",
            "C2",
            "--promise-date",
            "2024-03-29",
            "--amount",
            "500,00",
            "--date",
            "2024-03-15",
            "--db",
            db,
        ],
    )
    assert added.exit_code == 0, added.output
    (promise,) = json.loads(
        runner.invoke(app, ["promise", "list", "--db", db, "--json"]).output
    )
    assert (promise["amount"], promise["status"]) == ("500.00", "open")
    refused = runner.invoke(
        app, ["dispute", "open", "NOPE", "--reason", "price", "--db", db]
    )
    assert refused.exit_code == 1
