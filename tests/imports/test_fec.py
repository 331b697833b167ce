"""From FEC lines to receivables: roles, dates, lettering, terms, references.

Each test writes a small FEC whose lines are spelled out below it; the expected
records and open balances are worked out by hand in the docstring.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from relance.domain.ledger import open_items, unapplied_cash
from relance.imports.fec import read_fec
from relance.imports.fec_entries import opening_kind
from relance.imports.records import Application, ImportRejected
from relance.store import models as m
from relance.store.reader import load_ledger
from relance.store.writer import write_batch

HEADER = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\t"
    "CompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\t"
    "EcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise"
)


def row(
    journal: str,
    number: str,
    day: str,
    account: str,
    *,
    aux: str = "",
    dr: str = "",
    cr: str = "",
    piece: str = "P",
    piece_date: str | None = None,
    let: str = "",
    date_let: str = "",
    aux_lib: str | None = None,
    account_label: str = "Compte",
    journal_label: str = "",
    currency: tuple[str, str] = ("", ""),
) -> str:
    """One FEC line: `dr` debit, `cr` credit (written with a decimal comma), `let`
    the lettering code."""
    fields = [
        journal, journal_label, number, day, account, account_label, aux,
        aux_lib if aux_lib is not None else (f"Client {aux}" if aux else ""),
        piece, piece_date or day, "libelle",
        (dr or "0").replace(".", ","), (cr or "0").replace(".", ","),
        let, date_let, "", currency[0], currency[1],
    ]  # fmt: skip
    return "\t".join(fields)


def fec(tmp_path, *rows: str, name: str = "FEC.txt"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _read(path, terms: str | None = "30 days", **customer_terms: str):
    return read_fec(path, default_terms=terms, customer_terms=customer_terms)


def _write(store, batch):
    with store.transaction() as session:
        return write_batch(session, batch)


def _ledger(store):
    with store.transaction() as session:
        return load_ledger(session)


def _open(store, day: date) -> dict[str, int]:
    """Open balances by ref at `day`: documents' residuals, payments' −unapplied."""
    ledger = _ledger(store)
    result = dict(open_items(ledger, day).select("ref", "residual").iter_rows())
    for ref, left in unapplied_cash(ledger, day).select("ref", "unapplied").iter_rows():
        result[ref] = -left
    return result


SALES_AND_RECEIPTS = [
    # C1: two invoices and one transfer, lettered AA together (partial).
    row("VT", "1", "20240110", "411000", aux="C1", dr="1200", piece="F1",
        piece_date="20240105", let="AA"),
    row("VT", "1", "20240110", "706000", cr="1000", piece="F1"),
    row("VT", "1", "20240110", "445710", cr="200", piece="F1"),
    row("VT", "2", "20240120", "411000", aux="C1", dr="600", piece="F2", let="AA"),
    row("VT", "2", "20240120", "706000", cr="600", piece="F2"),
    row("BQ", "1", "20240215", "512000", dr="1500", piece="VIR1",
        piece_date="20240201"),
    row("BQ", "1", "20240215", "411000", aux="C1", cr="1500", piece="VIR1",
        piece_date="20240201", let="AA", date_let="20240301"),
    # C2 uses the same code AA: a group of its own.
    row("VT", "3", "20240120", "411000", aux="C2", dr="300", piece="F3", let="AA"),
    row("VT", "3", "20240120", "706000", cr="300", piece="F3"),
    # C2 pays 100 without lettering.
    row("BQ", "2", "20240220", "512000", dr="100", piece="CHQ"),
    row("BQ", "2", "20240220", "411000", aux="C2", cr="100", piece="CHQ"),
]  # fmt: skip


def test_invoices_payments_and_lettering(tmp_path):
    """C1 (terms "45 jours fin de mois"): F1 1,200 dated by its PieceDate 5 Jan, due
    5 Jan + 45 = 19 Feb, so 29 Feb 2024; F2 600 of 20 Jan, + 45 = 5 Mar, so 31 Mar.
    The transfer of 1,500 is dated 15 Feb, its bank line's EcritureDate (not its
    PieceDate 1 Feb, not DateLet 1 Mar). Lettered AA with both: oldest first, 1,200
    to F1 and 300 to F2. C2 (default 30 days): F3 20 Jan, due 19 Feb; its own AA
    group holds F3 alone; the cheque of 100 is unlettered, so unapplied."""
    batch = _read(fec(tmp_path, *SALES_AND_RECEIPTS), C1="45 jours fin de mois")
    assert batch.problems == []
    docs = {d.ref.split(":")[3]: d for d in batch.documents}
    assert {k: (d.issue_date, d.due_date, d.amount) for k, d in docs.items()} == {
        "F1": (date(2024, 1, 5), date(2024, 2, 29), Decimal("1200.00")),
        "F2": (date(2024, 1, 20), date(2024, 3, 31), Decimal("600.00")),
        "F3": (date(2024, 1, 20), date(2024, 2, 19), Decimal("300.00")),
    }
    transfer, cheque = batch.payments
    assert (transfer.payment_date, transfer.amount) == (
        date(2024, 2, 15),
        Decimal("1500.00"),
    )
    assert [(a.document_ref, a.amount) for a in transfer.applications] == [
        (docs["F1"].ref, Decimal("1200.00")),
        (docs["F2"].ref, Decimal("300.00")),
    ]
    assert (cheque.customer_ref, cheque.applications) == ("C2", ())
    assert docs["F1"].ref == "VT:1:20240110:F1:411000:C1"


def test_replay_of_a_partial_match(store, tmp_path):
    """On 14 Feb nothing is paid: F1 1,200, F2 600, F3 300 open. On 31 March: F2
    keeps 600 − 300 = 300, F3 300, and C2's cheque is 100 unapplied: balances C1
    300 = 1,800 − 1,500 and C2 200 = 300 − 100."""
    batch = _read(fec(tmp_path, *SALES_AND_RECEIPTS))
    _write(store, batch)
    before = _open(store, date(2024, 2, 14))
    assert sorted(before.values()) == [30000, 60000, 120000]
    after = _open(store, date(2024, 3, 31))
    assert sorted(after.values()) == [-10000, 30000, 30000]
    assert after["VT:2:20240120:F2:411000:C1"] == 30000
    assert after["BQ:2:20240220:CHQ:411000:C2"] == -10000


def test_credit_note_lettered_with_its_invoice(tmp_path, store):
    """Invoice 1,000 (1 Mar), credit note 200 (5 Mar, 706 debited), payment 800
    (20 Mar), all lettered AB: the credit note gives 200 to the invoice, the payment
    800; nothing is open. An unlettered credit note of 50 stays open at −50."""
    path = fec(
        tmp_path,
        row("VT", "1", "20240301", "411000", aux="C1", dr="1000", piece="F1", let="AB"),
        row("VT", "1", "20240301", "706000", cr="1000", piece="F1"),
        row("VT", "2", "20240305", "706000", dr="200", piece="A1"),
        row("VT", "2", "20240305", "411000", aux="C1", cr="200", piece="A1", let="AB"),
        row("VT", "3", "20240306", "706000", dr="50", piece="A2"),
        row("VT", "3", "20240306", "411000", aux="C1", cr="50", piece="A2"),
        row("BQ", "1", "20240320", "411000", aux="C1", cr="800", piece="V", let="AB"),
        row("BQ", "1", "20240320", "512000", dr="800", piece="V"),
    )  # fmt: skip
    batch = _read(path)
    amounts = sorted(d.amount for d in batch.documents)
    assert amounts == [Decimal("-200.00"), Decimal("-50.00"), Decimal("1000.00")]
    (credit,) = batch.credit_applications
    assert (credit.amount, credit.applied_on) == (Decimal("200.00"), date(2024, 3, 5))
    assert credit.credit_note_ref.split(":")[3] == "A1"
    _write(store, batch)
    assert _open(store, date(2024, 3, 31)) == {"VT:3:20240306:A2:411000:C1": -5000}


def test_refunds_adjustments_and_other_settlements(tmp_path):
    """A 411 debit against the bank is a refund, due the day it is booked; a 411
    credit against 678 (small loss) or 413 (bill of exchange) settles like a payment
    dated by its entry; a 411 debit against 778 is a debit due on its date; a cash
    sale booked in one entry gives the invoice and its payment."""
    path = fec(
        tmp_path,
        row("BQ", "1", "20240410", "411000", aux="C1", dr="50", piece="R",
            piece_date="20240401"),
        row("BQ", "1", "20240410", "512000", cr="50", piece="R"),
        row("OD", "1", "20240411", "411000", aux="C1", cr="0.01", piece="E"),
        row("OD", "1", "20240411", "678000", dr="0.01", piece="E"),
        row("OD", "2", "20240412", "411000", aux="C1", dr="0.02", piece="G"),
        row("OD", "2", "20240412", "778000", cr="0.02", piece="G"),
        row("OD", "3", "20240413", "413000", dr="500", piece="LCR"),
        row("OD", "3", "20240413", "411000", aux="C1", cr="500", piece="LCR",
            piece_date="20240402"),
        row("VT", "1", "20240414", "411000", aux="C2", dr="100", piece="T"),
        row("VT", "1", "20240414", "706000", cr="100", piece="T"),
        row("VT", "1", "20240414", "411000", aux="C2", cr="100", piece="T"),
        row("VT", "1", "20240414", "530000", dr="100", piece="T"),
    )  # fmt: skip
    batch = _read(path)
    assert batch.problems == []
    docs = [
        (d.ref.split(":")[3], d.issue_date, d.due_date, d.amount)
        for d in batch.documents
    ]
    assert docs == [
        ("R", date(2024, 4, 10), date(2024, 4, 10), Decimal("50.00")),
        ("G", date(2024, 4, 12), date(2024, 4, 12), Decimal("0.02")),
        ("T", date(2024, 4, 14), date(2024, 5, 14), Decimal("100.00")),
    ]
    pays = [(p.ref.split(":")[3], p.payment_date, p.amount) for p in batch.payments]
    assert pays == [
        ("E", date(2024, 4, 11), Decimal("0.01")),
        ("LCR", date(2024, 4, 13), Decimal("500.00")),
        ("T", date(2024, 4, 14), Decimal("100.00")),
    ]


def test_unnumbered_entries_are_rebuilt(tmp_path):
    """EcritureNum 0 everywhere, lower-case journals. The bank journal of 5 Jan
    holds a supplier debit and two receipts of the same customer with the same
    piece: runs cut at zero balance give three entries; the two receipts are
    payments told apart by #2. The sale is an invoice."""
    lines = [
        row("ve", "0", "20240131", "411000", aux="C9", dr="1000", piece="01/2024"),
        row("ve", "0", "20240131", "706000", cr="1000", piece="01/2024"),
        row("bq", "0", "20240105", "401000", aux="F1", dr="50", piece="PRLV"),
        row("bq", "0", "20240105", "512000", cr="50", piece="PRLV"),
        row("bq", "0", "20240105", "411000", aux="C9", cr="300", piece="REM"),
        row("bq", "0", "20240105", "512000", dr="300", piece="REM"),
        row("bq", "0", "20240105", "411000", aux="C9", cr="200", piece="REM"),
        row("bq", "0", "20240105", "512000", dr="200", piece="REM"),
    ]  # fmt: skip
    batch = _read(fec(tmp_path, *lines))
    assert [d.ref for d in batch.documents] == ["ve:0:20240131:01/2024:411000:C9"]
    assert [(p.ref, p.amount) for p in batch.payments] == [
        ("bq:0:20240105:REM:411000:C9", Decimal("300.00")),
        ("bq:0:20240105:REM:411000:C9#2", Decimal("200.00")),
    ]


def test_unnumbered_od_is_not_merged_with_a_sale(tmp_path):
    """With EcritureNum 0, a transfer to 416 and a sale booked the same day in the
    same journal are two entries: the 411 credit settles (a payment), it is not a
    credit note because of the sale's 706 line."""
    lines = [
        row("od", "0", "20240131", "416000", dr="80", piece="X"),
        row("od", "0", "20240131", "411000", aux="C1", cr="80", piece="X"),
        row("od", "0", "20240131", "411000", aux="C1", dr="90", piece="Y"),
        row("od", "0", "20240131", "706000", cr="90", piece="Y"),
    ]  # fmt: skip
    batch = _read(fec(tmp_path, *lines))
    assert [p.amount for p in batch.payments] == [Decimal("80.00")]
    assert [d.amount for d in batch.documents] == [Decimal("90.00")]


def test_opening_aggregate_and_detail_are_not_counted_twice(tmp_path, store):
    """C1: ANO says 500, AD details 300 (15 Nov) + 200 (1 Dec) = 500: the same
    balance twice, so the ANO line is left out; C1 owes 500 in two items keeping
    their original dates. C2: ANO 100 but AD 60: they differ, both are kept (160).
    An opening credit of C3 (30) is unapplied cash dated by its PieceDate."""
    lines = [
        row("ANO", "1", "20240101", "411000", aux="C1", dr="500", piece="RAN"),
        row("ANO", "1", "20240101", "411000", aux="C2", dr="100", piece="RAN"),
        row("ANO", "1", "20240101", "890000", cr="600", piece="RAN"),
        row("AD", "0", "20231115", "411000", aux="C1", dr="300", piece="F88"),
        row("AD", "0", "20231201", "411000", aux="C1", dr="200", piece="F95"),
        row("AD", "0", "20231210", "411000", aux="C2", dr="60", piece="F97"),
        row("AD", "0", "20240101", "411000", aux="C3", cr="30", piece="AV",
            piece_date="20231220"),
        row("AD", "0", "20240101", "890000", cr="530", piece="AD"),
    ]  # fmt: skip
    batch = _read(fec(tmp_path, *lines))
    issued = sorted((d.customer_ref, d.issue_date, d.amount) for d in batch.documents)
    assert issued == [
        ("C1", date(2023, 11, 15), Decimal("300.00")),
        ("C1", date(2023, 12, 1), Decimal("200.00")),
        ("C2", date(2023, 12, 10), Decimal("60.00")),
        ("C2", date(2024, 1, 1), Decimal("100.00")),
    ]
    (credit,) = batch.payments
    assert (credit.customer_ref, credit.payment_date) == ("C3", date(2023, 12, 20))
    _write(store, batch)
    assert sum(_open(store, date(2024, 1, 1)).values()) == 50000 + 16000 - 3000


def test_customers_named_by_their_most_frequent_label(tmp_path):
    """C1 is written "Client Un" twice and "CLIENT UN SA" once; lines without an
    auxiliary account make the account itself a customer, named by CompteLib."""
    lines = [
        row("VT", "1", "20240110", "411000", aux="C1", dr="1", aux_lib="CLIENT UN SA"),
        row("VT", "1", "20240110", "706000", cr="1"),
        row("VT", "2", "20240110", "411000", aux="C1", dr="1", aux_lib="Client Un"),
        row("VT", "2", "20240110", "706000", cr="1"),
        row("VT", "3", "20240110", "411000", aux="C1", dr="1", aux_lib="Client Un"),
        row("VT", "3", "20240110", "706000", cr="1"),
        row("VT", "4", "20240110", "411100", dr="1", account_label="Clients divers"),
        row("VT", "4", "20240110", "706000", cr="1"),
    ]  # fmt: skip
    batch = _read(fec(tmp_path, *lines))
    assert [(c.ref, c.name) for c in batch.customers] == [
        ("C1", "Client Un"),
        ("411100", "Clients divers"),
    ]
    assert all(c.payment_terms is None and c.email is None for c in batch.customers)


def test_foreign_currency_items_stay_in_their_currency(tmp_path, store):
    """An invoice of 1,100 USD (1,000 EUR in the books) and its payment of 1,100 USD
    lettered together: closed in USD; nothing open, nothing in EUR."""
    us = ("1100,00", "USD")
    lines = [
        row("VT", "1", "20240110", "411000", aux="C1", dr="1000", let="A", currency=us),
        row("VT", "1", "20240110", "706000", cr="1000"),
        row("BQ", "1", "20240210", "411000", aux="C1", cr="1000", let="A", currency=us),
        row("BQ", "1", "20240210", "512000", dr="1000"),
    ]  # fmt: skip
    batch = _read(fec(tmp_path, *lines))
    assert [(d.currency, d.amount) for d in batch.documents] == [
        ("USD", Decimal("1100.00"))
    ]
    assert [(p.currency, p.amount) for p in batch.payments] == [
        ("USD", Decimal("1100.00"))
    ]
    _write(store, batch)
    assert _open(store, date(2024, 3, 1)) == {}


def test_missing_terms_name_the_option_and_nothing_is_written(tmp_path, store):
    """No default terms: C1 has invoices and no terms, one problem at its first
    invoice line; C2 only paid, it needs none."""
    path = fec(
        tmp_path,
        row("VT", "1", "20240110", "411000", aux="C1", dr="10"),
        row("VT", "1", "20240110", "706000", cr="10"),
        row("VT", "2", "20240111", "411000", aux="C1", dr="10"),
        row("VT", "2", "20240111", "706000", cr="10"),
        row("BQ", "1", "20240112", "411000", aux="C2", cr="10"),
        row("BQ", "1", "20240112", "512000", dr="10"),
    )
    batch = _read(path, terms=None)
    expected = (
        "FEC.txt:2: payment_terms: customer 'C1' has invoices but no payment terms: "
        "give them in customers.csv or pass --default-terms "
        '(e.g. --default-terms "30 days")'
    )
    assert [str(p) for p in batch.problems] == [expected]
    with pytest.raises(ImportRejected):
        _write(store, batch)
    with store.transaction() as session:
        assert (
            session.execute(select(func.count()).select_from(m.Customer)).scalar_one()
            == 0
        )
    assert _read(path, terms=None, C1="60 jours").problems == []


def test_unreadable_terms(tmp_path):
    path = fec(
        tmp_path,
        row("VT", "1", "20240110", "411000", aux="C1", dr="10"),
        row("VT", "1", "20240110", "706000", cr="10"),
    )
    (problem,) = _read(path, C1="bientôt").problems
    assert str(problem).startswith(
        "FEC.txt:2: payment_terms: customer 'C1': "
        "payment terms 'bientôt' not understood"
    )
    with pytest.raises(ValueError, match="^--default-terms: payment terms 'soon'"):
        _read(path, terms="soon")


def test_a_fec_without_customer_lines_is_refused(tmp_path):
    path = fec(
        tmp_path,
        row("AC", "1", "20240110", "401000", aux="F1", cr="10"),
        row("AC", "1", "20240110", "606000", dr="10"),
    )
    expected = (
        "FEC.txt:1: CompteNum: no line on a customer account (411...): this FEC "
        "holds no receivables to import"
    )
    assert [str(p) for p in _read(path).problems] == [expected]


def test_a_newer_export_updates_without_duplicates(store, tmp_path):
    """January export: F1 1,000 open. March export of the same books: F1 now
    lettered with a payment of 1,000, and a new F2 of 400. After both: two
    documents, one payment, only F2 open; writing the March file again changes
    nothing."""
    january = [
        row("VT", "1", "20240110", "411000", aux="C1", dr="1000", piece="F1"),
        row("VT", "1", "20240110", "706000", cr="1000", piece="F1"),
    ]
    march = [
        row("VT", "1", "20240110", "411000", aux="C1", dr="1000", piece="F1", let="AA"),
        row("VT", "1", "20240110", "706000", cr="1000", piece="F1"),
        row("BQ", "1", "20240215", "411000", aux="C1", cr="1000", let="AA"),
        row("BQ", "1", "20240215", "512000", dr="1000"),
        row("VT", "2", "20240301", "411000", aux="C1", dr="400", piece="F2"),
        row("VT", "2", "20240301", "706000", cr="400", piece="F2"),
    ]  # fmt: skip
    _write(store, _read(fec(tmp_path, *january, name="FEC_01.txt")))
    newer = _read(fec(tmp_path, *march, name="FEC_03.txt"))
    _write(store, newer)
    assert _open(store, date(2024, 3, 31)) == {"VT:2:20240301:F2:411000:C1": 40000}
    with store.transaction() as session:
        count = session.execute(
            select(func.count()).select_from(m.Document)
        ).scalar_one()
    assert count == 2
    assert not _write(store, newer).changed


@pytest.mark.parametrize(
    ("code", "label", "kind"),
    [
        ("ANO", "A nouveaux", "aggregate"),
        ("AN", "OD54", "aggregate"),
        ("RAN", "", "aggregate"),
        ("XX", "Report à nouveau", "aggregate"),
        ("AD", "A Nouveaux Détaillés", "detailed"),
        ("AD", "", "detailed"),
        ("AND", "à nouveaux détaillés", "detailed"),
        ("AD", "Achats divers", None),
        ("VE", "Ventes", None),
    ],
)
def test_opening_journals(code, label, kind):
    assert opening_kind(code, label) == kind


def test_opening_item_matched_with_credits_lettered_alone(tmp_path, store):
    """C1 letters its items. ANO debit 300 (1 Sept), brought forward without its
    code; payments 100 (4 Sept, lettered AA alone) and 250 (6 Sept, unlettered);
    an invoice of 80 (10 Sept, unlettered). Opening rule, oldest first: 100, then
    200 of the 250, settle the opening item; 50 stays unapplied. The invoice is
    not an opening item: it stays open for 80 (unlettered cash stays unapplied).
    Balance 300 + 80 − 350 = 30 = 80 − 50."""
    path = fec(
        tmp_path,
        row("ANO", "1", "20240901", "411000", aux="C1", dr="300", piece="RAN"),
        row("ANO", "1", "20240901", "890000", cr="300", piece="RAN"),
        row("BQ", "1", "20240904", "411000", aux="C1", cr="100", piece="V1", let="AA"),
        row("BQ", "1", "20240904", "512000", dr="100", piece="V1"),
        row("BQ", "2", "20240906", "411000", aux="C1", cr="250", piece="V2"),
        row("BQ", "2", "20240906", "512000", dr="250", piece="V2"),
        row("VT", "1", "20240910", "411000", aux="C1", dr="80", piece="F1"),
        row("VT", "1", "20240910", "706000", cr="80", piece="F1"),
    )  # fmt: skip
    batch = _read(path)
    opening = "ANO:1:20240901:RAN:411000:C1"
    assert [(p.amount, p.applications) for p in batch.payments] == [
        (Decimal("100.00"), (Application(opening, Decimal("100.00")),)),
        (Decimal("250.00"), (Application(opening, Decimal("200.00")),)),
    ]
    _write(store, batch)
    assert _open(store, date(2024, 9, 30)) == {
        "VT:1:20240910:F1:411000:C1": 8000,
        "BQ:2:20240906:V2:411000:C1": -5000,
    }


def test_customer_without_lettering_matched_first_in_first_out(tmp_path, store):
    """C2 has no lettering code at all: invoices 100 (1 Mar) and 200 (1 Apr), a
    payment of 150 (10 Apr), a credit note of 30 (15 Apr). Oldest first: 150 pays
    the first invoice (100) and 50 of the second; the credit note 30 more. The
    second invoice is open for 200 − 50 − 30 = 120 = the balance 300 − 180."""
    path = fec(
        tmp_path,
        row("VT", "1", "20240301", "411000", aux="C2", dr="100", piece="F1"),
        row("VT", "1", "20240301", "706000", cr="100", piece="F1"),
        row("VT", "2", "20240401", "411000", aux="C2", dr="200", piece="F2"),
        row("VT", "2", "20240401", "706000", cr="200", piece="F2"),
        row("BQ", "1", "20240410", "411000", aux="C2", cr="150", piece="V"),
        row("BQ", "1", "20240410", "512000", dr="150", piece="V"),
        row("VT", "3", "20240415", "706000", dr="30", piece="A1"),
        row("VT", "3", "20240415", "411000", aux="C2", cr="30", piece="A1"),
    )  # fmt: skip
    batch = _read(path)
    (payment,) = batch.payments
    assert [a.amount for a in payment.applications] == [
        Decimal("100.00"),
        Decimal("50.00"),
    ]
    (credit,) = batch.credit_applications
    assert (credit.amount, credit.document_ref) == (
        Decimal("30.00"),
        "VT:2:20240401:F2:411000:C2",
    )
    _write(store, batch)
    assert _open(store, date(2024, 4, 30)) == {"VT:2:20240401:F2:411000:C2": 12000}


def test_problems_name_the_fec_by_the_path_given(tmp_path, store):
    """`relance import books/FEC.txt` with a bad amount on line 3: the message
    starts with the path as typed, `books/FEC.txt:3:` (not `FEC.txt:3:`), and
    nothing is written."""
    from relance.services.importing import import_paths

    folder = tmp_path / "books"
    folder.mkdir()
    fec(
        folder,
        row("VT", "1", "20240110", "411000", aux="C1", dr="100", piece="F1"),
        row("VT", "1", "20240110", "706000", cr="1.2.3", piece="F1"),
    )
    given = tmp_path / "books" / "FEC.txt"
    with pytest.raises(ImportRejected) as caught:
        import_paths(store, [given], default_terms="30 days")
    assert [str(p).split(": ")[0] for p in caught.value.problems] == [f"{given}:3"]
    with store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(m.Document)) == 0
