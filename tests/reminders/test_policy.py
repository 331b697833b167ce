"""Policy files: the default policy, and every problem reported at once with its key."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest

from relance.reminders.policy import (
    Amount,
    PolicyInvalid,
    default_policy,
    load_policy,
    parse_policy,
    step_key,
)

MINIMAL = """
[campaign]
name = "spring"

[[segments]]
name = "all"

[[segments.steps]]
name = "email_1"
offset_days = 3
channel = "email"
"""


def _problems(text: str, source: str = "p.toml") -> list[str]:
    with pytest.raises(PolicyInvalid) as caught:
        parse_policy(text, source)
    return [str(p) for p in caught.value.problems]


def test_default_policy_is_the_documented_ladder():
    """Standard ladder: notice -5, emails +3 and +10, call +20, formal notice +30,
    hand-over +45; grand comptes call at +10; chronic late customers get a firm
    tone and a formal notice at +20. Only standard/email_1 holds out (5 %)."""
    policy = default_policy()
    assert policy.campaign == "default"
    assert [s.name for s in policy.segments] == [
        "grand_compte",
        "chronic_late",
        "standard",
    ]
    standard = policy.segment_named("standard")
    assert [(s.name, s.offset_days, s.channel) for s in standard.steps] == [
        ("pre_due", -5, "email"),
        ("email_1", 3, "email"),
        ("email_2", 10, "email"),
        ("phone_1", 20, "phone"),
        ("formal_notice", 30, "registered_letter"),
        ("handover", 45, "handover"),
    ]
    assert standard.rules.is_empty()
    assert [s.name for s in standard.steps if s.formal_notice] == ["formal_notice"]
    held = [
        (seg.name, s.name)
        for seg in policy.segments
        for s in seg.steps
        if s.holdout_share
    ]
    assert held == [("standard", "email_1")]
    assert standard.step_named("email_1").holdout_share == Decimal("0.05")
    assert standard.step_named("email_1").holdout_excluded_profiles == ("new",)
    grand = policy.segment_named("grand_compte")
    assert grand.step_named("phone_1").offset_days == 10
    assert grand.rules.customer_type == ("grand_compte",)
    chronic = policy.segment_named("chronic_late")
    assert chronic.tone == "firm"
    assert chronic.step_named("formal_notice").offset_days == 20
    assert policy.minimum_residual == Amount(default=Decimal("15.00"))
    assert policy.send_window.start == time(8, 0) and policy.send_window.end == time(
        18, 0
    )
    assert policy.min_days_between_contacts == 5
    assert policy.max_contacts_per_customer_per_day == 1
    assert policy.business_days_country == "FR"
    assert policy.default_language == "fr"


def test_minimal_policy_takes_the_defaults():
    policy = parse_policy(MINIMAL)
    assert policy.minimum_residual.minor("EUR", "up") == 0
    assert policy.min_days_between_contacts == 5
    step = policy.find_step("all", "email_1")
    assert step.template == "email_1"  # the step's name when no template is given
    assert step.holdout_share == 0
    assert step_key("all", "email_1") == "all/email_1"


def test_every_problem_is_listed_with_its_key_path():
    text = """
[campaign]
name = "Relance 2025"
colour = "blue"

[general]
minimum_residual = "-5"
business_days_country = "XX"
send_window = "18:00-08:00"
min_days_between_contacts = 2.5

[[segments]]
name = "standard"
rules.payer_profile = ["late"]

[[segments.steps]]
name = "email_1"
offset_days = 3
channel = "pigeon"

[[segments.steps]]
name = "email_2"
offset_days = 3
channel = "email"
holdout_share = 1.5

[[segments.steps]]
name = "formal_notice"
offset_days = 30
channel = "registered_letter"
holdout_share = 0.05

[[segments]]
name = "standard"
[[segments.steps]]
name = "x"
offset_days = 1
channel = "email"
"""
    assert _problems(text, "bad.toml") == [
        "bad.toml: campaign.colour: unknown key (expected one of: name, description)",
        (
            'bad.toml: campaign.name: "Relance 2025" should be 1-64 lower-case letters, '
            "digits, _ or -"
        ),
        'bad.toml: general.minimum_residual: "-5" should not be negative',
        (
            'bad.toml: general.business_days_country: "XX" is not a country code the '
            "calendar knows (e.g. FR, BE)"
        ),
        (
            'bad.toml: general.send_window: "18:00-08:00": the window should end after it '
            "starts"
        ),
        "bad.toml: general.min_days_between_contacts: 2.5 should be a whole number",
        (
            'bad.toml: segments[standard].rules.payer_profile: "late" is not a payer '
            "profile (one of on_time, slow, chronic_late, new)"
        ),
        (
            'bad.toml: segments[standard].steps[email_1].channel: "pigeon" is not a '
            "channel (one of email, letter, registered_letter, sms, phone, handover)"
        ),
        (
            "bad.toml: segments[standard].steps[email_2].holdout_share: 1.5 should be a "
            "fraction from 0 up to (not including) 1: write 0.05 for 5 %"
        ),
        (
            "bad.toml: segments[standard].steps[email_2].offset_days: 3 is not after the "
            "previous step's 3 (email_1): steps come in order"
        ),
        (
            "bad.toml: segments[standard].steps[formal_notice].holdout_share: 0.05 on a "
            "formal notice step: formal notices are never held out"
        ),
        'bad.toml: segments[standard].name: "standard" is used twice',
    ]


def test_holdout_on_an_explicit_formal_notice_is_an_error():
    text = MINIMAL.replace(
        'channel = "email"',
        'channel = "letter"\nformal_notice = true\nholdout_share = 0.1',
    )
    assert _problems(text) == [
        (
            "p.toml: segments[all].steps[email_1].holdout_share: 0.1 on a formal notice "
            "step: formal notices are never held out"
        )
    ]


def test_a_registered_letter_can_be_declared_not_a_formal_notice():
    text = MINIMAL.replace(
        'channel = "email"',
        'channel = "registered_letter"\nformal_notice = false\nholdout_share = 0.1',
    )
    step = parse_policy(text).find_step("all", "email_1")
    assert not step.formal_notice and step.holdout_share == Decimal("0.1")


def test_missing_keys_and_wrong_types():
    text = """
[campaign]

[[segments]]
name = "a"
tone = 3

[[segments.steps]]
offset_days = "three"
channel = "email"
formal_notice = "yes"
"""
    assert _problems(text) == [
        "p.toml: campaign.name: is required",
        "p.toml: segments[a].tone: 3 should be a string",
        "p.toml: segments[a].steps[#1].name: is required",
        'p.toml: segments[a].steps[#1].offset_days: "three" should be a whole number',
        'p.toml: segments[a].steps[#1].formal_notice: "yes" should be true or false',
    ]


def test_a_policy_without_segments_is_refused():
    assert _problems('[campaign]\nname = "x"\n') == [
        "p.toml: segments: a policy needs at least one [[segments]]"
    ]


def test_toml_syntax_error_names_the_line():
    problems = _problems('[campaign]\nname = = "x"\n')
    assert len(problems) == 1
    assert problems[0].startswith("p.toml: (file): not valid TOML:")
    assert "line 2" in problems[0]


def test_amounts_per_currency_and_their_minor_units():
    """minimum_residual = {EUR = "15.00", JPY = 2000, default = "10.005"}:
    EUR 15.00 -> 1500 cents; JPY 2000 -> 2000 yen (no minor unit); USD falls back to
    the default 10.005, which is finer than a cent: rounded up to 1001 cents for an
    "at least" test, down to 1000 for an "at most" test."""
    text = MINIMAL.replace(
        "[[segments]]",
        '[general]\nminimum_residual = { EUR = "15.00", JPY = 2000, default = "10.005" }\n\n'
        "[[segments]]",
        1,
    )
    amount = parse_policy(text).minimum_residual
    assert amount.minor("EUR", "up") == 1500
    assert amount.minor("JPY", "up") == 2000
    assert amount.minor("USD", "up") == 1001
    assert amount.minor("USD", "down") == 1000


def test_amount_problems():
    text = MINIMAL.replace(
        "[[segments]]",
        '[general]\nminimum_residual = { EUR = "15.001", XYZ = 3, GBP = "abc" }\n\n'
        "[[segments]]",
        1,
    )
    assert _problems(text) == [
        (
            'p.toml: general.minimum_residual.EUR: "15.001" has more decimals than EUR '
            "allows"
        ),
        (
            "p.toml: general.minimum_residual.XYZ: unknown currency code (expected ISO "
            "4217, e.g. EUR)"
        ),
        'p.toml: general.minimum_residual.GBP: "abc" should be a number, e.g. "15.00"',
    ]


def test_rules_are_checked():
    text = MINIMAL.replace(
        "[[segments.steps]]",
        'rules.country = ["France"]\nrules.amount_open_min = "500"\n'
        'rules.amount_open_max = "100"\nrules.sector = "x"\n\n[[segments.steps]]',
    )
    assert _problems(text) == [
        (
            "p.toml: segments[all].rules.sector: unknown key (expected one of: "
            "customer_type, country, segment, tags, exclude_tags, amount_open_min, "
            "amount_open_max, payer_profile)"
        ),
        'p.toml: segments[all].rules.country: "FRANCE" is not a 2-letter code',
        (
            "p.toml: segments[all].rules.amount_open_max: 100 is not above "
            "amount_open_min 500"
        ),
    ]


def test_formal_notice_before_the_due_date_is_refused():
    text = MINIMAL.replace("offset_days = 3", "offset_days = -3").replace(
        'channel = "email"', 'channel = "registered_letter"'
    )
    assert _problems(text) == [
        (
            "p.toml: segments[all].steps[email_1].offset_days: -3: a formal notice cannot "
            "come before the due date"
        )
    ]


def test_unreadable_file(tmp_path: Path):
    missing = tmp_path / "nope.toml"
    with pytest.raises(PolicyInvalid) as caught:
        load_policy(missing)
    assert str(caught.value.problems[0]).startswith(
        f"{missing}: (file): cannot be read"
    )


def test_load_from_a_file_names_the_file(tmp_path: Path):
    path = tmp_path / "policy.toml"
    path.write_text(
        MINIMAL.replace('channel = "email"', 'channel = "fax"'), encoding="utf-8"
    )
    with pytest.raises(PolicyInvalid) as caught:
        load_policy(path)
    assert str(caught.value.problems[0]).startswith(
        f"{path}: segments[all].steps[email_1]"
    )


def test_payer_profile_thresholds_and_language():
    text = MINIMAL.replace(
        "[[segments]]",
        "[payer_profiles]\non_time_max_days = 20\nslow_max_days = 10\n\n"
        '[general]\ndefault_language = "zz"\nbusiness_days_country = "FR"\n'
        'business_days_subdivision = "99"\n\n[[segments]]',
        1,
    )
    assert _problems(text) == [
        'p.toml: general.business_days_subdivision: "99" is not a subdivision of FR',
        'p.toml: general.default_language: "zz" is not a language code (e.g. fr, en)',
        "p.toml: payer_profiles.slow_max_days: 10 is below on_time_max_days 20",
    ]
