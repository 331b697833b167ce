"""Writing imported actions and feedback into the store, all or nothing.

Contracts:
- every cross-reference is checked first (customers, invoices, an invoice's
  customer against the one given, currencies, costs finer than the currency
  allows, a ref already used by an action relance recorded itself); when any
  problem is found, `ImportRejected` lists them all and nothing is written;
- actions are matched on their ref: re-importing the same file changes nothing,
  a corrected row updates its action; imported actions have `source = 'import'`,
  state `held_out` when the holdout flag is set and `sent` otherwise, and one
  item per invoice (step key `import:<ref>`) whose residual is the invoice's open
  balance on the action day (replayed from the ledger);
- satisfaction scores are matched on (customer, day, kind); a team note already
  stored with the same day, tag, text, customer and collector is not added again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from relance.domain.money import to_minor
from relance.imports.actions import ActionRecord, read_actions
from relance.imports.cells import CellError, check_minor_unit
from relance.imports.feedback import (
    FeedbackFile,
    NoteRecord,
    ScoreRecord,
    read_feedback,
)
from relance.imports.records import ImportRejected, Problem
from relance.roi.collections import residuals_at
from relance.store import models as m
from relance.store.db import Store
from relance.store.reader import load_ledger

SOURCE = "import"


@dataclass
class Written:
    """How many rows were inserted, updated or found unchanged."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    items: int = 0


@dataclass(frozen=True)
class _Resolved:
    record: ActionRecord
    customer_id: int
    currency: str
    documents: tuple[int, ...]


def _lookup(
    session: Session, column: Any, key: Any, values: Iterable[str]
) -> dict[str, Any]:
    wanted = sorted(set(values))
    found: dict[str, Any] = {}
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        for row in session.execute(select(key, column).where(key.in_(chunk))):
            found[row[0]] = row[1]
    return found


def _resolve(
    session: Session, records: list[ActionRecord], default_currency: str
) -> tuple[list[_Resolved], list[Problem]]:
    """Customers, invoices and currencies of each action, or the problems."""
    customers = {
        ref: (cid, segment)
        for ref, cid, segment in session.execute(
            select(m.Customer.ref, m.Customer.id, m.Customer.segment)
        )
    }
    invoice_refs = [ref for r in records for ref in r.invoice_refs]
    invoices = {
        row.ref: row
        for row in session.execute(
            select(
                m.Document.ref,
                m.Document.id,
                m.Document.customer_id,
                m.Document.currency,
                m.Document.issue_date,
            ).where(m.Document.ref.in_(sorted(set(invoice_refs))))
        )
    }
    ref_of_customer = {cid: ref for ref, (cid, _) in customers.items()}
    problems: list[Problem] = []
    resolved = []
    for r in records:
        bad = len(problems)
        docs, currencies, owners = [], set(), set()
        for ref, origin in zip(r.invoice_refs, r.lines, strict=True):
            doc = invoices.get(ref)
            if doc is None:
                problems.append(
                    Problem.at(origin, "invoice_id", f"unknown invoice {ref!r}")
                )
                continue
            if doc.issue_date > r.day:
                # The invoice did not exist yet: the date or the invoice is wrong.
                problems.append(
                    Problem.at(
                        origin,
                        "date",
                        f"{r.day} is before invoice {ref!r} was issued "
                        f"({doc.issue_date})",
                    )
                )
                continue
            docs.append(doc.id)
            currencies.add(doc.currency)
            owners.add(doc.customer_id)
        customer_id = None
        if r.customer_ref is not None:
            known = customers.get(r.customer_ref)
            if known is None:
                problems.append(
                    Problem.at(
                        r.origin, "customer_id", f"unknown customer {r.customer_ref!r}"
                    )
                )
            else:
                customer_id = known[0]
        for owner in owners:
            if customer_id is None:
                customer_id = owner
            elif owner != customer_id:
                problems.append(
                    Problem.at(
                        r.origin,
                        "invoice_id",
                        f"the invoice belongs to customer {ref_of_customer[owner]!r}, "
                        f"not {r.customer_ref!r}",
                    )
                )
        if len(currencies) > 1:
            problems.append(
                Problem.at(
                    r.origin,
                    "invoice_id",
                    f"invoices in {', '.join(sorted(currencies))}: "
                    "one action is in one currency",
                )
            )
        currency = r.currency or (min(currencies) if currencies else default_currency)
        if r.currency and currencies and r.currency not in currencies:
            problems.append(
                Problem.at(
                    r.origin,
                    "currency",
                    f"{r.currency} differs from the invoice's {min(currencies)}",
                )
            )
        try:
            check_minor_unit(r.cost, currency, str(r.cost))
        except CellError as exc:
            problems.append(Problem.at(r.origin, "cost", str(exc)))
        if len(problems) == bad and customer_id is not None:
            resolved.append(_Resolved(r, customer_id, currency, tuple(docs)))
    return resolved, problems


def _stakes(session: Session, resolved: list[_Resolved]) -> dict[tuple[int, Any], int]:
    """Open balance of each (invoice, action day), from the ledger's replay."""
    pairs = pl.DataFrame(
        [(doc, r.record.day) for r in resolved for doc in r.documents],
        schema={"document_id": pl.Int64, "on": pl.Date},
        orient="row",
    )
    if pairs.height == 0:
        return {}
    balances = residuals_at(load_ledger(session), pairs)
    return {
        (doc, day): int(res or 0)
        for doc, day, res in balances.select(
            "document_id", "on", "residual"
        ).iter_rows()
    }


def _action_row(
    r: _Resolved, segments: dict[int, str | None], amount: int
) -> dict[str, Any]:
    rec = r.record
    return {
        "ref": rec.ref,
        "customer_id": r.customer_id,
        "campaign": rec.campaign,
        "segment": rec.segment or segments.get(r.customer_id),
        "step": rec.step,
        "channel": rec.channel,
        "planned_on": rec.day,
        "state": "held_out" if rec.holdout else "sent",
        "holdout": rec.holdout,
        "cost_minor": 0 if rec.holdout else to_minor(rec.cost, r.currency),
        "currency": r.currency,
        "amount_minor": amount,
        "collector": rec.collector,
        "source": SOURCE,
    }


def write_actions(
    session: Session,
    records: list[ActionRecord],
    default_currency: str = "EUR",
    earlier: Sequence[Problem] = (),
) -> Written:
    """Check and write imported actions; raise `ImportRejected` with every problem.

    `earlier` are the problems of reading the file: the rows that read cleanly are
    still checked against the store, so one run reports everything.
    """
    resolved, problems = _resolve(session, records, default_currency)
    problems = [*earlier, *problems]
    existing = {
        row.ref: row
        for row in session.execute(
            select(m.Action).where(m.Action.ref.in_([r.ref for r in records]))
        ).scalars()
    }
    for record in records:
        old = existing.get(record.ref)
        if old is not None and old.source != SOURCE:
            problems.append(
                Problem.at(
                    record.origin,
                    "ref",
                    f"{record.ref!r} is already an action relance recorded "
                    "itself: choose another ref",
                )
            )
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: (p.file, p.line)))

    segments = dict(session.execute(select(m.Customer.id, m.Customer.segment)).all())
    stakes = _stakes(session, resolved)
    written = Written()
    now = datetime.now(UTC)
    for r in resolved:
        items = {doc: stakes[(doc, r.record.day)] for doc in r.documents}
        row = _action_row(r, segments, sum(max(v, 0) for v in items.values()))
        old = existing.get(r.record.ref)
        if old is None:
            action_id = session.execute(
                insert(m.Action)
                .values(**row, created_at=now, updated_at=now, attempts=0)
                .returning(m.Action.id)
            ).scalar_one()
            written.inserted += 1
        else:
            action_id = old.id
            changes = {k: v for k, v in row.items() if getattr(old, k) != v}
            if changes:
                session.execute(
                    update(m.Action)
                    .where(m.Action.id == old.id)
                    .values(**changes, updated_at=now)
                )
                written.updated += 1
            else:
                written.unchanged += 1
        written.items += _sync_items(session, action_id, r, items)
    return written


def _sync_items(
    session: Session, action_id: int, r: _Resolved, items: dict[int, int]
) -> int:
    """Make the action's items exactly `items`; return how many rows changed."""
    key = f"import:{r.record.ref}"
    current = dict(
        session.execute(
            select(m.ActionItem.document_id, m.ActionItem.residual_minor).where(
                m.ActionItem.action_id == action_id
            )
        ).all()
    )
    if current == items:
        return 0
    session.execute(delete(m.ActionItem).where(m.ActionItem.action_id == action_id))
    if items:
        session.execute(
            insert(m.ActionItem),
            [
                {
                    "action_id": action_id,
                    "document_id": doc,
                    "step_key": key,
                    "residual_minor": residual,
                    "currency": r.currency,
                }
                for doc, residual in items.items()
            ],
        )
    return len(items)


def import_actions(store: Store, path: Path, default_currency: str = "EUR") -> Written:
    """Read an actions file and write it in one transaction (see module doc)."""
    read = read_actions(path, str(path))
    with store.transaction() as session:
        return write_actions(session, read.actions, default_currency, read.problems)


def write_feedback(session: Session, read: FeedbackFile) -> Written:
    """Check and write scores or notes; raise `ImportRejected` with every problem."""
    refs = [s.customer_ref for s in read.scores] + [
        n.customer_ref for n in read.notes if n.customer_ref
    ]
    customers = _lookup(session, m.Customer.id, m.Customer.ref, refs)
    records: list[ScoreRecord | NoteRecord] = [*read.scores, *read.notes]
    # The file's own problems first: the rows that read cleanly are still checked
    # against the store, so one run reports everything.
    problems = [*read.problems] + [
        Problem.at(rec.origin, "customer_id", f"unknown customer {rec.customer_ref!r}")
        for rec in records
        if rec.customer_ref and rec.customer_ref not in customers
    ]
    seen: dict[tuple[str, Any, str], Any] = {}
    for s in read.scores:
        key = (s.customer_ref, s.day, s.kind)
        if key in seen:
            problems.append(
                Problem.at(
                    s.origin,
                    "score",
                    f"a second {s.kind} score for "
                    f"{s.customer_ref!r} on {s.day}, first at {seen[key]}",
                )
            )
        seen[key] = s.origin
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: (p.file, p.line)))
    written = Written()
    _write_scores(session, read, customers, written)
    _write_notes(session, read, customers, written)
    return written


def _write_scores(
    session: Session, read: FeedbackFile, customers: dict[str, int], written: Written
) -> None:
    table = m.SatisfactionScore
    stored = {
        (cid, day, kind): (sid, score)
        for sid, cid, day, kind, score in session.execute(
            select(
                table.id, table.customer_id, table.scored_on, table.kind, table.score
            )
        )
    }
    for s in read.scores:
        cid = customers[s.customer_ref]
        old = stored.get((cid, s.day, s.kind))
        if old is None:
            session.execute(
                insert(table).values(
                    customer_id=cid, scored_on=s.day, kind=s.kind, score=s.score
                )
            )
            written.inserted += 1
        elif old[1] != s.score:
            session.execute(
                update(table).where(table.id == old[0]).values(score=s.score)
            )
            written.updated += 1
        else:
            written.unchanged += 1


def _write_notes(
    session: Session, read: FeedbackFile, customers: dict[str, int], written: Written
) -> None:
    table = m.TeamNote
    stored: set[tuple[Any, ...]] = set(
        tuple(row)
        for row in session.execute(
            select(
                table.customer_id,
                table.collector,
                table.noted_on,
                table.tag,
                table.text,
            )
        ).all()
    )
    for n in read.notes:
        cid = customers.get(n.customer_ref) if n.customer_ref else None
        key = (cid, n.collector, n.day, n.tag, n.text)
        if key in stored:
            written.unchanged += 1
            continue
        session.execute(
            insert(table).values(
                customer_id=cid,
                collector=n.collector,
                noted_on=n.day,
                tag=n.tag,
                text=n.text,
            )
        )
        stored.add(key)
        written.inserted += 1


def import_feedback(store: Store, path: Path) -> tuple[str | None, Written]:
    """Read a scores or notes file and write it in one transaction."""
    read = read_feedback(path, str(path))
    with store.transaction() as session:
        return read.layout, write_feedback(session, read)
