"""Importing the canonical CSV files: the books land in the ledger, all or nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from import_helpers import BOOKS, INVOICES, PAYMENTS, files_writer, ledger_counts
from sqlalchemy import select

from relance.domain.ledger import open_items, unapplied_cash
from relance.imports.records import ImportRejected
from relance.services.importing import ImportUsageError, import_paths
from relance.store import models as m
from relance.store.reader import load_ledger


@pytest.fixture
def write_files(tmp_path, monkeypatch):
    """Write CSV files in the test's own working folder."""
    return files_writer(tmp_path, monkeypatch)


def _ledger(store):
    with store.transaction() as s:
        return load_ledger(s)


def _documents(store) -> dict[str, tuple]:
    with store.transaction() as s:
        rows = s.execute(
            select(
                m.Document.ref,
                m.Document.due_date,
                m.Document.amount_minor,
                m.Document.status,
                m.Document.disputed,
            )
        ).all()
    return {ref: tuple(rest) for ref, *rest in rows}


def test_books_import_and_replay(store, write_files):
    """The four files of import_helpers, replayed by hand.

    As of 15 March 2024: F1 1,200.00 paid by P1 (5 Feb) -> closed; F2 300.50 - P2
    100.50 (1 Mar) = 200.00 open, due 20 Jan + 30 days (C1's terms) = 19 Feb, so
    10 days of February (leap year) + 15 of March = 25 days past due; A1 -100.00 open,
    due when issued (25 Jan); F3 is a draft and never counts; P3 50.00 of C2 is
    unapplied. On 1 July 2024 F2's 200.00 was written off on 30 June: only A1 is left.
    """
    paths = write_files(**BOOKS)
    result = import_paths(store, paths)

    assert [(f.name, f.kind, f.rows) for f in result.files] == [
        ("customers.csv", "customers", 2),
        ("invoices.csv", "invoices", 4),
        ("payments.csv", "payments", 3),
        ("writeoffs.csv", "writeoffs", 1),
    ]
    assert ledger_counts(store) == {
        "customers": 2,
        "documents": 4,
        "payments": 3,
        "applications": 2,
        "writeoffs": 1,
    }
    docs = _documents(store)
    assert docs["F2"] == (date(2024, 2, 19), 30050, "posted", True)
    assert docs["A1"] == (date(2024, 1, 25), -10000, "posted", False)
    assert docs["F3"][1:3] == (9999, "draft")

    ledger = _ledger(store)
    items = open_items(ledger, date(2024, 3, 15))
    assert dict(zip(items["ref"], items["residual"])) == {"F2": 20000, "A1": -10000}
    assert dict(zip(items["ref"], items["days_past_due"]))["F2"] == 25
    cash = unapplied_cash(ledger, date(2024, 3, 15))
    assert list(zip(cash["ref"], cash["unapplied"])) == [("P3", 5000)]
    later = open_items(ledger, date(2024, 7, 1))
    assert later["ref"].to_list() == ["A1"]


def test_customer_fields(store, write_files):
    """Tags are split on semicolons, the country is upper-cased."""
    import_paths(store, write_files(customers=BOOKS["customers"]))
    with store.transaction() as s:
        c1, c2 = s.execute(select(m.Customer).order_by(m.Customer.ref)).scalars().all()
    assert (c1.name, c1.email, c1.payment_terms, c1.segment, c1.country) == (
        "Dupont SARL",
        "compta@dupont.example",
        "30 days",
        "SME",
        "FR",
    )
    assert c1.tags == "key account,north"
    assert (c2.country, c2.email) == ("FR", None)


def test_reimport_changes_nothing(store, write_files):
    paths = write_files(**BOOKS)
    assert import_paths(store, paths).summary.changed
    again = import_paths(store, paths)
    assert not again.summary.changed
    assert again.summary.unchanged["documents"] == 4
    assert ledger_counts(store)["documents"] == 4


def test_newer_export_updates_without_duplicates(store, write_files):
    """A later export: F2 corrected to 310.50, F4 new, P4 pays F4."""
    import_paths(store, write_files(**BOOKS))
    newer_invoices = (
        INVOICES.replace("300.50", "310.50")
        + "F4,C2,2024-03-05,2024-04-30,80.00,EUR,,\n"
    )
    newer_payments = PAYMENTS + "P4,F4,,2024-04-02,80.00,EUR\n"
    result = import_paths(
        store, write_files(invoices=newer_invoices, payments=newer_payments)
    )
    assert result.summary.inserted["documents"] == 1
    assert result.summary.updated["documents"] == 1
    assert result.summary.inserted["payments"] == 1
    assert ledger_counts(store) == {
        "customers": 2,
        "documents": 5,
        "payments": 4,
        "applications": 3,
        "writeoffs": 1,
    }
    assert _documents(store)["F2"][1] == 31050


def test_folder_import(store, write_files):
    """A folder stands for the canonical files it holds; other files are ignored."""
    write_files(folder="books", **BOOKS)
    Path("books", "notes.txt").write_text("not an export\n")
    result = import_paths(store, [Path("books")])
    assert [f.name for f in result.files] == [
        str(Path("books", f"{k}.csv"))
        for k in ("customers", "invoices", "payments", "writeoffs")
    ]
    assert ledger_counts(store)["documents"] == 4


def test_folder_problem_names_the_file_as_given(store, write_files):
    write_files(
        folder="books",
        customers=BOOKS["customers"],
        invoices=INVOICES.replace("2024-01-10", "2024-01-32"),
    )
    with pytest.raises(ImportRejected) as caught:
        import_paths(store, [Path("books")])
    assert [str(p) for p in caught.value.problems] == [
        (
            "books/invoices.csv:2: issue_date: '2024-01-32' is not a date: "
            "expected YYYY-MM-DD"
        )
    ]


def test_default_terms_give_missing_due_dates(store, write_files):
    """No terms for C3: --default-terms "45 days end of month" applies.

    20 Jan 2024 + 45 days = 5 March, end of that month: 31 March 2024.
    """
    paths = write_files(
        customers="customer_id,name\nC3,Leroy\n",
        invoices="invoice_id,customer_id,issue_date,due_date,amount,currency\n"
        "F9,C3,2024-01-20,,10.00,EUR\n",
    )
    import_paths(store, paths, default_terms="45 days end of month")
    assert _documents(store)["F9"][0] == date(2024, 3, 31)


def test_unknown_file_name_is_a_usage_error(write_files, store):
    paths = write_files(export=INVOICES)
    with pytest.raises(ImportUsageError, match=r"export.csv: unknown kind of file"):
        import_paths(store, paths)


def test_missing_path_and_empty_folder_are_usage_errors(write_files, store):
    with pytest.raises(ImportUsageError, match="nowhere.csv: no such file or folder"):
        import_paths(store, [Path("nowhere.csv")])
    Path("empty").mkdir()
    with pytest.raises(
        ImportUsageError, match="empty: the folder holds no file to import"
    ):
        import_paths(store, [Path("empty")])


def test_bad_default_terms_is_a_usage_error(write_files, store):
    with pytest.raises(
        ImportUsageError, match="--default-terms: payment terms 'whenever'"
    ):
        import_paths(store, write_files(**BOOKS), default_terms="whenever")


def test_follow_up_fields_and_flags_set_back_to_no(store, write_files):
    """customers.csv carries the follow-up fields; a flag can be lifted again.

    First export: C1 opted out, excluded from dunning, contract rate 12.5 %/year,
    collector Alice. Second export says opted_out=no and leaves the other flag
    cells blank: opted_out becomes False, dunning_excluded stays True.
    """
    header = "customer_id,name,opted_out,dunning_excluded,late_rate_percent,collector,phone\n"
    import_paths(store, write_files(customers=header + "C1,Dupont,yes,yes,12.5,alice,+33102030405\n"))
    import_paths(store, write_files(customers=header + "C1,Dupont,no,,,,\n"))
    with store.transaction() as s:
        c1 = s.execute(select(m.Customer)).scalar_one()
    assert (c1.opted_out, c1.dunning_excluded) == (False, True)
    assert (c1.late_rate_percent, c1.collector, c1.phone) == ("12.5", "alice", "+33102030405")


def test_late_rate_out_of_range_is_a_problem(store, write_files):
    header = "customer_id,name,late_rate_percent\n"
    with pytest.raises(ImportRejected) as caught:
        import_paths(store, write_files(customers=header + "C1,Dupont,150\n"))
    assert [str(p) for p in caught.value.problems] == [
        "customers.csv:2: late_rate_percent: '150' is not a yearly rate in percent (0 to 100)"
    ]


def test_credit_note_settles_the_invoice_it_applies_to(store, write_files):
    """A1 (−100.00, 25 Jan) applies to F1 (1,200.00, due 9 Feb).

    As of 24 Jan: F1 open 1,200.00, A1 not issued yet.
    As of 25 Jan: F1 open 1,200.00 − 100.00 = 1,100.00; A1 used up, not listed.
    """
    invoices = (
        "invoice_id,customer_id,issue_date,due_date,amount,currency,applies_to\n"
        "F1,C1,2024-01-10,2024-02-09,1200.00,EUR,\n"
        "A1,C1,2024-01-25,,-100.00,EUR,F1\n"
    )
    import_paths(store, write_files(customers=BOOKS["customers"], invoices=invoices))
    ledger = _ledger(store)
    before = open_items(ledger, date(2024, 1, 24))
    assert dict(zip(before["ref"], before["residual"])) == {"F1": 120000}
    after = open_items(ledger, date(2024, 1, 25))
    assert dict(zip(after["ref"], after["residual"])) == {"F1": 110000}
    again = import_paths(store, write_files(customers=BOOKS["customers"], invoices=invoices))
    assert not again.summary.changed


def test_applies_to_problems(store, write_files):
    """An invoice cannot settle another; an unknown target is named."""
    invoices = (
        "invoice_id,customer_id,issue_date,due_date,amount,currency,applies_to\n"
        "F1,C1,2024-01-10,2024-02-09,1200.00,EUR,\n"
        "F2,C1,2024-01-11,2024-02-10,50.00,EUR,F1\n"
        "A1,C1,2024-01-25,,-100.00,EUR,F9\n"
    )
    with pytest.raises(ImportRejected) as caught:
        import_paths(store, write_files(customers=BOOKS["customers"], invoices=invoices))
    assert [str(p) for p in caught.value.problems] == [
        "invoices.csv:3: applies_to: 'F1' names an invoice to settle, but only a credit "
        "note (negative amount) can settle one",
        "invoices.csv:4: applies_to: unknown invoice 'F9'",
    ]
