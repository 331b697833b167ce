"""Late-payment interest and indemnity, checked against examples worked by hand.

Rates used below (ECB rate in force on the half-year's first day, + 10 for the
French statutory rate, + 8 for the EU directive's minimum):

    half-year  ECB on day 1           FR      EU    legal  3 × legal
    2021-S1    0.00                  10.00    8.00  0.79    2.37
    2023-S1    2.50 (since 21 Dec 22) 12.50  10.50  2.06    6.18
    2024-S1    4.50 (since 20 Sep 23) 14.50  12.50  5.07   15.21
    2024-S2    4.25 (since 12 Jun 24) 14.25  12.25  4.92   14.76
    2025-S1    3.15 (since 18 Dec 24) 13.15  11.15  3.71   11.13

Every expected interest is Σ balance × rate × days / 365, rounded half up to cents.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relance.domain.late_interest import (
    RECOVERY_INDEMNITY,
    InvoicePenalty,
    PenaltyPeriod,
    PenaltyRates,
    PenaltyTerms,
    invoice_penalties,
    rate_basis,
    semester_rate,
    semester_rates,
)
from relance.domain.ledger import (
    APPLICATION_SCHEMA,
    CUSTOMER_SCHEMA,
    DOCUMENT_SCHEMA,
    PAYMENT_SCHEMA,
    WRITEOFF_SCHEMA,
    Ledger,
)
from relance.domain.money import Money, to_minor
from relance.domain.rates import RateStep, RateTable, parse_rates

DATA = Path(__file__).resolve().parents[2] / "src" / "relance" / "data"

# Invoice: (ref, customer, due date, amount, currency, disputed)
Invoice = tuple[str, str, date, str, str, bool]
# Settlement of an invoice: (invoice ref, date, amount, how) with how one of
# "payment", "credit" (a credit note issued that day) or "writeoff".
Settlement = tuple[str, date, str, str]


def _rates() -> PenaltyRates:
    ecb, _ = parse_rates((DATA / "ecb_mro_rates.csv").read_text(), "ecb")
    legal, _ = parse_rates((DATA / "fr_legal_interest_rates.csv").read_text(), "legal")
    return PenaltyRates(ecb, legal)


RATES = _rates()


def _ledger(
    invoices: Sequence[Invoice],
    settlements: Sequence[Settlement] = (),
    countries: dict[str, str | None] | None = None,
) -> Ledger:
    """A ledger of invoices (issued 30 days before due) and their settlements."""
    countries = countries or {}
    refs = sorted({inv[1] for inv in invoices} | set(countries))
    customer_id = {ref: n for n, ref in enumerate(refs, start=1)}
    customers = [
        (customer_id[r], r, r, None, countries.get(r, "FR"), None) for r in refs
    ]
    docs, pays, apps, wos = [], [], [], []
    by_ref = {}
    for n, (ref, cust, due, amount, cur, disputed) in enumerate(invoices, start=1):
        issue = due - timedelta(days=30)
        minor = to_minor(Decimal(amount), cur)
        docs.append(
            (
                n,
                ref,
                customer_id[cust],
                cust,
                "invoice",
                issue,
                due,
                minor,
                cur,
                disputed,
            )
        )
        by_ref[ref] = (n, cust, cur)
    for k, (ref, day, amount, how) in enumerate(settlements, start=1):
        doc_id, cust, cur = by_ref[ref]
        minor = to_minor(Decimal(amount), cur)
        if how == "payment":
            pays.append((k, f"P{k}", customer_id[cust], cust, day, minor, cur))
            apps.append((k, None, doc_id, day, minor, cur))
        elif how == "credit":
            note_id = 1000 + k
            row = (
                note_id,
                f"A{k}",
                customer_id[cust],
                cust,
                "credit_note",
                day,
                day,
                -minor,
                cur,
                False,
            )
            docs.append(row)
            apps.append((None, note_id, doc_id, day, minor, cur))
        else:
            wos.append((doc_id, day, minor, cur))
    return Ledger(
        customers=pl.DataFrame(customers, schema=CUSTOMER_SCHEMA, orient="row"),
        documents=pl.DataFrame(docs, schema=DOCUMENT_SCHEMA, orient="row"),
        payments=pl.DataFrame(pays, schema=PAYMENT_SCHEMA, orient="row"),
        applications=pl.DataFrame(apps, schema=APPLICATION_SCHEMA, orient="row"),
        writeoffs=pl.DataFrame(wos, schema=WRITEOFF_SCHEMA, orient="row"),
    )


def _one(
    invoice: Invoice,
    settlements: Sequence[Settlement] = (),
    as_of: date = date(2025, 6, 30),
    terms: dict[str, PenaltyTerms] | None = None,
    country: str | None = "FR",
) -> InvoicePenalty:
    ledger = _ledger([invoice], settlements, {invoice[1]: country})
    [result] = invoice_penalties(ledger, as_of, RATES, terms)
    return result


def _inv(due: date, amount: str, ref: str = "F1", customer: str = "C1") -> Invoice:
    return (ref, customer, due, amount, "EUR", False)


# The half-year rule -----------------------------------------------------------


def test_across_1_july():
    """10,000.00 due 20 June 2024, still open on 10 July 2024 (French customer).

    Late days 21–30 June: 10 days at 14.50 % (the ECB cut of 12 June 2024 does not
    count: the rate of 1 January stays for the whole half-year);
    1–10 July: 10 days at 14.25 %.
    10,000 × 14.50 % × 10 / 365 = 39.726027...
    10,000 × 14.25 % × 10 / 365 = 39.041095...
    total 78.767123... → 78.77; 20 days late; one 40 EUR indemnity.
    """
    p = _one(_inv(date(2024, 6, 20), "10000.00"), as_of=date(2024, 7, 10))
    assert p.interest == Decimal("78.77")
    assert p.days_late == 20
    assert p.principal_outstanding == Decimal("10000.00")
    assert p.indemnity == Money(Decimal("40.00"), "EUR")
    assert p.rate_basis == "fr_statutory"
    assert p.periods == (
        PenaltyPeriod("2024-S1", Decimal("14.50"), 10),
        PenaltyPeriod("2024-S2", Decimal("14.25"), 10),
    )
    assert p.warnings == ()


def test_across_1_january_paid_in_full():
    """1,200.00 due 15 Dec 2024, paid in full 14 Jan 2025; seen on 1 Feb 2025.

    16–31 Dec: 16 days at 14.25 %; 1–14 Jan: 14 days at 13.15 % (the payment day
    bears interest; the ECB rate of 3.15 % has been in force since 18 Dec 2024).
    1,200 × 14.25 % × 16 / 365 = 2,736 / 365
    1,200 × 13.15 % × 14 / 365 = 2,209.2 / 365
    total 4,945.2 / 365 = 13.548493... → 13.55; 30 days late (14 Jan − 15 Dec).
    """
    p = _one(
        _inv(date(2024, 12, 15), "1200.00"),
        [("F1", date(2025, 1, 14), "1200.00", "payment")],
        as_of=date(2025, 2, 1),
    )
    assert p.interest == Decimal("13.55")
    assert p.days_late == 30
    assert p.late_until == date(2025, 1, 14)
    assert p.principal_outstanding == Decimal("0.00")
    assert p.indemnity == RECOVERY_INDEMNITY


def test_leap_day_is_one_more_day_at_one_365th():
    """3,650.00 due 27 Feb 2024, open on 2 March 2024.

    Late days 28 Feb, 29 Feb, 1 Mar, 2 Mar: 4 days at 14.50 %.
    3,650 × 14.50 % × 4 / 365 = 5.80 exactly (actual/365; actual/actual would
    divide by 366 and give 5.78).
    The same dates in 2023 have no 29 February: 3 days at 12.50 %,
    3,650 × 12.50 % × 3 / 365 = 3.75.
    """
    leap = _one(_inv(date(2024, 2, 27), "3650.00"), as_of=date(2024, 3, 2))
    assert (leap.days_late, leap.interest) == (4, Decimal("5.80"))
    common = _one(_inv(date(2023, 2, 27), "3650.00"), as_of=date(2023, 3, 2))
    assert (common.days_late, common.interest) == (3, Decimal("3.75"))


def test_partial_payments_step_the_balance_down():
    """5,000.00 due 31 March 2025; 2,000 paid 10 April, 3,000 paid 30 April.

    1–10 April: 10 days on 5,000; 11–30 April: 20 days on 3,000; all at 13.15 %.
    (5,000 × 10 + 3,000 × 20) × 13.15 % / 365 = 110,000 × 0.1315 / 365
    = 14,465 / 365 = 39.630136... → 39.63; 30 days late; one indemnity.
    """
    p = _one(
        _inv(date(2025, 3, 31), "5000.00"),
        [
            ("F1", date(2025, 4, 10), "2000.00", "payment"),
            ("F1", date(2025, 4, 30), "3000.00", "payment"),
        ],
    )
    assert p.interest == Decimal("39.63")
    assert p.days_late == 30
    assert p.indemnity == RECOVERY_INDEMNITY
    assert p.principal_outstanding == Decimal("0.00")


def test_payment_before_due_lowers_the_late_balance():
    """1,000.00 due 31 March 2025, 400 paid 20 March; open on 10 April 2025.

    10 days on 600 at 13.15 %: 600 × 0.1315 × 10 / 365 = 789 / 365 = 2.161643...
    → 2.16; 600.00 outstanding.
    """
    p = _one(
        _inv(date(2025, 3, 31), "1000.00"),
        [("F1", date(2025, 3, 20), "400.00", "payment")],
        as_of=date(2025, 4, 10),
    )
    assert (p.interest, p.days_late) == (Decimal("2.16"), 10)
    assert p.principal_outstanding == Decimal("600.00")


def test_credit_note_and_write_off_lower_the_balance_from_the_next_day():
    """1,000.00 due 31 March 2025; credit note 400 on 5 April; 100 written off
    on 8 April; seen on 10 April.

    1–5 April: 5 days on 1,000; 6–8 April: 3 days on 600; 9–10 April: 2 days on
    500; at 13.15 %: (5,000 + 1,800 + 1,000) × 0.1315 / 365 = 1,025.7 / 365
    = 2.810136... → 2.81; 500.00 outstanding.
    """
    p = _one(
        _inv(date(2025, 3, 31), "1000.00"),
        [
            ("F1", date(2025, 4, 5), "400.00", "credit"),
            ("F1", date(2025, 4, 8), "100.00", "writeoff"),
        ],
        as_of=date(2025, 4, 10),
    )
    assert (p.interest, p.days_late) == (Decimal("2.81"), 10)
    assert p.principal_outstanding == Decimal("500.00")


def test_payment_after_as_of_is_not_known_yet():
    """1,000.00 due 31 March 2025, paid 20 April, seen on 10 April.

    10 days on 1,000 at 13.15 %: 131.5 / 36.5 = 3.602739... → 3.60; all open.
    """
    p = _one(
        _inv(date(2025, 3, 31), "1000.00"),
        [("F1", date(2025, 4, 20), "1000.00", "payment")],
        as_of=date(2025, 4, 10),
    )
    assert (p.interest, p.days_late) == (Decimal("3.60"), 10)
    assert p.principal_outstanding == Decimal("1000.00")
    assert p.late_until == date(2025, 4, 10)


def test_one_day_late():
    """1,000.00 due 31 March 2025, paid 1 April: 1 day, 131.5 / 365 → 0.36."""
    p = _one(
        _inv(date(2025, 3, 31), "1000.00"),
        [("F1", date(2025, 4, 1), "1000.00", "payment")],
    )
    assert (p.interest, p.days_late) == (Decimal("0.36"), 1)


# Nothing is owed --------------------------------------------------------------


@pytest.mark.parametrize(
    ("paid_on", "as_of"),
    [
        pytest.param(date(2025, 3, 20), date(2025, 6, 30), id="paid-before-due"),
        pytest.param(date(2025, 3, 31), date(2025, 6, 30), id="paid-on-due-date"),
        pytest.param(None, date(2025, 3, 31), id="due-today"),
        pytest.param(None, date(2025, 3, 1), id="not-yet-due"),
    ],
)
def test_on_time_gives_nothing(paid_on, as_of):
    settlements = [] if paid_on is None else [("F1", paid_on, "1000.00", "payment")]
    ledger = _ledger([_inv(date(2025, 3, 31), "1000.00")], settlements)
    assert invoice_penalties(ledger, as_of, RATES) == []


def test_credit_notes_bear_no_interest():
    """A credit note past its 'due date' is not a late invoice."""
    ledger = _ledger(
        [_inv(date(2025, 3, 31), "1000.00")],
        [("F1", date(2025, 3, 1), "1000.00", "credit")],
    )
    assert invoice_penalties(ledger, date(2025, 6, 30), RATES) == []


# Which rate -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("terms", "basis"),
    [
        pytest.param(PenaltyTerms(), "fr_statutory", id="no-country"),
        pytest.param(PenaltyTerms("FR"), "fr_statutory", id="france"),
        pytest.param(PenaltyTerms("de"), "eu_directive", id="germany-lowercase"),
        pytest.param(PenaltyTerms("GR"), "eu_directive", id="greece"),
        pytest.param(PenaltyTerms("CH"), "fr_statutory", id="outside-eu"),
        pytest.param(PenaltyTerms("GB"), "fr_statutory", id="uk-after-brexit"),
        pytest.param(
            PenaltyTerms("DE", contract_rate=Decimal(9)), "contractual", id="contract"
        ),
        pytest.param(PenaltyTerms("FR", consumer=True), "none", id="consumer"),
    ],
)
def test_rate_basis(terms, basis):
    assert rate_basis(terms) == basis


def test_eu_directive_customer():
    """A German customer, same invoice as `test_across_1_july`, at ECB + 8.

    10,000 × (12.50 % × 10 + 12.25 % × 10) / 365 = 24,750 / 365 = 67.808219...
    → 67.81.
    """
    p = _one(_inv(date(2024, 6, 20), "10000.00"), as_of=date(2024, 7, 10), country="DE")
    assert p.rate_basis == "eu_directive"
    assert p.interest == Decimal("67.81")
    assert p.indemnity == RECOVERY_INDEMNITY


def test_customer_outside_eu_gets_the_french_rate():
    """A Swiss customer: the French creditor's statutory rate, 78.77 as on 1 July."""
    p = _one(_inv(date(2024, 6, 20), "10000.00"), as_of=date(2024, 7, 10), country="CH")
    assert (p.rate_basis, p.interest) == ("fr_statutory", Decimal("78.77"))


def test_contractual_rate_below_three_times_legal_warns():
    """9 % a year in the terms, same invoice as `test_across_1_july`.

    10,000 × 9 % × 20 / 365 = 18,000 / 365 = 49.315068... → 49.32.
    3 × legal: 15.21 % in 2024-S1, 14.76 % in 2024-S2: both above 9 %, warn.
    """
    terms = {"C1": PenaltyTerms("FR", contract_rate=Decimal(9))}
    p = _one(_inv(date(2024, 6, 20), "10000.00"), as_of=date(2024, 7, 10), terms=terms)
    assert (p.rate_basis, p.interest) == ("contractual", Decimal("49.32"))
    [warning] = p.warnings
    assert "below 3 × the legal interest rate" in warning
    assert "2024-S1 (floor 15.21 %)" in warning
    assert "2024-S2 (floor 14.76 %)" in warning


def test_contractual_rate_above_floor_is_silent():
    """16 % is above 15.21 % and 14.76 %: 10,000 × 16 % × 20 / 365 = 87.67..."""
    terms = {"C1": PenaltyTerms("FR", contract_rate=Decimal(16))}
    p = _one(_inv(date(2024, 6, 20), "10000.00"), as_of=date(2024, 7, 10), terms=terms)
    assert p.interest == Decimal("87.67")
    assert p.warnings == ()


def test_contractual_floor_checked_per_half_year():
    """12 % from 25 June to 5 July 2025: floor 11.13 % in S1, 8.28 % in S2: silent.

    10 % over the same days: below 11.13 % (S1) only, so only S1 is named.
    """
    invoice = _inv(date(2025, 6, 24), "1000.00")
    silent = _one(
        invoice,
        as_of=date(2025, 7, 5),
        terms={"C1": PenaltyTerms(contract_rate=Decimal(12))},
    )
    assert silent.warnings == ()
    low = _one(
        invoice,
        as_of=date(2025, 7, 5),
        terms={"C1": PenaltyTerms(contract_rate=Decimal(10))},
    )
    [warning] = low.warnings
    assert "2025-S1 (floor 11.13 %)" in warning and "2025-S2" not in warning


def test_interest_rounds_half_up():
    """25.00 at a contractual 7.30 %, 1 day late in March 2021 (floor 2.37 %).

    25 × 7.3 % / 365 = 0.005 exactly → 0.01 half up (half-even would give 0.00).
    """
    terms = {"C1": PenaltyTerms(contract_rate=Decimal("7.30"))}
    p = _one(
        _inv(date(2021, 3, 1), "25.00"),
        [("F1", date(2021, 3, 2), "25.00", "payment")],
        terms=terms,
    )
    assert p.interest == Decimal("0.01")


# The indemnity, disputes, currencies, consumers -------------------------------


def test_indemnity_once_per_late_invoice():
    """Two late invoices of one customer, one paid in three late instalments:
    two indemnities of 40 EUR, not four."""
    ledger = _ledger(
        [
            _inv(date(2025, 3, 31), "900.00"),
            _inv(date(2025, 4, 15), "100.00", ref="F2"),
        ],
        [
            ("F1", date(2025, 4, 5), "300.00", "payment"),
            ("F1", date(2025, 4, 10), "300.00", "payment"),
            ("F1", date(2025, 4, 20), "300.00", "payment"),
        ],
    )
    results = invoice_penalties(ledger, date(2025, 5, 31), RATES)
    assert [p.invoice_ref for p in results] == ["F1", "F2"]
    assert [p.indemnity for p in results] == [RECOVERY_INDEMNITY] * 2


def test_disputed_invoice_accrues_but_is_flagged():
    """Disputed, same figures as the one-day example: 0.36, with a warning."""
    invoice = ("F1", "C1", date(2025, 3, 31), "1000.00", "EUR", True)
    p = _one(invoice, [("F1", date(2025, 4, 1), "1000.00", "payment")])
    assert (p.interest, p.disputed) == (Decimal("0.36"), True)
    assert any("disputed" in w for w in p.warnings)


def test_other_currency_keeps_the_indemnity_in_euros():
    """USD 1,000.00, 1 day late in April 2025: interest 0.36 USD, indemnity 40 EUR."""
    invoice = ("F1", "C1", date(2025, 3, 31), "1000.00", "USD", False)
    p = _one(invoice, [("F1", date(2025, 4, 1), "1000.00", "payment")])
    assert (p.currency, p.interest) == ("USD", Decimal("0.36"))
    assert p.indemnity == Money(Decimal(40), "EUR")
    assert any("owed in euros" in w for w in p.warnings)


def test_currency_without_decimals():
    """JPY 100,000, 10 days late in April 2025 at 13.15 %:
    100,000 × 0.1315 × 10 / 365 = 360.27... → 360 yen."""
    invoice = ("F1", "C1", date(2025, 3, 31), "100000", "JPY", False)
    p = _one(invoice, as_of=date(2025, 4, 10))
    assert p.interest == Decimal(360)


def test_consumer_gets_no_penalty_but_a_warning():
    """1,000.00 due 31 March 2025, open on 10 April: 1–10 April = 10 days late.
    A consumer owes neither the B2B rate nor the 40 EUR indemnity: interest 0.00,
    indemnity None, and a warning says why."""
    terms = {"C1": PenaltyTerms("FR", consumer=True)}
    p = _one(_inv(date(2025, 3, 31), "1000.00"), as_of=date(2025, 4, 10), terms=terms)
    assert (p.rate_basis, p.interest, p.indemnity) == ("none", Decimal("0.00"), None)
    assert p.days_late == 10
    assert any("consumer" in w for w in p.warnings)


def test_days_before_the_rate_history_bear_nothing_and_warn():
    """Due 31 Dec 2006: 2007-S1 has no ECB rate in the table (it starts 13 June
    2007); 1 Jan – 30 Jun 2007 is 181 days without a rate. 2007-S2 uses 4.00 %:
    1–10 July, 10 days × 1,000 × 14 % / 365 = 140 / 36.5 = 3.835... → 3.84."""
    p = _one(_inv(date(2006, 12, 31), "1000.00"), as_of=date(2007, 7, 10))
    assert p.interest == Decimal("3.84")
    assert p.periods[0] == PenaltyPeriod("2007-S1", None, 181)
    assert any("181 late day(s)" in w for w in p.warnings)


# Rate lookups -----------------------------------------------------------------


def test_semester_rate_ignores_changes_inside_the_half_year():
    """ECB 4.50 % on 1 Jan 2024, cut to 4.25 % on 12 June: June still at 14.50 %."""
    assert semester_rate(RATES.ecb, "fr_statutory", date(2024, 6, 30)) == Decimal(
        "14.50"
    )
    assert semester_rate(RATES.ecb, "fr_statutory", date(2024, 7, 1)) == Decimal(
        "14.25"
    )
    assert semester_rate(RATES.ecb, "eu_directive", date(2023, 3, 1)) == Decimal(
        "10.50"
    )
    assert (
        semester_rate(
            RateTable((RateStep(date(2024, 1, 2), Decimal(1)),)),
            "fr_statutory",
            date(2024, 3, 1),
        )
        is None
    )


@pytest.mark.shared_data
def test_semester_rates_match_the_reference_table(shared_data):
    """Every half-year from 2013 in the team's reference table, value for value."""
    reference = pl.read_csv(
        shared_data / "reference" / "fr_late_payment_semester_rates.csv",
        schema_overrides={
            c: pl.Utf8
            for c in (
                "ecb_mro_in_force_on_first_day",
                "fr_default_rate_percent_ecb_plus_10",
                "eu_directive_minimum_percent_ecb_plus_8",
                "fr_legal_interest_rate_professional_percent",
                "fr_floor_3x_legal_percent",
            )
        },
    ).filter(pl.col("semester_start") >= "2013-01-01")
    ours = {
        r.semester: r
        for r in semester_rates(RATES, date(2013, 1, 1), date(2026, 6, 30))
    }
    assert len(reference) == 27
    for row in reference.iter_rows(named=True):
        mine = ours[row["semester"]]
        assert mine.start.isoformat() == row["semester_start"]
        assert mine.ecb_percent == Decimal(row["ecb_mro_in_force_on_first_day"])
        assert mine.fr_statutory_percent == Decimal(
            row["fr_default_rate_percent_ecb_plus_10"]
        )
        assert mine.eu_directive_percent == Decimal(
            row["eu_directive_minimum_percent_ecb_plus_8"]
        )
        assert mine.legal_percent == Decimal(
            row["fr_legal_interest_rate_professional_percent"]
        )
        assert mine.contract_floor_percent == Decimal(row["fr_floor_3x_legal_percent"])


@pytest.mark.shared_data
def test_shipped_ecb_history_matches_the_reference(shared_data):
    reference, problems = parse_rates(
        (shared_data / "reference" / "ecb_mro_rates.csv").read_text(), "reference"
    )
    assert problems == []
    assert RATES.ecb == reference


# Against a day-by-day count ---------------------------------------------------


def _day_by_day(
    due: date, amount: Decimal, paid: list[tuple[date, Decimal]], as_of: date
) -> Decimal:
    """Plain count: walk each late day, find its balance and its half-year's rate."""
    total = Decimal(0)
    day = due + timedelta(days=1)
    while day <= as_of:
        balance = amount - sum((a for d, a in paid if d < day), Decimal(0))
        if balance > 0:
            first = date(day.year, 1 if day.month <= 6 else 7, 1)
            total += balance * (RATES.ecb.on(first) + 10) / 100 / 365
        day += timedelta(days=1)
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@settings(max_examples=40, deadline=None)
@given(
    due=st.dates(date(2012, 1, 1), date(2025, 12, 31)),
    cents=st.integers(1, 10**8),
    gaps=st.lists(st.tuples(st.integers(-40, 400), st.integers(1, 10**8)), max_size=4),
    horizon=st.integers(1, 700),
)
def test_matches_a_day_by_day_count(due, cents, gaps, horizon):
    amount = Decimal(cents).scaleb(-2)
    paid = [(due + timedelta(days=g), Decimal(c).scaleb(-2)) for g, c in gaps]
    as_of = due + timedelta(days=horizon)
    expected = _day_by_day(due, amount, paid, as_of)
    settlements = [("F1", d, str(a), "payment") for d, a in paid]
    ledger = _ledger([_inv(due, str(amount))], settlements)
    results = invoice_penalties(ledger, as_of, RATES)
    got = results[0].interest if results else Decimal("0.00")
    assert got == expected
