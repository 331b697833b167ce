"""Holdouts: deterministic, about the share asked, never on formal notices or big sums."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from relance.reminders.holdout import (
    draw_fraction,
    holdout_decision,
    holdout_draw,
    share_threshold,
)
from relance.reminders.policy import Amount, Step

EMAIL = Step(
    name="email_1",
    offset_days=3,
    channel="email",
    template="reminder_first",
    holdout_share=Decimal("0.05"),
    holdout_max_amount=Amount(default=Decimal("5000.00")),
    holdout_excluded_profiles=("new",),
)


def test_draw_is_sha256_of_campaign_step_customer():
    """Computed here independently: first 8 bytes of SHA-256, big-endian."""
    digest = hashlib.sha256(b"default\x1femail_1\x1fC042").digest()
    assert holdout_draw("default", "email_1", "C042") == int.from_bytes(
        digest[:8], "big"
    )
    # Same inputs, same draw; any part changed, another draw.
    assert holdout_draw("default", "email_1", "C042") == holdout_draw(
        "default", "email_1", "C042"
    )
    assert holdout_draw("default", "email_2", "C042") != holdout_draw(
        "default", "email_1", "C042"
    )
    assert holdout_draw("spring", "email_1", "C042") != holdout_draw(
        "default", "email_1", "C042"
    )


def test_share_threshold_is_exact():
    """floor(0.5 * 2**64) = 2**63; floor(0.05 * 2**64) = 922337203685477580."""
    assert share_threshold(Decimal("0.5")) == 2**63
    assert share_threshold(Decimal("0.05")) == 18446744073709551616 * 5 // 100
    assert share_threshold(Decimal(0)) == 0
    assert draw_fraction(2**63) == Decimal("0.5")


def test_share_is_roughly_right_over_many_customers():
    """20000 customers at 5 %: expect 1000 held out; the standard deviation is
    sqrt(20000 * 0.05 * 0.95) = 30.8, so 1000 +/- 4 sigma is 877..1123."""
    held = sum(
        holdout_decision(EMAIL, "default", f"C{n:05d}", 10_000, "EUR", "slow")[0]
        for n in range(20_000)
    )
    assert 877 <= held <= 1123


def test_decision_follows_the_draw():
    """Held out exactly when the first 8 bytes of SHA-256(campaign, step, customer)
    read big-endian fall below floor(0.05 x 2**64) = 2**64 x 5 // 100, computed
    here with hashlib, not with the module's own draw and threshold."""
    threshold = 2**64 * 5 // 100
    held_refs = []
    for n in range(200):
        ref = f"C{n}"
        held, _ = holdout_decision(EMAIL, "default", ref, 10_000, "EUR", "on_time")
        key = f"default\x1femail_1\x1f{ref}".encode()
        draw = int.from_bytes(hashlib.sha256(key).digest()[:8], "big")
        assert held == (draw < threshold), ref
        held_refs += [ref] * held
    assert held_refs  # the loop must exercise both outcomes
    assert len(held_refs) < 200


def _first_held_customer() -> str:
    return next(
        f"C{n}"
        for n in range(1000)
        if holdout_decision(EMAIL, "default", f"C{n}", 100, "EUR", "slow")[0]
    )


def test_never_above_the_maximum_amount():
    """Max 5000.00 EUR: a total of exactly 500000 cents may be held out, 500001 not."""
    ref = _first_held_customer()
    assert holdout_decision(EMAIL, "default", ref, 500_000, "EUR", "slow")[0]
    held, why = holdout_decision(EMAIL, "default", ref, 500_001, "EUR", "slow")
    assert not held
    assert why == "not eligible for holdout: total above 5000.00"


def test_never_for_excluded_profiles():
    ref = _first_held_customer()
    held, why = holdout_decision(EMAIL, "default", ref, 100, "EUR", "new")
    assert not held and why == "not eligible for holdout: payer profile new"


def test_never_for_a_formal_notice():
    """Even a Step built by hand with a share (the policy file refuses it)."""
    formal = Step(
        "formal_notice",
        30,
        "registered_letter",
        "formal_notice",
        formal_notice=True,
        holdout_share=Decimal("0.99"),
    )
    for n in range(100):
        held, why = holdout_decision(formal, "default", f"C{n}", 100, "EUR", "slow")
        assert not held
    assert why == "formal notices are never held out"


def test_held_reason_quotes_the_draw():
    ref = _first_held_customer()
    held, why = holdout_decision(EMAIL, "default", ref, 100, "EUR", "slow")
    fraction = draw_fraction(holdout_draw("default", "email_1", ref))
    assert held
    assert why.startswith(f"held out: draw {fraction} < share 0.05")
