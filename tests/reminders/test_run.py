"""`run_day`: a plan becomes actions once, with their cost; held-out contacts too."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sending_books import DAY, make_plan, make_settings, write_books
from sqlalchemy import func, select

from relance.reminders.run import action_cost
from relance.services import locks
from relance.services.run import run_day
from relance.settings import Settings
from relance.store import models as m
from relance.store.db import Store


@pytest.fixture
def books(store: Store) -> Store:
    return write_books(store)


def _count(store: Store, model: type[m.Base]) -> int:
    with store.session() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize(
    ("channel", "holdout", "expected"),
    [
        ("email", False, 2),  # 0.02 EUR
        ("sms", False, 8),  # 0.08 EUR
        ("registered_letter", False, 750),  # 7.50 EUR
        ("phone", False, 667),  # 10 min x 40.00 EUR/h = 6.666.. -> 6.67 EUR
        ("handover", False, 5000),  # 50.00 EUR
        ("email", True, 0),  # held out: nothing delivered, nothing spent
    ],
    ids=["email", "sms", "registered", "call", "handover", "held-out"],
)
def test_cost_from_the_cost_model(channel: str, holdout: bool, expected: int) -> None:
    assert action_cost(channel, holdout, Settings()) == expected


def test_call_cost_follows_minutes_and_hourly_cost() -> None:
    """15 min at 52.00 EUR/h = 13.00 EUR."""
    settings = Settings(minutes_per_call=15, collector_hourly_cost=Decimal(52))
    assert action_cost("phone", False, settings) == 1300


def test_run_records_actions_items_and_costs(books: Store, tmp_path: Path) -> None:
    """C1 gets one email for F1 + F2: 1 250.00 + 11 095.67 = 12 345.67 EUR;
    C2 is held out: recorded, cost 0; C3 gets a call: 6.67 EUR."""
    plan = make_plan(
        books,
        {"customer": "C1", "invoices": ["F1", "F2"]},
        {"customer": "C2", "invoices": ["G1"], "holdout": True},
        {
            "customer": "C3",
            "invoices": ["H1"],
            "channel": "phone",
            "step": "phone_1",
            "template": "call_task",
        },
    )
    summary = run_day(books, DAY, plan, make_settings(tmp_path))
    by_customer = {r.customer_ref: r for r in summary.recorded}
    assert by_customer["C1"].amount_minor == 1_234_567
    assert by_customer["C1"].items == 2
    assert (by_customer["C1"].state, by_customer["C1"].cost_minor) == ("planned", 2)
    assert (by_customer["C2"].state, by_customer["C2"].cost_minor) == ("held_out", 0)
    assert (by_customer["C3"].state, by_customer["C3"].cost_minor) == ("planned", 667)
    assert summary.held_out == 1
    with books.session() as s:
        action = s.execute(
            select(m.Action).where(m.Action.ref == by_customer["C1"].ref)
        ).scalar_one()
        assert action.ref == "2024-03-15/C1/standard/email_1"
        assert action.collector == "camille@vendeur.fr"
        assert action.template == "reminder_first"
        assert action.cost_currency == "EUR"
        keys = (
            s.execute(
                select(m.ActionItem.step_key).where(m.ActionItem.action_id == action.id)
            )
            .scalars()
            .all()
        )
    assert keys == ["standard/email_1", "standard/email_1"]


def test_rerun_records_nothing_new(books: Store) -> None:
    plan = make_plan(
        books,
        {"customer": "C1", "invoices": ["F1", "F2"]},
        {"customer": "C2", "invoices": ["G1"]},
    )
    run_day(books, DAY, plan)
    again = run_day(books, DAY, plan)
    assert again.recorded == []
    assert {(ref, reason) for ref, _, reason in again.skipped} == {
        ("C1", "already recorded at step standard/email_1"),
        ("C2", "already recorded at step standard/email_1"),
    }
    assert _count(books, m.Action) == 2
    assert _count(books, m.ActionItem) == 3


def test_invoice_already_at_step_is_left_out_later(books: Store) -> None:
    """F1 reached email_1 on the 15th; a plan of the 20th with F1 + F2 at email_1
    records F2 only (11 095.67 EUR)."""
    run_day(books, DAY, make_plan(books, {"customer": "C1", "invoices": ["F1"]}))
    later = DAY + timedelta(days=5)
    summary = run_day(
        books,
        later,
        make_plan(books, {"customer": "C1", "invoices": ["F1", "F2"]}, day=later),
    )
    assert [(r.items, r.amount_minor) for r in summary.recorded] == [(1, 1_109_567)]


def test_one_contact_per_customer_per_day(books: Store) -> None:
    plan = make_plan(
        books,
        {"customer": "C1", "invoices": ["F1"], "step": "email_1"},
        {"customer": "C1", "invoices": ["F2"], "step": "email_2"},
    )
    summary = run_day(books, DAY, plan)
    assert len(summary.recorded) == 1
    assert summary.skipped[0][2].startswith("customer already has a contact")


def test_a_second_run_at_the_same_time_is_refused(books: Store) -> None:
    lock = locks.acquire(books, "run", timedelta(minutes=5))
    try:
        with pytest.raises(locks.LockBusy, match="another run is running"):
            run_day(
                books, DAY, make_plan(books, {"customer": "C1", "invoices": ["F1"]})
            )
    finally:
        lock.release()
    assert _count(books, m.Action) == 0


def test_expired_lock_is_taken_over(books: Store) -> None:
    """A lock whose holder died (expired a minute ago) does not block for ever."""
    past = locks.utc_now() - timedelta(hours=1)
    with books.transaction() as s:
        s.add(
            m.RunLock(
                name="run",
                holder="dead",
                acquired_at=past,
                expires_at=past + timedelta(minutes=59),
            )
        )
    summary = run_day(
        books, DAY, make_plan(books, {"customer": "C1", "invoices": ["F1"]})
    )
    assert len(summary.recorded) == 1
    assert _count(books, m.RunLock) == 0


def test_plan_of_another_day_is_recorded_on_its_day(books: Store) -> None:
    day = date(2024, 3, 18)
    summary = run_day(
        books, day, make_plan(books, {"customer": "C2", "invoices": ["G1"]}, day=day)
    )
    assert summary.recorded[0].ref == "2024-03-18/C2/standard/email_1"
