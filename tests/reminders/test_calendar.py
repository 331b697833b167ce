"""Business days: French public holidays, weekends, other countries."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from relance.reminders.calendar import BusinessCalendar, UnknownCountry

FR = BusinessCalendar()


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 7, 14),  # Fête nationale, a Monday
        date(2025, 12, 25),  # Christmas, a Thursday
        date(2025, 4, 21),  # Easter Monday 2025 (Easter Sunday is 20 April)
        date(2024, 4, 1),  # Easter Monday 2024 (Easter Sunday is 31 March)
        date(2025, 5, 29),  # Ascension 2025 (Easter + 39 days)
        date(2025, 7, 12),  # a Saturday
        date(2025, 7, 13),  # a Sunday
    ],
    ids=[
        "14-july",
        "christmas",
        "easter-monday-2025",
        "easter-monday-2024",
        "ascension",
        "sat",
        "sun",
    ],
)
def test_closed_days_in_france(day: date):
    assert not FR.is_business_day(day)


@pytest.mark.parametrize(
    "day",
    [date(2025, 7, 15), date(2025, 12, 26), date(2025, 4, 22), date(2025, 7, 11)],
    ids=["15-july", "26-dec", "easter-tuesday", "friday"],
)
def test_open_days_in_france(day: date):
    assert FR.is_business_day(day)


def test_roll_forward_over_a_weekend_and_a_holiday():
    """Saturday 12 July 2025 -> Sunday 13 -> Monday 14 (holiday) -> Tuesday 15."""
    assert FR.roll_forward(date(2025, 7, 12)) == date(2025, 7, 15)
    assert FR.roll_forward(date(2025, 7, 14)) == date(2025, 7, 15)
    assert FR.roll_forward(date(2025, 7, 15)) == date(2025, 7, 15)
    # Christmas 2025 is a Thursday: the next business day is Friday 26.
    assert FR.roll_forward(date(2025, 12, 25)) == date(2025, 12, 26)


def test_why_closed_says_why():
    assert FR.why_closed(date(2025, 7, 15)) is None
    assert FR.why_closed(date(2025, 7, 13)) == "2025-07-13 is a Sunday"
    holiday = FR.why_closed(date(2025, 7, 14))
    assert holiday is not None
    assert holiday.startswith("2025-07-14 is a public holiday in FR (")


def test_roll_forward_column_matches_the_scalar_rule():
    frame = pl.DataFrame(
        {"d": [date(2025, 7, 11), date(2025, 7, 12), date(2025, 7, 14), None]},
        schema={"d": pl.Date},
    )
    rolled = FR.roll_forward_column(frame, "d", "b").get_column("b").to_list()
    assert rolled == [date(2025, 7, 11), date(2025, 7, 15), date(2025, 7, 15), None]


def test_business_days_between():
    """Week of 14 July 2025: Mon 14 is closed, so Tue 15 to Fri 18 remain."""
    days = FR.business_days_between(date(2025, 7, 12), date(2025, 7, 20))
    assert days == [date(2025, 7, d) for d in (15, 16, 17, 18)]


def test_other_countries_and_subdivisions():
    belgium = BusinessCalendar("BE")
    assert not belgium.is_business_day(date(2025, 7, 21))  # Belgian national day
    assert FR.is_business_day(date(2025, 7, 21))
    germany = BusinessCalendar("DE")
    assert not germany.is_business_day(date(2025, 10, 3))  # German Unity Day
    # Alsace-Moselle keeps 26 December, the rest of France does not.
    moselle = BusinessCalendar("FR", "57")
    assert not moselle.is_business_day(date(2025, 12, 26))


def test_unknown_country():
    with pytest.raises(UnknownCountry):
        BusinessCalendar("XX")
    with pytest.raises(UnknownCountry):
        BusinessCalendar("FR", "99")
