"""The action log as the ROI reads it: contacts, held-out decisions, their invoices.

An action is one contact with one customer at one step (or the decision not to
contact a customer the holdout draw kept back). Its items are the invoices it was
about, each with its `stake`: the invoice's open balance on the action date.

Contracts:
- frames follow `ACTION_SCHEMA` and `ITEM_SCHEMA`; `cost` and `stake` are Int64
  minor units of the action's `currency`;
- `acted_on` is the day of the action; its window of W days runs from the next day
  to `acted_on + W`, both included (a payment on the action day itself was on its
  way already and is not counted);
- groups: a held-out action is in `held_out`; any other action that was carried
  out (sent, failed, done...) is in `contacted`, failures included, because the
  held-out group also holds customers a message would not have reached (intention
  to treat); actions still planned or being sent, and cancelled ones, are in no
  group and never reach a figure;
- an action is mature as of D when its whole window has passed: acted_on + W <= D.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

ACTION_SCHEMA = {
    "action_id": pl.Int64,
    "customer_id": pl.Int64,
    "campaign": pl.Utf8,
    "segment": pl.Utf8,
    "step": pl.Utf8,
    "channel": pl.Utf8,
    "acted_on": pl.Date,
    "state": pl.Utf8,
    "holdout": pl.Boolean,
    "cost": pl.Int64,
    "currency": pl.Utf8,
    "collector": pl.Utf8,
}
ITEM_SCHEMA = {"action_id": pl.Int64, "document_id": pl.Int64, "stake": pl.Int64}

CONTACTED = "contacted"
HELD_OUT = "held_out"
# States that say nothing happened (yet): they belong to no group.
NOT_CARRIED_OUT = ("planned", "sending", "cancelled")

# What `--by` accepts: an action column, or `period` (the action's month).
DIMENSIONS = ("campaign", "step", "channel", "segment", "period", "collector")
DEFAULT_WINDOW_DAYS = 30


def empty_actions() -> pl.DataFrame:
    """An action frame with no row."""
    return pl.DataFrame(schema=ACTION_SCHEMA)


def empty_items() -> pl.DataFrame:
    """An item frame with no row."""
    return pl.DataFrame(schema=ITEM_SCHEMA)


def with_group(actions: pl.DataFrame) -> pl.DataFrame:
    """Add `group`: `contacted`, `held_out`, or null for actions not carried out."""
    return actions.with_columns(
        pl.when(pl.col("state").is_in(NOT_CARRIED_OUT))
        .then(pl.lit(None, dtype=pl.Utf8))
        .when(pl.col("holdout"))
        .then(pl.lit(HELD_OUT))
        .otherwise(pl.lit(CONTACTED))
        .alias("group")
    )


def with_period(actions: pl.DataFrame) -> pl.DataFrame:
    """Add `period`, the action's calendar month written `YYYY-MM`."""
    return actions.with_columns(pl.col("acted_on").dt.strftime("%Y-%m").alias("period"))


def mature(actions: pl.DataFrame, as_of: date, window: int) -> pl.DataFrame:
    """Keep the actions whose whole window has passed on `as_of`."""
    last_start = as_of - timedelta(days=window)
    return actions.filter(pl.col("acted_on") <= last_start)


def between(
    actions: pl.DataFrame, start: date | None, end: date | None
) -> pl.DataFrame:
    """Keep the actions dated from `start` to `end`, both included (None: open)."""
    kept = actions
    if start is not None:
        kept = kept.filter(pl.col("acted_on") >= start)
    if end is not None:
        kept = kept.filter(pl.col("acted_on") <= end)
    return kept


def check_dimensions(by: list[str]) -> None:
    """Raise ValueError naming the accepted values when `by` holds an unknown one."""
    unknown = [name for name in by if name not in DIMENSIONS]
    if unknown:
        raise ValueError(
            f"cannot group by {', '.join(unknown)}: "
            f"expected one of {', '.join(DIMENSIONS)}"
        )


NO_COLLECTOR = "(unassigned)"
NO_VALUE = "(none)"


def key_label(name: str, value: object) -> str:
    """How a breakdown names a group: an empty collector is `(unassigned)` (as in
    the team table), any other empty value `(none)`, never the word "None"."""
    if value is None:
        return NO_COLLECTOR if name == "collector" else NO_VALUE
    return str(value)


def exposure(actions: pl.DataFrame, items: pl.DataFrame) -> pl.DataFrame:
    """One row per (action, invoice with something to collect), with action columns.

    `actions` should already carry `group` and `period`; items whose stake is zero
    or negative (nothing left to collect) are dropped.
    """
    return items.filter(pl.col("stake") > 0).join(actions, on="action_id", how="inner")
