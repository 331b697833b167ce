"""Planning one day: for every customer with something open, write, call, or wait.

`plan_day(data, policy, day)` is pure: it reads frames (`PlanningData`) and returns a
`DayPlan`; it never touches the store. All per-invoice work is done with Polars
expressions; Python only loops over the day's contacts to build the result. The
words of the reasons and of the skipped list are in `relance.reminders.explain`.

How an invoice moves along its ladder (the rules, in order):

1. Eligibility (`relance.reminders.eligibility`): excluded customers, disputed or
   promised invoices, balances below the minimum and customers in net credit get
   nothing; they are listed in `DayPlan.skipped` with the reason.
2. Segment: the customer's segment for that currency (`relance.reminders.segments`).
3. Level: the furthest step of the segment's ladder the invoice has reached, by
   step *name*, in any segment: an action item counts unless its action is
   `cancelled` or the item was dropped (`dropped`). States planned, held_out,
   sending, sent, failed (sending retries it), unknown (a person decides), todo and
   done all count: the planner never plans a step twice. Giving steps the same name
   in several ladders lets an invoice keep its rung when its customer changes
   segment.
4. Next step: the one after the level; steps are never skipped. One exception: a
   pre-due notice (negative offset) lapses once the invoice is past due (a courtesy
   notice after the due date makes no sense), so an invoice seen for the first time
   when already overdue starts at the first step with offset >= 0.
5. Timing: the next step is due when `day >= due date + offset`, that date moved to
   the next business day when it falls on a weekend or public holiday. An invoice
   already past its last step is reported ("already at the last step").
6. Catch-up: after missed days several steps may be due at once. The invoice goes
   to the *next* step only (never skipping), with one contact; the following steps
   come on later days, each after the minimum delay between contacts. A missed run
   therefore gives one contact, not a burst, and the reasons say it is a catch-up.
7. Per customer: a customer contacted on or after `day - min_days_between_contacts
   + 1` (before today) waits; contacts already recorded today count against
   `max_contacts_per_customer_per_day`. Invoices due for the same step, in the same
   currency, go in one contact listing each with its balance (and the total).
   When a customer has invoices due for different steps (or currencies), the
   contacts are ranked by severity (step position, highest first; then currency
   code) and only the first `max_contacts_per_customer_per_day` are planned; the
   other invoices wait for a later day (listed as skipped), since putting them in
   the more severe message would make them skip steps. Currencies are never mixed.
8. Holdout (`relance.reminders.holdout`): a deterministic draw per (campaign, step,
   customer) may hold the contact out (`holdout=True`): recorded, never delivered.
9. Business days: on a weekend or public holiday nothing is planned; the contacts
   that would have been made are listed as skipped with that reason, and the plan's
   `notes` say why.

Contacts already planned are never planned again: a re-run the same day finds the
invoices at their new level and the customers contacted today.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import starmap
from typing import Any, cast

import polars as pl

from relance.domain.ledger import effective_applications, open_items
from relance.reminders.calendar import BusinessCalendar
from relance.reminders.eligibility import PlanningData, eligibility
from relance.reminders.explain import (
    GROUP_KEYS,
    DayFrames,
    reason_list,
    skipped_frame,
    step_names,
    step_texts,
    waiting_text,
)
from relance.reminders.holdout import holdout_decision
from relance.reminders.planned import DayPlan, PlannedContact, PlannedItem, Skipped
from relance.reminders.policy import Policy, step_key
from relance.reminders.segments import assign_segments, payer_profiles

CANCELLED = "cancelled"


def calendar_for(policy: Policy) -> BusinessCalendar:
    """The business calendar the policy names."""
    return BusinessCalendar(
        policy.business_days_country, policy.business_days_subdivision
    )


def steps_frame(policy: Policy) -> pl.DataFrame:
    """One row per (segment, step): position, name and offset of every step.

    `seg_no` is the segment's position in the policy; `n_steps` its ladder's
    length; `first_post_due` the index of its first step with offset >= 0.
    """
    rows: list[dict[str, Any]] = []
    for seg_no, segment in enumerate(policy.segments):
        after_due = [i for i, s in enumerate(segment.steps) if not s.pre_due]
        first_post_due = after_due[0] if after_due else len(segment.steps)
        for index, step in enumerate(segment.steps):
            rows.append(
                {
                    "seg_no": seg_no,
                    "segment": segment.name,
                    "step_index": index,
                    "step_name": step.name,
                    "offset_days": step.offset_days,
                    "n_steps": len(segment.steps),
                    "first_post_due": first_post_due,
                }
            )
    schema = {
        "seg_no": pl.Int64,
        "segment": pl.Utf8,
        "step_index": pl.Int64,
        "step_name": pl.Utf8,
        "offset_days": pl.Int64,
        "n_steps": pl.Int64,
        "first_post_due": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema)


# --- Invoices: segment, level, next step -------------------------------------------


def customer_segments(
    data: PlanningData,
    policy: Policy,
    day: date,
    items: pl.DataFrame,
    open_invoices: pl.DataFrame,
    applications: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Per (customer, currency) with an open invoice: profile and segment.

    Columns: customer_id, currency, amount_open, the customer's attributes,
    paid_invoices, days_late, payer_profile, segment, segment_reason, and `seg_no`
    (the segment's position in the policy; null when no segment matches).
    """
    amounts = open_invoices.group_by("customer_id", "currency").agg(
        pl.col("residual").sum().alias("amount_open")
    )
    profiles = payer_profiles(
        data.ledger, day, policy.payer_profiles, items, applications, pairs=amounts
    )
    facts = data.customers.select(
        pl.col("id").alias("customer_id"),
        pl.col("segment").alias("pinned"),
        "customer_type",
        "country",
        "tags",
    )
    frame = amounts.join(facts, on="customer_id", how="left").join(
        profiles, on=["customer_id", "currency"], how="left"
    )
    numbers = {segment.name: n for n, segment in enumerate(policy.segments)}
    return assign_segments(frame, policy).with_columns(
        pl.col("segment")
        .replace_strict(numbers, default=None, return_dtype=pl.Int64)
        .alias("seg_no")
    )


def _levels(
    data: PlanningData, core: pl.LazyFrame, steps: pl.DataFrame
) -> pl.LazyFrame:
    """(document_id, level): furthest step of the invoice's ladder reached, by name."""
    live = (
        data.actions.lazy()
        .filter(pl.col("state") != CANCELLED)
        .select(pl.col("id").alias("action_id"), pl.col("step").alias("step_name"))
    )
    return (
        data.action_items.lazy()
        .filter(~pl.col("dropped").fill_null(False))
        .select("action_id", "document_id")
        .join(live, on="action_id", how="inner")
        .join(
            core.select(pl.col("id").alias("document_id"), "seg_no"), on="document_id"
        )
        .join(
            steps.lazy().select("seg_no", "step_name", "step_index"),
            on=["seg_no", "step_name"],
        )
        .group_by("document_id")
        .agg(pl.col("step_index").max().alias("level"))
    )


def invoice_steps(
    data: PlanningData,
    invoices: pl.DataFrame,
    segments: pl.DataFrame,
    steps: pl.DataFrame,
    calendar: BusinessCalendar,
    day: date,
) -> pl.DataFrame:
    """Every open invoice's segment, level, next step, its date, and status.

    One row per row of `invoices` (the eligibility frame), narrow: id,
    customer_id, currency, due_date, residual, days_past_due, blocked, seg_no,
    `level` (-1: none), `next_index`, `lapsed` (a pre-due notice was passed over),
    `step_on` (business day the next step is due), `later_due` (the step after
    it is due too: a catch-up), `at_last`, and `status`: blocked, no_segment,
    last_step, waiting or due.
    """
    core = (
        invoices.lazy()
        .select(
            "id",
            "customer_id",
            "currency",
            "due_date",
            "residual",
            "days_past_due",
            "blocked",
        )
        .join(
            segments.lazy().select("customer_id", "currency", "seg_no"),
            on=["customer_id", "currency"],
            how="left",
        )
    )
    ladder = (
        steps.lazy().group_by("seg_no").agg(pl.col("n_steps", "first_post_due").first())
    )
    offsets = steps.lazy().select(
        "seg_no", pl.col("step_index").alias("next_index"), "offset_days"
    )
    following = steps.lazy().select(
        "seg_no",
        (pl.col("step_index") - 1).alias("next_index"),
        pl.col("offset_days").alias("_later_offset"),
    )
    natural = pl.col("level") + 1
    frame = (
        core.join(
            _levels(data, core, steps), left_on="id", right_on="document_id", how="left"
        )
        .with_columns(pl.col("level").fill_null(-1))
        .join(ladder, on="seg_no", how="left")
        .with_columns(
            pl.when(
                (pl.col("days_past_due") > 0) & (natural < pl.col("first_post_due"))
            )
            .then(pl.col("first_post_due"))
            .otherwise(natural)
            .alias("next_index")
        )
        .with_columns((pl.col("next_index") > natural).alias("lapsed"))
        .join(offsets, on=["seg_no", "next_index"], how="left")
        .join(following, on=["seg_no", "next_index"], how="left")
        .with_columns(
            (pl.col("due_date") + pl.duration(days=pl.col("offset_days"))).alias(
                "_raw_on"
            ),
            ((pl.col("due_date") + pl.duration(days=pl.col("_later_offset"))) <= day)
            .fill_null(False)
            .alias("later_due"),
            (
                pl.col("seg_no").is_not_null()
                & (pl.col("next_index") >= pl.col("n_steps"))
            ).alias("at_last"),
        )
    )
    frame = _roll(frame, invoices, steps, calendar)
    status = (
        pl.when(pl.col("blocked").is_not_null())
        .then(pl.lit("blocked"))
        .when(pl.col("seg_no").is_null())
        .then(pl.lit("no_segment"))
        .when(pl.col("at_last"))
        .then(pl.lit("last_step"))
        .when(~pl.col("due_now"))
        .then(pl.lit("waiting"))
        .otherwise(pl.lit("due"))
    )
    return (
        frame.with_columns((pl.col("step_on") <= day).fill_null(False).alias("due_now"))
        .with_columns(status.alias("status"))
        .drop("_raw_on", "_later_offset", "offset_days", "first_post_due")
        .collect()
    )


def _roll(
    frame: pl.LazyFrame,
    invoices: pl.DataFrame,
    steps: pl.DataFrame,
    calendar: BusinessCalendar,
) -> pl.LazyFrame:
    """Join `step_on`: `_raw_on` moved to a business day, by a small day table."""
    due = invoices.get_column("due_date")
    if due.is_empty() or steps.is_empty():
        return frame.with_columns(pl.col("_raw_on").alias("step_on"))
    offsets = steps.get_column("offset_days")
    low = cast(date, due.min()) + timedelta(days=cast(int, offsets.min()))
    high = cast(date, due.max()) + timedelta(days=cast(int, offsets.max()))
    table = calendar.roll_table(low, high).lazy()
    return frame.join(
        table.rename({"day": "_raw_on", "business_day": "step_on"}),
        on="_raw_on",
        how="left",
    )


# --- Customers: delay, one message a day -----------------------------------------------


def contact_history(data: PlanningData, day: date) -> pl.DataFrame:
    """Per customer: last contact before `day`, and contacts recorded on `day`.

    Contacts are actions in any state but cancelled (held-out ones included: the
    held-out customers follow the same timing as the others).
    """
    live = data.actions.filter(
        (pl.col("state") != CANCELLED) & (pl.col("planned_on") <= day)
    )
    return live.group_by("customer_id").agg(
        pl.col("planned_on")
        .filter(pl.col("planned_on") < day)
        .max()
        .alias("last_contact"),
        (pl.col("planned_on") == day).sum().cast(pl.Int64).alias("contacts_today"),
    )


def rank_groups(
    due: pl.DataFrame, history: pl.DataFrame, policy: Policy, day: date
) -> pl.DataFrame:
    """One row per (customer, currency, segment, step) due, with `verdict`.

    `verdict` is `contact`, `too_soon` (minimum delay), `done_today` (today's
    contacts already recorded) or `waits` (another contact of the customer today
    ranks first: higher step, then currency code).
    """
    groups = (
        due.group_by(GROUP_KEYS)
        .agg(pl.len().alias("n_items"))
        .join(history, on="customer_id", how="left")
        .with_columns(pl.col("contacts_today").fill_null(0))
        .sort(
            ["customer_id", "next_index", "currency"], descending=[False, True, False]
        )
        .with_columns(pl.int_range(pl.len()).over("customer_id").alias("rank"))
    )
    most = policy.max_contacts_per_customer_per_day
    since = (pl.lit(day) - pl.col("last_contact")).dt.total_days()
    verdict = (
        pl.when(pl.col("contacts_today") >= most)
        .then(pl.lit("done_today"))
        .when(
            (pl.col("contacts_today") == 0)
            & pl.col("last_contact").is_not_null()
            & (since < policy.min_days_between_contacts)
        )
        .then(pl.lit("too_soon"))
        .when(pl.col("rank") >= most - pl.col("contacts_today"))
        .then(pl.lit("waits"))
        .otherwise(pl.lit("contact"))
    )
    return groups.with_columns(verdict.alias("verdict"))


def _contact(
    row: tuple[Any, ...], items: tuple[PlannedItem, ...], policy: Policy, day: date
) -> PlannedContact:
    (customer_id, customer_ref, name, language, seg_no, index, currency, total) = row[
        :8
    ]
    (payer_profile, reasons, waiting) = row[8:]
    segment = policy.segments[seg_no]
    step = segment.steps[index]
    held = False
    if step.holdout_share > 0 or step.formal_notice:
        held, words = holdout_decision(
            step, policy.campaign, customer_ref, total, currency, payer_profile
        )
        reasons.append(words)
    if waiting is not None:
        reasons.append(waiting)
    return PlannedContact(
        customer_id=customer_id,
        customer_ref=customer_ref,
        customer_name=name or customer_ref,
        segment=segment.name,
        campaign=policy.campaign,
        step=step.name,
        step_index=index,
        step_key=step_key(segment.name, step.name),
        channel=step.channel,
        template=step.template,
        language=language or segment.language or policy.default_language,
        currency=currency,
        planned_on=day,
        items=items,
        holdout=held,
        reasons=tuple(reasons),
        payer_profile=payer_profile,
    )


# --- The day -------------------------------------------------------------------------------


def _work(
    data: PlanningData, policy: Policy, day: date, calendar: BusinessCalendar
) -> DayFrames:
    # The replay of applications is the costliest step: done once, shared.
    applications = effective_applications(data.ledger)
    items = open_items(data.ledger, day, applications=applications)
    invoices = eligibility(data, policy, day, items, applications)
    segments = customer_segments(data, policy, day, items, invoices, applications)
    steps = steps_frame(policy)
    core = invoice_steps(data, invoices, segments, steps, calendar, day)
    groups = rank_groups(
        core.filter(pl.col("status") == "due"), contact_history(data, day), policy, day
    )

    # What each customer gets today, to explain why its other invoices wait.
    chosen = (
        groups.filter(pl.col("verdict") == "contact")
        .join(step_names(steps, "next_index", "step_name"), on=["seg_no", "next_index"])
        .group_by("customer_id")
        .agg(
            pl.format("{} ({})", pl.col("step_name"), pl.col("currency"))
            .str.join(", ")
            .alias("chosen")
        )
    )
    groups = groups.join(chosen, on="customer_id", how="left")
    return DayFrames(
        invoices=invoices, core=core, segments=segments, steps=steps, groups=groups
    )


def _contacts(
    worked: DayFrames, data: PlanningData, policy: Policy, day: date
) -> list[PlannedContact]:
    kept = worked.groups.filter(pl.col("verdict") == "contact")
    waiting = (
        worked.groups.filter(pl.col("verdict") == "waits")
        .group_by("customer_id")
        .agg(pl.col("n_items").sum().alias("n_waiting"))
    )
    # Items sorted so that each contact's invoices are one contiguous block.
    flat = (
        worked.core.filter(pl.col("status") == "due")
        .join(kept.select(*GROUP_KEYS, "last_contact"), on=GROUP_KEYS, how="inner")
        .join(worked.invoices.select("id", "ref", "issue_date"), on="id")
        .sort([*GROUP_KEYS, "due_date", "ref"])
    )
    heads = (
        flat.group_by(GROUP_KEYS, maintain_order=True)
        .agg(
            pl.len().alias("n"),
            pl.col("last_contact").first(),
            pl.col("lapsed").all(),
            pl.col("later_due").any(),
            pl.col("level").max().alias("max_level"),
            pl.col("step_on").min().alias("first_step_on"),
            pl.col("residual").sum().alias("total"),
            pl.col("ref")
            .sort_by("days_past_due", descending=True)
            .first()
            .alias("worst_ref"),
            pl.col("days_past_due").max().alias("worst_days"),
        )
        .join(
            worked.segments.select(
                "customer_id",
                "currency",
                "segment",
                "segment_reason",
                "payer_profile",
                "paid_invoices",
                "days_late",
            ),
            on=["customer_id", "currency"],
            how="left",
            maintain_order="left",
        )
        .join(
            step_names(worked.steps, "max_level", "max_level_name"),
            on=["seg_no", "max_level"],
            how="left",
            maintain_order="left",
        )
        .join(waiting, on="customer_id", how="left", maintain_order="left")
        .join(
            data.customers.select(
                pl.col("id").alias("customer_id"),
                pl.col("ref").alias("customer_ref"),
                "name",
                "language",
            ),
            on="customer_id",
            how="left",
            maintain_order="left",
        )
    )
    heads = heads.join(
        step_texts(policy),
        on=["seg_no", "next_index"],
        how="left",
        maintain_order="left",
    ).select(
        "customer_id",
        "customer_ref",
        "name",
        "language",
        "seg_no",
        "next_index",
        "currency",
        "total",
        "payer_profile",
        reason_list(policy, day).alias("reasons"),
        waiting_text().alias("waiting"),
        "n",
    )
    columns = [
        flat.get_column(name).to_list()
        for name in ("id", "ref", "issue_date", "due_date", "residual", "days_past_due")
    ]
    items = list(map(PlannedItem, *columns))
    contacts = []
    start = 0
    for row in heads.iter_rows():
        end = start + row[-1]
        contacts.append(_contact(row[:-1], tuple(items[start:end]), policy, day))
        start = end
    return contacts


def plan_day(
    data: PlanningData,
    policy: Policy,
    day: date,
    calendar: BusinessCalendar | None = None,
) -> DayPlan:
    """Decide the contacts of `day` and explain what gets nothing (see module doc)."""
    calendar = calendar or calendar_for(policy)
    worked = _work(data, policy, day, calendar)
    contacts = _contacts(worked, data, policy, day)
    skipped = skipped_frame(worked, data, policy, day)
    notes: tuple[str, ...] = ()

    closed = calendar.why_closed(day)
    if closed is not None:
        why = f"{closed}: nothing is planned on non-business days"
        notes = (why,)
        deferred = pl.DataFrame(
            {
                "customer_ref": [c.customer_ref for c in contacts],
                "document_ref": [None] * len(contacts),
                "reason": [why] * len(contacts),
            },
            schema={
                "customer_ref": pl.Utf8,
                "document_ref": pl.Utf8,
                "reason": pl.Utf8,
            },
        )
        skipped = pl.concat([skipped, deferred]).unique()
        contacts = []

    rows = (
        skipped.sort(["customer_ref", "document_ref", "reason"], nulls_last=False)
        .select("customer_ref", "reason", "document_ref")
        .iter_rows()
    )
    contacts.sort(key=lambda c: (c.customer_ref, c.currency, -c.step_index))
    return DayPlan(
        day=day,
        contacts=tuple(contacts),
        skipped=tuple(starmap(Skipped, rows)),
        notes=notes,
    )


def planning_frame(
    data: PlanningData,
    policy: Policy,
    day: date,
    calendar: BusinessCalendar | None = None,
) -> pl.DataFrame:
    """Every open invoice with its segment, level, next step and status on `day`.

    The frame behind `plan_day`, for reports and the ROI work: the columns of
    `invoice_steps`, plus `ref`, `customer_ref`, `segment`, `payer_profile` and
    `step_name` (of the next step).
    """
    worked = _work(data, policy, day, calendar or calendar_for(policy))
    return (
        worked.core.join(
            worked.invoices.select("id", "ref", "customer_ref", "blocked_reason"),
            on="id",
        )
        .join(
            worked.segments.select(
                "customer_id", "currency", "segment", "payer_profile"
            ),
            on=["customer_id", "currency"],
            how="left",
        )
        .join(
            step_names(worked.steps, "next_index", "step_name"),
            on=["seg_no", "next_index"],
            how="left",
        )
    )
