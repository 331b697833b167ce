"""Treasury: the cash a shorter DSO releases, and what that cash is worth a year.

Contracts:
- sales per day = sales of the period (`relance.figures.sales.sales_between`)
  / calendar days of the period, on the same
  VAT basis as the DSO (relance's DSO divides receivables including VAT by sales
  including VAT, so both are tax-inclusive here);
- cash released = days of DSO gained × sales per day. It is received **once**: a
  lower DSO frees that cash one time, it does not bring it again every year;
- financing value per year = cash released × the yearly cost of money (overdraft,
  factoring or credit-line rate): what the company stops paying, or starts
  earning, each year the shorter DSO holds;
- cash collected sooner: when an amount A comes in d days sooner, the company
  holds on average A × d / P more cash over a period of P days;
- all money in `Decimal`, quantised half up to the currency only in the returned
  values; rates are fractions of 1 (4.5 % is 0.045).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from relance.domain.money import quantize

ONE_OFF_NOTE = (
    "The released cash comes in once; only its financing value recurs, each year "
    "the shorter DSO holds."
)


@dataclass(frozen=True)
class TreasuryGain:
    """Cash released by a DSO reduction and its yearly financing value."""

    currency: str
    days_gained: Decimal
    sales: Decimal
    period_days: int
    sales_per_day: Decimal
    cash_released: Decimal
    annual_rate: Decimal
    financing_value_per_year: Decimal
    note: str = ONE_OFF_NOTE


def cash_released(days_gained: Decimal, sales: Decimal, period_days: int) -> Decimal:
    """Days gained × sales per day, unrounded."""
    if period_days <= 0:
        raise ValueError(f"a period of {period_days} days has no sales per day")
    return days_gained * sales / Decimal(period_days)


def treasury_gain(
    days_gained: Decimal,
    sales: Decimal,
    period_days: int,
    annual_rate: Decimal,
    currency: str,
) -> TreasuryGain:
    """Cash released by `days_gained` days of DSO, and its financing value a year."""
    released = cash_released(days_gained, sales, period_days)
    return TreasuryGain(
        currency=currency,
        days_gained=days_gained,
        sales=quantize(sales, currency),
        period_days=period_days,
        sales_per_day=quantize(sales / Decimal(period_days), currency),
        cash_released=quantize(released, currency),
        annual_rate=annual_rate,
        financing_value_per_year=quantize(released * annual_rate, currency),
    )


def cash_from_days_sooner(
    amount: Decimal, days_sooner: Decimal, period_days: int
) -> Decimal:
    """Average extra cash held when `amount` comes in `days_sooner` days early."""
    if period_days <= 0:
        raise ValueError(f"a period of {period_days} days cannot hold cash")
    return amount * days_sooner / Decimal(period_days)
