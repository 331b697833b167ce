"""The ROI report for the finance committee: `roi.html` (offline) and `roi.xlsx`.

Contracts:
- the HTML file is self-contained: inline CSS and inline SVG charts, no script and
  no link to anything outside the file; it opens offline;
- the workbook holds the same tables, one sheet per section, amounts as numbers
  with two decimals (a spreadsheet cell is a binary float: the exact figures are
  in `relance roi --json`);
- numbers are written for the reader's locale with Babel (French by default:
  `12 345,67 €`); every section says whether it is measured against holdouts,
  attributed, or a before/after comparison (not causal).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from babel.numbers import format_currency, format_decimal, format_percent
from jinja2 import Environment, FileSystemLoader, select_autoescape

from relance.report.roi_charts import interval_bars, payback_chart, survival_chart
from relance.roi.attribution import LABEL as ATTRIBUTED
from relance.roi.before_after import NOT_CAUSAL
from relance.roi.treasury import ONE_OFF_NOTE
from relance.services.roi import CurrencyRoi, RoiResult

HTML_FILE = "roi.html"
XLSX_FILE = "roi.xlsx"
_TEMPLATES = Path(__file__).with_name("templates")


class Formats:
    """Babel formatting for one locale; None is written as an em dash."""

    def __init__(self, locale: str) -> None:
        self.locale = locale

    def money(self, value: Decimal | None, currency: str) -> str:
        if value is None:
            return "—"
        return str(format_currency(value, currency, locale=self.locale))

    def rate(self, value: Decimal | None) -> str:
        if value is None:
            return "—"
        return str(format_percent(value, "#,##0.0 %", locale=self.locale))

    def number(self, value: Decimal | float | None, places: int = 2) -> str:
        if value is None:
            return "—"
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return str(format_decimal(value, pattern, locale=self.locale))


def _charts(cur: CurrencyRoi) -> dict[str, str]:
    """The SVG charts of one currency."""
    charts: dict[str, str] = {}
    d, i = cur.direct, cur.incremental
    if d is not None:
        rows: list[tuple[str, float, float | None, float | None]] = [
            ("Direct: collected after", float(d.collected), None, None)
        ]
        if i is not None and i.incremental_amount is not None:
            ci = i.incremental_amount_ci
            rows.append(
                (
                    "Incremental: caused",
                    float(i.incremental_amount),
                    None if ci is None else float(ci.low),
                    None if ci is None else float(ci.high),
                )
            )
        rows.append(("Cost of the actions", float(d.cost), None, None))
        charts["headline"] = interval_bars(
            rows, f"Direct and incremental return ({cur.currency})", f" {cur.currency}"
        )
    ttp = cur.time_to_pay
    if ttp is not None:
        for name, curves in (
            ("by_group", ttp.by_group),
            ("by_step", ttp.by_step),
            ("by_segment", ttp.by_segment),
        ):
            if curves:
                charts[f"survival_{name}"] = survival_chart(
                    [
                        (c.label, c.timeline, c.unpaid_share, c.band_low, c.band_high)
                        for c in curves
                    ],
                    curves[0].horizon,
                    f"Share still unpaid, {name.replace('_', ' ')}",
                )
    p = cur.payback
    charts["payback"] = payback_chart(
        float(p.setup_cost),
        float(p.monthly_net),
        36,
        "Cumulated net benefit over 36 months",
    )
    return charts


def render_html(result: RoiResult, locale: str = "fr") -> str:
    """The report as one self-contained HTML page."""
    env = Environment(
        loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html"])
    )
    template = env.get_template("roi.html")
    return template.render(
        result=result,
        sections=[(cur, _charts(cur)) for cur in result.currencies],
        f=Formats(locale),
        attributed=ATTRIBUTED,
        not_causal=NOT_CAUSAL,
        one_off=ONE_OFF_NOTE,
    )


# --- workbook ---------------------------------------------------------------------


def _sheet(
    book: Any, name: str, header: list[str], rows: list[list[Any]], fmt: Any
) -> None:
    sheet = book.add_worksheet(name[:31])
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, header, bold)
    for n, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, Decimal):
                sheet.write_number(n, col, float(value), fmt)
            elif value is None:
                sheet.write_blank(n, col, None)
            else:
                sheet.write(n, col, value)
    sheet.set_column(0, len(header) - 1, 18)


def _headline_rows(cur: CurrencyRoi) -> list[list[Any]]:
    d, i = cur.direct, cur.incremental
    rows: list[list[Any]] = []
    if d is not None:
        rows += [
            ["Direct (attributed, not caused)", "cost", d.cost, None, None],
            ["Direct (attributed, not caused)", "collected", d.collected, None, None],
            ["Direct (attributed, not caused)", "ROI", d.roi, None, None],
        ]
    if i is not None:

        def ci(iv: Any) -> list[Any]:
            return [None, None] if iv is None else [iv.low, iv.high]

        rows += [
            [
                "Incremental (vs holdouts)",
                "uplift by amount",
                i.uplift_amount,
                *ci(i.uplift_amount_ci),
            ],
            [
                "Incremental (vs holdouts)",
                "uplift by count",
                i.uplift_count,
                *ci(i.uplift_count_ci),
            ],
            [
                "Incremental (vs holdouts)",
                "incremental amount",
                i.incremental_amount,
                *ci(i.incremental_amount_ci),
            ],
            ["Incremental (vs holdouts)", "ROI", i.roi, *ci(i.roi_ci)],
            [
                "Incremental (vs holdouts)",
                "customers contacted",
                Decimal(i.contacted.customers),
                None,
                None,
            ],
            [
                "Incremental (vs holdouts)",
                "customers held out",
                Decimal(i.held_out.customers),
                None,
                None,
            ],
        ]
    return [[cur.currency, *r] for r in rows]


def write_xlsx(result: RoiResult, path: Path) -> None:
    """The same tables as the HTML report, one sheet per section."""
    book = xlsxwriter.Workbook(str(path))
    fmt = book.add_format({"num_format": "#,##0.00"})
    curs = result.currencies
    _sheet(
        book,
        "Headline",
        ["currency", "measure", "figure", "value", "low 95%", "high 95%"],
        [r for cur in curs for r in _headline_rows(cur)],
        fmt,
    )
    _sheet(
        book,
        "By group",
        [
            "currency",
            "group",
            "actions",
            "cost",
            "direct collected",
            "uplift amount",
            "uplift low",
            "uplift high",
            "incremental ROI",
            "verdict",
        ],
        [
            [
                cur.currency,
                " / ".join(d.key.values()),
                d.actions,
                d.cost,
                d.collected,
                *(_inc_row(cur, d.key)),
            ]
            for cur in curs
            for d in cur.direct_by
        ],
        fmt,
    )
    _sheet(
        book,
        "Time to pay",
        [
            "currency",
            "curve",
            "invoices",
            "paid",
            "median days",
            "median low",
            "median high",
            "mean days (restricted)",
        ],
        [
            [
                cur.currency,
                kind + ": " + c.label,
                c.invoices,
                c.paid,
                c.median_days,
                c.median_low,
                c.median_high,
                c.mean_days,
            ]
            for cur in curs
            if cur.time_to_pay
            for kind, curves in (
                ("group", cur.time_to_pay.by_group),
                ("step", cur.time_to_pay.by_step),
                ("segment", cur.time_to_pay.by_segment),
            )
            for c in curves
        ],
        fmt,
    )
    _sheet(
        book,
        "Treasury",
        [
            "currency",
            "source",
            "days gained",
            "sales or amount",
            "period days",
            "cash released (once)",
            "rate",
            "financing value a year",
        ],
        [
            [
                cur.currency,
                label,
                g.days_gained,
                g.sales,
                g.period_days,
                g.cash_released,
                g.annual_rate,
                g.financing_value_per_year,
            ]
            for cur in curs
            for label, g in (
                ("measured vs holdouts", cur.treasury_measured),
                ("DSO change (not causal)", cur.treasury_dso),
            )
            if g is not None
        ],
        fmt,
    )
    _sheet(
        book,
        "Bad debt",
        ["currency", "period", "start", "end", "sales", "write-offs", "ratio"],
        [
            [
                cur.currency,
                label,
                p.start.isoformat(),
                p.end.isoformat(),
                p.sales,
                p.writeoffs,
                p.ratio,
            ]
            for cur in curs
            for label, p in (
                ("before", cur.bad_debt_before),
                ("period", cur.bad_debt_after),
            )
        ],
        fmt,
    )
    _sheet(
        book,
        "Payback",
        [
            "currency",
            "set-up",
            "monthly cost",
            "monthly benefit",
            "break-even month",
            "ROI 12 months",
            "ROI 36 months",
        ],
        [
            [
                cur.currency,
                cur.payback.setup_cost,
                cur.payback.monthly_cost,
                cur.payback.monthly_benefit,
                cur.payback.break_even_month,
                cur.payback.roi_12_months,
                cur.payback.roi_36_months,
            ]
            for cur in curs
        ],
        fmt,
    )
    _sheet(
        book,
        "Before-after",
        ["currency", "figure", "before", "period", "change"],
        [
            [
                cur.currency,
                name,
                _plain(getattr(cur.before_after.before, name)),
                _plain(getattr(cur.before_after.after, name)),
                change,
            ]
            for cur in curs
            for name, change in cur.before_after.changes.items()
        ],
        fmt,
    )
    _sheet(
        book,
        "Team",
        [
            "currency",
            "collector",
            "actions",
            "calls",
            "cost",
            "collected after",
            "promises",
            "kept rate",
            "disputes resolved",
            "mean days to resolve",
            "disputes open",
        ],
        [
            [
                cur.currency,
                t.collector,
                t.actions,
                t.calls,
                t.cost,
                t.collected_after,
                t.promises,
                t.kept_rate,
                t.disputes_resolved,
                t.days_to_resolve_mean,
                t.disputes_open,
            ]
            for cur in curs
            for t in cur.team
        ],
        fmt,
    )
    _sheet(
        book,
        "Satisfaction",
        [
            "currency",
            "by",
            "name",
            "customers",
            "reminders per customer",
            "strong share",
            "CSAT rate",
            "NPS",
            "responses",
        ],
        [
            [
                cur.currency,
                by,
                s.name,
                s.customers,
                s.reminders_per_customer,
                s.strong_share,
                s.csat_rate,
                s.nps,
                s.csat_responses + s.nps_responses,
            ]
            for cur in curs
            for by, rows in (
                ("segment", cur.satisfaction),
                ("reminders received", cur.satisfaction_by_intensity),
            )
            for s in rows
        ],
        fmt,
    )
    book.close()


def _plain(value: Any) -> Any:
    return Decimal(value) if isinstance(value, int) else value


def _inc_row(cur: CurrencyRoi, key: dict[str, str]) -> list[Any]:
    for i in cur.incremental_by:
        if i.key == key:
            ci = i.uplift_amount_ci
            return [
                i.uplift_amount,
                None if ci is None else ci.low,
                None if ci is None else ci.high,
                i.roi,
                i.verdict,
            ]
    return [None, None, None, None, "no holdout: not measured"]


def write_roi_report(
    result: RoiResult, out: Path, locale: str = "fr"
) -> tuple[Path, Path]:
    """Write roi.html and roi.xlsx into `out` (created if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    html = out / HTML_FILE
    html.write_text(render_html(result, locale), encoding="utf-8")
    xlsx = out / XLSX_FILE
    write_xlsx(result, xlsx)
    return html, xlsx
