"""Email through real SMTP: a local server started by the test reads each message."""

from __future__ import annotations

import email
import io
import socket
from collections.abc import Iterator
from email.message import Message
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pypdf import PdfReader
from sending_books import DAY, NOW, make_plan, make_settings, states, write_books
from sqlalchemy import select

from relance.reminders.channels.email import resolve_recipients
from relance.services.run import run_day
from relance.services.send import list_actions, send_pending
from relance.store import models as m
from relance.store.db import Store


class Inbox:
    """An aiosmtpd handler keeping what it receives; refuses some recipients."""

    def __init__(self, refuse: set[str]) -> None:
        self.refuse = refuse
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox(refuse={"ap@smith.example"})
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def books(store: Store) -> Store:
    return write_books(store)


def _settings(tmp_path: Path, port: int):  # type: ignore[no-untyped-def]
    return make_settings(
        tmp_path, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False
    )


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize(
    ("invoice", "billing", "address", "expected"),
    [
        (["factures@x.fr", None], "compta@x.fr", "contact@x.fr", ("factures@x.fr",)),
        ([None], "compta@x.fr", "contact@x.fr", ("compta@x.fr",)),
        ([None], None, "contact@x.fr", ("contact@x.fr",)),
        ([None], "  ", "not-an-address", ()),
        (["a@x.fr", "b@x.fr", "A@x.fr"], None, None, ("a@x.fr", "b@x.fr")),
    ],
    ids=[
        "invoice-contact",
        "customer-billing",
        "customer-address",
        "nobody",
        "several",
    ],
)
def test_recipient_resolution_order(
    invoice: list[str | None],
    billing: str | None,
    address: str | None,
    expected: tuple[str, ...],
) -> None:
    assert resolve_recipients(invoice, billing, address) == expected


def test_real_email_is_sent_and_read_back(
    books: Store, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    """C1's reminder: to the billing contact of F1, Reply-To the collector, text and
    HTML listing F1 and F2 (total 1 250.00 + 11 095.67 = 12 345.67 €), and the
    statement of account as a real PDF."""
    inbox, port = smtp
    run_day(books, DAY, make_plan(books, {"customer": "C1", "invoices": ["F1", "F2"]}))
    report = send_pending(books, NOW, _settings(tmp_path, port))
    assert len(report.sent) == 1
    ((rcpt, message),) = inbox.messages
    assert rcpt == ["factures@dupont.fr"]
    assert message["To"] == "factures@dupont.fr"
    assert message["From"] == "relances@vendeur.fr"
    assert message["Reply-To"] == "camille@vendeur.fr"
    assert message["Message-ID"] == list_actions(books)[0].message_id
    assert "12\u202f345,67\u00a0€" in message["Subject"]

    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert (
        "F1 du 10 janvier 2024, échue le 9 février 2024 : 1\u202f250,00\u00a0€" in text
    )
    assert "Total dû : 12\u202f345,67\u00a0€" in text
    assert "<td>F2</td>" in html and "11\u202f095,67\u00a0€" in html

    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "releve-de-compte-C1.pdf"
    pdf = _pdf_text(attachment.get_content())
    assert "Relevé de compte au 15 mars 2024" in pdf
    assert "Dupont SARL" in pdf and "12 345,67 €" in pdf.replace("\u202f", " ").replace(
        "\u00a0", " "
    )


def test_customer_contacts_are_the_fallback(
    books: Store, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    """F2 has no billing contact: C1's own billing contact gets it; Reply-To is the
    collector (an address)."""
    inbox, port = smtp
    run_day(books, DAY, make_plan(books, {"customer": "C1", "invoices": ["F2"]}))
    send_pending(books, NOW, _settings(tmp_path, port))
    assert inbox.messages[0][0] == ["compta@dupont.fr"]


def test_recipient_refused_at_smtp_time_is_failed(
    books: Store, tmp_path: Path, smtp
) -> None:  # type: ignore[no-untyped-def]
    """The server refuses C2's address (550): failed, quoting the server; C1 goes."""
    inbox, port = smtp
    plan = make_plan(
        books,
        {"customer": "C1", "invoices": ["F1"]},
        {"customer": "C2", "invoices": ["G1"]},
    )
    run_day(books, DAY, plan)
    report = send_pending(books, NOW, _settings(tmp_path, port))
    assert states(books) == {"C1": "sent", "C2": "failed"}
    assert (
        report.failed[0][2]
        == "recipient refused: ap@smith.example: 550 5.1.1 mailbox unavailable"
    )
    assert len(inbox.messages) == 1


def test_english_formal_notice_attaches_the_notice(
    books: Store, tmp_path: Path, smtp
) -> None:  # type: ignore[no-untyped-def]
    """An email at the formal-notice step carries the formal notice itself."""
    inbox, port = smtp
    inbox.refuse = set()
    plan = make_plan(
        books,
        {
            "customer": "C2",
            "invoices": ["G1"],
            "step": "formal_notice",
            "template": "formal_notice",
        },
    )
    run_day(books, DAY, plan)
    send_pending(books, NOW, _settings(tmp_path, port))
    ((_, message),) = inbox.messages
    assert (
        message["Reply-To"] == "recouvrement@vendeur.fr"
    )  # collector "Sam" has no address
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "formal-notice-C2.pdf"
    assert "Formal notice to pay" in _pdf_text(attachment.get_content())


def test_unreachable_server_leaves_the_action_planned(
    books: Store, tmp_path: Path
) -> None:
    """Nothing was attempted: planned, 0 attempts, no message id (see also
    test_found_unreachable_smtp.py)."""
    run_day(books, DAY, make_plan(books, {"customer": "C1", "invoices": ["F1"]}))
    report = send_pending(books, NOW, _settings(tmp_path, _free_port()))
    assert states(books) == {"C1": "planned"}
    assert report.failed == []
    assert "unreachable" in report.unreachable["email"][0]
    with books.session() as s:
        action = s.execute(select(m.Action)).scalar_one()
        assert (action.attempts, action.message_id) == (0, None)
