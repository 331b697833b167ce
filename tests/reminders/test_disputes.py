"""Disputes: open, update, close; they pause one invoice; their figures."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl
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
from sqlalchemy import select

from relance.reminders.disputes import dispute_figures as figures_of
from relance.services.followup import (
    FollowUpError,
    close_dispute,
    dispute_figures,
    list_disputes,
    open_dispute,
    update_dispute,
)
from relance.services.run import run_day
from relance.services.send import send_pending
from relance.store import models as m
from relance.store.db import Store


@pytest.fixture
def books(store: Store) -> Store:
    return write_books(store)


def test_open_update_close_and_list(books: Store) -> None:
    dispute = open_dispute(books, "F1", "Quality", DAY, owner="camille", note="damaged")
    update_dispute(books, dispute, reason_code="delivery", note="late delivery")
    (row,) = list_disputes(books, open_only=True)
    assert (
        row.invoice_ref,
        row.customer_ref,
        row.reason_code,
        row.owner,
        row.note,
    ) == ("F1", "C1", "delivery", "camille", "late delivery")
    close_dispute(books, dispute, DAY + timedelta(days=3), "credit note promised")
    assert list_disputes(books, open_only=True) == []
    assert list_disputes(books)[0].closed_on == date(2024, 3, 18)


def test_refusals_say_why(books: Store) -> None:
    with pytest.raises(FollowUpError, match="unknown invoice 'NOPE'"):
        open_dispute(books, "NOPE", "price", DAY)
    with pytest.raises(FollowUpError, match="reason code 'bad code!'"):
        open_dispute(books, "F1", "bad code!", DAY)
    dispute = open_dispute(books, "F1", "price", DAY)
    with pytest.raises(FollowUpError, match="already has an open dispute"):
        open_dispute(books, "F1", "price", DAY)
    with pytest.raises(FollowUpError, match="before the dispute opened"):
        close_dispute(books, dispute, DAY - timedelta(days=1))


def test_dispute_handling_cost_is_recorded(books: Store) -> None:
    """30 minutes at 40.00 €/h = 20.00 € on an action of channel `dispute`."""
    open_dispute(books, "G1", "price", DAY)
    with books.session() as s:
        action = s.execute(
            select(m.Action).where(m.Action.channel == "dispute")
        ).scalar_one()
    assert (action.cost_minor, action.cost_currency, action.state) == (
        2000,
        "EUR",
        "done",
    )


def test_dispute_pauses_that_invoice_only(books: Store, tmp_path: Path) -> None:
    """F1 disputed after the run: C1's email goes out for F2 alone; once the dispute is
    closed, F1 may reach the step again (a new run records it)."""
    run_day(books, DAY, make_plan(books, {"customer": "C1", "invoices": ["F1", "F2"]}))
    dispute = open_dispute(books, "F1", "price", DAY)
    transport = FakeTransport()
    send_pending(books, NOW, make_settings(tmp_path), transport, render_pdf=fake_pdf)
    assert "F2" in transport.emails[0].text and "F1 " not in transport.emails[0].text
    close_dispute(books, dispute, DAY + timedelta(days=7))
    later = DAY + timedelta(days=7)
    summary = run_day(
        books,
        later,
        make_plan(books, {"customer": "C1", "invoices": ["F1"]}, day=later),
    )
    assert [r.items for r in summary.recorded] == [1]


DISPUTES = pl.DataFrame(
    {
        "opened_on": [
            date(2024, 1, 5),
            date(2024, 1, 20),
            date(2024, 2, 1),
            date(2024, 2, 10),
        ],
        "closed_on": [date(2024, 1, 15), date(2024, 2, 3), date(2024, 2, 12), None],
    }
)


@pytest.mark.parametrize(
    ("start", "end", "opened", "closed", "average"),
    [
        # January: opened 5 and 20 Jan; closed in January: 15 Jan (10 days).
        (date(2024, 1, 1), date(2024, 2, 1), 2, 1, Decimal("10.0")),
        # February: opened 1 and 10 Feb; closed 3 Feb (14 days), 12 Feb (11 days):
        # (14 + 11) / 2 = 12.5.
        (date(2024, 2, 1), date(2024, 3, 1), 2, 2, Decimal("12.5")),
        # Both months: (10 + 14 + 11) / 3 = 11.666… → 11.7.
        (date(2024, 1, 1), date(2024, 3, 1), 4, 3, Decimal("11.7")),
        (date(2024, 4, 1), date(2024, 5, 1), 0, 0, None),
    ],
    ids=["january", "february", "both", "none"],
)
def test_dispute_figures(
    start: date, end: date, opened: int, closed: int, average: Decimal | None
) -> None:
    figures = figures_of(DISPUTES, start, end)
    assert (figures.opened, figures.closed, figures.average_resolution_days) == (
        opened,
        closed,
        average,
    )


def test_dispute_figures_from_the_store(books: Store) -> None:
    """Opened 1 March, closed 11 March: one opened, resolved in 10.0 days."""
    dispute = open_dispute(books, "G1", "price", date(2024, 3, 1))
    close_dispute(books, dispute, date(2024, 3, 11))
    figures = dispute_figures(books, date(2024, 3, 1), date(2024, 4, 1))
    assert (figures.opened, figures.average_resolution_days) == (1, Decimal("10.0"))
