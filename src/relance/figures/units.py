"""How figures are rounded and written.

Contracts:
- money is an exact `Decimal` from integer minor units (`relance.domain.money`);
  sums are made in minor units first, so there is nothing to round;
- ratios are computed in `Decimal` from the integer sums, never in float, and
  rounded once, at the end, half up: rates (fractions of 1) to 4 decimals, days
  (DSO, delays) to 1 decimal, percentages (CEI) to 2 decimals;
- a ratio whose denominator is zero (or, where said, not positive) is `None`,
  written `null` in JSON.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import polars as pl

from relance.domain.money import minor_digits

RATE = Decimal("0.0001")
DAYS = Decimal("0.1")
PERCENT = Decimal("0.01")


@lru_cache(maxsize=64)
def _digits(currency: str) -> int:
    return minor_digits(currency)


def money(minor: int, currency: str) -> Decimal:
    """An exact amount from minor units, as `relance.domain.money.from_minor`.

    The currency's digits are looked up once: a book's JSON converts hundreds of
    thousands of amounts (five per customer).
    """
    return Decimal(int(minor)).scaleb(-_digits(currency))


def ratio(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """The unrounded quotient, or None when the denominator is zero."""
    if denominator == 0:
        return None
    return Decimal(numerator) / Decimal(denominator)


def rounded(value: Decimal | None, step: Decimal) -> Decimal | None:
    """Round half up to `step` (RATE, DAYS or PERCENT); None stays None."""
    if value is None:
        return None
    result = value.quantize(step, rounding=ROUND_HALF_UP)
    # A tiny negative ratio rounds to -0.0; nobody wants to read that.
    return abs(result) if result.is_zero() else result


def text(value: Decimal | None) -> str | None:
    """A decimal as JSON writes it: a string, or None."""
    return None if value is None else str(value)


def money_text(minor: pl.Expr, currency: str) -> pl.Expr:
    """Minor units as the exact decimal string `str(money(...))` gives, column-wise.

    Built from integer division and remainder, so it is exact: `-5` EUR cents is
    `"-0.05"`, 250 JPY `"250"`.
    """
    digits = _digits(currency)
    if digits == 0:
        return minor.cast(pl.Utf8)
    unit = 10**digits
    size = minor.abs()
    return pl.concat_str(
        pl.when(minor < 0).then(pl.lit("-")).otherwise(pl.lit("")),
        (size // unit).cast(pl.Utf8),
        pl.lit("."),
        (size % unit).cast(pl.Utf8).str.zfill(digits),
    )
