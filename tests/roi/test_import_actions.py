"""Importing an actions file and a feedback file: checks, idempotence, residuals."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from relance.imports.actions import read_actions
from relance.imports.records import (
    Application,
    CustomerRecord,
    DocumentRecord,
    ImportBatch,
    ImportRejected,
    Origin,
    PaymentRecord,
)
from relance.services.roi_imports import import_actions, import_feedback
from relance.store import models as m
from relance.store.writer import write_batch

ORIGIN = Origin("books.csv", 2)


@pytest.fixture
def books(store):
    """C1 owes F1 1,000.00 (due 1 Feb 2024), 400.00 of it paid 10 Feb; C2 owes F2."""
    batch = ImportBatch(
        source="test",
        customers=[
            CustomerRecord("C1", "Dupont", ORIGIN, segment="smb"),
            CustomerRecord("C2", "Durand", ORIGIN, segment="key"),
        ],
        documents=[
            DocumentRecord(
                "F1",
                "C1",
                date(2024, 1, 2),
                date(2024, 2, 1),
                Decimal("1000.00"),
                "EUR",
                ORIGIN,
            ),
            DocumentRecord(
                "F2",
                "C2",
                date(2024, 1, 2),
                date(2024, 2, 1),
                Decimal("500.00"),
                "EUR",
                ORIGIN,
            ),
        ],
        payments=[
            PaymentRecord(
                "P1",
                None,
                date(2024, 2, 10),
                Decimal("400.00"),
                None,
                ORIGIN,
                (Application("F1", Decimal("400.00")),),
            )
        ],
    )
    with store.transaction() as s:
        write_batch(s, batch)
    return store


def _write(tmp_path: Path, text: str, name: str = "actions.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """date,customer_id,invoice_id,channel,step,cost,holdout,campaign,collector,ref
2024-02-05,C1,F1,email,email_1,0.50,no,winter,alice,
2024-02-20,,F1,phone,call,4.00,no,winter,bob,CALL-7
2024-02-20,C2,,email,email_1,0.50,yes,winter,,
"""


def _count(store, model) -> int:
    with store.transaction() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_import_actions_and_reimport(books, tmp_path):
    """The call of 20 Feb covers F1, open for 1,000 − 400 = 600.00 that day; the
    email of 5 Feb saw all 1,000.00 open. C2's held-out row costs nothing."""
    path = _write(tmp_path, GOOD)
    first = import_actions(books, path)
    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    with books.transaction() as s:
        rows = {a.ref: a for a in s.execute(select(m.Action)).scalars()}
        items = {
            i.step_key: i.residual_minor
            for i in s.execute(select(m.ActionItem)).scalars()
        }
    call = rows["CALL-7"]
    assert (call.channel, call.cost_minor, call.state, call.source, call.segment) == (
        "phone",
        400,
        "sent",
        "import",
        "smb",
    )
    assert items["import:CALL-7"] == 60000
    held = next(a for a in rows.values() if a.holdout)
    assert (held.state, held.cost_minor, held.segment) == ("held_out", 0, "key")
    email_ref = next(
        r for r, a in rows.items() if a.step == "email_1" and not a.holdout
    )
    assert email_ref.startswith("imp-") and items[f"import:{email_ref}"] == 100000

    again = import_actions(books, path)
    assert (again.inserted, again.updated, again.unchanged, again.items) == (0, 0, 3, 0)
    fixed = _write(tmp_path, GOOD.replace("4.00,no,winter,bob", "6.00,no,winter,bob"))
    assert import_actions(books, fixed).updated == 1
    assert _count(books, m.Action) == 3


def test_rows_sharing_a_ref_are_one_action_about_several_invoices(books, tmp_path):
    path = _write(
        tmp_path,
        "ref,date,customer_id,invoice_id,channel,step,cost\n"
        "L1,2024-03-01,C1,F1,letter,letter,2.10\n"
        "L1,2024-03-01,C1,,letter,letter,2.10\n",
    )
    import_actions(books, path)
    assert (_count(books, m.Action), _count(books, m.ActionItem)) == (1, 1)


def test_every_problem_reported_and_nothing_written(books, tmp_path):
    path = _write(
        tmp_path,
        """date,customer_id,invoice_id,channel,step,cost,holdout
2024-13-01,C1,F1,email,email_1,0.50,no
2024-02-05,C9,,fax,email_1,-1,maybe
2024-02-05,C2,F1,email,email_1,0.505,no
2024-02-05,C1,F9,email,email_1,0.50,no
""",
    )
    with pytest.raises(ImportRejected) as caught:
        import_actions(books, path)
    messages = [str(p).replace(str(path), "actions.csv") for p in caught.value.problems]
    assert messages == [
        "actions.csv:2: date: '2024-13-01' is not a date: expected YYYY-MM-DD",
        (
            "actions.csv:3: channel: 'fax' is not a channel: expected one of email, "
            "letter, registered_letter, sms, phone, handover"
        ),
        "actions.csv:3: cost: '-1' is negative: a cost is 0 or more",
        (
            "actions.csv:3: holdout: 'maybe' is not yes or no: "
            "expected yes, no, true, false, 1 or 0"
        ),
        # The rows that read cleanly are checked against the store in the same run.
        "actions.csv:4: invoice_id: the invoice belongs to customer 'C1', not 'C2'",
        "actions.csv:4: cost: '0.505' has more decimals than EUR allows (2)",
        "actions.csv:5: invoice_id: unknown invoice 'F9'",
    ]
    # Without the unreadable rows, the same store problems remain.
    path.write_text(
        "\n".join(path.read_text().splitlines()[:1] + path.read_text().splitlines()[3:])
        + "\n"
    )
    with pytest.raises(ImportRejected) as caught:
        import_actions(books, path)
    messages = [str(p).replace(str(path), "actions.csv") for p in caught.value.problems]
    assert messages == [
        "actions.csv:2: invoice_id: the invoice belongs to customer 'C1', not 'C2'",
        "actions.csv:2: cost: '0.505' has more decimals than EUR allows (2)",
        "actions.csv:3: invoice_id: unknown invoice 'F9'",
    ]
    assert _count(books, m.Action) == 0


def test_missing_columns(tmp_path):
    read = read_actions(_write(tmp_path, "date,channel\n2024-01-01,email\n"))
    assert [str(p) for p in read.problems] == [
        "actions.csv:1: header: missing column(s): step, cost, "
        "customer_id or invoice_id"
    ]


def test_import_scores_and_notes(books, tmp_path):
    scores = _write(
        tmp_path,
        "customer_id,date,kind,score\nC1,2024-03-01,nps,9\nC2,2024-03-01,csat,4\n",
        "scores.csv",
    )
    assert import_feedback(books, scores)[1].inserted == 2
    assert import_feedback(books, scores)[1].unchanged == 2
    notes = _write(
        tmp_path,
        "date,tag,text,customer_id,collector\n"
        "2024-03-02,Tone,Customer found the letter harsh,C1,alice\n",
        "notes.csv",
    )
    layout, written = import_feedback(books, notes)
    assert (layout, written.inserted) == ("notes", 1)
    assert import_feedback(books, notes)[1].unchanged == 1
    assert _count(books, m.TeamNote) == 1


def test_bad_scores(books, tmp_path):
    path = _write(
        tmp_path,
        "customer_id,date,kind,score\nC1,2024-03-01,nps,11\n"
        "C1,2024-03-01,ces,3\nC7,2024-03-01,csat,5\n",
        "scores.csv",
    )
    with pytest.raises(ImportRejected) as caught:
        import_feedback(books, path)
    assert [str(p).replace(str(path), "scores.csv") for p in caught.value.problems] == [
        "scores.csv:2: score: '11' is out of range: nps runs 0 to 10",
        "scores.csv:3: kind: 'ces' is not csat or nps",
        # Checked against the store in the same run (test_found_import_problems...).
        "scores.csv:4: customer_id: unknown customer 'C7'",
    ]
