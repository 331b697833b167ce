"""Letters rendered to real PDFs with WeasyPrint, read back with pypdf."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sending_books import DAY, NOW, make_plan, make_settings, states, write_books

from relance.reminders.channels.letter import render_pdf
from relance.reminders.templates import Templates, sample_context
from relance.services.run import run_day
from relance.services.send import list_actions, send_pending
from relance.store.db import Store


def _text(data: bytes) -> str:
    """The PDF's text on one line, every run of spaces (Babel's narrow and
    non-breaking ones, line breaks) made one plain space."""
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.fixture
def books(store: Store) -> Store:
    return write_books(store)


def test_formal_notice_with_legal_mentions_and_amounts(
    books: Store, tmp_path: Path
) -> None:
    """C1's formal notice on 15 March 2024 for F1 and F2, at 14.50 % (ECB 4.50 on
    1 January 2024 + 10 points):

        F1 1 250.00, due 9 Feb, 35 days late: 1 250.00 × 14.5 % × 35/365 = 17.38
        F2 11 095.67, due 24 Feb, 20 days late: 11 095.67 × 14.5 % × 20/365 = 88.16
        interest 17.38 + 88.16 = 105.54; indemnity 2 × 40 = 80.00
        claimable 12 345.67 + 105.54 + 80.00 = 12 531.21
        deadline 15 March + 8 days = 23 March 2024
    """
    plan = make_plan(
        books,
        {
            "customer": "C1",
            "invoices": ["F1", "F2"],
            "channel": "registered_letter",
            "step": "formal_notice",
            "template": "formal_notice",
        },
    )
    run_day(books, DAY, plan)
    send_pending(books, NOW, make_settings(tmp_path))
    assert states(books) == {"C1": "sent"}
    path = Path(list_actions(books)[0].message_id or "")
    assert (
        path
        == tmp_path
        / "letters/2024-03-15/registered/2024-03-15_C1_standard_formal_notice.pdf"
    )
    text = _text(path.read_bytes())
    for expected in (
        "LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION",
        "Objet : mise en demeure de payer",
        "Dupont SARL",
        "3 rue des Lilas",
        "Vendeur SAS",
        "au plus tard le 23 mars 2024",
        "12 531,21 €",
        "Principal restant dû 12 345,67 €",
        "105,54 €",
        "80,00 €",
        "L441-10",
        "D441-5",
        "article 1344 du Code civil",
        "SIREN 123456789",
    ):
        assert expected in text, expected


def test_formal_notice_without_penalties_claims_principal_only(
    books: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the penalties cannot be computed (no rate table), the notice claims the
    principal, 500.00, and says the penalties come on top."""
    from relance.services import penalties

    def unavailable(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise FileNotFoundError("no ECB rate table")

    monkeypatch.setattr(penalties, "penalties", unavailable)
    plan = make_plan(
        books,
        {
            "customer": "C2",
            "invoices": ["G1"],
            "language": "fr",
            "channel": "letter",
            "step": "formal_notice",
            "template": "formal_notice",
        },
    )
    run_day(books, DAY, plan)
    send_pending(books, NOW, make_settings(tmp_path))
    text = _text(Path(list_actions(books)[0].message_id or "").read_bytes())
    assert "Total exigible 500,00 €" in text
    assert "restent dues en sus" in text


def test_statement_of_account_lists_the_whole_account(
    books: Store, tmp_path: Path
) -> None:
    """A letter at a reminder step is the statement: F1 is the invoice concerned;
    the whole account also shows F2; balance 1 250.00 + 11 095.67 = 12 345.67."""
    plan = make_plan(books, {"customer": "C1", "invoices": ["F1"], "channel": "letter"})
    run_day(books, DAY, plan)
    send_pending(books, NOW, make_settings(tmp_path))
    text = _text(Path(list_actions(books)[0].message_id or "").read_bytes())
    assert "Relevé de compte au 15 mars 2024" in text
    assert "Total des factures relancées 1 250,00 €" in text
    assert "Solde de votre compte : 12 345,67 €" in text


@pytest.mark.parametrize("language", ["fr", "en"])
def test_shipped_letters_render_to_pdf(language: str) -> None:
    templates = Templates()
    for name in ("formal_notice", "statement"):
        html = templates.render(name, language, "letter", sample_context(language))
        pdf = render_pdf(html)
        assert pdf.startswith(b"%PDF")
        assert "Exemple SARL" in _text(pdf)
