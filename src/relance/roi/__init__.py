"""Return on reminders: what the follow-up changed, in cash and in treasury.

Pure domain: these modules take Polars frames and plain values and import nothing
from the store, the CLI or the reports. Amounts in frames are Int64 minor units of
the row's `currency`; money returned to callers is `Decimal`. Floats appear only
inside the statistics (bootstrap, survival curves, simulation) and chart payloads,
and are turned back into `Decimal`, quantised to the currency, at the edges.

One module per concept: `actions` (the action log and its groups), `collections`
(cash received on an invoice within a window), `attribution` (direct return),
`incremental` (holdouts), `survival` (time to pay), `treasury`, `bad_debt`,
`payback`, `before_after`, `whatif`, `team`, `satisfaction`, `simulate`.
"""
