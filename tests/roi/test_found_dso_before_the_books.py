"""Found: a DSO "gain" drawn from a period the books do not cover.

On the demo (first invoice 1 December 2023), `relance roi --from 2024-06-01 --to
2025-05-31` compared with the previous 365 days, 2 June 2023 – 31 May 2024, of
which only six months have invoices. That period's DSO came out at 133.0 days
against 64.0, and the treasury section announced 6,474,845.05 EUR of cash
released by the DSO change: an artefact of missing sales. relance.figures warns
when a period starts before the first invoice (docs/figures.md); the ROI must say
the same and draw no cash from that DSO change.

Worked by hand. Periods of 60 days: previous 1 January – 29 February 2024, period
1 March – 29 April 2024. F1 1,000.00 issued 10 February 2024 (the first invoice),
due 11 March, paid 20 March; F2 1,000.00 issued 10 March, due 9 April, open.
Previous period: sales 1,000.00 (only 20 of its 60 days have books), receivables
1,000.00 on 29 February, DSO = 1,000 / 1,000 × 60 = 60 days — overstated.
Period: sales 1,000.00, receivables 1,000.00 on 29 April, DSO 60 days. The
previous period starts before 10 February 2024: a note says so, and the DSO
treasury figure is None. With the first invoice on 1 January 2024 instead, both
periods are covered: no note, and DSO 60 − 60 = 0 days gained, 0.00 released.
"""

from datetime import date
from decimal import Decimal

import polars as pl
from tests.roi.books import actions, items, ledger

from relance.roi.satisfaction import NOTE_SCHEMA, SCORE_SCHEMA
from relance.roi.team import DISPUTE_SCHEMA, PROMISE_SCHEMA
from relance.services.roi import RoiOptions, compute_roi
from relance.services.roi_store import RoiInputs


def _inputs(first_issue: date) -> RoiInputs:
    book = ledger(
        [
            (1, 1, first_issue, date(2024, 3, 11), 100000),
            (2, 1, date(2024, 3, 10), date(2024, 4, 9), 100000),
        ],
        paid=[(1, date(2024, 3, 20), 100000)],
    )
    return RoiInputs(
        ledger=book,
        actions=actions([]),
        items=items([]),
        promises=pl.DataFrame(schema=PROMISE_SCHEMA),
        disputes=pl.DataFrame(schema=DISPUTE_SCHEMA),
        scores=pl.DataFrame(schema=SCORE_SCHEMA),
        notes=pl.DataFrame(schema=NOTE_SCHEMA),
    )


OPTIONS = RoiOptions(
    as_of=date(2024, 4, 29), start=date(2024, 3, 1), end=date(2024, 4, 29), reps=50
)


def test_previous_period_before_the_first_invoice_gives_no_cash():
    result = compute_roi(_inputs(date(2024, 2, 10)), OPTIONS)
    (cur,) = result.currencies
    assert (cur.before_after.before.dso, cur.before_after.after.dso) == (60, 60)
    assert cur.treasury_dso is None
    assert any(
        "previous period 2024-01-01 to 2024-02-29" in n
        and "before the first invoice (2024-02-10)" in n
        for n in result.notes
    )


def test_covered_periods_keep_the_dso_treasury():
    result = compute_roi(_inputs(date(2024, 1, 1)), OPTIONS)
    (cur,) = result.currencies
    assert not any("first invoice" in n for n in result.notes)
    assert cur.treasury_dso is not None
    assert cur.treasury_dso.days_gained == 0
    assert cur.treasury_dso.cash_released == Decimal("0.00")
