"""Found: "-0.00 EUR" in the what-if table.

`relance roi whatif --segment PME --move email_2:+5` on the demo printed the band
of the cash released as "-0.00 EUR to 5,787.37 EUR": a bootstrap draw of about
−0.001 euro, rounded to the cent, kept its minus sign. Worked by hand: −0.001 EUR
rounds half up to 0.00 EUR, which is neither gained nor lost and must print
"0.00"; the same for −0.4 cent given in minor units, and for −0.00004 days
rounded to four places (a rate or a number of days).
"""

from decimal import Decimal

from relance.roi.ratios import (
    decimal_from_float,
    money_from_float,
    money_from_minor_float,
)


def test_floats_rounding_to_zero_give_plain_zero():
    assert str(money_from_float(-0.001, "EUR")) == "0.00"
    assert str(money_from_minor_float(-0.4, "EUR")) == "0.00"
    assert str(decimal_from_float(-0.00004)) == "0.0000"
    assert str(decimal_from_float(-0.0, 1)) == "0.0"


def test_other_values_keep_their_sign():
    assert money_from_float(-0.006, "EUR") == Decimal("-0.01")
    assert money_from_minor_float(-250.0, "EUR") == Decimal("-2.50")
    assert decimal_from_float(-0.6, 1) == Decimal("-0.6")
