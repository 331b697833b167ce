"""Satisfaction beside reminder intensity, worked by hand.

Segment "smb": customers 1, 2, 3. Reminders in 2024: customer 1 got 4 (one a
registered letter), customer 2 got 1, customer 3 none → 5 reminders, 5/3 per
customer, strong share 1/5.
CSAT (1–5): customer 1 gave 2, customer 2 gave 4 and 5 → rate of 4–5 = 2/3, mean
11/3. NPS (0–10): customer 1: 3 (detractor), customer 3: 9 (promoter), customer 2:
8 (passive) → (1 − 1) / 3 × 100 = 0.
Segment "key": customer 4, no reminder, NPS 10 → +100.
By intensity: band 3-5 holds customer 1 alone: CSAT rate 0, NPS −100.
"""

from datetime import date
from decimal import Decimal

import polars as pl
from tests.roi.books import actions, ledger

from relance.roi.actions import with_group
from relance.roi.satisfaction import (
    NOTE_SCHEMA,
    SCORE_SCHEMA,
    satisfaction_by_intensity,
    satisfaction_by_segment,
)

D = date(2024, 6, 1)
START, END = date(2024, 1, 1), date(2024, 12, 31)


def _inputs():
    book = ledger([(n, n, D, D, 100) for n in (1, 2, 3, 4)], segments={4: "key"})
    log = with_group(
        pl.concat(
            [
                actions(
                    [
                        (1, 1, D, False, 0),
                        (2, 1, D, False, 0),
                        (3, 1, D, False, 0),
                        (5, 2, D, False, 0),
                    ]
                ),
                actions([(4, 1, D, False, 0)], channel="registered_letter"),
                actions([(6, 3, D, True, 0)]),  # held out: not a reminder
            ]
        )
    )
    scores = pl.DataFrame(
        [
            (1, D, "csat", 2),
            (2, D, "csat", 4),
            (2, D, "csat", 5),
            (1, D, "nps", 3),
            (3, D, "nps", 9),
            (2, D, "nps", 8),
            (4, D, "nps", 10),
            (4, date(2023, 6, 1), "nps", 0),
        ],
        schema=SCORE_SCHEMA,
        orient="row",
    )
    notes = pl.DataFrame(
        [(1, D, "tone"), (1, D, "tone"), (2, D, "process")],
        schema=NOTE_SCHEMA,
        orient="row",
    )
    return book.customers, log, scores, notes


def test_by_segment():
    key, smb = satisfaction_by_segment(*_inputs(), START, END)
    assert (smb.name, smb.customers, smb.reminders) == ("smb", 3, 5)
    assert smb.reminders_per_customer == Decimal(5) / 3
    assert smb.strong_share == Decimal("0.2")
    assert (smb.csat_responses, smb.csat_rate, smb.csat_mean) == (
        3,
        Decimal(2) / 3,
        Decimal(11) / 3,
    )
    assert (smb.nps_responses, smb.nps) == (3, Decimal(0))
    assert smb.notes == {"process": 1, "tone": 2}
    assert (key.name, key.nps, key.reminders) == ("key", Decimal(100), 0)


def test_by_intensity():
    bands = {f.name: f for f in satisfaction_by_intensity(*_inputs(), START, END)}
    assert list(bands) == ["0", "1-2", "3-5", "6+"]
    assert (bands["3-5"].customers, bands["3-5"].csat_rate, bands["3-5"].nps) == (
        1,
        Decimal(0),
        Decimal(-100),
    )
    assert bands["6+"].customers == 0 and bands["6+"].nps is None
