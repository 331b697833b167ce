"""`relance import` also takes past actions and feedback files, after the ledger."""

from sqlalchemy import func, select
from typer.testing import CliRunner

from relance.cli import app
from relance.store import models as m
from relance.store.db import Store

CUSTOMERS = "customer_id,name\nC1,Dupont\n"
INVOICES = (
    "invoice_id,customer_id,issue_date,due_date,amount,currency\n"
    "F1,C1,2024-01-02,2024-02-01,1000.00,EUR\n"
)
ACTIONS = (
    "date,customer_id,invoice_id,channel,step,cost,holdout,campaign\n"
    "2024-02-05,C1,F1,email,email_1,0.50,no,winter\n"
)


def test_books_and_actions_in_one_command(tmp_path):
    """One email action on F1, cost 0.50 EUR = 50 cents; a second run changes nothing."""
    for name, text in {
        "customers.csv": CUSTOMERS,
        "invoices.csv": INVOICES,
        "actions.csv": ACTIONS,
    }.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'r.db'}"
    files = [str(tmp_path / n) for n in ("customers.csv", "invoices.csv", "actions.csv")]
    runner = CliRunner()
    first = runner.invoke(app, ["import", *files, "--db", url])
    assert first.exit_code == 0, first.output
    assert "actions.csv (actions): 1 inserted" in first.output
    again = runner.invoke(app, ["import", *files, "--db", url])
    assert "actions.csv (actions): 0 inserted, 0 updated, 1 unchanged" in again.output
    store = Store(url)
    with store.transaction() as s:
        actions = s.execute(select(m.Action.cost_minor, m.Action.channel)).all()
        documents = s.execute(select(func.count()).select_from(m.Document)).scalar_one()
    store.close()
    assert actions == [(50, "email")]
    assert documents == 1
