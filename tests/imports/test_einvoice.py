"""E-invoices (CII, UBL, Factur-X PDF) imported into the ledger.

Expected values were read by hand from the sample XML files (PROVENANCE.md,
section 4), never from the reader's output.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from relance.domain.ledger import Ledger, open_items
from relance.domain.money import from_minor
from relance.imports.records import ImportRejected
from relance.services.importing import import_paths
from relance.store.db import Store
from relance.store.reader import load_ledger as _load


def load_ledger(store: Store) -> Ledger:
    with store.transaction() as session:
        return _load(session)


AK = "einvoices/akretion_factur-x"
CE = "einvoices/connectingeurope_en16931"
PE = "einvoices/openpeppol_bis3"

# file: (ref, customer, issue date, due date, amount, currency)
FIRST = {
    # BT-1 F20260023, buyer GlobalID 3654789851, 20260131, due 20260302, 104.90.
    f"{AK}/invoice_EN16931.pdf": (
        "F20260023",
        "3654789851",
        date(2026, 1, 31),
        date(2026, 3, 2),
        "104.90",
        "EUR",
    ),
    # PartyIdentification 78787878400018, IssueDate/DueDate, PayableAmount 208.03.
    f"{AK}/ubl-21-en16931.xml": (
        "F124212",
        "78787878400018",
        date(2026, 6, 17),
        date(2026, 7, 16),
        "208.03",
        "EUR",
    ),
    # Due immediately: DueDate = IssueDate 2015-01-09; Payable 250.33.
    f"{CE}/ubl-tc434-example1.xml": (
        "12115118",
        "10202",
        date(2015, 1, 9),
        date(2015, 1, 9),
        "250.33",
        "EUR",
    ),
    # CreditNote without PartyIdentification: buyer VAT BE0000000295; 100.11
    # negated; no DueDate, so due on its issue date.
    f"{CE}/ubl-tc434-creditnote1.xml": (
        "018304 / 28865",
        "BE0000000295",
        date(2019, 9, 23),
        date(2019, 9, 23),
        "-100.11",
        "EUR",
    ),
    # Grand total and DuePayable 0.00; buyer ram:ID 1; due 20210326.
    f"{CE}/CII-BR-CO-10-RoundingIssue.xml": (
        "0",
        "1",
        date(2021, 3, 26),
        date(2021, 3, 26),
        "0.00",
        "EUR",
    ),
    f"{PE}/base-example.xml": (
        "Snippet1",
        "FR23342",
        date(2017, 11, 13),
        date(2017, 12, 1),
        "1656.25",
        "EUR",
    ),
    # CreditNote numbered Snippet1 correcting invoice Snippet1: stored apart.
    f"{PE}/base-creditnote-correction.xml": (
        "Snippet1 (credit note)",
        "FR23342",
        date(2017, 11, 13),
        date(2017, 11, 13),
        "-1656.25",
        "EUR",
    ),
    # Invoice with PayableAmount -1656.25: a credit, never a receivable.
    f"{PE}/base-negative-inv-correction.xml": (
        "Correction1",
        "FR23342",
        date(2017, 11, 13),
        date(2017, 12, 1),
        "-1656.25",
        "EUR",
    ),
}
# The same invoices in another syntax: same refs, same values.
SAME_AGAIN = [
    f"{AK}/factur-x-en16931.xml",
    f"{AK}/ubl-21-extended-ctc-fr.xml",
    f"{CE}/CII_example1.xml",
]


def _documents(store: Store) -> dict[str, tuple]:
    ledger = load_ledger(store)
    customers = dict(zip(ledger.customers["id"], ledger.customers["ref"], strict=True))
    return {
        row["ref"]: (
            row["ref"],
            customers[row["customer_id"]],
            row["issue_date"],
            row["due_date"],
            str(from_minor(row["amount"], row["currency"])),
            row["currency"],
        )
        for row in ledger.documents.iter_rows(named=True)
    }


def test_every_sample_is_read_as_written(store: Store, shared_data: Path) -> None:
    paths = [shared_data / name for name in FIRST]
    result = import_paths(store, paths)
    assert [f.kind for f in result.files] == ["einvoice"] * len(FIRST)
    docs = _documents(store)
    assert sorted(docs.values()) == sorted(FIRST.values())

    ledger = load_ledger(store)
    open_refs = set(open_items(ledger, date(2026, 12, 31))["ref"])
    # The zero invoice is never open. The credit note, given before Correction1,
    # takes all of Snippet1 (1656.25); Correction1 finds nothing left and stays
    # an unused credit of -1656.25 (never a receivable).
    assert "0" not in open_refs
    assert "Snippet1" not in open_refs
    assert "Snippet1 (credit note)" not in open_refs
    assert "Correction1" in open_refs
    kinds = dict(zip(ledger.documents["ref"], ledger.documents["kind"], strict=True))
    assert kinds["Correction1"] == "credit_note"

    again = import_paths(store, paths)
    assert not again.summary.changed

    same = import_paths(store, [shared_data / name for name in SAME_AGAIN])
    assert not same.summary.changed
    assert _documents(store) == docs


def test_minimum_profile_needs_default_terms(store: Store, shared_data: Path) -> None:
    path = shared_data / AK / "factur-x-minimum.xml"
    with pytest.raises(ImportRejected) as rejected:
        import_paths(store, [path])
    (problem,) = rejected.value.problems
    assert problem.field == "BT-9 due date"
    assert problem.line == 48  # <ram:ApplicableHeaderTradeSettlement>
    # No BT-46 nor BT-48: the buyer is its name. 2026-01-31 + 30 days = 2026-03-02.
    import_paths(store, [path], default_terms="30 days")
    assert _documents(store) == {
        "F20260023": (
            "F20260023",
            "LE CLIENT",
            date(2026, 1, 31),
            date(2026, 3, 2),
            "104.90",
            "EUR",
        )
    }


def test_credit_note_sets_against_stored_invoice(
    store: Store, shared_data: Path
) -> None:
    import_paths(store, [shared_data / PE / "base-example.xml"])
    import_paths(store, [shared_data / PE / "base-creditnote-correction.xml"])
    ledger = load_ledger(store)
    assert open_items(ledger, date(2018, 1, 1)).height == 0


def test_bad_values_are_problems(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"\n'
        ' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:'
        'CommonBasicComponents-2">\n'
        "  <cbc:ID>X1</cbc:ID>\n"
        "  <cbc:IssueDate>2024-02-30</cbc:IssueDate>\n"
        "  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>\n"
        "</Invoice>\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        import_paths(store, [bad])
    shown = [str(p) for p in rejected.value.problems]
    assert (
        f"{bad}:4: BT-2 issue date: '2024-02-30' is not a date: expected "
        "YYYY-MM-DD" in shown
    )
    assert any(": BT-115 amount due for payment: missing" in s for s in shown)
