"""Turning a day's plan into actions: what to record, what it costs.

Pure decisions, kept apart from the store (see `relance.services.run`):

- a contact is recorded for the invoices that have not reached its step yet
  (the pair (invoice, step_key) is unique); when none is left the contact is
  skipped, so running the same day twice records nothing new;
- a customer already contacted on that day is not contacted a second time;
- a held-out contact is recorded in state `held_out` with cost 0: it is never
  delivered, and the ROI compares it with the contacts that were;
- cost comes from the cost model in settings, per channel, rounded half up to the
  cost currency's minor unit; a call costs collector minutes × hourly cost.
"""

from __future__ import annotations

from dataclasses import dataclass

from relance.domain.money import quantize, to_minor
from relance.reminders.actions import HELD_OUT, PLANNED, ActionState
from relance.reminders.planned import PlannedContact, PlannedItem
from relance.settings import Settings


def action_cost(channel: str, holdout: bool, settings: Settings) -> int:
    """Cost of one action in minor units of `settings.cost_currency`.

    With the defaults: an email 0.02 € → 2; a call 10 min × 40.00 €/h = 6.666… €
    → 6.67 € → 667; a held-out contact → 0.
    """
    if holdout:
        return 0
    currency = settings.cost_currency
    return to_minor(quantize(settings.cost_of(channel), currency), currency)


def initial_state(contact: PlannedContact) -> ActionState:
    """`held_out` for a contact the holdout draw kept back, else `planned`."""
    return HELD_OUT if contact.holdout else PLANNED


@dataclass(frozen=True)
class Decision:
    """What to do with one planned contact: record these items, or skip, and why."""

    contact: PlannedContact
    items: tuple[PlannedItem, ...]
    skip_reason: str | None = None

    @property
    def total(self) -> int:
        return sum(item.residual for item in self.items)


def decide(
    contact: PlannedContact,
    reached: set[tuple[int, str]],
    contacted_today: set[int],
) -> Decision:
    """Keep the items that have not reached the contact's step; skip if none.

    `reached` holds the (document_id, step_key) pairs already recorded;
    `contacted_today` the customers that already have an action on this day.
    """
    fresh = tuple(
        i for i in contact.items if (i.document_id, contact.step_key) not in reached
    )
    if not fresh:
        return Decision(contact, (), f"already recorded at step {contact.step_key}")
    if contact.customer_id in contacted_today:
        return Decision(
            contact, (), "customer already has a contact recorded that day (one a day)"
        )
    return Decision(contact, fresh)
