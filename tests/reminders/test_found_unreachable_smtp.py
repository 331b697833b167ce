"""Found: with no SMTP server, `relance send` tried (and failed) every email.

193 actions gave 193 × "SMTP server localhost:587 unreachable" in 2 min 29 s, and
left them all `failed` although nothing had been attempted. A server that cannot
be reached at all is now tried once: that email and every later one stay
`planned`, one message names host:port and the settings, exit code 1. A refusal
of one recipient still fails that action only.
"""

from __future__ import annotations

import socket
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
from sqlalchemy import select
from typer.testing import CliRunner

from relance.cli import app
from relance.reminders.channels import ChannelUnreachable
from relance.services.run import run_day
from relance.services.send import send_pending
from relance.store import models as m
from relance.store.db import Store

THREE = (
    {"customer": "C1", "invoices": ["F1", "F2"]},
    {"customer": "C2", "invoices": ["G1"]},
    {"customer": "C3", "invoices": ["H1"], "channel": "phone", "template": "call_task"},
)


def _closed_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class CountingDown(FakeTransport):
    """An SMTP server that refuses every connection, counting the attempts."""

    def __init__(self) -> None:
        super().__init__()
        self.tries = 0

    def send_email(self, email):  # type: ignore[no-untyped-def]
        self.tries += 1
        raise ChannelUnreachable(
            "SMTP server mail.example:587 unreachable: refused", "smtp_host, smtp_port"
        )


@pytest.fixture
def books(store: Store) -> Store:
    return write_books(store)


def test_one_try_then_every_email_stays_planned(books: Store, tmp_path: Path) -> None:
    """C1 and C2 get emails, C3 a call. The first email meets a closed server:
    1 try (not 2), both emails planned with 0 attempts, the call still becomes a
    task (it needs no server)."""
    run_day(books, DAY, make_plan(books, *THREE))
    transport = CountingDown()
    report = send_pending(
        books, NOW, make_settings(tmp_path), transport, render_pdf=fake_pdf
    )
    assert transport.tries == 1
    assert states(books) == {"C1": "planned", "C2": "planned", "C3": "todo"}
    reason, hint, left = report.unreachable["email"]
    assert "mail.example:587" in reason and hint == "smtp_host, smtp_port"
    assert len(left) == 2 and report.failed == []
    with books.session() as s:
        rows = s.execute(select(m.Action).where(m.Action.channel == "email"))
        assert {(a.attempts, a.message_id) for a in rows.scalars()} == {(0, None)}


def test_the_next_send_delivers_them(books: Store, tmp_path: Path) -> None:
    run_day(books, DAY, make_plan(books, *THREE[:2]))
    settings = make_settings(tmp_path)
    send_pending(books, NOW, settings, CountingDown(), render_pdf=fake_pdf)
    transport = FakeTransport()
    report = send_pending(books, NOW, settings, transport, render_pdf=fake_pdf)
    assert len(report.sent) == 2 and len(transport.emails) == 2
    assert states(books) == {"C1": "sent", "C2": "sent"}


def test_real_closed_port_with_the_command(books: Store, tmp_path: Path) -> None:
    """The real SmtpSender against a closed port, through `relance send`: one
    message naming 127.0.0.1:<port> and the setting, exit 1, actions planned."""
    run_day(books, DAY, make_plan(books, *THREE[:2]))
    port = _closed_port()
    url = books.engine.url.render_as_string(hide_password=False)
    env = {
        "RELANCE_SMTP_HOST": "127.0.0.1",
        "RELANCE_SMTP_PORT": str(port),
        "RELANCE_SMTP_STARTTLS": "false",
        "RELANCE_COMPANY_NAME": "Vendeur SAS",
        "RELANCE_SMTP_FROM": "relances@vendeur.fr",
        "RELANCE_LETTERS_DIR": str(tmp_path / "letters"),
    }
    result = CliRunner().invoke(
        app, ["send", "--at", "2024-03-15T09:00", "--db", url], env=env
    )
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert said.count(f"SMTP server 127.0.0.1:{port} unreachable") == 1
    assert "2 action(s) left planned" in said and "smtp_host" in said
    assert states(books) == {"C1": "planned", "C2": "planned"}


def test_a_refused_recipient_still_fails_that_action_only(
    books: Store, tmp_path: Path
) -> None:
    run_day(books, DAY, make_plan(books, *THREE[:2]))
    transport = FakeTransport(fail_to={"ap@smith.example"})
    report = send_pending(
        books, NOW, make_settings(tmp_path), transport, render_pdf=fake_pdf
    )
    assert states(books) == {"C1": "sent", "C2": "failed"}
    assert report.unreachable == {}
