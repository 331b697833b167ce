"""Promises to pay: recorded, pausing until their date, then kept or broken."""

from __future__ import annotations

from datetime import date
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
    pay,
    states,
    write_books,
)

from relance.reminders.promises import (
    PAYMENT_COLUMNS,
    PROMISE_COLUMNS,
    promise_figures,
    settle,
)
from relance.services.followup import (
    FollowUpError,
    list_promises,
    record_promise,
    settle_promises,
)
from relance.services.followup import (
    promise_figures as stored_figures,
)
from relance.services.run import run_day
from relance.services.send import send_pending
from relance.store.db import Store

# Promise 1: recorded 1 March, 500.00 by 10 March; grace 2 days, so payments up to
# 12 March count.
PROMISE = pl.DataFrame(
    [(1, 7, date(2024, 3, 1), date(2024, 3, 10), 50_000, "EUR")],
    schema=PROMISE_COLUMNS,
    orient="row",
)


def _payments(*rows: tuple[date, int, str]) -> pl.DataFrame:
    return pl.DataFrame(
        [(7, d, a, c) for d, a, c in rows], schema=PAYMENT_COLUMNS, orient="row"
    )


@pytest.mark.parametrize(
    ("payments", "day", "expected"),
    [
        # 200 on 5 March + 300 on 11 March (in the grace): 500 reached on the 11th.
        (
            [(date(2024, 3, 5), 20_000, "EUR"), (date(2024, 3, 11), 30_000, "EUR")],
            date(2024, 3, 20),
            [(1, "kept", date(2024, 3, 11))],
        ),
        # Only 200: on the 13th the grace is over: broken, as of the 13th.
        (
            [(date(2024, 3, 5), 20_000, "EUR")],
            date(2024, 3, 13),
            [(1, "broken", date(2024, 3, 13))],
        ),
        # Still within the grace on the 12th: nothing decided yet.
        ([(date(2024, 3, 5), 20_000, "EUR")], date(2024, 3, 12), []),
        # Paid in full before the date: kept early.
        (
            [(date(2024, 3, 4), 50_000, "EUR")],
            date(2024, 3, 6),
            [(1, "kept", date(2024, 3, 4))],
        ),
        # Cash received before the promise, or in another currency, does not count.
        (
            [(date(2024, 2, 28), 50_000, "EUR"), (date(2024, 3, 5), 50_000, "USD")],
            date(2024, 3, 13),
            [(1, "broken", date(2024, 3, 13))],
        ),
        # Cash after the grace is too late.
        (
            [(date(2024, 3, 13), 50_000, "EUR")],
            date(2024, 3, 20),
            [(1, "broken", date(2024, 3, 13))],
        ),
    ],
    ids=["kept-in-grace", "broken", "pending", "kept-early", "wrong-cash", "too-late"],
)
def test_settle(payments, day, expected) -> None:  # type: ignore[no-untyped-def]
    result = settle(PROMISE, _payments(*payments), day, grace_days=2)
    assert list(result.iter_rows()) == expected


def test_kept_rate() -> None:
    """Resolved in March: 2 kept, 1 broken → 2/3; one resolved in April is outside."""
    frame = pl.DataFrame(
        {
            "status": ["kept", "kept", "broken", "broken", "open"],
            "resolved_on": [
                date(2024, 3, 2),
                date(2024, 3, 9),
                date(2024, 3, 30),
                date(2024, 4, 1),
                None,
            ],
        }
    )
    figures = promise_figures(frame, date(2024, 3, 1), date(2024, 4, 1))
    assert (figures.kept, figures.broken) == (2, 1)
    assert figures.kept_rate == Decimal(2) / Decimal(3)
    assert promise_figures(frame, date(2025, 1, 1), date(2025, 2, 1)).kept_rate is None


@pytest.fixture
def books(store: Store) -> Store:
    return write_books(store)


def test_promise_pauses_until_its_date_then_the_ladder_resumes(
    books: Store, tmp_path: Path
) -> None:
    """Promise of 10 March to pay by 14 March: on the 12th the reminder is
    cancelled; on the 15th the promise has passed and the reminder goes out."""
    record_promise(books, "C2", date(2024, 3, 14), Decimal("500.00"), date(2024, 3, 10))
    day12 = date(2024, 3, 12)
    run_day(
        books,
        day12,
        make_plan(books, {"customer": "C2", "invoices": ["G1"]}, day=day12),
    )
    morning12 = NOW.replace(day=12)
    send_pending(
        books, morning12, make_settings(tmp_path), FakeTransport(), render_pdf=fake_pdf
    )
    assert states(books) == {"C2": "cancelled"}
    run_day(books, DAY, make_plan(books, {"customer": "C2", "invoices": ["G1"]}))
    transport = FakeTransport()
    send_pending(books, NOW, make_settings(tmp_path), transport, render_pdf=fake_pdf)
    assert len(transport.emails) == 1


def test_settle_promises_in_the_store(books: Store) -> None:
    """C1 promises 1 250.00 by 8 March (recorded 1 March) and pays it on the 9th
    (in the 2-day grace): kept on the 9th. C2 promises 500.00 by 8 March and pays
    nothing: broken on the 11th (8 + 2 + 1)."""
    kept = record_promise(
        books, "C1", date(2024, 3, 8), Decimal("1250.00"), date(2024, 3, 1)
    )
    broken = record_promise(
        books,
        "C2",
        date(2024, 3, 8),
        Decimal(500),
        date(2024, 3, 1),
        invoice_ref="G1",
    )
    pay(books, "P1", "F1", "1250.00", on=date(2024, 3, 9))
    changes = settle_promises(books, DAY)
    assert changes == [
        (kept, "kept", date(2024, 3, 9)),
        (broken, "broken", date(2024, 3, 11)),
    ]
    assert settle_promises(books, DAY) == []  # settled once
    rows = {r.id: r for r in list_promises(books)}
    assert rows[broken].invoice_ref == "G1" and rows[broken].status == "broken"
    figures = stored_figures(books, date(2024, 3, 1), date(2024, 4, 1))
    assert figures.kept_rate == Decimal("0.5")


def test_promise_refusals(books: Store) -> None:
    with pytest.raises(FollowUpError, match="unknown customer"):
        record_promise(books, "NOPE", DAY, Decimal(1), DAY)
    with pytest.raises(FollowUpError, match="before 2024-03-15"):
        record_promise(books, "C1", date(2024, 3, 1), Decimal(1), DAY)
    with pytest.raises(FollowUpError, match="is not C1's"):
        record_promise(books, "C1", DAY, Decimal(1), DAY, invoice_ref="G1")
    with pytest.raises(FollowUpError, match="more decimals"):
        record_promise(books, "C1", DAY, Decimal("1.005"), DAY)
