"""The demo: a generated sample company, imported, measured and reported.

`run_demo` does what `relance demo` (and `make demo`) shows a newcomer:

1. generate the books of the sample company (`relance.demo`, seeded, three years
   ending on the as-of date, 2026-11-30 by default so the output never changes);
2. write them as canonical CSV files in `<out>/company/`;
3. import those files with `relance import`'s own service, into a fresh SQLite
   file `<out>/relance.db` (deleted and recreated on each run) unless a database
   URL is given (credit notes name the invoice they settle in `applies_to`);
4. run a simulated reminder campaign with a holdout group on the sample company's
   own customers, with a known true effect (`DEMO_CAMPAIGN_TRUTH`): its invoices,
   payments and actions are written into the store like any other;
5. compute the figures as of the end date over the last 12 months;
6. write the HTML report to `<out>/report.html`, and the ROI of the campaign
   (direct and incremental, with its interval) to `<out>/roi/roi.html` and
   `<out>/roi/roi.xlsx`.

The service returns what it did; printing is the CLI's job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from relance.demo.export import CANONICAL_FILES, write_company
from relance.demo.generator import DEMO_AS_OF, DEMO_CUSTOMERS, DEMO_SEED, generate_books
from relance.demo.simulation import DemoBooks, ReminderEffect
from relance.services.figures import compute_figures
from relance.services.importing import ImportResult, import_paths
from relance.services.report import write_report
from relance.store.db import Store

DEMO_MONTHS = 12
DEMO_CAMPAIGN_NAME = "demo-campaign"
# The campaign's true effect: contacted customers pay 25 points more often within
# the window, 7 days sooner. The ROI report must find it back within its interval.
DEMO_CAMPAIGN_UPLIFT = 0.25
DEMO_CAMPAIGN_DAYS_SOONER = 7
DEMO_CAMPAIGN_DAYS = 120  # the campaign starts this many days before the as-of date
REPORT_FILE = "report.html"
DATABASE_FILE = "relance.db"

Step = Callable[[str], None]


@dataclass
class DemoResult:
    """What the demo wrote and measured."""

    out: Path
    as_of: date
    seed: int
    database_url: str  # as shown to people: any password hidden
    files: list[Path]
    counts: dict[str, int]
    imported: ImportResult
    books: DemoBooks | None = None
    figures: list[Any] = field(default_factory=list)  # CurrencyFigures, per currency
    report: Path | None = None
    campaign: Any = None  # relance.demo.campaign.CampaignWritten
    roi_report: Path | None = None


def run_demo(
    out: Path,
    *,
    as_of: date = DEMO_AS_OF,
    seed: int = DEMO_SEED,
    customers: int = DEMO_CUSTOMERS,
    database_url: str | None = None,
    effect: ReminderEffect | None = None,
    lang: str | None = None,
    step: Step | None = None,
    campaign: bool = True,
) -> DemoResult:
    """Generate, import, measure and report the sample company (see module doc).

    `effect` makes the generated customers answer reminders by a known amount
    (see `relance.demo.simulation.ReminderEffect`); the books, with their reminder
    log, are returned in `DemoResult.books`. `lang` is the report's language
    (the report's default when None). `campaign=False` leaves out step 4.
    """
    say = step or (lambda _label: None)
    out.mkdir(parents=True, exist_ok=True)

    say("generating the sample company")
    books = generate_books(seed, customers, end=as_of, effect=effect)
    say("writing the canonical CSV files")
    files = write_company(books, out / "company")

    url = database_url or _fresh_sqlite(out / DATABASE_FILE)
    store = Store(url)
    shown = store.engine.url.render_as_string(hide_password=True)
    try:
        say("importing the CSV files")
        imported = import_company(store, out / "company")
        result = DemoResult(
            out=out,
            as_of=as_of,
            seed=seed,
            database_url=shown,
            files=files,
            counts=_counts(books),
            books=books,
            imported=imported,
        )
        if campaign:
            say("simulating a reminder campaign with a holdout group")
            _campaign(store, result, customers)
        say("computing the figures")
        _figures(store, result)
        say("writing the report")
        _report(store, result, lang)
        if campaign:
            say("measuring the campaign's return")
            _roi(store, result)
    finally:
        store.close()
    return result


def _fresh_sqlite(path: Path) -> str:
    """The URL of a new, empty SQLite file at `path` (an old one is deleted)."""
    path.unlink(missing_ok=True)
    return f"sqlite:///{path.resolve()}"


def _counts(books: DemoBooks) -> dict[str, int]:
    docs = books.documents
    return {
        "customers": books.customers.height,
        "invoices": int((docs["kind"] == "invoice").sum()),
        "credit_notes": int((docs["kind"] == "credit_note").sum()),
        "payments": books.payments.height,
        "writeoffs": books.writeoffs.height,
    }


def import_company(store: Store, folder: Path) -> ImportResult:
    """Import the canonical files of `folder`, as `relance import` would."""
    return import_paths(store, [folder / name for name in CANONICAL_FILES])


def _campaign(store: Store, result: DemoResult, customers: int) -> None:
    # Imported here: the ROI parts pull in statistics libraries.
    from relance.demo.campaign import simulate_campaign
    from relance.roi.simulate import CampaignPlan, CampaignTruth

    result.campaign = simulate_campaign(
        store,
        CampaignTruth(
            uplift=DEMO_CAMPAIGN_UPLIFT, days_sooner=DEMO_CAMPAIGN_DAYS_SOONER
        ),
        CampaignPlan(
            start=result.as_of - timedelta(days=DEMO_CAMPAIGN_DAYS),
            campaign=DEMO_CAMPAIGN_NAME,
        ),
        seed=result.seed,
        existing_customers=customers,
    )


def _roi(store: Store, result: DemoResult) -> None:
    from relance.report.roi import write_roi_report
    from relance.services.roi import RoiOptions, roi

    measured = roi(store, RoiOptions(as_of=result.as_of, by=("campaign", "step")))
    result.roi_report, _ = write_roi_report(measured, result.out / "roi")


def _figures(store: Store, result: DemoResult) -> None:
    result.figures = list(compute_figures(store, result.as_of, months=DEMO_MONTHS))


def _report(store: Store, result: DemoResult, lang: str | None) -> None:
    path = result.out / REPORT_FILE
    if lang is None:
        write_report(store, result.as_of, path, months=DEMO_MONTHS)
    else:
        write_report(store, result.as_of, path, lang=lang, months=DEMO_MONTHS)
    result.report = path
