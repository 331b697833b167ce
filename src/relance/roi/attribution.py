"""Direct return: cash collected after the reminders, set against what they cost.

This is the figure every dunning tool reports. It is **attributed, not caused**:
many of these invoices would have been paid without any reminder. The holdout
comparison (`relance.roi.incremental`) measures what the reminders changed.

Contracts:
- only contacted actions count (held-out decisions cost nothing and collect
  nothing here); their cost is counted whether or not they covered an invoice;
- a receipt on an invoice is attributed to the **last** contacted action about that
  invoice whose window holds it (acted on t, receipt dated t + 1 to t + W): so a
  euro is never counted twice when an invoice got several reminders, and the rows
  of a breakdown add up to the total;
- ROI = (collected − cost) / cost; cost per unit collected = cost / collected;
  both None when their denominator is zero; amounts are `Decimal` in the
  currency, one row per currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from relance.roi.actions import CONTACTED, key_label
from relance.roi.ratios import money, ratio, return_on

LABEL = "attributed, not caused"


@dataclass(frozen=True)
class DirectReturn:
    """Direct return of one group of contacted actions, in one currency."""

    key: dict[str, str]
    currency: str
    actions: int
    invoices: int
    cost: Decimal
    stake: Decimal
    collected: Decimal
    roi: Decimal | None
    cost_per_unit_collected: Decimal | None
    label: str = LABEL


def attribute_last_touch(
    exposed: pl.DataFrame, paid: pl.DataFrame, window: int
) -> pl.DataFrame:
    """Add `attributed`: receipts credited to each contacted (action, invoice) row.

    `exposed` is `actions.exposure(...)` (any group; only contacted rows are
    returned); `paid` is `collections.receipts(ledger)`.
    """
    contacted = exposed.filter(pl.col("group") == CONTACTED)
    candidates = (
        contacted.select("action_id", "document_id", "acted_on")
        .join(paid.with_row_index("_receipt"), on="document_id")
        .filter(
            (pl.col("paid_on") > pl.col("acted_on"))
            & (pl.col("paid_on") <= pl.col("acted_on") + pl.duration(days=window))
        )
    )
    # The latest action before the receipt takes it; ties go to the later id.
    credited = (
        candidates.sort("acted_on", "action_id")
        .unique(subset="_receipt", keep="last")
        .group_by("action_id", "document_id")
        .agg(pl.col("amount").sum().alias("_credited"))
    )
    return (
        contacted.join(credited, on=["action_id", "document_id"], how="left")
        .with_columns(
            pl.min_horizontal(pl.col("_credited").fill_null(0), pl.col("stake"))
            .cast(pl.Int64)
            .alias("attributed")
        )
        .drop("_credited")
    )


def direct_return(
    actions: pl.DataFrame, attributed: pl.DataFrame, by: list[str]
) -> list[DirectReturn]:
    """Direct return per value of the `by` columns and currency (`by=[]`: total).

    `actions` carries `group` (and `period` when grouping by it); `attributed` is
    `attribute_last_touch(...)`.
    """
    keys = [*by, "currency"]
    costs = (
        actions.filter(pl.col("group") == CONTACTED)
        .group_by(keys)
        .agg(pl.len().alias("actions"), pl.col("cost").sum().alias("cost"))
    )
    gains = attributed.group_by(keys).agg(
        pl.len().alias("invoices"),
        pl.col("stake").sum().alias("stake"),
        pl.col("attributed").sum().alias("collected"),
    )
    table = costs.join(gains, on=keys, how="left", nulls_equal=True).fill_null(0)
    rows = []
    for row in table.sort(keys, nulls_last=True).iter_rows(named=True):
        currency = row["currency"]
        cost = money(row["cost"], currency)
        collected = money(row["collected"], currency)
        rows.append(
            DirectReturn(
                key={name: key_label(name, row[name]) for name in by},
                currency=currency,
                actions=row["actions"],
                invoices=row["invoices"],
                cost=cost,
                stake=money(row["stake"], currency),
                collected=collected,
                roi=return_on(collected, cost),
                cost_per_unit_collected=ratio(cost, collected),
            )
        )
    return rows
