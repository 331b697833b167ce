"""Rate tables: reading, checking, looking up and merging."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from relance.domain.rates import (
    RateStep,
    RateTable,
    format_rates,
    merge_rates,
    parse_rates,
    to_rate_units,
)

GOOD = """# a comment
effective_date,rate_percent
2024-06-12,4.25

2024-09-18,3.65
"""


def test_parse_and_look_up():
    table, problems = parse_rates(GOOD, "r.csv")
    assert problems == []
    assert table.steps == (
        RateStep(date(2024, 6, 12), Decimal("4.25")),
        RateStep(date(2024, 9, 18), Decimal("3.65")),
    )
    assert table.on(date(2024, 6, 11)) is None
    assert table.on(date(2024, 6, 12)) == Decimal("4.25")
    assert table.on(date(2024, 9, 17)) == Decimal("4.25")
    assert table.on(date(2030, 1, 1)) == Decimal("3.65")
    assert table.steps[1].line == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "date,rate\n2024-01-01,1\n",
            "r.csv:1: header: found 'date,rate', expected 'effective_date,rate_percent'",
            id="header",
        ),
        pytest.param(
            "effective_date,rate_percent\n12/06/2024,4.25\n",
            "r.csv:2: effective_date: '12/06/2024' is not a date (expected YYYY-MM-DD)",
            id="date",
        ),
        pytest.param(
            "effective_date,rate_percent\n2024-06-12,4,25\n",
            "r.csv:2: row: 3 cells, expected 2",
            id="decimal-comma",
        ),
        pytest.param(
            "effective_date,rate_percent\n2024-06-12,abc\n",
            "r.csv:2: rate_percent: 'abc' is not a decimal rate (expected e.g. 2.15)",
            id="not-a-number",
        ),
        pytest.param(
            "effective_date,rate_percent\n2024-06-12,4.123456\n",
            "r.csv:2: rate_percent: '4.123456' has more than 4 decimals",
            id="too-fine",
        ),
        pytest.param(
            "effective_date,rate_percent\n2024-06-12,425\n",
            "r.csv:2: rate_percent: '425' is not a plausible rate in % per year",
            id="implausible",
        ),
        pytest.param(
            "effective_date,rate_percent\n2024-06-12,4.25\n2024-06-12,4.25\n",
            "r.csv:3: effective_date: duplicate date 2024-06-12",
            id="duplicate",
        ),
        pytest.param(
            "effective_date,rate_percent\n2024-09-18,3.65\n2024-06-12,4.25\n",
            "r.csv:3: effective_date: 2024-06-12 comes after 2024-09-18: sort by date",
            id="unsorted",
        ),
        pytest.param("", "r.csv:1: header: empty file", id="empty"),
        pytest.param(
            "effective_date,rate_percent\n",
            "r.csv:1: row: no rate in the file",
            id="no-row",
        ),
    ],
)
def test_problems_quote_the_bad_value(text, expected):
    _, problems = parse_rates(text, "r.csv")
    assert [str(p) for p in problems] == [expected]


def test_every_problem_is_reported():
    text = (
        "effective_date,rate_percent\nx,1\n2024-01-01,y\n2024-02-01,1\n2024-01-15,2\n"
    )
    _, problems = parse_rates(text, "r.csv")
    assert [(p.line, p.field) for p in problems] == [
        (2, "effective_date"),
        (3, "rate_percent"),
        (5, "effective_date"),
    ]


def test_rate_units():
    assert to_rate_units(Decimal("12.15")) == 121_500
    assert to_rate_units(Decimal("-0.5")) == -5_000
    with pytest.raises(ValueError, match="more than 4 decimals"):
        to_rate_units(Decimal("1.00001"))


def test_merge_adds_new_dates_and_refuses_a_rewrite():
    current, _ = parse_rates(GOOD, "current")
    new, _ = parse_rates(
        "effective_date,rate_percent\n2024-09-18,3.65\n2024-10-23,3.40\n", "new.csv"
    )
    merged, added, problems = merge_rates(current, new, "new.csv")
    assert (added, problems) == (1, [])
    assert [s.effective for s in merged.steps][-1] == date(2024, 10, 23)

    clash, _ = parse_rates("effective_date,rate_percent\n2024-09-18,3.50\n", "bad.csv")
    _, added, problems = merge_rates(current, clash, "bad.csv")
    assert added == 0
    expected = (
        "bad.csv:2: rate_percent: 2024-09-18 is already in the history at 3.65 %, "
        "not 3.50 %: use --replace to rewrite the history"
    )
    assert [str(p) for p in problems] == [expected]


def test_format_reads_back():
    table = RateTable((RateStep(date(2025, 6, 11), Decimal("2.15")),))
    text = format_rates(table, "first line\nsecond line")
    assert text.startswith("# first line\n# second line\neffective_date,rate_percent\n")
    assert parse_rates(text, "x") == (table, [])
