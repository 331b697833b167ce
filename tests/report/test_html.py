"""The HTML report of the book of book.py, read back with html.parser.

Every expected value is worked out by hand in book.py's docstring; the strings
below are those values as French (or English) readers write them, with Babel's
spaces: U+202F groups thousands and precedes `j`, U+00A0 precedes `€` and `%`.
"""

import xml.etree.ElementTree as ET

import pytest

from relance.figures.period import PeriodError
from relance.report.html import currency_section
from relance.services.figures import figures_of, load
from relance.services.report import report_html, write_report

from .book import AS_OF, MONTHS
from .page import Page

S = "\u202f"  # narrow no-break space
N = "\u00a0"  # no-break space


def eur(text: str) -> str:
    """A French amount: `2 850,00` → `2 850,00 €` with Babel's spaces."""
    return text.replace(" ", S) + f"{N}€"


def days(text: str) -> str:
    return f"{text}{S}j"


def pct(text: str) -> str:
    return f"{text}{N}%"


@pytest.fixture
def french(book_store, tmp_path) -> tuple[str, Page]:
    path = write_report(
        book_store, AS_OF, tmp_path / "out" / "report.html", months=MONTHS
    )
    assert path == tmp_path / "out" / "report.html"
    html = path.read_text(encoding="utf-8")
    return html, Page(html)


def test_one_section_per_currency_never_added(french):
    """EUR and USD each get a section; 2850.00 € + 1234.50 $ is never shown."""
    html, page = french
    assert list(page.sections) == ["EUR", "USD"]
    assert page.value("USD", "receivables") == f"1{S}234,50{N}$US"
    assert "4\u202f084,50" not in html and "4084" not in html
    assert "$US" not in "".join(page.sections["EUR"].text)
    assert "€" not in "".join(page.sections["USD"].text)


def test_headline_figures_in_french(french):
    """The hand-worked EUR figures of book.py, as written in French."""
    _, page = french
    expected = {
        "receivables": eur("2 850,00"),
        "overdue": eur("2 400,00"),
        "not_due": eur("500,00"),
        "unapplied": eur("-50,00"),
        "disputed": eur("2 000,00"),
        "sales": eur("3 800,00"),
        "dso_accounting": days("56,3"),  # 56.25, half up
        "dso_countback": days("52,3"),
        "best_possible": days("9,9"),
        "days_delinquent": days("46,4"),
        "cei": pct("42,7"),
        "cohort_rate": pct("100,0"),
        "period_rate": pct("36,8"),
        "write_offs": eur("0,00"),
        "bad_debt_ratio": pct("0,0"),
        "days_to_pay": days("46,9"),
        "days_beyond_terms": days("16,9"),
        "days_late": days("17,6"),
        "on_time_count": pct("33,3"),
        "on_time_amount": pct("17,6"),
    }
    shown = {key: page.value("EUR", key) for key in expected}
    assert shown == expected
    cards = page.sections["EUR"].cards
    assert cards["overdue"]["note"] == f"{pct('84,2')} de l'encours"
    assert cards["disputed"]["note"] == f"{pct('70,2')} de l'encours"
    assert (
        cards["cohort_rate"]["note"] == f"{eur('800,00')} encaissés sur {eur('800,00')}"
    )
    assert cards["days_late"]["note"] == "pondéré par les montants, 3 règlements"
    assert cards["receivables"]["label"] == "Encours client"


def test_usd_section(french):
    """U1 1234.50 $, the only USD sale of the period: DSO = 1234.50 / 1234.50 ×
    75 = 75.0 days; nothing overdue yet (due 31 March)."""
    _, page = french
    assert page.value("USD", "dso_accounting") == days("75,0")
    assert page.value("USD", "overdue") == f"0,00{N}$US"


def test_aging_table(french):
    """Buckets of book.py: F3 not due, F2 1–30, F1 31–60, P4 unapplied; they add
    up to the receivables, 2850.00."""
    _, page = french
    rows = page.table("EUR", "aging")
    assert rows[0] == ["Tranche", "Montant", "Part"]
    assert [r[:2] for r in rows[1:]] == [
        ["Non échu", eur("500,00")],
        ["1–30 j", eur("2 000,00")],
        ["31–60 j", eur("400,00")],
        ["61–90 j", eur("0,00")],
        ["91 j et plus", eur("0,00")],
        ["Non lettré", eur("-50,00")],
        ["Encours client", eur("2 850,00")],
    ]
    assert rows[2][2] == pct("70,2")  # 2000 / 2850


def test_delay_distribution_table(french):
    """P2 4 days early (300), P1 10 days late (600), P3 30 days late (800)."""
    _, page = french
    rows = {r[0]: r[1:] for r in page.table("EUR", "distribution")[1:]}
    assert rows["En avance"] == ["1", pct("33,3"), eur("300,00"), pct("17,6")]
    assert rows["6–15 j"][:3] == ["1", pct("33,3"), eur("600,00")]
    assert rows["16–30 j"][:3] == ["1", pct("33,3"), eur("800,00")]
    assert rows["Le jour de l'échéance"][:3] == ["0", pct("0,0"), eur("0,00")]
    assert rows["Total"][:3] == ["3", pct("100,0"), eur("1 700,00")]


def test_top_customers_by_cost_of_lateness(french):
    """C1 46 000 € × days (63.9 % of 72 000), C2 26 000 (36.1 %); C3 costs
    nothing and is not listed. C1: 400.00 € overdue, 40.0 days on average;
    1400.00 € paid in the period, 21.4 days late on average."""
    html, page = french
    rows = page.table("EUR", "top")
    assert rows[0][6] == "Coût du retard (EUR × j)"
    assert rows[1:3] == [
        [
            "1",
            "Dupont SARL (C1)",
            eur("400,00"),
            days("40,0"),
            eur("1 400,00"),
            days("21,4"),
            f"46{S}000",
            pct("63,9"),
        ],
        [
            "2",
            "Martin & Fils <Lyon> (C2)",
            eur("2 000,00"),
            days("13,0"),
            eur("0,00"),
            "—",
            f"26{S}000",
            pct("36,1"),
        ],
    ]
    assert rows[3][6] == f"72{S}000"  # the total row
    assert "C3" not in [r[1] for r in rows]
    # The name is text, escaped in the source, never a tag.
    assert "Martin &amp; Fils &lt;Lyon&gt;" in html
    assert "lyon" not in page.tags


def test_disputed_items(french):
    _, page = french
    assert (
        "".join(page.sections["EUR"].text).count(
            f"1 pièce en litige pour {eur('2 000,00')}, soit {pct('70,2')} de l'encours."
        )
        == 1
    )
    rows = page.table("EUR", "disputed")
    assert rows[1] == [
        "F2",
        "Martin & Fils <Lyon> (C2)",
        "1 févr. 2024",
        "2 mars 2024",
        eur("2 000,00"),
        eur("2 000,00"),
        "13",
    ]


def test_dso_trend_table_and_chart(book_store):
    """24 monthly points with a 3-month window. The last (15 March 2024) is the
    headline: 56.3 / 52.3 / 9.9 / 46.4 days, CEI 42.7 %. The first document is of
    December 2023, so only the windows of February (December–February) and March
    (January–March) are complete: the accounting and best possible DSO are drawn
    for those two points only; the count-back DSO from December 2023 on (4
    points), nothing before the book starts."""
    ledger = load(book_store)
    (fig, _) = figures_of(ledger, AS_OF, MONTHS)
    section = currency_section(ledger, fig, "fr", MONTHS)
    rows = section.dso_table.rows
    assert len(rows) == 24
    assert rows[-1] == [
        "mars 2024",
        days("56,3"),
        days("52,3"),
        days("9,9"),
        days("46,4"),
        pct("42,7"),
        eur("2 850,00"),
        eur("2 400,00"),
    ]
    assert rows[-3][0] == "janv. 2024" and rows[-3][1] == "—"
    assert rows[-2][0] == "févr. 2024" and rows[-2][1] != "—"
    svg = ET.fromstring(str(section.dso_chart))
    circles = [c.get("class") for c in svg.iter("circle")]
    assert circles.count("point s1") == 2
    assert circles.count("point s3 dashed") == 2
    assert circles.count("point s2") == 4
    assert rows[-5][0] == "nov. 2023" and rows[-5][2] == "—"
    assert rows[-4][0] == "déc. 2023" and rows[-4][2] != "—"
    assert "Avant févr. 2024" in section.dso_note


def test_page_is_self_contained(french):
    """No script, no stylesheet, font or image to fetch, no web address at all;
    the only links are anchors inside the page."""
    html, page = french
    assert "http://" not in html and "https://" not in html
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(page.tags)
    assert [a for a in page.attributes if a[1] == "src"] == []
    assert all(
        value.startswith("#") for _, name, value in page.attributes if name == "href"
    )
    assert "@import" not in html and "url(" not in html
    assert page.tags.count("style") == 1
    assert page.tags.count("svg") == 2 * 4  # DSO, aging, two distributions
    assert html.startswith("<!DOCTYPE html>")
    assert ("html", "lang", "fr") in page.attributes
    assert ("meta", "charset", "utf-8") in page.attributes
    assert page.title == "Rapport du poste client — Situation au 15 mars 2024"


def test_english_report(book_store):
    """The same figures as an English reader writes them."""
    page = Page(report_html(book_store, AS_OF, lang="en", months=MONTHS))
    assert ("html", "lang", "en") in page.attributes
    assert page.value("EUR", "receivables") == "€2,850.00"
    assert page.value("EUR", "dso_accounting") == "56.3 days"
    assert page.value("EUR", "cei") == "42.7%"
    assert page.value("USD", "receivables") == "$1,234.50"
    assert page.sections["EUR"].cards["overdue"]["note"] == "84.2% of receivables"
    assert page.sections["EUR"].cards["receivables"]["label"] == "Receivables"
    top = page.table("EUR", "top")
    assert top[1][6] == "46,000" and top[1][7] == "63.9%"
    assert page.title == "Receivables report — As of March 15, 2024"


def test_empty_book(store):
    page = Page(report_html(store, AS_OF))
    assert page.sections == {}
    assert "Aucune écriture comptabilisée : rien à mesurer." in "".join(page.text)


def test_bad_options_are_refused_before_anything_is_written(book_store, tmp_path):
    out = tmp_path / "report.html"
    with pytest.raises(ValueError, match="unknown report language 'de'"):
        write_report(book_store, AS_OF, out, lang="de")
    with pytest.raises(PeriodError):
        write_report(book_store, AS_OF, out, months=0)
    assert not out.exists()
