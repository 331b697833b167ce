"""Importing receivables from a FEC: customers, invoices, credit notes, payments.

`read_fec` reads the file (`fec_reader`), gives each line on a 411 account a role
(`fec_entries`), turns lettering into applications (`fec_lettering`) and returns an
`ImportBatch`. It never touches the store. The rules, in short (docs/fec.md has
them in full, with their reasons):

- customer = CompAuxNum, else CompteNum; its name is the most frequent CompAuxLib
  (CompteLib when there is no auxiliary account);
- invoices, refunds and other debits become documents with a positive amount;
  credit notes documents with a negative amount; payments, opening credits and
  other credits become payments, applied as their lettering says, else unapplied;
- so every 411 line is one record, and a customer's balance in relance at the
  file's last date is the sum of its 411 debits minus credits;
- after lettering, opening items still open are matched first in, first out with
  the customer's unapplied credits, and so is everything of a customer that has no
  lettering at all (`fec_matching`);
- due dates: invoices and opening debits are due by the customer's terms
  (`customer_terms[ref]`, else `default_terms`); refunds, other debits and credit
  notes are due on their own date. A customer with invoices and no terms is a
  problem naming `--default-terms`;
- a reference is `journal:EcritureNum:EcritureDate:PieceRef:account:aux`, with `#2`,
  `#3`... for repeats in file order: the same books exported again give the same
  references, so a re-import changes nothing and a newer export updates in place.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from pathlib import Path

from relance.domain.terms import PaymentTerms, due_date, parse_terms
from relance.imports.fec_entries import TERMS_ROLES, ReceivableLine, receivable_lines
from relance.imports.fec_lettering import Settlement, settle_lettering
from relance.imports.fec_matching import match_open_items
from relance.imports.fec_reader import FecLine, read_fec_lines
from relance.imports.records import (
    Application,
    CreditApplication,
    CustomerRecord,
    DocumentRecord,
    ImportBatch,
    PaymentRecord,
    Problem,
)

_REF_LIMIT = 120  # the store keeps 128 characters; room for a "#n" suffix
_CUSTOMER_REF_LIMIT = 64
DEFAULT_TERMS_HINT = 'pass --default-terms (e.g. --default-terms "30 days")'


def read_fec(
    path: Path,
    *,
    default_terms: str | None,
    customer_terms: dict[str, str],
    display_name: str | None = None,
) -> ImportBatch:
    """Read a FEC into an import batch of receivables, with every problem found.

    `customer_terms` maps a customer reference to its payment terms text;
    `default_terms` serves customers without one. Problems name the file
    `display_name` (the path as the user typed it), else the file's own name.
    Raise ValueError when
    `default_terms` itself cannot be read (a usage error, not a data problem).
    """
    fallback = _parse_default(default_terms)
    fec = read_fec_lines(path, display_name)
    batch = ImportBatch(source=fec.name, problems=list(fec.problems))
    if not fec.columns:
        return batch

    items = receivable_lines(fec.lines)
    if not items:
        batch.problems.append(
            Problem(
                fec.name,
                1,
                "CompteNum",
                "no line on a customer account (411...): this FEC holds no "
                "receivables to import",
            )
        )
        return batch

    refs = _references(items)
    terms = _terms(items, customer_terms, fallback, batch.problems)
    settlements = settle_lettering(items)
    settlements += match_open_items(items, settlements)
    batch.customers.extend(_customers(items, batch.problems))
    batch.documents.extend(_documents(items, refs, terms))
    batch.payments.extend(_payments(items, refs, settlements))
    batch.credit_applications.extend(_credit_applications(refs, settlements))
    return batch


def _parse_default(text: str | None) -> PaymentTerms | None:
    if text is None or not text.strip():
        return None
    try:
        return parse_terms(text)
    except ValueError as error:
        raise ValueError(f"--default-terms: {error}") from None


def line_reference(line: FecLine) -> str:
    """The stable reference of a line, before repeats are numbered."""
    parts = (
        line.journal,
        line.entry_number,
        line.entry_date.strftime("%Y%m%d"),
        line.piece_ref,
        line.account,
        line.aux,
    )
    text = ":".join(parts)
    if len(text) > _REF_LIMIT:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        text = f"{text[: _REF_LIMIT - 17]}~{digest}"
    return text


def _references(items: list[ReceivableLine]) -> dict[int, str]:
    """Reference of each item, by line number; repeats get #2, #3 in file order."""
    seen: Counter[str] = Counter()
    refs: dict[int, str] = {}
    for item in items:
        base = line_reference(item.line)
        seen[base] += 1
        refs[item.line.origin.line] = (
            base if seen[base] == 1 else f"{base}#{seen[base]}"
        )
    return refs


def _terms(
    items: list[ReceivableLine],
    customer_terms: dict[str, str],
    fallback: PaymentTerms | None,
    problems: list[Problem],
) -> dict[str, PaymentTerms]:
    """Terms of each customer with invoices; one problem per customer lacking them."""
    first_invoice: dict[str, ReceivableLine] = {}
    for item in items:
        if item.role in TERMS_ROLES:
            first_invoice.setdefault(item.customer, item)
    terms: dict[str, PaymentTerms] = {}
    for customer, item in first_invoice.items():
        text = (customer_terms.get(customer) or "").strip()
        if text:
            try:
                terms[customer] = parse_terms(text)
            except ValueError as error:
                problems.append(
                    Problem.at(
                        item.line.origin,
                        "payment_terms",
                        f"customer {customer!r}: {error}",
                    )
                )
            continue
        if fallback is not None:
            terms[customer] = fallback
            continue
        problems.append(
            Problem.at(
                item.line.origin,
                "payment_terms",
                f"customer {customer!r} has invoices but no payment terms: give them "
                f"in customers.csv or {DEFAULT_TERMS_HINT}",
            )
        )
    return terms


def _customers(
    items: list[ReceivableLine], problems: list[Problem]
) -> list[CustomerRecord]:
    """One record per customer, named by its most frequent label."""
    first: dict[str, ReceivableLine] = {}
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        first.setdefault(item.customer, item)
        label = item.line.aux_label if item.line.aux else item.line.account_label
        if label:
            labels[item.customer][label] += 1
    records = []
    for customer, item in first.items():
        if len(customer) > _CUSTOMER_REF_LIMIT:
            problems.append(
                Problem.at(
                    item.line.origin,
                    "CompAuxNum",
                    f"customer account {customer!r} is longer than "
                    f"{_CUSTOMER_REF_LIMIT} characters",
                )
            )
        common = labels[customer].most_common(1)
        name = common[0][0] if common else customer
        records.append(CustomerRecord(customer, name, item.line.origin))
    return records


def _documents(
    items: list[ReceivableLine], refs: dict[int, str], terms: dict[str, PaymentTerms]
) -> list[DocumentRecord]:
    """Invoices, credit notes and other debits; due by terms or on their date."""
    documents = []
    for item in items:
        if item.is_payment:
            continue
        customer_terms = terms.get(item.customer)
        due = item.day
        if item.role in TERMS_ROLES and customer_terms is not None:
            due = due_date(item.day, customer_terms)
        documents.append(
            DocumentRecord(
                ref=refs[item.line.origin.line],
                customer_ref=item.customer,
                issue_date=item.day,
                due_date=due,
                amount=item.amount,
                currency=item.currency,
                origin=item.line.origin,
            )
        )
    return documents


def _payments(
    items: list[ReceivableLine], refs: dict[int, str], settlements: list[Settlement]
) -> list[PaymentRecord]:
    """Payments and other credits, with the applications lettering gives them."""
    applied: dict[int, list[Application]] = defaultdict(list)
    for s in settlements:
        if s.credit.is_payment:
            document_ref = refs[s.debit.line.origin.line]
            applied[s.credit.line.origin.line].append(
                Application(document_ref, s.amount)
            )
    payments = []
    for item in items:
        if not item.is_payment:
            continue
        number = item.line.origin.line
        payments.append(
            PaymentRecord(
                ref=refs[number],
                customer_ref=item.customer,
                payment_date=item.day,
                amount=-item.amount,
                currency=item.currency,
                origin=item.line.origin,
                applications=tuple(applied[number]),
            )
        )
    return payments


def _credit_applications(
    refs: dict[int, str], settlements: list[Settlement]
) -> list[CreditApplication]:
    """Credit notes set against the debits they are lettered with."""
    return [
        CreditApplication(
            credit_note_ref=refs[s.credit.line.origin.line],
            document_ref=refs[s.debit.line.origin.line],
            amount=s.amount,
            applied_on=s.credit.day,
            origin=s.credit.line.origin,
        )
        for s in settlements
        if not s.credit.is_payment
    ]
