"""Found: `relance roi whatif --add` took a step the model cannot mean.

On the demo, `--add pre:-5:fax:-1:2` ran and printed a result: a channel relance
does not know ("fax"), a cost of −1.00 (each contact would *earn* a euro, so the
proposed strategy looked cheaper the more it contacted), and a response of 2, i.e.
200 % more invoices paid within the window. The model silently cut the response
at 0.95 while the note said "assumed at 200%". A response is a share of the open
invoices (a probability), the same bound as `--assume-response` (0 to 0.95).

By hand: adding "pre" at −5 days by email, costing 0.10, with a response of 0.05
is accepted and gives a strategy with that one step, cost 10 cents; each of the
three faults above is refused with a message naming the step (a ValueError, which
the CLI turns into exit 2).
"""

from decimal import Decimal

import pytest

from relance.roi.whatif import Strategy
from relance.services.roi_whatif import Change, apply_changes

TODAY = Strategy("today", ())


def _add(channel="email", cost="0.10", response=0.05):
    return Change("add", "pre", -5, channel, Decimal(cost), response)


def test_a_sound_step_is_added():
    proposed = apply_changes(TODAY, [_add()], 30, 0.05, "EUR")
    (step,) = proposed.steps
    assert (step.name, step.offset, step.channel) == ("pre", -5, "email")
    assert (step.cost_minor, step.response) == (10, 0.05)


@pytest.mark.parametrize(
    "change, words",
    [
        (_add(channel="fax"), "'fax' is not a channel"),
        (_add(cost="-1"), "negative"),
        (_add(response=2.0), "not a share from 0 to 0.95"),
        (_add(response=-0.1), "not a share from 0 to 0.95"),
    ],
)
def test_a_step_the_model_cannot_mean_is_refused(change, words):
    with pytest.raises(ValueError, match=words):
        apply_changes(TODAY, [change], 30, 0.05, "EUR")
