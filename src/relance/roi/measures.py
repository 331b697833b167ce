"""The common first step of every ROI figure: actions grouped, invoices measured.

`measure` takes the action log and the ledger and returns the frames the other
modules read, so the direct and the incremental return, the team and the report
all count the same cash the same way (see `actions`, `collections` and
`attribution` for the rules).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from relance.domain.ledger import Ledger
from relance.roi.actions import exposure, with_group, with_period
from relance.roi.attribution import attribute_last_touch
from relance.roi.collections import implied_items, receipts, window_collections


@dataclass(frozen=True)
class Measured:
    """Actions with `group` and `period`; their invoices with window collections.

    `collected`: one row per (action, invoice) of any group, with `stake`,
    `collected` and `paid_in_full` over the action's own window. `attributed`:
    contacted rows only, with `attributed` (last touch, never counted twice).
    """

    actions: pl.DataFrame
    collected: pl.DataFrame
    attributed: pl.DataFrame
    window: int


def measure(
    actions: pl.DataFrame, items: pl.DataFrame, ledger: Ledger, window: int
) -> Measured:
    """Group the actions and measure what was collected after each of them."""
    if window < 1:
        raise ValueError(f"the window must be at least one day, not {window}")
    grouped = with_period(with_group(actions))
    every_item = pl.concat([items, implied_items(actions, items, ledger)])
    exposed = exposure(grouped, every_item)
    paid = receipts(ledger)
    return Measured(
        actions=grouped,
        collected=window_collections(exposed, paid, window),
        attributed=attribute_last_touch(exposed, paid, window),
        window=window,
    )
