"""Payer profiles: how each kind of customer pays, as distributions of days.

A profile gives the number of days between an invoice's due date and the day the
customer would pay it without any reminder ("days beyond terms", signed: negative
is early). Each customer also has its own factor (lognormal around 1) stretching the
late part, so two slow payers are not alike.

| profile      | share* | days beyond terms (before the customer's factor)          |
|--------------|--------|-----------------------------------------------------------|
| on_time      | ~40 %  | 80 % around the due date (normal, mean -2, sd 2), 15 %     |
|              |        | early (1–12 days), 5 % a little late (gamma, mean 8)      |
| slow         | ~33 %  | 25 % like on time, else lognormal, median 14 days, sigma  |
|              |        | 0.6, minus 2                                              |
| chronic_late | ~14 %  | lognormal, median 38 days, sigma 0.55                     |
| new          | ~9 %   | gamma, shape 1.2, scale 10, minus 3 (little history yet)  |
| defaulting   | ~4 %   | like chronic_late until its default date, then nothing    |

*shares depend on the segment, see `PROFILE_SHARES`.
"""

from __future__ import annotations

import numpy as np

PROFILES = ("on_time", "slow", "chronic_late", "new", "defaulting")
SEGMENTS = ("PME", "Grand compte", "Public", "Export")

# Share of each profile (in PROFILES order) within a segment: public bodies pay
# slowly but never default; large accounts stretch terms more than small firms.
PROFILE_SHARES: dict[str, tuple[float, ...]] = {
    "PME": (0.45, 0.27, 0.13, 0.11, 0.04),
    "Grand compte": (0.35, 0.46, 0.12, 0.06, 0.01),
    "Public": (0.25, 0.50, 0.20, 0.05, 0.00),
    "Export": (0.41, 0.30, 0.15, 0.10, 0.04),
}


def choose(rng: np.random.Generator, shares: np.ndarray) -> np.ndarray:
    """One index per row of `shares` (rows are probabilities summing to 1)."""
    cumulative = np.cumsum(shares, axis=1)
    draw = rng.random(len(shares))[:, None]
    return np.minimum((draw >= cumulative).sum(axis=1), shares.shape[1] - 1)


def days_beyond_terms(
    rng: np.random.Generator, profile: np.ndarray, factor: np.ndarray
) -> np.ndarray:
    """Signed whole days from due date to payment, one per invoice.

    `profile` holds indices into PROFILES and `factor` the customer's own stretch,
    both per invoice. Every distribution is drawn for every invoice and the right one
    picked afterwards, so the random stream does not depend on the profile mix.
    """
    n = len(profile)
    on_time_mode = rng.random(n)
    around = rng.normal(-2.0, 2.0, n)
    early = -rng.uniform(1.0, 12.0, n)
    bit_late = rng.gamma(2.0, 4.0, n)
    slow = rng.lognormal(np.log(14.0), 0.6, n) - 2.0
    chronic = rng.lognormal(np.log(38.0), 0.55, n)
    new = rng.gamma(1.2, 10.0, n) - 3.0

    on_time = np.where(
        on_time_mode < 0.80, around, np.where(on_time_mode < 0.95, early, bit_late)
    )
    slow = np.where(on_time_mode < 0.25, around, slow)
    by_profile = np.select(
        [profile == 0, profile == 1, profile == 2, profile == 3],
        [on_time, slow, chronic, new],
        default=chronic,
    )
    # The customer's factor stretches lateness, never earliness.
    stretched = np.where(by_profile > 0, by_profile * factor, by_profile)
    return np.rint(stretched).astype(np.int64)
