"""Calls and hand-overs become tasks for a collector; outcomes feed the ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sending_books import (
    DAY,
    NOW,
    FakeTransport,
    fake_pdf,
    make_plan,
    make_settings,
    write_books,
)

from relance.reminders.channels.phone import TaskResult
from relance.services.followup import (
    FollowUpError,
    complete_task,
    list_disputes,
    list_promises,
    list_tasks,
)
from relance.services.run import run_day
from relance.services.send import send_pending
from relance.store.db import Store

CALL = {"channel": "phone", "step": "phone_1", "template": "call_task"}


@pytest.fixture
def books(store: Store) -> Store:
    return write_books(store)


def _tasks(store: Store, tmp_path: Path, *contacts: dict[str, Any]) -> None:
    run_day(store, DAY, make_plan(store, *contacts))
    send_pending(
        store,
        NOW,
        make_settings(tmp_path, default_collector="desk"),
        FakeTransport(),
        render_pdf=fake_pdf,
    )


def test_calls_become_tasks_of_the_collector(books: Store, tmp_path: Path) -> None:
    """The call to C1 (collector camille@vendeur.fr, sending_books.py) is about F1
    1 250.00 + F2 11 095.67 = 12 345.67; C3 has no collector: the desk's task."""
    _tasks(
        books,
        tmp_path,
        {"customer": "C1", "invoices": ["F1", "F2"], **CALL},
        {
            "customer": "C3",
            "invoices": ["H1"],
            "channel": "handover",
            "step": "handover",
            "template": "handover_task",
        },
    )
    (mine,) = list_tasks(books, collector="camille@vendeur.fr")
    assert mine.invoices == ("F1", "F2")
    assert mine.phone == "+33600000001"
    assert mine.amount.amount == Decimal("12345.67")
    assert mine.what is not None and mine.what.startswith("Appeler Dupont SARL (C1)")
    (desk,) = list_tasks(books, collector="desk")  # C3 has no collector
    assert desk.channel == "handover"


def test_promise_outcome_records_a_promise(books: Store, tmp_path: Path) -> None:
    _tasks(books, tmp_path, {"customer": "C2", "invoices": ["G1"], **CALL})
    (task,) = list_tasks(books)
    said = complete_task(
        books,
        task.id,
        TaskResult(
            "promise", DAY, promise_date=date(2024, 3, 29), amount=Decimal("500.00")
        ),
    )
    assert said.startswith(f"task {task.id}: promise, promise ")
    (promise,) = list_promises(books)
    assert (promise.customer_ref, promise.promised_for, promise.amount.amount) == (
        "C2",
        date(2024, 3, 29),
        Decimal("500.00"),
    )
    assert list_tasks(books) == []
    (done,) = list_tasks(books, include_done=True)
    assert (done.state, done.outcome) == ("done", "promise")


def test_dispute_outcome_opens_a_dispute(books: Store, tmp_path: Path) -> None:
    _tasks(books, tmp_path, {"customer": "C1", "invoices": ["F1", "F2"], **CALL})
    (task,) = list_tasks(books)
    with pytest.raises(FollowUpError, match="covers 2 invoices"):
        complete_task(
            books, task.id, TaskResult("dispute", DAY, dispute_reason="price")
        )
    complete_task(
        books,
        task.id,
        TaskResult("dispute", DAY, dispute_reason="price", invoice_ref="F2"),
    )
    (dispute,) = list_disputes(books)
    assert (dispute.invoice_ref, dispute.reason_code, dispute.owner) == (
        "F2",
        "price",
        "camille@vendeur.fr",
    )


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (TaskResult("promise", DAY), "a promise needs --promise-date"),
        (
            TaskResult(
                "promise", DAY, promise_date=date(2024, 3, 1), amount=Decimal(5)
            ),
            "promise date 2024-03-01 is before 2024-03-15",
        ),
        (TaskResult("dispute", DAY), "a dispute needs --dispute-reason"),
    ],
    ids=["promise-without-date", "promise-in-the-past", "dispute-without-reason"],
)
def test_incomplete_outcomes_are_refused(
    books: Store, tmp_path: Path, result, message
) -> None:  # type: ignore[no-untyped-def]
    _tasks(books, tmp_path, {"customer": "C2", "invoices": ["G1"], **CALL})
    (task,) = list_tasks(books)
    with pytest.raises(FollowUpError, match=message):
        complete_task(books, task.id, result)


def test_no_answer_closes_the_task_and_it_cannot_be_done_twice(
    books: Store, tmp_path: Path
) -> None:
    _tasks(books, tmp_path, {"customer": "C2", "invoices": ["G1"], **CALL})
    (task,) = list_tasks(books)
    complete_task(books, task.id, TaskResult("no_answer", DAY, note="voicemail"))
    with pytest.raises(FollowUpError, match="is done, not to do"):
        complete_task(books, task.id, TaskResult("reached", DAY))
