"""Found: a period ending after the as-of date, and rates given in per cent.

1. `relance roi --as-of 2026-11-30 --from 2026-11-01 --to 2027-01-31` on the demo
   was accepted: 92 days of calendar but only the 30 days of November have books,
   so the accounting DSO came out at 169.5 days (against 55.1 for the year) and the
   DSO treasury line announced −3,336,370.83 of cash "released". By hand on the
   smallest case: one invoice of 1,000.00 issued 1 November 2024, as of 30 November
   2024, period 1 November to 31 December 2024 (61 days): sales 1,000.00,
   receivables 1,000.00, DSO = 1,000 / 1,000 × 61 = 61 days for an invoice 29 days
   old. The days after the as-of date have no books, so the period must end on it
   at the latest: a usage error (exit 2), and a ValueError from the service.

2. `--cost-of-money 4.5` (meant as 4.5 %) was taken as 450 % a year: the
   financing value came out 100 times too large (the ROI at 12 months went from
   3.76 to 474.57). Rates are fractions of 1 (docs/roi.md), and no overdraft rate,
   VAT rate or net margin is above 100 %: a rate above 1 is a usage error. A net
   margin of 0 cannot earn a loss back (loss / 0): it made the compensatory
   revenue disappear without a word; it is a usage error too.
"""

from datetime import date

import pytest
from typer.testing import CliRunner

from relance.cli import app
from relance.services.roi import RoiOptions, roi

runner = CliRunner()


def test_service_refuses_a_period_after_the_as_of_date(store):
    options = RoiOptions(
        as_of=date(2024, 11, 30), start=date(2024, 11, 1), end=date(2024, 12, 31)
    )
    with pytest.raises(ValueError, match="after the books' as-of date"):
        roi(store, options)


def _run(tmp_path, *args: str):
    url = f"sqlite:///{tmp_path / 'never.db'}"
    return runner.invoke(app, ["roi", "--db", url, "--as-of", "2024-11-30", *args])


def test_cli_refuses_to_after_as_of(tmp_path):
    result = _run(tmp_path, "--from", "2024-11-01", "--to", "2024-12-31")
    assert result.exit_code == 2
    assert "--to 2024-12-31 is after --as-of 2024-11-30" in result.output


@pytest.mark.parametrize(
    "option, value",
    [
        ("--cost-of-money", "4.5"),
        ("--vat", "20"),
        ("--margin", "5"),
        ("--margin", "0"),
    ],
)
def test_cli_refuses_rates_in_per_cent_and_a_zero_margin(tmp_path, option, value):
    result = _run(tmp_path, option, value)
    assert result.exit_code == 2
    assert option in result.output
