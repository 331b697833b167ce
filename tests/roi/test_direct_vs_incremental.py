"""Direct and incremental return on a small holdout table worked by hand.

Campaign "spring", step email_2, all actions on 1 March 2024, window 30 days
(receipts from 2 to 31 March count). Contacted actions cost 5.00 each.

    customer  group      invoice  stake     paid            in window?
    1         contacted  F1       1000.00   10 Mar 1000.00  yes
    2         contacted  F2       1000.00   —               —
    3         contacted  F3       2000.00   31 Mar 2000.00  yes (day 30, last day)
    4         held out   F4       1000.00    5 Mar 1000.00  yes
    5         held out   F5       3000.00    1 Apr 3000.00  no (day 31)

Direct (attributed, not caused): collected 1000 + 2000 = 3000.00, cost 3 × 5 = 15.00,
ROI = (3000 − 15) / 15 = 199, cost per euro collected = 15 / 3000 = 0.005.

Incremental: contacted rate by amount 3000 / 4000 = 0.75, held out 1000 / 4000 =
0.25, uplift 0.50; by count 2/3 − 1/2 = 1/6. Incremental amount = 0.50 × 4000 =
2000.00; incremental ROI = (2000 − 15) / 15 = 132.333…: the direct ROI (199)
overstates it by half.
"""

from datetime import date
from decimal import Decimal

import pytest
from tests.roi.books import actions, items, ledger

from relance.roi.attribution import LABEL, direct_return
from relance.roi.incremental import customer_table, incremental_return
from relance.roi.measures import measure

MAR1 = date(2024, 3, 1)


@pytest.fixture
def measured():
    book = ledger(
        [
            (1, 1, date(2024, 1, 21), date(2024, 2, 20), 100000),
            (2, 2, date(2024, 1, 21), date(2024, 2, 20), 100000),
            (3, 3, date(2024, 1, 21), date(2024, 2, 20), 200000),
            (4, 4, date(2024, 1, 21), date(2024, 2, 20), 100000),
            (5, 5, date(2024, 1, 21), date(2024, 2, 20), 300000),
        ],
        paid=[
            (1, date(2024, 3, 10), 100000),
            (3, date(2024, 3, 31), 200000),
            (4, date(2024, 3, 5), 100000),
            (5, date(2024, 4, 1), 300000),
        ],
    )
    log = actions([(a, a, MAR1, a >= 4, 0 if a >= 4 else 500) for a in range(1, 6)])
    stakes = items(
        [
            (a, a, amount)
            for a, amount in zip(range(1, 6), (100000, 100000, 200000, 100000, 300000))
        ]
    )
    return measure(log, stakes, book, window=30)


def test_direct_return(measured):
    (total,) = direct_return(measured.actions, measured.attributed, [])
    assert total.actions == 3
    assert total.cost == Decimal("15.00")
    assert total.stake == Decimal("4000.00")
    assert total.collected == Decimal("3000.00")
    assert total.roi == Decimal(199)
    assert total.cost_per_unit_collected == Decimal("0.005")
    assert total.label == LABEL == "attributed, not caused"


def test_incremental_return(measured):
    table = customer_table(measured.actions, measured.collected, [])
    (result,) = incremental_return(table, [], reps=200, seed=1)
    assert result.contacted.rate_amount == Decimal("0.75")
    assert result.held_out.rate_amount == Decimal("0.25")
    assert result.uplift_amount == Decimal("0.5")
    assert result.uplift_count == Decimal(2) / 3 - Decimal(1) / 2
    assert result.incremental_amount == Decimal("2000.00")
    assert result.roi == (Decimal(2000) - 15) / 15
    assert result.roi < Decimal(199)
    # Three and two customers: far too few, and the output says so.
    assert not result.conclusive
    assert any("too few to conclude" in w for w in result.warnings)


def test_breakdown_by_step_adds_up_to_the_total(measured):
    rows = direct_return(measured.actions, measured.attributed, ["step", "channel"])
    assert [r.key for r in rows] == [{"step": "email_2", "channel": "email"}]
    assert rows[0].collected == Decimal("3000.00")
