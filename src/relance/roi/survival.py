"""Time to pay: Kaplan–Meier curves of the days from due date to payment.

Invoices still open are not dropped nor counted as paid: they are *censored*, we
know only that they were unpaid for so many days. The Kaplan–Meier estimate
(lifelines' `KaplanMeierFitter`) uses them correctly; a plain average of the paid
invoices' delays would forget the slowest payers.

Contracts:
- days = settlement day − due date, in calendar days, a payment on or before the
  due date counting as day 0; an invoice settled by payment is an event; one
  still open on the as-of date is censored then, one written off is censored on
  its write-off day, one cancelled by a credit note is left out (it says nothing
  about paying); invoices not yet due on the as-of date are left out;
- the curve is the share of invoices still unpaid t days after the due date, with
  its 95 % band (lifelines' exponential Greenwood band); the median is the first
  day the curve reaches 0.5 or less (None if it never does);
- the mean days to pay is the restricted mean up to `horizon` days (the area under
  the curve), so a few invoices never paid cannot make it infinite; its standard
  error is the usual Greenwood-type formula (invoices taken as independent);
- the difference of two groups' restricted means is the days one paid sooner; its
  95 % interval is a bootstrap over customers, since one customer's invoices are
  paid together and are not independent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from relance.roi.incremental import Interval
from relance.roi.ratios import decimal_from_float

if TYPE_CHECKING:
    from lifelines import KaplanMeierFitter

DEFAULT_HORIZON = 120
_CHUNK = 50


@dataclass(frozen=True)
class SurvivalCurve:
    """The share of a group's invoices still unpaid, day by day after the due date."""

    label: str
    invoices: int
    paid: int
    timeline: tuple[float, ...]
    unpaid_share: tuple[float, ...]
    band_low: tuple[float, ...]
    band_high: tuple[float, ...]
    median_days: Decimal | None
    median_low: Decimal | None
    median_high: Decimal | None
    mean_days: Decimal
    mean_days_se: float
    horizon: int
    area: float  # the unrounded restricted mean, for comparisons


@dataclass(frozen=True)
class PaidSooner:
    """How many days sooner one group paid than another, on average."""

    faster: str
    slower: str
    days: Decimal
    interval: Interval
    horizon: int


def time_to_pay(settled: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Add `days` and `paid` to `collections.settlements(...)` rows.

    Drops invoices not yet due on `as_of` and those closed by a credit note.
    """
    censor_on = (
        pl.when(pl.col("settled_on").is_null())
        .then(pl.lit(as_of))
        .otherwise(pl.col("settled_on"))
    )
    return (
        settled.filter(pl.col("due_date") <= as_of)
        .filter(pl.col("settled_by").is_null() | (pl.col("settled_by") != "credit"))
        .with_columns(
            (censor_on - pl.col("due_date"))
            .dt.total_days()
            .clip(lower_bound=0)
            .alias("days"),
            (pl.col("settled_by") == "payment").fill_null(False).alias("paid"),
        )
    )


def _optional_days(value: float) -> Decimal | None:
    if not np.isfinite(value):
        return None
    return decimal_from_float(value, 1)


def _restricted_mean(kmf: KaplanMeierFitter, horizon: int) -> tuple[float, float]:
    """Area under the curve up to `horizon`, and its standard error.

    Var = Σ over event days t_j < horizon of A_j² d_j / (n_j (n_j − d_j)), with A_j
    the area under the curve from t_j to the horizon, d_j the payments on t_j and
    n_j the invoices still unpaid just before it.
    """
    curve = kmf.survival_function_.iloc[:, 0]
    times = np.append(curve.index.to_numpy(dtype=float), float(horizon))
    values = curve.to_numpy(dtype=float)
    inside = times[:-1] < horizon
    starts, ends = times[:-1][inside], np.minimum(times[1:][inside], horizon)
    pieces = values[inside] * (ends - starts)
    area = float(pieces.sum())
    # Area from each step's start to the horizon: a reversed running sum.
    tail = np.cumsum(pieces[::-1])[::-1]
    table = kmf.event_table
    at = table.index.to_numpy(dtype=float)
    keep = (at < horizon) & (table["observed"].to_numpy() > 0)
    d = table["observed"].to_numpy(dtype=float)[keep]
    n = table["at_risk"].to_numpy(dtype=float)[keep]
    a = tail[np.searchsorted(starts, at[keep])]
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(n > d, a**2 * d / (n * (n - d)), 0.0)
    return area, float(np.sqrt(terms.sum()))


def fit_curve(
    label: str, days: np.ndarray, paid: np.ndarray, horizon: int = DEFAULT_HORIZON
) -> SurvivalCurve:
    """Fit the Kaplan–Meier curve of one group; `days` ≥ 0, `paid` booleans."""
    if len(days) == 0:
        raise ValueError(f"no invoice in group {label!r}: nothing to fit")
    # lifelines takes seconds to import: only load it when a curve is fitted.
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    kmf = KaplanMeierFitter(label=label).fit(days, event_observed=paid)
    shown = kmf.survival_function_.index.to_numpy(dtype=float) <= horizon
    band = kmf.confidence_interval_.to_numpy(dtype=float)[shown]
    median_band = median_survival_times(kmf.confidence_interval_).to_numpy(dtype=float)[
        0
    ]
    mean, se = _restricted_mean(kmf, horizon)
    return SurvivalCurve(
        label=label,
        invoices=len(days),
        paid=int(np.sum(paid)),
        timeline=tuple(kmf.survival_function_.index.to_numpy(dtype=float)[shown]),
        unpaid_share=tuple(
            kmf.survival_function_.iloc[:, 0].to_numpy(dtype=float)[shown]
        ),
        band_low=tuple(band[:, 0]),
        band_high=tuple(band[:, 1]),
        median_days=_optional_days(float(kmf.median_survival_time_)),
        median_low=_optional_days(float(median_band[0])),
        median_high=_optional_days(float(median_band[1])),
        mean_days=decimal_from_float(mean, 1),
        mean_days_se=se,
        horizon=horizon,
        area=mean,
    )


def curves_by(
    frame: pl.DataFrame, label: str, horizon: int = DEFAULT_HORIZON
) -> list[SurvivalCurve]:
    """One curve per value of the `label` column of a `time_to_pay` frame."""
    curves = []
    for (value,), part in frame.group_by(label, maintain_order=True):
        curves.append(
            fit_curve(
                str(value),
                part.get_column("days").to_numpy(),
                part.get_column("paid").to_numpy(),
                horizon,
            )
        )
    return sorted(curves, key=lambda c: c.label)


def restricted_means(
    days: np.ndarray, paid: np.ndarray, weights: np.ndarray, horizon: int
) -> np.ndarray:
    """Restricted means up to `horizon` of weighted Kaplan–Meier curves.

    `days` (whole days ≥ 0) and `paid` describe the invoices; `weights` has one
    row per curve (how many times each invoice counts in it). With whole days the
    curve is constant between two days, so the area is the sum of the curve at
    days 0 to horizon − 1: the same as lifelines' area, computed for many
    bootstrap draws at once.
    """
    reps = weights.shape[0]
    capped = np.minimum(days, horizon).astype(np.int64)
    paid_weights = weights * paid.astype(np.float64)
    deaths = np.zeros((reps, horizon + 1))
    leaving = np.zeros((reps, horizon + 1))
    for r in range(reps):
        deaths[r] = np.bincount(capped, paid_weights[r], minlength=horizon + 1)
        leaving[r] = np.bincount(capped, weights[r], minlength=horizon + 1)
    # At risk on day t: every invoice whose time is t or more.
    at_risk = np.cumsum(leaving[:, ::-1], axis=1)[:, ::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        hazard = np.where(at_risk > 0, deaths / at_risk, 0.0)
    curve = np.cumprod(1.0 - hazard, axis=1)[:, :horizon]
    areas: np.ndarray = curve.sum(axis=1)
    return areas


def paid_sooner(
    frame: pl.DataFrame,
    faster: str,
    slower: str,
    horizon: int = DEFAULT_HORIZON,
    reps: int = 500,
    seed: int = 0,
    label: str = "group",
) -> PaidSooner:
    """Days sooner the `faster` group paid than the `slower` one, on average.

    `frame` is a `time_to_pay` frame with `customer_id` and the `label` column.
    The estimate is the difference of restricted means (slower − faster); its 95 %
    interval comes from a bootstrap over customers (a customer's invoices are
    drawn together: they tend to be paid together), seeded.
    """
    rng = np.random.default_rng(seed)
    means = []
    draws = []
    for group in (slower, faster):
        part = frame.filter(pl.col(label) == group)
        if part.height == 0:
            raise ValueError(f"no invoice in group {group!r}: nothing to compare")
        days = part.get_column("days").to_numpy()
        paid = part.get_column("paid").to_numpy()
        codes = (
            part.get_column("customer_id").rank("dense").cast(pl.Int64).to_numpy() - 1
        )
        customers = int(codes.max()) + 1
        means.append(restricted_means(days, paid, np.ones((1, days.size)), horizon)[0])
        shares = np.full(customers, 1.0 / customers)
        chunks = []
        # A chunk of draws at a time: reps × invoices weights would not fit on
        # large books.
        for start in range(0, reps, _CHUNK):
            picked = rng.multinomial(customers, shares, size=min(_CHUNK, reps - start))
            weights = picked[:, codes].astype(np.float64)
            chunks.append(restricted_means(days, paid, weights, horizon))
        draws.append(np.concatenate(chunks))
    estimate = means[0] - means[1]
    low, high = np.percentile(draws[0] - draws[1], [2.5, 97.5])
    return PaidSooner(
        faster=faster,
        slower=slower,
        days=decimal_from_float(estimate, 1),
        interval=Interval(decimal_from_float(low, 1), decimal_from_float(high, 1)),
        horizon=horizon,
    )
