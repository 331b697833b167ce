"""The four public FEC files: imported, written, replayed, and checked line by line.

Every expected figure is worked out here in plain Python straight from the file
(a reader of a dozen lines, independent of relance's), or given by hand where the
file is small enough to add up by eye: the 411 lines, their customers, their
lettering groups, and each customer's balance at the file's last date.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from relance.domain.ledger import open_items, unapplied_cash
from relance.imports.fec import read_fec
from relance.imports.records import ImportBatch
from relance.store.reader import load_ledger
from relance.store.writer import write_batch

pytestmark = pytest.mark.shared_data

FOLDER = "fec_neolegal_fec-reader"
WITH_LETTERING = "0000000001FEC20220831.txt"
DETAILED_OPENING = "000000000FEC20231231.txt"
PIPE_PADDED = "111111111FEC20221231.TXT"
FEW_RECEIVABLES = "123456789FEC20500930.txt"
ALL_FILES = [WITH_LETTERING, DETAILED_OPENING, PIPE_PADDED, FEW_RECEIVABLES]


@dataclass(frozen=True)
class PlainLine:
    number: int
    journal: str
    entry_date: str
    piece_date: str
    account: str
    aux: str
    letter: str
    cents: int  # debit − credit


@dataclass(frozen=True)
class PlainFile:
    last_date: date
    lines: list[PlainLine]  # the 411 lines only

    def customer(self, line: PlainLine) -> str:
        return line.aux or line.account


def _cents(text: str) -> int:
    return int(Decimal((text or "0").replace(",", ".")) * 100)


@cache
def plain_read(path: Path) -> PlainFile:
    """A deliberately naive reader: decode, split, keep the 411 lines."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("iso-8859-15")
    rows = re.split(r"\r*\n", text)
    sep = "|" if "|" in rows[0] else "\t"
    head = [h.strip().lower() for h in rows[0].split(sep)]
    lines, last = [], ""
    for number, row in enumerate(rows[1:], start=2):
        if not row.strip():
            continue
        f = dict(zip(head, (v.strip() for v in row.split(sep))))
        last = max(last, f["ecrituredate"])
        if f["comptenum"].startswith("411"):
            cents = _cents(f["debit"]) - _cents(f["credit"])
            lines.append(
                PlainLine(
                    number,
                    f["journalcode"],
                    f["ecrituredate"],
                    f["piecedate"],
                    f["comptenum"],
                    f["compauxnum"],
                    f["ecriturelet"],
                    cents,
                )
            )
    return PlainFile(date(int(last[:4]), int(last[4:6]), int(last[6:])), lines)


@cache
def imported(path: Path) -> ImportBatch:
    return read_fec(path, default_terms="30 days", customer_terms={})


def _balances(plain: PlainFile) -> dict[str, int]:
    balances: dict[str, int] = defaultdict(int)
    for line in plain.lines:
        balances[plain.customer(line)] += line.cents
    return dict(balances)


def _groups(plain: PlainFile) -> dict[tuple[str, str, str], list[PlainLine]]:
    groups: dict[tuple[str, str, str], list[PlainLine]] = defaultdict(list)
    for line in plain.lines:
        if line.letter:
            groups[(line.account, line.aux, line.letter)].append(line)
    return groups


def _open_by_line(store, batch: ImportBatch, as_of: date) -> dict[int, int]:
    """What is still open at `as_of`, per FEC line, in cents (credits negative)."""
    with store.transaction() as session:
        ledger = load_ledger(session)
    residual = dict(open_items(ledger, as_of).select("ref", "residual").iter_rows())
    cash = dict(unapplied_cash(ledger, as_of).select("ref", "unapplied").iter_rows())
    by_line = {d.origin.line: residual.get(d.ref, 0) for d in batch.documents}
    by_line |= {p.origin.line: -cash.get(p.ref, 0) for p in batch.payments}
    return by_line


def _write(store, batch: ImportBatch):
    with store.transaction() as session:
        return write_batch(session, batch)


@pytest.mark.parametrize("name", ALL_FILES)
def test_every_411_line_becomes_one_record(shared_data, name):
    path = shared_data / FOLDER / name
    plain, batch = plain_read(path), imported(path)
    assert batch.problems == []
    records = [d.origin.line for d in batch.documents]
    records += [p.origin.line for p in batch.payments]
    assert sorted(records) == [line.number for line in plain.lines if line.cents]
    assert {c.ref for c in batch.customers} == set(_balances(plain))


OPENING_JOURNALS = {"ANO", "AN", "RAN", "AD"}


def _matched_automatically(plain: PlainFile) -> tuple[set[str], set[str]]:
    """Customers the automatic matching may touch (docs/fec.md): those without a
    single lettering code, and those with an opening line."""
    lettered = {plain.customer(x) for x in plain.lines if x.letter}
    everyone = {plain.customer(x) for x in plain.lines}
    opening = {
        plain.customer(x) for x in plain.lines if x.journal.upper() in OPENING_JOURNALS
    }
    return everyone - lettered, opening & lettered


@pytest.mark.parametrize("name", ALL_FILES)
def test_replayed_balances_equal_the_file(store, shared_data, name):
    """Per customer, open items − unapplied cash at the last date = Σ 411 (D − C).

    Then, line by line: a line is never open beyond its amount nor with the other
    sign; the lines of a balanced lettering group are closed. For a customer the
    automatic matching leaves alone, an unlettered line is wholly open and a partial
    group leaves open exactly its net. A customer without lettering never has both
    an open debit and unapplied credit; one with lettering never has both an open
    opening debit and unapplied credit.
    """
    path = shared_data / FOLDER / name
    plain, batch = plain_read(path), imported(path)
    assert _write(store, batch).changed
    by_line = _open_by_line(store, batch, plain.last_date)

    relance_balances: dict[str, int] = defaultdict(int)
    for line in plain.lines:
        relance_balances[plain.customer(line)] += by_line.get(line.number, 0)
    assert dict(relance_balances) == _balances(plain)

    for line in plain.lines:
        left = by_line.get(line.number, 0)
        assert 0 <= left * (1 if line.cents > 0 else -1) <= abs(line.cents)
    unlettered, with_opening = _matched_automatically(plain)
    for key, group in _groups(plain).items():
        left = sum(by_line[line.number] for line in group)
        if sum(line.cents for line in group) == 0:
            assert all(by_line[line.number] == 0 for line in group), key
        elif key[1] not in with_opening and key[0] not in with_opening:
            assert left == sum(line.cents for line in group), key
    for line in plain.lines:
        customer = plain.customer(line)
        if not line.letter and customer not in unlettered | with_opening:
            assert by_line.get(line.number, 0) == line.cents, line.number

    def open_lines(customer: str, opening_only: bool) -> tuple[bool, bool]:
        lines = [x for x in plain.lines if plain.customer(x) == customer]
        debits = [
            x
            for x in lines
            if x.cents > 0
            and by_line.get(x.number, 0)
            and (not opening_only or x.journal.upper() in OPENING_JOURNALS)
        ]
        credits = [x for x in lines if x.cents < 0 and by_line.get(x.number, 0)]
        return bool(debits), bool(credits)

    for customer in unlettered:
        assert open_lines(customer, opening_only=False) != (True, True), customer
    for customer in with_opening:
        assert open_lines(customer, opening_only=True) != (True, True), customer


@pytest.mark.parametrize("name", ALL_FILES)
def test_reimport_changes_nothing(store, shared_data, name):
    batch = imported(shared_data / FOLDER / name)
    _write(store, batch)
    assert not _write(store, batch).changed


def test_lettered_file_figures(shared_data):
    """File 3a of the provenance notes: 538 lines on 411, 17 customers, 10 unlettered
    lines on 8 customers summing to 58,972.82, and 15 lettering groups that do not
    net to zero (codes are reused across customers: the key has the auxiliary)."""
    plain = plain_read(shared_data / FOLDER / WITH_LETTERING)
    assert len(plain.lines) == 538
    assert len(_balances(plain)) == 17
    unlettered = [line for line in plain.lines if not line.letter]
    assert len(unlettered) == 10
    assert len({plain.customer(line) for line in unlettered}) == 8
    assert sum(line.cents for line in unlettered) == 5_897_282
    groups = _groups(plain)
    assert sum(1 for g in groups.values() if sum(x.cents for x in g)) == 15
    assert len({letter for _, _, letter in groups}) < len(groups)


def test_partial_groups_stay_open_for_their_residual(store, shared_data):
    """Each of the 15 partial groups of file 3a keeps its net open, except what the
    opening rule took from it: the groups of the 6 lettering customers with an ANO
    line (CFLORE, CLAURE, CPERUZ, CPMTN0, CPRO00, CROUS0) hold the payments of
    those opening items, lettered without them (CPERR0, the seventh ANO line, has
    no lettering at all)."""
    path = shared_data / FOLDER / WITH_LETTERING
    plain, batch = plain_read(path), imported(path)
    _write(store, batch)
    by_line = _open_by_line(store, batch, plain.last_date)
    partial = [g for g in _groups(plain).values() if sum(x.cents for x in g)]
    assert len(partial) == 15
    unlettered, with_opening = _matched_automatically(plain)
    assert with_opening == {"CFLORE", "CLAURE", "CPERUZ", "CPMTN0", "CPRO00", "CROUS0"}
    assert unlettered == {"CPERR0"}
    kept = [g for g in partial if plain.customer(g[0]) not in with_opening]
    assert kept
    for group in kept:
        assert sum(by_line[x.number] for x in group) == sum(x.cents for x in group)


def test_opening_items_are_matched_with_unapplied_credits(store, shared_data):
    """File 3a, CPRO00 (balance 27,123.29): the ANO item of 35,724.95 (1 Sept 2021)
    came forward without its code; its payments were lettered alone: 7,178.24
    (6 Sept, AARP), 7,861.33 (13 Sept, AARQ), and 29,602.76 (4 Oct, AARR) of which
    AARR's invoices took 1,015.44 + 2,233.96 + 1,624.70 + 609.26 + 1,107.75 + 609.26
    + 1,717.01 = 8,917.38, leaving 20,685.38. Oldest first: 7,178.24 + 7,861.33 +
    20,685.38 = 35,724.95 settle the opening item exactly, so it is closed and no
    payment of CPRO00 is left unapplied."""
    path = shared_data / FOLDER / WITH_LETTERING
    batch = imported(path)
    _write(store, batch)
    by_line = _open_by_line(store, batch, date(2022, 8, 31))
    assert by_line[48] == 0  # the ANO line of CPRO00
    assert (by_line[1906], by_line[1962], by_line[1989]) == (0, 0, 0)
    opening = next(d for d in batch.documents if d.origin.line == 48)
    paid = {
        p.origin.line: [
            a.amount for a in p.applications if a.document_ref == opening.ref
        ]
        for p in batch.payments
        if p.origin.line in (1906, 1962, 1989)
    }
    assert paid == {
        1906: [Decimal("7178.24")],
        1962: [Decimal("7861.33")],
        1989: [Decimal("20685.38")],
    }


def test_lettered_file_overdue_within_receivables(store, shared_data):
    """File 3a with "45 jours fin de mois", as of 31 Aug 2022. Receivables are the
    sum of the balances: CLAURE 6,661.27 + CPMTN0 18,070.04 + CPRO00 27,123.29 +
    CMOURL 438.88 + CRETAY 302.89 + CNOURR −79.13 = 52,517.24. After matching, the
    opening items of CLAURE (6,135.88 = 2,780.98 + 3,354.90), CPMTN0 (15,689.96),
    CPRO00 (above), CFLORE, CPERUZ, CROUS0 (paid) and CPERR0 (its credit note of
    94.95) are closed. What is left of CLAURE, CPMTN0, CPRO00 and CMOURL was
    invoiced in August: not due before 31 Oct. Overdue: CRETAY's invoices of 24 and
    25 May (100.33 + 202.56, due 31 July) = 302.89, and CNOURR's invoice of
    8,115.06 (20 Apr, due 30 June): CNOURR letters its other items, and its
    payment of 8,194.19 (14 June) is not lettered yet, so it stays unapplied cash
    (unapplied: −8,194.19). Overdue 8,417.95 (it was 67,469.90 before the
    matching), at most receivables + |unapplied| = 60,711.43."""
    from relance.services.figures import aged_balance, compute_figures

    path = shared_data / FOLDER / WITH_LETTERING
    batch = read_fec(path, default_terms="45 jours fin de mois", customer_terms={})
    _write(store, batch)
    (figures,) = compute_figures(store, date(2022, 8, 31), trend=False)
    assert figures.receivables.total == 5_251_724
    assert figures.receivables.overdue == 30_289 + 811_506
    assert figures.receivables.unapplied == -819_419
    (aged,) = aged_balance(store, date(2022, 8, 31))
    overdue = {
        row["customer_ref"]: (row["overdue"], row["balance"])
        for row in aged.rows.iter_rows(named=True)
        if row["overdue"]
    }
    assert overdue == {"CRETAY": (30_289, 30_289), "CNOURR": (811_506, -7_913)}


def test_customer_without_lettering_matched_oldest_first(store, shared_data):
    """File 3c, nothing lettered on 411. CCHQ's AD items, oldest first: debits 309.00
    (31 Jan 2022), 595.50 (28 Feb), 185.00 (31 Mar), 373.50 (30 Apr), 153.00 (30
    Jun), 90.00 (31 Dec), then the invoice of 346.50 (30 Apr 2023); credits 243.50
    (18 Jan 2022), 740.50 (18 Jul), 526.50 (2 Dec). First in, first out: 243.50 to
    the 309.00 (65.50 left); 740.50 to 65.50, 595.50 and 79.50 of the 185.00
    (105.50 left); 526.50 to 105.50, 373.50 and 47.50 of the 153.00. Open: 105.50
    (30 Jun 2022) + 90.00 + 346.50 = 542.00, the balance; no credit unapplied.
    CCB (balance 1,510.52, less than its last invoice of 29,108.00 on 30 June
    2023): everything older is settled and that invoice is open for 1,510.52."""
    path = shared_data / FOLDER / DETAILED_OPENING
    plain, batch = plain_read(path), imported(path)
    _write(store, batch)
    by_line = _open_by_line(store, batch, plain.last_date)
    cchq = {
        x.number: by_line.get(x.number, 0)
        for x in plain.lines
        if plain.customer(x) == "CCHQ" and by_line.get(x.number, 0)
    }
    assert cchq == {1875: 10_550, 2060: 9_000, 1011: 34_650}
    ccb = {
        x.number: by_line.get(x.number, 0)
        for x in plain.lines
        if plain.customer(x) == "CCB" and by_line.get(x.number, 0)
    }
    assert ccb == {1498: 151_052}


def test_pipe_file_is_fully_lettered(shared_data):
    """File 3b: 151 lines on 41100000, 34 customers, 45 groups all balanced."""
    plain = plain_read(shared_data / FOLDER / PIPE_PADDED)
    assert len(plain.lines) == 151
    assert len(_balances(plain)) == 34
    groups = _groups(plain)
    assert len(groups) == 45
    assert all(sum(x.cents for x in g) == 0 for g in groups.values())
    unlettered = {plain.customer(x) for x in plain.lines if not x.letter}
    assert len(unlettered) == 19


def test_detailed_opening_items_keep_their_piece_dates(shared_data):
    """File 3c: the AD journal's items are dated by their own PieceDate (2022 for
    the 411 ones), not by a single opening date; nothing on 411 is lettered."""
    path = shared_data / FOLDER / DETAILED_OPENING
    plain, batch = plain_read(path), imported(path)
    opening = {x.number: x.piece_date for x in plain.lines if x.journal == "AD"}
    assert len(opening) == 9
    dated = {d.origin.line: d.issue_date for d in batch.documents}
    dated |= {p.origin.line: p.payment_date for p in batch.payments}
    for number, piece_date in opening.items():
        assert dated[number].strftime("%Y%m%d") == piece_date
    assert len({piece for piece in opening.values()}) == 9
    assert all(not x.letter for x in plain.lines)


def test_few_receivables_file_imports_its_four_lines(store, shared_data):
    """File 3d: four 411100000 lines, no auxiliary account, so one customer named
    by the account. By hand: opening debit 2,153.38 lettered with a credit of
    2,153.38 (closed), then two debits of 75,784.50 and 52,416.00, unlettered:
    128,200.50 open at 30 April 2023, in two items."""
    path = shared_data / FOLDER / FEW_RECEIVABLES
    batch = imported(path)
    assert [c.ref for c in batch.customers] == ["411100000"]
    _write(store, batch)
    with store.transaction() as session:
        ledger = load_ledger(session)
    items = open_items(ledger, date(2023, 4, 30))
    assert sorted(items["residual"].to_list()) == [5_241_600, 7_578_450]
    assert items["residual"].sum() == 12_820_050
    assert unapplied_cash(ledger, date(2023, 4, 30)).height == 0
