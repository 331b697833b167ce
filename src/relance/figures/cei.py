"""Collection effectiveness index (CEI, taux d'efficacité du recouvrement).

CEI = (AR before + sales − AR end) / (AR before + sales − not-yet-due AR end) × 100

where AR before is the receivables on the day before the period starts, sales
those of the period, and AR end and not-yet-due AR end are taken on the last day
of the period. The numerator is what was collected (or credited, or written off)
during the period; the denominator what could have been: everything owed except
what was not yet due at the end. 100 means every collectible amount came in.

Inputs are integer minor units of one currency; the result is an unrounded
`Decimal` percentage, None when the denominator is zero or negative: a book
whose credit notes and unapplied cash outweigh what is owed has nothing to
collect, and a ratio of two negative sums would read as an efficiency.
"""

from __future__ import annotations

from decimal import Decimal

from relance.figures.units import ratio


def collection_effectiveness(
    receivables_before: int, sales: int, receivables_end: int, not_due_end: int
) -> Decimal | None:
    """The CEI as a percentage; None when nothing was collectible."""
    available = receivables_before + sales
    collectible = available - not_due_end
    if collectible <= 0:
        return None
    share = ratio(available - receivables_end, collectible)
    return None if share is None else share * 100
