"""Explaining a day's plan: the reasons of each contact, and what gets nothing.

Everything is built column-wise from the planner's frames (`DayFrames`): a contact's
reasons as a list column (`reason_list`), and the skipped entries as a frame of
(customer_ref, document_ref, reason) (`skipped_frame`). Customer-wide reasons
(excluded, net credit, minimum delay, already contacted today, no segment, invoices
waiting for another step) have no document_ref; invoice reasons name the invoice.
Invoices merely not due yet for their next step are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from relance.reminders.eligibility import (
    CUSTOMER_LEVEL_CODES,
    PlanningData,
    amount_text,
)
from relance.reminders.policy import Policy

# One contact is one group of these: a customer, a currency, a segment, a step.
GROUP_KEYS = ["customer_id", "currency", "seg_no", "next_index"]


@dataclass(frozen=True)
class DayFrames:
    """The day's frames: invoices (eligibility), their steps, segments, groups."""

    invoices: pl.DataFrame
    core: pl.DataFrame
    segments: pl.DataFrame
    steps: pl.DataFrame
    groups: pl.DataFrame


def step_names(steps: pl.DataFrame, index: str, alias: str) -> pl.DataFrame:
    return steps.select(
        "seg_no", pl.col("step_index").alias(index), pl.col("step_name").alias(alias)
    )


def skipped_frame(
    worked: DayFrames, data: PlanningData, policy: Policy, day: date
) -> pl.DataFrame:
    """(customer_ref, document_ref, reason) for everything open that gets nothing."""
    core, groups = worked.core, worked.groups
    refs = worked.invoices.select("id", "ref", "customer_ref")
    customer_refs = data.customers.select(
        pl.col("id").alias("customer_id"), pl.col("ref").alias("customer_ref")
    )
    currencies = worked.invoices.get_column("currency").unique().to_list()
    none = pl.lit(None, dtype=pl.Utf8)

    customer_level = pl.col("blocked").is_in(list(CUSTOMER_LEVEL_CODES))
    blocked = worked.invoices.filter(pl.col("blocked").is_not_null()).select(
        "customer_ref",
        pl.when(customer_level)
        .then(none)
        .otherwise(pl.col("ref"))
        .alias("document_ref"),
        pl.col("blocked_reason").alias("reason"),
    )
    unsegmented = (
        core.filter(pl.col("status") == "no_segment")
        .select("customer_id", "currency")
        .unique()
        .join(customer_refs, on="customer_id")
        .select(
            "customer_ref",
            none.alias("document_ref"),
            pl.format(
                "no segment of the policy matches this customer ({})",
                pl.col("currency"),
            ).alias("reason"),
        )
    )
    last = (
        core.filter(pl.col("status") == "last_step")
        .join(refs, on="id")
        .join(
            step_names(worked.steps, "level", "level_name"),
            on=["seg_no", "level"],
            how="left",
        )
        .join(
            worked.steps.select("seg_no", "segment").unique(), on="seg_no", how="left"
        )
        .select(
            "customer_ref",
            pl.col("ref").alias("document_ref"),
            pl.format(
                "already at the last step ({}) of segment {}: {} open, {} days past due; "
                "a person takes it from here",
                # No step reached: a ladder of pre-due notices only, all lapsed.
                pl.col("level_name").fill_null("none reached"),
                pl.col("segment"),
                amount_text("residual", "currency", currencies),
                pl.col("days_past_due"),
            ).alias("reason"),
        )
    )

    # Customers held back as a whole, and invoices that wait for a later contact.
    next_possible = pl.col("last_contact") + pl.duration(
        days=policy.min_days_between_contacts
    )
    too_soon = (
        groups.filter(pl.col("verdict") == "too_soon")
        .select("customer_id", "last_contact")
        .unique()
        .join(customer_refs, on="customer_id")
        .select(
            "customer_ref",
            none.alias("document_ref"),
            pl.format(
                "minimum delay between contacts: last contact on {}, next possible on {} "
                "({} days)",
                pl.col("last_contact"),
                next_possible,
                pl.lit(policy.min_days_between_contacts),
            ).alias("reason"),
        )
    )
    done_today = (
        groups.filter(pl.col("verdict") == "done_today")
        .select("customer_id")
        .unique()
        .join(customer_refs, on="customer_id")
        .select(
            "customer_ref",
            none.alias("document_ref"),
            pl.lit(
                f"already contacted on {day.isoformat()} "
                f"(at most {policy.max_contacts_per_customer_per_day} contact(s) a day)"
            ).alias("reason"),
        )
    )
    # Waiting invoices are grouped per (customer, currency, step): one line each.
    shown = 5
    waits = (
        core.filter(pl.col("status") == "due")
        .join(
            groups.filter(pl.col("verdict") == "waits").select(*GROUP_KEYS, "chosen"),
            on=GROUP_KEYS,
        )
        .join(refs, on="id")
        .sort("ref")
        .group_by([*GROUP_KEYS, "customer_ref", "chosen"])
        .agg(
            pl.len().alias("n"), pl.col("ref").head(shown).str.join(", ").alias("refs")
        )
        .join(
            step_names(worked.steps, "next_index", "step_name"),
            on=["seg_no", "next_index"],
        )
        .select(
            "customer_ref",
            none.alias("document_ref"),
            pl.format(
                "{} invoice(s) due for step {} ({}{}) wait for a later contact: a customer "
                "gets one message a day, today's is {}",
                pl.col("n"),
                pl.col("step_name"),
                pl.col("refs"),
                pl.when(pl.col("n") > shown)
                .then(pl.format(" and {} more", pl.col("n") - shown))
                .otherwise(pl.lit("")),
                pl.col("chosen"),
            ).alias("reason"),
        )
    )
    return pl.concat([blocked, unsegmented, last, too_soon, done_today, waits]).unique()


def step_texts(policy: Policy) -> pl.DataFrame:
    """Per (seg_no, next_index): the step line of the reasons, e.g. "step 2 of 6: ..."."""
    rows = [
        {
            "seg_no": seg_no,
            "next_index": index,
            "step_text": f"step {index + 1} of {len(segment.steps)}: {step.describe()}",
        }
        for seg_no, segment in enumerate(policy.segments)
        for index, step in enumerate(segment.steps)
    ]
    return pl.DataFrame(
        rows, schema={"seg_no": pl.Int64, "next_index": pl.Int64, "step_text": pl.Utf8}
    )


def reason_list(policy: Policy, day: date) -> pl.Expr:
    """The reasons of a contact as a list column, built column-wise.

    In order: segment and payer profile, step, why this step, the invoices and
    their timing, a catch-up note, the contact history. The holdout line and the
    waiting invoices are added after (see `_contact`).
    """
    late = pl.col("days_late")
    profile = (
        pl.when(late.is_null())
        .then(
            pl.format(
                "{}; payer profile {} ({} paid invoice(s), no lateness observed)",
                pl.col("segment_reason"),
                pl.col("payer_profile"),
                pl.col("paid_invoices"),
            )
        )
        .otherwise(
            pl.format(
                "{}; payer profile {} ({} days late on average, weighted by amount; "
                "{} paid invoice(s))",
                pl.col("segment_reason"),
                pl.col("payer_profile"),
                late.round(1),
                pl.col("paid_invoices"),
            )
        )
    )
    why = (
        pl.when(pl.col("lapsed"))
        .then(
            pl.lit(
                "first step after the due date: the pre-due notice lapses once the "
                "invoice is past due"
            )
        )
        .when(pl.col("max_level_name").is_null())
        .then(pl.lit("first step of the ladder"))
        .otherwise(pl.format("next step in order after {}", pl.col("max_level_name")))
    )
    worst = pl.col("worst_days")
    when = (
        pl.when(worst > 0)
        .then(pl.format("{} days past due", worst))
        .when(worst == 0)
        .then(pl.lit("due today"))
        .otherwise(pl.format("due in {} days", -worst))
    )
    timing = pl.format(
        "{} invoice(s) due for this step since {}; the most overdue, {}, is {}",
        pl.col("n"),
        pl.col("first_step_on"),
        pl.col("worst_ref"),
        when,
    )
    catch_up = pl.when(pl.col("later_due")).then(
        pl.lit(
            "catch-up: later steps are due too, but steps are never skipped; the next "
            "ones follow on later days, after the minimum delay"
        )
    )
    history = (
        pl.when(pl.col("last_contact").is_null())
        .then(pl.lit("no earlier contact with this customer"))
        .otherwise(
            pl.format(
                "last contact on {}, {} days ago (minimum {})",
                pl.col("last_contact"),
                (pl.lit(day) - pl.col("last_contact")).dt.total_days(),
                pl.lit(policy.min_days_between_contacts),
            )
        )
    )
    return pl.concat_list(
        [profile, pl.col("step_text"), why, timing, catch_up, history]
    ).list.drop_nulls()


def waiting_text() -> pl.Expr:
    return pl.when(pl.col("n_waiting") > 0).then(
        pl.format(
            "{} other invoice(s) due for another step wait for a later contact",
            pl.col("n_waiting"),
        )
    )
