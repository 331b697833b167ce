"""Per-collector figures on a small team, worked by hand.

March 2024, as of 31 March. Actions (all contacted):
  1 Alice email 1.00, 2 Alice email 1.00, 3 Alice phone 4.00 (F3 500.00 paid 10 Mar),
  4 Bob phone 4.00, 5 nobody email 1.00.
Alice: 3 actions, 1 call, cost 6.00, collected after 500.00; promises 100.00 due
20 Mar kept and 200.00 due 10 Apr (not yet due): 2 promises, 1 due, 1 kept, rate 1;
disputes opened 1 Mar closed 11 Mar (10 days) and 21 Mar (20 days): 2 resolved,
mean and median 15 days.
Bob: 1 action, 1 call, 4.00; a promise of 50.00 due 25 Mar broken: rate 0; one
dispute still open.
"""

from datetime import date
from decimal import Decimal

import polars as pl
from tests.roi.books import actions, items, ledger

from relance.roi.measures import measure
from relance.roi.team import (
    DISPUTE_SCHEMA,
    PROMISE_SCHEMA,
    UNASSIGNED,
    team_before_after,
    team_figures,
)

MAR, END = date(2024, 3, 1), date(2024, 3, 31)


def _team():
    book = ledger(
        [(3, 3, date(2024, 1, 1), date(2024, 2, 1), 50000)],
        paid=[(3, date(2024, 3, 10), 50000)],
    )
    names = {1: "alice", 2: "alice", 3: "alice", 4: "bob"}
    log = pl.concat(
        [
            actions(
                [
                    (1, 1, MAR, False, 100),
                    (2, 2, MAR, False, 100),
                    (5, 5, MAR, False, 100),
                ],
                collectors=names,
            ),
            actions(
                [(3, 3, date(2024, 3, 5), False, 400), (4, 4, MAR, False, 400)],
                channel="phone",
                collectors=names,
            ),
        ]
    )
    m = measure(log, items([(3, 3, 50000)]), book, 30)
    promises = pl.DataFrame(
        [
            ("alice", date(2024, 3, 5), date(2024, 3, 20), 10000, "EUR", "kept"),
            ("alice", date(2024, 3, 6), date(2024, 4, 10), 20000, "EUR", "open"),
            ("bob", date(2024, 3, 7), date(2024, 3, 25), 5000, "EUR", "broken"),
        ],
        schema=PROMISE_SCHEMA,
        orient="row",
    )
    disputes = pl.DataFrame(
        [
            ("alice", MAR, date(2024, 3, 11)),
            ("alice", MAR, date(2024, 3, 21)),
            ("bob", date(2024, 3, 15), None),
        ],
        schema=DISPUTE_SCHEMA,
        orient="row",
    )
    return m, promises, disputes


def test_team_figures():
    m, promises, disputes = _team()
    rows = {
        r.collector: r
        for r in team_figures(
            m.actions, m.attributed, promises, disputes, "EUR", MAR, END, END
        )
    }
    assert set(rows) == {"alice", "bob", UNASSIGNED}
    alice, bob = rows["alice"], rows["bob"]
    assert (alice.actions, alice.calls, alice.cost, alice.collected_after) == (
        3,
        1,
        Decimal("6.00"),
        Decimal("500.00"),
    )
    assert (
        alice.promises,
        alice.promised,
        alice.promises_due,
        alice.promises_kept,
    ) == (2, Decimal("300.00"), 1, 1)
    assert alice.kept_rate == 1
    assert (
        alice.disputes_resolved,
        alice.days_to_resolve_mean,
        alice.days_to_resolve_median,
        alice.disputes_open,
    ) == (2, Decimal("15.0"), Decimal("15.0"), 0)
    assert (bob.actions, bob.calls, bob.kept_rate, bob.disputes_open) == (1, 1, 0, 1)
    assert rows[UNASSIGNED].actions == 1


def test_team_before_and_after_a_training_day():
    """Split on 5 March: Alice's phone call (5 Mar) and its 500.00 fall after."""
    m, promises, disputes = _team()
    before, after = team_before_after(
        m.actions,
        m.attributed,
        promises,
        disputes,
        "EUR",
        MAR,
        date(2024, 3, 5),
        END,
        END,
    )
    alice_before = next(r for r in before if r.collector == "alice")
    alice_after = next(r for r in after if r.collector == "alice")
    assert (alice_before.actions, alice_before.collected_after) == (2, Decimal("0.00"))
    assert (alice_after.actions, alice_after.collected_after) == (1, Decimal("500.00"))
