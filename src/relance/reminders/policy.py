"""Dunning policies: segments, their ladders of steps, and the global rules.

A policy is a TOML file (see docs/reminders-policy.md for every key, and
`default_policy.toml` beside this module for the default shipped for French SMEs).
This module holds the validated values and the entry points; `load_policy` reads a
file through `relance.reminders.policy_file`, which collects every problem, each
naming the file, the key path (`segments[standard].steps[formal_notice].holdout_share`)
and the bad value, and raises them together as `PolicyInvalid`.

Contracts:
- amounts are `Decimal` in major units of the receivable's currency (TOML floats are
  read as Decimal, never as binary floats); an `Amount` holds one value for every
  currency, or one per currency with an optional `default`;
- steps of a ladder have strictly increasing `offset_days` (days from the due date,
  negative for a pre-due notice), so "in order" is unambiguous;
- a formal-notice step is never held out: a holdout share on one is an error;
- holdout shares are fractions in [0, 1) (0.05 is 5 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from importlib import resources
from pathlib import Path
from typing import Literal

from relance.domain.money import minor_digits
from relance.reminders.planned import Channel

PayerProfile = Literal["on_time", "slow", "chronic_late", "new"]
PAYER_PROFILES: tuple[PayerProfile, ...] = ("on_time", "slow", "chronic_late", "new")
DEFAULT_POLICY_FILE = "default_policy.toml"


# --- Values -------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    """A threshold in major units: one value for all currencies, or per currency.

    `for_currency` gives the currency's own value, else `default`, else None (no
    threshold for that currency).
    """

    default: Decimal | None = None
    by_currency: tuple[tuple[str, Decimal], ...] = ()

    @classmethod
    def of(cls, value: str | int | Decimal) -> Amount:
        return cls(default=Decimal(value))

    def for_currency(self, currency: str) -> Decimal | None:
        for code, value in self.by_currency:
            if code == currency:
                return value
        return self.default

    def minor(self, currency: str, rounding: Literal["up", "down"]) -> int | None:
        """The threshold in minor units of `currency`, or None when it has none.

        A value finer than the currency's minor unit is rounded `up` (for "at
        least" tests: the smallest amount that reaches it) or `down` (for "at most").
        """
        value = self.for_currency(currency)
        if value is None:
            return None
        scaled = value.scaleb(minor_digits(currency))
        mode = ROUND_CEILING if rounding == "up" else ROUND_FLOOR
        return int(scaled.to_integral_value(rounding=mode))

    def __str__(self) -> str:
        parts = [f"{code} {value}" for code, value in self.by_currency]
        if self.default is not None:
            parts.append(
                f"{self.default} (other currencies)" if parts else str(self.default)
            )
        return ", ".join(parts) or "none"


@dataclass(frozen=True)
class Rules:
    """Conditions on a customer (for one currency); all must hold, lists are "any of".

    An empty `Rules` matches every customer (a catch-all segment).
    """

    customer_type: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    segment: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    exclude_tags: tuple[str, ...] = ()
    amount_open_min: Amount | None = None
    amount_open_max: Amount | None = None
    payer_profile: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return self == Rules()

    def describe(self) -> str:
        """The rule in words, e.g. "customer_type in [grand_compte]"."""
        parts = []
        for name in ("customer_type", "country", "segment", "payer_profile"):
            values = getattr(self, name)
            if values:
                parts.append(f"{name} in [{', '.join(values)}]")
        if self.tags:
            parts.append(f"tags include any of [{', '.join(self.tags)}]")
        if self.exclude_tags:
            parts.append(f"tags include none of [{', '.join(self.exclude_tags)}]")
        if self.amount_open_min is not None:
            parts.append(f"amount open >= {self.amount_open_min}")
        if self.amount_open_max is not None:
            parts.append(f"amount open < {self.amount_open_max}")
        return " and ".join(parts) if parts else "catch-all (no rule)"


@dataclass(frozen=True)
class Step:
    """One rung of a ladder."""

    name: str
    offset_days: int
    channel: Channel
    template: str
    formal_notice: bool = False
    holdout_share: Decimal = Decimal(0)
    holdout_max_amount: Amount | None = None
    holdout_excluded_profiles: tuple[str, ...] = ()

    @property
    def pre_due(self) -> bool:
        """A courtesy notice before the due date (negative offset)."""
        return self.offset_days < 0

    def describe(self) -> str:
        """E.g. "email_2 (email, due date +10 days)"."""
        return f"{self.name} ({self.channel}, due date {self.offset_days:+d} days)"


@dataclass(frozen=True)
class Segment:
    """Customers matching `rules` (or pinned to it) follow `steps` in order."""

    name: str
    steps: tuple[Step, ...]
    rules: Rules = Rules()
    tone: str = "courteous"
    language: str | None = None
    description: str = ""

    def step_named(self, name: str) -> Step:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(f"segment {self.name!r} has no step {name!r}")


@dataclass(frozen=True)
class PayerProfileRule:
    """How the payer profile is derived from history (see `segments.payer_profiles`)."""

    history_days: int = 365
    new_below_paid_invoices: int = 3
    on_time_max_days: Decimal = Decimal(2)
    slow_max_days: Decimal = Decimal(15)


@dataclass(frozen=True)
class SendWindow:
    """Hours during which messages may go out, start inclusive, end exclusive."""

    start: time = time(8, 0)
    end: time = time(18, 0)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class Policy:
    """A validated dunning policy."""

    campaign: str
    segments: tuple[Segment, ...]
    minimum_residual: Amount = Amount(Decimal(0))
    business_days_country: str = "FR"
    business_days_subdivision: str | None = None
    send_window: SendWindow = SendWindow()
    min_days_between_contacts: int = 5
    max_contacts_per_customer_per_day: int = 1
    default_language: str = "fr"
    payer_profiles: PayerProfileRule = PayerProfileRule()
    source: str = "<policy>"

    def segment_named(self, name: str) -> Segment:
        """The segment called `name`; KeyError when the policy has none."""
        for segment in self.segments:
            if segment.name == name:
                return segment
        raise KeyError(f"policy {self.source} has no segment {name!r}")

    def find_step(self, segment: str, step: str) -> Step:
        """The step `step` of segment `segment` (as in a PlannedContact)."""
        return self.segment_named(segment).step_named(step)


def step_key(segment: str, step: str) -> str:
    """The key an invoice reaches once at most: "<segment>/<step>"."""
    return f"{segment}/{step}"


# --- Problems -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PolicyProblem:
    """One problem in a policy file, printed as `file: key: message`."""

    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.message}"


class PolicyInvalid(Exception):
    """A policy file has problems; all of them are in `problems`."""

    def __init__(self, problems: list[PolicyProblem]) -> None:
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the policy:\n{lines}")


# --- Reading ------------------------------------------------------------------------


def parse_policy(text: str, source: str = "<policy>") -> Policy:
    """Validate a policy given as TOML text; raise `PolicyInvalid` with every problem."""
    # Imported here: the reader builds this module's values.
    from relance.reminders.policy_file import read_policy

    return read_policy(text, source)


def load_policy(path: Path | str) -> Policy:
    """Read and validate a policy file; raise `PolicyInvalid` with every problem."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyInvalid(
            [PolicyProblem(str(file), "(file)", f"cannot be read: {error.strerror}")]
        ) from None
    return parse_policy(text, source=str(file))


def default_policy_text() -> str:
    """The TOML of the default policy shipped with relance."""
    return (
        resources.files("relance.reminders")
        .joinpath(DEFAULT_POLICY_FILE)
        .read_text(encoding="utf-8")
    )


def default_policy() -> Policy:
    """The default policy for French SMEs (see docs/reminders-policy.md)."""
    return parse_policy(default_policy_text(), source=DEFAULT_POLICY_FILE)
