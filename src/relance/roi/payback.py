"""Payback: when relance and the team's time have paid for themselves.

Contracts:
- the cost is a set-up cost paid once at the start plus a running cost each month
  (licences, hosting, the collectors' time on reminders); the benefit is a
  monthly amount (by default the financing value of the cash released and the
  bad debt avoided, each per year / 12: see docs/roi.md);
- months to break even = set-up cost / (monthly benefit − monthly cost), exact;
  the break-even month is the first whole month at whose end the cumulated
  benefit covers the cumulated cost; both None when the monthly benefit does not
  exceed the monthly cost (it never pays back);
- ROI at N months = (N × benefit − (set-up + N × cost)) / (set-up + N × cost);
  None when nothing was spent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from relance.domain.money import quantize
from relance.roi.ratios import return_on


@dataclass(frozen=True)
class Payback:
    """Break-even and ROI of the follow-up over time."""

    currency: str
    setup_cost: Decimal
    monthly_cost: Decimal
    monthly_benefit: Decimal
    monthly_net: Decimal
    months_to_break_even: Decimal | None
    break_even_month: int | None
    roi_12_months: Decimal | None
    roi_36_months: Decimal | None


def roi_after(
    months: int, setup_cost: Decimal, monthly_cost: Decimal, monthly_benefit: Decimal
) -> Decimal | None:
    """ROI after `months` months: (benefit − cost) / cost, both cumulated."""
    spent = setup_cost + months * monthly_cost
    return return_on(months * monthly_benefit, spent)


def payback(
    setup_cost: Decimal, monthly_cost: Decimal, monthly_benefit: Decimal, currency: str
) -> Payback:
    """Months to break even and ROI at 12 and 36 months."""
    if min(setup_cost, monthly_cost) < 0:
        raise ValueError("costs cannot be negative")
    net = monthly_benefit - monthly_cost
    exact = month = None
    if net > 0:
        exact = setup_cost / net if setup_cost else Decimal(0)
        month = int(exact.to_integral_value(rounding=ROUND_CEILING))
    return Payback(
        currency=currency,
        setup_cost=quantize(setup_cost, currency),
        monthly_cost=quantize(monthly_cost, currency),
        monthly_benefit=quantize(monthly_benefit, currency),
        monthly_net=quantize(net, currency),
        months_to_break_even=exact,
        break_even_month=month,
        roi_12_months=roi_after(12, setup_cost, monthly_cost, monthly_benefit),
        roi_36_months=roi_after(36, setup_cost, monthly_cost, monthly_benefit),
    )
