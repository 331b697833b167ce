"""Reading e-invoices: CII (Factur-X / ZUGFeRD), UBL 2.1 Invoice and CreditNote.

One file is one document. What is read, by EN 16931 business term (BT):

- ref: the invoice number, BT-1; the document type, BT-3 (or a UBL CreditNote root);
- customer: buyer identifier BT-46, else buyer VAT id BT-48, else buyer name BT-44;
  the customer's name is BT-44 (else the UBL trading name BT-45, else the ref), and
  its email the buyer contact's (BT-58), else the buyer's electronic address when
  it is an email (CII BT-49 with scheme EM);
- issue date BT-2; due date BT-9, else the issue date moved by the payment terms
  text BT-20 when `relance.domain.terms.parse_terms` reads it, else by the default
  terms given, else a problem;
- amount: the amount due for payment BT-115, in the invoice currency BT-5;
- the invoice a credit note corrects: BT-25 (first one given).

Signs: an invoice's amount is BT-115 as written, so a negative invoice (a
correction) is recorded as a credit note; a credit note (type 381 and its
cousins, or a UBL CreditNote) is BT-115 negated. A credit note and any document
whose amount is not positive need no due date to be dunned: when BT-9 is absent
their due date is their issue date. A zero amount is recorded as posted with
amount 0, so it is never an open item.

A Factur-X / ZUGFeRD / XRechnung PDF is read through the XML it embeds
(`factur-x.xml`, `zugferd-invoice.xml`, `xrechnung.xml`); its problems carry the
PDF's name and the embedded XML's line numbers.

Problems are `file:line: BT-n name: message`, the line being the XML element's
(its parent's when the element is missing). Amounts are `Decimal`, exactly as
written; nothing is rounded: an amount finer than the currency allows is a problem.
A document type declaration is refused (e-invoices never have one; it is how
entity-expansion attacks come in).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.parsers import expat

from relance.domain.terms import PaymentTerms, due_date, parse_terms
from relance.imports.cells import CellError, check_minor_unit, parse_currency
from relance.imports.records import (
    CreditApplication,
    CustomerRecord,
    DocumentRecord,
    ImportBatch,
    Origin,
    Problem,
)

ROOTS = ("CrossIndustryInvoice", "Invoice", "CreditNote")
PDF_ATTACHMENTS = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")
# UNTDID 1001 codes of credit notes allowed by EN 16931.
CREDIT_NOTE_TYPES = frozenset({"81", "83", "261", "262", "296", "308", "381", "396"})
CREDIT_NOTE_REF_SUFFIX = " (credit note)"
_SNIFF_BYTES = 65536
_REF_LENGTH = 128
_CUSTOMER_LENGTH = 64

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:"
    "ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}

BT1 = "BT-1 invoice number"
BT2 = "BT-2 issue date"
BT3 = "BT-3 invoice type code"
BT5 = "BT-5 currency"
BT9 = "BT-9 due date"
BT44 = "BT-44 buyer name"
BT115 = "BT-115 amount due for payment"


class _Refused(Exception):
    """The XML holds a document type declaration."""


class _Found(Exception):
    """Stop sniffing: the root element's name was read."""

    def __init__(self, name: str) -> None:
        self.name = name


@dataclass
class _Tree:
    """A parsed XML document and the line on which each element starts."""

    root: ET.Element
    lines: dict[ET.Element, int]

    def line(self, element: ET.Element | None) -> int:
        return 1 if element is None else self.lines.get(element, 1)


@dataclass
class EInvoiceRead:
    """Records read from e-invoices, and which invoice each credit note corrects.

    `corrects` maps a credit note's ref to the BT-25 ref it names; the import
    turns it into a `CreditApplication` when that invoice is known.
    """

    batch: ImportBatch
    corrects: dict[str, str] = field(default_factory=dict)


def _qualified(name: str) -> str:
    """expat's `uri name` into ElementTree's `{uri}name`."""
    uri, _, local = name.rpartition(" ")
    return f"{{{uri}}}{local}" if uri else local


def _parse(data: bytes) -> _Tree:
    """Parse XML bytes, keeping each element's line; raise expat.ExpatError."""
    parser = expat.ParserCreate(namespace_separator=" ")
    builder = ET.TreeBuilder()
    lines: dict[ET.Element, int] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        element = builder.start(
            _qualified(name), {_qualified(k): v for k, v in attrs.items()}
        )
        lines[element] = parser.CurrentLineNumber

    def refuse(*_: object) -> None:
        raise _Refused

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: builder.end(_qualified(name))
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse
    parser.Parse(data, True)
    return _Tree(builder.close(), lines)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def root_name(data: bytes) -> str | None:
    """The local name of the XML root element in `data` (its start is enough)."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name: str, _attrs: object) -> None:
        raise _Found(name.rpartition(" ")[2])

    parser.StartElementHandler = start
    try:
        parser.Parse(data, False)
    except _Found as found:
        return found.name
    except expat.ExpatError:
        return None
    return None


def embedded_xml(path: Path) -> tuple[str, bytes] | None:
    """The e-invoice XML a PDF embeds, with its attachment name, or None."""
    # Imported here: pypdf is only loaded for PDF files.
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        attachments = PdfReader(path).attachments
    except (PyPdfError, OSError, ValueError):
        return None
    by_name = {name.lower(): name for name in attachments}
    for wanted in PDF_ATTACHMENTS:
        name = by_name.get(wanted)
        if name is not None and attachments[name]:
            return name, attachments[name][0]
    return None


def is_einvoice(path: Path) -> bool:
    """Whether the file is an e-invoice: an XML with an invoice root, or a PDF
    embedding one."""
    suffix = path.suffix.lower()
    if suffix == ".xml":
        try:
            with path.open("rb") as handle:
                head = handle.read(_SNIFF_BYTES)
        except OSError:
            return False
        return root_name(head) in ROOTS
    if suffix == ".pdf":
        return embedded_xml(path) is not None
    return False


def read_einvoice(
    path: Path, display_name: str, default_terms: PaymentTerms | None = None
) -> EInvoiceRead:
    """Read one e-invoice file (XML or Factur-X PDF) into records and problems."""
    read = EInvoiceRead(ImportBatch(source="e-invoice"))
    problems = read.batch.problems
    if path.suffix.lower() == ".pdf":
        found = embedded_xml(path)
        if found is None:
            problems.append(
                Problem(
                    display_name, 1, "PDF", "embeds no " + ", ".join(PDF_ATTACHMENTS)
                )
            )
            return read
        data = found[1]
    else:
        data = path.read_bytes()
    try:
        tree = _parse(data)
    except expat.ExpatError as exc:
        problems.append(Problem(display_name, exc.lineno, "XML", str(exc)))
        return read
    except _Refused:
        problems.append(
            Problem(display_name, 1, "XML", "a DOCTYPE declaration is not accepted")
        )
        return read
    kind = _local(tree.root.tag)
    if kind not in ROOTS:
        problems.append(
            Problem(
                display_name,
                tree.line(tree.root),
                "XML",
                f"root element {kind!r} is not one of {', '.join(ROOTS)}",
            )
        )
        return read
    fields = _cii(tree) if kind == "CrossIndustryInvoice" else _ubl(tree, kind)
    _Reader(display_name, tree, fields, default_terms, read).record()
    return read


@dataclass
class _Fields:
    """The elements of one e-invoice that relance reads (None when absent)."""

    number: ET.Element | None
    type_code: ET.Element | None
    credit_root: bool
    issue: ET.Element | None
    due: ET.Element | None
    terms: ET.Element | None
    currency: ET.Element | None
    payable: ET.Element | None
    buyer: ET.Element | None
    buyer_id: ET.Element | None
    buyer_vat: ET.Element | None
    buyer_name: ET.Element | None
    buyer_email: ET.Element | None
    corrects: ET.Element | None
    settlement: ET.Element | None
    date_format: str


def _first(element: ET.Element | None, *paths: str) -> ET.Element | None:
    """The first element found with text, trying `paths` in order."""
    if element is None:
        return None
    for path in paths:
        for found in element.iterfind(path, NS):
            if (found.text or "").strip():
                return found
    return None


def _cii(tree: _Tree) -> _Fields:
    root = tree.root
    doc = root.find("rsm:ExchangedDocument", NS)
    deal = root.find("rsm:SupplyChainTradeTransaction", NS)
    settle = _child(deal, "ram:ApplicableHeaderTradeSettlement")
    agreement = _child(deal, "ram:ApplicableHeaderTradeAgreement")
    buyer = _child(agreement, "ram:BuyerTradeParty")
    terms = "ram:SpecifiedTradePaymentTerms"
    return _Fields(
        number=_first(doc, "ram:ID"),
        type_code=_first(doc, "ram:TypeCode"),
        credit_root=False,
        issue=_first(doc, "ram:IssueDateTime/udt:DateTimeString"),
        due=_first(settle, f"{terms}/ram:DueDateDateTime/udt:DateTimeString"),
        terms=_first(settle, f"{terms}/ram:Description"),
        currency=_first(settle, "ram:InvoiceCurrencyCode"),
        payable=_first(
            settle,
            "ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:DuePayableAmount",
        ),
        buyer=buyer,
        buyer_id=_first(buyer, "ram:ID", "ram:GlobalID"),
        buyer_vat=_first(buyer, "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']"),
        buyer_name=_first(buyer, "ram:Name"),
        buyer_email=_first(
            buyer,
            "ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID",
            "ram:URIUniversalCommunication/ram:URIID[@schemeID='EM']",
        ),
        corrects=_first(settle, "ram:InvoiceReferencedDocument/ram:IssuerAssignedID"),
        settlement=settle,
        date_format="102",
    )


def _child(element: ET.Element | None, path: str) -> ET.Element | None:
    return None if element is None else element.find(path, NS)


def _ubl(tree: _Tree, kind: str) -> _Fields:
    root = tree.root
    party = _child(root, "cac:AccountingCustomerParty/cac:Party")
    return _Fields(
        number=_first(root, "cbc:ID"),
        type_code=_first(root, "cbc:InvoiceTypeCode", "cbc:CreditNoteTypeCode"),
        credit_root=kind == "CreditNote",
        issue=_first(root, "cbc:IssueDate"),
        # A UBL CreditNote has no DueDate: its BT-9 is in the payment means.
        due=_first(root, "cbc:DueDate", "cac:PaymentMeans/cbc:PaymentDueDate"),
        terms=_first(root, "cac:PaymentTerms/cbc:Note"),
        currency=_first(root, "cbc:DocumentCurrencyCode"),
        payable=_first(root, "cac:LegalMonetaryTotal/cbc:PayableAmount"),
        buyer=party,
        buyer_id=_first(party, "cac:PartyIdentification/cbc:ID"),
        buyer_vat=_first(party, "cac:PartyTaxScheme/cbc:CompanyID"),
        buyer_name=_first(
            party, "cac:PartyLegalEntity/cbc:RegistrationName", "cac:PartyName/cbc:Name"
        ),
        buyer_email=_first(party, "cac:Contact/cbc:ElectronicMail"),
        corrects=_first(
            root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"
        ),
        settlement=root,
        date_format="ISO",
    )


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


class _Reader:
    """Turns the fields of one e-invoice into records, collecting problems."""

    def __init__(
        self,
        name: str,
        tree: _Tree,
        fields: _Fields,
        default_terms: PaymentTerms | None,
        read: EInvoiceRead,
    ) -> None:
        self.name = name
        self.tree = tree
        self.f = fields
        self.default_terms = default_terms
        self.read = read
        self.problems = read.batch.problems

    def problem(self, element: ET.Element | None, fld: str, message: str) -> None:
        self.problems.append(Problem(self.name, self.tree.line(element), fld, message))

    def record(self) -> None:
        f = self.f
        number = self.required(f.number, self.tree.root, BT1)
        if number is not None and len(number) > _REF_LENGTH:
            self.problem(f.number, BT1, f"{number!r} is longer than {_REF_LENGTH}")
        issued = self.day(f.issue, BT2, required=True)
        currency = self.currency()
        credit = self.is_credit_note()
        amount = self.amount(currency, credit)
        customer = self.customer()
        corrects = _text(f.corrects)
        due = self.due(issued, credit or amount is None or amount <= 0)
        if None in (number, issued, currency, amount, customer, due):
            return
        assert number is not None and customer is not None
        ref = number
        if credit and corrects == number:
            # A credit note cannot share the ledger ref of the invoice it corrects.
            ref = number + CREDIT_NOTE_REF_SUFFIX
        origin = Origin(self.name, self.tree.line(f.number))
        self.read.batch.customers.append(customer)
        self.read.batch.documents.append(
            DocumentRecord(
                ref=ref,
                customer_ref=customer.ref,
                issue_date=issued,  # type: ignore[arg-type]
                due_date=due,  # type: ignore[arg-type]
                amount=amount,  # type: ignore[arg-type]
                currency=currency,  # type: ignore[arg-type]
                origin=origin,
            )
        )
        if corrects is not None and amount is not None and amount < 0:
            self.read.corrects[ref] = corrects

    def required(
        self, element: ET.Element | None, parent: ET.Element | None, fld: str
    ) -> str | None:
        text = _text(element)
        if text is None:
            self.problem(parent, fld, "missing")
        return text

    def day(
        self, element: ET.Element | None, fld: str, *, required: bool
    ) -> date | None:
        text = _text(element)
        if text is None:
            if required:
                self.problem(self.tree.root, fld, "missing")
            return None
        fmt = element.get("format", self.f.date_format) if element is not None else ""
        try:
            if fmt == "ISO":
                return date.fromisoformat(text)
            if fmt == "102":
                return datetime.strptime(text, "%Y%m%d").date()
        except ValueError:
            pass
        shape = "YYYY-MM-DD" if fmt == "ISO" else "YYYYMMDD (format 102)"
        self.problem(element, fld, f"{text!r} is not a date: expected {shape}")
        return None

    def currency(self) -> str | None:
        text = self.required(self.f.currency, self.f.settlement, BT5)
        if text is None:
            return None
        try:
            return parse_currency(text)
        except CellError as exc:
            self.problem(self.f.currency, BT5, str(exc))
            return None

    def is_credit_note(self) -> bool:
        code = _text(self.f.type_code)
        return self.f.credit_root or code in CREDIT_NOTE_TYPES

    def amount(self, currency: str | None, credit: bool) -> Decimal | None:
        element = self.f.payable
        text = self.required(element, self.f.settlement, BT115)
        if text is None:
            return None
        try:
            value = Decimal(text)
            if not value.is_finite() or "e" in text.lower():
                raise ValueError
        except (ArithmeticError, ValueError):
            self.problem(element, BT115, f"{text!r} is not an amount")
            return None
        if currency is not None:
            try:
                check_minor_unit(value, currency, text)
            except CellError as exc:
                self.problem(element, BT115, str(exc))
                return None
        if credit and value < 0:
            self.problem(
                element,
                BT115,
                f"{text!r}: a credit note with a negative amount due is a debit; "
                "send it as an invoice",
            )
            return None
        return -value if credit else value

    def customer(self) -> CustomerRecord | None:
        f = self.f
        chosen = f.buyer_id if _text(f.buyer_id) else f.buyer_vat
        chosen = chosen if _text(chosen) else f.buyer_name
        ref = _text(chosen)
        if ref is None:
            self.problem(
                f.buyer or self.tree.root,
                BT44,
                "no buyer identifier (BT-46), VAT id (BT-48) or name (BT-44)",
            )
            return None
        if len(ref) > _CUSTOMER_LENGTH:
            self.problem(chosen, "BT-46 buyer identifier", f"{ref!r} is too long")
            return None
        name = _text(f.buyer_name) or ref
        origin = Origin(self.name, self.tree.line(f.buyer))
        return CustomerRecord(ref, name, origin, email=_text(f.buyer_email))

    def due(self, issued: date | None, needs_none: bool) -> date | None:
        """BT-9, else terms BT-20, else the default terms, else a problem."""
        given = self.day(self.f.due, BT9, required=False)
        if given is not None or self.f.due is not None:
            return given
        if issued is None:
            return None
        terms_text = _text(self.f.terms)
        if terms_text is not None:
            try:
                return due_date(issued, parse_terms(terms_text))
            except ValueError:
                pass
        if self.default_terms is not None:
            return due_date(issued, self.default_terms)
        if needs_none:
            return issued
        said = f"terms {terms_text!r} not understood" if terms_text else "no terms"
        self.problem(
            self.f.settlement,
            BT9,
            f"missing, and {said} (BT-20): give --default-terms",
        )
        return None


def credit_applications(
    documents: Iterable[DocumentRecord],
    corrects: dict[str, str],
    invoices: dict[str, tuple[Decimal, str]],
    already_credited: dict[str, Decimal],
) -> list[CreditApplication]:
    """Set each correcting credit note against the invoice it names, when known.

    `invoices` maps refs of invoices (stored or of this import) to their amount and
    currency; `already_credited` what other credit notes already take from them.
    A credit note takes at most what is left of the invoice, so that two
    corrections of one invoice never make it negative; what it cannot use stays
    as its own open credit. Documents are taken in the order given.
    """
    left = {
        ref: amount - already_credited.get(ref, Decimal(0))
        for ref, (amount, _) in invoices.items()
    }
    found = []
    for doc in documents:
        target = corrects.get(doc.ref)
        if target is None or target not in invoices:
            continue
        if invoices[target][1] != doc.currency:
            continue
        amount = min(-doc.amount, left[target])
        if amount <= 0:
            continue
        left[target] -= amount
        found.append(
            CreditApplication(doc.ref, target, amount, doc.issue_date, doc.origin)
        )
    return found
