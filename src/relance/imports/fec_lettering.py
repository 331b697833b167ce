"""Lettering (lettrage) of customer lines: which credit settles which debit.

A lettering group is the set of lines of one account, one auxiliary account and one
EcritureLet code (the code alone is reused across customers and accounts, so it is
never a key by itself; case is kept, as some tools mark partial matches in lower
case). Within a group, and within one currency, credits (payments, credit notes)
are set against debits (invoices, refunds) first in, first out: the earliest credit
settles the earliest debit, by date then by line. A group that does not net to zero
is a partial match: what is left stays open, on the latest debits or as the latest
credits' unapplied part. Unlettered lines settle nothing.

Worked example: a group with invoices of 100 (1 March) and 50 (5 March), and a
payment of 120 (20 March): 100 settles the first invoice, 20 goes to the second,
which stays open for 30.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from relance.imports.fec_entries import ReceivableLine


@dataclass(frozen=True, slots=True)
class Settlement:
    """Part of a credit line set against a debit line of the same group."""

    credit: ReceivableLine
    debit: ReceivableLine
    amount: Decimal


def _order(item: ReceivableLine) -> tuple[object, int]:
    return item.day, item.line.origin.line


def first_in_first_out(
    debits: list[ReceivableLine],
    credits: list[ReceivableLine],
    left: dict[int, Decimal] | None = None,
) -> list[Settlement]:
    """Set credits against debits, the earliest of each first (date, then line).

    `left` gives what is still open on each line, by `id`, when part of it was
    already settled (updated in place); by default, each line's whole amount.
    """
    debits = sorted(debits, key=_order)
    credits = sorted(credits, key=_order)
    if left is None:
        left = {id(i): abs(i.amount) for i in (*debits, *credits)}
    settlements: list[Settlement] = []
    position = 0
    for credit in credits:
        while left[id(credit)] > 0 and position < len(debits):
            debit = debits[position]
            amount = min(left[id(credit)], left[id(debit)])
            if amount > 0:
                settlements.append(Settlement(credit, debit, amount))
            left[id(credit)] -= amount
            left[id(debit)] -= amount
            if left[id(debit)] == 0:
                position += 1
    return settlements


def settle_lettering(items: Iterable[ReceivableLine]) -> list[Settlement]:
    """Every settlement implied by the lettering codes of these lines."""
    groups: dict[tuple[str, str, str, str], list[ReceivableLine]] = defaultdict(list)
    for item in items:
        line = item.line
        if line.letter:
            groups[(line.account, line.aux, line.letter, item.currency)].append(item)
    settlements: list[Settlement] = []
    for group in groups.values():
        debits = [i for i in group if i.amount > 0]
        credits = [i for i in group if i.amount < 0]
        settlements.extend(first_in_first_out(debits, credits))
    return settlements
