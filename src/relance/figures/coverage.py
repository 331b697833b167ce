"""Whether the books cover the period a figure is measured over.

A period that starts before the first posted invoice measures sales the ledger
does not hold (they were made before the data begins, or were never imported):
sales are understated, so the accounting DSO, the best possible DSO and the days
delinquent are overstated, and the count-back DSO runs out of months. The
figures are still computed as defined; a warning says so.

Contract: the first invoice is the earliest issue date of a posted document with
a positive amount in the ledger given (one currency), credit notes excluded; no
invoice at all gives no warning (there is nothing to measure either).
"""

from __future__ import annotations

from datetime import date
from typing import cast

import polars as pl

from relance.domain.ledger import Ledger
from relance.figures.period import Period


def period_warnings(ledger: Ledger, period: Period) -> list[str]:
    """Sentences telling what the period measures that the books do not hold."""
    invoices = ledger.documents.filter(pl.col("amount") > 0)
    if invoices.height == 0:
        return []
    first = cast(date, invoices["issue_date"].min())
    if period.start >= first:
        return []
    warning = (
        f"the period starts before the first invoice ({first}): sales are "
        "incomplete, DSO overstated"
    )
    return [warning]
