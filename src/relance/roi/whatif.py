"""What-if: the likely effect of a change of strategy, before making it.

The model, in plain words (docs/roi.md says the same for a CFO):
1. Time to pay is counted in whole days after the due date (day 0: on time).
   From the user's own invoices of the segment we estimate, day by day, the
   chance that an invoice still unpaid gets paid that day (the Kaplan–Meier
   daily hazard, open invoices counted as censored).
2. Each reminder step has a *response*: the extra chance that an invoice still
   open when the step comes gets paid within the window because of it, and a
   profile of how many days after the step those payments come. The response is
   the holdout uplift measured at that step when there is one; otherwise it is an
   assumption the user gives, and the result says so.
3. A reminder and the customer's own timing are taken as independent: the daily
   chance of payment is the "natural" chance plus the chance the reminder adds.
   The natural chance is today's observed chance minus what today's steps add
   (never below zero).
4. A strategy's curve is the natural chance plus its steps' responses. From it we
   read the share of the amount paid by a given day, the mean days to pay (up to
   the horizon) and the expected number of contacts, hence their cost (one
   contact per invoice still open at each step: customers with several invoices
   get one message, so the cost is an upper bound).
5. Uncertainty: the history is redrawn by customer (bootstrap) and measured
   responses are drawn around their estimate (assumed ones between half and one
   and a half times the assumption), `reps` times with a seeded
   generator; the band is the 5th to 95th percentile of the results. Today's and
   the proposed strategy share each draw, so their difference is not blurred by
   noise that touches both alike.
Limits: steps never tried cannot be measured, only assumed; effects are taken to
add up (two reminders a day apart each keep their full effect); customers do not
get used to reminders; the future mix of invoices is the past one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

import numpy as np

from relance.roi.ratios import decimal_from_float, money_from_minor_float

DEFAULT_HORIZON = 120
DEFAULT_COLLECT_BY = 60
DEFAULT_REPS = 200
# Replaying today's strategy may differ from the history by this many days at most.
CALIBRATION_TOLERANCE = Decimal("0.5")


@dataclass(frozen=True)
class StepModel:
    """One step of a strategy and its response."""

    name: str
    offset: int
    channel: str
    cost_minor: int
    response: float
    response_se: float = 0.0
    profile: tuple[float, ...] = ()
    measured: bool = False


@dataclass(frozen=True)
class Strategy:
    """An ordered ladder of steps."""

    name: str
    steps: tuple[StepModel, ...]

    def moved(self, step: str, offset: int) -> Strategy:
        """The same strategy with `step` at another offset."""
        self._find(step)
        steps = tuple(
            replace(s, offset=offset) if s.name == step else s for s in self.steps
        )
        return Strategy(f"{self.name}, {step} at {offset:+d}", steps)

    def added(self, step: StepModel) -> Strategy:
        """The same strategy with one more step."""
        return Strategy(
            f"{self.name}, + {step.name} at {step.offset:+d}", (*self.steps, step)
        )

    def dropped(self, step: str) -> Strategy:
        """The same strategy without `step`."""
        self._find(step)
        return Strategy(
            f"{self.name}, − {step}", tuple(s for s in self.steps if s.name != step)
        )

    def _find(self, step: str) -> None:
        if step not in {s.name for s in self.steps}:
            known = ", ".join(s.name for s in self.steps) or "none"
            raise ValueError(f"no step {step!r} in the strategy (steps: {known})")


@dataclass(frozen=True)
class History:
    """Segment invoices: days after due (≥ 0), paid or censored, amount, customer."""

    days: np.ndarray
    paid: np.ndarray
    amounts: np.ndarray
    customers: np.ndarray
    yearly_amount_minor: int
    yearly_invoices: int


@dataclass(frozen=True)
class Band:
    """A central value and its 5–95 % band."""

    value: Decimal
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class Outcome:
    """What a strategy gives a year, or the difference between two strategies."""

    name: str
    collected_by_day: Band
    mean_days_to_pay: Band
    contacts: Band
    cost: Band
    cash_released: Band | None = None


@dataclass(frozen=True)
class WhatIf:
    """Today's strategy, the proposed one, and the difference (proposed − today)."""

    currency: str
    collect_by: int
    horizon: int
    today: Outcome
    proposed: Outcome
    difference: Outcome
    calibration_gap_days: Decimal
    assumptions: tuple[str, ...] = field(default=())


def uniform_profile(window: int) -> tuple[float, ...]:
    """Payments spread evenly over days 1 to `window` after the step."""
    return tuple([1.0 / window] * window)


def response_mass(step: StepModel, response: float, horizon: int) -> np.ndarray:
    """Probability mass of payment the step adds, on each day 0..horizon−1.

    A payment k days after a step at offset o lands on day o + k after the due
    date; one landing on or before the due date counts on day 0.
    """
    profile = np.asarray(step.profile or uniform_profile(30), dtype=float)
    profile = profile / profile.sum()
    mass = np.zeros(horizon)
    days = step.offset + np.arange(1, profile.size + 1)
    inside = days < horizon
    np.add.at(mass, np.clip(days[inside], 0, None), response * profile[inside])
    return mass


def _hazard_of(mass: np.ndarray) -> np.ndarray:
    """Daily hazard of a payment process with this mass (alone, competing with none)."""
    before = np.concatenate([[0.0], np.cumsum(mass)[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(1 - before > 0, mass / (1 - before), 0.0)


def _steps_hazard(
    strategy: Strategy, responses: dict[str, float], horizon: int
) -> np.ndarray:
    total = np.zeros(horizon)
    for step in strategy.steps:
        total += _hazard_of(response_mass(step, responses[step.name], horizon))
    return total


def observed_hazard(history: History, weights: np.ndarray, horizon: int) -> np.ndarray:
    """Kaplan–Meier daily hazard on days 0..horizon−1 of weighted invoices."""
    capped = np.minimum(history.days, horizon).astype(np.int64)
    paid = weights * history.paid.astype(float)
    deaths = np.bincount(capped, paid, minlength=horizon + 1)[:horizon]
    leaving = np.bincount(capped, weights, minlength=horizon + 1)
    at_risk = np.cumsum(leaving[::-1])[::-1][:horizon]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(at_risk > 0, deaths / at_risk, 0.0)


def unpaid_curve(hazard: np.ndarray) -> np.ndarray:
    """Share still unpaid at the end of each day: Π (1 − hazard)."""
    return np.cumprod(1.0 - np.clip(hazard, 0.0, 1.0))


def _reached(curve: np.ndarray, offset: int) -> float:
    """Chance the invoice is still open when a step on day `offset` comes."""
    if offset <= 0:
        return 1.0
    return float(curve[min(offset, curve.size) - 1])


def _evaluate(
    curve: np.ndarray, strategy: Strategy, history: History, collect_by: int
) -> np.ndarray:
    """A year: collected by `collect_by` (minor), mean days, contacts, cost (minor)."""
    paid_share = 1.0 - curve[min(collect_by, curve.size) - 1]
    mean_days = float(curve.sum())
    reach = [_reached(curve, s.offset) for s in strategy.steps]
    contacts = history.yearly_invoices * float(np.sum(reach))
    cost = history.yearly_invoices * float(
        np.dot(reach, [s.cost_minor for s in strategy.steps])
    )
    return np.array(
        [history.yearly_amount_minor * paid_share, mean_days, contacts, cost]
    )


def _draw_responses(
    steps: tuple[StepModel, ...], rng: np.random.Generator
) -> dict[str, float]:
    drawn = {}
    for step in steps:
        value = step.response
        if step.measured and step.response_se > 0:
            value = float(rng.normal(step.response, step.response_se))
        elif not step.measured:
            # An assumption is uncertain too: half to one and a half times it.
            value = float(rng.uniform(0.5 * step.response, 1.5 * step.response))
        drawn[step.name] = float(np.clip(value, 0.0, 0.95))
    return drawn


def _band(values: np.ndarray, central: float, convert) -> Band:  # type: ignore[no-untyped-def]
    low, high = np.percentile(values, [5, 95])
    return Band(convert(central), convert(float(low)), convert(float(high)))


def _outcome(
    name: str, draws: np.ndarray, central: np.ndarray, currency: str
) -> Outcome:
    def cash(v: float) -> Decimal:
        return money_from_minor_float(v, currency)

    def days(v: float) -> Decimal:
        return decimal_from_float(v, 1)

    def count(v: float) -> Decimal:
        return decimal_from_float(v, 0)

    return Outcome(
        name=name,
        collected_by_day=_band(draws[:, 0], central[0], cash),
        mean_days_to_pay=_band(draws[:, 1], central[1], days),
        contacts=_band(draws[:, 2], central[2], count),
        cost=_band(draws[:, 3], central[3], cash),
    )


def simulate_whatif(
    history: History,
    today: Strategy,
    proposed: Strategy,
    currency: str,
    reps: int = DEFAULT_REPS,
    seed: int = 0,
    horizon: int = DEFAULT_HORIZON,
    collect_by: int = DEFAULT_COLLECT_BY,
) -> WhatIf:
    """Compare a proposed strategy with today's on the segment's history."""
    if history.days.size == 0:
        raise ValueError("no invoice in the history of this segment: nothing to fit")
    steps = {s.name: s for s in (*today.steps, *proposed.steps)}
    rng = np.random.default_rng(seed)

    def run(weights: np.ndarray, responses: dict[str, float]) -> tuple[np.ndarray, ...]:
        natural = np.clip(
            observed_hazard(history, weights, horizon)
            - _steps_hazard(today, responses, horizon),
            0.0,
            1.0,
        )
        now = _evaluate(
            unpaid_curve(natural + _steps_hazard(today, responses, horizon)),
            today,
            history,
            collect_by,
        )
        new = _evaluate(
            unpaid_curve(natural + _steps_hazard(proposed, responses, horizon)),
            proposed,
            history,
            collect_by,
        )
        return now, new

    # The central estimate: the history as it is, responses as estimated.
    ones = np.ones(history.days.size)
    central = {name: float(np.clip(s.response, 0.0, 0.95)) for name, s in steps.items()}
    now_c, new_c = run(ones, central)
    observed = float(unpaid_curve(observed_hazard(history, ones, horizon)).sum())

    # Monte Carlo over the inputs: customers redrawn, measured responses drawn.
    codes = np.unique(history.customers, return_inverse=True)[1]
    n = int(codes.max()) + 1
    now_d, new_d = np.zeros((reps, 4)), np.zeros((reps, 4))
    for r in range(reps):
        picked = rng.multinomial(n, np.full(n, 1.0 / n))[codes].astype(float)
        now_d[r], new_d[r] = run(picked, _draw_responses(tuple(steps.values()), rng))

    difference = _outcome("difference", new_d - now_d, new_c - now_c, currency)
    days_gained = -(new_d[:, 1] - now_d[:, 1])
    per_day = history.yearly_amount_minor / 365.0
    difference = replace(
        difference,
        cash_released=_band(
            days_gained * per_day,
            -(new_c[1] - now_c[1]) * per_day,
            lambda v: money_from_minor_float(v, currency),
        ),
    )
    gap = decimal_from_float(now_c[1] - observed, 1)
    notes = [
        f"response of {s.name} ({s.channel}) assumed at {s.response:.0%} (drawn "
        "between half and one and a half times that), not measured"
        for s in steps.values()
        if not s.measured
    ]
    if abs(gap) >= CALIBRATION_TOLERANCE:
        notes.append(
            f"today's steps, as modelled, add more payments than the history shows on "
            f"some days: replaying today's strategy gives {gap:+} days against the "
            "history; the responses are probably overstated"
        )
    return WhatIf(
        currency=currency,
        collect_by=collect_by,
        horizon=horizon,
        today=_outcome(today.name, now_d, now_c, currency),
        proposed=_outcome(proposed.name, new_d, new_c, currency),
        difference=difference,
        calibration_gap_days=gap,
        assumptions=tuple(notes),
    )
