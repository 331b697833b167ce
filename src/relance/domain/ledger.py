"""The ledger as columns, and its replay as of any date.

A `Ledger` holds Polars frames of posted documents, payments, applications and
write-offs (drafts and cancelled documents never get here). Amounts are Int64 minor
units of their row's `currency`: sums are exact, and amounts of different
currencies are only ever grouped, never added.

Replay rules (as of date D, inclusive):
- a document exists from its issue date;
- its open balance is its amount minus what was applied to it on or before D, minus
  what was written off on or before D; a payment dated after D reduces nothing at D;
- an application takes effect on the later of its own date and the issue dates of
  the documents it links (cash received before an invoice exists is unapplied until
  then);
- an invoice is never settled beyond its amount: applications to it are taken in
  order of effective date, and the part of one that would take the invoice below
  zero (an overpayment, a credit note larger than what was left) is not applied:
  it stays unapplied cash of the payment, or open on the credit note;
- unapplied cash at D is what payments dated on or before D have not yet settled;
  it counts as a negative item of the customer's receivables;
- an item due on D is not overdue on D: days past due = D − due date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import polars as pl

DOCUMENT_SCHEMA = {
    "id": pl.Int64,
    "ref": pl.Utf8,
    "customer_id": pl.Int64,
    "customer_ref": pl.Utf8,
    "kind": pl.Utf8,
    "issue_date": pl.Date,
    "due_date": pl.Date,
    "amount": pl.Int64,
    "currency": pl.Utf8,
    "disputed": pl.Boolean,
}
PAYMENT_SCHEMA = {
    "id": pl.Int64,
    "ref": pl.Utf8,
    "customer_id": pl.Int64,
    "customer_ref": pl.Utf8,
    "payment_date": pl.Date,
    "amount": pl.Int64,
    "currency": pl.Utf8,
}
APPLICATION_SCHEMA = {
    "payment_id": pl.Int64,
    "credit_note_id": pl.Int64,
    "document_id": pl.Int64,
    "applied_on": pl.Date,
    "amount": pl.Int64,
    "currency": pl.Utf8,
}
WRITEOFF_SCHEMA = {
    "document_id": pl.Int64,
    "writeoff_date": pl.Date,
    "amount": pl.Int64,
    "currency": pl.Utf8,
}
CUSTOMER_SCHEMA = {
    "id": pl.Int64,
    "ref": pl.Utf8,
    "name": pl.Utf8,
    "segment": pl.Utf8,
    "country": pl.Utf8,
    "payment_terms": pl.Utf8,
}


@dataclass(frozen=True)
class Ledger:
    """Posted documents, payments, applications and write-offs, as columns."""

    customers: pl.DataFrame
    documents: pl.DataFrame
    payments: pl.DataFrame
    applications: pl.DataFrame
    writeoffs: pl.DataFrame

    @classmethod
    def empty(cls) -> Ledger:
        return cls(
            customers=pl.DataFrame(schema=CUSTOMER_SCHEMA),
            documents=pl.DataFrame(schema=DOCUMENT_SCHEMA),
            payments=pl.DataFrame(schema=PAYMENT_SCHEMA),
            applications=pl.DataFrame(schema=APPLICATION_SCHEMA),
            writeoffs=pl.DataFrame(schema=WRITEOFF_SCHEMA),
        )

    def currencies(self) -> list[str]:
        """Every currency with a document or a payment, sorted."""
        found = pl.concat(
            [self.documents.select("currency"), self.payments.select("currency")]
        )
        return sorted(found.get_column("currency").unique().to_list())

    def for_customer(self, customer_ref: str) -> Ledger:
        """The same ledger restricted to one customer."""
        docs = self.documents.filter(pl.col("customer_ref") == customer_ref)
        pays = self.payments.filter(pl.col("customer_ref") == customer_ref)
        doc_ids = docs.get_column("id")
        return replace(
            self,
            customers=self.customers.filter(pl.col("ref") == customer_ref),
            documents=docs,
            payments=pays,
            applications=self.applications.filter(
                pl.col("document_id").is_in(doc_ids.implode())
            ),
            writeoffs=self.writeoffs.filter(
                pl.col("document_id").is_in(doc_ids.implode())
            ),
        )

    def in_currency(self, currency: str) -> Ledger:
        """The same ledger restricted to one currency."""

        def keep(frame: pl.DataFrame) -> pl.DataFrame:
            return frame.filter(pl.col("currency") == currency)

        return replace(
            self,
            documents=keep(self.documents),
            payments=keep(self.payments),
            applications=keep(self.applications),
            writeoffs=keep(self.writeoffs),
        )


def effective_applications(ledger: Ledger) -> pl.DataFrame:
    """Applications with `applied_on` moved to when they can take effect.

    That is the later of the recorded date and the issue dates of the document and,
    for a credit note, of the credit note.
    """
    issued = ledger.documents.select(pl.col("id"), pl.col("issue_date"))
    apps = ledger.applications.join(
        ledger.documents.select(
            pl.col("id").alias("document_id"),
            pl.col("issue_date").alias("_doc_issue"),
            pl.col("amount").alias("_doc_amount"),
        ),
        on="document_id",
        how="inner",
    ).join(
        issued.rename({"id": "credit_note_id", "issue_date": "_cn_issue"}),
        on="credit_note_id",
        how="left",
    )
    # Credit applications whose credit note is not posted are dropped.
    apps = apps.filter(
        pl.col("credit_note_id").is_null() | pl.col("_cn_issue").is_not_null()
    )
    apps = apps.with_columns(
        pl.max_horizontal("applied_on", "_doc_issue", pl.col("_cn_issue")).alias(
            "applied_on"
        )
    ).drop("_doc_issue", "_cn_issue")
    return _within_invoice_amounts(apps).drop("_doc_amount")


def _within_invoice_amounts(apps: pl.DataFrame) -> pl.DataFrame:
    """Applications cut so that none settles an invoice beyond its amount.

    `apps` carries `_doc_amount`, the amount of the document applied to. Per
    invoice, in order of effective date (then payment, then credit note, so the
    order is the same on every run), each application keeps at most what the
    earlier ones left of the invoice. An overpaid payment keeps the excess as
    unapplied cash; a credit note larger than the invoice keeps it open. Write-offs
    are not counted here: they are dated apart and reduce the invoice on their own.
    Applications to a credit note (a refund paid out) are left as they are.
    """
    # Only invoices applied beyond their amount are cut (few in a real book): the
    # rest is left as it is, and only the overrun ones are sorted.
    overrun = (
        apps.lazy()
        .filter(pl.col("_doc_amount") > 0)
        .group_by("document_id")
        .agg(pl.col("amount").sum(), pl.col("_doc_amount").first())
        .filter(pl.col("amount") > pl.col("_doc_amount"))
        .select("document_id")
        .collect()
    )
    if overrun.is_empty():
        return apps
    cut = pl.col("document_id").is_in(overrun.get_column("document_id").implode())
    earlier = pl.col("amount").cum_sum().over("document_id") - pl.col("amount")
    room = (pl.col("_doc_amount") - earlier).clip(lower_bound=0)
    capped = (
        apps.filter(cut)
        .sort(
            ["document_id", "applied_on", "payment_id", "credit_note_id"],
            nulls_last=True,
        )
        .with_columns(pl.min_horizontal("amount", room).alias("amount"))
    )
    return pl.concat([apps.filter(~cut), capped])


def open_items(
    ledger: Ledger, as_of: date, *, applications: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Documents issued on or before `as_of` with a non-zero open balance then.

    Columns: the document columns plus `residual` (Int64 minor units, negative for
    a credit note still to be used) and `days_past_due` (as_of − due_date).
    `applications` may pass `effective_applications(ledger)` already computed,
    to replay several dates without recomputing it.
    """
    if applications is None:
        applications = effective_applications(ledger)
    apps = applications.filter(pl.col("applied_on") <= as_of)
    received = apps.group_by("document_id").agg(
        pl.col("amount").sum().alias("_received")
    )
    given = (
        apps.filter(pl.col("credit_note_id").is_not_null())
        .group_by("credit_note_id")
        .agg(pl.col("amount").sum().alias("_given"))
        .rename({"credit_note_id": "document_id"})
    )
    written = (
        ledger.writeoffs.filter(pl.col("writeoff_date") <= as_of)
        .group_by("document_id")
        .agg(pl.col("amount").sum().alias("_written"))
    )
    docs = ledger.documents.filter(pl.col("issue_date") <= as_of)
    return (
        docs.join(received, left_on="id", right_on="document_id", how="left")
        .join(given, left_on="id", right_on="document_id", how="left")
        .join(written, left_on="id", right_on="document_id", how="left")
        .with_columns(
            (
                pl.col("amount")
                - pl.col("_received").fill_null(0)
                + pl.col("_given").fill_null(0)
                - pl.col("_written").fill_null(0)
            ).alias("residual"),
            (pl.lit(as_of) - pl.col("due_date")).dt.total_days().alias("days_past_due"),
        )
        .drop("_received", "_given", "_written")
        .filter(pl.col("residual") != 0)
    )


def unapplied_cash(
    ledger: Ledger, as_of: date, *, applications: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Per payment dated on or before `as_of`, the part not yet applied then.

    Columns: the payment columns plus `unapplied` (positive Int64 minor units);
    only payments with something left are returned. `applications` as in
    `open_items`.
    """
    if applications is None:
        applications = effective_applications(ledger)
    apps = applications.filter(
        pl.col("payment_id").is_not_null() & (pl.col("applied_on") <= as_of)
    )
    used = apps.group_by("payment_id").agg(pl.col("amount").sum().alias("_used"))
    return (
        ledger.payments.filter(pl.col("payment_date") <= as_of)
        .join(used, left_on="id", right_on="payment_id", how="left")
        .with_columns(
            (pl.col("amount") - pl.col("_used").fill_null(0)).alias("unapplied")
        )
        .drop("_used")
        .filter(pl.col("unapplied") != 0)
    )
