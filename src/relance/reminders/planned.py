"""What the planner decides for one day: contacts to make, and why.

These values are the contract between planning (pure, from the ledger) and the run
that records them as actions and the sending that delivers them. Amounts are Int64
minor units of `currency`, like the ledger frames.

Fields added by the planning side (all with defaults, so nothing else changes):
- `PlannedContact.payer_profile`: the customer's payer profile in that currency on
  the planning day (on_time, slow, chronic_late, new), for explanations and the ROI;
- `DayPlan.notes`: plan-wide remarks, e.g. why nothing is planned on a
  non-business day ("2025-07-14 is a public holiday in FR (National Day)").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Channel = Literal["email", "letter", "registered_letter", "sms", "phone", "handover"]
CHANNELS: tuple[Channel, ...] = (
    "email",
    "letter",
    "registered_letter",
    "sms",
    "phone",
    "handover",
)


@dataclass(frozen=True, slots=True)
class PlannedItem:
    """One invoice a contact is about, with its open balance at planning time."""

    document_id: int
    document_ref: str
    issue_date: date
    due_date: date
    residual: int
    days_past_due: int


@dataclass(frozen=True, slots=True)
class PlannedContact:
    """One contact with one customer at one step of its ladder.

    `step_key` identifies the step for uniqueness: an invoice reaches a given
    step_key once at most (e.g. "default/email_1"). `holdout` marks a contact the
    holdout draw kept back: recorded, never delivered. `reasons` says, in words a
    credit manager reads, why this contact is planned (rule, segment, step, timing).
    """

    customer_id: int
    customer_ref: str
    customer_name: str
    segment: str
    campaign: str
    step: str
    step_index: int
    step_key: str
    channel: Channel
    template: str
    language: str
    currency: str
    planned_on: date
    items: tuple[PlannedItem, ...]
    holdout: bool = False
    reasons: tuple[str, ...] = ()
    payer_profile: str | None = None

    @property
    def total(self) -> int:
        """Sum of the items' open balances, in minor units."""
        return sum(item.residual for item in self.items)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A customer or invoice with something open that gets no contact today, and why."""

    customer_ref: str
    reason: str
    document_ref: str | None = None


@dataclass(frozen=True)
class DayPlan:
    """Everything decided for one day."""

    day: date
    contacts: tuple[PlannedContact, ...] = ()
    skipped: tuple[Skipped, ...] = field(default_factory=tuple)
    notes: tuple[str, ...] = ()
