"""Automatic matching of what lettering left open: brought-forward items first.

Lettering (`fec_lettering`) says which credit settled which debit, within one
group. Two things are often missing from a FEC, and a credit manager would match
them by hand ("lettrage automatique") before chasing anybody:

1. **Opening items.** Opening journals (`ANO`, `AN`, `RAN`, `AD`) bring last
   year's open items forward, usually *without* their lettering codes, while the
   payments of those items, booked this year, are lettered on their own or not at
   all. Left alone, the customer would show an overdue opening item exactly
   cancelled by unapplied cash.
2. **Customers nobody letters.** When not one of a customer's 411 lines carries a
   code, the file says nothing about which invoice each payment settled.

The rules, per customer and currency, after lettering:

- *opening rule*: the customer's opening debits still open are settled by its
  credits still unapplied (unlettered payments and credit notes, and the part of
  a partially lettered credit its group did not use);
- *unlettered customer rule*: for a customer without any lettering code in the
  file, every debit still open is settled by every credit still unapplied;
- both first in, first out: the oldest debit first, by the oldest credit, by date
  then by line; a credit may be split across debits and a debit settled by several
  credits (partial matches allowed). What is left stays open or unapplied.

A customer's balance never changes: only settlements between its own lines are
added, never beyond what is open on either side. This follows the French rule of
imputation of payments when the debtor did not say which debt it paid (Code civil,
art. 1342-10: debts due first, the oldest first).

Worked example: opening debit 300 (1 Sept), payments of 100 (4 Sept, lettered
`AA` alone) and 250 (6 Sept, unlettered). The opening rule gives 100 then 200 of
the second payment to the opening item, which is closed; 50 stays unapplied.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from relance.imports.fec_entries import ReceivableLine
from relance.imports.fec_lettering import Settlement, first_in_first_out

Key = tuple[str, str]  # customer, currency


def _left_after(
    items: list[ReceivableLine], settlements: Iterable[Settlement]
) -> dict[int, Decimal]:
    """What each line still has open (debits) or unapplied (credits), by id."""
    left = {id(item): abs(item.amount) for item in items}
    for s in settlements:
        left[id(s.credit)] -= s.amount
        left[id(s.debit)] -= s.amount
    return left


def match_open_items(
    items: list[ReceivableLine], settlements: list[Settlement]
) -> list[Settlement]:
    """Settlements the opening and unlettered-customer rules add to lettering's."""
    left = _left_after(items, settlements)
    lettered = {item.customer for item in items if item.line.letter}
    debits: dict[Key, list[ReceivableLine]] = defaultdict(list)
    credits: dict[Key, list[ReceivableLine]] = defaultdict(list)
    for item in items:
        if left[id(item)] == 0:
            continue
        key = (item.customer, item.currency)
        if item.amount < 0:
            credits[key].append(item)
        elif item.customer not in lettered or item.role == "opening_debit":
            debits[key].append(item)
    added: list[Settlement] = []
    for key, owed in debits.items():
        if credits.get(key):
            added.extend(first_in_first_out(owed, credits[key], left))
    return added
