"""The rules that decide which cash an action gets, each on a tiny example."""

from datetime import date
from decimal import Decimal

from tests.roi.books import actions, items, ledger

from relance.roi.attribution import direct_return
from relance.roi.measures import measure

ISSUE, DUE = date(2024, 1, 1), date(2024, 1, 31)


def test_last_touch_never_counts_a_euro_twice():
    """F1 (500.00) gets email_1 on 5 Feb and email_2 on 12 Feb; paid 14 Feb.

    Both windows hold the payment; the later action takes it, so the two steps
    together show 500.00, not 1000.00.
    """
    book = ledger([(1, 1, ISSUE, DUE, 50000)], paid=[(1, date(2024, 2, 14), 50000)])
    log = actions([(1, 1, date(2024, 2, 5), False, 100)], step="email_1").vstack(
        actions([(2, 1, date(2024, 2, 12), False, 100)], step="email_2")
    )
    m = measure(log, items([(1, 1, 50000), (2, 1, 50000)]), book, window=30)
    by_step = {
        r.key["step"]: r.collected
        for r in direct_return(m.actions, m.attributed, ["step"])
    }
    assert by_step == {"email_1": Decimal("0.00"), "email_2": Decimal("500.00")}
    # Each action's own window (used against holdouts) does see the payment.
    assert m.collected.get_column("collected").to_list() == [50000, 50000]


def test_window_starts_the_day_after_and_ends_on_day_w():
    """Action on 1 Mar, window 10: paid on 1 Mar (the action day) no, 11 Mar yes.

    F1 100.00 paid on 1 Mar; F2 200.00 paid on 11 Mar; F3 300.00 paid on 12 Mar.
    Only F2 counts: 200.00.
    """
    book = ledger(
        [
            (1, 1, ISSUE, DUE, 10000),
            (2, 1, ISSUE, DUE, 20000),
            (3, 1, ISSUE, DUE, 30000),
        ],
        paid=[
            (1, date(2024, 3, 1), 10000),
            (2, date(2024, 3, 11), 20000),
            (3, date(2024, 3, 12), 30000),
        ],
    )
    log = actions([(1, 1, date(2024, 3, 1), False, 0)])
    m = measure(
        log, items([(1, 1, 10000), (1, 2, 20000), (1, 3, 30000)]), book, window=10
    )
    (total,) = direct_return(m.actions, m.attributed, [])
    assert total.collected == Decimal("200.00")


def test_actions_not_carried_out_count_nowhere_and_failures_stay_contacted():
    """Action 1 planned, 2 cancelled, 3 failed (cost 1.00): only 3 is in a group."""
    book = ledger([(1, 1, ISSUE, DUE, 10000)])
    log = actions(
        [
            (1, 1, date(2024, 3, 1), False, 100),
            (2, 1, date(2024, 3, 2), False, 100),
            (3, 1, date(2024, 3, 3), False, 100),
        ],
        states={1: "planned", 2: "cancelled", 3: "failed"},
    )
    m = measure(
        log, items([(1, 1, 10000), (2, 1, 10000), (3, 1, 10000)]), book, window=30
    )
    groups = dict(zip(m.actions["action_id"], m.actions["group"], strict=True))
    assert groups == {1: None, 2: None, 3: "contacted"}
    (total,) = direct_return(m.actions, m.attributed, [])
    assert (total.actions, total.cost) == (1, Decimal("1.00"))


def test_action_without_invoice_covers_the_customers_open_invoices():
    """A call logged against customer 1 on 10 Feb, no invoice named.

    Customer 1 has F1 400.00 (paid 1 Feb: closed by then), F2 600.00 open of which
    100.00 was credited on 5 Feb (stake 500.00), F3 issued 20 Feb (not yet
    issued). Stake = 500.00; F2's 500.00 paid on 15 Feb is collected.
    """
    book = ledger(
        [
            (1, 1, ISSUE, DUE, 40000),
            (2, 1, ISSUE, DUE, 60000),
            (3, 1, date(2024, 2, 20), date(2024, 3, 20), 70000),
        ],
        paid=[(1, date(2024, 2, 1), 40000), (2, date(2024, 2, 15), 50000)],
        credits=[(9, 2, date(2024, 2, 5), 10000)],
    )
    log = actions([(1, 1, date(2024, 2, 10), False, 300)], channel="phone")
    m = measure(log, items([]), book, window=30)
    assert m.collected.select("document_id", "stake", "collected").rows() == [
        (2, 50000, 50000)
    ]
