"""Reading the FEC format: separators, encodings, line ends, layouts, bad values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from relance.imports.fec_reader import (
    parse_fec_amount,
    parse_fec_date,
    parse_piece_date,
    read_fec_lines,
)

HEADER = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
]

SALE = [
    "VT",
    "Ventes",
    "12",
    "20240115",
    "411000",
    "Clients",
    "C001",
    "Client Un",
    "F-0012",
    "20240110",
    "Facture F-0012",
    "1200,00",
    "0,00",
    "",
    "",
    "20240131",
    "",
    "",
]
INCOME = [
    "VT",
    "Ventes",
    "12",
    "20240115",
    "706000",
    "Prestations",
    "",
    "",
    "F-0012",
    "20240110",
    "Facture F-0012",
    "0,00",
    "1200,00",
    "",
    "",
    "20240131",
    "",
    "",
]


def _write(tmp_path, text: str | bytes, name: str = "FEC.txt"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def _text(rows, sep="\t", end="\n", header=HEADER) -> str:
    return end.join(sep.join(r) for r in [header, *rows]) + end


def test_tab_utf8_with_bom(tmp_path):
    path = _write(tmp_path, b"\xef\xbb\xbf" + _text([SALE, INCOME]).encode("utf-8"))
    fec = read_fec_lines(path)
    assert fec.problems == []
    assert fec.separator == "\t"
    assert fec.columns[0] == "JournalCode"
    first = fec.lines[0]
    assert (first.journal, first.entry_number, first.aux) == ("VT", "12", "C001")
    assert first.entry_date == date(2024, 1, 15)
    assert first.piece_date == date(2024, 1, 10)
    assert [line.amount for line in fec.lines] == [
        Decimal("1200.00"),
        Decimal("-1200.00"),
    ]
    assert first.origin.line == 2


def test_pipe_fixed_width_with_trailing_separator(tmp_path):
    """Space-padded fields, zero-padded amounts, a trailing '|' on every line, and
    the header spelling MontantDevise: all read as the plain layout."""
    header = [h if h != "Montantdevise" else "MontantDevise" for h in HEADER]
    padded = [f"{v:<12}" for v in SALE]
    padded[11], padded[12] = "0000001200,00", "0000000000,00"
    text = "\n".join("|".join(r) + "|" for r in [header, padded]) + "\n"
    fec = read_fec_lines(_write(tmp_path, text, "FEC.TXT"))
    assert fec.problems == []
    assert fec.separator == "|"
    assert "Montantdevise" in fec.columns
    line = fec.lines[0]
    assert (line.journal, line.aux, line.piece_ref) == ("VT", "C001", "F-0012")
    assert line.amount == Decimal("1200.00")


def test_latin9_fallback_decodes_the_whole_file(tmp_path):
    """0xF8 is not UTF-8: the file is read as ISO-8859-15 (0xF8 'ø', 0xA4 '€')."""
    row = list(SALE)
    row[10] = "Facture \xf8 \u20ac"
    path = _write(tmp_path, _text([row]).encode("iso-8859-15"))
    fec = read_fec_lines(path)
    assert fec.problems == []
    assert fec.lines[0].label == "Facture ø €"


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r\r\n", "\r"])
def test_line_ends_and_line_numbers(tmp_path, end):
    """Whatever the line end, the third data line is line 4 of the file."""
    bad = list(SALE)
    bad[3] = "2024-01-15"
    fec = read_fec_lines(_write(tmp_path, _text([SALE, INCOME, bad], end=end)))
    assert len(fec.lines) == 2
    assert [str(p) for p in fec.problems] == [
        "FEC.txt:4: EcritureDate: not a date: '2024-01-15' (expected YYYYMMDD)"
    ]


def test_blank_lines_are_skipped_but_counted(tmp_path):
    text = _text([SALE]) + "\n" + "\t".join(INCOME) + "\n\n"
    fec = read_fec_lines(_write(tmp_path, text))
    assert [line.origin.line for line in fec.lines] == [2, 4]


def test_montant_and_sens(tmp_path):
    """Montant with Sens D/C or +1/-1: D and +1 are debits, C and -1 credits."""
    header = HEADER[:11] + ["Montant", "Sens"] + HEADER[13:]
    rows = []
    for sens, amount in (("D", "10,00"), ("C", "4,00"), ("+1", "3,50"), ("-1", "9,50")):
        row = list(SALE)
        row[11], row[12] = amount, sens
        rows.append(row)
    fec = read_fec_lines(_write(tmp_path, _text(rows, header=header)))
    assert fec.problems == []
    assert [line.amount for line in fec.lines] == [
        Decimal("10.00"),
        Decimal("-4.00"),
        Decimal("3.50"),
        Decimal("-9.50"),
    ]


def test_cash_basis_22_columns(tmp_path):
    header = HEADER + ["DateRglt", "ModeRglt", "NatOp", "IdClient"]
    row = SALE + ["20240120", "VIR", "", ""]
    fec = read_fec_lines(_write(tmp_path, _text([row], header=header)))
    assert fec.problems == []
    assert len(fec.columns) == 22
    assert fec.lines[0].amount == Decimal("1200.00")


def test_piece_date_sentinel_falls_back_to_entry_date(tmp_path):
    row = list(SALE)
    row[9] = "19000101"
    line = read_fec_lines(_write(tmp_path, _text([row]))).lines[0]
    assert line.piece_date is None
    assert line.document_date == date(2024, 1, 15)


def test_foreign_currency_line(tmp_path):
    row = list(SALE)
    row[16], row[17] = "1300,00", "usd"
    line = read_fec_lines(_write(tmp_path, _text([row]))).lines[0]
    assert (line.currency, line.currency_amount) == ("USD", Decimal("1300.00"))
    assert line.amount == Decimal("1200.00")


def test_every_bad_value_is_reported_with_its_line(tmp_path):
    short = SALE[:-1]
    bad_amount = list(SALE)
    bad_amount[11] = "1.200,00"
    bad_piece = list(SALE)
    bad_piece[9] = "20240230"
    fine_decimals = list(SALE)
    fine_decimals[12] = "0,125"
    bad_currency = list(SALE)
    bad_currency[16], bad_currency[17] = "5,00", "XYZ"
    rows = [SALE, short, bad_amount, bad_piece, fine_decimals, bad_currency]
    fec = read_fec_lines(_write(tmp_path, _text(rows)))
    assert [str(p) for p in fec.problems] == [
        "FEC.txt:3: line: expected 18 fields, found 17",
        "FEC.txt:4: Debit: not an amount: '1.200,00'",
        "FEC.txt:5: PieceDate: not a date: '20240230' (expected YYYYMMDD)",
        "FEC.txt:6: Credit: '0,125' has more than 2 decimals",
        "FEC.txt:7: Idevise: unknown currency code 'XYZ': expected ISO 4217, e.g. EUR",
    ]
    assert [line.origin.line for line in fec.lines] == [2]


def test_bad_sens(tmp_path):
    header = HEADER[:11] + ["Montant", "Sens"] + HEADER[13:]
    row = list(SALE)
    row[11], row[12] = "10,00", "X"
    fec = read_fec_lines(_write(tmp_path, _text([row], header=header)))
    assert [str(p) for p in fec.problems] == [
        "FEC.txt:2: Sens: expected D, C, +1 or -1, found 'X'"
    ]


def test_missing_columns_are_named(tmp_path):
    header = [h for h in HEADER if h not in ("EcritureDate", "Credit")]
    fec = read_fec_lines(_write(tmp_path, _text([], header=header)))
    assert [str(p) for p in fec.problems] == [
        "FEC.txt:1: EcritureDate: missing column in the FEC header",
        (
            "FEC.txt:1: Debit and Credit (or Montant and Sens): "
            "missing column in the FEC header"
        ),
    ]
    assert fec.lines == []


def test_a_comma_separated_file_is_not_a_fec(tmp_path):
    fec = read_fec_lines(_write(tmp_path, "a,b,c\n1,2,3\n"))
    assert [str(p) for p in fec.problems] == [
        "FEC.txt:1: header: header 'a,b,c' is not separated by tabs or '|': not a FEC"
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0000000074,70", "74.70"),
        ("1200,5", "1200.5"),
        ("12.30", "12.30"),
        ("", "0"),
        ("-5,00", "-5.00"),
    ],
)
def test_parse_fec_amount(text, value):
    assert parse_fec_amount(text) == Decimal(value)


def test_parse_dates():
    assert parse_fec_date("20240229") == date(2024, 2, 29)
    with pytest.raises(ValueError, match="'20230229'"):
        parse_fec_date("20230229")
    assert parse_piece_date("") is None
    assert parse_piece_date("00000000") is None
    assert parse_piece_date("19000101") is None
    assert parse_piece_date("19500101") == date(1950, 1, 1)
