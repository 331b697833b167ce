"""The ROI commands: exit codes, JSON, the offline report and its workbook."""

import json
import re
from decimal import Decimal

import openpyxl
import pytest
from typer.testing import CliRunner

from relance.cli import app
from relance.demo.campaign import simulate_campaign
from relance.roi.simulate import CampaignPlan, CampaignTruth
from relance.store.db import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('roi') / 'relance.db'}"
    store = Store(url)
    simulate_campaign(store, CampaignTruth(), CampaignPlan(customers=100), seed=9)
    store.close()
    return url


def test_roi_json(db):
    result = runner.invoke(
        app,
        [
            "roi",
            "--db",
            db,
            "--as-of",
            "2024-12-31",
            "--reps",
            "50",
            "--by",
            "step,channel",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["period"] == {"start": "2024-01-02", "end": "2024-12-31", "days": 365}
    cur = body["currencies"][0]
    assert cur["direct_by"][0]["key"] == {"step": "email_2", "channel": "email"}
    assert Decimal(cur["direct"]["roi"]) > Decimal(cur["incremental"]["roi"])


def test_roi_tables_and_usage_errors(db):
    shown = runner.invoke(
        app, ["roi", "--db", db, "--as-of", "2024-12-31", "--reps", "50"]
    )
    assert shown.exit_code == 0
    assert "attributed, not" in shown.output and "holdouts" in shown.output
    bad = runner.invoke(app, ["roi", "--db", db, "--by", "colour"])
    assert bad.exit_code == 2
    bad = runner.invoke(app, ["roi", "--db", db, "--as-of", "2024-02-30"])
    assert bad.exit_code == 2
    bad = runner.invoke(app, ["roi", "--db", db, "--cost-of-money", "abc"])
    assert bad.exit_code == 2


def test_report_offline_html_and_workbook(db, tmp_path):
    result = runner.invoke(
        app,
        [
            "roi",
            "report",
            "--db",
            db,
            "--as-of",
            "2024-12-31",
            "--reps",
            "50",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "roi.html").read_text(encoding="utf-8")
    assert "<svg" in html and "attributed, not caused" in html and "vs holdouts" in html
    # Offline: nothing is fetched from elsewhere.
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script" not in html
    book = openpyxl.load_workbook(tmp_path / "roi.xlsx")
    assert {"Headline", "By group", "Time to pay", "Treasury", "Payback"} <= set(
        book.sheetnames
    )
    rows = list(book["Headline"].iter_rows(values_only=True))
    figures = {(r[1], r[2]): r[3] for r in rows[1:]}
    js = json.loads(
        runner.invoke(
            app, ["roi", "--db", db, "--as-of", "2024-12-31", "--reps", "50", "--json"]
        ).output
    )
    collected = js["currencies"][0]["direct"]["collected"]
    assert figures[("Direct (attributed, not caused)", "collected")] == pytest.approx(
        float(collected)
    )


def test_whatif_command(db):
    result = runner.invoke(
        app,
        [
            "roi",
            "whatif",
            "--db",
            db,
            "--as-of",
            "2024-12-31",
            "--segment",
            "standard",
            "--move",
            "email_2:5",
            "--reps",
            "20",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert Decimal(body["difference"]["mean_days_to_pay"]["value"]) <= 0
    bad = runner.invoke(
        app, ["roi", "whatif", "--db", db, "--segment", "standard", "--move", "nope"]
    )
    assert bad.exit_code == 2


def test_import_actions_command(db, tmp_path):
    bad = tmp_path / "actions.csv"
    bad.write_text(
        "date,customer_id,channel,step,cost\n2024-05-01,NOBODY,email,e1,0.10\n"
    )
    result = runner.invoke(app, ["import-actions", str(bad), "--db", db])
    assert result.exit_code == 1
    assert "actions.csv:2: customer_id: unknown customer 'NOBODY'" in result.output
    good = tmp_path / "ok.csv"
    good.write_text(
        "date,customer_id,channel,step,cost,holdout\n"
        "2024-05-01,spring-C00001,phone,call,3.50,no\n".replace("spring", "sim")
    )
    result = runner.invoke(app, ["import-actions", str(good), "--db", db])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output
