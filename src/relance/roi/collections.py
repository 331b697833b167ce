"""Cash received on invoices: within a window after an action, and when settled.

Contracts:
- a receipt is the part of a customer payment applied to an invoice, dated by
  `relance.domain.ledger.effective_applications` (the payment's date, or the
  invoice's issue date when the cash came first); credit notes and write-offs
  reduce what is owed but are never collections;
- the open balance of an invoice on day D counts everything applied or written off
  on or before D (the ledger's replay rule);
- window collections of an item acted on day t over W days: receipts dated from
  t + 1 to t + W, both included; `paid_in_full` when they reach the stake;
- amounts are Int64 minor units; every join is by document, never a Python loop.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from relance.domain.ledger import Ledger, effective_applications

RECEIPT_SCHEMA = {
    "document_id": pl.Int64,
    "paid_on": pl.Date,
    "amount": pl.Int64,
    "currency": pl.Utf8,
}


def receipts(ledger: Ledger) -> pl.DataFrame:
    """Payment applications to documents: document_id, paid_on, amount, currency."""
    apps = effective_applications(ledger).filter(pl.col("payment_id").is_not_null())
    return apps.select(
        "document_id", pl.col("applied_on").alias("paid_on"), "amount", "currency"
    ).cast(pl.Schema(RECEIPT_SCHEMA))


def _reductions(ledger: Ledger) -> pl.DataFrame:
    """Everything that lowers an invoice's balance: document_id, on, amount, kind.

    `kind` is `payment`, `credit` or `writeoff`.
    """
    apps = effective_applications(ledger).select(
        "document_id",
        pl.col("applied_on").alias("on"),
        "amount",
        pl.when(pl.col("payment_id").is_not_null())
        .then(pl.lit("payment"))
        .otherwise(pl.lit("credit"))
        .alias("kind"),
    )
    written = ledger.writeoffs.select(
        "document_id",
        pl.col("writeoff_date").alias("on"),
        "amount",
        pl.lit("writeoff").alias("kind"),
    )
    schema = {
        "document_id": pl.Int64,
        "on": pl.Date,
        "amount": pl.Int64,
        "kind": pl.Utf8,
    }
    return pl.concat([apps.cast(pl.Schema(schema)), written.cast(pl.Schema(schema))])


def residuals_at(ledger: Ledger, pairs: pl.DataFrame) -> pl.DataFrame:
    """Add `residual`, the open balance of `document_id` on day `on`, to `pairs`.

    `pairs` needs `document_id` and `on` (Date); documents not in the ledger get a
    null residual; a document not yet issued on `on` owes nothing then: 0.
    """
    keys = pairs.select("document_id", "on").unique()
    reduced = (
        keys.join(
            _reductions(ledger).rename({"on": "_event_on"}),
            on="document_id",
            how="inner",
        )
        .filter(pl.col("_event_on") <= pl.col("on"))
        .group_by("document_id", "on")
        .agg(pl.col("amount").sum().alias("_reduced"))
    )
    amounts = ledger.documents.select(
        pl.col("id").alias("document_id"), "amount", "issue_date"
    )
    balances = (
        keys.join(amounts, on="document_id", how="left")
        .join(reduced, on=["document_id", "on"], how="left")
        .select(
            "document_id",
            "on",
            pl.when(pl.col("issue_date") > pl.col("on"))
            .then(0)
            .otherwise(pl.col("amount") - pl.col("_reduced").fill_null(0))
            .alias("residual"),
        )
    )
    return pairs.join(balances, on=["document_id", "on"], how="left")


def implied_items(
    actions: pl.DataFrame, items: pl.DataFrame, ledger: Ledger
) -> pl.DataFrame:
    """Items for the actions that name no invoice: the customer's open invoices.

    An action recorded against a customer only (a call logged in a spreadsheet)
    is taken to be about every invoice of that customer, in the action's currency,
    issued on or before the action day and still open then. Returns `ITEM_SCHEMA`
    rows for those actions only.
    """
    bare = actions.join(items.select("action_id").unique(), on="action_id", how="anti")
    invoices = ledger.documents.filter(pl.col("kind") == "invoice").select(
        pl.col("id").alias("document_id"), "customer_id", "issue_date", "currency"
    )
    candidates = (
        bare.select(
            "action_id", "customer_id", "currency", pl.col("acted_on").alias("on")
        )
        .join(invoices, on=["customer_id", "currency"], how="inner")
        .filter(pl.col("issue_date") <= pl.col("on"))
    )
    open_ = residuals_at(ledger, candidates).filter(pl.col("residual") > 0)
    return open_.select(
        "action_id", "document_id", pl.col("residual").alias("stake")
    ).cast({"action_id": pl.Int64, "document_id": pl.Int64, "stake": pl.Int64})


def window_collections(
    exposure: pl.DataFrame, paid: pl.DataFrame, window: int
) -> pl.DataFrame:
    """Add `collected` and `paid_in_full` to each row of `exposure`.

    `exposure` has one row per (action, invoice) with `action_id`, `document_id`,
    `acted_on` and `stake`; `paid` is `receipts(ledger)`. `collected` is capped
    at the stake: cash for a later part of the invoice is not this action's.
    """
    inside = (
        exposure.select("action_id", "document_id", "acted_on")
        .join(paid.select("document_id", "paid_on", "amount"), on="document_id")
        .filter(
            (pl.col("paid_on") > pl.col("acted_on"))
            & (pl.col("paid_on") <= pl.col("acted_on") + pl.duration(days=window))
        )
        .group_by("action_id", "document_id")
        .agg(pl.col("amount").sum().alias("_in_window"))
    )
    return (
        exposure.join(inside, on=["action_id", "document_id"], how="left")
        .with_columns(
            pl.min_horizontal(pl.col("_in_window").fill_null(0), pl.col("stake"))
            .cast(pl.Int64)
            .alias("collected")
        )
        .with_columns((pl.col("collected") >= pl.col("stake")).alias("paid_in_full"))
        .drop("_in_window")
    )


def settlements(ledger: Ledger, as_of: date) -> pl.DataFrame:
    """When each invoice was settled, and how, as seen on `as_of`.

    One row per invoice: `document_id`, `customer_id`, `due_date`, `amount`,
    `settled_on` (the day its balance reached zero, null if still open on
    `as_of`) and `settled_by` (`payment`, `credit` or `writeoff`: the kind of the
    event that closed it; on one day, payments are counted last so an invoice a
    payment finished off is `payment`).
    """
    order = {"credit": 0, "writeoff": 1, "payment": 2}
    invoices = ledger.documents.filter(
        (pl.col("kind") == "invoice") & (pl.col("amount") > 0)
    ).select(pl.col("id").alias("document_id"), "customer_id", "due_date", "amount")
    events = (
        _reductions(ledger)
        .filter(pl.col("on") <= as_of)
        .join(
            invoices.select("document_id", "amount"),
            on="document_id",
            how="inner",
            suffix="_invoice",
        )
        .with_columns(
            pl.col("kind").replace_strict(order, return_dtype=pl.Int8).alias("_rank")
        )
        .sort("document_id", "on", "_rank")
        .with_columns(pl.col("amount").cum_sum().over("document_id").alias("_cum"))
        .filter(pl.col("_cum") >= pl.col("amount_invoice"))
        .group_by("document_id")
        .agg(
            pl.col("on").first().alias("settled_on"),
            pl.col("kind").first().alias("settled_by"),
        )
    )
    return invoices.join(events, on="document_id", how="left")
