"""The life of an action (one recorded contact), and how its rows are keyed.

States of `actions.state`:

    planned ──► sending ──► sent
       │           │    └─► failed     (with reason: no recipient, SMTP refusal...)
       │           └──────► unknown    (crash or lost connection mid-delivery: a
       │                                person decides, nothing is resent on its own)
       ├──► cancelled   (with reason: paid, credited, disputed, promised, stale...)
       └──► todo ──► done   (phone calls and hand-overs: tasks for a collector)
    held_out            (the holdout draw kept it back: recorded, never delivered)

An invoice reaches a given step once: `action_items` is unique on
(document_id, step_key). When sending drops an invoice from an action, or cancels
the action, the item keeps its row (for the record) but its step_key is renamed
with `released_key`, so that the invoice may reach that step again later (once a
dispute is closed, a promise broken...). Readers of levels therefore count only
items whose `dropped_reason` is null.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Literal

ActionState = Literal[
    "planned",
    "held_out",
    "sending",
    "sent",
    "failed",
    "unknown",
    "cancelled",
    "todo",
    "done",
]
PLANNED: ActionState = "planned"
HELD_OUT: ActionState = "held_out"
SENDING: ActionState = "sending"
SENT: ActionState = "sent"
FAILED: ActionState = "failed"
UNKNOWN: ActionState = "unknown"
CANCELLED: ActionState = "cancelled"
TODO: ActionState = "todo"
DONE: ActionState = "done"

# Channels a person carries out: sending turns them into tasks.
TASK_CHANNELS = frozenset({"phone", "handover"})

_REF_LIMIT = 160


def _bounded(text: str) -> str:
    """Keep a key within the column width, staying unique with a short hash."""
    if len(text) <= _REF_LIMIT:
        return text
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return f"{text[: _REF_LIMIT - 13]}~{digest}"


def action_ref(day: date, customer_ref: str, step_key: str) -> str:
    """Unique reference of a planned contact: `2024-03-04/C001/default/email_1`."""
    return _bounded(f"{day.isoformat()}/{customer_ref}/{step_key}")


def released_key(step_key: str, action_id: int) -> str:
    """The step key an item takes when it is dropped, freeing (invoice, step)."""
    return _bounded(f"{step_key}~dropped~{action_id}")
