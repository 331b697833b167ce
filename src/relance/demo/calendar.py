"""Day arithmetic on numpy arrays of day numbers (days since 1970-01-01).

The generator works on whole arrays of dates at once; these helpers keep that
arithmetic in one place. Business days are Monday to Friday (public holidays are
ignored: the demo does not need them).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

_EPOCH = date(1970, 1, 1)


def day_number(day: date) -> int:
    """Days since 1970-01-01."""
    return (day - _EPOCH).days


def weekday(days: np.ndarray) -> np.ndarray:
    """0 = Monday … 6 = Sunday (1970-01-01 was a Thursday)."""
    return (days + 3) % 7


def next_business_day(days: np.ndarray) -> np.ndarray:
    """The same day on a weekday, else the following Monday."""
    dow = weekday(days)
    return days + np.where(dow == 5, 2, np.where(dow == 6, 1, 0))


def business_day_within(days: np.ndarray, last: int | np.ndarray) -> np.ndarray:
    """The next business day, or the previous Friday when that would pass `last`."""
    forward = next_business_day(days)
    dow = weekday(days)
    backward = days - np.where(dow == 5, 1, np.where(dow == 6, 2, 0))
    return np.where(forward > last, backward, forward)


def end_of_month(days: np.ndarray) -> np.ndarray:
    """The last day of each day's month."""
    month = days.astype("datetime64[D]").astype("datetime64[M]")
    return ((month + 1).astype("datetime64[D]") - 1).astype(np.int64)


def year_of(days: np.ndarray) -> np.ndarray:
    """Calendar year of each day."""
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def to_dates(name: str, days: np.ndarray) -> pl.Series:
    """A Polars Date series from day numbers."""
    return pl.Series(name, days.astype(np.int32)).cast(pl.Date)
