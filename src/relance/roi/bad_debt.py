"""Bad debt: write-offs, the bad-debt ratio, and the sales that earn a loss back.

Contracts:
- write-offs of a period are those dated from its start to its end, both
  included, in one currency, as recorded (tax-inclusive, like the invoices);
- bad-debt ratio = write-offs / sales of the same period (the figures use the
  last 12 months); None when the sales are zero or negative (credit notes
  outweighing invoices), as every rate of `relance.figures`;
- compensatory revenue = loss excluding VAT / net margin rate: the sales needed to
  earn the lost amount back. The VAT on a receivable lost for good can be
  recovered, so the loss that counts is tax-exclusive: loss incl. VAT / (1 + VAT
  rate). Rates are fractions of 1 (20 % is 0.20); amounts returned are quantised
  half up to the currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl

from relance.domain.ledger import Ledger
from relance.domain.money import quantize
from relance.figures.sales import sales_between
from relance.roi.ratios import money, ratio


@dataclass(frozen=True)
class CompensatoryRevenue:
    """What a loss costs in sales, at the company's margin."""

    currency: str
    loss_incl_vat: Decimal
    vat_rate: Decimal
    loss_excl_vat: Decimal
    margin_rate: Decimal
    revenue_needed: Decimal


@dataclass(frozen=True)
class BadDebtPeriod:
    """Write-offs and sales of one period, in one currency."""

    start: date
    end: date
    currency: str
    writeoffs: Decimal
    sales: Decimal
    ratio: Decimal | None


def sales_ratio(amount: int, sales: int) -> Decimal | None:
    """amount / sales; None when the sales are zero or negative."""
    return ratio(amount, sales) if sales > 0 else None


def compensatory_revenue(
    loss_incl_vat: Decimal, vat_rate: Decimal, margin_rate: Decimal, currency: str
) -> CompensatoryRevenue:
    """Sales needed to earn back a loss: loss excl. VAT / net margin rate."""
    if margin_rate <= 0:
        raise ValueError(f"the net margin rate must be above zero, not {margin_rate}")
    if vat_rate < 0:
        raise ValueError(f"the VAT rate cannot be negative, not {vat_rate}")
    excl = loss_incl_vat / (1 + vat_rate)
    return CompensatoryRevenue(
        currency=currency,
        loss_incl_vat=quantize(loss_incl_vat, currency),
        vat_rate=vat_rate,
        loss_excl_vat=quantize(excl, currency),
        margin_rate=margin_rate,
        revenue_needed=quantize(excl / margin_rate, currency),
    )


def writeoffs_between(ledger: Ledger, start: date, end: date, currency: str) -> int:
    """Write-offs dated from `start` to `end` (inclusive), minor units."""
    written = ledger.writeoffs.filter(
        (pl.col("currency") == currency)
        & (pl.col("writeoff_date") >= start)
        & (pl.col("writeoff_date") <= end)
    )
    return int(written.get_column("amount").sum())


def bad_debt_period(
    ledger: Ledger, start: date, end: date, currency: str
) -> BadDebtPeriod:
    """Write-offs, sales and their ratio over one period."""
    written = writeoffs_between(ledger, start, end, currency)
    sold = sales_between(ledger.in_currency(currency), start, end)
    return BadDebtPeriod(
        start=start,
        end=end,
        currency=currency,
        writeoffs=money(written, currency),
        sales=money(sold, currency),
        ratio=sales_ratio(written, sold),
    )
