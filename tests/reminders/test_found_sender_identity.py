"""Found: with the default settings the demo's emails went out signed by nobody.

Subject ": relance, factures échues (11 816,01 €)", "Cordialement," and nothing
after, From and Reply-To `relances@example.invalid`: `company_name` was empty and
`smtp_from` the placeholder. Such messages now stay planned (nothing attempted),
like an unreachable server, with one message naming the setting; a preview
(`--outbox`) still renders them so that the gap can be seen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sending_books import (
    DAY,
    NOW,
    FakeTransport,
    fake_pdf,
    make_plan,
    make_settings,
    states,
    write_books,
)

from relance.services.run import run_day
from relance.services.send import send_pending
from relance.store.db import Store

PLAN = (
    {"customer": "C1", "invoices": ["F1"]},
    {
        "customer": "C2",
        "invoices": ["G1"],
        "channel": "letter",
        "template": "statement",
    },
    {"customer": "C3", "invoices": ["H1"], "channel": "phone", "template": "call_task"},
)


@pytest.fixture
def books(store: Store) -> Store:
    return write_books(store)


def _send(books: Store, tmp_path: Path, **changes: str):  # type: ignore[no-untyped-def]
    transport = FakeTransport()
    report = send_pending(
        books, NOW, make_settings(tmp_path, **changes), transport, render_pdf=fake_pdf
    )
    return report, transport


def test_no_company_name_nothing_leaves(books: Store, tmp_path: Path) -> None:
    """The email and the letter stay planned; the call (internal) is a task."""
    run_day(books, DAY, make_plan(books, *PLAN))
    report, transport = _send(books, tmp_path, company_name="")
    assert transport.emails == [] and transport.letters == []
    assert states(books) == {"C1": "planned", "C2": "planned", "C3": "todo"}
    assert set(report.unreachable) == {"email", "letter"}
    assert report.unreachable["email"][1] == "company_name"
    assert report.failed == []


def test_placeholder_sender_stops_emails_only(books: Store, tmp_path: Path) -> None:
    run_day(books, DAY, make_plan(books, *PLAN))
    report, transport = _send(books, tmp_path, smtp_from="relances@example.invalid")
    assert len(transport.letters) == 1 and transport.emails == []
    assert states(books) == {"C1": "planned", "C2": "sent", "C3": "todo"}
    assert report.unreachable["email"][1] == "smtp_from"
    assert "relances@example.invalid" in report.unreachable["email"][0]


def test_preview_still_renders(books: Store, tmp_path: Path) -> None:
    run_day(books, DAY, make_plan(books, *PLAN[:1]))
    out = tmp_path / "out"
    report = send_pending(
        books,
        NOW,
        make_settings(tmp_path, company_name=""),
        render_pdf=fake_pdf,
        outbox=out,
    )
    assert len(report.rendered) == 1 and report.unreachable == {}
