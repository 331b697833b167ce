"""Payment terms: the written forms, and due dates worked out by hand."""

from datetime import date

import pytest

from relance.domain.terms import PaymentTerms, due_date, last_day_of_month, parse_terms

NET = "net"
DAYS_EOM = "days_then_end_of_month"
EOM_DAYS = "end_of_month_then_days"


@pytest.mark.parametrize(
    ("text", "days", "kind"),
    [
        ("30 days", 30, NET),
        ("30 jours", 30, NET),
        ("30 jours net", 30, NET),
        ("30 Jours Nets", 30, NET),
        ("Net 30", 30, NET),
        ("net30", 30, NET),
        ("60 days", 60, NET),
        ("60 jours date de facture", 60, NET),
        ("30j", 30, NET),
        ("  45   jours\u00a0fin de mois ", 45, DAYS_EOM),
        ("45 days end of month", 45, DAYS_EOM),
        ("45 jours fin de mois", 45, DAYS_EOM),
        ("45 jours, fin de mois", 45, DAYS_EOM),
        ("30 days EOM", 30, DAYS_EOM),
        ("end of month + 45 days", 45, EOM_DAYS),
        ("fin de mois + 45 jours", 45, EOM_DAYS),
        ("Fin de mois +10 j", 10, EOM_DAYS),
        ("fin de mois", 0, EOM_DAYS),
        ("comptant", 0, NET),
        ("Comptant", 0, NET),
        ("immediate", 0, NET),
        ("immédiat", 0, NET),
        ("à réception", 0, NET),
        ("0 days", 0, NET),
        ("0 jour", 0, NET),
    ],
)
def test_parse_terms_forms(text, days, kind):
    assert parse_terms(text) == PaymentTerms(days, kind)


@pytest.mark.parametrize(
    "text", ["", "thirty days", "45 jours fin de mois le 10", "-30 days", "30"]
)
def test_parse_terms_refuses_with_the_text_and_the_forms(text):
    with pytest.raises(ValueError) as caught:
        parse_terms(text)
    assert repr(text) in str(caught.value)
    assert "45 jours fin de mois" in str(caught.value)


def test_negative_terms_are_refused():
    with pytest.raises(ValueError, match="negative"):
        PaymentTerms(-1)


@pytest.mark.parametrize(
    ("issue", "terms", "due"),
    [
        # 10 Jan + 30 days: 21 days left in January, 9 into February.
        (date(2024, 1, 10), "30 days", date(2024, 2, 9)),
        # 31 Jan 2023 + 30: February 2023 has 28 days, 28 + 2 = 2 March.
        (date(2023, 1, 31), "30 jours", date(2023, 3, 2)),
        # 31 Jan 2024 + 30: February 2024 has 29 days, 29 + 1 = 1 March.
        (date(2024, 1, 31), "30 jours", date(2024, 3, 1)),
        # 15 Dec 2023 + 60: 16 left in December, 31 in January, 13 into February.
        (date(2023, 12, 15), "60 days", date(2024, 2, 13)),
        # Comptant: due on the issue date itself.
        (date(2024, 2, 29), "comptant", date(2024, 2, 29)),
        # Reading (a): 20 Jan 2024 + 45 = 5 March (11 + 29 + 5), month end 31 March.
        (date(2024, 1, 20), "45 jours fin de mois", date(2024, 3, 31)),
        # Reading (a) in a common year: 20 Jan 2023 + 45 = 6 March, so 31 March.
        (date(2023, 1, 20), "45 days end of month", date(2023, 3, 31)),
        # Reading (a) landing in February: 1 Jan 2024 + 45 = 15 Feb, so 29 Feb.
        (date(2024, 1, 1), "45 jours fin de mois", date(2024, 2, 29)),
        # Same in 2023: 1 Jan + 45 = 15 Feb, month end 28 Feb.
        (date(2023, 1, 1), "45 jours fin de mois", date(2023, 2, 28)),
        # Reading (a), year change: 30 Nov 2023 + 45 = 14 Jan 2024, so 31 Jan 2024.
        (date(2023, 11, 30), "45 jours fin de mois", date(2024, 1, 31)),
        # Reading (b): end of January 2024 is 31 Jan, + 45 = 16 March (29 + 16).
        (date(2024, 1, 20), "fin de mois + 45 jours", date(2024, 3, 16)),
        # Reading (b) in 2023: 31 Jan + 45 = 17 March (28 + 17).
        (date(2023, 1, 20), "end of month + 45 days", date(2023, 3, 17)),
        # Reading (b) from February 2024: 29 Feb + 10 = 10 March.
        (date(2024, 2, 3), "end of month + 10 days", date(2024, 3, 10)),
        # Plain end of month: 3 Feb 2023 is due 28 Feb 2023.
        (date(2023, 2, 3), "fin de mois", date(2023, 2, 28)),
        # 30 days end of month from 31 Jan 2024: 1 March, so 31 March.
        (date(2024, 1, 31), "30 days end of month", date(2024, 3, 31)),
    ],
)
def test_due_date_by_hand(issue, terms, due):
    assert due_date(issue, parse_terms(terms)) == due


@pytest.mark.parametrize(
    ("day", "last"),
    [
        (date(2024, 2, 10), date(2024, 2, 29)),
        (date(2023, 2, 10), date(2023, 2, 28)),
        (date(1900, 2, 1), date(1900, 2, 28)),  # 1900 is not a leap year
        (date(2000, 2, 1), date(2000, 2, 29)),  # 2000 is
        (date(2024, 12, 31), date(2024, 12, 31)),
        (date(2024, 4, 1), date(2024, 4, 30)),
    ],
)
def test_last_day_of_month(day, last):
    assert last_day_of_month(day) == last


def test_terms_print_in_a_form_they_read_back():
    for text in ("30 jours", "45 jours fin de mois", "fin de mois + 45 jours"):
        terms = parse_terms(text)
        assert parse_terms(str(terms)) == terms


@pytest.mark.parametrize(
    ("terms", "from_20_jan_2024", "from_31_jan_2023"),
    [
        ("30 jours", date(2024, 2, 19), date(2023, 3, 2)),
        ("60 jours date de facture", date(2024, 3, 20), date(2023, 4, 1)),
        ("45 jours fin de mois", date(2024, 3, 31), date(2023, 3, 31)),
        ("fin de mois + 45 jours", date(2024, 3, 16), date(2023, 3, 17)),
        ("fin de mois", date(2024, 1, 31), date(2023, 1, 31)),
        ("comptant", date(2024, 1, 20), date(2023, 1, 31)),
    ],
)
def test_the_table_of_docs_fec(terms, from_20_jan_2024, from_31_jan_2023):
    """The due-date table of docs/fec.md, each date counted by hand there."""
    parsed = parse_terms(terms)
    assert due_date(date(2024, 1, 20), parsed) == from_20_jan_2024
    assert due_date(date(2023, 1, 31), parsed) == from_31_jan_2023
