"""Days sales outstanding (DSO, délai moyen de paiement clients).

Contracts: inputs are integer minor units of one currency and calendar days;
results are unrounded `Decimal` days (rounding is `relance.figures.units`), or
None when they cannot be measured:
- accounting DSO = AR / sales × days of the period; None when sales ≤ 0 (no
  sales to measure against; a negative AR gives a negative DSO);
- best possible DSO (DSO incompressible) = not-yet-due AR / sales × days, the DSO
  the firm would have if every customer paid at terms;
- days delinquent (retard moyen) = accounting DSO − best possible DSO
  = (AR − not-yet-due AR) / sales × days, computed exactly, rounded once;
- count-back DSO (DSO par épuisement du chiffre d'affaires): the AR is exhausted
  with the most recent sales, month by month; every month used up whole adds its
  days, the month that exhausts it adds the prorated share of its days. 0 when the
  AR is not positive; None when all the recorded sales cannot exhaust it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal


def accounting_dso(receivables: int, sales: int, days: int) -> Decimal | None:
    """AR / sales × days; None when sales are not positive."""
    if sales <= 0:
        return None
    return Decimal(receivables) * days / Decimal(sales)


def best_possible_dso(not_due: int, sales: int, days: int) -> Decimal | None:
    """Not-yet-due AR / sales × days; None when sales are not positive."""
    return accounting_dso(not_due, sales, days)


def days_delinquent(
    receivables: int, not_due: int, sales: int, days: int
) -> Decimal | None:
    """Accounting DSO minus best possible DSO, computed in one division."""
    return accounting_dso(receivables - not_due, sales, days)


def countback_dso(
    receivables: int, months: Iterable[tuple[int, int]]
) -> Decimal | None:
    """Exhaust `receivables` with `months` of (sales, days), the newest first.

    The first month is the as-of month with its sales and days up to the as-of
    date; then whole earlier months. A month whose sales do not cover what is
    left adds all its days (a month with negative sales leaves more to cover).
    """
    if receivables <= 0:
        return Decimal(0)
    left = receivables
    counted = 0
    for sales, days in months:
        if 0 < sales and left <= sales:
            return counted + Decimal(left) * days / Decimal(sales)
        left -= sales
        counted += days
    return None
