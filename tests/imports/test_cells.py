"""Reading single cells: nothing guessed, every refusal quoting the cell."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from relance.imports.cells import (
    ISO,
    CellError,
    IdentifierRule,
    NumberFormat,
    check_minor_unit,
    parse_amount,
    parse_date,
    parse_flag,
)


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("4/6/2013", "%m/%d/%Y", date(2013, 4, 6)),
        ("4/6/2013", "%d/%m/%Y", date(2013, 6, 4)),
        ("12/31/2012", "%m/%d/%Y", date(2012, 12, 31)),
        ("2024-02-29", ISO, date(2024, 2, 29)),
        ("20240229", "%Y%m%d", date(2024, 2, 29)),
    ],
    ids=["us", "french", "us-unambiguous", "iso", "compact"],
)
def test_dates_read_with_the_declared_format_only(text, fmt, expected):
    assert parse_date(text, fmt) == expected


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        (
            "12/31/2012",
            "%d/%m/%Y",
            "'12/31/2012' is not a date: expected the format %d/%m/%Y",
        ),
        (
            "2013-04-06",
            "%m/%d/%Y",
            "'2013-04-06' is not a date: expected the format %m/%d/%Y",
        ),
        ("20240229", ISO, "'20240229' is not a date: expected YYYY-MM-DD"),
        ("2023-02-29", ISO, "'2023-02-29' is not a date: expected YYYY-MM-DD"),
    ],
    ids=["day-31-as-month", "iso-in-us-file", "compact-in-iso", "not-leap"],
)
def test_dates_that_do_not_match_are_refused(text, fmt, message):
    with pytest.raises(CellError) as caught:
        parse_date(text, fmt)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "number", "expected"),
    [
        ("1234.56", NumberFormat(), Decimal("1234.56")),
        ("-100", NumberFormat(), Decimal(-100)),
        ("59.0", NumberFormat(), Decimal("59.0")),
        (
            "1 234,56",
            NumberFormat(decimal_comma=True, thousands=" "),
            Decimal("1234.56"),
        ),
        (
            "1\u202f234,56",
            NumberFormat(decimal_comma=True, thousands=" "),
            Decimal("1234.56"),
        ),
        (
            "1.234,56",
            NumberFormat(decimal_comma=True, thousands="."),
            Decimal("1234.56"),
        ),
        ("1,234.56", NumberFormat(thousands=","), Decimal("1234.56")),
    ],
    ids=[
        "dot",
        "negative",
        "float-artifact",
        "french",
        "narrow-nbsp",
        "german",
        "us-grouped",
    ],
)
def test_amounts(text, number, expected):
    assert parse_amount(text, number) == expected


@pytest.mark.parametrize(
    ("text", "number", "message"),
    [
        (
            "1,234.56",
            NumberFormat(),
            (
                "'1,234.56' is not an amount: "
                "expected digits with a dot for decimals, e.g. -1234.56"
            ),
        ),
        (
            "1.234,56",
            NumberFormat(decimal_comma=True),
            (
                "'1.234,56' is not an amount: "
                "expected digits with a comma for decimals, e.g. -1234,56"
            ),
        ),
        (
            "1e3",
            NumberFormat(),
            (
                "'1e3' is not an amount: "
                "expected digits with a dot for decimals, e.g. -1234.56"
            ),
        ),
        (
            "12 €",
            NumberFormat(),
            (
                "'12 €' is not an amount: "
                "expected digits with a dot for decimals, e.g. -1234.56"
            ),
        ),
    ],
    ids=["grouping-undeclared", "dot-with-decimal-comma", "exponent", "currency-sign"],
)
def test_amounts_refused(text, number, message):
    with pytest.raises(CellError) as caught:
        parse_amount(text, number)
    assert str(caught.value) == message


def test_minor_unit():
    check_minor_unit(Decimal("10.50"), "EUR", "10.50")
    check_minor_unit(Decimal("59.0"), "USD", "59.0")
    with pytest.raises(
        CellError, match=r"^'10.5' has more decimals than JPY allows \(0\)$"
    ):
        check_minor_unit(Decimal("10.5"), "JPY", "10.5")


def test_flags():
    assert parse_flag(" Yes ") is True
    assert parse_flag("0") is False
    assert parse_flag("") is False
    declared = frozenset({"litige"})
    assert parse_flag("LITIGE", declared) is True
    assert parse_flag("anything", declared) is False
    with pytest.raises(
        CellError,
        match="'peut-être' is not a declared value: expected one of litige, non",
    ):
        parse_flag("peut-être", declared, frozenset({"non"}))


@pytest.mark.parametrize(
    ("rule", "text", "expected"),
    [
        (IdentifierRule(), " 0000611365 ", "0000611365"),
        (IdentifierRule(pad_zeros=10), "611365", "0000611365"),
        (IdentifierRule(strip_leading_zeros=True), "0200769623", "200769623"),
        (IdentifierRule(strip_leading_zeros=True), "CCCA02", "CCCA02"),
        (IdentifierRule(strip_leading_zeros=True), "000", "0"),
        (IdentifierRule(strip_float_suffix=True), "1930571429.0", "1930571429"),
        (IdentifierRule(strip_float_suffix=True), "V1.0", "V1.0"),
        (IdentifierRule(pad_zeros=6), "AB-12", "AB-12"),
    ],
    ids=[
        "kept",
        "padded",
        "stripped",
        "not-digits",
        "all-zeros",
        "float",
        "version-text",
        "pad-text",
    ],
)
def test_identifiers(rule, text, expected):
    assert rule.apply(text) == expected
