"""Incremental return: what the reminders changed, measured against holdouts.

A holdout is a share of the customers due for a step, drawn at random and not
contacted. Over the same window, the held-out group shows what would have been
collected anyway; the difference with the contacted group is the reminders' doing.

Contracts (per group of the `by` columns and currency):
- collection rate by amount = collected / stake (`collections.window_collections`,
  no last-touch sharing: each action is measured on its own window); by count =
  invoices paid in full in the window / invoices; the two can disagree (a few
  large invoices against many small ones) and both are shown;
- uplift = contacted rate − held-out rate; incremental amount = amount uplift ×
  stake of the contacted group; incremental ROI = (incremental amount − cost of
  the contacted actions) / that cost;
- 95 % intervals by bootstrap over customers: customers are redrawn with
  replacement inside each group (a customer's invoices move together, as the
  holdout draw assigned them together), `reps` times, with a seeded NumPy
  generator over the customers sorted by id, so the same data and seed give the
  same interval; the bounds are the 2.5th and 97.5th percentiles;
- a group with fewer than `MIN_CUSTOMERS` customers is too small to conclude:
  below that the bootstrap interval is itself unreliable; a result is
  `conclusive` only when both groups are large enough and the amount interval
  excludes zero.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import polars as pl

from relance.domain.money import quantize
from relance.roi.actions import CONTACTED, HELD_OUT, key_label
from relance.roi.ratios import (
    decimal_from_float,
    money,
    money_from_minor_float,
    ratio,
    return_on,
)

MIN_CUSTOMERS = 30
DEFAULT_REPS = 1000
_COLUMNS = ("stake", "collected", "invoices", "paid", "cost")
_CHUNK = 100  # bootstrap draws held in memory at once


@dataclass(frozen=True)
class Interval:
    """A 95 % interval, low and high bounds."""

    low: Decimal
    high: Decimal

    def contains(self, value: Decimal) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class GroupOutcome:
    """What one group (contacted or held out) gave over the window."""

    customers: int
    invoices: int
    paid_invoices: int
    stake: Decimal
    collected: Decimal
    cost: Decimal
    rate_amount: Decimal | None
    rate_count: Decimal | None


@dataclass(frozen=True)
class IncrementalReturn:
    """Holdout comparison for one group of actions, in one currency."""

    key: dict[str, str]
    currency: str
    contacted: GroupOutcome
    held_out: GroupOutcome
    uplift_amount: Decimal | None
    uplift_count: Decimal | None
    incremental_amount: Decimal | None
    roi: Decimal | None
    uplift_amount_ci: Interval | None
    uplift_count_ci: Interval | None
    incremental_amount_ci: Interval | None
    roi_ci: Interval | None
    warnings: tuple[str, ...]
    conclusive: bool

    @property
    def verdict(self) -> str:
        """What this comparison allows one to say, in a few plain words."""
        c, h = self.contacted.customers, self.held_out.customers
        if h == 0:
            return "no holdout: not measured"
        if min(c, h) < MIN_CUSTOMERS:
            return f"too few customers to conclude ({c} contacted / {h} held out)"
        if not self.conclusive:
            return "cannot tell from no effect"
        return "effect shown"


def customer_table(
    actions: pl.DataFrame, collected: pl.DataFrame, by: list[str]
) -> pl.DataFrame:
    """Per group of `by`, currency, group and customer: the sums the estimate needs.

    `actions` carries `group`; `collected` is `window_collections` over the
    exposure. Columns: the keys, `group`, `customer_id`, then stake, collected,
    invoices, paid (invoices paid in full) and cost.
    """
    keys = [*by, "currency", "group", "customer_id"]
    sums = (
        collected.filter(pl.col("group").is_not_null())
        .group_by(keys)
        .agg(
            pl.col("stake").sum(),
            pl.col("collected").sum(),
            pl.len().alias("invoices"),
            pl.col("paid_in_full").sum().alias("paid"),
        )
    )
    costs = (
        actions.filter(pl.col("group").is_not_null())
        .group_by(keys)
        .agg(pl.col("cost").sum())
    )
    return (
        costs.join(sums, on=keys, how="full", coalesce=True, nulls_equal=True)
        .with_columns(pl.col(c).fill_null(0).cast(pl.Int64) for c in _COLUMNS)
        .select(*keys, *_COLUMNS)
    )


def _outcome(table: np.ndarray, currency: str) -> GroupOutcome:
    stake, collected, invoices, paid, cost = (int(v) for v in table.sum(axis=0))
    return GroupOutcome(
        customers=int(table.shape[0]),
        invoices=invoices,
        paid_invoices=paid,
        stake=money(stake, currency),
        collected=money(collected, currency),
        cost=money(cost, currency),
        rate_amount=ratio(collected, stake),
        rate_count=ratio(paid, invoices),
    )


def _resampled_sums(
    table: np.ndarray, reps: int, rng: np.random.Generator
) -> np.ndarray:
    """`reps` bootstrap sums of the columns (customers drawn with replacement).

    Draws are made `_CHUNK` at a time, so memory stays bounded on large books.
    """
    n = table.shape[0]
    if n == 0:
        return np.zeros((reps, table.shape[1]))
    values = table.astype(np.float64)
    shares = np.full(n, 1.0 / n)
    parts = [
        rng.multinomial(n, shares, size=min(_CHUNK, reps - start)) @ values
        for start in range(0, reps, _CHUNK)
    ]
    return np.vstack(parts)


def bootstrap(
    contacted: np.ndarray, held_out: np.ndarray, reps: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Bootstrap draws of the uplifts, incremental amount and ROI.

    Each table has one row per customer and the columns of `_COLUMNS`. Draws that
    divide by zero are NaN and left out of the percentiles.
    """
    c = _resampled_sums(contacted, reps, rng)
    h = _resampled_sums(held_out, reps, rng)
    with np.errstate(divide="ignore", invalid="ignore"):
        uplift_amount = c[:, 1] / c[:, 0] - h[:, 1] / h[:, 0]
        uplift_count = c[:, 3] / c[:, 2] - h[:, 3] / h[:, 2]
        incremental = uplift_amount * c[:, 0]
        roi = (incremental - c[:, 4]) / c[:, 4]
    return {
        "uplift_amount": uplift_amount,
        "uplift_count": uplift_count,
        "incremental_amount": incremental,
        "roi": roi,
    }


def _bounds(draws: np.ndarray) -> tuple[float, float] | None:
    finite = draws[np.isfinite(draws)]
    if finite.size < 2:
        return None
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


def _rate_interval(draws: np.ndarray) -> Interval | None:
    bounds = _bounds(draws)
    if bounds is None:
        return None
    return Interval(decimal_from_float(bounds[0]), decimal_from_float(bounds[1]))


def _money_interval(draws: np.ndarray, currency: str) -> Interval | None:
    bounds = _bounds(draws)
    if bounds is None:
        return None
    low, high = bounds
    return Interval(
        money_from_minor_float(low, currency), money_from_minor_float(high, currency)
    )


def _warnings(
    contacted: GroupOutcome,
    held_out: GroupOutcome,
    uplift_amount: Decimal | None,
    uplift_count: Decimal | None,
    amount_ci: Interval | None,
) -> list[str]:
    notes = []
    if held_out.customers == 0:
        notes.append(
            "no held-out customer: what the reminders changed cannot be measured here; "
            "the direct return is attributed, not caused"
        )
        return notes
    for name, group in (("contacted", contacted), ("held out", held_out)):
        if group.customers < MIN_CUSTOMERS:
            notes.append(
                f"only {group.customers} customer(s) {name}, fewer than the "
                f"{MIN_CUSTOMERS} needed per group: too few to conclude"
            )
    if amount_ci is not None and amount_ci.low <= 0 <= amount_ci.high:
        notes.append(
            "the interval of the uplift includes zero: these data cannot tell the "
            "effect from no effect"
        )
    if (
        uplift_amount is not None
        and uplift_count is not None
        and uplift_amount * uplift_count < 0
    ):
        notes.append(
            "the uplift by amount and by count point in opposite directions: a few "
            "large invoices weigh against many small ones"
        )
    return notes


def estimate(
    key: dict[str, str],
    currency: str,
    contacted: np.ndarray,
    held_out: np.ndarray,
    reps: int,
    rng: np.random.Generator,
) -> IncrementalReturn:
    """Estimate the incremental return from per-customer tables of both groups."""
    c_out, h_out = _outcome(contacted, currency), _outcome(held_out, currency)
    uplift_amount = uplift_count = incremental = roi = None
    if c_out.rate_amount is not None and h_out.rate_amount is not None:
        uplift_amount = c_out.rate_amount - h_out.rate_amount
        incremental = uplift_amount * c_out.stake
        roi = return_on(incremental, c_out.cost)
    if c_out.rate_count is not None and h_out.rate_count is not None:
        uplift_count = c_out.rate_count - h_out.rate_count
    amount_ci = count_ci = incremental_ci = roi_ci = None
    if contacted.shape[0] and held_out.shape[0]:
        draws = bootstrap(contacted, held_out, reps, rng)
        amount_ci = _rate_interval(draws["uplift_amount"])
        count_ci = _rate_interval(draws["uplift_count"])
        incremental_ci = _money_interval(draws["incremental_amount"], currency)
        roi_ci = _rate_interval(draws["roi"])
    notes = _warnings(c_out, h_out, uplift_amount, uplift_count, amount_ci)
    conclusive = (
        min(c_out.customers, h_out.customers) >= MIN_CUSTOMERS
        and amount_ci is not None
        and not amount_ci.low <= 0 <= amount_ci.high
    )
    return IncrementalReturn(
        key=key,
        currency=currency,
        contacted=c_out,
        held_out=h_out,
        uplift_amount=uplift_amount,
        uplift_count=uplift_count,
        incremental_amount=None
        if incremental is None
        else quantize(incremental, currency),
        roi=roi,
        uplift_amount_ci=amount_ci,
        uplift_count_ci=count_ci,
        incremental_amount_ci=incremental_ci,
        roi_ci=roi_ci,
        warnings=tuple(notes),
        conclusive=conclusive,
    )


def _cell_rng(seed: int, key: dict[str, str], currency: str) -> np.random.Generator:
    """A generator per group, stable whatever other groups are computed."""
    label = "|".join(f"{k}={v}" for k, v in sorted(key.items())) + "|" + currency
    return np.random.default_rng([seed, zlib.crc32(label.encode())])


def incremental_return(
    table: pl.DataFrame, by: list[str], reps: int = DEFAULT_REPS, seed: int = 0
) -> list[IncrementalReturn]:
    """Incremental return per value of `by` and currency, from `customer_table`."""
    keys = [*by, "currency"]
    results = []
    for cell_key, cell in table.group_by(keys, maintain_order=False):
        values = dict(zip(keys, cell_key, strict=True))
        currency = str(values.pop("currency"))
        key = {name: key_label(name, value) for name, value in values.items()}

        def rows(group: str, cell: pl.DataFrame = cell) -> np.ndarray:
            # Customers in a fixed order: the seeded draws pick rows by position,
            # and polars' group_by gives no order, so the same data would
            # otherwise give a different interval on every run.
            part = (
                cell.filter(pl.col("group") == group)
                .sort("customer_id")
                .select(_COLUMNS)
            )
            return part.to_numpy().astype(np.int64).reshape(-1, len(_COLUMNS))

        rng = _cell_rng(seed, key, currency)
        results.append(
            estimate(key, currency, rows(CONTACTED), rows(HELD_OUT), reps, rng)
        )
    return sorted(results, key=lambda r: (tuple(r.key.values()), r.currency))
