"""Planning from the store, and `relance plan`: what is read, and that nothing changes.

Books of 12 June 2025 (a Thursday), default policy. Every invoice is 100.00 EUR due
2 June, so email_1 (+3) is due since 5 June and email_2 (+10) on 12 June:
- OK: one posted invoice, no history -> email_1 (standard);
- DRAFT, CANC: a draft and a cancelled invoice only -> nothing, not even skipped;
- PAID: paid on 10 June -> nothing;
- DISP: a dispute opened on 10 June in the disputes table -> skipped;
- PROM: promised on 10 June to pay by 20 June -> skipped;
- OPT: opted out (customers.csv) -> skipped;
- LVL: reached email_1 on 26 May (recorded action) -> email_2;
- GC: customer_type grand_compte -> grand_compte/email_1 (+5: 7 June -> 10 June).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from rich.console import Console
from sqlalchemy import select
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
from relance.reminders.policy import default_policy
from relance.services.planning import load_planning_data, plan, plan_to_dict
from relance.store import models as m
from relance.store.db import Store
from relance.store.writer import write_batch

O = Origin("test.csv", 2)
DAY = date(2025, 6, 12)
DUE = date(2025, 6, 2)
runner = CliRunner()


def _invoice(ref: str, customer: str, status: str = "posted") -> DocumentRecord:
    return DocumentRecord(
        ref, customer, date(2025, 5, 3), DUE, Decimal("100.00"), "EUR", O, status=status
    )


def _fill(store: Store) -> None:
    batch = ImportBatch(
        source="test",
        customers=[
            CustomerRecord("OK", "Ok SARL", O),
            CustomerRecord("DRAFT", "Draft SA", O),
            CustomerRecord("CANC", "Canc SA", O),
            CustomerRecord("PAID", "Paid SA", O),
            CustomerRecord("DISP", "Disp SA", O),
            CustomerRecord("PROM", "Prom SA", O),
            CustomerRecord("OPT", "Opt SA", O, opted_out=True),
            CustomerRecord("LVL", "Lvl SA", O, language="en"),
            CustomerRecord("GC", "Grand Compte SA", O, customer_type="grand_compte"),
        ],
        documents=[
            _invoice("F-OK", "OK"),
            _invoice("F-DRAFT", "DRAFT", status="draft"),
            _invoice("F-CANC", "CANC", status="cancelled"),
            _invoice("F-PAID", "PAID"),
            _invoice("F-DISP", "DISP"),
            _invoice("F-PROM", "PROM"),
            _invoice("F-OPT", "OPT"),
            _invoice("F-LVL", "LVL"),
            _invoice("F-GC", "GC"),
        ],
        payments=[
            PaymentRecord(
                "P1",
                "PAID",
                date(2025, 6, 10),
                Decimal("100.00"),
                "EUR",
                O,
                (Application("F-PAID", Decimal("100.00")),),
            )
        ],
    )
    with store.transaction() as s:
        write_batch(s, batch)
        ids = dict(s.execute(select(m.Document.ref, m.Document.id)).all())
        customers = dict(s.execute(select(m.Customer.ref, m.Customer.id)).all())
        s.add(
            m.Dispute(
                document_id=ids["F-DISP"],
                reason_code="price",
                opened_on=date(2025, 6, 10),
            )
        )
        s.add(
            m.Promise(
                customer_id=customers["PROM"],
                recorded_on=date(2025, 6, 10),
                promised_for=date(2025, 6, 20),
                amount_minor=10000,
                currency="EUR",
            )
        )
        now = datetime(2025, 5, 26, 9, 0, tzinfo=UTC)
        action = m.Action(
            ref="2025-05-26/LVL/standard/email_1",
            customer_id=customers["LVL"],
            campaign="default",
            segment="standard",
            step="email_1",
            step_index=1,
            channel="email",
            planned_on=date(2025, 5, 26),
            state="sent",
            currency="EUR",
            created_at=now,
            updated_at=now,
        )
        s.add(action)
        s.flush()
        s.add(
            m.ActionItem(
                action_id=action.id,
                document_id=ids["F-LVL"],
                step_key="standard/email_1",
                residual_minor=10000,
                currency="EUR",
            )
        )


def _snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, to prove planning writes nothing."""
    tables = {}
    with store.transaction() as s:
        for table in m.Base.metadata.sorted_tables:
            rows = s.execute(select(table)).all()
            tables[table.name] = sorted(tuple(map(str, row)) for row in rows)
    return tables


def test_plan_from_the_store(store: Store):
    _fill(store)
    day_plan = plan(store, default_policy(), DAY)
    assert [(c.customer_ref, c.step_key, c.language) for c in day_plan.contacts] == [
        ("GC", "grand_compte/email_1", "fr"),
        ("LVL", "standard/email_2", "en"),
        ("OK", "standard/email_1", "fr"),
    ]
    assert [(s.customer_ref, s.document_ref, s.reason) for s in day_plan.skipped] == [
        ("DISP", "F-DISP", "invoice in dispute since 2025-06-10"),
        ("OPT", None, "customer opted out of reminders"),
        (
            "PROM",
            "F-PROM",
            "customer promised to pay until 2025-06-20 (reminders resume the day after)",
        ),
    ]
    ok = day_plan.contacts[2]
    assert ok.customer_name == "Ok SARL"
    assert [(i.document_ref, i.residual, i.days_past_due) for i in ok.items] == [
        ("F-OK", 10000, 10)
    ]


def test_loaded_data_holds_what_the_planner_reads(store: Store):
    _fill(store)
    with store.transaction() as s:
        data = load_planning_data(s)
    assert sorted(data.ledger.documents.get_column("ref")) == [
        "F-DISP",
        "F-GC",
        "F-LVL",
        "F-OK",
        "F-OPT",
        "F-PAID",
        "F-PROM",
    ]
    assert data.disputes.height == 1 and data.promises.height == 1
    assert data.actions.select("step", "state").rows() == [("email_1", "sent")]
    assert data.action_items.get_column("dropped").to_list() == [False]
    opted = data.customers.filter(data.customers["ref"] == "OPT")
    assert opted.get_column("opted_out").to_list() == [True]


def test_a_dropped_item_is_not_a_level_reached(store: Store):
    """When sending dropped F-LVL from its email_1 action, LVL is back at email_1."""
    if not hasattr(m.ActionItem, "dropped_reason"):
        return
    _fill(store)
    with store.transaction() as s:
        item = s.execute(select(m.ActionItem)).scalar_one()
        item.dropped_reason = "paid"
        item.step_key = "standard/email_1~dropped~1"
    day_plan = plan(store, default_policy(), DAY)
    lvl = [c for c in day_plan.contacts if c.customer_ref == "LVL"]
    assert [c.step for c in lvl] == ["email_1"]


def test_plan_command_prints_json_and_changes_nothing(store: Store):
    _fill(store)
    before = _snapshot(store)
    url = store.engine.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["plan", "--date", "2025-06-12", "--json", "--db", url])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload == json.loads(
        json.dumps(plan_to_dict(plan(store, default_policy(), DAY)))
    )
    ok = next(c for c in payload["contacts"] if c["customer_ref"] == "OK")
    assert ok["total"] == "100.00"
    assert ok["items"] == [
        {
            "document_ref": "F-OK",
            "issue_date": "2025-05-03",
            "due_date": "2025-06-02",
            "residual": "100.00",
            "days_past_due": 10,
        }
    ]
    assert payload["day"] == "2025-06-12" and payload["notes"] == []
    assert _snapshot(store) == before


@pytest.mark.parametrize("width", [120, 200])
def test_plan_command_table(store: Store, monkeypatch, width: int):
    """The table's content whatever the width it is laid out on.

    The CLI console is made once, at import, with the width of whatever output
    the process had then; the test gives the command a console of known width
    (120: the least relance uses off a terminal) instead of relying on COLUMNS.
    """
    monkeypatch.setattr("relance.cli.plan.console", Console(width=width))
    _fill(store)
    before = _snapshot(store)
    url = store.engine.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["plan", "--date", "2025-06-12", "--db", url])
    assert result.exit_code == 0, result.output
    assert "Reminders planned for 2025-06-12" in result.output
    assert "standard/email_2" in result.output
    assert "3 contact(s), 0 held out; 3 skipped." in result.output
    assert "invoice in dispute since 2025-06-10" in result.output
    assert _snapshot(store) == before


def test_plan_command_on_a_holiday(store: Store):
    _fill(store)
    url = store.engine.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["plan", "--date", "2025-07-14", "--json", "--db", url])
    payload = json.loads(result.output)
    assert payload["contacts"] == []
    assert payload["notes"][0].startswith("2025-07-14 is a public holiday in FR")


def test_plan_command_reports_every_policy_problem(store: Store, tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[campaign]\nname = "x"\n[[segments]]\nname = "a"\n[[segments.steps]]\n'
        'name = "s"\noffset_days = 1\nchannel = "fax"\nholdout_share = 2\n',
        encoding="utf-8",
    )
    url = store.engine.url.render_as_string(hide_password=False)
    result = runner.invoke(
        app, ["plan", "--date", "2025-06-12", "--policy", str(policy), "--db", url]
    )
    assert result.exit_code == 1
    assert (
        f'{policy}: segments[a].steps[s].channel: "fax" is not a channel'
        in result.output
    )
    assert (
        f"{policy}: segments[a].steps[s].holdout_share: 2 should be a fraction"
        in result.output
    )


def test_bad_date_is_a_usage_error(store: Store):
    url = store.engine.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["plan", "--date", "12/06/2025", "--db", url])
    assert result.exit_code == 2
