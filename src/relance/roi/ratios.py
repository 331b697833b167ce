"""Exact ratios and the one place statistics' floats become money again.

Contracts:
- ratios of integer sums are exact `Decimal` quotients (28 significant digits),
  None when the denominator is zero: a rate of nothing is not zero, it is unknown;
- `money_from_float` is the only door from a float (a bootstrap bound, a survival
  estimate) back to money: through `repr`, then quantised half up to the
  currency's minor unit by `relance.domain.money.quantize`;
- a float that rounds to zero gives 0, never "-0.00" (a tiny negative draw of a
  bootstrap would otherwise print with a minus sign).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from relance.domain.money import from_minor, minor_digits, quantize


def ratio(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """numerator / denominator as a Decimal; None when the denominator is zero."""
    if denominator == 0:
        return None
    return Decimal(numerator) / Decimal(denominator)


def return_on(gain: Decimal, cost: Decimal) -> Decimal | None:
    """ROI = (gain − cost) / cost; None when nothing was spent."""
    if cost == 0:
        return None
    return (gain - cost) / cost


def money(minor: int, currency: str) -> Decimal:
    """A Decimal amount from integer minor units."""
    return from_minor(int(minor), currency)


def _unsigned_zero(value: Decimal) -> Decimal:
    """`value`, with a negative zero made plain zero."""
    return value.copy_abs() if value.is_zero() else value


def money_from_float(value: float, currency: str) -> Decimal:
    """A statistic's float in major units, as money quantised to the minor unit."""
    return _unsigned_zero(quantize(Decimal(repr(float(value))), currency))


def money_from_minor_float(value: float, currency: str) -> Decimal:
    """A statistic's float in minor units, as money quantised to the minor unit."""
    major = Decimal(repr(float(value))).scaleb(-minor_digits(currency))
    return _unsigned_zero(quantize(major, currency))


def decimal_from_float(value: float, places: int = 4) -> Decimal:
    """A statistic's float (a rate, a number of days) as a Decimal with `places`."""
    exponent = Decimal(1).scaleb(-places)
    rounded = Decimal(repr(float(value))).quantize(exponent, rounding=ROUND_HALF_UP)
    return _unsigned_zero(rounded)
