"""Money: a `Decimal` amount with an ISO 4217 currency.

Contracts:
- amounts are never floats; building Money from a float is an error;
- amounts of different currencies are never added: that raises `CurrencyMismatch`;
- rounding to the currency's minor unit happens in one place, `quantize`, with
  ROUND_HALF_UP (the commercial rounding French invoices use);
- the store keeps integer minor units (`to_minor` / `from_minor`), lossless.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel.numbers import get_currency_precision, list_currencies

_KNOWN_CURRENCIES = frozenset(list_currencies())


class CurrencyMismatch(ValueError):
    """Two amounts of different currencies were combined."""

    def __init__(self, left: str, right: str) -> None:
        super().__init__(f"cannot combine amounts in {left} and {right}")
        self.left = left
        self.right = right


class UnknownCurrency(ValueError):
    """A currency code that is not ISO 4217."""

    def __init__(self, code: str) -> None:
        super().__init__(f"unknown currency code {code!r}: expected ISO 4217, e.g. EUR")
        self.code = code


def check_currency(code: str) -> str:
    """Return the upper-cased ISO 4217 code, or raise `UnknownCurrency`."""
    normalised = code.strip().upper()
    if normalised not in _KNOWN_CURRENCIES:
        raise UnknownCurrency(code)
    return normalised


@cache
def minor_digits(currency: str) -> int:
    """Number of decimals of the currency's minor unit (EUR 2, JPY 0, BHD 3)."""
    return int(get_currency_precision(currency))


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor unit, half up."""
    exponent = Decimal(1).scaleb(-minor_digits(currency))
    return amount.quantize(exponent, rounding=ROUND_HALF_UP)


def to_minor(amount: Decimal, currency: str) -> int:
    """Integer count of minor units; refuses amounts finer than the minor unit."""
    rounded = quantize(amount, currency)
    if rounded != amount:
        raise ValueError(f"{amount} {currency} has more decimals than {currency} allows")
    return int(rounded.scaleb(minor_digits(currency)))


def from_minor(units: int, currency: str) -> Decimal:
    """Decimal amount from an integer count of minor units."""
    return Decimal(units).scaleb(-minor_digits(currency))


def parse_decimal(text: str, decimal_comma: bool = False, thousands: str = "") -> Decimal:
    """Parse a written amount; raise ValueError with the text when it is not one."""
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "")
    if thousands:
        cleaned = cleaned.replace(thousands, "")
    if decimal_comma:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not an amount: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not an amount: {text!r}")
    return value


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in one currency."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.amount, float):
            raise TypeError("Money refuses floats: pass a Decimal or a string")
        if not isinstance(self.amount, Decimal):
            object.__setattr__(self, "amount", Decimal(self.amount))
        object.__setattr__(self, "currency", check_currency(self.currency))

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Money:
        """Build from a string, int or Decimal."""
        return cls(Decimal(amount), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor(cls, units: int, currency: str) -> Money:
        return cls(from_minor(units, currency), currency)

    def to_minor(self) -> int:
        return to_minor(self.amount, self.currency)

    def quantized(self) -> Money:
        return Money(quantize(self.amount, self.currency), self.currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency)

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __str__(self) -> str:
        return f"{quantize(self.amount, self.currency)} {self.currency}"
