"""Treasury, compensatory revenue and payback: worked examples by hand."""

from datetime import date
from decimal import Decimal

import pytest
from tests.roi.books import ledger

from relance.roi.bad_debt import bad_debt_period, compensatory_revenue
from relance.roi.payback import payback, roi_after
from relance.roi.treasury import ONE_OFF_NOTE, cash_from_days_sooner, treasury_gain


def test_treasury_gain():
    """DSO from 62 to 54 days: 8 days gained. Sales incl. VAT 3,650,000.00 over 365
    days = 10,000.00 a day. Cash released = 8 × 10,000 = 80,000.00, once. At a 4.5 %
    overdraft rate it saves 80,000 × 0.045 = 3,600.00 a year."""
    gain = treasury_gain(Decimal(8), Decimal(3650000), 365, Decimal("0.045"), "EUR")
    assert gain.sales_per_day == Decimal("10000.00")
    assert gain.cash_released == Decimal("80000.00")
    assert gain.financing_value_per_year == Decimal("3600.00")
    assert "once" in gain.note == ONE_OFF_NOTE


def test_treasury_gain_rounds_only_at_the_end():
    """2.5 days × 1,000,000.00 / 360 days = 6,944.444… → 6,944.44; × 3 % =
    208.333… → 208.33 (not 6,944.44 × 0.03 = 208.3332 rounded, which agrees here,
    but the unrounded product is what is quantised)."""
    gain = treasury_gain(Decimal("2.5"), Decimal(1000000), 360, Decimal("0.03"), "EUR")
    assert gain.cash_released == Decimal("6944.44")
    assert gain.financing_value_per_year == Decimal("208.33")


def test_cash_from_days_sooner():
    """730,000.00 contacted in a year, paid 3 days sooner: 730,000 × 3 / 365 = 6,000.00
    more cash held on average."""
    assert cash_from_days_sooner(Decimal(730000), Decimal(3), 365) == Decimal(6000)


def test_compensatory_revenue():
    """A loss of 12,000.00 incl. 20 % VAT is 10,000.00 excl. VAT; at a 5 % net
    margin the company must sell 10,000 / 0.05 = 200,000.00 to earn it back."""
    result = compensatory_revenue(
        Decimal(12000), Decimal("0.20"), Decimal("0.05"), "EUR"
    )
    assert result.loss_excl_vat == Decimal("10000.00")
    assert result.revenue_needed == Decimal("200000.00")


def test_compensatory_revenue_needs_a_margin():
    with pytest.raises(ValueError, match="margin"):
        compensatory_revenue(Decimal(1), Decimal("0.2"), Decimal(0), "EUR")


def test_bad_debt_ratio_of_a_period():
    """2024: sales 1,000.00 + 3,000.00 − credit 500.00 = 3,500.00; write-off of
    70.00 on 30 June → ratio 70 / 3,500 = 0.02. The 2023 invoice is outside."""
    book = ledger(
        [
            (1, 1, date(2023, 12, 1), date(2024, 1, 1), 50000),
            (2, 1, date(2024, 2, 1), date(2024, 3, 1), 100000),
            (3, 2, date(2024, 5, 1), date(2024, 6, 1), 300000),
        ],
        written=[(2, date(2024, 6, 30), 7000)],
        credits=[(9, 3, date(2024, 5, 10), 50000)],
    )
    period = bad_debt_period(book, date(2024, 1, 1), date(2024, 12, 31), "EUR")
    assert period.sales == Decimal("3500.00")
    assert period.writeoffs == Decimal("70.00")
    assert period.ratio == Decimal("0.02")


def test_payback():
    """Set-up 6,000.00, running 500.00 a month, benefit 1,700.00 a month: net
    1,200.00 a month, break-even after 6,000 / 1,200 = 5 months.
    ROI at 12 months = (12 × 1,700 − (6,000 + 12 × 500)) / 12,000 = 8,400 / 12,000
    = 0.7; at 36 months = (61,200 − 24,000) / 24,000 = 1.55."""
    result = payback(Decimal(6000), Decimal(500), Decimal(1700), "EUR")
    assert result.months_to_break_even == Decimal(5)
    assert result.break_even_month == 5
    assert result.roi_12_months == Decimal("0.7")
    assert result.roi_36_months == Decimal("1.55")


def test_payback_in_a_part_month_and_never():
    """6,000 / (1,400 − 500) = 6.67 months: break-even at the end of month 7.
    With a benefit of 400 below the 500 running cost it never pays back; its ROI
    at 12 months = (12 × 400 − (6,000 + 12 × 500)) / 12,000 = (4,800 − 12,000) /
    12,000 = −0.6."""
    result = payback(Decimal(6000), Decimal(500), Decimal(1400), "EUR")
    assert result.break_even_month == 7
    assert round(result.months_to_break_even, 2) == Decimal("6.67")
    never = payback(Decimal(6000), Decimal(500), Decimal(400), "EUR")
    assert never.months_to_break_even is None and never.break_even_month is None
    assert roi_after(12, Decimal(6000), Decimal(500), Decimal(400)) == Decimal("-0.6")
