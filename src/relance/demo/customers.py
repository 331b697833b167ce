"""The demo company's customers: segment, country, terms, profile, activity.

`draw_customers` returns one numpy array per attribute (index = customer number,
0-based) plus the Polars frame of names and e-mails. Payment terms are French
contract wordings; their due date reading is `due_dates`:

- "30 jours" / "60 jours": issue date + N days;
- "N jours fin de mois": issue date + N days, then the end of that month (the
  reading most French firms apply; the other one, end of the issue month + N days,
  is not used by the generator).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from relance.demo.calendar import end_of_month
from relance.demo.names import company_names
from relance.demo.profiles import PROFILE_SHARES, PROFILES, SEGMENTS, choose

# (wording, days, end of month)
TERMS: tuple[tuple[str, int, bool], ...] = (
    ("30 jours", 30, False),
    ("30 jours fin de mois", 30, True),
    ("45 jours fin de mois", 45, True),
    ("60 jours", 60, False),
)
TERMS_SHARES: dict[str, tuple[float, ...]] = {
    "PME": (0.40, 0.20, 0.25, 0.15),
    "Grand compte": (0.00, 0.15, 0.40, 0.45),
    "Public": (1.00, 0.00, 0.00, 0.00),  # public buyers: 30 days by law
    "Export": (0.50, 0.10, 0.10, 0.30),
}
SEGMENT_SHARES = (0.58, 0.14, 0.12, 0.16)
EXPORT_COUNTRIES = ("BE", "DE", "ES", "IT")
EXPORT_COUNTRY_SHARES = (0.35, 0.30, 0.20, 0.15)
LANGUAGE = {"FR": "fr", "BE": "fr", "DE": "en", "ES": "en", "IT": "en"}
# Invoices per month and median invoice amount in euros, per segment.
MONTHLY_INVOICES = {"PME": 1.2, "Grand compte": 5.0, "Public": 1.8, "Export": 1.5}
MEDIAN_AMOUNT = {
    "PME": 900.0,
    "Grand compte": 6000.0,
    "Public": 3000.0,
    "Export": 4000.0,
}

NEVER = np.iinfo(np.int64).max // 4  # a day number later than any real date


@dataclass(frozen=True)
class Customers:
    """Customer attributes as arrays (one entry per customer)."""

    segment: np.ndarray  # index into SEGMENTS
    country: np.ndarray  # ISO 3166 alpha-2 strings
    profile: np.ndarray  # index into PROFILES
    terms: np.ndarray  # index into TERMS
    monthly_invoices: np.ndarray
    median_amount: np.ndarray  # euros
    lateness_factor: np.ndarray
    active_from: np.ndarray  # day numbers, inclusive
    active_to: np.ndarray  # day numbers, inclusive
    default_day: np.ndarray  # NEVER unless defaulting
    writeoff_day: np.ndarray  # NEVER unless defaulting
    holdout: np.ndarray  # bool: never reminded (see ReminderEffect)
    opted_out: np.ndarray
    credit_insured: np.ndarray
    names: pl.DataFrame  # name, slug, email, billing_email

    def __len__(self) -> int:
        return len(self.segment)


def _per_segment(table: dict[str, float], segment: np.ndarray) -> np.ndarray:
    return np.array([table[name] for name in SEGMENTS])[segment]


def _by_segment(
    rng: np.random.Generator, segment: np.ndarray, table: dict
) -> np.ndarray:
    shares = np.array([table[name] for name in SEGMENTS])[segment]
    return choose(rng, shares)


def draw_customers(
    rng: np.random.Generator,
    holdout_rng: np.random.Generator,
    n: int,
    first_day: int,
    last_day: int,
    holdout_share: float,
) -> Customers:
    """Draw `n` customers active between `first_day` and `last_day` (inclusive)."""
    segment = choose(rng, np.tile(SEGMENT_SHARES, (n, 1)))
    export_country = np.array(EXPORT_COUNTRIES)[
        choose(rng, np.tile(EXPORT_COUNTRY_SHARES, (n, 1)))
    ]
    country = np.where(segment == SEGMENTS.index("Export"), export_country, "FR")
    profile = _by_segment(rng, segment, PROFILE_SHARES)
    terms = _by_segment(rng, segment, TERMS_SHARES)
    segment_names = np.array(SEGMENTS)[segment]
    monthly = _per_segment(MONTHLY_INVOICES, segment) * rng.lognormal(0, 0.5, n)
    median = _per_segment(MEDIAN_AMOUNT, segment) * rng.lognormal(0, 0.6, n)
    factor = rng.lognormal(0.0, 0.3, n)

    # Activity: most customers were there from the start; "new" ones arrived in the
    # last nine months; a few left along the way.
    span = last_day - first_day
    late_start = first_day + (rng.random(n) * 0.75 * span).astype(np.int64)
    active_from = np.where(rng.random(n) < 0.8, first_day, late_start)
    is_new = profile == PROFILES.index("new")
    active_from = np.where(is_new, last_day - rng.integers(30, 271, n), active_from)
    active_from = np.maximum(active_from, first_day)
    stay = (last_day - active_from) * rng.uniform(0.3, 0.9, n)
    churned = (rng.random(n) < 0.08) & ~is_new
    active_to = np.where(churned, active_from + stay.astype(np.int64), last_day)

    # Defaulting customers stop paying on their default day, are invoiced for a
    # month more, and are written off four to fourteen months later.
    defaulting = profile == PROFILES.index("defaulting")
    fall = active_from + ((last_day - active_from) * rng.uniform(0.35, 0.9, n)).astype(
        np.int64
    )
    fall = np.minimum(fall, last_day - 20)
    default_day = np.where(defaulting, fall, NEVER)
    active_to = np.where(defaulting, np.minimum(fall + 30, last_day), active_to)
    loss = end_of_month(
        np.where(defaulting, fall, first_day) + rng.integers(120, 421, n)
    )
    writeoff_day = np.where(defaulting, loss, NEVER)

    opted_out = rng.random(n) < 0.02
    insured = rng.random(n) < 0.3
    names = company_names(rng, segment_names, country)
    holdout = holdout_rng.random(n) < holdout_share
    return Customers(
        segment=segment,
        country=country,
        profile=profile,
        terms=terms,
        monthly_invoices=monthly,
        median_amount=median,
        lateness_factor=factor,
        active_from=active_from,
        active_to=active_to,
        default_day=default_day,
        writeoff_day=writeoff_day,
        holdout=holdout,
        opted_out=opted_out,
        credit_insured=insured,
        names=names,
    )


def due_dates(issue: np.ndarray, terms: np.ndarray) -> np.ndarray:
    """Due day numbers for invoices issued on `issue` under `terms` (TERMS indices)."""
    days = np.array([t[1] for t in TERMS])[terms]
    month_end = np.array([t[2] for t in TERMS])[terms]
    plain = issue + days
    return np.where(month_end, end_of_month(plain), plain)


def customer_frame(customers: Customers, ref_width: int, last_day: int) -> pl.DataFrame:
    """The customers as a frame with canonical columns plus the generator's own.

    `tags` is a list: "assurance-crédit" for credit-insured customers, "contentieux"
    for those in legal proceedings. Extra columns: `index` (0-based), `profile`,
    `holdout`, `default_date` (null unless defaulting), `credit_insured`.
    """
    n = len(customers)
    index = np.arange(n)
    segment = np.array(SEGMENTS)[customers.segment]
    public = segment == "Public"
    defaulting = customers.default_day != NEVER
    # In proceedings: defaulted two months ago or more, not yet written off.
    legal = (
        defaulting
        & (customers.default_day + 60 <= last_day)
        & (customers.writeoff_day > last_day)
    )
    return pl.DataFrame(
        {
            "index": index,
            "ref": pl.Series(index + 1).cast(pl.Utf8).str.zfill(ref_width),
            "name": customers.names["name"],
            "email": customers.names["email"],
            "billing_email": customers.names["billing_email"],
            "payment_terms": np.array([t[0] for t in TERMS])[customers.terms],
            "segment": segment,
            "country": customers.country,
            "customer_type": np.where(public, "public", "business"),
            "opted_out": customers.opted_out,
            "legal_procedure": legal,
            "profile": np.array(PROFILES)[customers.profile],
            "holdout": customers.holdout,
            "credit_insured": customers.credit_insured,
            "default_day": np.where(defaulting, customers.default_day, -(10**6)),
        }
    ).with_columns(
        pl.concat_str(pl.lit("C"), "ref").alias("ref"),
        pl.col("country").replace_strict(LANGUAGE, return_dtype=pl.Utf8).alias("language"),
        pl.concat_list(
            pl.when("credit_insured").then(pl.lit("assurance-crédit")),
            pl.when("legal_procedure").then(pl.lit("contentieux")),
        )
        .list.drop_nulls()
        .alias("tags"),
        pl.when(pl.col("default_day") > -(10**6))
        .then(pl.col("default_day").cast(pl.Int32).cast(pl.Date))
        .alias("default_date"),
        pl.col("billing_email").replace("", None),
    ).select(
        "index", "ref", "name", "email", "billing_email", "payment_terms", "segment",
        "country", "language", "customer_type", "tags", "opted_out", "legal_procedure",
        "profile", "holdout", "default_date", "credit_insured",
    )  # fmt: skip
