"""Found: no way to see a reminder before it is sent.

`relance send --outbox DIR` (alias `--dry-run`) renders every planned action as a
send would (same checks, same templates, same attachments) into DIR and delivers
nothing, changes nothing; `relance preview ID` prints one action's text.
"""

from __future__ import annotations

import email
import json
from email.policy import default
from pathlib import Path

import pytest
from sending_books import (
    DAY,
    NOW,
    FakeTransport,
    fake_pdf,
    make_plan,
    make_settings,
    pay,
    write_books,
)
from sqlalchemy import select
from typer.testing import CliRunner

from relance.cli import app
from relance.services.run import run_day
from relance.services.send import send_pending
from relance.store import models as m
from relance.store.db import Store

PLAN = (
    {"customer": "C1", "invoices": ["F1", "F2"]},
    {
        "customer": "C2",
        "invoices": ["G1"],
        "channel": "sms",
        "template": "reminder_first",
    },
    {
        "customer": "C3",
        "invoices": ["H1"],
        "channel": "registered_letter",
        "template": "formal_notice",
        "step": "formal_notice",
    },
)


@pytest.fixture
def books(store: Store) -> Store:
    return write_books(store)


def _snapshot(store: Store) -> list[tuple]:  # type: ignore[type-arg]
    with store.session() as s:
        actions = s.execute(
            select(
                m.Action.id,
                m.Action.state,
                m.Action.amount_minor,
                m.Action.attempts,
                m.Action.message_id,
                m.Action.updated_at,
            ).order_by(m.Action.id)
        ).all()
        items = s.execute(
            select(
                m.ActionItem.id,
                m.ActionItem.step_key,
                m.ActionItem.residual_minor,
                m.ActionItem.dropped_reason,
            ).order_by(m.ActionItem.id)
        ).all()
    return [tuple(r) for r in actions] + [tuple(r) for r in items]


def test_outbox_renders_each_channel_and_changes_nothing(
    books: Store, tmp_path: Path
) -> None:
    """C1: an email to factures@dupont.fr (F1's billing contact) for 1 250.00 +
    11 095.67 = 12 345.67 €, with the statement attached; C2: an SMS to
    +447700900001; C3: a registered formal notice as PDF. 20:00 is outside the
    window: a preview ignores it."""
    run_day(books, DAY, make_plan(books, *PLAN))
    before = _snapshot(books)
    out = tmp_path / "out"
    transport = FakeTransport()
    report = send_pending(
        books,
        NOW.replace(hour=20),
        make_settings(tmp_path),
        transport,
        render_pdf=fake_pdf,
        outbox=out,
    )
    assert _snapshot(books) == before
    assert transport.emails == transport.sms == transport.letters == []
    assert sorted(p.name for p in out.iterdir()) == [
        "2024-03-15_C1_standard_email_1.eml",
        "2024-03-15_C2_standard_email_1.json",
        "2024-03-15_C3_standard_formal_notice.registered.pdf",
    ]
    assert len(report.rendered) == 3 and report.failed == []

    mail = email.message_from_bytes(
        (out / "2024-03-15_C1_standard_email_1.eml").read_bytes(), policy=default
    )
    assert mail["To"] == "factures@dupont.fr"
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "12\u202f345,67\xa0€" in text
    (attached,) = mail.iter_attachments()
    assert attached.get_filename() == "releve-de-compte-C1.pdf"
    assert attached.get_content().startswith(b"%PDF")

    sms = json.loads((out / "2024-03-15_C2_standard_email_1.json").read_text())
    assert sms["to"] == "+447700900001" and sms["body"]["to"] == "+447700900001"
    assert "500.00" in sms["text"]
    assert not (tmp_path / "letters").exists()  # nothing posted


def test_outbox_leaves_out_what_a_send_would(books: Store, tmp_path: Path) -> None:
    """F1 paid after the run: C1's preview asks for F2 alone, 11 095.67 €; C2's
    G1 paid in full: its action would be cancelled and is not rendered. The store
    still holds both actions planned, F1 not dropped."""
    run_day(
        books, DAY, make_plan(books, PLAN[0], {"customer": "C2", "invoices": ["G1"]})
    )
    pay(books, "P1", "F1", "1250.00")
    pay(books, "P2", "G1", "500.00")
    before = _snapshot(books)
    out = tmp_path / "out"
    report = send_pending(
        books, NOW, make_settings(tmp_path), render_pdf=fake_pdf, outbox=out
    )
    assert _snapshot(books) == before
    assert [label for _, label, _ in report.cancelled] == ["C2 email_1"]
    assert [label for _, label, _ in report.dropped] == ["C1 email_1"]
    mail = email.message_from_bytes(
        (out / "2024-03-15_C1_standard_email_1.eml").read_bytes(), policy=default
    )
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "F2" in text and "F1" not in text and "11\u202f095,67\xa0€" in text


def test_commands_outbox_and_preview(books: Store, tmp_path: Path) -> None:
    """The preview of C1's email shows F1 1 250.00 + F2 11 095.67 = 12 345.67 €
    (sending_books.py), addressed to F1's billing contact."""
    run_day(books, DAY, make_plan(books, PLAN[0]))
    before = _snapshot(books)
    url = books.engine.url.render_as_string(hide_password=False)
    env = {"RELANCE_COMPANY_NAME": "Vendeur SAS"}
    at = ["--at", "2024-03-15T09:00", "--db", url]
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["send", "--outbox", str(out), *at], env=env)
    assert result.exit_code == 0, result.output
    assert "nothing delivered" in result.output
    assert [p.suffix for p in out.iterdir()] == [".eml"]
    with books.session() as s:
        action_id = s.execute(select(m.Action.id)).scalar_one()
    result = CliRunner().invoke(app, ["preview", str(action_id), *at], env=env)
    assert result.exit_code == 0, result.output
    assert "To: factures@dupont.fr" in result.output
    assert "Total dû : 12\u202f345,67\xa0€" in result.output
    assert _snapshot(books) == before
    missing = CliRunner().invoke(app, ["preview", "999", *at], env=env)
    assert missing.exit_code == 1 and "not planned" in missing.output


def test_send_says_what_waits_for_a_later_day(books: Store, tmp_path: Path) -> None:
    """Found: `run --date` of tomorrow then `send` today rendered nothing, silently.

    One action is planned for DAY (2024-03-15); a send as of the day before has
    nothing due and says that 1 action waits for a later day.
    """
    run_day(books, DAY, make_plan(books, PLAN[0]))
    url = books.engine.url.render_as_string(hide_password=False)
    env = {"RELANCE_COMPANY_NAME": "Vendeur SAS"}
    out = tmp_path / "out"
    args = ["send", "--outbox", str(out), "--at", "2024-03-14T09:00", "--db", url]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    assert "1 action(s) are planned for days after 2024-03-14: not due yet" in (
        " ".join(result.output.split())
    )
