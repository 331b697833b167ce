"""Small books written by hand for the reminder tests: customers, invoices, cash,
and the follow-up state (actions, disputes, promises), as a `PlanningData`.

Amounts are given as decimal strings in major units and stored in minor units, as
the ledger does; ids are assigned in order from 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from relance.domain.ledger import (
    APPLICATION_SCHEMA,
    CUSTOMER_SCHEMA,
    DOCUMENT_SCHEMA,
    PAYMENT_SCHEMA,
    WRITEOFF_SCHEMA,
    Ledger,
)
from relance.domain.money import to_minor
from relance.reminders.eligibility import (
    ACTION_ITEM_SCHEMA,
    ACTION_SCHEMA,
    CUSTOMER_FACTS_SCHEMA,
    DISPUTE_SCHEMA,
    PROMISE_SCHEMA,
    PlanningData,
)


@dataclass
class Books:
    customers: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)
    applications: list[dict[str, Any]] = field(default_factory=list)
    writeoffs: list[dict[str, Any]] = field(default_factory=list)
    disputes: list[dict[str, Any]] = field(default_factory=list)
    promises: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)

    def _customer(self, ref: str) -> dict[str, Any]:
        return next(c for c in self.customers if c["ref"] == ref)

    def _doc(self, ref: str) -> dict[str, Any]:
        return next(d for d in self.documents if d["ref"] == ref)

    def customer(self, ref: str, **facts: Any) -> Books:
        row = {name: None for name in CUSTOMER_FACTS_SCHEMA}
        row.update(
            id=len(self.customers) + 1,
            ref=ref,
            name=f"Customer {ref}",
            tags="",
            opted_out=False,
            legal_procedure=False,
            dunning_excluded=False,
        )
        row.update(facts)
        self.customers.append(row)
        return self

    def invoice(
        self,
        ref: str,
        customer: str,
        issue: date,
        due: date,
        amount: str,
        currency: str = "EUR",
        disputed: bool = False,
    ) -> Books:
        minor = to_minor(Decimal(amount), currency)
        self.documents.append(
            {
                "id": len(self.documents) + 1,
                "ref": ref,
                "customer_id": self._customer(customer)["id"],
                "customer_ref": customer,
                "kind": "invoice" if minor > 0 else "credit_note",
                "issue_date": issue,
                "due_date": due,
                "amount": minor,
                "currency": currency,
                "disputed": disputed,
            }
        )
        return self

    def credit_note(
        self, ref: str, customer: str, issue: date, amount: str, currency: str = "EUR"
    ) -> Books:
        return self.invoice(ref, customer, issue, issue, "-" + amount, currency)

    def payment(
        self,
        ref: str,
        customer: str,
        on: date,
        amount: str,
        applies: dict[str, str] | None = None,
        currency: str = "EUR",
    ) -> Books:
        pid = len(self.payments) + 1
        self.payments.append(
            {
                "id": pid,
                "ref": ref,
                "customer_id": self._customer(customer)["id"],
                "customer_ref": customer,
                "payment_date": on,
                "amount": to_minor(Decimal(amount), currency),
                "currency": currency,
            }
        )
        for doc_ref, part in (applies or {}).items():
            self.applications.append(
                {
                    "payment_id": pid,
                    "credit_note_id": None,
                    "document_id": self._doc(doc_ref)["id"],
                    "applied_on": on,
                    "amount": to_minor(Decimal(part), currency),
                    "currency": currency,
                }
            )
        return self

    def apply_credit(
        self, credit_ref: str, doc_ref: str, on: date, amount: str
    ) -> Books:
        credit = self._doc(credit_ref)
        self.applications.append(
            {
                "payment_id": None,
                "credit_note_id": credit["id"],
                "document_id": self._doc(doc_ref)["id"],
                "applied_on": on,
                "amount": to_minor(Decimal(amount), credit["currency"]),
                "currency": credit["currency"],
            }
        )
        return self

    def dispute(self, doc_ref: str, opened: date, closed: date | None = None) -> Books:
        self.disputes.append(
            {
                "document_id": self._doc(doc_ref)["id"],
                "opened_on": opened,
                "closed_on": closed,
            }
        )
        return self

    def promise(
        self,
        customer: str,
        recorded: date,
        promised_for: date,
        document: str | None = None,
        status: str = "open",
    ) -> Books:
        self.promises.append(
            {
                "customer_id": self._customer(customer)["id"],
                "document_id": None if document is None else self._doc(document)["id"],
                "recorded_on": recorded,
                "promised_for": promised_for,
                "status": status,
            }
        )
        return self

    def action(
        self,
        customer: str,
        step: str,
        on: date,
        documents: tuple[str, ...] = (),
        state: str = "sent",
        dropped: tuple[str, ...] = (),
    ) -> Books:
        aid = len(self.actions) + 1
        self.actions.append(
            {
                "id": aid,
                "customer_id": self._customer(customer)["id"],
                "step": step,
                "planned_on": on,
                "state": state,
            }
        )
        for ref in documents:
            self.items.append(
                {
                    "action_id": aid,
                    "document_id": self._doc(ref)["id"],
                    "dropped": ref in dropped,
                }
            )
        return self

    def ledger(self) -> Ledger:
        customers = pl.DataFrame(
            [
                {k: c.get(k) for k in CUSTOMER_SCHEMA if k != "payment_terms"}
                | {"payment_terms": None}
                for c in self.customers
            ],
            schema=CUSTOMER_SCHEMA,
        )
        return Ledger(
            customers=customers,
            documents=pl.DataFrame(self.documents, schema=DOCUMENT_SCHEMA),
            payments=pl.DataFrame(self.payments, schema=PAYMENT_SCHEMA),
            applications=pl.DataFrame(self.applications, schema=APPLICATION_SCHEMA),
            writeoffs=pl.DataFrame(self.writeoffs, schema=WRITEOFF_SCHEMA),
        )

    def data(self) -> PlanningData:
        return PlanningData(
            ledger=self.ledger(),
            customers=pl.DataFrame(self.customers, schema=CUSTOMER_FACTS_SCHEMA),
            disputes=pl.DataFrame(self.disputes, schema=DISPUTE_SCHEMA),
            promises=pl.DataFrame(self.promises, schema=PROMISE_SCHEMA),
            actions=pl.DataFrame(self.actions, schema=ACTION_SCHEMA),
            action_items=pl.DataFrame(self.items, schema=ACTION_ITEM_SCHEMA),
        )
