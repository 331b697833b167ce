"""The canonical CSV files the demo writes."""

import csv

import polars as pl

from relance.demo.export import amount_text, write_company
from relance.demo.generator import generate_books
from relance.imports.layout import FIELDS


def test_amount_text():
    """Cents with a dot and two decimals: 0 → 0.00, 5 → 0.05, −1205 → −12.05."""
    frame = pl.DataFrame({"c": [0, 5, -1205, 123450, -7]})
    shown = frame.select(amount_text(pl.col("c"))).to_series().to_list()
    assert shown == ["0.00", "0.05", "-12.05", "1234.50", "-0.07"]


def test_files_have_the_canonical_columns(tmp_path):
    books = generate_books(seed=4, customers=30)
    write_company(books, tmp_path)
    for kind in ("customers", "invoices", "payments", "writeoffs"):
        with (tmp_path / f"{kind}.csv").open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert set(header) <= set(FIELDS[kind].canonical), kind
        assert set(FIELDS[kind].required) <= set(header), kind
    invoices = (tmp_path / "invoices.csv").read_text(encoding="utf-8").splitlines()
    assert len(invoices) == books.documents.height + 1
    assert any(",-" in line for line in invoices)  # credit notes are negative
