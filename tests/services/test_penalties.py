"""Penalties of the stored ledger: customer terms, disputes, filters.

Same invoice for each customer: 10,000.00 EUR due 20 June 2024, open on 10 July
2024: 10 late days in 2024-S1, 10 in 2024-S2.
- FR statutory (14.50 %, 14.25 %): 10,000 × (14.50 + 14.25) % × 10 / 365
  = 28,750 / 365 = 78.767... → 78.77
- EU directive (12.50 %, 12.25 %): 24,750 / 365 = 67.808... → 67.81
- contract 9 %: 10,000 × 9 % × 20 / 365 = 18,000 / 365 = 49.315... → 49.32
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import update

from relance.domain.late_interest import RECOVERY_INDEMNITY
from relance.imports.records import (
    Application,
    CustomerRecord,
    DocumentRecord,
    ImportBatch,
    Origin,
    PaymentRecord,
)
from relance.services.penalties import penalties
from relance.store import models as m
from relance.store.writer import write_batch

O = Origin("test.csv", 2)
DUE = date(2024, 6, 20)
AS_OF = date(2024, 7, 10)


def _invoice(ref: str, customer: str, status: str = "posted") -> DocumentRecord:
    return DocumentRecord(
        ref,
        customer,
        date(2024, 5, 21),
        DUE,
        Decimal("10000.00"),
        "EUR",
        O,
        status=status,
    )


def _load(store) -> None:
    batch = ImportBatch(
        source="test",
        customers=[
            CustomerRecord("FR1", "Dupont SARL", O, country="FR"),
            CustomerRecord("DE1", "Müller GmbH", O, country="DE"),
            CustomerRecord(
                "CT1", "Contrat SA", O, country="FR", late_rate_percent=Decimal(9)
            ),
            CustomerRecord(
                "PP1", "M. Martin", O, country="FR", customer_type="individual"
            ),
            CustomerRecord("OK1", "Ponctuel SAS", O, country="FR"),
        ],
        documents=[
            _invoice("F-FR", "FR1"),
            _invoice("F-DE", "DE1"),
            _invoice("F-CT", "CT1"),
            _invoice("F-PP", "PP1"),
            _invoice("F-OK", "OK1"),
            _invoice("F-DRAFT", "FR1", status="draft"),
        ],
        payments=[
            PaymentRecord(
                "P1",
                "OK1",
                DUE,
                Decimal("10000.00"),
                "EUR",
                O,
                (Application("F-OK", Decimal("10000.00")),),
            )
        ],
    )
    with store.transaction() as s:
        write_batch(s, batch)


def test_each_customer_gets_its_rate(store):
    _load(store)
    results = {p.invoice_ref: p for p in penalties(store, AS_OF)}
    assert set(results) == {"F-FR", "F-DE", "F-CT", "F-PP"}
    got = {ref: (p.rate_basis, p.interest) for ref, p in results.items()}
    assert got == {
        "F-FR": ("fr_statutory", Decimal("78.77")),
        "F-DE": ("eu_directive", Decimal("67.81")),
        "F-CT": ("contractual", Decimal("49.32")),
        "F-PP": ("none", Decimal("0.00")),
    }
    assert results["F-FR"].indemnity == RECOVERY_INDEMNITY
    assert results["F-PP"].indemnity is None
    assert "below 3 × the legal interest rate" in results["F-CT"].warnings[0]
    assert all(p.days_late == 20 for p in results.values())


def test_one_customer_and_rate_override(store):
    _load(store)
    [p] = penalties(store, AS_OF, customer="FR1", contract_rates={"FR1": Decimal(16)})
    # 10,000 × 16 % × 20 / 365 = 32,000 / 365 = 87.671... → 87.67
    assert (p.invoice_ref, p.rate_basis, p.interest) == (
        "F-FR",
        "contractual",
        Decimal("87.67"),
    )
    assert p.warnings == ()


def test_unreadable_stored_rate_falls_back_and_warns(store):
    _load(store)
    with store.transaction() as s:
        s.execute(
            update(m.Customer)
            .where(m.Customer.ref == "CT1")
            .values(late_rate_percent="douze")
        )
    [p] = penalties(store, AS_OF, customer="CT1")
    assert (p.rate_basis, p.interest) == ("fr_statutory", Decimal("78.77"))
    assert p.warnings[0] == "late_rate_percent 'douze' is not a rate in % (e.g. 12.5)"


def test_stored_rate_with_decimal_comma(store):
    """'16,0 %' as typed by a French user: 87.67 as above."""
    _load(store)
    with store.transaction() as s:
        s.execute(
            update(m.Customer)
            .where(m.Customer.ref == "CT1")
            .values(late_rate_percent="16,0 %")
        )
    [p] = penalties(store, AS_OF, customer="CT1")
    assert (p.rate_basis, p.interest) == ("contractual", Decimal("87.67"))


def test_open_dispute_flags_the_invoice(store):
    """A dispute open on 1 July flags F-FR; one closed on 5 July does not flag F-DE.
    Interest is the same either way."""
    _load(store)
    with store.transaction() as s:
        ids = dict(s.query(m.Document.ref, m.Document.id).all())
        s.add(
            m.Dispute(
                document_id=ids["F-FR"], reason_code="price", opened_on=date(2024, 7, 1)
            )
        )
        s.add(
            m.Dispute(
                document_id=ids["F-DE"],
                reason_code="quantity",
                opened_on=date(2024, 6, 25),
                closed_on=date(2024, 7, 5),
            )
        )
    results = {p.invoice_ref: p for p in penalties(store, AS_OF)}
    assert results["F-FR"].disputed and results["F-FR"].interest == Decimal("78.77")
    assert any("disputed" in w for w in results["F-FR"].warnings)
    assert not results["F-DE"].disputed


def test_nothing_late(store):
    _load(store)
    assert penalties(store, date(2024, 6, 20)) == []
