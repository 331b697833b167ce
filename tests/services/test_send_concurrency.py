"""Two sends at the same time against the same database send each action once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from relance.reminders.channels import Email
from relance.services.locks import LockBusy
from relance.services.run import run_day
from relance.services.send import send_pending
from relance.store.db import Store
from reminders.sending_books import (
    DAY,
    NOW,
    FakeTransport,
    fake_pdf,
    make_plan,
    make_settings,
    states,
    write_books,
)


class SlowTransport(FakeTransport):
    """Takes its time over each email, so that the two sends overlap."""

    def __init__(self) -> None:
        super().__init__()
        self.guard = threading.Lock()

    def send_email(self, email: Email) -> str:
        time.sleep(0.3)
        with self.guard:
            self.emails.append(email)
        return email.message_id


def test_concurrent_sends_deliver_each_action_once(
    store: Store, tmp_path: Path
) -> None:
    write_books(store)
    plan = make_plan(
        store,
        {"customer": "C1", "invoices": ["F1", "F2"]},
        {"customer": "C2", "invoices": ["G1"]},
    )
    run_day(store, DAY, plan)
    url = store.engine.url.render_as_string(hide_password=False)
    transport = SlowTransport()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    # Each its own engine and connections, like another process (opened here:
    # Alembic's migration step is not thread-safe).
    others = [Store(url), Store(url)]

    def send(other: Store) -> None:
        try:
            start.wait(timeout=10)
            report = send_pending(
                other, NOW, make_settings(tmp_path), transport, render_pdf=fake_pdf
            )
            outcomes.append(f"sent {len(report.sent)}")
        except LockBusy:
            outcomes.append("busy")
        finally:
            other.close()

    threads = [threading.Thread(target=send, args=(o,)) for o in others]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) in (["busy", "sent 2"], ["sent 0", "sent 2"])
    assert sorted(e.to for e in transport.emails) == [
        ("ap@smith.example",),
        ("factures@dupont.fr",),
    ]
    assert states(store) == {"C1": "sent", "C2": "sent"}


def test_concurrent_runs_record_each_contact_once(store: Store, tmp_path: Path) -> None:
    write_books(store)
    plan = make_plan(
        store,
        {"customer": "C1", "invoices": ["F1", "F2"]},
        {"customer": "C2", "invoices": ["G1"]},
    )
    url = store.engine.url.render_as_string(hide_password=False)
    start = threading.Barrier(2)
    recorded: list[int] = []

    others = [Store(url), Store(url)]

    def run(other: Store) -> None:
        try:
            start.wait(timeout=10)
            recorded.append(len(run_day(other, DAY, plan).recorded))
        except LockBusy:
            recorded.append(-1)
        finally:
            other.close()

    threads = [threading.Thread(target=run, args=(o,)) for o in others]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(recorded) in ([-1, 2], [0, 2])
    assert states(store) == {"C1": "planned", "C2": "planned"}
