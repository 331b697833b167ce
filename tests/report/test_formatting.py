"""Numbers as French and English readers write them (relance.formatting).

Babel's French spacing is checked character by character: a narrow no-break
space (U+202F) groups thousands and a no-break space (U+00A0) comes before the
currency sign and the percent sign.
"""

from datetime import date
from decimal import Decimal

import pytest

from relance.domain.money import Money
from relance.formatting import (
    MISSING,
    format_amount,
    format_compact_amount,
    format_date,
    format_days,
    format_minor,
    format_money,
    format_month,
    format_number,
    format_percent,
)

NNBSP = "\u202f"  # narrow no-break space: French thousands
NBSP = "\u00a0"  # no-break space: before € and %


def test_french_money_is_written_with_babel_spaces():
    assert format_money(Money.of("12345.67", "EUR")) == f"12{NNBSP}345,67{NBSP}€"


def test_english_money():
    assert format_money(Money.of("12345.67", "EUR"), "en") == "€12,345.67"


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "expected"),
    [
        ("0.005", "EUR", "fr", f"0,01{NBSP}€"),  # half up to the cent
        ("-50", "EUR", "fr", f"-50,00{NBSP}€"),
        ("-50", "EUR", "en", "-€50.00"),
        ("-0.001", "EUR", "fr", f"0,00{NBSP}€"),  # never "-0,00"
        ("1234", "JPY", "en", "¥1,234"),  # no minor unit
        ("1234.5", "USD", "fr", f"1{NNBSP}234,50{NBSP}$US"),
    ],
    ids=["half-up", "negative-fr", "negative-en", "no-minus-zero", "jpy", "usd-fr"],
)
def test_amounts(amount, currency, locale, expected):
    assert format_amount(Decimal(amount), currency, locale) == expected


def test_minor_units_are_the_store_s_integers():
    """285000 cents are 2 850,00 €."""
    assert format_minor(285000, "EUR") == f"2{NNBSP}850,00{NBSP}€"
    assert format_minor(285000, "EUR", "en") == "€2,850.00"


@pytest.mark.parametrize(
    ("fraction", "locale", "digits", "expected"),
    [
        ("0.452", "fr", 1, f"45,2{NBSP}%"),
        ("0.452", "en", 1, "45.2%"),
        ("0.36842", "fr", 1, f"36,8{NBSP}%"),
        ("0.00045", "fr", 1, f"0,0{NBSP}%"),
        ("-0.0004", "en", 1, "0.0%"),  # rounds to zero: no minus sign
        ("0.98143", "fr", 2, f"98,14{NBSP}%"),
        ("1", "fr", 1, f"100,0{NBSP}%"),
    ],
)
def test_percentages(fraction, locale, digits, expected):
    assert format_percent(Decimal(fraction), locale, digits) == expected


def test_days_are_rounded_half_up_with_the_locale_s_unit():
    """56.25 days is 56,3 j (half up, not to even)."""
    assert format_days(Decimal("56.25")) == f"56,3{NNBSP}j"
    assert format_days(Decimal("56.25"), "en") == "56.3 days"
    assert format_days(Decimal("-0.04"), "fr") == f"0,0{NNBSP}j"


def test_numbers():
    assert format_number(46000) == f"46{NNBSP}000"
    assert format_number(46000, "en") == "46,000"
    assert format_number(Decimal("12.25"), "fr", 1) == "12,3"


def test_missing_figures_are_a_dash():
    assert MISSING == "—"
    assert format_percent(None) == MISSING
    assert format_days(None, "en") == MISSING
    assert format_number(None) == MISSING
    assert format_date(None) == MISSING


def test_dates():
    day = date(2024, 3, 15)
    assert format_date(day) == "15 mars 2024"
    assert format_date(day, "en") == "March 15, 2024"
    assert format_month(day) == "mars 2024"
    assert format_month(day, "en") == "Mar 2024"


def test_compact_amounts_for_chart_axes():
    assert format_compact_amount(Decimal(1500000), "EUR") == f"1,5{NBSP}M{NBSP}€"
    assert format_compact_amount(Decimal(1500000), "EUR", "en") == "€1.5M"
