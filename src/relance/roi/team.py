"""Team: what each collector did and what followed, to see who needs help.

Contracts (one currency, actions dated from `start` to `end`, both included):
- a collector's actions are the contacted actions carrying their name (the
  service fills it from the customer's collector when the action has none);
  actions without a collector are shown as `(unassigned)`;
- collected after = cash attributed to their actions (last touch within the
  window, as in `relance.roi.attribution`: attributed, not caused);
- promises obtained = promises recorded in the period by the collector; kept rate
  = promises with status `kept` / promises whose date has passed on `as_of`
  (a promise not yet due is neither kept nor broken);
- disputes resolved = disputes the collector owns closed in the period; days to
  resolve = closed − opened, mean and median; open = their disputes still open
  on `end`.
- `split` comparisons put the days before a date (a training, a new policy)
  beside the days from it: a before/after, **not causal**.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import polars as pl

from relance.roi.actions import CONTACTED, NO_COLLECTOR
from relance.roi.ratios import decimal_from_float, money, ratio

UNASSIGNED = NO_COLLECTOR  # the same name as in the breakdowns
PROMISE_SCHEMA = {
    "collector": pl.Utf8,
    "recorded_on": pl.Date,
    "promised_for": pl.Date,
    "amount": pl.Int64,
    "currency": pl.Utf8,
    "status": pl.Utf8,
}
DISPUTE_SCHEMA = {"owner": pl.Utf8, "opened_on": pl.Date, "closed_on": pl.Date}


@dataclass(frozen=True)
class CollectorFigures:
    """One collector's activity and results over a period."""

    collector: str
    currency: str
    actions: int
    calls: int
    cost: Decimal
    collected_after: Decimal
    promises: int
    promised: Decimal
    promises_due: int
    promises_kept: int
    kept_rate: Decimal | None
    disputes_resolved: int
    days_to_resolve_mean: Decimal | None
    days_to_resolve_median: Decimal | None
    disputes_open: int


def _named(column: str) -> pl.Expr:
    return pl.col(column).fill_null(UNASSIGNED).alias("collector")


def _between(frame: pl.DataFrame, column: str, start: date, end: date) -> pl.DataFrame:
    return frame.filter((pl.col(column) >= start) & (pl.col(column) <= end))


def _activity(
    actions: pl.DataFrame,
    attributed: pl.DataFrame,
    currency: str,
    start: date,
    end: date,
) -> pl.DataFrame:
    mine = _between(actions, "acted_on", start, end).filter(
        (pl.col("group") == CONTACTED) & (pl.col("currency") == currency)
    )
    done = mine.group_by(_named("collector")).agg(
        pl.len().alias("actions"),
        (pl.col("channel") == "phone").sum().alias("calls"),
        pl.col("cost").sum().alias("cost"),
    )
    got = (
        _between(attributed, "acted_on", start, end)
        .filter(pl.col("currency") == currency)
        .group_by(_named("collector"))
        .agg(pl.col("attributed").sum().alias("collected_after"))
    )
    return done.join(got, on="collector", how="full", coalesce=True)


def _promises(
    promises: pl.DataFrame, currency: str, start: date, end: date, as_of: date
) -> pl.DataFrame:
    taken = _between(promises, "recorded_on", start, end).filter(
        pl.col("currency") == currency
    )
    return taken.group_by(_named("collector")).agg(
        pl.len().alias("promises"),
        pl.col("amount").sum().alias("promised"),
        (pl.col("promised_for") <= as_of).sum().alias("promises_due"),
        ((pl.col("promised_for") <= as_of) & (pl.col("status") == "kept"))
        .sum()
        .alias("promises_kept"),
    )


def _disputes(disputes: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    closed = _between(
        disputes.filter(pl.col("closed_on").is_not_null()), "closed_on", start, end
    )
    resolved = closed.group_by(_named("owner")).agg(
        pl.len().alias("disputes_resolved"),
        (pl.col("closed_on") - pl.col("opened_on"))
        .dt.total_days()
        .mean()
        .alias("_mean"),
        (pl.col("closed_on") - pl.col("opened_on"))
        .dt.total_days()
        .median()
        .alias("_median"),
    )
    still_open = (
        disputes.filter(
            (pl.col("opened_on") <= end)
            & (pl.col("closed_on").is_null() | (pl.col("closed_on") > end))
        )
        .group_by(_named("owner"))
        .agg(pl.len().alias("disputes_open"))
    )
    return resolved.join(still_open, on="collector", how="full", coalesce=True)


def _days(value: float | None) -> Decimal | None:
    return None if value is None else decimal_from_float(value, 1)


def team_figures(
    actions: pl.DataFrame,
    attributed: pl.DataFrame,
    promises: pl.DataFrame,
    disputes: pl.DataFrame,
    currency: str,
    start: date,
    end: date,
    as_of: date,
) -> list[CollectorFigures]:
    """Per collector, sorted by name: actions, collections after, promises, disputes."""
    table = (
        _activity(actions, attributed, currency, start, end)
        .join(
            _promises(promises, currency, start, end, as_of),
            on="collector",
            how="full",
            coalesce=True,
        )
        .join(
            _disputes(disputes, start, end), on="collector", how="full", coalesce=True
        )
        .sort("collector")
    )
    counts = (
        "actions",
        "calls",
        "cost",
        "collected_after",
        "promises",
        "promised",
        "promises_due",
        "promises_kept",
        "disputes_resolved",
        "disputes_open",
    )
    table = table.with_columns(pl.col(c).fill_null(0) for c in counts)
    return [
        CollectorFigures(
            collector=row["collector"],
            currency=currency,
            actions=int(row["actions"]),
            calls=int(row["calls"]),
            cost=money(row["cost"], currency),
            collected_after=money(row["collected_after"], currency),
            promises=int(row["promises"]),
            promised=money(row["promised"], currency),
            promises_due=int(row["promises_due"]),
            promises_kept=int(row["promises_kept"]),
            kept_rate=ratio(int(row["promises_kept"]), int(row["promises_due"])),
            disputes_resolved=int(row["disputes_resolved"]),
            days_to_resolve_mean=_days(row["_mean"]),
            days_to_resolve_median=_days(row["_median"]),
            disputes_open=int(row["disputes_open"]),
        )
        for row in table.iter_rows(named=True)
    ]


def team_before_after(
    actions: pl.DataFrame,
    attributed: pl.DataFrame,
    promises: pl.DataFrame,
    disputes: pl.DataFrame,
    currency: str,
    start: date,
    split: date,
    end: date,
    as_of: date,
) -> tuple[list[CollectorFigures], list[CollectorFigures]]:
    """Team figures from `start` to the day before `split`, and from `split` on."""
    if not start < split <= end:
        raise ValueError(f"the split date {split} must fall after {start} and by {end}")
    args = (actions, attributed, promises, disputes, currency)
    before = team_figures(*args, start, split - timedelta(days=1), as_of)
    after = team_figures(*args, split, end, as_of)
    return before, after
