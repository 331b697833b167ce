"""Payer profiles from history, and segment rules, worked by hand."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from reminder_books import Books

from relance.reminders.policy import PayerProfileRule, parse_policy
from relance.reminders.segments import assign_segments, payer_profiles

D = date(2025, 6, 30)
RULE = PayerProfileRule()  # new < 3 paid; on_time <= 2 days; slow <= 15; 365 days


def _paid(
    books: Books,
    customer: str,
    ref: str,
    due: date,
    amount: str,
    late: int,
    currency: str = "EUR",
) -> None:
    books.invoice(ref, customer, due - timedelta(days=30), due, amount, currency)
    books.payment(
        "P" + ref, customer, due + timedelta(days=late), amount, {ref: amount}, currency
    )


def _profiles(books: Books) -> dict[tuple[str, str], tuple[str, int, float | None]]:
    ledger = books.ledger()
    frame = payer_profiles(ledger, D, RULE)
    refs = dict(zip(ledger.customers["id"], ledger.customers["ref"], strict=True))
    return {
        (refs[row["customer_id"]], row["currency"]): (
            row["payer_profile"],
            row["paid_invoices"],
            row["days_late"],
        )
        for row in frame.iter_rows(named=True)
    }


def test_payer_profiles_worked_by_hand():
    """Profiles on 30 June 2025 (history window: due after 30 June 2024).

    - A: paid 100.00 on time, 200.00 5 days late, 700.00 10 days late:
      (0*100 + 5*200 + 10*700) / 1000 = 8.0 days -> slow.
    - B: two invoices paid -> new (fewer than 3), whatever the lateness.
    - C: 100.00 3 days late, 100.00 3 days late, 100.00 10 days early (counts 0):
      (3 + 3 + 0) / 3 = 2.0 -> on_time (the limit is inclusive).
    - D: three 100.00 paid on time, and 300.00 still open, due 21 May, 40 days past
      due: (0*300 + 40*300) / 600 = 20.0 -> chronic_late.
    - E: 300.00 due 10 Jan 2024 paid 100 days late (before the window: not in the
      average, but counted as paid), two 100.00 on time: 0.0 -> on_time.
    - F: two paid, and one settled by a credit note only (not a payment) -> 2 paid
      invoices -> new.
    - G: EUR three 100.00 paid 30 days late -> chronic_late; USD one paid -> new.
    - H: 100.00 paid 50.00 two days late and 50.00 twelve days late (paid on the
      last date: 12 days), two 100.00 on time: (12 + 0 + 0) / 3 = 4.0 -> slow.
    """
    books = Books()
    for ref in "ABCDEFGH":
        books.customer(ref)
    _paid(books, "A", "A1", date(2025, 3, 1), "100.00", 0)
    _paid(books, "A", "A2", date(2025, 4, 1), "200.00", 5)
    _paid(books, "A", "A3", date(2025, 5, 1), "700.00", 10)
    _paid(books, "B", "B1", date(2025, 3, 1), "100.00", 40)
    _paid(books, "B", "B2", date(2025, 4, 1), "100.00", 40)
    _paid(books, "C", "C1", date(2025, 3, 1), "100.00", 3)
    _paid(books, "C", "C2", date(2025, 4, 1), "100.00", 3)
    _paid(books, "C", "C3", date(2025, 5, 1), "100.00", -10)
    for n, month in enumerate((2, 3, 4)):
        _paid(books, "D", f"D{n}", date(2025, month, 1), "100.00", 0)
    books.invoice("D9", "D", date(2025, 4, 21), date(2025, 5, 21), "300.00")
    _paid(books, "E", "E1", date(2024, 1, 10), "300.00", 100)
    _paid(books, "E", "E2", date(2025, 3, 1), "100.00", 0)
    _paid(books, "E", "E3", date(2025, 4, 1), "100.00", 0)
    _paid(books, "F", "F1", date(2025, 3, 1), "100.00", 0)
    _paid(books, "F", "F2", date(2025, 4, 1), "100.00", 0)
    books.invoice("F3", "F", date(2025, 4, 1), date(2025, 5, 1), "100.00")
    books.credit_note("AV1", "F", date(2025, 5, 2), "100.00").apply_credit(
        "AV1", "F3", date(2025, 5, 2), "100.00"
    )
    for n, month in enumerate((2, 3, 4)):
        _paid(books, "G", f"G{n}", date(2025, month, 1), "100.00", 30)
    _paid(books, "G", "G9", date(2025, 4, 1), "100.00", 0, currency="USD")
    books.invoice("H1", "H", date(2025, 2, 1), date(2025, 3, 1), "100.00")
    books.payment("PH1a", "H", date(2025, 3, 3), "50.00", {"H1": "50.00"})
    books.payment("PH1b", "H", date(2025, 3, 13), "50.00", {"H1": "50.00"})
    _paid(books, "H", "H2", date(2025, 4, 1), "100.00", 0)
    _paid(books, "H", "H3", date(2025, 5, 1), "100.00", 0)

    found = _profiles(books)
    assert found[("A", "EUR")] == ("slow", 3, pytest.approx(8.0))
    assert found[("B", "EUR")][:2] == ("new", 2)
    assert found[("C", "EUR")] == ("on_time", 3, pytest.approx(2.0))
    assert found[("D", "EUR")] == ("chronic_late", 3, pytest.approx(20.0))
    assert found[("E", "EUR")] == ("on_time", 3, pytest.approx(0.0))
    assert found[("F", "EUR")][:2] == ("new", 2)
    assert found[("G", "EUR")] == ("chronic_late", 3, pytest.approx(30.0))
    assert found[("G", "USD")][:2] == ("new", 1)
    assert found[("H", "EUR")] == ("slow", 3, pytest.approx(4.0))


def test_payments_after_the_planning_date_do_not_count():
    """A paid its three invoices 5 days late, the last on 6 July: on 30 June only
    two are paid (new); the third is open 0 days past due."""
    books = Books().customer("A")
    _paid(books, "A", "A1", date(2025, 5, 1), "100.00", 5)
    _paid(books, "A", "A2", date(2025, 6, 1), "100.00", 5)
    _paid(books, "A", "A3", date(2025, 7, 1), "100.00", 5)
    assert _profiles(books)[("A", "EUR")][:2] == ("new", 2)


SEGMENTS = """
[campaign]
name = "t"

[[segments]]
name = "export"
rules.segment = ["export_desk"]
[[segments.steps]]
name = "e"
offset_days = 1
channel = "email"

[[segments]]
name = "vip"
rules.tags = ["vip"]
rules.exclude_tags = ["blocked"]
[[segments.steps]]
name = "e"
offset_days = 1
channel = "email"

[[segments]]
name = "big"
rules.amount_open_min = { EUR = "10000" }
rules.amount_open_max = { EUR = "50000" }
[[segments.steps]]
name = "e"
offset_days = 1
channel = "email"

[[segments]]
name = "late"
rules.payer_profile = ["chronic_late"]
rules.country = ["FR"]
[[segments.steps]]
name = "e"
offset_days = 1
channel = "email"
"""


def _segment_rows() -> pl.DataFrame:
    rows = [
        # customer, currency, pinned, type, country, tags, amount_open, profile
        (1, "EUR", "late", None, "BE", "vip", 100, "on_time"),
        (2, "EUR", None, None, "FR", "Export, VIP", 100, "chronic_late"),
        (3, "EUR", None, None, "FR", "vip,blocked", 1_000_000, "on_time"),
        (4, "EUR", None, None, "fr", "", 5_000_000, "chronic_late"),
        (5, "USD", None, None, "FR", "", 2_000_000, "on_time"),
        (6, "EUR", "export_desk", None, "FR", "", 100, "on_time"),
        (7, "EUR", None, None, "BE", None, 4_999_999, "slow"),
    ]
    names = [
        "customer_id",
        "currency",
        "pinned",
        "customer_type",
        "country",
        "tags",
        "amount_open",
        "payer_profile",
    ]
    schema = dict(
        zip(
            names,
            [pl.Int64, pl.Utf8, pl.Utf8, pl.Utf8, pl.Utf8, pl.Utf8, pl.Int64, pl.Utf8],
            strict=True,
        )
    )
    return pl.DataFrame(rows, schema=schema, orient="row")


def test_segments_first_match_pinned_and_rules():
    """1: pinned to "late" by customers.csv, whatever its tags.
    2: tags "Export, VIP" include vip (case and spaces ignored) -> vip.
    3: vip but also blocked -> not vip; 10000.00 EUR open, the minimum is
       inclusive -> big.
    4: 50000.00 EUR open, the maximum is exclusive -> not big; chronic late in
       "fr" -> late.
    5: 20000.00 USD: big names no USD amount and no default -> no match; not
       chronic -> no segment at all (this policy has no catch-all).
    6: customers.csv segment "export_desk" is no policy segment, but the export
       rule reads it -> export.
    7: 49999.99 EUR -> big."""
    result = assign_segments(_segment_rows(), parse_policy(SEGMENTS))
    assert result.get_column("segment").to_list() == [
        "late",
        "vip",
        "big",
        "late",
        None,
        "export",
        "big",
    ]
    reasons = result.get_column("segment_reason").to_list()
    assert reasons[0] == "segment late: pinned by the customer's segment column"
    assert (
        reasons[1]
        == "segment vip: tags include any of [vip] and tags include none of [blocked]"
    )
    assert (
        reasons[2]
        == "segment big: amount open >= EUR 10000 and amount open < EUR 50000"
    )
    assert reasons[4] == "no segment of the policy matches"


def test_catch_all_segment_takes_the_rest():
    text = (
        SEGMENTS + '\n[[segments]]\nname = "rest"\n[[segments.steps]]\nname = "e"\n'
        'offset_days = 1\nchannel = "email"\n'
    )
    result = assign_segments(_segment_rows(), parse_policy(text))
    assert result.get_column("segment").to_list()[4] == "rest"
    assert (
        result.get_column("segment_reason").to_list()[4]
        == "segment rest: catch-all (no rule)"
    )
