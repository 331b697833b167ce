"""Rounding and writing of figures."""

from decimal import Decimal

import polars as pl
import pytest

from relance.domain.money import from_minor
from relance.figures.units import (
    DAYS,
    PERCENT,
    RATE,
    money,
    money_text,
    ratio,
    rounded,
)


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [(123456, "EUR", "1234.56"), (-5, "EUR", "-0.05"), (0, "EUR", "0.00"),
     (250, "JPY", "250"), (1234, "BHD", "1.234")],
)  # fmt: skip
def test_money_is_from_minor(minor, currency, text):
    assert money(minor, currency) == from_minor(minor, currency)
    assert str(money(minor, currency)) == text


def test_rounding_is_half_up_and_never_negative_zero():
    assert rounded(ratio(2, 3), RATE) == Decimal("0.6667")
    assert rounded(Decimal("73.75"), DAYS) == Decimal("73.8")
    assert rounded(Decimal("44.285"), PERCENT) == Decimal("44.29")
    assert str(rounded(Decimal("-0.00001"), PERCENT)) == "0.00"
    assert ratio(1, 0) is None and rounded(None, DAYS) is None


@pytest.mark.parametrize("currency", ["EUR", "JPY", "BHD"])
def test_money_text_writes_what_money_writes(currency):
    values = [0, 1, -1, 5, -5, 99, 100, -100, 123456, -123456, 10**15 + 7, -(10**15)]
    written = pl.DataFrame({"m": values}).select(money_text(pl.col("m"), currency))
    assert written.to_series().to_list() == [str(money(v, currency)) for v in values]
