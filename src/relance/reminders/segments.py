"""Payer profiles from history, and the segment each customer falls in.

Everything here works per (customer, currency): amounts of different currencies are
never added, so a customer's amount open and its payment history are read in each
currency separately, and a customer could (rarely) sit in two segments, one per
currency.

Payer profile at planning date D (thresholds from the policy's [payer_profiles]):
- an invoice is *paid* when payments and credit notes applied on or before D cover
  its amount and at least one payment is among them; it was paid on the latest of
  those application dates;
- observations are the invoices paid whose due date lies in (D - history_days, D],
  each late by max(0, paid date - due date) days, plus the invoices still open on D
  past their due date (any age), each late by D - due date days so far;
- the customer's lateness is the average of those days weighted by the invoices'
  amounts (a ratio, not money: computed in Float64);
- `new` when fewer than `new_below_paid_invoices` invoices were ever paid by D;
  else `on_time` when the lateness is at most `on_time_max_days` (or there is no
  observation), `slow` when at most `slow_max_days`, `chronic_late` above.

Segment: a customer whose `segment` column (customers.csv) names a segment of the
policy is pinned to it; otherwise it takes the first segment, in policy order, whose
rules all match. Lists in rules mean "any of"; an amount rule with no value for the
currency (and no `default`) does not match; the amount open is the sum of the open
invoices' balances in that currency (credit notes and cash not deducted); the
minimum is inclusive and the maximum exclusive. A customer matching no segment
gets a null segment (the planner reports it as skipped).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl

from relance.domain.ledger import Ledger, effective_applications, open_items
from relance.reminders.policy import Amount, PayerProfileRule, Policy, Rules

PROFILE_SCHEMA = {
    "customer_id": pl.Int64,
    "currency": pl.Utf8,
    "paid_invoices": pl.Int64,
    "days_late": pl.Float64,
    "payer_profile": pl.Utf8,
}


def payer_profiles(
    ledger: Ledger,
    day: date,
    rule: PayerProfileRule,
    open_now: pl.DataFrame | None = None,
    applications: pl.DataFrame | None = None,
    pairs: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Profile of every (customer, currency) with an invoice issued by `day`.

    `open_now` (`open_items(ledger, day)`) and `applications`
    (`effective_applications(ledger)`) may be passed when the caller has them;
    `pairs` (customer_id, currency) limits the result to those pairs.
    Columns: see PROFILE_SCHEMA; `days_late` is null without observation.
    """
    invoices = (
        ledger.documents.lazy()
        .filter(
            (pl.col("kind") == "invoice")
            & (pl.col("amount") > 0)
            & (pl.col("issue_date") <= day)
        )
        .select("id", "customer_id", "currency", "due_date", "amount")
    )

    # Settlement of each invoice by applications effective on or before the day.
    apps = effective_applications(ledger) if applications is None else applications
    settled = (
        apps.lazy()
        .filter(pl.col("applied_on") <= day)
        .group_by("document_id")
        .agg(
            pl.col("amount").sum().alias("_applied"),
            pl.col("applied_on").max().alias("_paid_on"),
            pl.col("payment_id").is_not_null().any().alias("_has_payment"),
        )
    )
    paid = invoices.join(
        settled, left_on="id", right_on="document_id", how="inner"
    ).filter((pl.col("_applied") >= pl.col("amount")) & pl.col("_has_payment"))
    counts = paid.group_by("customer_id", "currency").agg(
        pl.len().alias("paid_invoices")
    )

    # Observations: recent paid invoices, and open invoices past due.
    window_start = day - timedelta(days=rule.history_days)
    paid_obs = paid.filter(pl.col("due_date") > window_start).select(
        "customer_id",
        "currency",
        pl.col("amount").alias("_weight"),
        (pl.col("_paid_on") - pl.col("due_date"))
        .dt.total_days()
        .clip(lower_bound=0)
        .alias("_late"),
    )
    items = open_items(ledger, day, applications=apps) if open_now is None else open_now
    open_obs = (
        items.lazy()
        .filter(
            (pl.col("kind") == "invoice")
            & (pl.col("residual") > 0)
            & (pl.col("days_past_due") > 0)
        )
        .select(
            "customer_id",
            "currency",
            pl.col("amount").alias("_weight"),
            pl.col("days_past_due").alias("_late"),
        )
    )
    weight = pl.col("_weight").cast(pl.Float64)
    observed = (
        pl.concat([paid_obs, open_obs])
        .group_by("customer_id", "currency")
        .agg(
            ((pl.col("_late").cast(pl.Float64) * weight).sum() / weight.sum()).alias(
                "days_late"
            )
        )
    )

    keys = (
        invoices.select("customer_id", "currency").unique()
        if pairs is None
        else pairs.lazy()
    )
    frame = (
        keys.select("customer_id", "currency")
        .join(counts, on=["customer_id", "currency"], how="left")
        .join(observed, on=["customer_id", "currency"], how="left")
        .with_columns(pl.col("paid_invoices").cast(pl.Int64).fill_null(0))
    )
    return (
        frame.with_columns(profile_expression(rule).alias("payer_profile"))
        .select(list(PROFILE_SCHEMA))
        .collect()
    )


def profile_expression(rule: PayerProfileRule) -> pl.Expr:
    """The profile from `paid_invoices` and `days_late` columns (see module doc)."""
    late = pl.col("days_late")
    return (
        pl.when(pl.col("paid_invoices") < rule.new_below_paid_invoices)
        .then(pl.lit("new"))
        .when(late.is_null() | (late <= float(rule.on_time_max_days)))
        .then(pl.lit("on_time"))
        .when(late <= float(rule.slow_max_days))
        .then(pl.lit("slow"))
        .otherwise(pl.lit("chronic_late"))
    )


# --- Segments -----------------------------------------------------------------------

SEGMENT_INPUT_COLUMNS = (
    "currency",
    "pinned",
    "customer_type",
    "country",
    "tags",
    "amount_open",
    "payer_profile",
)


def _threshold(amount: Amount, currencies: list[str], rounding: str) -> pl.Expr:
    mapping = {c: amount.minor(c, rounding) for c in currencies}  # type: ignore[arg-type]
    return pl.col("currency").replace_strict(
        mapping, default=None, return_dtype=pl.Int64
    )


def _has_any_tag(tags: tuple[str, ...]) -> pl.Expr:
    wanted = [t.strip().lower() for t in tags]
    return pl.col("_tag_list").list.eval(pl.element().is_in(wanted)).list.any()


def rules_expression(rules: Rules, currencies: list[str]) -> pl.Expr:
    """True where every rule holds (nulls count as not matching)."""
    conditions: list[pl.Expr] = []
    if rules.customer_type:
        conditions.append(pl.col("customer_type").is_in(list(rules.customer_type)))
    if rules.country:
        conditions.append(
            pl.col("country").str.to_uppercase().is_in(list(rules.country))
        )
    if rules.segment:
        conditions.append(pl.col("pinned").is_in(list(rules.segment)))
    if rules.payer_profile:
        conditions.append(pl.col("payer_profile").is_in(list(rules.payer_profile)))
    if rules.tags:
        conditions.append(_has_any_tag(rules.tags))
    if rules.exclude_tags:
        conditions.append(~_has_any_tag(rules.exclude_tags))
    if rules.amount_open_min is not None:
        low = _threshold(rules.amount_open_min, currencies, "up")
        conditions.append(pl.col("amount_open") >= low)
    if rules.amount_open_max is not None:
        high = _threshold(rules.amount_open_max, currencies, "up")
        conditions.append(pl.col("amount_open") < high)
    if not conditions:
        return pl.lit(True)
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined & condition
    return combined.fill_null(False)


def assign_segments(frame: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """Add `segment` (null when none matches) and `segment_reason` to `frame`.

    `frame` has one row per (customer, currency) with the columns named in
    SEGMENT_INPUT_COLUMNS: `pinned` is customers.segment, `tags` the comma-separated
    tags, `amount_open` Int64 minor units of `currency`.
    """
    currencies = frame.get_column("currency").unique().drop_nulls().to_list()
    names = [s.name for s in policy.segments]
    work = frame.with_columns(
        pl.col("tags")
        .fill_null("")
        .str.to_lowercase()
        .str.split(",")
        .list.eval(pl.element().str.strip_chars())
        .alias("_tag_list")
    )
    pinned = pl.col("pinned").is_in(names).fill_null(False)
    # A when/then chain: pinned first, then each segment's rules in policy order.
    segment: Any = pl.when(pinned).then(pl.col("pinned"))
    reason: Any = pl.when(pinned).then(
        pl.format(
            "segment {}: pinned by the customer's segment column", pl.col("pinned")
        )
    )
    for seg in policy.segments:
        matches = rules_expression(seg.rules, currencies)
        segment = segment.when(matches).then(pl.lit(seg.name))
        reason = reason.when(matches).then(
            pl.lit(f"segment {seg.name}: {seg.rules.describe()}")
        )
    return work.with_columns(
        segment.otherwise(pl.lit(None, dtype=pl.Utf8)).alias("segment"),
        reason.otherwise(pl.lit("no segment of the policy matches")).alias(
            "segment_reason"
        ),
    ).drop("_tag_list")
