"""The report's catalogue: every text in French and English, same placeholders."""

import string

import pytest

from relance.report.messages import LANGUAGES, keys, message, translations


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", keys())
def test_every_message_in_every_language(key):
    texts = translations(key)
    assert set(texts) == set(LANGUAGES)
    assert all(text.strip() for text in texts.values())
    assert _fields(texts["fr"]) == _fields(texts["en"])


def test_glossary_terms():
    """The credit manager's words (shared/GLOSSARY.md) in the French report."""
    assert message("receivables", "fr") == "Encours client"
    assert message("aging", "fr") == "Balance âgée"
    assert message("best_possible", "fr") == "DSO incompressible"
    assert message("cei", "fr") == "Taux d'efficacité du recouvrement (CEI)"
    assert message("dso_countback", "fr") == "DSO par épuisement du chiffre d'affaires"
    assert message("days_late", "fr") == "Retard moyen des règlements"
