"""Before/after on two periods of 60 days, worked by hand.

Before: 1 Jan – 29 Feb 2024. F1 1,000.00 issued 10 Jan, due 9 Feb, paid 19 Feb
(10 days late); F2 2,000.00 issued 15 Feb, due 16 Mar, open on 29 Feb.
Sales 3,000.00; receivables on 29 Feb = 2,000.00; DSO = 2,000 / 3,000 × 60 = 40.
Collections 1,000.00, days late 10, on time 0.

After: 1 Mar – 29 Apr 2024. F3 1,000.00 issued 5 Mar, due 4 Apr, paid 4 Apr (on
time); F2 paid 26 Mar (10 days late), after a reminder on 20 Mar costing 1.00.
Sales 1,000.00; receivables on 29 Apr = 0; DSO 0. Collections 3,000.00; days late
= (2,000 × 10 + 1,000 × 0) / 3,000 = 6.67; on time 1,000 / 3,000 = 1/3.
Reminders 1, cost 1.00, collected after 2,000.00. DSO change −40 days.
"""

from datetime import date
from decimal import Decimal

from tests.roi.books import actions, items, ledger

from relance.roi.before_after import NOT_CAUSAL, compare_periods, period_figures
from relance.roi.measures import measure


def test_before_after():
    book = ledger(
        [
            (1, 1, date(2024, 1, 10), date(2024, 2, 9), 100000),
            (2, 1, date(2024, 2, 15), date(2024, 3, 16), 200000),
            (3, 1, date(2024, 3, 5), date(2024, 4, 4), 100000),
        ],
        paid=[
            (1, date(2024, 2, 19), 100000),
            (2, date(2024, 3, 26), 200000),
            (3, date(2024, 4, 4), 100000),
        ],
    )
    m = measure(
        actions([(1, 1, date(2024, 3, 20), False, 100)]),
        items([(1, 2, 200000)]),
        book,
        30,
    )
    before = period_figures(
        book, m.actions, m.attributed, date(2024, 1, 1), date(2024, 2, 29), "EUR"
    )
    after = period_figures(
        book, m.actions, m.attributed, date(2024, 3, 1), date(2024, 4, 29), "EUR"
    )
    assert (before.sales, before.receivables, before.dso) == (
        Decimal("1000.00") * 3,
        Decimal("2000.00"),
        Decimal(40),
    )
    assert (before.collections, before.days_late, before.on_time_rate_amount) == (
        Decimal("1000.00"),
        Decimal(10),
        Decimal(0),
    )
    assert (after.sales, after.receivables, after.dso) == (
        Decimal("1000.00"),
        Decimal("0.00"),
        Decimal(0),
    )
    assert after.days_late == Decimal(20) / 3
    assert after.on_time_rate_amount == Decimal(1) / 3
    assert (after.reminders, after.reminder_cost, after.collected_after_reminders) == (
        1,
        Decimal("1.00"),
        Decimal("2000.00"),
    )
    result = compare_periods(before, after)
    assert result.changes["dso"] == Decimal(-40)
    assert result.label == NOT_CAUSAL
