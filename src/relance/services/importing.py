"""Importing files into the ledger: what `relance import` does.

Contracts:
- every file of one call goes into one transaction: either all are written, or, when
  any problem is found, nothing is and `ImportRejected` lists every problem, sorted
  by file (in the order given) and line: the rows read are cross-checked (unknown
  customers and invoices, duplicate ids, currencies) even when other rows had
  problems; only a file that could not be read row by row at all (a bad header)
  stops the cross-checks, which would then only echo it;
- a path is classified by its name or content: a folder stands for the canonical
  files and FEC files it holds (not its sub-folders, nor its other files); a file
  named twice, or named and inside a named folder, is read once; `customers.csv`,
  `invoices.csv`, `payments.csv` and `writeoffs.csv` are canonical; a file whose
  first line names `JournalCode` (tab or pipe separated) is a FEC; any other file
  needs a mapping; an `.xml` whose root is CrossIndustryInvoice, Invoice or
  CreditNote, or a `.pdf` embedding factur-x.xml / zugferd-invoice.xml /
  xrechnung.xml, is an e-invoice (see docs/einvoice.md), also inside a folder;
- customers given by a customers.csv of the same import are the reference: a
  customer a mapped file or a FEC implies is only added when nobody else gives it,
  and a mapped file never renames a customer already in the store;
- re-importing the same files changes nothing; a newer export updates by reference.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from relance.domain.money import from_minor
from relance.domain.terms import PaymentTerms, parse_terms
from relance.imports.canonical import CANONICAL_NAMES, canonical_kind, read_canonical
from relance.imports.cells import CellError, check_minor_unit
from relance.imports.einvoice import credit_applications, is_einvoice, read_einvoice
from relance.imports.layout import FIELDS, KINDS, Kind
from relance.imports.mapping import Mapping, MappingError, load_mapping, read_mapped
from relance.imports.records import (
    CustomerRecord,
    ImportBatch,
    ImportRejected,
    Origin,
    Problem,
)
from relance.imports.rows import Progress, ReadResult
from relance.store import models as m
from relance.store.db import Store
from relance.store.writer import WriteSummary, check_batch, write_batch

FEC_MARKER = "JournalCode"
_SNIFF_BYTES = 4096


class ImportUsageError(ValueError):
    """The command cannot start: a missing path, an unknown kind of file, a bad
    mapping, unreadable terms."""


@dataclass(frozen=True)
class ImportedFile:
    """One file read: its name as given, what it was read as, and its rows."""

    name: str
    kind: str
    rows: int


@dataclass
class ImportResult:
    """The files read and what writing them changed."""

    files: list[ImportedFile] = field(default_factory=list)
    summary: WriteSummary = field(default_factory=WriteSummary)


@dataclass(frozen=True)
class _Source:
    path: Path
    name: str
    kind: str  # a canonical kind, "mapped", "fec" or "einvoice"


def classify(paths: Iterable[Path], *, mapped: bool) -> list[_Source]:
    """What each path is; a folder stands for the canonical and FEC files inside."""
    sources: list[_Source] = []
    for path in paths:
        if not path.exists():
            raise ImportUsageError(f"{path}: no such file or folder")
        if path.is_dir():
            sources.extend(_folder(path))
        else:
            sources.append(_file(path, str(path), mapped=mapped))
    order = {kind: i for i, kind in enumerate((*KINDS, "mapped", "fec", "einvoice"))}
    # Customers first: the FEC reader needs their payment terms.
    return sorted(_once_each(sources), key=lambda s: order[s.kind])


def _once_each(sources: list[_Source]) -> list[_Source]:
    """Each file once, under the name it was first given.

    `relance import books/ books/invoices.csv`, or one file typed twice, must not
    read its rows twice and report each id as a duplicate of itself.
    """
    seen: set[Path] = set()
    kept = []
    for source in sources:
        key = source.path.resolve()
        if key not in seen:
            seen.add(key)
            kept.append(source)
    return kept


def _first_line(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return ""
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        return first.decode("utf-8-sig")
    except UnicodeDecodeError:
        return first.decode("latin-1")


def looks_like_fec(path: Path) -> bool:
    """Whether the file's first line is a FEC header (JournalCode, tab or pipe)."""
    first = _first_line(path)
    return FEC_MARKER.lower() in first.lower() and ("\t" in first or "|" in first)


def _has_canonical_header(path: Path, kind: Kind) -> bool:
    columns = {c.strip().lower() for c in _first_line(path).split(",")}
    return set(FIELDS[kind].required) <= columns


def _file(path: Path, name: str, *, mapped: bool) -> _Source:
    kind = canonical_kind(path)
    # With a mapping, an export that happens to be called invoices.csv is read
    # through it unless its header is the canonical one.
    if kind is not None and (not mapped or _has_canonical_header(path, kind)):
        return _Source(path, name, kind)
    if looks_like_fec(path):
        return _Source(path, name, "fec")
    if is_einvoice(path):
        return _Source(path, name, "einvoice")
    if mapped:
        return _Source(path, name, "mapped")
    known = ", ".join(CANONICAL_NAMES)
    raise ImportUsageError(
        f"{name}: unknown kind of file: name it one of {known}, or give --mapping FILE"
    )


def _folder(folder: Path) -> list[_Source]:
    found = []
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        if (
            canonical_kind(path) is not None
            or looks_like_fec(path)
            or is_einvoice(path)
        ):
            found.append(_file(path, str(path), mapped=False))
    if not found:
        known = ", ".join(CANONICAL_NAMES)
        raise ImportUsageError(
            f"{folder}: the folder holds no file to import ({known} or a FEC)"
        )
    return found


def import_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    mapping: Path | None = None,
    default_terms: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read the files and write them into the store in one transaction.

    Raises `ImportUsageError` (or its `MappingError` cousin) before reading when the
    command cannot run, and `ImportRejected` with every data problem, having
    written nothing.
    """
    sources = classify(list(paths), mapped=mapping is not None)
    terms = _default_terms(default_terms)
    parsed = _load_mapping(mapping, terms)
    reading = _Reading(sources, parsed, default_terms, terms, progress)
    result = ImportResult()
    with store.transaction() as session:
        batch, complete = _read_all(session, reading, result)
        if not complete:
            raise ImportRejected(_sorted(batch.problems, sources))
        batch.problems.extend(_check_payments(session, batch))
        if batch.problems:
            # Rows that were read are still checked against each other and the
            # store, so that one run reports every problem.
            found = [*batch.problems, *check_batch(session, batch)]
            raise ImportRejected(_sorted(_one_per_field(found), sources))
        step = (
            None
            if progress is None
            else (lambda label: progress(f"writing {label}", 0, None))
        )
        try:
            written = write_batch(session, batch, progress=step)
        except ImportRejected as exc:
            raise ImportRejected(_sorted(exc.problems, sources)) from None
    # Add what the store wrote to the customers a mapped file named again.
    for what in ("inserted", "updated", "unchanged"):
        for kind, n in getattr(written, what).items():
            result.summary.count(kind, what, n)
    return result


def _default_terms(text: str | None) -> PaymentTerms | None:
    if text is None:
        return None
    try:
        return parse_terms(text)
    except ValueError as exc:
        raise ImportUsageError(f"--default-terms: {exc}") from None


def _load_mapping(mapping: Path | None, terms: PaymentTerms | None) -> Mapping | None:
    """The mapping file, its default terms overridden by --default-terms."""
    if mapping is None:
        return None
    if not mapping.is_file():
        raise ImportUsageError(f"{mapping}: no such mapping file")
    try:
        parsed = load_mapping(mapping)
    except MappingError as exc:
        raise ImportUsageError(str(exc)) from None
    if terms is None:
        return parsed
    return replace(parsed, layout=replace(parsed.layout, terms=terms))


@dataclass(frozen=True)
class _Reading:
    """What one import reads, and with which defaults."""

    sources: list[_Source]
    mapping: Mapping | None
    default_terms: str | None
    terms: PaymentTerms | None
    progress: Progress | None


def _customer_terms(texts: dict[str, str]) -> dict[str, PaymentTerms]:
    """Terms of customers that have readable ones (customers.csv checks its own)."""
    found = {}
    for ref, text in texts.items():
        try:
            found[ref] = parse_terms(text)
        except ValueError:
            continue
    return found


def _read_all(
    session: Session, reading: _Reading, result: ImportResult
) -> tuple[ImportBatch, bool]:
    """Read every source into one batch, customers.csv first.

    Also says whether every file could be read row by row: when a file could not
    (a bad header, a bad byte), the store's cross-checks would only echo it.
    """
    batch = ImportBatch(source=_source_label(reading.sources, reading.mapping))
    stored_terms = {
        ref: terms
        for ref, terms in session.execute(
            select(m.Customer.ref, m.Customer.payment_terms)
        )
        if terms is not None
    }
    from_fec: list[CustomerRecord] = []
    from_mapped: list[CustomerRecord] = []
    complete = True
    corrects: dict[str, str] = {}
    for source in reading.sources:
        given = {c.ref: c.payment_terms for c in batch.customers if c.payment_terms}
        texts = {**stored_terms, **given}
        if source.kind == "fec":
            fec = _read_fec(source, reading.default_terms, texts)
            read = ReadResult(fec, rows=len(fec.documents) + len(fec.payments))
            from_fec.extend(fec.customers)
            fec.customers = []
        elif source.kind == "einvoice":
            read = _read_einvoice(source, reading.terms, corrects)
        elif source.kind == "mapped":
            assert reading.mapping is not None
            read = read_mapped(
                source.path,
                reading.mapping,
                source.name,
                reading.progress,
                customer_terms=_customer_terms(texts),
            )
        else:
            read = read_canonical(
                source.path,
                cast(Kind, source.kind),
                source.name,
                reading.progress,
                terms=reading.terms,
                customer_terms=_customer_terms(texts),
            )
        complete = complete and read.complete
        batch.extend(read.batch)
        from_mapped.extend(read.implied_customers)
        result.files.append(ImportedFile(source.name, source.kind, read.rows))
    if corrects:
        batch.problems.extend(_apply_corrections(session, batch, corrects))
    kept, known = _implied_customers(session, batch.customers, from_fec, from_mapped)
    batch.customers.extend(kept)
    result.summary.count("customers", "unchanged", known)
    return batch, complete


def _source_label(sources: list[_Source], mapping: Mapping | None) -> str:
    """What the store records as the documents' source: the formats, not file names.

    File names change from one export to the next (`export-2024-03.csv`); the
    source must not, or every re-import would update every row.
    """
    named = {"fec": "fec", "einvoice": "e-invoice", "mapped": ""}
    labels = {named.get(s.kind, "canonical csv") for s in sources}
    if mapping is not None and "" in labels:
        labels.discard("")
        labels.add(f"mapping {Path(mapping.name).name}")
    return ", ".join(sorted(labels))


def _read_fec(
    source: _Source, default_terms: str | None, customer_terms: dict[str, str]
) -> ImportBatch:
    # Imported here: the FEC reader is only loaded for FEC files.
    from relance.imports.fec import read_fec

    batch: ImportBatch = read_fec(
        source.path,
        default_terms=default_terms,
        customer_terms=customer_terms,
        display_name=source.name,
    )
    return batch


def _read_einvoice(
    source: _Source, terms: PaymentTerms | None, corrects: dict[str, str]
) -> ReadResult:
    """One e-invoice; its buyer is implied like a mapped file's customers."""
    read = read_einvoice(source.path, source.name, terms)
    corrects.update(read.corrects)
    implied, read.batch.customers = read.batch.customers, []
    return ReadResult(read.batch, implied, rows=len(read.batch.documents))


def _apply_corrections(
    session: Session, batch: ImportBatch, corrects: dict[str, str]
) -> list[Problem]:
    """Credit applications of e-invoice credit notes to the invoices they name.

    The invoice may be stored or in this import. A credit note whose ref is that of
    a stored invoice is a problem: writing it would turn the invoice into a credit.
    """
    stored = session.execute(
        select(m.Document.ref, m.Document.amount_minor, m.Document.currency).where(
            m.Document.kind == "invoice"
        )
    ).all()
    invoices = {ref: (from_minor(minor, cur), cur) for ref, minor, cur in stored}
    problems = [
        Problem.at(d.origin, "BT-1 invoice number", f"{d.ref!r} is a stored invoice")
        for d in batch.documents
        if d.ref in corrects and d.ref in invoices
    ]
    invoices.update(
        {d.ref: (d.amount, d.currency) for d in batch.documents if d.amount > 0}
    )
    credit = aliased(m.Document)
    target = aliased(m.Document)
    taken: dict[str, Decimal] = {}
    for ref, credit_ref, minor, cur in session.execute(
        select(target.ref, credit.ref, m.Application.amount_minor, target.currency)
        .join(credit, credit.id == m.Application.credit_note_id)
        .join(target, target.id == m.Application.document_id)
    ):
        if credit_ref not in corrects:
            taken[ref] = taken.get(ref, Decimal(0)) + from_minor(minor, cur)
    batch.credit_applications.extend(
        credit_applications(batch.documents, corrects, invoices, taken)
    )
    return problems


def _implied_customers(
    session: Session,
    given: list[CustomerRecord],
    from_fec: list[CustomerRecord],
    from_mapped: list[CustomerRecord],
) -> tuple[list[CustomerRecord], int]:
    """Customers implied by FEC and mapped files, once each, customers.csv winning.

    A FEC customer carries the accounting name and updates a stored one; a mapped
    file only adds customers the store does not have yet. Also returns how many
    stored customers a mapped file named again (they stay unchanged).
    """
    taken = {c.ref for c in given}
    stored = set(session.execute(select(m.Customer.ref)).scalars())
    kept: list[CustomerRecord] = []
    again: set[str] = set()
    for customer in from_fec:
        if customer.ref not in taken:
            taken.add(customer.ref)
            kept.append(customer)
    for customer in from_mapped:
        if customer.ref in stored and customer.ref not in taken:
            again.add(customer.ref)
        elif customer.ref not in taken:
            taken.add(customer.ref)
            kept.append(customer)
    return kept, len(again)


def _check_payments(session: Session, batch: ImportBatch) -> list[Problem]:
    """Amounts whose currency is their invoice's, and payers of invoices.

    A payment without currency and a write-off take their invoice's currency,
    possibly an invoice already stored: their minor unit is checked here, with the
    store at hand. A payment naming both an invoice and a customer must name the
    invoice's customer.
    """
    stored = {
        ref: (currency, customer)
        for ref, currency, customer in session.execute(
            select(m.Document.ref, m.Document.currency, m.Customer.ref).join(
                m.Customer, m.Customer.id == m.Document.customer_id
            )
        ).all()
    }
    documents = {
        **stored,
        **{d.ref: (d.currency, d.customer_ref) for d in batch.documents},
    }
    problems: list[Problem] = []
    for p in batch.payments:
        invoice = p.applications[0].document_ref if p.applications else None
        known = documents.get(invoice) if invoice is not None else None
        if p.currency is None and known:
            _fits(p.amount, known[0], p.origin, problems)
        if known and p.customer_ref is not None and known[1] != p.customer_ref:
            problems.append(
                Problem.at(
                    p.origin,
                    "customer_id",
                    f"invoice {invoice!r} is of customer {known[1]!r}, "
                    f"not {p.customer_ref!r}",
                )
            )
    for w in batch.writeoffs:
        known = documents.get(w.document_ref)
        _fits(w.amount, known[0] if known else None, w.origin, problems)
    return problems


def _fits(
    amount: Decimal, currency: str | None, origin: Origin, problems: list[Problem]
) -> None:
    if currency is None:
        return
    try:
        check_minor_unit(amount, currency, str(amount))
    except CellError as exc:
        problems.append(Problem.at(origin, "amount", str(exc)))


def _one_per_field(problems: list[Problem]) -> list[Problem]:
    """One problem per file, line and field: the reader's own message wins."""
    first: dict[tuple[str, int, str], Problem] = {}
    for problem in problems:
        first.setdefault((problem.file, problem.line, problem.field), problem)
    return list(first.values())


def _sorted(problems: list[Problem], sources: list[_Source]) -> list[Problem]:
    rank = {s.name: i for i, s in enumerate(sources)}
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (rank.get(p.file, len(rank)), p.file, p.line))
