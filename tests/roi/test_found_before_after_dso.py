"""Found: the before/after DSO was its own formula, with a negative DSO on credits.

relance.roi.before_after computed its own accounting DSO (receivables / sales ×
days) where relance.figures has the one DSO of relance (docs/figures.md), which
gives no DSO when the period's sales are zero or negative. On a period where
credit notes outweigh invoices the ROI's DSO came out negative, and the DSO
treasury line turned it into cash.

Worked by hand, periods of 60 days, one customer:
- F1 1,000.00 issued 10 January 2024, due 9 February, never paid;
- credit note A9 of 300.00 on F1, issued and applied 5 March;
- payment P9 of 50.00 received 10 April, applied to nothing (unapplied cash).

Before (1 January – 29 February): sales 1,000.00, receivables 1,000.00 on
29 February, DSO = 1,000 / 1,000 × 60 = 60 days.
After (1 March – 29 April): sales = −300.00 (only the credit note); receivables on
29 April = 1,000 − 300 − 50 (unapplied cash counts negative) = 650.00; the DSO is
not measurable (sales ≤ 0): None, where the old code gave 650 / −300 × 60 = −130
days. The change of DSO is then unknown too. Collections 50.00. The bad-debt
ratio (write-offs / sales) is unknown too for the same reason: None, where the old
code gave 0 / −300 = 0 %; before, 0 / 1,000 = 0.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import polars as pl
from tests.roi.books import actions, items, ledger

from relance.domain.ledger import PAYMENT_SCHEMA
from relance.roi.before_after import compare_periods, period_figures
from relance.roi.measures import measure


def test_dso_follows_the_figures_module():
    book = ledger(
        [(1, 1, date(2024, 1, 10), date(2024, 2, 9), 100000)],
        credits=[(9, 1, date(2024, 3, 5), 30000)],
    )
    cash = pl.DataFrame(
        [(9, "P9", 1, "C1", date(2024, 4, 10), 5000, "EUR")],
        schema=PAYMENT_SCHEMA,
        orient="row",
    )
    book = replace(book, payments=pl.concat([book.payments, cash]))
    m = measure(actions([]), items([]), book, 30)
    before = period_figures(
        book, m.actions, m.attributed, date(2024, 1, 1), date(2024, 2, 29), "EUR"
    )
    after = period_figures(
        book, m.actions, m.attributed, date(2024, 3, 1), date(2024, 4, 29), "EUR"
    )
    assert (before.sales, before.receivables, before.dso) == (
        Decimal("1000.00"),
        Decimal("1000.00"),
        Decimal(60),
    )
    assert (after.sales, after.receivables, after.dso) == (
        Decimal("-300.00"),
        Decimal("650.00"),
        None,
    )
    assert after.collections == Decimal("50.00")
    assert (before.bad_debt_ratio, after.bad_debt_ratio) == (Decimal(0), None)
    assert compare_periods(before, after).changes["dso"] is None
