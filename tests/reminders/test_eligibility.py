"""Eligibility: who may be reminded on a day, and why the others may not."""

from __future__ import annotations

from datetime import date

from reminder_books import Books

from relance.reminders.eligibility import eligibility, eligible_items, still_eligible
from relance.reminders.policy import default_policy

D = date(2025, 6, 30)
POLICY = default_policy()  # minimum 15.00


def _base() -> Books:
    return Books().customer("C1").customer("C2")


def _blocked(books: Books, day: date = D) -> dict[str, tuple[str | None, str | None]]:
    frame = eligibility(books.data(), POLICY, day)
    return {
        row["ref"]: (row["blocked"], row["blocked_reason"])
        for row in frame.iter_rows(named=True)
    }


def test_paid_credited_and_zero_invoices_are_not_open():
    """F1 paid in full, F2 cancelled by a credit note, F3 of 0.00: none is open.
    F4 is open for 100.00 - 40.00 = 60.00 and may be reminded."""
    books = _base()
    books.invoice("F1", "C1", date(2025, 5, 1), date(2025, 5, 31), "100.00")
    books.invoice("F2", "C1", date(2025, 5, 1), date(2025, 5, 31), "80.00")
    books.invoice("F3", "C1", date(2025, 5, 1), date(2025, 5, 31), "0.00")
    books.invoice("F4", "C1", date(2025, 5, 1), date(2025, 5, 31), "100.00")
    books.payment("P1", "C1", date(2025, 6, 2), "100.00", {"F1": "100.00"})
    books.credit_note("AV1", "C1", date(2025, 6, 3), "80.00")
    books.apply_credit("AV1", "F2", date(2025, 6, 3), "80.00")
    books.payment("P2", "C1", date(2025, 6, 4), "40.00", {"F4": "40.00"})
    frame = eligible_items(books.data(), POLICY, D)
    assert frame.get_column("ref").to_list() == ["F4"]
    assert frame.get_column("residual").to_list() == [6000]


def test_a_payment_after_the_day_does_not_count_yet():
    books = _base()
    books.invoice("F1", "C1", date(2025, 5, 1), date(2025, 5, 31), "100.00")
    books.payment("P1", "C1", date(2025, 7, 2), "100.00", {"F1": "100.00"})
    assert _blocked(books) == {"F1": (None, None)}
    assert _blocked(books, date(2025, 7, 2)) == {}


def test_disputes_flag_and_table():
    """F1 flagged disputed in the books; F2 with a dispute opened 10 June, still open;
    F3's dispute closed on 20 June: reminded again; F4's opens on 1 July: not yet."""
    books = _base()
    for ref in ("F2", "F3", "F4"):
        books.invoice(ref, "C1", date(2025, 5, 1), date(2025, 5, 31), "100.00")
    books.invoice(
        "F1", "C1", date(2025, 5, 1), date(2025, 5, 31), "100.00", disputed=True
    )
    books.dispute("F2", date(2025, 6, 10))
    books.dispute("F3", date(2025, 6, 1), closed=date(2025, 6, 20))
    books.dispute("F4", date(2025, 7, 1))
    assert _blocked(books) == {
        "F1": ("disputed", "invoice marked disputed in the books"),
        "F2": ("disputed", "invoice in dispute since 2025-06-10"),
        "F3": (None, None),
        "F4": (None, None),
    }


def test_promises_pause_until_their_date_inclusive():
    """C1 promised (whole account) on 20 June to pay by 30 June: paused on 30 June,
    reminded again from 1 July. C2 promised F21 only: F22 is still reminded. A kept
    or broken promise pauses nothing, nor one recorded after the day."""
    books = _base()
    books.invoice("F11", "C1", date(2025, 5, 1), date(2025, 5, 31), "100.00")
    books.invoice("F21", "C2", date(2025, 5, 1), date(2025, 5, 31), "100.00")
    books.invoice("F22", "C2", date(2025, 5, 1), date(2025, 5, 31), "100.00")
    books.customer("C3").invoice(
        "F31", "C3", date(2025, 5, 1), date(2025, 5, 31), "100.00"
    )
    books.promise("C1", date(2025, 6, 20), date(2025, 6, 30))
    books.promise("C2", date(2025, 6, 20), date(2025, 7, 4), document="F21")
    books.promise("C3", date(2025, 6, 20), date(2025, 7, 4), status="broken")
    books.promise("C3", date(2025, 6, 20), date(2025, 7, 4), status="kept")
    books.promise("C3", date(2025, 7, 1), date(2025, 7, 9))
    assert _blocked(books) == {
        "F11": (
            "promised",
            "customer promised to pay until 2025-06-30 (reminders resume the day after)",
        ),
        "F21": (
            "promised",
            "promise to pay this invoice until 2025-07-04 (reminders resume the day after)",
        ),
        "F22": (None, None),
        "F31": (None, None),
    }
    after = _blocked(books, date(2025, 7, 1))
    assert after["F11"] == (None, None)
    assert after["F31"][0] == "promised"  # recorded on 1 July, for 9 July


def test_excluded_customers():
    books = (
        Books()
        .customer("OPT", opted_out=True)
        .customer("LEG", legal_procedure=True)
        .customer("EXC", dunning_excluded=True)
    )
    for ref in ("OPT", "LEG", "EXC"):
        books.invoice("F" + ref, ref, date(2025, 5, 1), date(2025, 5, 31), "100.00")
    assert _blocked(books) == {
        "FOPT": ("excluded", "customer opted out of reminders"),
        "FLEG": ("excluded", "customer in a legal procedure"),
        "FEXC": ("excluded", "customer excluded from dunning"),
    }


def test_minimum_residual():
    """Minimum 15.00 EUR: 14.99 is below, 15.00 reaches it."""
    books = _base()
    books.invoice("F1", "C1", date(2025, 5, 1), date(2025, 5, 31), "14.99")
    books.invoice("F2", "C2", date(2025, 5, 1), date(2025, 5, 31), "15.00")
    assert _blocked(books) == {
        "F1": ("below_minimum", "open balance 14.99 EUR below the minimum 15.00 EUR"),
        "F2": (None, None),
    }


def test_net_position_counts_credit_notes_and_cash():
    """C1: invoice 100.00, open credit note -150.00 -> net -50.00: a credit.
    C2: invoice 100.00, unapplied payment 90.00 -> net 10.00 < 15.00: not a debt.
    C3: invoice 100.00, unapplied payment 85.00 -> net 15.00: reminded."""
    books = _base().customer("C3")
    books.invoice("F1", "C1", date(2025, 5, 1), date(2025, 5, 31), "100.00")
    books.credit_note("AV1", "C1", date(2025, 6, 1), "150.00")
    books.invoice("F2", "C2", date(2025, 5, 1), date(2025, 5, 31), "100.00")
    books.payment("P2", "C2", date(2025, 6, 5), "90.00")
    books.invoice("F3", "C3", date(2025, 5, 1), date(2025, 5, 31), "100.00")
    books.payment("P3", "C3", date(2025, 6, 5), "85.00")
    assert _blocked(books) == {
        "F1": (
            "net_credit",
            (
                "customer's net position -50.00 EUR (credit notes and unapplied cash "
                "counted) is not a debt of at least 15.00 EUR"
            ),
        ),
        "F2": (
            "net_credit",
            (
                "customer's net position 10.00 EUR (credit notes and unapplied cash "
                "counted) is not a debt of at least 15.00 EUR"
            ),
        ),
        "F3": (None, None),
    }


def test_disputed_invoices_are_left_out_of_the_net_position():
    """C1: F1 1000.00 disputed, F2 100.00, credit note -500.00. Claimable net =
    100.00 - 500.00 = -400.00: F2 is not reminded (F1 is disputed anyway)."""
    books = _base()
    books.invoice(
        "F1", "C1", date(2025, 5, 1), date(2025, 5, 31), "1000.00", disputed=True
    )
    books.invoice("F2", "C1", date(2025, 5, 1), date(2025, 5, 31), "100.00")
    books.credit_note("AV1", "C1", date(2025, 6, 1), "500.00")
    blocked = _blocked(books)
    assert blocked["F1"][0] == "disputed"
    assert blocked["F2"] == (
        "net_credit",
        (
            "customer's net position -400.00 EUR (credit notes and unapplied cash counted) "
            "is not a debt of at least 15.00 EUR"
        ),
    )


def test_currencies_are_netted_apart():
    """C1 owes 100.00 EUR and holds a 500.00 USD credit note: the EUR invoice is
    still a debt (currencies are never added)."""
    books = _base()
    books.invoice("F1", "C1", date(2025, 5, 1), date(2025, 5, 31), "100.00")
    books.credit_note("AV1", "C1", date(2025, 6, 1), "500.00", currency="USD")
    assert _blocked(books) == {"F1": (None, None)}


def test_first_failing_check_wins():
    """Excluded and disputed and small: reported as excluded."""
    books = Books().customer("C1", opted_out=True)
    books.invoice(
        "F1", "C1", date(2025, 5, 1), date(2025, 5, 31), "1.00", disputed=True
    )
    assert _blocked(books)["F1"][0] == "excluded"


def test_still_eligible_at_send_time():
    """Planned on 30 June for F1 and F2; by 2 July F1 is paid and F2 disputed."""
    books = _base()
    books.invoice("F1", "C1", date(2025, 5, 1), date(2025, 5, 31), "100.00")
    books.invoice("F2", "C1", date(2025, 5, 1), date(2025, 5, 31), "200.00")
    books.invoice("F3", "C1", date(2025, 5, 1), date(2025, 5, 31), "300.00")
    books.payment("P1", "C1", date(2025, 7, 1), "100.00", {"F1": "100.00"})
    books.dispute("F2", date(2025, 7, 1))
    assert still_eligible(books.data(), POLICY, date(2025, 7, 2), [1, 2, 3]) == {
        1: (0, "no longer open: paid, credited or not posted"),
        2: (20000, "invoice in dispute since 2025-07-01"),
        3: (30000, None),
    }
