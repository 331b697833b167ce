"""Turning the rows of a `Table` into import records, collecting every problem.

One function per kind of row. Each problem names the file, the row's line and the
column as the file calls it. A row with a problem still yields a record when its
identifiers could be read, with placeholder values (1 January 1900, amount 0) for
what could not: the batch is rejected anyway, and the record lets the store's
checks see the id, so a payment of an invoice whose date was mistyped is not also
reported as a payment of an unknown invoice.

A mapped invoice row with a settled date also yields a payment of the full amount,
whose id is `settled:` + the invoice id: importing the file again finds the same
payment and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from relance.domain.terms import PaymentTerms, due_date, parse_terms
from relance.imports.cells import (
    CellError,
    check_minor_unit,
    parse_amount,
    parse_currency,
    parse_date,
    parse_flag,
)
from relance.imports.layout import FIELDS, MAX_LENGTH, Layout
from relance.imports.records import (
    DOCUMENT_STATUSES,
    Application,
    CreditApplication,
    CustomerRecord,
    DocumentRecord,
    DocumentStatus,
    ImportBatch,
    Origin,
    PaymentRecord,
    Problem,
    WriteOffRecord,
)
from relance.imports.tabular import Cell, Table

Progress = Callable[[str, int, int | None], None]
CustomerTerms = Mapping[str, PaymentTerms]
PLACEHOLDER_DAY = date(1900, 1, 1)
SETTLED_PREFIX = "settled:"
_PROGRESS_EVERY = 2_000


@dataclass
class ReadResult:
    """Records read from one file, the customers it implies, and its row count.

    `complete` is False when the file could not be read row by row at all (an
    undecodable byte, a header missing a column): its records are then missing.
    """

    batch: ImportBatch
    implied_customers: list[CustomerRecord] = field(default_factory=list)
    rows: int = 0
    complete: bool = True


class _Row:
    """One row being read: typed accessors that record problems as they go."""

    __slots__ = ("cells", "index", "layout", "origin", "problems", "terms")

    def __init__(
        self,
        origin: Origin,
        cells: list[Cell],
        index: dict[str, int],
        layout: Layout,
        problems: list[Problem],
        terms: CustomerTerms,
    ) -> None:
        self.origin = origin
        self.cells = cells
        self.index = index
        self.layout = layout
        self.problems = problems
        self.terms = terms

    def has(self, fld: str) -> bool:
        return fld in self.index

    def column(self, fld: str) -> str:
        return self.layout.columns.get(fld, fld)

    def problem(self, fld: str, message: str) -> None:
        self.problems.append(Problem.at(self.origin, self.column(fld), message))

    def raw(self, fld: str) -> Cell:
        i = self.index.get(fld)
        return "" if i is None else self.cells[i]

    def text(self, fld: str) -> str | None:
        """The stripped text of a cell, None when blank or not in the file."""
        cell = self.raw(fld)
        text = cell.strip() if isinstance(cell, str) else cell.isoformat()
        return text or None

    def missing(self, fld: str) -> None:
        self.problem(fld, "missing value")

    def ident(self, fld: str, required: bool = True) -> str | None:
        cell = self.raw(fld)
        text = self.layout.rule(fld).apply(cell)
        if not text:
            if required:
                self.missing(fld)
            return None
        limit = MAX_LENGTH.get(fld)
        if limit is not None and len(text) > limit:
            self.problem(fld, f"{text!r} is too long: at most {limit} characters")
            return None
        return text

    def label(self, fld: str) -> str | None:
        text = self.text(fld)
        limit = MAX_LENGTH.get(fld)
        if text is not None and limit is not None and len(text) > limit:
            self.problem(fld, f"{text!r} is too long: at most {limit} characters")
            return None
        return text

    def day(self, fld: str, required: bool = True) -> date | None:
        cell = self.raw(fld)
        if isinstance(cell, str) and not cell.strip():
            if required:
                self.missing(fld)
            return None
        try:
            return parse_date(cell, self.layout.date_format)
        except CellError as exc:
            self.problem(fld, str(exc))
            return None

    def amount(self, fld: str) -> Decimal | None:
        cell = self.raw(fld)
        if isinstance(cell, str) and not cell.strip():
            self.missing(fld)
            return None
        try:
            return parse_amount(cell, self.layout.number)
        except CellError as exc:
            self.problem(fld, str(exc))
            return None

    def positive(self, fld: str, what: str) -> Decimal | None:
        value = self.amount(fld)
        if value is not None and value <= 0:
            self.problem(
                fld, f"{self.raw(fld)!r} is not {what}: expected an amount above 0"
            )
            return None
        return value

    def currency(self, required: bool = True) -> str | None:
        cell = self.raw("currency")
        if isinstance(cell, str) and not cell.strip():
            if self.layout.currency is not None:
                return self.layout.currency
            if required:
                self.missing("currency")
            return None
        try:
            return parse_currency(cell)
        except CellError as exc:
            self.problem("currency", str(exc))
            return None

    def fits(
        self, fld: str, value: Decimal | None, currency: str | None
    ) -> Decimal | None:
        if value is None or currency is None:
            return value
        try:
            check_minor_unit(value, currency, self.raw(fld))
        except CellError as exc:
            self.problem(fld, str(exc))
            return None
        return value

    def flag(
        self,
        fld: str,
        true_values: frozenset[str] | None = None,
        false_values: frozenset[str] | None = None,
    ) -> bool:
        try:
            return parse_flag(self.raw(fld), true_values, false_values)
        except CellError as exc:
            self.problem(fld, str(exc))
            return False


def _check_header(
    table: Table, layout: Layout, header_line: int
) -> tuple[dict[str, int], list[Problem]]:
    """Where each field sits in the header, and what is wrong with the header.

    Canonical column names are matched in any case (`Invoice_ID`); a mapping's
    exactly as written.
    """
    problems = []
    position: dict[str, int] = {}
    for i, name in enumerate(table.header):
        key = name.lower() if layout.strict_header else name
        if key in position:
            problems.append(Problem(table.name, header_line, name, "duplicate column"))
        position.setdefault(key, i)
    fields = FIELDS[layout.kind]
    index: dict[str, int] = {}
    needed = set(layout.required_columns())
    for fld, column in layout.columns.items():
        if column in position:
            index[fld] = position[column]
        elif fld in needed or not layout.strict_header:
            why = (
                f"the mapping reads {fld} from it"
                if not layout.strict_header
                else "required"
            )
            problems.append(
                Problem(table.name, header_line, column, f"missing column ({why})")
            )
    if layout.strict_header:
        for name in table.header:
            if name.lower() not in fields.canonical:
                known = ", ".join(fields.canonical)
                problems.append(
                    Problem(
                        table.name,
                        header_line,
                        name,
                        f"unknown column: expected some of {known}",
                    )
                )
    return index, problems


def read_records(
    table: Table,
    layout: Layout,
    *,
    header_line: int = 1,
    progress: Progress | None = None,
    customer_terms: CustomerTerms | None = None,
) -> ReadResult:
    """Read every row of `table` as `layout.kind` records.

    `customer_terms` (customer id -> payment terms) gives the due date of an
    invoice that has none, before the layout's default terms.
    """
    batch = ImportBatch(source=table.name)
    result = ReadResult(batch)
    batch.problems.extend(table.problems)
    seen = len(table.problems)
    if not table.header or table.problems:
        result.complete = False
        if not table.problems:
            batch.problems.append(
                Problem(
                    table.name,
                    header_line,
                    "header",
                    "empty file: expected a header line",
                )
            )
        return result
    index, header_problems = _check_header(table, layout, header_line)
    batch.problems.extend(header_problems)
    if header_problems:
        result.complete = False
        return result
    build = _BUILDERS[layout.kind]
    width = len(table.header)
    implied: dict[str, CustomerRecord] = {}
    for line, cells in table.rows:
        result.rows += 1
        if progress is not None and result.rows % _PROGRESS_EVERY == 0:
            progress(table.name, result.rows, table.total)
        origin = Origin(table.name, line)
        if len(cells) != width:
            batch.problems.append(
                Problem.at(
                    origin,
                    "columns",
                    f"expected {width} values as in the header, found {len(cells)}",
                )
            )
            continue
        row = _Row(origin, cells, index, layout, batch.problems, customer_terms or {})
        build(row, batch, implied)
    # Problems met while reading rows (a bad byte, a broken quote) come last.
    batch.problems.extend(table.problems[seen:])
    if progress is not None:
        progress(table.name, result.rows, result.rows)
    result.implied_customers = list(implied.values())
    return result


def _status(row: _Row) -> DocumentStatus:
    text = row.text("status")
    if text is None:
        return "posted"
    if row.layout.status_values is not None:
        found = row.layout.status_values.get(text.lower())
        if found is None:
            allowed = ", ".join(sorted(row.layout.status_values))
            row.problem(
                "status",
                f"{text!r} is not a declared status: expected one of {allowed}",
            )
            return "posted"
        return found
    for status in DOCUMENT_STATUSES:
        if text.lower() == status:
            return status
    row.problem(
        "status", f"{text!r} is not a status: expected posted, draft or cancelled"
    )
    return "posted"


def _invoice(row: _Row, batch: ImportBatch, implied: dict[str, CustomerRecord]) -> None:
    layout = row.layout
    ref = row.ident("invoice_id")
    customer = row.ident("customer_id")
    issued = row.day("issue_date")
    currency = row.currency()
    amount = row.fits("amount", row.amount("amount"), currency)
    due = _due_date(row, customer, issued, amount)
    status = _status(row) if row.has("status") else "posted"
    disputed = row.has("disputed") and row.flag(
        "disputed", layout.disputed_true, layout.disputed_false
    )
    settled = (
        row.day("settled_date", required=False) if row.has("settled_date") else None
    )
    applies_to = _applies_to(row, amount)
    if ref is None or customer is None or currency is None:
        return
    if applies_to is not None and issued is not None and amount is not None:
        batch.credit_applications.append(
            CreditApplication(ref, applies_to, -amount, issued, row.origin)
        )
    if layout.implied_customers and customer not in implied:
        name = row.text("customer_name") or customer
        implied[customer] = CustomerRecord(customer, name, row.origin)
    batch.documents.append(
        DocumentRecord(
            ref=ref,
            customer_ref=customer,
            issue_date=issued or PLACEHOLDER_DAY,
            due_date=due or PLACEHOLDER_DAY,
            amount=amount if amount is not None else Decimal(0),
            currency=currency,
            origin=row.origin,
            status=status,
            disputed=disputed,
            billing_email=row.text("billing_email"),
        )
    )
    # A settled invoice is paid in full on its settled date (credit notes and
    # documents that are not posted are never paid).
    if settled is not None and amount is not None and amount > 0 and status == "posted":
        batch.payments.append(
            PaymentRecord(
                ref=SETTLED_PREFIX + ref,
                customer_ref=customer,
                payment_date=settled,
                amount=amount,
                currency=currency,
                origin=row.origin,
                applications=(Application(ref, amount),),
            )
        )


def _applies_to(row: _Row, amount: Decimal | None) -> str | None:
    """The invoice a credit note settles, when the file says so."""
    if not row.has("applies_to"):
        return None
    target = row.ident("applies_to", required=False)
    if target is not None and amount is not None and amount >= 0:
        row.problem(
            "applies_to",
            f"{target!r} names an invoice to settle, but only a credit note "
            "(negative amount) can settle one",
        )
        return None
    return target


def _due_date(
    row: _Row, customer: str | None, issued: date | None, amount: Decimal | None
) -> date | None:
    day = row.day("due_date", required=False) if row.has("due_date") else None
    if day is not None or issued is None:
        return day
    if row.has("due_date") and row.text("due_date") is not None:
        return None  # an unreadable due date: already a problem
    # A credit note is due when issued: it may leave the due date blank.
    if amount is not None and amount < 0:
        return issued
    terms = row.terms.get(customer or "") or row.layout.terms
    if terms is None:
        row.problem(
            "due_date",
            "missing value: give a due date, payment terms for the customer, "
            "or --default-terms",
        )
        return None
    return due_date(issued, terms)


def _payment(row: _Row, batch: ImportBatch, implied: dict[str, CustomerRecord]) -> None:
    ref = row.ident("payment_id")
    invoice = row.ident("invoice_id", required=False)
    customer = row.ident("customer_id", required=False)
    day = row.day("date")
    currency = row.currency(required=False)
    amount = row.fits("amount", row.positive("amount", "a payment"), currency)
    # Cash left unapplied needs its payer and its currency; without them the
    # row is reported here and not passed on, so nothing repeats the problem.
    usable = True
    if invoice is None:
        if customer is None:
            row.problem(
                "customer_id",
                "missing value: a payment of no invoice needs a customer_id",
            )
            usable = False
        if currency is None:
            if row.text("currency") is None:
                row.problem(
                    "currency",
                    "missing value: a payment of no invoice needs a currency",
                )
            usable = False
    if ref is None or not usable:
        return
    paid = amount if amount is not None else Decimal(0)
    batch.payments.append(
        PaymentRecord(
            ref=ref,
            customer_ref=customer,
            payment_date=day or PLACEHOLDER_DAY,
            amount=paid,
            currency=currency,
            origin=row.origin,
            applications=(Application(invoice, paid),) if invoice else (),
        )
    )


def _writeoff(
    row: _Row, batch: ImportBatch, implied: dict[str, CustomerRecord]
) -> None:
    invoice = row.ident("invoice_id")
    day = row.day("date")
    amount = row.positive("amount", "a write-off")
    if invoice is None:
        return
    batch.writeoffs.append(
        WriteOffRecord(
            document_ref=invoice,
            writeoff_date=day or PLACEHOLDER_DAY,
            amount=amount if amount is not None else Decimal(0),
            origin=row.origin,
        )
    )


def _country(row: _Row) -> str | None:
    text = row.text("country")
    if text is None:
        return None
    if len(text) != 2 or not text.isalpha() or not text.isascii():
        row.problem(
            "country",
            f"{text!r} is not a country: expected a 2-letter ISO code such as FR",
        )
        return None
    return text.upper()


def _tags(row: _Row) -> tuple[str, ...]:
    text = row.text("tags")
    if text is None:
        return ()
    tags = tuple(t.strip() for t in text.split(";") if t.strip())
    for tag in tags:
        if "," in tag:
            row.problem("tags", f"{tag!r} holds a comma: separate tags with semicolons")
    return tags


def _terms(row: _Row) -> str | None:
    text = row.text("payment_terms")
    if text is not None:
        try:
            parse_terms(text)
        except ValueError as exc:
            row.problem("payment_terms", str(exc))
    return text


def _customer(
    row: _Row, batch: ImportBatch, implied: dict[str, CustomerRecord]
) -> None:
    ref = row.ident("customer_id")
    name = row.text("name")
    if name is None:
        row.missing("name")
    # Every cell is read, so that each problem of the row is reported.
    customer = CustomerRecord(
        ref or "",
        name or ref or "",
        row.origin,
        email=row.text("email"),
        billing_email=row.text("billing_email"),
        payment_terms=_terms(row),
        segment=row.label("segment"),
        country=_country(row),
        language=row.label("language"),
        customer_type=row.label("customer_type"),
        tags=_tags(row),
        opted_out=_optional_flag(row, "opted_out"),
        legal_procedure=_optional_flag(row, "legal_procedure"),
        dunning_excluded=_optional_flag(row, "dunning_excluded"),
        late_rate_percent=_rate(row),
        collector=row.label("collector"),
        phone=row.label("phone"),
        address=row.text("address"),
    )
    if ref is not None:
        batch.customers.append(customer)


def _optional_flag(row: _Row, fld: str) -> bool | None:
    """A yes/no cell; None when the column is absent or the cell blank."""
    if not row.has(fld) or row.text(fld) is None:
        return None
    return row.flag(fld)


def _rate(row: _Row) -> Decimal | None:
    """A contractual late-payment rate in percent per year, e.g. 12.5."""
    if not row.has("late_rate_percent") or row.text("late_rate_percent") is None:
        return None
    value = row.amount("late_rate_percent")
    if value is not None and not Decimal(0) <= value <= Decimal(100):
        row.problem(
            "late_rate_percent",
            f"{row.raw('late_rate_percent')!r} is not a yearly rate in percent (0 to 100)",
        )
        return None
    return value


_BUILDERS = {
    "customers": _customer,
    "invoices": _invoice,
    "payments": _payment,
    "writeoffs": _writeoff,
}
