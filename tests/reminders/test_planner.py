"""Planning a day, worked by hand with the default policy unless said otherwise.

Default standard ladder: pre_due -5 (email), email_1 +3, email_2 +10, phone_1 +20,
formal_notice +30 (registered letter), handover +45; minimum 15.00; 5 days between
two contacts; one contact per customer per day; France's business days. Customers
without payment history are "new" (fewer than 3 paid invoices): the 5 % holdout of
standard/email_1 excludes them, so these plans hold nobody out unless said.

June 2025: Monday 9 is Pentecost Monday (closed); 14-15 and 21-22 are weekends.
"""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from reminder_books import Books

from relance.reminders.planned import DayPlan
from relance.reminders.planner import plan_day, planning_frame
from relance.reminders.policy import default_policy, default_policy_text, parse_policy

POLICY = default_policy()
THU = date(2025, 6, 12)


def _plan(books: Books, day: date = THU, policy=POLICY) -> DayPlan:
    return plan_day(books.data(), policy, day)


def _contacts(plan: DayPlan) -> list[tuple[str, str, tuple[str, ...], int]]:
    return [
        (c.customer_ref, c.step_key, tuple(i.document_ref for i in c.items), c.total)
        for c in plan.contacts
    ]


def _skipped(plan: DayPlan) -> list[tuple[str, str | None, str]]:
    return [(s.customer_ref, s.document_ref, s.reason) for s in plan.skipped]


def _overdue(
    books: Books, ref: str, customer: str, due: date, amount: str = "100.00", **kwargs
) -> Books:
    return books.invoice(ref, customer, date(2025, 1, 2), due, amount, **kwargs)


# --- Who is never reminded -----------------------------------------------------------


def test_paid_credited_disputed_promised_and_net_credit_are_never_planned():
    """All invoices due Monday 2 June; email_1 (+3) is due from Thursday 5 June.
    Only OK is contacted. PAID and CRED have nothing open (not even skipped);
    DISP, PROM and NETC are skipped with their reason."""
    books = Books()
    for ref in ("PAID", "CRED", "DISP", "PROM", "NETC", "OK"):
        books.customer(ref)
    due = date(2025, 6, 2)
    for ref in ("PAID", "CRED", "PROM", "NETC", "OK"):
        _overdue(books, "F" + ref, ref, due)
    _overdue(books, "FDISP", "DISP", due, disputed=True)
    books.payment("P1", "PAID", date(2025, 6, 10), "100.00", {"FPAID": "100.00"})
    books.credit_note("AV1", "CRED", date(2025, 6, 10), "100.00")
    books.apply_credit("AV1", "FCRED", date(2025, 6, 10), "100.00")
    books.promise("PROM", date(2025, 6, 10), date(2025, 6, 20))
    books.credit_note("AV2", "NETC", date(2025, 6, 10), "200.00")

    plan = _plan(books)
    assert _contacts(plan) == [("OK", "standard/email_1", ("FOK",), 10000)]
    assert _skipped(plan) == [
        ("DISP", "FDISP", "invoice marked disputed in the books"),
        (
            "NETC",
            None,
            (
                "customer's net position -100.00 EUR (credit notes and unapplied cash "
                "counted) is not a debt of at least 15.00 EUR"
            ),
        ),
        (
            "PROM",
            "FPROM",
            "customer promised to pay until 2025-06-20 (reminders resume the day after)",
        ),
    ]


def test_excluded_customer_is_skipped_once_for_all_its_invoices():
    books = Books().customer("OPT", opted_out=True)
    _overdue(books, "F1", "OPT", date(2025, 6, 2))
    _overdue(books, "F2", "OPT", date(2025, 6, 3))
    plan = _plan(books)
    assert plan.contacts == ()
    assert _skipped(plan) == [("OPT", None, "customer opted out of reminders")]


# --- One contact per customer, listing its invoices --------------------------------------


def test_one_message_lists_every_invoice_due_for_the_step_with_the_total():
    """F1 100.00 due 2 June, F2 250.50 due 3 June, F3 49.50 due 2 June: all due for
    email_1 on 12 June -> one contact; items by due date then reference
    (F1, F3, F2); total 100.00 + 49.50 + 250.50 = 400.00. F4 is due 30 June: its
    pre-due notice comes on 25 June, it waits silently."""
    books = Books().customer("C1")
    _overdue(books, "F1", "C1", date(2025, 6, 2))
    _overdue(books, "F2", "C1", date(2025, 6, 3), "250.50")
    _overdue(books, "F3", "C1", date(2025, 6, 2), "49.50")
    _overdue(books, "F4", "C1", date(2025, 6, 30), "75.00")
    plan = _plan(books)
    assert _contacts(plan) == [("C1", "standard/email_1", ("F1", "F3", "F2"), 40000)]
    contact = plan.contacts[0]
    assert [i.residual for i in contact.items] == [10000, 4950, 25050]
    assert [i.days_past_due for i in contact.items] == [10, 10, 9]
    assert contact.channel == "email" and contact.template == "reminder_first"
    assert contact.campaign == "default" and contact.segment == "standard"
    assert contact.step_index == 1 and contact.planned_on == THU
    assert contact.language == "fr" and contact.holdout is False
    assert plan.skipped == ()


def test_the_reasons_of_a_contact():
    """C1, no history: F1 100.00 due Thursday 5 June; email_1 (+3) falls on Sunday
    8 June, Monday 9 is Pentecost: due Tuesday 10 June. On 12 June F1 is 7 days
    past due (its lateness so far, 7.0 days, is the profile's only observation);
    email_2 (+10, 15 June) is not due yet, so this is no catch-up."""
    books = Books().customer("C1")
    _overdue(books, "F1", "C1", date(2025, 6, 5))
    (contact,) = _plan(books).contacts
    assert contact.reasons == (
        (
            "segment standard: catch-all (no rule); payer profile new (7.0 days late on "
            "average, weighted by amount; 0 paid invoice(s))"
        ),
        "step 2 of 6: email_1 (email, due date +3 days)",
        (
            "first step after the due date: the pre-due notice lapses once the invoice is "
            "past due"
        ),
        (
            "1 invoice(s) due for this step since 2025-06-10; the most overdue, F1, is 7 "
            "days past due"
        ),
        "no earlier contact with this customer",
        "not eligible for holdout: payer profile new",
    )


def test_invoices_due_for_different_steps_wait_for_the_most_severe_one():
    """F1 due 20 May reached email_1 on 26 May: email_2 (+10) is due since 30 May.
    F2 due 2 June has no step yet: email_1 due since 5 June. One message a day:
    the more advanced step, email_2, lists F1 only (putting F2 in it would make F2
    skip email_1); F2 waits."""
    books = Books().customer("C1")
    _overdue(books, "F1", "C1", date(2025, 5, 20))
    _overdue(books, "F2", "C1", date(2025, 6, 2))
    books.action("C1", "email_1", date(2025, 5, 26), ("F1",))
    plan = _plan(books)
    assert _contacts(plan) == [("C1", "standard/email_2", ("F1",), 10000)]
    assert plan.contacts[0].reasons[2] == "next step in order after email_1"
    assert plan.contacts[0].reasons[-1] == (
        "1 other invoice(s) due for another step wait for a later contact"
    )
    assert _skipped(plan) == [
        (
            "C1",
            None,
            (
                "1 invoice(s) due for step email_1 (F2) wait for a later contact: a "
                "customer gets one message a day, today's is email_2 (EUR)"
            ),
        )
    ]


def test_currencies_are_never_mixed():
    """F1 100.00 EUR and F2 100.00 USD, both due for email_1. One contact a day:
    EUR first (code order), USD waits. Allowing two a day: two contacts, one per
    currency."""
    books = Books().customer("C1")
    _overdue(books, "F1", "C1", date(2025, 6, 2))
    _overdue(books, "F2", "C1", date(2025, 6, 2), currency="USD")
    plan = _plan(books)
    assert [(c.currency, c.step) for c in plan.contacts] == [("EUR", "email_1")]
    assert _skipped(plan)[0][2].endswith("today's is email_1 (EUR)")

    two = parse_policy(
        default_policy_text().replace(
            "max_contacts_per_customer_per_day = 1",
            "max_contacts_per_customer_per_day = 2",
        )
    )
    plan = _plan(books, policy=two)
    assert [(c.currency, [i.document_ref for i in c.items]) for c in plan.contacts] == [
        ("EUR", ["F1"]),
        ("USD", ["F2"]),
    ]


# --- Timing ------------------------------------------------------------------------------


def test_pre_due_notice_five_days_before():
    """Due Tuesday 17 June: the notice is due Thursday 12 June, not on the 11th."""
    books = Books().customer("C1")
    books.invoice("F1", "C1", date(2025, 5, 18), date(2025, 6, 17), "100.00")
    assert _plan(books, date(2025, 6, 11)).contacts == ()
    (contact,) = _plan(books).contacts
    assert contact.step == "pre_due" and contact.step_index == 0
    assert contact.items[0].days_past_due == -5
    assert contact.reasons[2] == "first step of the ladder"
    assert contact.reasons[3] == (
        "1 invoice(s) due for this step since 2025-06-12; the most overdue, F1, is due "
        "in 5 days"
    )


def test_a_missed_run_gives_one_contact_and_steps_follow_in_order():
    """F1 100.00 due 1 April, never reminded: on 12 June it is 72 days late and
    every step up to handover (+45) is due by date. The plan makes ONE contact, at
    email_1 (the pre-due notice lapsed), and says it is a catch-up. Recorded, the
    next steps come one per contact, 5 days apart at least:
    12 June email_1; 13 June nothing (1 day since); 17 June email_2 (5 days);
    23 June phone_1 (17 + 5 = 22 is a Sunday)."""
    books = Books().customer("C1")
    _overdue(books, "F1", "C1", date(2025, 4, 1))

    first = _plan(books)
    assert _contacts(first) == [("C1", "standard/email_1", ("F1",), 10000)]
    assert first.contacts[0].reasons[4] == (
        "catch-up: later steps are due too, but steps are never skipped; the next ones "
        "follow on later days, after the minimum delay"
    )
    books.action("C1", "email_1", THU, ("F1",))

    next_day = _plan(books, date(2025, 6, 13))
    assert next_day.contacts == ()
    assert _skipped(next_day) == [
        (
            "C1",
            None,
            (
                "minimum delay between contacts: last contact on 2025-06-12, next possible "
                "on 2025-06-17 (5 days)"
            ),
        )
    ]
    assert _plan(books, date(2025, 6, 16)).contacts == ()

    second = _plan(books, date(2025, 6, 17))
    assert [c.step for c in second.contacts] == ["email_2"]
    books.action("C1", "email_2", date(2025, 6, 17), ("F1",))
    assert _plan(books, date(2025, 6, 20)).contacts == ()
    third = _plan(books, date(2025, 6, 23))
    assert [c.step for c in third.contacts] == ["phone_1"]
    assert third.contacts[0].channel == "phone"


def test_minimum_delay_counts_contacts_about_other_invoices():
    """C1 got a pre-due notice about F0 on Tuesday 10 June. F1 is due for email_1
    since 5 June, but the last contact was 2 days ago: it waits until 15 June
    (a Sunday), so Monday 16 June."""
    books = Books().customer("C1")
    _overdue(books, "F1", "C1", date(2025, 6, 2))
    books.invoice("F0", "C1", date(2025, 6, 1), date(2025, 6, 15), "100.00")
    books.action("C1", "pre_due", date(2025, 6, 10), ("F0",))
    assert _skipped(_plan(books)) == [
        (
            "C1",
            None,
            (
                "minimum delay between contacts: last contact on 2025-06-10, next possible "
                "on 2025-06-15 (5 days)"
            ),
        )
    ]
    plan = _plan(books, date(2025, 6, 16))
    # F0 reached pre_due; its email_1 (15 June + 3) is only due on 18 June.
    assert _contacts(plan) == [("C1", "standard/email_1", ("F1",), 10000)]


def test_a_customer_contacted_today_gets_nothing_more():
    """A re-run after the day's actions were recorded plans nothing again."""
    books = Books().customer("C1")
    _overdue(books, "F1", "C1", date(2025, 6, 2))
    _overdue(books, "F2", "C1", date(2025, 6, 3))
    books.action("C1", "email_1", THU, ("F1",))
    plan = _plan(books)
    assert plan.contacts == ()
    assert _skipped(plan) == [
        ("C1", None, "already contacted on 2025-06-12 (at most 1 contact(s) a day)")
    ]


@pytest.mark.parametrize(
    ("state", "dropped", "expected"),
    [
        ("sent", False, "email_2"),
        ("failed", False, "email_2"),  # sending retries it: never planned again
        ("unknown", False, "email_2"),  # a person decides: never planned again
        ("held_out", False, "email_2"),
        ("todo", False, "email_2"),
        ("planned", False, "email_2"),
        ("cancelled", False, "email_1"),
        ("sent", True, "email_1"),  # the invoice was dropped from that action
    ],
)
def test_which_recorded_actions_count_as_reached(
    state: str, dropped: bool, expected: str
):
    """F1 due 2 June; an email_1 action on 20 May: on 12 June email_2 (+10) is due."""
    books = Books().customer("C1")
    _overdue(books, "F1", "C1", date(2025, 6, 2))
    books.action(
        "C1",
        "email_1",
        date(2025, 5, 20),
        ("F1",),
        state=state,
        dropped=("F1",) if dropped else (),
    )
    assert [c.step for c in _plan(books).contacts] == [expected]


def test_the_last_step_reached_needs_a_person():
    """F1 due 1 March reached handover on 1 June: 103 days past due on 12 June."""
    books = Books().customer("C1")
    _overdue(books, "F1", "C1", date(2025, 3, 1))
    books.action("C1", "handover", date(2025, 6, 1), ("F1",), state="todo")
    plan = _plan(books)
    assert plan.contacts == ()
    assert _skipped(plan) == [
        (
            "C1",
            "F1",
            (
                "already at the last step (handover) of segment standard: 100.00 EUR open, "
                "103 days past due; a person takes it from here"
            ),
        )
    ]


def test_a_segment_change_keeps_the_rung_by_step_name():
    """F1 due 20 May reached email_2 in the standard ladder. The customer is now
    pinned to chronic_late (pre_due, email_1, phone_1, email_2, formal_notice +20,
    handover): its furthest rung there is email_2, so the next is formal_notice,
    due 20 May + 20 = 9 June (Pentecost Monday) -> 10 June."""
    books = Books().customer("C1", segment="chronic_late")
    _overdue(books, "F1", "C1", date(2025, 5, 20))
    books.action("C1", "email_2", date(2025, 6, 2), ("F1",))
    (contact,) = _plan(books).contacts
    assert (contact.step_key, contact.channel) == (
        "chronic_late/formal_notice",
        "registered_letter",
    )
    assert contact.template == "formal_notice"
    assert contact.reasons[0].startswith(
        "segment chronic_late: pinned by the customer's segment column"
    )
    assert contact.reasons[3].startswith(
        "1 invoice(s) due for this step since 2025-06-10"
    )
    assert contact.reasons[-1] == "formal notices are never held out"


# --- Business days -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2025, 7, 14), "2025-07-14 is a public holiday in FR (National Day)"),
        (date(2025, 12, 25), "2025-12-25 is a public holiday in FR (Christmas Day)"),
        (date(2025, 4, 21), "2025-04-21 is a public holiday in FR (Easter Monday)"),
        (date(2025, 7, 12), "2025-07-12 is a Saturday"),
        (date(2025, 7, 13), "2025-07-13 is a Sunday"),
    ],
    ids=["14-july", "christmas", "easter-monday", "saturday", "sunday"],
)
def test_nothing_is_planned_on_non_business_days(day: date, why: str):
    books = Books().customer("C1")
    _overdue(books, "F1", "C1", date(2025, 3, 1))
    plan = _plan(books, day)
    assert plan.contacts == ()
    text = f"{why}: nothing is planned on non-business days"
    assert plan.notes == (text,)
    assert _skipped(plan) == [("C1", None, text)]


def test_a_step_falling_on_a_holiday_is_due_the_next_business_day():
    """Due Friday 11 July 2025: email_1 (+3) falls on Monday 14 July, the national
    day, so it is due Tuesday 15 July."""
    books = Books().customer("C1")
    _overdue(books, "F1", "C1", date(2025, 7, 11))
    books.action("C1", "pre_due", date(2025, 7, 4), ("F1",))
    assert _plan(books, date(2025, 7, 14)).notes  # closed
    (contact,) = _plan(books, date(2025, 7, 15)).contacts
    assert contact.step == "email_1"
    assert contact.reasons[3].startswith(
        "1 invoice(s) due for this step since 2025-07-15"
    )


# --- Holdout ---------------------------------------------------------------------------

HALF = """
[campaign]
name = "trial"

[[segments]]
name = "all"

[[segments.steps]]
name = "email_1"
offset_days = 3
channel = "email"
holdout_share = 0.5
holdout_max_amount = "1000.00"

[[segments.steps]]
name = "formal_notice"
offset_days = 30
channel = "registered_letter"
"""


def _drawn(ref: str) -> bool:
    """Independent draw: SHA-256 of "trial / email_1 / ref", first 8 bytes < 2**63."""
    digest = hashlib.sha256(f"trial\x1femail_1\x1f{ref}".encode()).digest()
    return int.from_bytes(digest[:8], "big") < 2**63


def test_holdout_in_the_plan_is_the_deterministic_draw():
    """40 customers with 100.00 due: held out exactly where the draw says (about
    half); BIG owes 1000.01, above the 1000.00 limit: never held out; re-planning
    gives the same customers."""
    books = Books()
    refs = [f"C{n:02d}" for n in range(40)]
    for ref in refs:
        books.customer(ref)
        _overdue(books, "F" + ref, ref, date(2025, 6, 2))
    books.customer("BIG")
    _overdue(books, "FBIG", "BIG", date(2025, 6, 2), "1000.01")
    policy = parse_policy(HALF)
    plan = _plan(books, policy=policy)
    held = {c.customer_ref for c in plan.contacts if c.holdout}
    assert held == {ref for ref in refs if _drawn(ref)}
    assert 8 <= len(held) <= 32
    assert "BIG" not in held
    assert plan == _plan(books, policy=policy)


def test_formal_notices_are_never_held_out():
    """Customers at the formal notice step of the same policy: none held out, even
    those the email_1 draw would hold out."""
    books = Books()
    for n in range(20):
        ref = f"C{n:02d}"
        books.customer(ref)
        _overdue(books, "F" + ref, ref, date(2025, 5, 1))
        books.action(ref, "email_1", date(2025, 5, 10), ("F" + ref,))
    plan = _plan(books, policy=parse_policy(HALF))
    assert {c.step for c in plan.contacts} == {"formal_notice"}
    assert not any(c.holdout for c in plan.contacts)


# --- Segments, languages, explanations -----------------------------------------------


def test_segments_and_languages():
    """GC is a grand compte (email_1 at +5: due 7 June -> Monday 10 June after the
    weekend and Pentecost); EN writes in English; X matches no segment of a policy
    without catch-all."""
    books = (
        Books()
        .customer("GC", customer_type="grand_compte")
        .customer("EN", language="en")
    )
    _overdue(books, "F1", "GC", date(2025, 6, 2))
    _overdue(books, "F2", "EN", date(2025, 6, 2))
    plan = _plan(books)
    assert [(c.customer_ref, c.step_key, c.language) for c in plan.contacts] == [
        ("EN", "standard/email_1", "en"),
        ("GC", "grand_compte/email_1", "fr"),
    ]
    gc = plan.contacts[1]
    assert gc.reasons[3].startswith("1 invoice(s) due for this step since 2025-06-10")

    no_catch_all = parse_policy(
        HALF.replace('name = "all"', 'name = "fr"\nrules.country = ["FR"]')
    )
    assert _skipped(_plan(books, policy=no_catch_all)) == [
        ("EN", None, "no segment of the policy matches this customer (EUR)"),
        ("GC", None, "no segment of the policy matches this customer (EUR)"),
    ]


def test_planning_frame_shows_every_open_invoice():
    books = Books().customer("C1")
    _overdue(books, "F1", "C1", date(2025, 6, 2))
    books.invoice("F2", "C1", date(2025, 6, 1), date(2025, 7, 1), "100.00")
    frame = planning_frame(books.data(), POLICY, THU).sort("ref")
    assert frame.select("ref", "status", "step_name").rows() == [
        ("F1", "due", "email_1"),
        ("F2", "waiting", "pre_due"),
    ]
