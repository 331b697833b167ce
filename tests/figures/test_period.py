"""Periods: N calendar months ending with the as-of month, or from a date."""

from datetime import date

import pytest

from relance.figures.period import PeriodError, month_ends, months_ending, since


@pytest.mark.parametrize(
    ("as_of", "months", "start", "days"),
    [
        # Apr 30 + May 31 + Jun 30 + Jul 31 + Aug 31 + Sep 30 + Oct 31 + Nov 30
        # + Dec 31 + Jan 31 + Feb 29 = 335, plus 15 days of March = 350.
        (date(2024, 3, 15), 12, date(2023, 4, 1), 350),
        # Jan 31 + Feb 29 + 15 = 75.
        (date(2024, 3, 15), 3, date(2024, 1, 1), 75),
        # The as-of month alone, counted to D: 15 days.
        (date(2024, 3, 15), 1, date(2024, 3, 1), 15),
        # A month-end as-of date gives whole months: 2023 has 365 days.
        (date(2023, 12, 31), 12, date(2023, 1, 1), 365),
    ],
    ids=["12-months", "3-months", "1-month", "calendar-year"],
)
def test_months_ending(as_of, months, start, days):
    period = months_ending(as_of, months)
    assert (period.start, period.end, period.days) == (start, as_of, days)


def test_since_counts_both_ends():
    """10 Feb to 15 Mar 2024: 20 days of February (10..29) + 15 of March = 35."""
    period = since(date(2024, 2, 10), date(2024, 3, 15))
    assert period.days == 35
    assert period.day_before == date(2024, 2, 9)


def test_bad_periods_are_refused():
    with pytest.raises(PeriodError):
        since(date(2024, 3, 16), date(2024, 3, 15))
    with pytest.raises(PeriodError):
        months_ending(date(2024, 3, 15), 0)


def test_month_ends_end_with_the_as_of_date():
    assert month_ends(date(2024, 3, 15), 3) == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 15),
    ]
