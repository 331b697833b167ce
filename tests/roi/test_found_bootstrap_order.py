"""Found: the seeded interval of the incremental return changed from run to run.

`relance roi --json` run twice on the demo store with the same seed gave two
different intervals of the incremental amount (64,013.08 to 301,823.83, then
53,870.04 to 313,896.91): the bootstrap picks customers by row position, and the
per-customer table comes out of a polars `group_by` in no fixed order.

The same customers in another row order are the same data, so with the same seed
the interval must be the same. The point estimate is worked by hand to show the
table is read right. 40 contacted customers, customer c (1 to 40) with a stake of
100.00 and 100.00 collected when c is even, 0 otherwise, cost 1.00 each; 40
held-out customers (41 to 80), stake 100.00, collected 100.00 when c is a multiple
of 4:

    contacted rate = 20 × 100 / (40 × 100) = 0.5
    held-out rate  = 10 × 100 / (40 × 100) = 0.25   (44, 48, ..., 80: 10 of them)
    uplift 0.25; incremental amount = 0.25 × 4,000.00 = 1,000.00
"""

from decimal import Decimal

import polars as pl

from relance.roi.incremental import incremental_return


def _table() -> pl.DataFrame:
    rows = []
    for c in range(1, 81):
        contacted = c <= 40
        paid = (c % 2 == 0) if contacted else (c % 4 == 0)
        rows.append(
            {
                "currency": "EUR",
                "group": "contacted" if contacted else "held_out",
                "customer_id": c,
                "stake": 10000,
                "collected": 10000 if paid else 0,
                "invoices": 1,
                "paid": 1 if paid else 0,
                "cost": 100 if contacted else 0,
            }
        )
    return pl.DataFrame(rows)


def test_same_data_in_another_order_gives_the_same_interval():
    table = _table()
    first = incremental_return(table, [], reps=200, seed=3)[0]
    assert first.uplift_amount == Decimal("0.25")
    assert first.incremental_amount == Decimal("1000.00")
    for seed in (1, 2, 3):
        shuffled = table.sample(fraction=1.0, shuffle=True, seed=seed)
        again = incremental_return(shuffled, [], reps=200, seed=3)[0]
        assert again.incremental_amount_ci == first.incremental_amount_ci
        assert again.uplift_amount_ci == first.uplift_amount_ci
        assert again.uplift_count_ci == first.uplift_count_ci
        assert again.roi_ci == first.roi_ci
