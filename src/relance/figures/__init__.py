"""Credit figures as of a date, computed column-wise over a `relance.domain.ledger.Ledger`.

One module per concept, each for a ledger of one currency, amounts in Int64 minor
units: `period` (the measured days), `aging` and `receivables` (AR, overdue,
buckets), `sales`, `dso` (accounting, count-back, best possible, days
delinquent), `cei`, `recovery`, `delays`, `disputes`, `customers`, `trend` (24
monthly points in one pass), `settlements` (applications joined to their
documents once), `units` (rounding and writing) and `summary`, which assembles
them and gives the JSON shape. Definitions with a worked example: docs/figures.md.
"""
