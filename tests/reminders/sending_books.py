"""Books for the sending tests (run, send, channels, follow-up): three customers,
four invoices, and plan builders.

    customer  lang  email / billing email          invoices (EUR)
    C1        fr    contact@dupont.fr / compta@…   F1 1 250.00 (billing contact
                                                   factures@dupont.fr), F2 11 095.67
    C2        en    ap@smith.example / -           G1 500.00
    C3        fr    - / -                          H1 300.00

C1 (collector camille@vendeur.fr) and C2 (collector Sam) have a phone and an
address; C3 has neither, nor a collector.

All invoices were issued in January 2024 and fall due in February; the follow-up
day is Friday 15 March 2024, 09:00 in Paris (inside the 08:00-18:00 window).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from relance.domain.ledger import open_items
from relance.imports.records import (
    Application,
    CustomerRecord,
    DocumentRecord,
    ImportBatch,
    Origin,
    PaymentRecord,
)
from relance.reminders.channels import Email, Letter, Sms
from relance.reminders.planned import DayPlan, PlannedContact, PlannedItem
from relance.settings import Settings
from relance.store import models as m
from relance.store.db import Store
from relance.store.reader import load_ledger
from relance.store.writer import write_batch

DAY = date(2024, 3, 15)
NOW = datetime(2024, 3, 15, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
O = Origin("test.csv", 2)


def books_batch() -> ImportBatch:
    return ImportBatch(
        source="test",
        customers=[
            CustomerRecord(
                "C1",
                "Dupont SARL",
                O,
                email="contact@dupont.fr",
                billing_email="compta@dupont.fr",
                language="fr",
                collector="camille@vendeur.fr",
            ),
            CustomerRecord(
                "C2",
                "Smith Ltd",
                O,
                email="ap@smith.example",
                language="en",
                collector="Sam",
            ),
            CustomerRecord("C3", "Martin SA", O, language="fr"),
        ],
        documents=[
            DocumentRecord(
                "F1",
                "C1",
                date(2024, 1, 10),
                date(2024, 2, 9),
                Decimal("1250.00"),
                "EUR",
                O,
                billing_email="factures@dupont.fr",
            ),
            DocumentRecord(
                "F2",
                "C1",
                date(2024, 1, 25),
                date(2024, 2, 24),
                Decimal("11095.67"),
                "EUR",
                O,
            ),
            DocumentRecord(
                "G1",
                "C2",
                date(2024, 1, 20),
                date(2024, 2, 20),
                Decimal("500.00"),
                "EUR",
                O,
            ),
            DocumentRecord(
                "H1",
                "C3",
                date(2024, 1, 11),
                date(2024, 2, 10),
                Decimal("300.00"),
                "EUR",
                O,
            ),
        ],
    )


def write_books(store: Store) -> Store:
    """The store with the books above written in it."""
    with store.transaction() as s:
        write_batch(s, books_batch())
        for ref, phone, address in (
            ("C1", "+33600000001", "3 rue des Lilas\n69001 Lyon"),
            ("C2", "+447700900001", "1 High Street\nLondon"),
        ):
            customer = s.execute(
                select(m.Customer).where(m.Customer.ref == ref)
            ).scalar_one()
            customer.phone, customer.address = phone, address
    return store


def pay(store: Store, ref: str, invoice: str, amount: str, on: date = DAY) -> None:
    """Record a payment applied to an invoice."""
    with store.transaction() as s:
        customer = s.execute(
            select(m.Customer.ref)
            .join(m.Document, m.Document.customer_id == m.Customer.id)
            .where(m.Document.ref == invoice)
        ).scalar_one()
        write_batch(
            s,
            ImportBatch(
                source="pay",
                payments=[
                    PaymentRecord(
                        ref,
                        customer,
                        on,
                        Decimal(amount),
                        "EUR",
                        O,
                        (Application(invoice, Decimal(amount)),),
                    )
                ],
            ),
        )


PlanFn = Callable[..., DayPlan]


def make_plan(store: Store, *contacts: dict[str, Any], day: date = DAY) -> DayPlan:
    """A DayPlan built by hand: each dict names customer, invoices, and optionally
    step, channel, template, holdout, language."""
    with store.session() as s:
        ledger = load_ledger(s)
        customers = {c.ref: c for c in s.execute(select(m.Customer)).scalars()}
    items = {row["ref"]: row for row in open_items(ledger, day).iter_rows(named=True)}
    built = []
    for spec in contacts:
        customer = customers[spec["customer"]]
        step = spec.get("step", "email_1")
        built.append(
            PlannedContact(
                customer_id=customer.id,
                customer_ref=customer.ref,
                customer_name=customer.name,
                segment="standard",
                campaign="default",
                step=step,
                step_index=spec.get("step_index", 1),
                step_key=f"standard/{step}",
                channel=spec.get("channel", "email"),
                template=spec.get("template", "reminder_first"),
                language=spec.get("language", customer.language or "fr"),
                currency="EUR",
                planned_on=day,
                items=tuple(
                    PlannedItem(
                        items[ref]["id"],
                        ref,
                        items[ref]["issue_date"],
                        items[ref]["due_date"],
                        items[ref]["residual"],
                        items[ref]["days_past_due"],
                    )
                    for ref in spec["invoices"]
                ),
                holdout=spec.get("holdout", False),
                reasons=("test plan",),
            )
        )
    return DayPlan(day=day, contacts=tuple(built))


def make_settings(tmp_path: Path, **changes: Any) -> Settings:
    """Settings of the seller, letters written under tmp_path."""
    values: dict[str, Any] = {
        "company_name": "Vendeur SAS",
        "company_address": "1 place de la Bourse\\n75002 Paris",
        "company_siren": "123456789",
        "company_iban": "FR76 3000 6000 0112 3456 7890 189",
        "smtp_from": "relances@vendeur.fr",
        "smtp_reply_to": "recouvrement@vendeur.fr",
        "letters_dir": str(tmp_path / "letters"),
    }
    return Settings(**{**values, **changes})


class FakeTransport:
    """Records what it is given; refuses what it is told to."""

    def __init__(
        self, fail_to: set[str] | None = None, raise_on: BaseException | None = None
    ):
        self.emails: list[Email] = []
        self.sms: list[Sms] = []
        self.letters: list[Letter] = []
        self.fail_to = fail_to or set()
        self.raise_on = raise_on

    def send_email(self, email: Email) -> str:
        from relance.reminders.channels import DeliveryFailed

        if self.raise_on is not None:
            raise self.raise_on
        if set(email.to) & self.fail_to:
            raise DeliveryFailed(
                f"recipient refused: {', '.join(email.to)}: 550 no such user"
            )
        self.emails.append(email)
        return email.message_id

    def send_sms(self, sms: Sms) -> str:
        self.sms.append(sms)
        return f"sms-{len(self.sms)}"

    def post_letter(self, letter: Letter) -> str:
        self.letters.append(letter)
        return f"letter-{len(self.letters)}"

    def close(self) -> None:
        pass


def fake_pdf(html: str) -> bytes:
    """Stands in for WeasyPrint where the PDF itself is not under test."""
    return b"%PDF-fake " + html.encode()[:50]


def states(store: Store) -> dict[str, str]:
    """Customer ref → state of its (single) reminder action."""
    with store.session() as s:
        rows = s.execute(
            select(m.Customer.ref, m.Action.state)
            .join(m.Customer, m.Customer.id == m.Action.customer_id)
            .where(m.Action.channel != "dispute")
        ).all()
    return {ref: state for ref, state in rows}
