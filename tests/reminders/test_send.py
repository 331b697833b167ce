"""`send_pending`: what still applies goes out once; the rest is cancelled, with why."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sending_books import (
    DAY,
    NOW,
    FakeTransport,
    fake_pdf,
    make_plan,
    make_settings,
    pay,
    states,
    write_books,
)
from sqlalchemy import select, update

from relance.imports.records import (
    CreditApplication,
    DocumentRecord,
    ImportBatch,
    Origin,
)
from relance.services.followup import open_dispute, record_promise
from relance.services.run import run_day
from relance.services.send import list_actions, resolve_action, send_pending
from relance.store import models as m
from relance.store.db import Store
from relance.store.writer import write_batch

ALL = (
    {"customer": "C1", "invoices": ["F1", "F2"]},
    {"customer": "C2", "invoices": ["G1"]},
)


@pytest.fixture
def books(store: Store) -> Store:
    return write_books(store)


def _send(
    store: Store, tmp_path: Path, transport: FakeTransport, now: datetime = NOW, **kw
):  # type: ignore[no-untyped-def]
    return send_pending(
        store, now, make_settings(tmp_path, **kw), transport, render_pdf=fake_pdf
    )


def test_sends_each_planned_action_once(books: Store, tmp_path: Path) -> None:
    run_day(books, DAY, make_plan(books, *ALL))
    transport = FakeTransport()
    report = _send(books, tmp_path, transport)
    assert len(report.sent) == 2 and len(transport.emails) == 2
    again = _send(books, tmp_path, transport)
    assert again.sent == [] and len(transport.emails) == 2
    assert states(books) == {"C1": "sent", "C2": "sent"}
    rows = {r.customer_ref: r for r in list_actions(books)}
    assert rows["C1"].message_id == transport.emails[0].message_id
    assert rows["C1"].recipient == "factures@dupont.fr"
    assert rows["C1"].attempts == 1


def test_paid_between_run_and_send_is_cancelled(books: Store, tmp_path: Path) -> None:
    run_day(books, DAY, make_plan(books, *ALL))
    pay(books, "P1", "G1", "500.00")
    transport = FakeTransport()
    report = _send(books, tmp_path, transport)
    assert states(books) == {"C1": "sent", "C2": "cancelled"}
    assert report.cancelled[0][2] == "G1: no longer open: paid, credited or not posted"
    assert [e.to for e in transport.emails] == [("factures@dupont.fr",)]
    assert (
        next(r for r in list_actions(books) if r.customer_ref == "C2").cost.amount == 0
    )


def test_credited_between_run_and_send_is_cancelled(
    books: Store, tmp_path: Path
) -> None:
    run_day(books, DAY, make_plan(books, *ALL))
    o = Origin("credit.csv", 2)
    with books.transaction() as s:
        write_batch(
            s,
            ImportBatch(
                source="credit",
                documents=[
                    DocumentRecord("A1", "C2", DAY, DAY, Decimal("-500.00"), "EUR", o)
                ],
                credit_applications=[
                    CreditApplication("A1", "G1", Decimal("500.00"), DAY, o)
                ],
            ),
        )
    _send(books, tmp_path, FakeTransport())
    assert states(books)["C2"] == "cancelled"


def test_disputed_between_run_and_send_is_cancelled(
    books: Store, tmp_path: Path
) -> None:
    run_day(books, DAY, make_plan(books, *ALL))
    open_dispute(books, "G1", "quality", DAY, owner="sam")
    report = _send(books, tmp_path, FakeTransport())
    assert states(books)["C2"] == "cancelled"
    assert report.cancelled[0][2] == "G1: invoice in dispute since 2024-03-15"


def test_promise_between_run_and_send_cancels(books: Store, tmp_path: Path) -> None:
    run_day(books, DAY, make_plan(books, *ALL))
    record_promise(books, "C2", date(2024, 3, 22), Decimal("500.00"), DAY)
    report = _send(books, tmp_path, FakeTransport())
    assert states(books)["C2"] == "cancelled"
    assert "until 2024-03-22" in report.cancelled[0][2]


def test_partly_paid_contact_goes_out_with_the_rest(
    books: Store, tmp_path: Path
) -> None:
    """F1 (1 250.00) is paid after the run: the email lists F2 alone, and the action
    now claims 11 095.67 instead of 12 345.67. F1 is free to reach the step again."""
    run_day(books, DAY, make_plan(books, *ALL))
    pay(books, "P1", "F1", "1250.00")
    transport = FakeTransport()
    report = _send(books, tmp_path, transport)
    assert report.dropped[0][2] == "F1: no longer open: paid, credited or not posted"
    email = next(e for e in transport.emails if "compta@dupont.fr" in e.to)
    assert "F2" in email.text and "F1" not in email.text
    assert "11\u202f095,67\u00a0€" in email.text
    c1 = next(r for r in list_actions(books) if r.customer_ref == "C1")
    assert (c1.state, c1.amount.amount) == ("sent", Decimal("11095.67"))
    with books.session() as s:
        f1 = s.execute(
            select(m.ActionItem)
            .join(m.Document, m.Document.id == m.ActionItem.document_id)
            .where(m.Document.ref == "F1")
        ).scalar_one()
    assert f1.dropped_reason == "no longer open: paid, credited or not posted"
    assert f1.step_key.startswith("standard/email_1~dropped~")


def test_partial_payment_updates_the_balance(books: Store, tmp_path: Path) -> None:
    """G1 500.00 with 200.00 paid after the run: the email asks for 300.00."""
    run_day(books, DAY, make_plan(books, *ALL))
    pay(books, "P1", "G1", "200.00")
    transport = FakeTransport()
    _send(books, tmp_path, transport)
    email = next(e for e in transport.emails if e.to == ("ap@smith.example",))
    assert "€300.00" in email.text and "€500.00" not in email.text


def test_held_out_contacts_are_never_delivered(books: Store, tmp_path: Path) -> None:
    run_day(
        books,
        DAY,
        make_plan(books, {"customer": "C2", "invoices": ["G1"], "holdout": True}),
    )
    transport = FakeTransport()
    _send(books, tmp_path, transport)
    assert transport.emails == [] and states(books) == {"C2": "held_out"}


def test_no_recipient_fails_with_reason(books: Store, tmp_path: Path) -> None:
    run_day(books, DAY, make_plan(books, {"customer": "C3", "invoices": ["H1"]}))
    report = _send(books, tmp_path, FakeTransport())
    assert states(books) == {"C3": "failed"}
    assert report.failed[0][2].startswith("no recipient")


def test_refused_recipient_is_recorded_as_failed(books: Store, tmp_path: Path) -> None:
    run_day(books, DAY, make_plan(books, *ALL))
    report = _send(books, tmp_path, FakeTransport(fail_to={"ap@smith.example"}))
    assert states(books) == {"C1": "sent", "C2": "failed"}
    assert "550 no such user" in report.failed[0][2]


def test_template_error_fails_that_message_only(books: Store, tmp_path: Path) -> None:
    """C2's step uses a user template with a misspelt variable: C2 fails, saying
    which file, line and variable; C1 goes out."""
    folder = tmp_path / "my-templates" / "en" / "broken"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text("Hello {{ customer.name }}")
    (folder / "text.txt").write_text("Dear customer,\nyou owe {{ totl|money }}.\n")
    (folder / "html.html").write_text("<p>{{ total|money }}</p>")
    plan = make_plan(
        books, ALL[0], {"customer": "C2", "invoices": ["G1"], "template": "broken"}
    )
    run_day(books, DAY, plan)
    transport = FakeTransport()
    report = _send(
        books, tmp_path, transport, templates_dir=str(tmp_path / "my-templates")
    )
    assert states(books) == {"C1": "sent", "C2": "failed"}
    assert report.failed[0][2] == "template en/broken/text.txt:2: 'totl' is undefined"
    assert len(transport.emails) == 1


def test_outside_the_window_messages_wait_and_tasks_are_made(
    books: Store, tmp_path: Path
) -> None:
    plan = make_plan(
        books,
        ALL[0],
        {
            "customer": "C2",
            "invoices": ["G1"],
            "channel": "phone",
            "step": "phone_1",
            "template": "call_task",
        },
    )
    run_day(books, DAY, plan)
    evening = datetime(2024, 3, 15, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))
    report = _send(books, tmp_path, FakeTransport(), now=evening)
    assert not report.in_window
    assert states(books) == {"C1": "planned", "C2": "todo"}
    _send(books, tmp_path, FakeTransport())
    assert states(books) == {"C1": "sent", "C2": "todo"}


def test_stale_planned_actions_are_cancelled(books: Store, tmp_path: Path) -> None:
    """Planned on the 15th, not sent by the 21st: stale (5 days: before the 16th)."""
    run_day(books, DAY, make_plan(books, ALL[1]))
    later = NOW + timedelta(days=6)
    _send(books, tmp_path, FakeTransport(), now=later)
    assert states(books) == {"C2": "cancelled"}


def test_sms_and_letters_go_through_their_channels(
    books: Store, tmp_path: Path
) -> None:
    """C1's SMS is about F1 alone, 1 250.00 (sending_books.py); C2's G1 goes as
    a registered letter."""
    plan = make_plan(
        books,
        {"customer": "C1", "invoices": ["F1"], "channel": "sms"},
        {
            "customer": "C2",
            "invoices": ["G1"],
            "channel": "registered_letter",
            "step": "formal_notice",
            "template": "formal_notice",
        },
    )
    run_day(books, DAY, plan)
    transport = FakeTransport()
    _send(books, tmp_path, transport)
    assert [s.to for s in transport.sms] == ["+33600000001"]
    # SMS have plain spaces: the GSM alphabet has no narrow or non-breaking ones.
    assert "1 250,00 €" in transport.sms[0].text
    assert len(transport.letters) == 1 and transport.letters[0].registered
    assert states(books) == {"C1": "sent", "C2": "sent"}


def test_crash_after_sending_commit_leaves_it_unknown(
    books: Store, tmp_path: Path
) -> None:
    """The process dies while the message is handed over: the action stays `sending`;
    the next send shows it as unknown and does not send it again."""

    class Crash(BaseException):
        pass

    run_day(books, DAY, make_plan(books, ALL[1]))
    with pytest.raises(Crash):
        _send(books, tmp_path, FakeTransport(raise_on=Crash()))
    assert states(books) == {"C2": "sending"}
    transport = FakeTransport()
    report = _send(books, tmp_path, transport)
    assert transport.emails == []
    assert states(books) == {"C2": "unknown"}
    assert len(report.interrupted) == 1
    unknown = list_actions(books, state="unknown")
    assert unknown[0].reason.startswith("interrupted while sending")
    assert unknown[0].message_id  # chosen before sending: something to look for


def test_unexpected_transport_error_is_unknown_not_resent(
    books: Store, tmp_path: Path
) -> None:
    run_day(books, DAY, make_plan(books, *ALL))
    report = _send(
        books, tmp_path, FakeTransport(raise_on=RuntimeError("socket closed"))
    )
    assert states(books) == {"C1": "unknown", "C2": "unknown"}
    assert report.unknown[0][2] == "RuntimeError('socket closed')"
    transport = FakeTransport()
    _send(books, tmp_path, transport)
    assert transport.emails == []


def test_person_resolves_unknown_actions(books: Store, tmp_path: Path) -> None:
    run_day(books, DAY, make_plan(books, *ALL))
    with books.transaction() as s:
        s.execute(update(m.Action).values(state="sending"))
    _send(books, tmp_path, FakeTransport())
    c1, c2 = (r.id for r in sorted(list_actions(books), key=lambda r: r.customer_ref))
    resolve_action(books, c1, "sent", DAY)
    resolve_action(books, c2, "retry", DAY)
    transport = FakeTransport()
    _send(books, tmp_path, transport)
    assert states(books) == {"C1": "sent", "C2": "sent"}
    assert [e.to for e in transport.emails] == [("ap@smith.example",)]
    with pytest.raises(ValueError, match="is sent"):
        resolve_action(books, c1, "cancel", DAY)
