"""Found: `--by collector` named the actions without a collector "None".

On the demo, `relance roi --by period,collector,channel,campaign` printed the group
"2026-08 / None / email / demo-campaign", while the team table calls the same
actions "(unassigned)" (docs/roi.md, Team). An empty value of a breakdown must
read "(unassigned)" for a collector and "(none)" for anything else, in the direct
and the incremental rows alike (the terminal and the report pair them by key).

By hand, the worked example of test_direct_vs_incremental with no collector on
any action: by collector, one group "(unassigned)", collected 3,000.00, cost
15.00, uplift 0.50 by amount — the totals of the worked example.
"""

from datetime import date
from decimal import Decimal

from tests.roi.books import actions, items, ledger

from relance.roi.actions import key_label
from relance.roi.attribution import direct_return
from relance.roi.incremental import customer_table, incremental_return
from relance.roi.measures import measure

MAR1 = date(2024, 3, 1)


def test_empty_collector_is_unassigned():
    due = (date(2024, 1, 21), date(2024, 2, 20))
    amounts = (100000, 100000, 200000, 100000, 300000)
    book = ledger(
        [(a, a, *due, cents) for a, cents in zip(range(1, 6), amounts)],
        paid=[
            (1, date(2024, 3, 10), 100000),
            (3, date(2024, 3, 31), 200000),
            (4, date(2024, 3, 5), 100000),
            (5, date(2024, 4, 1), 300000),
        ],
    )
    log = actions([(a, a, MAR1, a >= 4, 0 if a >= 4 else 500) for a in range(1, 6)])
    stakes = items([(a, a, cents) for a, cents in zip(range(1, 6), amounts)])
    m = measure(log, stakes, book, window=30)
    (direct,) = direct_return(m.actions, m.attributed, ["collector"])
    (inc,) = incremental_return(
        customer_table(m.actions, m.collected, ["collector"]), ["collector"], 100
    )
    assert direct.key == inc.key == {"collector": "(unassigned)"}
    assert (direct.collected, direct.cost) == (Decimal("3000.00"), Decimal("15.00"))
    assert inc.uplift_amount == Decimal("0.5")


def test_labels():
    assert key_label("collector", None) == "(unassigned)"
    assert key_label("segment", None) == "(none)"
    assert key_label("step", "email_2") == "email_2"
