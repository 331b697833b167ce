"""Business days: weekends and public holidays of one country.

Reminders go out on business days only. A `BusinessCalendar` knows the weekend days
and the public holidays of a country (France by default, optionally one of its
subdivisions such as "57" for Moselle) through the `holidays` package.

Contracts:
- `is_business_day(d)` is false on the weekend days and on public holidays;
- `roll_forward(d)` is `d` itself when it is a business day, else the first business
  day after it (a step falling on 14 July is due on the next business day);
- `roll_forward_column` does the same for a Polars column of dates, by a join on a
  small frame of the days in range, never by a Python loop over rows.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import cast

import holidays
import polars as pl

DEFAULT_COUNTRY = "FR"
_WEEKDAY_NAMES = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
# A run of non-business days longer than this would be a configuration mistake.
_MAX_CLOSED_RUN = 31


class UnknownCountry(ValueError):
    """A country (or subdivision) the holidays package does not know."""


def supported_countries() -> dict[str, list[str]]:
    """ISO 3166 alpha-2 codes the calendar supports, with their subdivisions."""
    return {
        code: list(subs) for code, subs in holidays.list_supported_countries().items()
    }


def check_country(country: str, subdivision: str | None = None) -> None:
    """Raise `UnknownCountry` naming the value when it is not supported."""
    known = supported_countries()
    if country not in known:
        raise UnknownCountry(
            f"{country!r} is not a supported country code (e.g. FR, BE)"
        )
    if subdivision is not None and subdivision not in known[country]:
        raise UnknownCountry(
            f"{subdivision!r} is not a subdivision of {country} "
            f"(one of {', '.join(known[country])})"
        )


class BusinessCalendar:
    """Weekends and public holidays of one country."""

    def __init__(self, country: str = DEFAULT_COUNTRY, subdivision: str | None = None):
        check_country(country, subdivision)
        self.country = country
        self.subdivision = subdivision
        self._holidays = holidays.country_holidays(country, subdiv=subdivision)
        self.weekend: frozenset[int] = frozenset(
            getattr(self._holidays, "weekend", None) or {5, 6}
        )

    def __repr__(self) -> str:
        where = self.country + (f"-{self.subdivision}" if self.subdivision else "")
        return f"BusinessCalendar({where})"

    def holiday_name(self, day: date) -> str | None:
        """The public holiday's name on `day`, or None."""
        return self._holidays.get(day)

    def is_business_day(self, day: date) -> bool:
        """True when `day` is neither a weekend day nor a public holiday."""
        return day.weekday() not in self.weekend and day not in self._holidays

    def why_closed(self, day: date) -> str | None:
        """Why `day` is not a business day, in words; None when it is one."""
        name = self.holiday_name(day)
        if name is not None:
            return f"{day.isoformat()} is a public holiday in {self.country} ({name})"
        if day.weekday() in self.weekend:
            return f"{day.isoformat()} is a {_WEEKDAY_NAMES[day.weekday()]}"
        return None

    def roll_forward(self, day: date) -> date:
        """`day` if it is a business day, else the next business day."""
        current = day
        for _ in range(_MAX_CLOSED_RUN):
            if self.is_business_day(current):
                return current
            current += timedelta(days=1)
        raise ValueError(f"no business day within {_MAX_CLOSED_RUN} days of {day}")

    def business_days_between(self, start: date, end: date) -> list[date]:
        """Business days d with start <= d <= end."""
        days = (end - start).days + 1
        every = (start + timedelta(days=n) for n in range(max(days, 0)))
        return [d for d in every if self.is_business_day(d)]

    def roll_table(self, start: date, end: date) -> pl.DataFrame:
        """Frame (`day`, `business_day`) mapping each day in [start, end] forward."""
        return _roll_table(self, start, end)

    def roll_forward_column(
        self, frame: pl.DataFrame, column: str, alias: str
    ) -> pl.DataFrame:
        """Add `alias`: the date in `column` rolled forward to a business day.

        Null dates stay null. The join frame covers only the range present, so the
        cost grows with the span of dates, not with the number of rows.
        """
        dates = frame.get_column(column).drop_nulls()
        if dates.is_empty():
            return frame.with_columns(pl.col(column).alias(alias))
        lo, hi = cast(date, dates.min()), cast(date, dates.max())
        table = self.roll_table(lo, hi).rename({"day": column, "business_day": alias})
        return frame.join(table, on=column, how="left")


@lru_cache(maxsize=32)
def _roll_table(calendar: BusinessCalendar, start: date, end: date) -> pl.DataFrame:
    # Walk backwards: each day maps to itself when open, else to the next open day.
    span = (end - start).days
    following = calendar.roll_forward(end)
    days: list[date] = []
    targets: list[date] = []
    for n in range(span, -1, -1):
        current = start + timedelta(days=n)
        if calendar.is_business_day(current):
            following = current
        days.append(current)
        targets.append(following)
    return pl.DataFrame(
        {"day": days[::-1], "business_day": targets[::-1]},
        schema={"day": pl.Date, "business_day": pl.Date},
    )
