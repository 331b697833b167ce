"""Writing an import batch into the ledger, all or nothing.

`write_batch` checks every cross-reference (customer of a document, document of a
payment or write-off, currencies), collects every problem, and raises
`ImportRejected` before writing anything when there is one. Otherwise it upserts by
reference: re-importing the same file changes nothing, and a newer export of the same
books updates what changed without duplicating anything. A re-imported payment
replaces its applications wholesale. The caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from relance.domain.money import to_minor
from relance.imports.records import (
    DocumentRecord,
    ImportBatch,
    ImportRejected,
    Origin,
    PaymentRecord,
    Problem,
)
from relance.store import models as m

_CHUNK = 5_000


@dataclass
class WriteSummary:
    """How many rows of each kind were inserted, updated or left as they were."""

    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, what: str, n: int = 1) -> None:
        bucket = getattr(self, what)
        bucket[kind] = bucket.get(kind, 0) + n

    @property
    def changed(self) -> bool:
        return any(self.inserted.values()) or any(self.updated.values())


def _minor(
    amount: Any, currency: str, origin: Origin, fld: str, problems: list[Problem]
) -> int:
    try:
        return to_minor(amount, currency)
    except ValueError:
        problems.append(
            Problem.at(
                origin, fld, f"{amount} has more decimals than {currency} allows"
            )
        )
        return 0


def _duplicates(refs: Iterable[tuple[str, Origin]], kind: str) -> list[Problem]:
    seen: dict[str, Origin] = {}
    problems = []
    for ref, origin in refs:
        if ref in seen:
            problems.append(
                Problem.at(
                    origin, f"{kind}_id", f"duplicate id {ref!r}, first at {seen[ref]}"
                )
            )
        else:
            seen[ref] = origin
    return problems


def _table(model: type[m.Base]) -> Table:
    """The Core table of a mapped class (typed as a Table for the checker)."""
    return cast(Table, model.__table__)


def _first_per_field(problems: list[Problem]) -> list[Problem]:
    """One problem per file, line and field: an importer's own message wins."""
    seen: set[tuple[str, int, str]] = set()
    kept = []
    for problem in problems:
        key = (problem.file, problem.line, problem.field)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept


def _chunks(rows: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), _CHUNK):
        yield rows[start : start + _CHUNK]


def _upsert(
    session: Session,
    model: type[m.Base],
    key: str,
    rows: list[dict[str, Any]],
    existing: dict[Any, dict[str, Any]],
    summary: WriteSummary,
    kind: str,
    keep_existing_when_none: bool = False,
    insert_defaults: dict[str, Any] | None = None,
) -> None:
    """Insert new rows and update changed ones, matching on `key`.

    With `keep_existing_when_none`, a None value leaves the stored one as it is
    (a FEC import knows no e-mail and must not erase the one customers.csv gave).
    """
    to_insert, to_update = [], []
    defaults = insert_defaults or {}
    for row in rows:
        old = existing.get(row[key])
        if old is None:
            to_insert.append(
                {
                    k: (defaults.get(k) if v is None and k in defaults else v)
                    for k, v in row.items()
                }
            )
            continue
        if keep_existing_when_none:
            row = {k: v for k, v in row.items() if v is not None}
        changes = {k: v for k, v in row.items() if old.get(k) != v}
        if changes:
            to_update.append({"id": old["id"], **changes})
        else:
            summary.count(kind, "unchanged")
    for chunk in _chunks(to_insert):
        session.execute(insert(model), chunk)
    # Bulk update by primary key groups rows with the same set of columns.
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in to_update:
        by_columns.setdefault(tuple(sorted(row)), []).append(row)
    for group in by_columns.values():
        for chunk in _chunks(group):
            session.execute(update(model), chunk)
    summary.count(kind, "inserted", len(to_insert))
    summary.count(kind, "updated", len(to_update))


def _existing(session: Session, table: Table, key: str) -> dict[Any, dict[str, Any]]:
    result = session.execute(select(table))
    return {row[key]: dict(row) for row in result.mappings()}


def _customer_rows(batch: ImportBatch) -> list[dict[str, Any]]:
    rows = []
    for c in batch.customers:
        rows.append(
            {
                "ref": c.ref,
                "name": c.name,
                "email": c.email,
                "billing_email": c.billing_email,
                "payment_terms": c.payment_terms,
                "segment": c.segment,
                "country": c.country,
                "language": c.language,
                "customer_type": c.customer_type,
                "tags": ",".join(c.tags) if c.tags else None,
                "opted_out": c.opted_out,
                "legal_procedure": c.legal_procedure,
                "dunning_excluded": c.dunning_excluded,
                "late_rate_percent": (
                    None if c.late_rate_percent is None else str(c.late_rate_percent)
                ),
                "collector": c.collector,
                "phone": c.phone,
                "address": c.address,
            }
        )
    return rows


def _document_row(
    d: DocumentRecord, customer_id: int, minor: int, source: str
) -> dict[str, Any]:
    return {
        "ref": d.ref,
        "customer_id": customer_id,
        "kind": "credit_note" if d.amount < 0 else "invoice",
        "issue_date": d.issue_date,
        "due_date": d.due_date,
        "amount_minor": minor,
        "currency": d.currency,
        "status": d.status,
        "disputed": d.disputed,
        "billing_email": d.billing_email,
        "source": source,
    }


@dataclass
class _Checked:
    """What checking a batch found: its problems, and what writing it needs."""

    problems: list[Problem]
    existing_customers: dict[Any, dict[str, Any]]
    existing_docs: dict[Any, dict[str, Any]]
    doc_info: dict[str, tuple[str, str]]
    doc_minor: dict[str, int]
    resolved_payments: list[tuple[PaymentRecord, str, str]]


def check_batch(session: Session, batch: ImportBatch) -> list[Problem]:
    """Every cross-reference problem of a batch, writing nothing.

    Duplicate ids, unknown customers and invoices, currencies and minor units,
    checked against the batch and the store. The problems already in
    `batch.problems` are not repeated; one problem per file, line and field.
    """
    return _first_per_field(_check(session, batch).problems)


def _check(session: Session, batch: ImportBatch) -> _Checked:
    problems: list[Problem] = []

    # Duplicate references inside the batch are data problems.
    problems += _duplicates(((c.ref, c.origin) for c in batch.customers), "customer")
    problems += _duplicates(((d.ref, d.origin) for d in batch.documents), "invoice")
    problems += _duplicates(((p.ref, p.origin) for p in batch.payments), "payment")

    # Customers first: documents and payments point at them.
    customers_t = _table(m.Customer)
    existing_customers = _existing(session, customers_t, "ref")
    known_customers = set(existing_customers) | {c.ref for c in batch.customers}
    for d in batch.documents:
        if d.customer_ref not in known_customers:
            problems.append(
                Problem.at(
                    d.origin, "customer_id", f"unknown customer {d.customer_ref!r}"
                )
            )

    # Documents: resolve the currency and customer each payment needs.
    documents_t = _table(m.Document)
    existing_docs = _existing(session, documents_t, "ref")
    doc_info: dict[str, tuple[str, str]] = {
        ref: (row["currency"], row["customer_id"]) for ref, row in existing_docs.items()
    }
    customer_ref_of_id = {row["id"]: ref for ref, row in existing_customers.items()}
    doc_info = {
        ref: (cur, customer_ref_of_id[cid]) for ref, (cur, cid) in doc_info.items()
    }
    for d in batch.documents:
        doc_info[d.ref] = (d.currency, d.customer_ref)

    resolved_payments: list[tuple[PaymentRecord, str, str]] = []
    for p in batch.payments:
        currency, customer_ref = p.currency, p.customer_ref
        bad = False
        for a in p.applications:
            info = doc_info.get(a.document_ref)
            if info is None:
                problems.append(
                    Problem.at(
                        p.origin, "invoice_id", f"unknown invoice {a.document_ref!r}"
                    )
                )
                bad = True
                continue
            currency = currency or info[0]
            customer_ref = customer_ref or info[1]
            if info[0] != currency:
                problems.append(
                    Problem.at(
                        p.origin,
                        "currency",
                        f"payment in {currency} applied to invoice {a.document_ref!r} in {info[0]}",
                    )
                )
                bad = True
        if not bad and customer_ref is None:
            problems.append(
                Problem.at(
                    p.origin,
                    "customer_id",
                    "a payment without invoice needs a customer_id",
                )
            )
            bad = True
        elif customer_ref is not None and customer_ref not in known_customers:
            problems.append(
                Problem.at(
                    p.origin, "customer_id", f"unknown customer {customer_ref!r}"
                )
            )
            bad = True
        if not bad and currency is None:
            problems.append(
                Problem.at(p.origin, "currency", "no currency given nor implied")
            )
            bad = True
        if (
            not bad
            and sum((a.amount for a in p.applications), start=p.amount * 0) > p.amount
        ):
            problems.append(
                Problem.at(
                    p.origin, "amount", f"applications exceed the payment of {p.amount}"
                )
            )
            bad = True
        # Without a problem, both were found above.
        if not bad and currency is not None and customer_ref is not None:
            resolved_payments.append((p, currency, customer_ref))

    for w in batch.writeoffs:
        if w.document_ref not in doc_info:
            problems.append(
                Problem.at(
                    w.origin, "invoice_id", f"unknown invoice {w.document_ref!r}"
                )
            )
    for ca in batch.credit_applications:
        target = doc_info.get(ca.document_ref)
        if target is None:
            problems.append(
                Problem.at(
                    ca.origin, "applies_to", f"unknown invoice {ca.document_ref!r}"
                )
            )
            continue
        credit = doc_info.get(ca.credit_note_ref)
        if credit is None:
            problems.append(
                Problem.at(
                    ca.origin,
                    "invoice_id",
                    f"unknown credit note {ca.credit_note_ref!r}",
                )
            )
        elif credit[0] != target[0]:
            problems.append(
                Problem.at(
                    ca.origin,
                    "applies_to",
                    f"credit note in {credit[0]} set against invoice "
                    f"{ca.document_ref!r} in {target[0]}",
                )
            )

    # Amounts must fit the currency's minor unit; collect those problems too.
    doc_minor = {
        d.ref: _minor(d.amount, d.currency, d.origin, "amount", problems)
        for d in batch.documents
    }
    for p, cur, _ in resolved_payments:
        _minor(p.amount, cur, p.origin, "amount", problems)
        for a in p.applications:
            _minor(a.amount, cur, p.origin, "amount", problems)
    for w in batch.writeoffs:
        if w.document_ref in doc_info:
            _minor(w.amount, doc_info[w.document_ref][0], w.origin, "amount", problems)
    return _Checked(
        problems,
        existing_customers,
        existing_docs,
        doc_info,
        doc_minor,
        resolved_payments,
    )


def write_batch(
    session: Session,
    batch: ImportBatch,
    progress: Callable[[str], None] | None = None,
) -> WriteSummary:
    """Check and write a batch; raise `ImportRejected` with every problem found."""
    summary = WriteSummary()
    step = progress or (lambda _label: None)
    step("customers")
    checked = _check(session, batch)
    problems = [*batch.problems, *checked.problems]
    existing_customers = checked.existing_customers
    existing_docs = checked.existing_docs
    doc_info, doc_minor = checked.doc_info, checked.doc_minor
    resolved_payments = checked.resolved_payments
    if problems:
        raise ImportRejected(_first_per_field(problems))

    # Write customers, then documents.
    _upsert(
        session,
        m.Customer,
        "ref",
        _customer_rows(batch),
        existing_customers,
        summary,
        "customers",
        keep_existing_when_none=True,
        insert_defaults={
            "tags": "",
            "opted_out": False,
            "legal_procedure": False,
            "dunning_excluded": False,
        },
    )
    customer_id = {
        ref: cid for ref, cid in session.execute(select(m.Customer.ref, m.Customer.id))
    }
    step("documents")
    _upsert(
        session,
        m.Document,
        "ref",
        [
            _document_row(
                d, customer_id[d.customer_ref], doc_minor[d.ref], batch.source
            )
            for d in batch.documents
        ],
        existing_docs,
        summary,
        "documents",
    )
    document_id = {
        ref: did for ref, did in session.execute(select(m.Document.ref, m.Document.id))
    }

    # Payments and their applications.
    step("payments")
    payments_t = _table(m.Payment)
    existing_payments = _existing(session, payments_t, "ref")
    _upsert(
        session,
        m.Payment,
        "ref",
        [
            {
                "ref": p.ref,
                "customer_id": customer_id[cref],
                "payment_date": p.payment_date,
                "amount_minor": to_minor(p.amount, cur),
                "currency": cur,
                "source": batch.source,
            }
            for p, cur, cref in resolved_payments
        ],
        existing_payments,
        summary,
        "payments",
    )
    _replace_payment_applications(session, resolved_payments, document_id, summary)
    _replace_credit_applications(session, batch, document_id, doc_info, summary)
    _write_writeoffs(session, batch, document_id, doc_info, summary)
    return summary


def _replace_payment_applications(
    session: Session,
    payments: list[tuple[PaymentRecord, str, str]],
    document_id: dict[str, int],
    summary: WriteSummary,
) -> None:
    if not payments:
        return
    payment_id = {
        ref: pid for ref, pid in session.execute(select(m.Payment.ref, m.Payment.id))
    }
    wanted = {
        (payment_id[p.ref], document_id[a.document_ref]): (
            p.payment_date,
            to_minor(a.amount, cur),
            cur,
        )
        for p, cur, _ in payments
        for a in p.applications
    }
    ids = [payment_id[p.ref] for p, _, _ in payments]
    _sync_applications(session, "payment_id", ids, wanted, summary)


def _replace_credit_applications(
    session: Session,
    batch: ImportBatch,
    document_id: dict[str, int],
    doc_info: dict[str, tuple[str, str]],
    summary: WriteSummary,
) -> None:
    if not batch.credit_applications:
        return
    wanted = {}
    for ca in batch.credit_applications:
        cur = doc_info[ca.document_ref][0]
        wanted[(document_id[ca.credit_note_ref], document_id[ca.document_ref])] = (
            ca.applied_on,
            to_minor(ca.amount, cur),
            cur,
        )
    ids = sorted({k[0] for k in wanted})
    _sync_applications(session, "credit_note_id", ids, wanted, summary)


def _sync_applications(
    session: Session,
    source_column: str,
    source_ids: list[int],
    wanted: dict[tuple[int, int], tuple[Any, int, str]],
    summary: WriteSummary,
) -> None:
    """Make the applications of these sources exactly `wanted`, touching only changes."""
    table = _table(m.Application)
    column = table.c[source_column]
    current: dict[tuple[int, int], tuple[Any, int, str]] = {}
    for chunk_start in range(0, len(source_ids), _CHUNK):
        ids = source_ids[chunk_start : chunk_start + _CHUNK]
        rows = session.execute(
            select(
                column,
                table.c.document_id,
                table.c.applied_on,
                table.c.amount_minor,
                table.c.currency,
            ).where(column.in_(ids))
        )
        for src, doc, day, minor, cur in rows:
            current[(src, doc)] = (day, minor, cur)
    if current == wanted:
        summary.count("applications", "unchanged", len(wanted))
        return
    stale = [k for k in current if current[k] != wanted.get(k)]
    for src, doc in stale:
        session.execute(delete(table).where(column == src, table.c.document_id == doc))
    fresh = [
        {
            source_column: src,
            "document_id": doc,
            "applied_on": day,
            "amount_minor": minor,
            "currency": cur,
        }
        for (src, doc), (day, minor, cur) in wanted.items()
        if current.get((src, doc)) != (day, minor, cur)
    ]
    for chunk in _chunks(fresh):
        session.execute(insert(table), chunk)
    summary.count("applications", "inserted", len(fresh))


def _write_writeoffs(
    session: Session,
    batch: ImportBatch,
    document_id: dict[str, int],
    doc_info: dict[str, tuple[str, str]],
    summary: WriteSummary,
) -> None:
    if not batch.writeoffs:
        return
    table = _table(m.WriteOff)
    existing = {
        (row["document_id"], row["writeoff_date"]): dict(row)
        for row in session.execute(select(table)).mappings()
    }
    for w in batch.writeoffs:
        cur = doc_info[w.document_ref][0]
        key = (document_id[w.document_ref], w.writeoff_date)
        row = {
            "document_id": key[0],
            "writeoff_date": w.writeoff_date,
            "amount_minor": to_minor(w.amount, cur),
            "currency": cur,
        }
        old = existing.get(key)
        if old is None:
            session.execute(insert(table), [row])
            summary.count("writeoffs", "inserted")
        elif old["amount_minor"] != row["amount_minor"]:
            session.execute(
                update(table)
                .where(table.c.id == old["id"])
                .values(amount_minor=row["amount_minor"])
            )
            summary.count("writeoffs", "updated")
        else:
            summary.count("writeoffs", "unchanged")
