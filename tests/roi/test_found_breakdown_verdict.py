"""Found: per segment, the uplift of a handful of customers read as a fact.

`relance roi --by segment` on the demo printed, per segment, the uplift and the
incremental ROI with no interval and no warning (Export: 26.5 %, Grand compte:
16.7 %) though each held out only about fifteen customers, fewer than the 30 per
group docs/roi.md asks before concluding; the warnings were printed for the total
only. The report said "inconclusive" without saying why.

Worked by hand, two segments, one invoice of 100.00 per customer:
- "big": 40 contacted customers (1–40), the even ones paid in the window (20),
  40 held out (41–80), the multiples of 4 paid (10): rates 0.5 and 0.25, uplift
  25 points, both groups ≥ 30;
- "tiny": 3 contacted (81–83) all paid, 2 held out (84, 85) none paid: uplift
  100 points, but 3 and 2 customers: too few to conclude whatever the interval.
Every row must carry its verdict: "tiny" says "too few customers to conclude
(3 contacted / 2 held out)" in the terminal table, the report and the workbook.
"""

from datetime import date

import openpyxl
import polars as pl

from relance.cli.common import console
from relance.cli.roi import print_roi
from relance.demo.campaign import simulate_campaign
from relance.report.roi import write_roi_report
from relance.roi.incremental import incremental_return
from relance.roi.simulate import CampaignPlan, CampaignTruth
from relance.services.roi import RoiOptions, roi


def _table() -> pl.DataFrame:
    rows = []

    def add(segment, customer, group, paid):
        rows.append(
            {
                "segment": segment,
                "currency": "EUR",
                "group": group,
                "customer_id": customer,
                "stake": 10000,
                "collected": 10000 if paid else 0,
                "invoices": 1,
                "paid": int(paid),
                "cost": 100 if group == "contacted" else 0,
            }
        )

    for c in range(1, 41):
        add("big", c, "contacted", c % 2 == 0)
    for c in range(41, 81):
        add("big", c, "held_out", c % 4 == 0)
    for c in range(81, 84):
        add("tiny", c, "contacted", True)
    for c in (84, 85):
        add("tiny", c, "held_out", False)
    return pl.DataFrame(rows)


TINY = "too few customers to conclude (3 contacted / 2 held out)"


def test_each_breakdown_row_has_its_verdict():
    big, tiny = incremental_return(_table(), ["segment"], reps=200, seed=0)
    assert big.key == {"segment": "big"} and str(big.uplift_amount) == "0.25"
    assert big.verdict == "effect shown"
    assert tiny.key == {"segment": "tiny"} and tiny.uplift_amount == 1
    assert tiny.verdict == TINY


def test_verdict_in_terminal_report_and_workbook(store, tmp_path, capsys, monkeypatch):
    """A simulated campaign on 8 customers: whatever the draw, fewer than 30 per
    group, so the segment's row must say so everywhere it is shown."""
    simulate_campaign(
        store, CampaignTruth(), CampaignPlan(customers=8, segment="tiny"), seed=1
    )
    result = roi(store, RoiOptions(as_of=date(2024, 12, 31), by=("segment",), reps=50))
    (row,) = result.currencies[0].incremental_by
    assert row.key == {"segment": "tiny"}
    assert row.verdict.startswith("too few customers to conclude")
    # Wide enough that the verdict is not folded over several lines.
    monkeypatch.setattr(console, "_width", 250)
    print_roi(result)
    out = " ".join(capsys.readouterr().out.split())
    assert "too few customers to conclude" in out
    html, xlsx = write_roi_report(result, tmp_path)
    assert row.verdict in html.read_text()
    sheet = openpyxl.load_workbook(xlsx)["By group"]
    assert row.verdict in [r[-1] for r in sheet.iter_rows(values_only=True)]
