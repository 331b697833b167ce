"""A small book for the report tests, with every shown figure worked by hand.

As of D = 15 March 2024, `--months 3`: the period is 1 January to 15 March 2024,
31 + 29 + 15 = 75 days; the day before it is 31 December 2023. Terms are 30 days.

C2's name, "Martin & Fils <Lyon>", holds markup characters: the page must show
them as text.

EUR documents:

    ref  customer       issued      due         amount    paid
    F0   C1 Dupont      2023-12-01  2023-12-31   800.00   P3 800 on 2024-01-30
    F1   C1 Dupont      2024-01-05  2024-02-04  1000.00   P1 600 on 2024-02-14
    F2   C2 Martin & F  2024-02-01  2024-03-02  2000.00   disputed, unpaid
    F3   C2 Martin & F  2024-03-01  2024-03-31   500.00   unpaid
    F4   C3 Durand      2024-01-20  2024-02-19   300.00   P2 300 on 2024-02-15
    P4   C3 Durand      cash 50.00 received 2024-03-10, not applied

USD: U1, customer C4 Smith Ltd, issued 2024-03-01, due 2024-03-31, 1234.50.

EUR, worked out:
- open at D: F1 1000 − 600 = 400 (due 4 Feb: 25 + 15 = 40 days past due,
  31_60), F2 2000 (due 2 March: 13 days, 1_30), F3 500 (due 31 March: −16,
  not due), P4 −50 unapplied. Receivables 2850.00, overdue 2400.00, not due
  500.00; share of overdue 2400 / 2850 = 84.2 %;
- sales of the period: F1 1000 + F2 2000 + F3 500 + F4 300 = 3800.00 (F0 was
  issued in December);
- accounting DSO = 2850 / 3800 × 75 = 56.25 → 56.3 days (half up);
  best possible DSO = 500 / 3800 × 75 = 9.87 → 9.9; days delinquent =
  2350 / 3800 × 75 = 46.38 → 46.4;
- count-back: March to the 15th 500 (15 days, 2350 left), February 2000 (29
  days, 350 left), January 1300 covers 350: 350 / 1300 × 31 = 8.346...;
  15 + 29 + 8.346... = 52.346... → 52.3 days;
- CEI: AR on 31 December = F0 800; (800 + 3800 − 2850) / (800 + 3800 − 500)
  = 1750 / 4100 = 42.68 % → 42.7 %;
- recovery: opening overdue F0 800 (due 31 December); new overdue F1 1000
  (open at the end of 4 February) + F2 2000 = 3000 (F4 was paid before its due
  date); overdue collections P3 800 (F0) + P1 600 (F1) = 1400; cohort rate
  800 / 800 = 100.0 %; period rate 1400 / 3800 = 36.8 %; no write-off, bad-debt
  ratio 0 / 4600 = 0.0 %;
- payments of the period (amount, days to pay, days beyond terms):
  P3 on F0 800, 60, +30; P1 on F1 600, 40, +10; P2 on F4 300, 26, −4.
  Days to pay (48000 + 24000 + 7800) / 1700 = 46.9; beyond terms
  (24000 + 6000 − 1200) / 1700 = 16.9; days late (24000 + 6000) / 1700 = 17.6;
  on time by count 1 / 3 = 33.3 %, by amount 300 / 1700 = 17.6 %;
  distribution: early 1 (300.00), 6_15 1 (600.00), 16_30 1 (800.00);
- disputed: F2, 2000.00, 2000 / 2850 = 70.2 % of receivables;
- cost of lateness (late days × amount, in EUR × days):
  C1: open F1 400 × 40 = 16000, paid P1 600 × 10 + P3 800 × 30 = 30000, total
  46000; C2: open F2 2000 × 13 = 26000; C3: P2 was early, P4 unapplied: 0, not
  listed. Book total 72000: shares 63.9 % and 36.1 %. C1's average days past
  due 16000 / 400 = 40.0; its average days late 30000 / 1400 = 21.4.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from relance.imports.records import (
    Application,
    CustomerRecord,
    DocumentRecord,
    ImportBatch,
    Origin,
    PaymentRecord,
)

AS_OF = date(2024, 3, 15)
MONTHS = 3
_O = Origin("book", 2)


def _doc(
    ref: str,
    customer: str,
    issued: date,
    due: date,
    amount: str,
    currency: str = "EUR",
    disputed: bool = False,
) -> DocumentRecord:
    return DocumentRecord(
        ref, customer, issued, due, Decimal(amount), currency, _O, disputed=disputed
    )


def _paid(ref: str, day: date, amount: str, invoice: str) -> PaymentRecord:
    return PaymentRecord(
        ref,
        None,
        day,
        Decimal(amount),
        None,
        _O,
        (Application(invoice, Decimal(amount)),),
    )


def report_batch() -> ImportBatch:
    """The book of the module docstring, ready for `write_batch`."""
    return ImportBatch(
        source="report test",
        customers=[
            CustomerRecord("C1", "Dupont SARL", _O),
            CustomerRecord("C2", "Martin & Fils <Lyon>", _O),
            CustomerRecord("C3", "Durand SA", _O),
            CustomerRecord("C4", "Smith Ltd", _O),
        ],
        documents=[
            _doc("F0", "C1", date(2023, 12, 1), date(2023, 12, 31), "800.00"),
            _doc("F1", "C1", date(2024, 1, 5), date(2024, 2, 4), "1000.00"),
            _doc(
                "F2", "C2", date(2024, 2, 1), date(2024, 3, 2), "2000.00", disputed=True
            ),
            _doc("F3", "C2", date(2024, 3, 1), date(2024, 3, 31), "500.00"),
            _doc("F4", "C3", date(2024, 1, 20), date(2024, 2, 19), "300.00"),
            _doc("U1", "C4", date(2024, 3, 1), date(2024, 3, 31), "1234.50", "USD"),
        ],
        payments=[
            _paid("P1", date(2024, 2, 14), "600.00", "F1"),
            _paid("P2", date(2024, 2, 15), "300.00", "F4"),
            _paid("P3", date(2024, 1, 30), "800.00", "F0"),
            PaymentRecord("P4", "C3", date(2024, 3, 10), Decimal("50.00"), "EUR", _O),
        ],
    )
