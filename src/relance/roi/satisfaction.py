"""Satisfaction beside reminder intensity: is the dunning costing goodwill?

Contracts (period from `start` to `end`, both included):
- CSAT scores run from 1 to 5; the CSAT rate is the share of scores of 4 or 5;
- NPS answers run from 0 to 10; NPS = % promoters (9–10) − % detractors (0–6), in
  points from −100 to +100;
- intensity = contacted actions in the period per customer of the segment (every
  customer the store knows in that segment, contacted or not); `strong share` =
  share of those actions that were a registered letter or a hand-over (formal
  notice, litigation, agency);
- a customer's segment is the one on its customer record; actions and scores
  dated in the period count; team notes are counted by tag;
- by intensity: customers grouped by how many reminders they got in the period
  (0, 1–2, 3–5, 6 and more) with their scores, so a drop of satisfaction with
  more reminders shows. This is a correlation, **not causal**: customers who pay
  late get more reminders and may be unhappy for other reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl

from relance.roi.actions import CONTACTED
from relance.roi.ratios import ratio

STRONG_CHANNELS = ("registered_letter", "handover")
INTENSITY_BANDS = ("0", "1-2", "3-5", "6+")
SCORE_SCHEMA = {
    "customer_id": pl.Int64,
    "scored_on": pl.Date,
    "kind": pl.Utf8,
    "score": pl.Int64,
}
NOTE_SCHEMA = {"customer_id": pl.Int64, "noted_on": pl.Date, "tag": pl.Utf8}


@dataclass(frozen=True)
class Feedback:
    """Satisfaction and reminder intensity of one segment (or intensity band)."""

    name: str
    customers: int
    reminders: int
    reminders_per_customer: Decimal | None
    strong_share: Decimal | None
    csat_responses: int
    csat_rate: Decimal | None
    csat_mean: Decimal | None
    nps_responses: int
    nps: Decimal | None
    notes: dict[str, int]


def _band(count: pl.Expr) -> pl.Expr:
    return (
        pl.when(count == 0)
        .then(pl.lit("0"))
        .when(count <= 2)
        .then(pl.lit("1-2"))
        .when(count <= 5)
        .then(pl.lit("3-5"))
        .otherwise(pl.lit("6+"))
    )


def _per_customer(
    customers: pl.DataFrame,
    actions: pl.DataFrame,
    scores: pl.DataFrame,
    start: date,
    end: date,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Customers with segment, reminder count and band; scores with the same."""
    done = actions.filter(
        (pl.col("group") == CONTACTED)
        & (pl.col("acted_on") >= start)
        & (pl.col("acted_on") <= end)
    )
    counts = done.group_by("customer_id").agg(
        pl.len().alias("reminders"),
        pl.col("channel").is_in(STRONG_CHANNELS).sum().alias("strong"),
    )
    people = (
        customers.select(
            pl.col("id").alias("customer_id"), pl.col("segment").fill_null("(none)")
        )
        .join(counts, on="customer_id", how="left")
        .with_columns(pl.col("reminders", "strong").fill_null(0))
        .with_columns(_band(pl.col("reminders")).alias("band"))
    )
    scored = scores.filter(
        (pl.col("scored_on") >= start) & (pl.col("scored_on") <= end)
    ).join(people, on="customer_id", how="inner")
    return people, scored


def _feedback(
    name: str, people: pl.DataFrame, scored: pl.DataFrame, notes: dict[str, int]
) -> Feedback:
    reminders = int(people.get_column("reminders").sum())
    csat = scored.filter(pl.col("kind") == "csat").get_column("score")
    nps = scored.filter(pl.col("kind") == "nps").get_column("score")
    promoters = int((nps >= 9).sum())
    detractors = int((nps <= 6).sum())
    nps_value = ratio(100 * (promoters - detractors), nps.len())
    return Feedback(
        name=name,
        customers=people.height,
        reminders=reminders,
        reminders_per_customer=ratio(reminders, people.height),
        strong_share=ratio(int(people.get_column("strong").sum()), reminders),
        csat_responses=csat.len(),
        csat_rate=ratio(int((csat >= 4).sum()), csat.len()),
        csat_mean=ratio(int(csat.sum()), csat.len()),
        nps_responses=nps.len(),
        nps=nps_value,
        notes=notes,
    )


def _notes_by(
    notes: pl.DataFrame, people: pl.DataFrame, column: str, start: date, end: date
) -> dict[str, dict[str, int]]:
    kept = notes.filter(
        (pl.col("noted_on") >= start) & (pl.col("noted_on") <= end)
    ).join(people.select("customer_id", column), on="customer_id", how="inner")
    counted = kept.group_by(column, "tag").agg(pl.len().alias("n"))
    found: dict[str, dict[str, int]] = {}
    for row in counted.sort(column, "tag").iter_rows(named=True):
        found.setdefault(row[column], {})[row["tag"]] = int(row["n"])
    return found


def _feedback_by(
    column: str,
    groups: list[str] | None,
    customers: pl.DataFrame,
    actions: pl.DataFrame,
    scores: pl.DataFrame,
    notes: pl.DataFrame,
    start: date,
    end: date,
) -> list[Feedback]:
    """The feedback figures of each value of `column` (all found when None)."""
    people, scored = _per_customer(customers, actions, scores, start, end)
    tags = _notes_by(notes, people, column, start, end)
    if groups is None:
        groups = sorted(people.get_column(column).unique().to_list())
    return [
        _feedback(
            group,
            people.filter(pl.col(column) == group),
            scored.filter(pl.col(column) == group),
            tags.get(group, {}),
        )
        for group in groups
    ]


def satisfaction_by_segment(
    customers: pl.DataFrame,
    actions: pl.DataFrame,
    scores: pl.DataFrame,
    notes: pl.DataFrame,
    start: date,
    end: date,
) -> list[Feedback]:
    """Per customer segment: reminders per customer, strong share, CSAT, NPS, notes."""
    return _feedback_by("segment", None, customers, actions, scores, notes, start, end)


def satisfaction_by_intensity(
    customers: pl.DataFrame,
    actions: pl.DataFrame,
    scores: pl.DataFrame,
    notes: pl.DataFrame,
    start: date,
    end: date,
) -> list[Feedback]:
    """Per band of reminders received (0, 1–2, 3–5, 6+): the same figures."""
    return _feedback_by(
        "band", list(INTENSITY_BANDS), customers, actions, scores, notes, start, end
    )
