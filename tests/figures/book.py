"""The worked example of docs/figures.md: three customers, as of 15 March 2024.

Every figure test on this book derives its expected value by hand in its
docstring, from these tables only. The period is `--months 3`: 1 January to
15 March 2024, 31 + 29 + 15 = 75 days; the day before it is 31 December 2023.

Open as of 15 March 2024 (P5, dated 20 March, is after D and counts nowhere):

    item  customer  open      due         days past due        bucket
    F1    C1         600.00   2023-12-15  16+31+29+15 = 91     over_90
    F3    C2        1200.00   2024-03-01  14                   1_30  (disputed)
    F4    C2         600.00   2024-03-16  -1                   not_due
    F5    C3         300.00   2024-04-04  -20                  not_due
    A1    C1        -100.00   2024-02-20  9+15 = 24            1_30  (credit note)
    F6    C3         300.00   2023-12-31  31+29+15 = 75        61_90 (200 written off)
    P4    C3         -50.00   unapplied cash
"""

from __future__ import annotations

from datetime import date

from relance.domain.ledger import Ledger
from relance.imports.records import ImportBatch

from .figure_tables import batch, ledger

AS_OF = date(2024, 3, 15)
NAMES = {"C1": "Dupont SARL", "C2": "Martin SA", "C3": "Durand et fils"}

DOCUMENTS = """
    ref  customer  issue       due         amount   disputed
    F1   C1        2023-11-15  2023-12-15  1000.00  -
    F2   C1        2024-01-10  2024-02-09   600.00  -
    F3   C2        2024-01-31  2024-03-01  1200.00  yes
    F4   C2        2024-02-15  2024-03-16   900.00  -
    F5   C3        2024-03-05  2024-04-04   300.00  -
    A1   C1        2024-02-20  2024-02-20  -100.00  -
    F6   C3        2023-12-01  2023-12-31   500.00  -
"""
PAYMENTS = """
    ref  customer  date        amount
    P1   C1        2024-01-20  400.00
    P2   C2        2024-02-25  300.00
    P3   C1        2024-02-09  600.00
    P4   C3        2024-03-10   50.00
    P5   C1        2024-03-20  200.00
"""
APPLIED = """
    payment  document  amount
    P1       F1        400.00
    P2       F4        300.00
    P3       F2        600.00
    P5       F1        200.00
"""
WRITEOFFS = """
    document  date        amount
    F6        2024-02-29  200.00
"""


def book() -> Ledger:
    """The example as a `Ledger`."""
    return ledger(DOCUMENTS, PAYMENTS, APPLIED, writeoffs=WRITEOFFS, names=NAMES)


def book_batch() -> ImportBatch:
    """The example as an `ImportBatch`, to write into a store."""
    return batch(DOCUMENTS, PAYMENTS, APPLIED, writeoffs=WRITEOFFS, names=NAMES)
