"""What each customer-account line of a FEC is: invoice, credit note, payment...

A FEC line alone does not say what it is; its entry (the balanced set of lines
posted together) does. This module rebuilds the entries and gives every line on a
customer receivable account (411…) a role:

| entry holds…                              | 411 debit       | 411 credit      |
|-------------------------------------------|-----------------|-----------------|
| opening journal (ANO, AN, RAN, AD…)       | opening_debit   | opening_credit  |
| a bank or cash line (511, 512, 514-517, 53)| refund          | payment         |
| an operating income line (70 to 75)       | invoice         | credit_note     |
| neither (OD transfers, 413 bills, 678…)   | other_debit     | other_credit    |

The rows are tried top to bottom, except that for a debit the income row comes
before the bank row (a cash sale's 411 debit is an invoice) and for a credit the
bank row comes first (its 411 credit is the payment).

Entries: lines sharing JournalCode and EcritureNum form one entry when they share
one EcritureDate and balance. Otherwise, and always when EcritureNum is empty or
zero (some tools write 0 on every line), the lines of that number are cut, in file
order, into runs sharing EcritureDate and PieceRef, and a run is closed each time
its balance returns to 0.

Dates: documents are dated by PieceDate (EcritureDate when absent), opening items
too, so detailed opening items keep their original dates; a payment or refund is
dated by the bank line's EcritureDate, other credits by their EcritureDate.
DateLet is never a date of payment.

Opening balances: when one customer account has lines both in an aggregate opening
journal (ANO, AN, RAN) and in a detailed one (AD, "A nouveaux détaillés") and both
net to the same balance, the aggregate lines repeat the detail: they are left out,
so the opening balance is counted once. If the two differ, both are kept, as the
file says.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from relance.imports.fec_reader import BOOK_CURRENCY, FecLine

Role = Literal[
    "invoice",
    "credit_note",
    "payment",
    "refund",
    "opening_debit",
    "opening_credit",
    "other_debit",
    "other_credit",
]
OpeningKind = Literal["aggregate", "detailed"]

PAYMENT_ROLES: frozenset[Role] = frozenset(
    {"payment", "opening_credit", "other_credit"}
)
TERMS_ROLES: frozenset[Role] = frozenset({"invoice", "opening_debit"})
_CASH_PREFIXES = ("511", "512", "514", "515", "516", "517", "53")
_INCOME_PREFIXES = ("70", "71", "72", "73", "74", "75")
_AGGREGATE_OPENING = frozenset({"AN", "ANO", "RAN"})
_DETAILED_OPENING = frozenset({"AD"})


@dataclass(frozen=True, slots=True)
class ReceivableLine:
    """A line on a customer account, with its role, date and signed amount."""

    line: FecLine
    customer: str
    role: Role
    day: date
    amount: Decimal
    currency: str

    @property
    def is_payment(self) -> bool:
        """True when it becomes a payment (money in), else it is a document."""
        return self.role in PAYMENT_ROLES


def is_receivable_account(account: str) -> bool:
    """Customer receivable accounts: 411 and its sub-accounts."""
    return account.startswith("411")


def customer_of(line: FecLine) -> str:
    """The customer: the auxiliary account, else the general account."""
    return line.aux or line.account


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def opening_kind(journal: str, journal_label: str) -> OpeningKind | None:
    """Whether a journal holds opening balances, aggregate or detailed."""
    code, label = journal.upper(), _plain(journal_label)
    # "AD" is also short for "achats divers": trust the code only when the label
    # is silent or says "à nouveaux".
    by_code = code in _DETAILED_OPENING and (not label or "nouveau" in label)
    if by_code or ("nouveau" in label and "detail" in label):
        return "detailed"
    if code in _AGGREGATE_OPENING or "nouveau" in label:
        return "aggregate"
    return None


def _place(line: FecLine) -> tuple[date, str]:
    return line.entry_date, line.piece_ref


def _runs(lines: list[FecLine]) -> Iterator[list[FecLine]]:
    """Cut same-numbered lines into entries by date, piece and zero balance."""
    run: list[FecLine] = []
    balance, moved = Decimal(0), False
    for line in lines:
        closed = moved and balance == 0
        if run and (closed or _place(line) != _place(run[0])):
            yield run
            run, balance, moved = [], Decimal(0), False
        run.append(line)
        balance += line.amount
        moved = moved or line.amount != 0
    if run:
        yield run


def group_entries(lines: Iterable[FecLine]) -> list[list[FecLine]]:
    """The entries of a file, each a list of lines in file order."""
    by_number: dict[tuple[str, str], list[FecLine]] = defaultdict(list)
    for line in lines:
        by_number[(line.journal, line.entry_number)].append(line)
    entries: list[list[FecLine]] = []
    for (_, number), numbered in by_number.items():
        one_date = len({line.entry_date for line in numbered}) == 1
        balanced = sum(line.amount for line in numbered) == 0
        if number.strip("0") and one_date and balanced:
            entries.append(numbered)
        else:
            entries.extend(_runs(numbered))
    return entries


def _role(line: FecLine, entry: list[FecLine], opening: bool) -> tuple[Role, date]:
    """Role and date of one 411 line within its entry."""
    debit = line.amount > 0
    if opening:
        return ("opening_debit" if debit else "opening_credit"), line.document_date
    others = [o for o in entry if not is_receivable_account(o.account)]
    income = any(o.account.startswith(_INCOME_PREFIXES) for o in others)
    cash = [o for o in others if o.account.startswith(_CASH_PREFIXES)]
    if debit and income:
        return "invoice", line.document_date
    if cash:
        return ("refund" if debit else "payment"), cash[0].entry_date
    if income:
        return "credit_note", line.document_date
    if debit:
        return "other_debit", line.document_date
    return "other_credit", line.entry_date


def _signed(line: FecLine) -> tuple[Decimal, str]:
    """Signed amount and currency: the line's foreign currency when it has one."""
    if line.currency and line.currency_amount is not None:
        sign = 1 if line.amount > 0 else -1
        return sign * line.currency_amount, line.currency
    return line.amount, BOOK_CURRENCY


def _repeated_openings(
    entries: list[list[FecLine]],
) -> set[tuple[str, str]]:
    """Customer accounts whose aggregate opening repeats the detailed one."""
    totals: dict[OpeningKind, dict[tuple[str, str], Decimal]] = {
        "aggregate": defaultdict(Decimal),
        "detailed": defaultdict(Decimal),
    }
    for entry in entries:
        kind = opening_kind(entry[0].journal, entry[0].journal_label)
        if kind is None:
            continue
        for line in entry:
            if is_receivable_account(line.account):
                totals[kind][(line.account, line.aux)] += line.amount
    aggregate, detailed = totals["aggregate"], totals["detailed"]
    return {
        key for key in aggregate if key in detailed and aggregate[key] == detailed[key]
    }


def receivable_lines(lines: Iterable[FecLine]) -> list[ReceivableLine]:
    """Every non-zero line on a 411 account, with its role, in file order."""
    entries = group_entries(lines)
    repeated = _repeated_openings(entries)
    found: list[ReceivableLine] = []
    for entry in entries:
        kind = opening_kind(entry[0].journal, entry[0].journal_label)
        for line in entry:
            if not is_receivable_account(line.account) or line.amount == 0:
                continue
            if kind == "aggregate" and (line.account, line.aux) in repeated:
                continue
            role, day = _role(line, entry, opening=kind is not None)
            amount, currency = _signed(line)
            found.append(
                ReceivableLine(line, customer_of(line), role, day, amount, currency)
            )
    found.sort(key=lambda r: r.line.origin.line)
    return found
