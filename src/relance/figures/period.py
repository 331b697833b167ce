"""The period a figure is measured over, and calendar-month arithmetic.

Contracts:
- a period is a closed range of calendar days: `start` and `end` both count, and
  `days = end − start + 1`;
- `--months N` means the N calendar months ending with the month of the as-of date,
  the current month counted only up to the as-of date (so 12 months as of 15 March
  2024 run from 1 April 2023 to 15 March 2024, 350 days);
- `--from DATE` means DATE to the as-of date, both included.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


class PeriodError(ValueError):
    """A period that cannot be measured (start after end, no month)."""


@dataclass(frozen=True, slots=True)
class Period:
    """A closed range of days, `start` to `end` inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise PeriodError(
                f"the period starts on {self.start}, after its end {self.end}"
            )

    @property
    def days(self) -> int:
        """Number of calendar days, both ends counted."""
        return (self.end - self.start).days + 1

    @property
    def day_before(self) -> date:
        """The last day before the period: the opening balances are taken there."""
        return self.start - timedelta(days=1)


def month_index(day: date) -> int:
    """Months since year 0: consecutive months have consecutive indices."""
    return day.year * 12 + day.month - 1


def month_start(index: int) -> date:
    """First day of the month with this `month_index`."""
    return date(index // 12, index % 12 + 1, 1)


def month_end(index: int) -> date:
    """Last day of the month with this `month_index`."""
    year, month = index // 12, index % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def months_ending(as_of: date, months: int) -> Period:
    """The `months` calendar months ending with the as-of month, cut at `as_of`."""
    if months < 1:
        raise PeriodError(f"a period needs at least one month, not {months}")
    return Period(month_start(month_index(as_of) - months + 1), as_of)


def since(start: date, as_of: date) -> Period:
    """From `start` to `as_of`, both included."""
    return Period(start, as_of)


def month_ends(as_of: date, count: int) -> list[date]:
    """The last `count` month-ends up to the as-of month; the last one is `as_of`.

    These are the as-of dates of a monthly trend: every month is seen at its end,
    except the current one, which is seen as of `as_of`.
    """
    last = month_index(as_of)
    ends = [month_end(i) for i in range(last - count + 1, last)]
    return [*ends, as_of]
