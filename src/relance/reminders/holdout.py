"""Holdouts: a random share of customers kept back at a step, to measure what it earns.

The draw is deterministic: SHA-256 of "campaign / step / customer ref" (UTF-8, with
a unit separator between the parts), read as a 64-bit unsigned integer from its
first 8 bytes (big-endian). The customer is held out at that step when

    draw < floor(share * 2**64)

so re-running a plan, on any machine or Python version, draws the same customers
(Python's `hash` is salted per process and is never used), and over many customers
the held-out share tends to `share`. Draws of different steps are independent.

A contact is never held out when its step is a formal notice, when its total is
above the step's `holdout_max_amount` (for that currency; no value means no limit),
or when the customer's payer profile is in `holdout_excluded_profiles`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import ROUND_FLOOR, Decimal

from relance.reminders.policy import Step

_SPACE = 2**64
_SEPARATOR = "\x1f"


def holdout_draw(campaign: str, step: str, customer_ref: str) -> int:
    """The 64-bit draw of one customer at one step of one campaign."""
    key = _SEPARATOR.join((campaign, step, customer_ref)).encode("utf-8")
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big")


def draws(
    campaign: str, steps: Iterable[str], customer_refs: Iterable[str]
) -> list[int]:
    """`holdout_draw` for pairs of (step, customer ref), in order."""
    return [
        holdout_draw(campaign, s, c) for s, c in zip(steps, customer_refs, strict=True)
    ]


def share_threshold(share: Decimal) -> int:
    """Draws strictly below this are held out: floor(share * 2**64)."""
    return int((share * _SPACE).to_integral_value(rounding=ROUND_FLOOR))


def draw_fraction(draw: int) -> Decimal:
    """The draw as a fraction of 1, to 6 decimals, for explanations."""
    return (Decimal(draw) / _SPACE).quantize(Decimal("0.000001"), rounding=ROUND_FLOOR)


def holdout_decision(
    step: Step,
    campaign: str,
    customer_ref: str,
    total_minor: int,
    currency: str,
    payer_profile: str | None,
) -> tuple[bool, str]:
    """Whether this contact is held out, and why (or why not), in words."""
    if step.formal_notice:
        return False, "formal notices are never held out"
    if step.holdout_share <= 0:
        return False, "no holdout at this step"
    limit = (
        None
        if step.holdout_max_amount is None
        else step.holdout_max_amount.minor(currency, "down")
    )
    if limit is not None and total_minor > limit:
        return False, f"not eligible for holdout: total above {step.holdout_max_amount}"
    if payer_profile in step.holdout_excluded_profiles:
        return False, f"not eligible for holdout: payer profile {payer_profile}"
    draw = holdout_draw(campaign, step.name, customer_ref)
    fraction = draw_fraction(draw)
    if draw < share_threshold(step.holdout_share):
        return True, (
            f"held out: draw {fraction} < share {step.holdout_share} "
            "(recorded, not delivered, to measure what reminders earn)"
        )
    return False, f"holdout draw {fraction} >= share {step.holdout_share}: contacted"
