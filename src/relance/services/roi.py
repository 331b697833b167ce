"""The ROI of the follow-up, from the store: what `relance roi` shows.

Contracts:
- the period runs from `start` to `end`, both included (default: the 365 days
  ending on the as-of date); it cannot end after the as-of date (ValueError); actions dated in it count only when their whole
  window has passed on the as-of date, and the others are counted as left out;
- every figure is per currency; breakdowns follow `by` (campaign, step, channel,
  segment, period, collector); the totals are always given;
- direct return is attributed, not caused; incremental return, the days paid
  sooner and the treasury figures built on them are measured against holdouts;
  before/after, the DSO change and the team's before/after are not causal; every
  section carries that label; when the period or the one before it starts before
  the first invoice, a note says its DSO is overstated and no cash is drawn from
  the DSO change;
- the bootstrap and the survival intervals are seeded (`seed`): the same store and
  options give the same output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import polars as pl

from relance.figures.coverage import period_warnings
from relance.figures.period import Period
from relance.roi import actions as act
from relance.roi.attribution import DirectReturn, direct_return
from relance.roi.bad_debt import (
    BadDebtPeriod,
    CompensatoryRevenue,
    bad_debt_period,
    compensatory_revenue,
)
from relance.roi.before_after import BeforeAfter, compare_periods, period_figures
from relance.roi.collections import settlements
from relance.roi.incremental import (
    DEFAULT_REPS,
    IncrementalReturn,
    customer_table,
    incremental_return,
)
from relance.roi.measures import Measured, measure
from relance.roi.payback import Payback, payback
from relance.roi.ratios import money
from relance.roi.satisfaction import (
    Feedback,
    satisfaction_by_intensity,
    satisfaction_by_segment,
)
from relance.roi.survival import (
    DEFAULT_HORIZON,
    PaidSooner,
    SurvivalCurve,
    curves_by,
    paid_sooner,
    time_to_pay,
)
from relance.roi.team import CollectorFigures, team_before_after, team_figures
from relance.roi.treasury import TreasuryGain, treasury_gain
from relance.services.roi_store import RoiInputs, load_inputs
from relance.store.db import Store

MIN_CURVE_INVOICES = 5


@dataclass(frozen=True)
class RoiOptions:
    """What the user sets; rates are fractions of 1, money in the book's currency."""

    as_of: date
    start: date | None = None
    end: date | None = None
    window: int = act.DEFAULT_WINDOW_DAYS
    by: tuple[str, ...] = ()
    reps: int = DEFAULT_REPS
    seed: int = 0
    horizon: int = DEFAULT_HORIZON
    cost_of_money: Decimal = Decimal("0.045")
    vat_rate: Decimal = Decimal("0.20")
    margin_rate: Decimal = Decimal("0.05")
    setup_cost: Decimal = Decimal(0)
    monthly_cost: Decimal = Decimal(0)
    monthly_benefit: Decimal | None = None
    team_split: date | None = None

    def period(self) -> tuple[date, date]:
        end = self.end or self.as_of
        return (self.start or end - timedelta(days=364)), end


@dataclass(frozen=True)
class TimeToPay:
    """Survival curves of one currency and what the holdouts say about speed."""

    by_group: list[SurvivalCurve]
    by_segment: list[SurvivalCurve]
    by_step: list[SurvivalCurve]
    sooner: PaidSooner | None
    contacted_amount: Decimal


@dataclass(frozen=True)
class CurrencyRoi:
    """Every ROI section for one currency."""

    currency: str
    direct: DirectReturn | None
    direct_by: list[DirectReturn]
    incremental: IncrementalReturn | None
    incremental_by: list[IncrementalReturn]
    time_to_pay: TimeToPay | None
    treasury_measured: TreasuryGain | None
    treasury_dso: TreasuryGain | None
    bad_debt_before: BadDebtPeriod
    bad_debt_after: BadDebtPeriod
    compensatory: CompensatoryRevenue | None
    payback: Payback
    before_after: BeforeAfter
    team: list[CollectorFigures]
    team_split: tuple[list[CollectorFigures], list[CollectorFigures]] | None
    satisfaction: list[Feedback]
    satisfaction_by_intensity: list[Feedback]


@dataclass(frozen=True)
class RoiResult:
    """The ROI of the follow-up over a period, per currency."""

    as_of: date
    start: date
    end: date
    window: int
    by: tuple[str, ...]
    currencies: list[CurrencyRoi]
    left_out_actions: int
    options: RoiOptions
    notes: list[str] = field(default_factory=list)


def _time_to_pay(
    inputs: RoiInputs,
    m: Measured,
    currency: str,
    options: RoiOptions,
    start: date,
    end: date,
) -> TimeToPay | None:
    """Curves of the invoices acted on in the period (first action sets the group)."""
    ttp = time_to_pay(settlements(inputs.ledger, options.as_of), options.as_of)
    acted = (
        m.collected.filter(
            (pl.col("currency") == currency) & pl.col("group").is_not_null()
        )
        .sort("acted_on", "action_id")
        .unique(subset="document_id", keep="first")
        .select("document_id", "group", "segment", "step", "stake")
    )
    frame = ttp.join(acted, on="document_id", how="inner")
    if frame.height == 0:
        return None

    def enough(column: str) -> pl.DataFrame:
        counts = frame.group_by(column).len()
        kept = counts.filter(pl.col("len") >= MIN_CURVE_INVOICES).get_column(column)
        return frame.filter(pl.col(column).is_in(kept.implode()))

    groups = {g for g in frame.get_column("group").unique().to_list()}
    sooner = None
    if {act.CONTACTED, act.HELD_OUT} <= groups:
        sooner = paid_sooner(
            frame,
            act.CONTACTED,
            act.HELD_OUT,
            options.horizon,
            min(options.reps, 500),
            options.seed,
        )
    contacted = frame.filter(pl.col("group") == act.CONTACTED).get_column("stake").sum()
    return TimeToPay(
        by_group=curves_by(enough("group"), "group", options.horizon),
        by_segment=curves_by(
            enough("segment").with_columns(pl.col("segment").fill_null("(none)")),
            "segment",
            options.horizon,
        ),
        by_step=curves_by(enough("step"), "step", options.horizon),
        sooner=sooner,
        contacted_amount=money(int(contacted or 0), currency),
    )


def _currency_roi(
    inputs: RoiInputs,
    m: Measured,
    currency: str,
    options: RoiOptions,
    start: date,
    end: date,
    notes: list[str],
) -> CurrencyRoi:
    """Every section for one currency; what the user must know goes to `notes`."""
    by = list(options.by)
    days = (end - start).days + 1
    in_cur = m.actions.filter(pl.col("currency") == currency)
    direct = direct_return(in_cur, m.attributed, [])
    table = customer_table(
        in_cur, m.collected.filter(pl.col("currency") == currency), by
    )
    incremental = incremental_return(
        customer_table(in_cur, m.collected.filter(pl.col("currency") == currency), []),
        [],
        options.reps,
        options.seed,
    )
    ttp = _time_to_pay(inputs, m, currency, options, start, end)

    # Treasury: measured against holdouts, and from the DSO change (not causal).
    measured = None
    if ttp is not None and ttp.sooner is not None:
        measured = treasury_gain(
            ttp.sooner.days, ttp.contacted_amount, days, options.cost_of_money, currency
        )
    prev_end = start - timedelta(days=1)
    prev_start = prev_end - timedelta(days=days - 1)
    before = period_figures(
        inputs.ledger, m.actions, m.attributed, prev_start, prev_end, currency
    )
    after = period_figures(inputs.ledger, m.actions, m.attributed, start, end, currency)
    by_dso = None
    # A period starting before the first invoice has part of its sales missing:
    # its DSO is overstated (relance.figures.coverage), and a DSO "gain" built on
    # it would be an artefact of the data, not cash. Say so; give no cash figure.
    book = inputs.ledger.in_currency(currency)
    uncovered = [
        f"{currency}, {name} {p.start} to {p.end}: {text}"
        for name, p in (
            ("previous period", Period(prev_start, prev_end)),
            ("period", Period(start, end)),
        )
        for text in period_warnings(book, p)
    ]
    if uncovered:
        notes.extend(uncovered)
        notes.append(
            f"{currency}: no cash released from the DSO change, since a period the "
            "books do not cover overstates its DSO"
        )
    elif before.dso is not None and after.dso is not None:
        by_dso = treasury_gain(
            before.dso - after.dso, after.sales, days, options.cost_of_money, currency
        )

    # Bad debt and what the period's write-offs cost in sales.
    bad_before = bad_debt_period(inputs.ledger, prev_start, prev_end, currency)
    bad_after = bad_debt_period(inputs.ledger, start, end, currency)
    compensatory = None
    if bad_after.writeoffs > 0 and options.margin_rate > 0:
        compensatory = compensatory_revenue(
            bad_after.writeoffs, options.vat_rate, options.margin_rate, currency
        )

    # Payback: running cost = the reminders' cost a month plus the user's own.
    months = Decimal(days) / Decimal("30.4375")
    reminder_cost = direct[0].cost if direct else Decimal(0)
    benefit = options.monthly_benefit
    if benefit is None:
        benefit = measured.financing_value_per_year / 12 if measured else Decimal(0)
    plan = payback(
        options.setup_cost,
        options.monthly_cost + reminder_cost / months,
        benefit,
        currency,
    )

    split = None
    if options.team_split is not None and start < options.team_split <= end:
        split = team_before_after(
            m.actions,
            m.attributed,
            inputs.promises,
            inputs.disputes,
            currency,
            start,
            options.team_split,
            end,
            options.as_of,
        )
    customers = inputs.ledger.customers
    return CurrencyRoi(
        currency=currency,
        direct=direct[0] if direct else None,
        direct_by=direct_return(in_cur, m.attributed, by) if by else [],
        incremental=incremental[0] if incremental else None,
        incremental_by=incremental_return(table, by, options.reps, options.seed)
        if by
        else [],
        time_to_pay=ttp,
        treasury_measured=measured,
        treasury_dso=by_dso,
        bad_debt_before=bad_before,
        bad_debt_after=bad_after,
        compensatory=compensatory,
        payback=plan,
        before_after=compare_periods(before, after),
        team=team_figures(
            m.actions,
            m.attributed,
            inputs.promises,
            inputs.disputes,
            currency,
            start,
            end,
            options.as_of,
        ),
        team_split=split,
        satisfaction=satisfaction_by_segment(
            customers, m.actions, inputs.scores, inputs.notes, start, end
        ),
        satisfaction_by_intensity=satisfaction_by_intensity(
            customers, m.actions, inputs.scores, inputs.notes, start, end
        ),
    )


def compute_roi(inputs: RoiInputs, options: RoiOptions) -> RoiResult:
    """Every ROI figure for the period, per currency, from loaded inputs."""
    act.check_dimensions(list(options.by))
    start, end = options.period()
    if start > end:
        raise ValueError(f"the period starts on {start}, after its end {end}")
    if end > options.as_of:
        # The books stop at the as-of date: days after it have no sales, so the
        # DSO, the treasury and the bad-debt ratio would be measured on nothing.
        raise ValueError(
            f"the period ends on {end}, after the books' as-of date {options.as_of}"
        )
    dated = act.between(inputs.actions, start, end)
    ripe = act.mature(dated, options.as_of, options.window)
    m = measure(ripe, inputs.items, inputs.ledger, options.window)
    currencies = sorted(
        set(inputs.ledger.currencies())
        | set(ripe.get_column("currency").unique().to_list())
    )
    notes = []
    if dated.height == 0:
        notes.append(
            f"no action dated {start} to {end}: import past actions with "
            "`relance import-actions`, or let relance run its reminders"
        )
    if dated.height > ripe.height:
        notes.append(
            f"{dated.height - ripe.height} action(s) of the period are left out: their "
            f"{options.window}-day window ends after {options.as_of}"
        )
    per_currency = [
        _currency_roi(inputs, m, cur, options, start, end, notes) for cur in currencies
    ]
    return RoiResult(
        as_of=options.as_of,
        start=start,
        end=end,
        window=options.window,
        by=options.by,
        currencies=per_currency,
        left_out_actions=dated.height - ripe.height,
        options=options,
        notes=notes,
    )


def roi(store: Store, options: RoiOptions) -> RoiResult:
    """Load the store and compute the ROI (see `compute_roi`)."""
    with store.transaction() as session:
        inputs = load_inputs(session)
    return compute_roi(inputs, options)
