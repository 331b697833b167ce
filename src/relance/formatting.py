"""Numbers, money and dates as a reader of a given locale writes them (Babel).

One place for every human-facing rendering of a figure: the HTML report uses it,
and the reminder templates can (same `format_money(value, locale)` signature).

Contracts:
- `locale` is a Babel locale name: `"fr"` (the default everywhere in relance),
  `"en"`, `"fr_BE"`, ...; Babel's spacing is kept as is: French groups thousands
  with a narrow no-break space (U+202F) and puts a no-break space (U+00A0) before
  `€` and `%`: `12 345,67 €`, `45,2 %`; English writes `€12,345.67`, `45.2%`;
- money is rounded to the currency's minor unit, half up, once, here;
- ratios (fractions of 1), days and plain numbers are rounded half up to the
  requested number of decimals, and a value that rounds to zero is never
  written with a minus sign;
- a missing figure (`None`: not measurable) is written `MISSING` (an em dash).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_skeleton
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
)
from babel.units import format_unit

from relance.domain.money import Money, from_minor, quantize

DEFAULT_LOCALE = "fr"
MISSING = "—"


def _rounded(value: Decimal, digits: int) -> Decimal:
    """Half up to `digits` decimals; -0 becomes 0 (nobody wants to read -0,0)."""
    result = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return abs(result) if result.is_zero() else result


def _pattern(digits: int) -> str:
    """A decimal pattern with grouping and exactly `digits` decimals."""
    return "#,##0" + ("." + "0" * digits if digits > 0 else "")


def format_amount(amount: Decimal, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """An amount in `currency`, rounded to its minor unit: `12 345,67 €`."""
    shown = quantize(amount, currency)
    if shown.is_zero():
        shown = abs(shown)
    return str(format_currency(shown, currency, locale=locale))


def format_money(value: Money, locale: str = DEFAULT_LOCALE) -> str:
    """A `Money` as the locale writes it (see `format_amount`)."""
    return format_amount(value.amount, value.currency, locale)


def format_minor(units: int, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """An amount given in integer minor units (as the store and the figures hold)."""
    return format_amount(from_minor(int(units), currency), currency, locale)


def format_compact_amount(
    amount: Decimal, currency: str, locale: str = DEFAULT_LOCALE
) -> str:
    """An amount abbreviated for a chart's axis: `1,5 M €`, `€1.5M`."""
    return str(
        format_compact_currency(amount, currency, locale=locale, fraction_digits=1)
    )


def format_compact_number(value: Decimal | int, locale: str = DEFAULT_LOCALE) -> str:
    """A number abbreviated for a chart's axis: `1,5 k`, `1.5K`."""
    return str(format_compact_decimal(value, locale=locale, fraction_digits=1))


def format_number(
    value: Decimal | int | None, locale: str = DEFAULT_LOCALE, digits: int = 0
) -> str:
    """A plain number with grouping and `digits` decimals: `1 234,5`."""
    if value is None:
        return MISSING
    shown = _rounded(Decimal(value), digits)
    return str(format_decimal(shown, format=_pattern(digits), locale=locale))


def format_percent(
    fraction: Decimal | None, locale: str = DEFAULT_LOCALE, digits: int = 1
) -> str:
    """A fraction of 1 as a percentage with `digits` decimals: 0.452 → `45,2 %`.

    The locale's own percent pattern decides the spacing and the sign's place.
    """
    if fraction is None:
        return MISSING
    shown = _rounded(Decimal(fraction) * 100, digits) / 100
    pattern = Locale.parse(locale).percent_formats[None].pattern
    wanted = pattern.replace("#,##0", _pattern(digits), 1)
    # Babel scales by 100 itself when it applies a percent pattern.
    return str(format_decimal(shown, format=wanted, locale=locale))


def format_days(
    days: Decimal | None, locale: str = DEFAULT_LOCALE, digits: int = 1
) -> str:
    """A number of days with its unit in the locale's short form: `73,7 j`."""
    if days is None:
        return MISSING
    shown = _rounded(Decimal(days), digits)
    return str(
        format_unit(
            shown,
            "duration-day",
            length="short",
            format=_pattern(digits),
            locale=locale,
        )
    )


def format_date(
    day: date | None, locale: str = DEFAULT_LOCALE, style: str = "long"
) -> str:
    """A date in the locale's `short`, `medium`, `long` or `full` style."""
    if day is None:
        return MISSING
    return str(babel_date(day, format=style, locale=locale))


def format_month(day: date, locale: str = DEFAULT_LOCALE) -> str:
    """The month and year of a date, abbreviated: `mars 2024`, `Mar 2024`."""
    return str(format_skeleton("yMMM", day, locale=locale))
