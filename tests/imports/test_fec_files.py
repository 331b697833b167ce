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


@pytest.mark.parametrize("name", ALL_FILES)
def test_replayed_balances_equal_the_file(store, shared_data, name):
    """Per customer, open items − unapplied cash at the last date = Σ 411 (D − C).

    Then, line by line: an unlettered line is wholly open; the lines of a lettering
    group leave open exactly what the group does not net away (0 when balanced).
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
        if not line.letter:
            assert by_line.get(line.number, 0) == line.cents, line.number
    for key, group in _groups(plain).items():
        left = sum(by_line[line.number] for line in group)
        assert left == sum(line.cents for line in group), key
        if left == 0:
            assert all(by_line[line.number] == 0 for line in group), key


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
    """Each of the 15 partial groups of file 3a keeps its net open, no more."""
    path = shared_data / FOLDER / WITH_LETTERING
    plain, batch = plain_read(path), imported(path)
    _write(store, batch)
    by_line = _open_by_line(store, batch, plain.last_date)
    partial = [g for g in _groups(plain).values() if sum(x.cents for x in g)]
    assert len(partial) == 15
    for group in partial:
        assert sum(by_line[x.number] for x in group) == sum(x.cents for x in group)


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
    assert all(not p.applications for p in batch.payments)
    assert batch.credit_applications == []


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
