"""The JSON shape of the figures: units, rounding and nulls."""

from datetime import date

from relance.figures.period import months_ending
from relance.figures.summary import as_json, currency_figures

from .figure_tables import ledger


def test_nulls_when_nothing_to_measure():
    """One invoice issued in 2023, unpaid, seen over January-March 2024: no sales
    in the period (DSO, best possible, days delinquent: null), no payment (all
    delays null), AR 100.00 overdue; count-back cannot exhaust the 100.00 with
    0 + 0 + 0 of 2024 and then finds the 100.00 of December 2023: 15 + 29 + 31 days
    for Mar (to the 15th), Feb, Jan, plus 100/100 x 31 of December = 106.0.
    CEI: (100 + 0 - 100) / (100 + 0 - 0) = 0.00 %.
    Recovery: opening overdue stock F1 100 (due 31 Dec), nothing collected:
    cohort rate 0 / 100 = 0.0000. Disputes: none, share 0 / 100 = 0.0000.
    Trend: the last point (15 March) is the AR, 100.00.
    """
    books = ledger(
        """
        ref customer issue      due        amount
        F1  C1       2023-12-01 2023-12-31 100.00
        """
    )
    as_of = date(2024, 3, 15)
    got = as_json(currency_figures(books, "EUR", as_of, months_ending(as_of, 3), 3))
    assert got["sales"] == "0.00"
    assert got["dso"] == {
        "accounting": None,
        "countback": "106.0",
        "best_possible": None,
        "days_delinquent": None,
        "days_delinquent_countback": None,
    }
    assert got["cei"] == "0.00"
    assert got["delays"]["days_to_pay"] is None
    assert got["delays"]["on_time_rate_count"] is None
    assert got["delays"]["distribution"]["early"] == {"count": 0, "amount": "0.00"}
    assert got["recovery"]["cohort_rate"] == "0.0000"
    assert got["disputes"]["share"] == "0.0000"
    assert got["trend"][-1]["receivables"] == "100.00"
