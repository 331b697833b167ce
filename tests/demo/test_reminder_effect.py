"""The reminder hook: a known effect on payment dates, nothing else changed."""

import polars as pl
import pytest

from relance.demo.generator import ReminderEffect, generate_books

SEED, CUSTOMERS = 11, 120
INVOICE_COLUMNS = [
    "id",
    "ref",
    "customer_id",
    "kind",
    "issue_date",
    "due_date",
    "amount",
    "status",
]


@pytest.fixture(scope="module")
def pair():
    """The same books without effect and with reminders 10 days effective, half the
    customers held out."""
    none = generate_books(SEED, CUSTOMERS, effect=ReminderEffect(0, holdout_share=0.5))
    some = generate_books(SEED, CUSTOMERS, effect=ReminderEffect(10, holdout_share=0.5))
    return none, some


def _first_payments(books) -> pl.DataFrame:
    """Each invoice's first applied payment date, with its natural date and holdout."""
    first = (
        books.payments.filter(pl.col("document_id").is_not_null())
        .group_by("document_id")
        .agg(pl.col("payment_date").min().alias("paid"))
    )
    reminded = books.reminders.select("document_id", "reminder_date", "holdout")
    return (
        books.documents.join(first, left_on="id", right_on="document_id")
        .join(reminded, left_on="id", right_on="document_id")
        .select("id", "natural_payment_date", "paid", "reminder_date", "holdout")
    )


def test_only_payment_dates_change(pair):
    none, some = pair
    assert none.customers.equals(some.customers)
    assert none.documents.select(INVOICE_COLUMNS).equals(
        some.documents.select(INVOICE_COLUMNS)
    )
    assert none.documents["natural_payment_date"].equals(
        some.documents["natural_payment_date"]
    )
    assert none.reminders.equals(some.reminders)
    assert none.credit_applications.select(
        "credit_note_id", "document_id", "amount"
    ).equals(some.credit_applications.select("credit_note_id", "document_id", "amount"))


def test_without_effect_payments_come_on_their_natural_day(pair):
    none, _ = pair
    paid = _first_payments(none)
    assert (paid["paid"] == paid["natural_payment_date"]).all()


def test_holdout_unchanged_and_reminded_paid_earlier_but_not_before_the_reminder(pair):
    """Reminded invoices of customers outside the holdout are paid up to 10 days
    earlier (a weekend may move the day by up to 2 more either way), never before
    the reminder; on average close to 10 days when the floor does not bind."""
    _, some = pair
    paid = _first_payments(some).with_columns(
        (pl.col("natural_payment_date") - pl.col("paid")).dt.total_days().alias("gain")
    )
    held = paid.filter(pl.col("holdout"))
    treated = paid.filter(~pl.col("holdout"))
    assert held.height > 100 and treated.height > 100
    assert (held["gain"] == 0).all()
    assert (treated["paid"] >= treated["reminder_date"]).all()
    assert treated["gain"].min() >= -2 and treated["gain"].max() <= 12
    unbound = treated.filter(
        (pl.col("natural_payment_date") - pl.col("reminder_date")).dt.total_days() > 15
    )
    assert 9.0 < unbound["gain"].mean() < 11.0


def test_holdout_share_is_drawn_per_customer():
    books = generate_books(SEED, 400, effect=ReminderEffect(5, holdout_share=0.3))
    assert 0.22 < books.customers["holdout"].mean() < 0.38
    assert not generate_books(SEED, 400).customers["holdout"].any()
