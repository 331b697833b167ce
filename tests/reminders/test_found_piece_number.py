"""Found: emails cited FEC line references (`ANO:1:20210901:RAN:411000:CPRO00`)
where the customer knows the invoice by its piece reference (`RAN`).

A FEC-imported document's reference is
`journal:EcritureNum:EcritureDate:PieceRef:account:aux` (relance.imports.fec),
with `#2`... for repeats, cut with `~digest` when too long. Templates now show
`item.number`: the PieceRef for such a reference, the reference otherwise.
"""

from __future__ import annotations

from datetime import date

import pytest

from relance.domain.money import Money
from relance.reminders.templates import (
    ItemView,
    Templates,
    message_context,
    piece_number,
)


@pytest.mark.parametrize(
    ("ref", "number"),
    [
        ("ANO:1:20210901:RAN:411000:CPRO00", "RAN"),
        ("VT:412:20240110:F-0412:411000:C001", "F-0412"),
        ("VT:412:20240110:F-0412:411000:C001#2", "F-0412"),
        ("VT:412:20240110:F-0412:411000:", "F-0412"),  # no auxiliary account
        ("VT:412:20240110:F:0412:411000:C001", "F:0412"),  # a ':' in PieceRef
        ("VT:412:20240110::411000:C001", "VT:412:20240110::411000:C001"),  # empty
        ("VT:9:20240110:" + "P" * 80 + ":41~0123456789abcdef", "P" * 80),  # cut
        ("FA2024-0001", "FA2024-0001"),
        ("A:B:C:D:E:F", "A:B:C:D:E:F"),  # third field not a date: not a FEC line
    ],
    ids=["ran", "plain", "repeat", "no-aux", "colon", "empty", "cut", "csv", "other"],
)
def test_piece_number(ref: str, number: str) -> None:
    assert piece_number(ref) == number


def test_email_text_cites_the_piece_reference() -> None:
    item = ItemView(
        "VT:412:20240110:F-0412:411000:C001",
        date(2024, 1, 10),
        date(2024, 2, 9),
        Money.of("1250.00", "EUR"),
        35,
    )
    context = message_context(
        customer={"ref": "C001", "name": "Dupont", "address": "", "collector": ""},
        items=[item],
        currency="EUR",
        step={"name": "email_1", "index": 1, "channel": "email", "template": "t"},
        day=date(2024, 3, 15),
        company={
            k: "" for k in ("name", "address", "siren", "iban", "bic", "email", "phone")
        },
        formal_notice_days=8,
    )
    templates = Templates()
    for part in ("text", "html"):
        text = templates.render("reminder_first", "fr", part, context)
        assert "F-0412" in text and "20240110" not in text
    letter = templates.render("statement", "fr", "letter", context)
    assert "F-0412" in letter and "411000" not in letter
