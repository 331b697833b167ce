"""The demo company's books, simulated column-wise with numpy.

`simulate` draws customers, their invoices and how each invoice is settled, and
returns `DemoBooks`: Polars frames with 1-based integer ids and text references.
Nothing loops per invoice in Python, so ten million invoices take seconds.

What happens to an invoice (amounts in cents, Int64; days are whole days):
- it is paid on its due date + the customer's days beyond terms (see `profiles`),
  moved to the next business day, never before its issue date;
- about 5 % are paid in two instalments, 15 to 75 days apart;
- about 2 % are disputed: paid 20 to 120 days later, and then either paid in full,
  partly credited (credit note of 10–60 %) and the rest paid, or fully credited;
  a dispute not resolved by the end date stays open and flagged `disputed`;
- about 2 % get a commercial credit note (5–100 %), applied to the invoice on the
  credit note's date; recent ones are sometimes left unapplied (a negative item);
- export customers' payments are sometimes short of bank charges (8–25 €); most of
  those residuals are written off two months later;
- a few recent payments are not matched to their invoice (matching lags behind),
  and a few recent invoices are paid twice: both are unapplied cash;
- defaulting customers stop paying on their default day; the invoices they leave
  unpaid (some after a small part payment) are written off at a month end, 4 to 14
  months later, if that is before the end date;
- a few documents are cancelled, and a few recent ones are still drafts: those are
  never paid;
- whatever would be paid after the end date is simply still open at the end date.

The reminder hook (`ReminderEffect`): every posted, undisputed invoice still unpaid
`after_days` after its due date gets a reminder on that day (listed in
`DemoBooks.reminders`, with the customer's holdout flag). For customers not in the
holdout, the payment then comes `days` earlier, but never before the reminder day.
Each invoice keeps its `natural_payment_date` (the day its first payment would
come without reminders) beside its `payment_date`, so the true effect of the
reminders is known exactly. Only payment dates (and what follows from them: which
payments fall before the end date, when a second instalment comes) depend on the
effect; customers, invoices and credit notes are the same whatever the effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from relance.demo.calendar import (
    business_day_within,
    day_number,
    end_of_month,
    next_business_day,
    to_dates,
    year_of,
)
from relance.demo.customers import (
    NEVER,
    Customers,
    customer_frame,
    draw_customers,
    due_dates,
)
from relance.demo.profiles import days_beyond_terms

CURRENCY = "EUR"


@dataclass(frozen=True)
class ReminderEffect:
    """How reminders change payment dates in the simulation (for ROI tests).

    days: how many days earlier a reminded invoice is paid (fractions are rounded
        at random per invoice, so the mean shift is exactly `days` before the
        reminder-day floor applies). 0 means reminders change nothing.
    holdout_share: share of customers drawn (seeded, on a stream of its own) into a
        holdout group that is never reminded.
    after_days: a reminder is sent this many days after the due date.
    """

    days: float = 0.0
    holdout_share: float = 0.0
    after_days: int = 5


@dataclass(frozen=True)
class DemoBooks:
    """The simulated books of the demo company.

    customers: canonical customer columns plus `id`, `profile`, `holdout`,
        `default_date`, `credit_insured`.
    documents: `id`, `ref`, `customer_id`, `customer_ref`, `kind`, `issue_date`,
        `due_date`, `amount` (cents, negative for credit notes), `currency`,
        `status`, `disputed` (open dispute at the end date), `dispute_opened`
        (ever disputed), `natural_payment_date`, `payment_date` (null when not paid
        in full by then), `credit_for` (credit notes: the invoice id, else null).
    payments: `id`, `ref`, `customer_id`, `customer_ref`, `payment_date`, `amount`,
        `currency`, `document_id` (null when unapplied), `applied` (cents applied).
    credit_applications: `credit_note_id`, `document_id`, `applied_on`, `amount`.
    writeoffs: `document_id`, `writeoff_date`, `amount`, `currency`.
    reminders: `document_id`, `customer_id`, `reminder_date`, `holdout`.
    """

    start: date
    end: date
    customers: pl.DataFrame
    documents: pl.DataFrame
    payments: pl.DataFrame
    credit_applications: pl.DataFrame
    writeoffs: pl.DataFrame
    reminders: pl.DataFrame


def _streams(seed: int) -> list[np.random.Generator]:
    """Independent random streams, so one part's draws never shift another's."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)]


def invoice_counts(
    rng: np.random.Generator, customers: Customers, total: int | None
) -> np.ndarray:
    """Invoices per customer: Poisson on activity, or exactly `total` in all."""
    months = (customers.active_to - customers.active_from + 1) / 30.44
    expected = customers.monthly_invoices * months
    if total is None:
        return np.maximum(rng.poisson(expected), 1)
    return rng.multinomial(total, expected / expected.sum())


def simulate(
    seed: int,
    n_customers: int,
    start: date,
    end: date,
    effect: ReminderEffect | None = None,
    n_invoices: int | None = None,
) -> DemoBooks:
    """Simulate the books from `start` to `end` (inclusive); see the module doc."""
    effect = effect or ReminderEffect()
    customer_rng, count_rng, invoice_rng, settle_rng, holdout_rng = _streams(seed)
    first, last = day_number(start), day_number(end)
    customers = draw_customers(
        customer_rng, holdout_rng, n_customers, first, last, effect.holdout_share
    )
    counts = invoice_counts(count_rng, customers, n_invoices)
    inv = _invoices(invoice_rng, customers, counts, first, last)
    settled = _settle(settle_rng, customers, inv, last, effect)
    return _assemble(customers, inv, settled, start, end, last)


@dataclass
class _Invoices:
    customer: np.ndarray
    issue: np.ndarray
    due: np.ndarray
    amount: np.ndarray
    status: np.ndarray  # 0 posted, 1 draft, 2 cancelled


def _invoices(
    rng: np.random.Generator,
    customers: Customers,
    counts: np.ndarray,
    first: int,
    last: int,
) -> _Invoices:
    """Issue dates, due dates, amounts and statuses, sorted by issue date."""
    customer = np.repeat(np.arange(len(customers)), counts)
    n = len(customer)
    start = customers.active_from[customer]
    length = customers.active_to[customer] - start + 1
    issue = start + (rng.random(n) * length).astype(np.int64)
    issue = np.clip(business_day_within(issue, last), first, last)
    cents = customers.median_amount[customer] * rng.lognormal(0.0, 0.7, n) * 100
    amount = np.maximum(np.rint(cents).astype(np.int64), 2_000)

    # Drafts are recent invoices not yet validated; cancellations happen anytime.
    status = np.where(rng.random(n) < 0.004, 2, 0)
    status = np.where((issue > last - 20) & (rng.random(n) < 0.05), 1, status)
    # `customer` is already in order: a stable sort by day keeps it within a day.
    order = np.argsort(issue, kind="stable")
    customer, issue, amount, status = (
        customer[order],
        issue[order],
        amount[order],
        status[order],
    )
    due = due_dates(issue, customers.terms[customer])
    return _Invoices(customer, issue, due, amount, status)


def _bank_day(days: np.ndarray, due: np.ndarray) -> np.ndarray:
    """Banks pay on weekdays: a payer on time pays the Friday before a weekend due
    date, a late one the Monday after. NEVER stays NEVER."""
    on_time_limit = np.where(days <= due, due, NEVER)
    return np.where(days == NEVER, NEVER, business_day_within(days, on_time_limit))


@dataclass
class _Settlement:
    natural: np.ndarray  # day it would be paid without reminders (NEVER: never)
    paid_day: np.ndarray  # day of the last payment if paid in full, else NEVER
    dispute: np.ndarray
    dispute_open: np.ndarray
    credit_amount: np.ndarray  # cents credited (positive), 0 when none
    credit_day: np.ndarray
    credit_applied: np.ndarray
    pay1: np.ndarray
    pay1_day: np.ndarray
    pay2: np.ndarray
    pay2_day: np.ndarray
    unmatched1: np.ndarray
    duplicate_day: np.ndarray
    writeoff: np.ndarray
    writeoff_day: np.ndarray
    reminder_day: np.ndarray
    reminded: np.ndarray


def _settle(
    rng: np.random.Generator,
    customers: Customers,
    inv: _Invoices,
    last: int,
    effect: ReminderEffect,
) -> _Settlement:
    """Decide every credit note, payment and write-off of every invoice."""
    n = len(inv.customer)
    c = inv.customer
    posted = inv.status == 0

    # Every draw is made for every invoice, in a fixed order, whatever is used.
    beyond = days_beyond_terms(rng, customers.profile[c], customers.lateness_factor[c])
    (
        u_dispute,
        u_outcome,
        u_credit,
        u_split,
        u_fee,
        u_match,
        u_dup,
        u_part,
        u_wo,
        u_shift,
    ) = rng.random((10, n))
    dispute_delay = rng.integers(20, 121, n)
    dispute_share = rng.uniform(0.10, 0.60, n)
    credit_lag = rng.integers(3, 26, n)
    credit_share = rng.uniform(0.05, 1.0, n)
    split_share = rng.uniform(0.3, 0.7, n)
    split_gap = rng.integers(15, 76, n)
    fee = rng.integers(800, 2_501, n)
    dup_gap = rng.integers(3, 21, n)
    part_share = rng.uniform(0.1, 0.4, n)
    part_lag = rng.integers(10, 61, n)
    credit_back = rng.integers(0, 11, n)

    # When the invoice would be paid, before any reminder.
    dispute = posted & (u_dispute < 0.02)
    natural = np.maximum(inv.due + beyond, inv.issue)
    natural = np.where(dispute, natural + dispute_delay, natural)
    default_day = customers.default_day[c]
    defaulted = natural > default_day
    dispute = dispute & ~defaulted
    natural = np.where(defaulted | ~posted, NEVER, natural)

    # Reminders: undisputed invoices still unpaid `after_days` past due. Only
    # payment days depend on them: every other choice below reads `natural_day`.
    reminder_day = inv.due + effect.after_days
    reminded = posted & ~dispute & (natural > reminder_day)
    shift = np.floor(effect.days + u_shift).astype(np.int64)
    treated = reminded & ~customers.holdout[c] & (natural != NEVER)
    # A reminded customer pays the day after the reminder at the earliest: what is
    # paid on the reminder day itself was already on its way.
    expected = np.where(treated, np.maximum(reminder_day + 1, natural - shift), natural)
    natural_day = _bank_day(natural, inv.due)
    pay_day = _bank_day(expected, inv.due)

    # Disputes: outcome on the resolution day; open while that is after the end.
    resolved = dispute & (pay_day <= last)
    full_credit = resolved & (u_outcome >= 0.85)
    part_credit = resolved & (u_outcome >= 0.50) & (u_outcome < 0.85)
    dispute_credit = np.where(
        full_credit,
        inv.amount,
        np.where(part_credit, np.rint(inv.amount * dispute_share).astype(np.int64), 0),
    )
    dispute_credit_day = np.maximum(pay_day - credit_back, inv.issue)

    # Commercial credit notes: before the payment, applied, except recent ones.
    commercial = posted & ~dispute & ~defaulted & (u_credit < 0.025)
    commercial_day = np.minimum(
        next_business_day(inv.issue + credit_lag),
        np.maximum(natural_day - 1, inv.issue),
    )
    commercial = commercial & (commercial_day <= last)
    commercial_amount = np.maximum(
        np.rint(inv.amount * credit_share).astype(np.int64), 100
    )
    unapplied_credit = commercial & (commercial_day > last - 90) & (u_credit < 0.01)
    credit_amount = np.where(
        commercial, commercial_amount, np.where(dispute, dispute_credit, 0)
    )
    credit_amount = np.minimum(credit_amount, inv.amount)
    credit_day = np.where(commercial, commercial_day, dispute_credit_day)
    credit_applied = (credit_amount > 0) & ~unapplied_credit
    payable = inv.amount - np.where(credit_applied, credit_amount, 0)

    # Payments: one or two instalments; export payments may lose bank charges.
    paying = (pay_day != NEVER) & (payable > 0)
    split = paying & ~dispute & (u_split < 0.05)
    pay1 = np.where(split, np.rint(payable * split_share).astype(np.int64), payable)
    pay1 = np.where(paying, pay1, 0)
    pay2 = np.where(split, payable - pay1, 0)
    pay2_day = np.where(
        split, next_business_day(np.minimum(pay_day, last) + split_gap), NEVER
    )
    foreign = customers.country[c] != "FR"
    short = paying & foreign & (u_fee < 0.10)
    shortfall = np.minimum(fee, payable // 10)
    pay2 = np.where(short & split, pay2 - shortfall, pay2)
    pay1 = np.where(short & ~split, pay1 - shortfall, pay1)
    short = short & (shortfall > 0)

    # Defaulting customers: sometimes a part payment before the default day.
    before = ~posted | (inv.issue <= default_day)
    part = posted & defaulted & before & (u_part < 0.25)
    part_day = next_business_day(np.minimum(inv.issue + part_lag, default_day))
    pay1 = np.where(part, np.rint(payable * part_share).astype(np.int64), pay1)
    pay1_day = np.where(part, part_day, pay_day)

    # Write-offs: the defaulted residual at the loss date, bank-charge leftovers
    # two months after the last payment.
    last_pay = np.where(split, pay2_day, pay1_day)
    fee_wo_day = end_of_month(np.minimum(last_pay, last) + 60)
    fee_wo = short & (u_wo < 0.7) & (last_pay <= last)
    loss_day = customers.writeoff_day[c]
    loss = posted & defaulted & (payable > 0)
    writeoff_day = np.where(loss, loss_day, np.where(fee_wo, fee_wo_day, NEVER))
    received = np.where(pay1_day <= writeoff_day, pay1, 0) + np.where(
        pay2_day <= writeoff_day, pay2, 0
    )
    writeoff = np.where(writeoff_day <= last, payable - received, 0)
    writeoff_day = np.where(writeoff > 0, writeoff_day, NEVER)

    # Unapplied cash: matching lags behind for recent payments; a few pay twice.
    # Judged on days the reminder effect does not move, so that it moves nothing
    # but payment dates.
    received_day = np.where(part, part_day, natural_day)
    recent = received_day > last - 45
    # (Older ones would have been matched since; the store cannot date a match
    # later than its payment, so they are simply matched.)
    unmatched1 = (pay1 > 0) & recent & (u_match < 0.03)
    # Older duplicates would have been refunded: only recent ones are still there.
    twice = (pay1 > 0) & ~split & (received_day > last - 120) & (u_dup < 0.01)
    duplicate_day = np.where(twice, next_business_day(pay1_day + dup_gap), NEVER)

    settled_in_full = (payable - pay1 - pay2 == 0) & (writeoff == 0) & ~unmatched1
    paid_day = np.where(settled_in_full & (pay1 > 0), last_pay, NEVER)
    paid_day = np.where(paid_day <= last, paid_day, NEVER)
    return _Settlement(
        natural=natural_day,
        paid_day=paid_day,
        dispute=dispute,
        dispute_open=dispute & ~resolved,
        credit_amount=np.where(credit_day <= last, credit_amount, 0),
        credit_day=credit_day,
        credit_applied=credit_applied,
        pay1=pay1,
        pay1_day=pay1_day,
        pay2=pay2,
        pay2_day=pay2_day,
        unmatched1=unmatched1,
        duplicate_day=duplicate_day,
        writeoff=writeoff,
        writeoff_day=writeoff_day,
        reminder_day=reminder_day,
        reminded=reminded & (reminder_day <= last),
    )


def _nullable_dates(name: str, days: np.ndarray) -> pl.Series:
    """Dates from day numbers, null where the day is NEVER."""
    frame = pl.DataFrame({"d": np.where(days >= NEVER, 0, days).astype(np.int32)})
    mask = pl.Series(days >= NEVER)
    return frame.select(
        pl.when(mask).then(None).otherwise(pl.col("d").cast(pl.Date)).alias(name)
    ).to_series()


def _numbered(
    prefixes: tuple[str, ...], which: np.ndarray, days: np.ndarray, width: int
) -> pl.Series:
    """`<prefix><year>-<number>`, numbered from 1 per prefix and year in array order.

    `which` holds indices into `prefixes`, one per row.
    """
    year = year_of(days)
    key = which.astype(np.int64) * 10_000 + year
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    group_start = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    sizes = np.diff(np.r_[group_start, len(key)])
    rank = np.arange(len(key)) - np.repeat(group_start, sizes)
    number = np.empty(len(key), np.int64)
    number[order] = rank + 1
    frame = pl.DataFrame({"w": which.astype(np.uint8), "y": year, "n": number})
    prefix = pl.lit(prefixes[-1])
    for index, text in enumerate(prefixes[:-1]):
        prefix = pl.when(pl.col("w") == index).then(pl.lit(text)).otherwise(prefix)
    return frame.select(
        pl.concat_str(
            prefix,
            pl.col("y").cast(pl.Utf8),
            pl.lit("-"),
            pl.col("n").cast(pl.Utf8).str.zfill(width),
        )
    ).to_series()


def _labels(name: str, codes: np.ndarray, labels: tuple[str, ...]) -> pl.Series:
    """Text labels from integer codes, built in Polars (numpy strings are slow)."""
    frame = pl.DataFrame({"c": codes.astype(np.uint8)})
    label = pl.lit(labels[-1])
    for index, text in enumerate(labels[:-1]):
        label = pl.when(pl.col("c") == index).then(pl.lit(text)).otherwise(label)
    return frame.select(label.alias(name)).to_series()


def _assemble(
    customers: Customers,
    inv: _Invoices,
    st: _Settlement,
    start: date,
    end: date,
    last: int,
) -> DemoBooks:
    """Turn the arrays into the frames of `DemoBooks`."""
    width = max(5, len(str(len(customers))))
    cust = customer_frame(customers, width, last).with_columns(
        (pl.col("index") + 1).alias("id")
    )
    refs = cust.select("id", pl.col("ref").alias("customer_ref"))
    docs, doc_id = _documents(inv, st, last)
    docs = docs.join(refs, left_on="customer_id", right_on="id", how="left")
    pays = _payments(inv, st, doc_id, last).join(
        refs, left_on="customer_id", right_on="id", how="left"
    )
    return DemoBooks(
        start=start,
        end=end,
        customers=cust.drop("index"),
        documents=docs.select(
            "id",
            "ref",
            "customer_id",
            "customer_ref",
            "kind",
            "issue_date",
            "due_date",
            "amount",
            "currency",
            "status",
            "disputed",
            "dispute_opened",
            "natural_payment_date",
            "payment_date",
            "credit_for",
        ),
        payments=pays.select(
            "id",
            "ref",
            "customer_id",
            "customer_ref",
            "payment_date",
            "amount",
            "currency",
            "document_id",
            "applied",
        ),
        credit_applications=_credit_applications(st, doc_id, len(inv.customer), last),
        writeoffs=_writeoffs(st, doc_id, last),
        reminders=_reminders(inv, st, customers, doc_id),
    )


def _documents(
    inv: _Invoices, st: _Settlement, last: int
) -> tuple[pl.DataFrame, np.ndarray]:
    """Invoices and credit notes, numbered together by issue date.

    Returns the frame (in id order) and the id of each invoice row then each credit
    note row.
    """
    n = len(inv.customer)
    credit_of = np.flatnonzero(st.credit_amount > 0)
    k = len(credit_of)
    issue = np.concatenate([inv.issue, st.credit_day[credit_of]])
    order = np.argsort(issue, kind="stable")
    doc_id = np.empty(n + k, np.int64)
    doc_id[order] = np.arange(1, n + k + 1)

    # Every column in id order.
    kind = np.concatenate([np.zeros(n, np.uint8), np.ones(k, np.uint8)])[order]
    never = np.full(k, NEVER)
    columns = {
        "customer": np.concatenate([inv.customer, inv.customer[credit_of]]),
        "due": np.concatenate([inv.due, st.credit_day[credit_of]]),
        "amount": np.concatenate([inv.amount, -st.credit_amount[credit_of]]),
        "status": np.concatenate([inv.status, np.zeros(k, np.int64)]),
        "disputed": np.concatenate([st.dispute_open, np.zeros(k, bool)]),
        "opened": np.concatenate([st.dispute, np.zeros(k, bool)]),
        "natural": np.concatenate([st.natural, never]),
        "paid": np.concatenate([st.paid_day, never]),
        "credit_for": np.concatenate([np.zeros(n, np.int64), doc_id[credit_of]]),
    }
    col = {name: values[order] for name, values in columns.items()}
    issue = issue[order]
    frame = pl.DataFrame(
        {
            "id": np.arange(1, n + k + 1),
            "ref": _numbered(("FA", "AV"), kind, issue, 6),
            "customer_id": col["customer"] + 1,
            "kind": _labels("kind", kind, ("invoice", "credit_note")),
            "issue_date": to_dates("issue_date", issue),
            "due_date": to_dates("due_date", col["due"]),
            "amount": col["amount"],
            "status": _labels(
                "status", col["status"], ("posted", "draft", "cancelled")
            ),
            "disputed": col["disputed"],
            "dispute_opened": col["opened"],
            "natural_payment_date": _nullable_dates(
                "natural_payment_date", col["natural"]
            ),
            "payment_date": _nullable_dates("payment_date", col["paid"]),
            "credit_for": col["credit_for"],
        }
    ).with_columns(
        pl.lit(CURRENCY).alias("currency"),
        pl.when(pl.col("credit_for") > 0)
        .then(pl.col("credit_for"))
        .alias("credit_for"),
    )
    return frame, doc_id


def _payments(
    inv: _Invoices, st: _Settlement, doc_id: np.ndarray, last: int
) -> pl.DataFrame:
    """First and second instalments and duplicate payments, numbered by date."""
    n = len(inv.customer)
    first = (st.pay1 > 0) & (st.pay1_day <= last)
    second = (st.pay2 > 0) & (st.pay2_day <= last)
    again = st.duplicate_day <= last
    rows = [np.flatnonzero(first), np.flatnonzero(second), np.flatnonzero(again)]
    applied = [
        np.where(st.unmatched1[rows[0]], 0, st.pay1[rows[0]]),
        st.pay2[rows[1]],
        np.zeros(len(rows[2]), np.int64),
    ]
    days = np.concatenate(
        [st.pay1_day[rows[0]], st.pay2_day[rows[1]], st.duplicate_day[rows[2]]]
    )
    amount = np.concatenate([st.pay1[rows[0]], st.pay2[rows[1]], st.pay1[rows[2]]])
    applied_all = np.concatenate(applied)
    invoice = np.concatenate(rows)
    document = np.where(applied_all > 0, doc_id[:n][invoice], 0)
    order = np.argsort(days, kind="stable")
    frame = pl.DataFrame(
        {
            "id": np.arange(1, len(days) + 1),
            "ref": _numbered(("RG",), np.zeros(len(days), np.uint8), days[order], 6),
            "customer_id": inv.customer[invoice][order] + 1,
            "payment_date": to_dates("payment_date", days[order]),
            "amount": amount[order],
            "document_id": document[order],
            "applied": applied_all[order],
        }
    )
    return frame.with_columns(
        pl.lit(CURRENCY).alias("currency"),
        pl.when(pl.col("document_id") > 0)
        .then(pl.col("document_id"))
        .alias("document_id"),
    )


def _credit_applications(
    st: _Settlement, doc_id: np.ndarray, n: int, last: int
) -> pl.DataFrame:
    """Credit notes set against their invoice on the credit note's date."""
    credit_of = np.flatnonzero(st.credit_amount > 0)
    credit_ids = doc_id[n:]
    keep = st.credit_applied[credit_of]
    invoices = credit_of[keep]
    return (
        pl.DataFrame(
            {
                "credit_note_id": credit_ids[keep],
                "document_id": doc_id[:n][invoices],
                "applied_on": to_dates("applied_on", st.credit_day[invoices]),
                "amount": st.credit_amount[invoices],
            }
        )
        .with_columns(pl.lit(CURRENCY).alias("currency"))
        .sort("credit_note_id")
    )


def _writeoffs(st: _Settlement, doc_id: np.ndarray, last: int) -> pl.DataFrame:
    """Write-offs dated on or before the end date."""
    rows = np.flatnonzero((st.writeoff > 0) & (st.writeoff_day <= last))
    return (
        pl.DataFrame(
            {
                "document_id": doc_id[rows],
                "writeoff_date": to_dates("writeoff_date", st.writeoff_day[rows]),
                "amount": st.writeoff[rows],
            }
        )
        .with_columns(pl.lit(CURRENCY).alias("currency"))
        .sort("document_id")
    )


def _reminders(
    inv: _Invoices, st: _Settlement, customers: Customers, doc_id: np.ndarray
) -> pl.DataFrame:
    """The reminder each late invoice got (or, in the holdout, would have got)."""
    rows = np.flatnonzero(st.reminded)
    return pl.DataFrame(
        {
            "document_id": doc_id[rows],
            "customer_id": inv.customer[rows] + 1,
            "reminder_date": to_dates("reminder_date", st.reminder_day[rows]),
            "holdout": customers.holdout[inv.customer[rows]],
        }
    ).sort("reminder_date", "document_id")
