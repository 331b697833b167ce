"""The demo generator: deterministic, plausible, and consistent with the ledger."""

from datetime import date, timedelta

import polars as pl
import pytest

from relance.demo.customers import TERMS
from relance.demo.generator import (
    DEMO_AS_OF,
    books_to_batch,
    books_to_ledger,
    default_start,
    generate_books,
    generate_company,
    generate_frames,
)
from relance.domain.ledger import open_items, unapplied_cash
from relance.domain.terms import due_date, parse_terms

FRAMES = (
    "customers",
    "documents",
    "payments",
    "credit_applications",
    "writeoffs",
    "reminders",
)


@pytest.fixture(scope="module")
def books():
    return generate_books(seed=7)


def test_same_seed_same_books():
    first, second = (
        generate_books(seed=3, customers=60),
        generate_books(seed=3, customers=60),
    )
    for name in FRAMES:
        assert getattr(first, name).equals(getattr(second, name)), name


def test_same_seed_same_batch_and_frames():
    assert generate_company(seed=5, customers=30) == generate_company(
        seed=5, customers=30
    )
    a, b = generate_frames(5_000, seed=5), generate_frames(5_000, seed=5)
    for name in ("customers", "documents", "payments", "applications", "writeoffs"):
        assert getattr(a, name).equals(getattr(b, name)), name


def test_another_seed_other_books():
    a, b = generate_books(seed=1, customers=30), generate_books(seed=2, customers=30)
    assert not a.documents.equals(b.documents)
    assert a.customers["name"].to_list() != b.customers["name"].to_list()


def test_three_years_ending_on_the_end_date(books):
    """Default start: 1 December 2023 for books ending 30 November 2026."""
    assert default_start(date(2026, 11, 30)) == date(2023, 12, 1)
    assert default_start(date(2028, 2, 29), years=2) == date(2026, 3, 1)
    docs = books.documents
    assert docs["issue_date"].min() == date(2023, 12, 1)
    assert docs["issue_date"].max() <= DEMO_AS_OF
    assert books.payments["payment_date"].max() <= DEMO_AS_OF
    assert books.writeoffs["writeoff_date"].max() <= DEMO_AS_OF
    # Busy enough to end near the end date.
    assert docs["issue_date"].max() >= DEMO_AS_OF - timedelta(days=3)


def test_plausible_shape(books):
    """A few hundred customers, all profiles and segments, ~3 % credit notes, ~2 %
    disputes, about half the invoices paid late, a few drafts and cancellations."""
    cust, docs = books.customers, books.documents
    assert cust.height == 300
    assert set(cust["profile"]) == {
        "on_time",
        "slow",
        "chronic_late",
        "new",
        "defaulting",
    }
    assert set(cust["segment"]) == {"PME", "Grand compte", "Public", "Export"}
    assert (cust["country"] == "FR").mean() > 0.7
    assert set(cust["country"]) <= {"FR", "BE", "DE", "ES", "IT"}
    assert cust["ref"].n_unique() == 300
    assert cust["name"].n_unique() >= 290
    assert cust["email"].str.ends_with(".example").all()

    invoices = docs.filter(pl.col("kind") == "invoice")
    assert 12_000 < invoices.height < 30_000
    credit_share = (docs["kind"] == "credit_note").mean()
    assert 0.02 < credit_share < 0.04
    assert 0.012 < invoices["dispute_opened"].mean() < 0.03
    assert invoices["disputed"].sum() > 0
    assert (docs["amount"] < 0).sum() == (docs["kind"] == "credit_note").sum()
    statuses = dict(docs.group_by("status").len().iter_rows())
    assert 0 < statuses["draft"] < 100 and 0 < statuses["cancelled"] < 100

    paid = invoices.filter(pl.col("payment_date").is_not_null())
    late = (paid["payment_date"] > paid["due_date"]).mean()
    assert 0.4 < late < 0.7
    # Amounts have cents and a long tail.
    assert (invoices["amount"] % 100 != 0).mean() > 0.9
    assert invoices["amount"].max() > 20 * invoices["amount"].median()


def test_ledger_items_are_consistent(books):
    """Invoices never go below zero, credit notes never above, write-offs only
    where something was left, and some items are still open at the end."""
    ledger = books_to_ledger(books)
    for day in (date(2025, 6, 30), date(2026, 3, 15), DEMO_AS_OF):
        items = open_items(ledger, day)
        assert (items.filter(pl.col("kind") == "invoice")["residual"] > 0).all()
        assert (items.filter(pl.col("kind") == "credit_note")["residual"] < 0).all()
        assert (unapplied_cash(ledger, day)["unapplied"] > 0).all()
    final = open_items(ledger, DEMO_AS_OF)
    assert final.height > 500
    assert (final["days_past_due"] > 90).sum() > 0
    assert unapplied_cash(ledger, DEMO_AS_OF).height > 0
    assert ledger.writeoffs.height > 0
    # Partial payments: invoices settled by two payments.
    applied = books.payments.filter(pl.col("document_id").is_not_null())
    assert (applied.group_by("document_id").len()["len"] > 1).sum() > 100


def test_write_offs_are_for_defaulting_customers_or_small_leftovers(books):
    """A write-off is either of a defaulting customer, or a bank-charge leftover
    of at most 25 euros."""
    wo = books.writeoffs.join(
        books.documents.select(pl.col("id").alias("document_id"), "customer_id"),
        on="document_id",
    ).join(
        books.customers.select(pl.col("id").alias("customer_id"), "profile"),
        on="customer_id",
    )
    small = wo["amount"] <= 2_500
    assert (small | (wo["profile"] == "defaulting")).all()
    assert (wo["profile"] == "defaulting").any()


@pytest.mark.parametrize("wording", [t[0] for t in TERMS])
def test_due_dates_follow_the_terms_module(books, wording):
    """The generator's column-wise due dates agree with relance.domain.terms."""
    terms = parse_terms(wording)
    of_terms = books.customers.filter(pl.col("payment_terms") == wording)["id"]
    invoices = books.documents.filter(
        (pl.col("kind") == "invoice") & pl.col("customer_id").is_in(of_terms.implode())
    ).head(300)
    assert invoices.height > 0
    for issued, due in invoices.select("issue_date", "due_date").iter_rows():
        assert due == due_date(issued, terms)


def test_batch_mirrors_the_books(books):
    batch = books_to_batch(books)
    assert len(batch.customers) == books.customers.height
    assert len(batch.documents) == books.documents.height
    assert len(batch.payments) == books.payments.height
    assert len(batch.credit_applications) == books.credit_applications.height
    assert len(batch.writeoffs) == books.writeoffs.height
    assert not batch.problems
    unapplied = [p for p in batch.payments if not p.applications]
    assert unapplied and all(p.customer_ref for p in unapplied)
    assert all(a.amount == p.amount for p in batch.payments for a in p.applications)


def test_generate_frames_has_the_asked_size():
    ledger = generate_frames(20_000, seed=1)
    invoices = ledger.documents.filter(pl.col("kind") == "invoice").height
    # Drafts and cancelled invoices (under 1 %) are left out of the ledger.
    assert 19_800 <= invoices <= 20_000
    assert ledger.customers.height == 400
    assert ledger.payments.height > 15_000
    assert open_items(ledger, DEMO_AS_OF).height > 0
