"""Settlements: every application with the document it settles, joined once.

Delays, recovery and the trend all need, beside each application, the customer,
issue date and due date of the document it reduces. Joining the applications to
the documents once and handing the result around saves a join of two
million-row frames per figure.

Contracts: one row per effective application (see
`relance.domain.ledger.effective_applications`, whose `applied_on` is the
effective date); `invoice` tells whether the settled document is an invoice
(positive amount); amounts are Int64 minor units.
"""

from __future__ import annotations

import polars as pl

from relance.domain.ledger import Ledger, effective_applications


def settlements(
    ledger: Ledger, applications: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Effective applications with `customer_id`, `issue_date`, `due_date`, `invoice`.

    `applications` may pass `effective_applications(ledger)` computed already.
    """
    if applications is None:
        applications = effective_applications(ledger)
    documents = ledger.documents.select(
        pl.col("id").alias("document_id"),
        "customer_id",
        "issue_date",
        "due_date",
        (pl.col("amount") > 0).alias("invoice"),
    )
    return applications.select(
        "payment_id", "credit_note_id", "document_id", "applied_on", "amount"
    ).join(documents, on="document_id")
