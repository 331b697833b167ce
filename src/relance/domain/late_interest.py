"""Late-payment penalties: interest on late invoices and the fixed recovery indemnity.

The law (between businesses, French creditor):
- Code de commerce L441-10 II: unless the terms say otherwise, late-payment interest
  runs at the ECB main refinancing rate plus 10 points; the ECB rate in force on
  1 January applies to the first half-year, the one in force on 1 July to the second.
  A contractual rate may not be below three times the legal interest rate.
- D441-5: a fixed indemnity of 40 euros for recovery costs per late invoice.
- Directive 2011/7/EU art. 2(6) and 3(2): at least the ECB rate plus 8 points, with
  the same half-year rule. relance uses it for customers in another EU country.

Contracts of this module:
- a late day is a day after the due date: the first is the due date + 1; the payment
  day still bears interest (a payment dated P lowers the balance from P + 1), so an
  invoice due on E and paid in full on P is P − E days late, as the ledger counts;
- interest accrues up to and including `as_of`;
- each late day bears balance × rate / 365, in every year (actual/365 fixed): a leap
  year's 29 February is one more day at 1/365 of the annual rate;
- each late day bears the rate of its own half-year (`semester_rate`);
- a day's balance is the invoice amount less the applications (payments, credit
  notes) and write-offs effective before that day (`effective_applications`);
- interest is summed exactly in integers (minor units × days × rate units) and
  rounded once per invoice, half up, to the currency's minor unit (`quantize`);
- penalties are figures apart: they never change an invoice's residual.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, Literal

import polars as pl

from relance.domain.ledger import Ledger, effective_applications
from relance.domain.money import Money, minor_digits, quantize
from relance.domain.rates import RATE_DECIMALS, RATE_SCALE, RateTable, to_rate_units

RateBasis = Literal["fr_statutory", "eu_directive", "contractual", "none"]

FR_STATUTORY_MARGIN = Decimal(10)
EU_DIRECTIVE_MARGIN = Decimal(8)
CONTRACT_FLOOR_MULTIPLE = 3
DAYS_PER_YEAR = 365
RECOVERY_INDEMNITY = Money(Decimal("40.00"), "EUR")

# Member states of the European Union (ISO 3166-1), Greece also as the EU's "EL".
# fmt: off
EU_COUNTRIES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "GR", "HR",
    "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})
# fmt: on
# customer_type values that mean a private individual, not a business.
CONSUMER_TYPES = frozenset({"consumer", "individual", "particulier", "private", "b2c"})

_DAY = pl.duration(days=1)
_MARGINS = {"fr_statutory": FR_STATUTORY_MARGIN, "eu_directive": EU_DIRECTIVE_MARGIN}


@dataclass(frozen=True, slots=True)
class PenaltyRates:
    """The two rate tables the penalties need."""

    ecb: RateTable
    legal: RateTable


@dataclass(frozen=True, slots=True)
class PenaltyTerms:
    """What decides a customer's penalties: country, consumer or not, contract."""

    country: str | None = None
    consumer: bool = False
    contract_rate: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PenaltyPeriod:
    """The late days of one half-year and the rate they bear (None: unknown)."""

    semester: str
    rate_percent: Decimal | None
    days: int


@dataclass(frozen=True, slots=True)
class InvoicePenalty:
    """What one late invoice costs its customer on top of the principal, as of a day.

    `principal_outstanding` is the invoice's residual at that day (penalties are not
    in it); `interest` is in the invoice's currency, rounded to its minor unit;
    `indemnity` is the fixed 40 EUR, or None when it is not owed; `customer_name`
    is the customer's name in the ledger.
    """

    invoice_ref: str
    customer_ref: str
    currency: str
    due_date: date
    late_until: date
    principal_outstanding: Decimal
    days_late: int
    interest: Decimal
    indemnity: Money | None
    rate_basis: RateBasis
    periods: tuple[PenaltyPeriod, ...]
    disputed: bool
    warnings: tuple[str, ...]
    customer_name: str | None = None


def semester_start(day: date) -> date:
    """1 January or 1 July: the first day of `day`'s half-year."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def semester_label(day: date) -> str:
    """'2024-S1' for January–June 2024, '2024-S2' for July–December."""
    return f"{day.year}-S{1 if day.month <= 6 else 2}"


def rate_basis(terms: PenaltyTerms) -> RateBasis:
    """Which rate applies: none for a consumer, the contract's, else by country.

    No country, France and any country outside the EU get the French statutory rate;
    another EU country gets the directive's minimum.
    """
    if terms.consumer:
        return "none"
    if terms.contract_rate is not None:
        return "contractual"
    country = (terms.country or "FR").strip().upper()
    if country != "FR" and country in EU_COUNTRIES:
        return "eu_directive"
    return "fr_statutory"


def semester_rate(ecb: RateTable, basis: RateBasis, day: date) -> Decimal | None:
    """The statutory rate of `day`'s half-year: ECB rate on its first day + margin.

    None when the ECB table does not reach back to that half-year.
    """
    ecb_rate = ecb.on(semester_start(day))
    if ecb_rate is None:
        return None
    return ecb_rate + _MARGINS[basis]


def _semester_index(column: str) -> pl.Expr:
    """Half-years counted from year 0: year × 2, + 1 for July–December."""
    return pl.col(column).dt.year().cast(pl.Int64) * 2 + (
        pl.col(column).dt.month() > 6
    ).cast(pl.Int64)


def _units(rate: Decimal | None) -> int | None:
    return None if rate is None else to_rate_units(rate)


def _semesters(rates: PenaltyRates, first: int, last: int) -> pl.DataFrame:
    """One row per half-year index in [first, last]: bounds, ECB and legal rates."""
    rows = []
    for index in range(first, last + 1):
        start = date(index // 2, 1 + 6 * (index % 2), 1)
        following = date((index + 1) // 2, 1 + 6 * ((index + 1) % 2), 1)
        rows.append(
            {
                "sem": index,
                "semester": semester_label(start),
                "sem_start": start,
                "sem_end": following - timedelta(days=1),
                "ecb_units": _units(rates.ecb.on(start)),
                "legal_units": _units(rates.legal.on(start)),
            }
        )
    schema = {
        "sem": pl.Int64,
        "semester": pl.Utf8,
        "sem_start": pl.Date,
        "sem_end": pl.Date,
        "ecb_units": pl.Int64,
        "legal_units": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def _reductions(ledger: Ledger) -> pl.DataFrame:
    """What lowers an invoice's balance, and from when: applications, write-offs."""
    applied = effective_applications(ledger).select(
        pl.col("document_id"), pl.col("applied_on").alias("on"), pl.col("amount")
    )
    written = ledger.writeoffs.select(
        pl.col("document_id"), pl.col("writeoff_date").alias("on"), pl.col("amount")
    )
    return pl.concat([applied, written])


def late_balances(
    ledger: Ledger, as_of: date, reductions: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Late stretches of every invoice: `id`, `start`, `end` (inclusive), `balance`.

    Within a stretch the balance (Int64 minor units, > 0) is constant; stretches lie
    between the day after the due date and `as_of`. `reductions` are the ledger's
    (`_reductions`), when already computed.
    """
    if reductions is None:
        reductions = _reductions(ledger)
    invoices = ledger.documents.filter(
        (pl.col("kind") == "invoice") & (pl.col("due_date") < as_of)
    )

    # Each change of balance takes effect the day after its date.
    changes = pl.concat(
        [
            invoices.select(
                pl.col("id"),
                (pl.col("due_date") + _DAY).alias("start"),
                pl.col("amount").alias("delta"),
            ),
            reductions.select(
                pl.col("document_id").alias("id"),
                (pl.col("on") + _DAY).alias("start"),
                (-pl.col("amount")).alias("delta"),
            ),
        ]
    ).join(invoices.select("id", "due_date"), on="id", how="inner")

    # Running balance from each change to the day before the next one.
    stretches = (
        changes.group_by("id", "start")
        .agg(pl.col("delta").sum(), pl.col("due_date").first())
        .sort("id", "start")
        .with_columns(
            pl.col("delta").cum_sum().over("id").alias("balance"),
            (pl.col("start").shift(-1).over("id") - _DAY).alias("end"),
        )
    )

    # Keep only the late part, up to as_of, while something is owed.
    return (
        stretches.with_columns(
            pl.max_horizontal("start", pl.col("due_date") + _DAY).alias("start"),
            pl.min_horizontal(pl.col("end").fill_null(as_of), pl.lit(as_of)).alias(
                "end"
            ),
        )
        .filter((pl.col("start") <= pl.col("end")) & (pl.col("balance") > 0))
        .select("id", "start", "end", "balance")
    )


def _customer_bases(ledger: Ledger, terms: Mapping[str, PenaltyTerms]) -> pl.DataFrame:
    """Per customer: the rate basis and the contract rate in rate units."""
    rows = []
    for ref, country in ledger.customers.select("ref", "country").iter_rows():
        own = terms.get(ref, PenaltyTerms(country=country))
        rows.append((ref, rate_basis(own), _units(own.contract_rate)))
    schema = {"customer_ref": pl.Utf8, "basis": pl.Utf8, "contract_units": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _late_semesters(
    stretches: pl.DataFrame, rates: PenaltyRates, bases: pl.DataFrame, ledger: Ledger
) -> pl.DataFrame:
    """Per invoice and half-year: late days, rate units and exact interest numerator.

    numerator = Σ balance × days × rate units; interest in minor units is
    numerator / (365 × 100 × RATE_SCALE).
    """
    first = stretches.select(_semester_index("start").min()).item()
    last = stretches.select(_semester_index("end").max()).item()
    semesters = _semesters(rates, first, last)
    owner = ledger.documents.select("id", "customer_ref").join(
        bases, on="customer_ref", how="left"
    )
    basis = pl.col("basis")
    rate = (
        pl.when(basis == "contractual")
        .then(pl.col("contract_units"))
        .when(basis == "fr_statutory")
        .then(pl.col("ecb_units") + int(FR_STATUTORY_MARGIN) * RATE_SCALE)
        .when(basis == "eu_directive")
        .then(pl.col("ecb_units") + int(EU_DIRECTIVE_MARGIN) * RATE_SCALE)
        .otherwise(None)
    )
    below_floor = (basis == "contractual") & (
        pl.col("contract_units") < CONTRACT_FLOOR_MULTIPLE * pl.col("legal_units")
    )
    return (
        stretches.with_columns(
            pl.int_ranges(_semester_index("start"), _semester_index("end") + 1).alias(
                "sem"
            )
        )
        .explode("sem")
        .join(semesters, on="sem", how="left")
        .join(owner, on="id", how="left")
        .with_columns(
            (
                (
                    pl.min_horizontal("end", "sem_end")
                    - pl.max_horizontal("start", "sem_start")
                ).dt.total_days()
                + 1
            ).alias("days"),
            basis.fill_null("fr_statutory"),
        )
        .with_columns(rate.alias("rate_units"), below_floor.alias("below_floor"))
        .with_columns(
            (
                pl.col("balance").cast(pl.Int128)
                * pl.col("days")
                * pl.col("rate_units")
            ).alias("numerator")
        )
        .group_by("id", "sem")
        .agg(
            pl.col("semester").first(),
            pl.col("basis").first(),
            pl.col("rate_units").first(),
            pl.col("legal_units").first(),
            pl.col("below_floor").first(),
            pl.col("days").sum(),
            pl.col("numerator").sum(),
            pl.col("end").max().alias("late_until"),
        )
        .sort("id", "sem")
    )


def _per_invoice(
    by_semester: pl.DataFrame, ledger: Ledger, as_of: date, reductions: pl.DataFrame
) -> pl.DataFrame:
    """One row per late invoice: totals, the half-years, and the invoice's facts."""
    owed = (
        reductions.filter(pl.col("on") <= as_of)
        .group_by("document_id")
        .agg(pl.col("amount").sum().alias("_reduced"))
    )
    below = pl.col("below_floor")
    totals = by_semester.group_by("id").agg(
        pl.col("basis").first(),
        pl.col("days").sum().alias("days_late"),
        pl.col("numerator").sum(),
        pl.col("late_until").max(),
        # Plain lists convert to Python much faster than lists of structs.
        pl.col("semester").alias("p_semester"),
        pl.col("rate_units").alias("p_rate_units"),
        pl.col("days").alias("p_days"),
        pl.col("semester").filter(below).alias("floor_semester"),
        pl.col("legal_units").filter(below).alias("floor_legal_units"),
        pl.col("days").filter(pl.col("rate_units").is_null()).sum().alias("unrated"),
    )
    names = ledger.customers.select(
        pl.col("ref").alias("customer_ref"), pl.col("name").alias("customer_name")
    )
    return (
        totals.join(ledger.documents, on="id", how="inner")
        .join(names, on="customer_ref", how="left")
        .join(owed, left_on="id", right_on="document_id", how="left")
        .with_columns(
            (pl.col("amount") - pl.col("_reduced").fill_null(0)).alias("outstanding")
        )
        .sort("customer_ref", "due_date", "ref")
    )


@cache
def _percent(units: int) -> Decimal:
    """A rate in rate units as a percentage, with at least two decimals."""
    value = Decimal(units).scaleb(-RATE_DECIMALS)
    cents = value.quantize(Decimal("0.01"))
    return cents if cents == value else value.normalize()


def _warnings(row: dict[str, Any], terms: PenaltyTerms) -> list[str]:
    """Everything a collector should know before claiming these penalties."""
    notes = []
    if row["basis"] == "none":
        notes.append(
            "the customer is a consumer: L441-10 and the 40 EUR indemnity do not "
            "apply, no penalty computed"
        )
    if row["disputed"]:
        notes.append(
            "invoice disputed: interest accrues by law, claim it once the dispute "
            "is settled"
        )
    if row["unrated"] and row["basis"] != "none":
        notes.append(
            f"{row['unrated']} late day(s) before the first known ECB rate bear no "
            "interest here"
        )
    multiple = CONTRACT_FLOOR_MULTIPLE
    if row["floor_semester"]:
        floors = ", ".join(
            f"{semester} (floor {_percent(multiple * legal)} %)"
            for semester, legal in zip(
                row["floor_semester"], row["floor_legal_units"], strict=True
            )
        )
        notes.append(
            f"contractual rate {terms.contract_rate} % is below 3 × the legal "
            f"interest rate in {floors}: such a clause may be void (L441-10 II)"
        )
    if row["basis"] != "none" and row["currency"] != RECOVERY_INDEMNITY.currency:
        notes.append(
            f"the 40 EUR indemnity is owed in euros, apart from the {row['currency']} "
            "amounts"
        )
    return notes


@cache
def _digits(currency: str) -> int:
    return minor_digits(currency)


def _penalty(row: dict[str, Any], terms: PenaltyTerms) -> InvoicePenalty:
    """Build one result from its aggregated row; Decimals are made here."""
    currency = row["currency"]
    denominator = DAYS_PER_YEAR * 100 * RATE_SCALE
    exact_minor = Decimal(row["numerator"] or 0) / Decimal(denominator)
    interest = quantize(exact_minor.scaleb(-_digits(currency)), currency)
    periods = tuple(
        PenaltyPeriod(semester, None if units is None else _percent(units), days)
        for semester, units, days in zip(
            row["p_semester"], row["p_rate_units"], row["p_days"], strict=True
        )
    )
    owed_indemnity = row["basis"] != "none"
    return InvoicePenalty(
        invoice_ref=row["ref"],
        customer_ref=row["customer_ref"],
        currency=currency,
        due_date=row["due_date"],
        late_until=row["late_until"],
        principal_outstanding=Decimal(row["outstanding"]).scaleb(-_digits(currency)),
        days_late=row["days_late"],
        interest=interest,
        indemnity=RECOVERY_INDEMNITY if owed_indemnity else None,
        rate_basis=row["basis"],
        periods=periods,
        disputed=bool(row["disputed"]),
        warnings=tuple(_warnings(row, terms)),
        customer_name=row["customer_name"],
    )


def claimed_invoices(
    ledger: Ledger,
    as_of: date,
    reductions: pl.DataFrame,
    include_paid: bool,
    paid_from: date | None,
) -> Ledger:
    """The ledger restricted to the invoices whose penalties are asked for.

    Always the invoices still open on `as_of` and past due; with `include_paid`,
    also those settled by then (paid, credited or written off), and with
    `paid_from` only those whose last settlement is dated on or after it.
    """
    settled = (
        reductions.filter(pl.col("on") <= as_of)
        .group_by("document_id")
        .agg(pl.col("amount").sum().alias("_reduced"), pl.col("on").max().alias("_on"))
    )
    still_open = pl.col("amount") > pl.col("_reduced").fill_null(0)
    keep = still_open
    if include_paid:
        paid = pl.lit(True) if paid_from is None else pl.col("_on") >= paid_from
        keep = still_open | paid
    ids = (
        ledger.documents.filter(
            (pl.col("kind") == "invoice") & (pl.col("due_date") < as_of)
        )
        .join(settled, left_on="id", right_on="document_id", how="left")
        .filter(keep)
        .get_column("id")
    )
    return replace(
        ledger, documents=ledger.documents.filter(pl.col("id").is_in(ids.implode()))
    )


def invoice_penalties(
    ledger: Ledger,
    as_of: date,
    rates: PenaltyRates,
    terms: Mapping[str, PenaltyTerms] | None = None,
    *,
    include_paid: bool = True,
    paid_from: date | None = None,
) -> list[InvoicePenalty]:
    """The penalties of the invoices of `ledger` late on some day up to `as_of`.

    `terms` gives, per customer ref, what decides the rate; a customer absent from
    it is a business of its ledger country with no contractual rate. Invoices paid
    on time, credit notes and invoices not yet due give nothing. Invoices settled
    by `as_of` count only with `include_paid`, and then, when `paid_from` is
    given, only if settled on or after it (see `claimed_invoices`).
    """
    terms = terms or {}
    reductions = _reductions(ledger)
    if not include_paid or paid_from is not None:
        ledger = claimed_invoices(ledger, as_of, reductions, include_paid, paid_from)
    stretches = late_balances(ledger, as_of, reductions)
    if stretches.is_empty():
        return []
    bases = _customer_bases(ledger, terms)
    by_semester = _late_semesters(stretches, rates, bases, ledger)
    frame = _per_invoice(by_semester, ledger, as_of, reductions)
    # Column by column is much faster than row by row for list columns.
    columns = {name: frame.get_column(name).to_list() for name in frame.columns}
    rows = (
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values())
    )
    return [
        _penalty(row, terms.get(row["customer_ref"], PenaltyTerms())) for row in rows
    ]


@dataclass(frozen=True, slots=True)
class SemesterRates:
    """The rates of one half-year, as a credit manager looks them up."""

    semester: str
    start: date
    ecb_percent: Decimal | None
    fr_statutory_percent: Decimal | None
    eu_directive_percent: Decimal | None
    legal_percent: Decimal | None
    contract_floor_percent: Decimal | None


def semester_rates(rates: PenaltyRates, first: date, last: date) -> list[SemesterRates]:
    """The rates of every half-year from the one of `first` to the one of `last`."""
    table = []
    start = semester_start(first)
    while start <= last:
        legal = rates.legal.on(start)
        table.append(
            SemesterRates(
                semester=semester_label(start),
                start=start,
                ecb_percent=rates.ecb.on(start),
                fr_statutory_percent=semester_rate(rates.ecb, "fr_statutory", start),
                eu_directive_percent=semester_rate(rates.ecb, "eu_directive", start),
                legal_percent=legal,
                contract_floor_percent=(
                    None if legal is None else CONTRACT_FLOOR_MULTIPLE * legal
                ),
            )
        )
        start = date(start.year + start.month // 7, 7 if start.month == 1 else 1, 1)
    return table
