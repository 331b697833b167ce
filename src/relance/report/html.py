"""The report as one self-contained HTML page: figures, charts and lists.

`render_report(ledger, figures, lang)` turns the figures of each currency
(`relance.figures.summary.CurrencyFigures`) and the ledger they come from into
HTML. Contracts:

- one section per currency, in the figures' order (sorted by code); amounts
  of different currencies are never added, not even in a total;
- everything the page needs is inside it: the CSS in a `<style>` element,
  charts as inline SVG (`relance.report.charts`), no script, no font, image or
  stylesheet to fetch; it opens offline and prints;
- every number is written by `relance.formatting` in the reader's language
  (`fr` by default, or `en`); figures are rounded only there, for display, and
  a figure that cannot be measured is written `—`;
- the Jinja2 templates (`templates/`) autoescape: customer names and references
  from the books are text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import cast

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from relance.domain.ledger import Ledger
from relance.domain.money import from_minor, minor_digits
from relance.figures.aging import BUCKETS
from relance.figures.delays import BANDS
from relance.figures.period import month_index
from relance.figures.recovery import share
from relance.figures.summary import CurrencyFigures
from relance.formatting import (
    MISSING,
    format_compact_amount,
    format_date,
    format_days,
    format_minor,
    format_month,
    format_number,
    format_percent,
)
from relance.report.charts import Bar, Series, bar_chart, line_chart
from relance.report.disputed import DISPUTED_SHOWN, disputed_items
from relance.report.lateness import TOP_CUSTOMERS, lateness_costs
from relance.report.messages import DEFAULT_LANGUAGE, LANGUAGES, counted, message

TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True)
class Headline:
    """One headline figure: what it is, its written value, an optional note."""

    key: str
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class HeadlineGroup:
    title: str
    figures: list[Headline]


@dataclass(frozen=True)
class Table:
    """A table of written cells; `numeric` tells which columns align right."""

    head: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    foot: list[str] | None = None


@dataclass(frozen=True)
class CurrencySection:
    """Everything the page shows for one currency, written for the reader."""

    currency: str
    anchor: str
    period: str
    headlines: list[HeadlineGroup]
    dso_chart: Markup
    dso_note: str
    dso_table: Table
    aging_chart: Markup
    aging_table: Table
    count_chart: Markup
    amount_chart: Markup
    delays_table: Table
    top_title: str
    top_note: str
    top_table: Table | None
    disputed_summary: str
    disputed_table: Table | None
    disputed_more: str = ""


class Writer:
    """The formatting functions of one language, bound to one currency."""

    def __init__(self, lang: str, currency: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown report language {lang!r}: expected fr or en")
        self.lang = lang
        self.currency = currency

    def t(self, key: str, **values: object) -> str:
        return message(key, self.lang, **values)

    def tn(self, key: str, count: int, **values: object) -> str:
        """A message about `count` things, singular when there is one."""
        return counted(key, count, self.lang, **values)

    def cash(self, minor: int) -> str:
        return format_minor(minor, self.currency, self.lang)

    def compact(self, major: float) -> str:
        return format_compact_amount(Decimal(repr(major)), self.currency, self.lang)

    def days(self, value: Decimal | None, digits: int = 1) -> str:
        return format_days(value, self.lang, digits)

    def pct(self, fraction: Decimal | None) -> str:
        return format_percent(fraction, self.lang)

    def num(self, value: Decimal | int | None, digits: int = 0) -> str:
        return format_number(value, self.lang, digits)

    def day(self, value: date | None) -> str:
        return format_date(value, self.lang, "medium")


def _major(minor: int | Decimal, currency: str) -> Decimal:
    """Minor units (or minor units × days) in the currency's major unit."""
    return Decimal(int(minor)).scaleb(-minor_digits(currency))


def _float(value: Decimal | None) -> float | None:
    # Only chart geometry goes through floats.
    return None if value is None else float(value)


def _headlines(fig: CurrencyFigures, w: Writer) -> list[HeadlineGroup]:
    ar, rec, dl, disp = fig.receivables, fig.recovery, fig.delays, fig.disputes
    of_ar = partial(_share_note, w, ar.total)
    return [
        HeadlineGroup(
            w.t("group_receivables"),
            [
                Headline("receivables", w.t("receivables"), w.cash(ar.total)),
                Headline(
                    "overdue", w.t("overdue"), w.cash(ar.overdue), of_ar(ar.overdue)
                ),
                Headline(
                    "not_due", w.t("not_due"), w.cash(ar.not_due), of_ar(ar.not_due)
                ),
                Headline("unapplied", w.t("unapplied"), w.cash(ar.unapplied)),
                Headline(
                    "disputed", w.t("disputed"), w.cash(disp.amount), of_ar(disp.amount)
                ),
                Headline("sales", w.t("sales"), w.cash(fig.sales)),
            ],
        ),
        HeadlineGroup(
            w.t("group_dso"),
            [
                Headline(
                    "dso_accounting", w.t("dso_accounting"), w.days(fig.dso_accounting)
                ),
                Headline(
                    "dso_countback", w.t("dso_countback"), w.days(fig.dso_countback)
                ),
                Headline(
                    "best_possible", w.t("best_possible"), w.days(fig.best_possible)
                ),
                Headline(
                    "days_delinquent",
                    w.t("days_delinquent"),
                    w.days(fig.days_delinquent),
                    w.t("days_delinquent_note"),
                ),
            ],
        ),
        HeadlineGroup(
            w.t("group_recovery"),
            [
                Headline(
                    "cei", w.t("cei"), w.pct(None if fig.cei is None else fig.cei / 100)
                ),
                Headline(
                    "cohort_rate",
                    w.t("cohort_rate"),
                    w.pct(rec.cohort_rate),
                    w.t(
                        "cohort_note",
                        collected=w.cash(rec.opening_collections),
                        stock=w.cash(rec.opening_overdue),
                    ),
                ),
                Headline(
                    "period_rate",
                    w.t("period_rate"),
                    w.pct(rec.period_rate),
                    w.t(
                        "period_rate_note",
                        collected=w.cash(rec.overdue_collections),
                        stock=w.cash(rec.opening_overdue + rec.new_overdue),
                    ),
                ),
                Headline("write_offs", w.t("write_offs"), w.cash(rec.write_offs)),
                Headline(
                    "bad_debt_ratio", w.t("bad_debt_ratio"), w.pct(rec.bad_debt_ratio)
                ),
            ],
        ),
        HeadlineGroup(
            w.t("group_delays"),
            [
                Headline("days_to_pay", w.t("days_to_pay"), w.days(dl.days_to_pay)),
                Headline(
                    "days_beyond_terms",
                    w.t("days_beyond_terms"),
                    w.days(dl.days_beyond_terms),
                ),
                Headline(
                    "days_late",
                    w.t("days_late"),
                    w.days(dl.days_late),
                    w.tn("weighted_note", dl.payments, payments=w.num(dl.payments))
                    if dl.payments
                    else "",
                ),
                Headline(
                    "on_time_count", w.t("on_time_count"), w.pct(dl.on_time_rate_count)
                ),
                Headline(
                    "on_time_amount",
                    w.t("on_time_amount"),
                    w.pct(dl.on_time_rate_amount),
                ),
            ],
        ),
    ]


def _share_note(w: Writer, whole: int, part: int) -> str:
    part_share = share(part, whole)
    return (
        ""
        if part_share is None
        else w.t("share_of_receivables", share=w.pct(part_share))
    )


def _history(fig: CurrencyFigures, book: Ledger) -> tuple[list[bool], list[bool]]:
    """Per trend point: has the book started, and is the point's window complete?

    Before the first posted document there is nothing to measure (a count-back
    DSO of 0 would be noise). A window that begins before the month of that
    document holds only part of its sales: an accounting DSO over it would be
    inflated.
    """
    issued = book.documents.get_column("issue_date")
    if issued.len() == 0:
        return [False] * len(fig.trend), [False] * len(fig.trend)
    first = cast(date, issued.min())
    started = [p.as_of >= first for p in fig.trend]
    complete = [month_index(p.period.start) >= month_index(first) for p in fig.trend]
    return started, complete


def _dso_trend(
    fig: CurrencyFigures, book: Ledger, w: Writer, months: int
) -> tuple[Markup, str, Table]:
    points = fig.trend
    started, complete = _history(fig, book)
    labels = [format_month(p.as_of, w.lang) for p in points]

    def kept(values: list[Decimal | None], keep: list[bool]) -> list[Decimal | None]:
        return [v if ok else None for v, ok in zip(values, keep, strict=True)]

    accounting = kept([p.dso_accounting for p in points], complete)
    best = kept([p.best_possible for p in points], complete)
    delinquent = kept([p.days_delinquent for p in points], complete)
    countback = kept([p.dso_countback for p in points], started)
    lines = [
        ("dso_accounting", "s1", accounting),
        ("dso_countback", "s2", countback),
        ("best_possible", "s3 dashed", best),
    ]
    series = [
        Series(
            w.t(key), [_float(v) for v in values], style, [w.days(v) for v in values]
        )
        for key, style, values in lines
    ]
    chart = line_chart(
        labels,
        series,
        title=w.t("dso_trend"),
        tick=lambda v: w.days(Decimal(repr(v)), 0),
        width=1100,
        height=320,
    )
    note = w.t("dso_trend_note", day=w.day(fig.as_of), months=months)
    if not all(complete) and any(complete):
        month = labels[complete.index(True)]
        note += " " + w.t("dso_partial_note", month=month, months=months)
    table = Table(
        head=[
            w.t("month"),
            w.t("dso_accounting"),
            w.t("dso_countback"),
            w.t("best_possible"),
            w.t("days_delinquent"),
            w.t("cei"),
            w.t("receivables"),
            w.t("overdue"),
        ],
        rows=[
            [
                labels[i],
                w.days(accounting[i]),
                w.days(countback[i]),
                w.days(best[i]),
                w.days(delinquent[i]),
                w.pct(None if p.cei is None else p.cei / 100),
                w.cash(p.receivables),
                w.cash(p.overdue),
            ]
            for i, p in enumerate(points)
        ],
        numeric=[False] + [True] * 7,
    )
    return Markup(chart), note, table


def _aging(fig: CurrencyFigures, w: Writer) -> tuple[Markup, Table]:
    ar = fig.receivables
    labels = {name: w.t(f"bucket_{name}") for name in BUCKETS}
    bars = []
    for name in BUCKETS:
        major = float(from_minor(ar.aging[name], w.currency))
        bars.append(Bar(labels[name], major, w.compact(major)))
    chart = bar_chart(bars, title=w.t("aging"), tick=w.compact, width=760)
    table = Table(
        head=[w.t("bucket"), w.t("amount"), w.t("share")],
        rows=[
            [
                labels[name],
                w.cash(ar.aging[name]),
                w.pct(share(ar.aging[name], ar.total)),
            ]
            for name in BUCKETS
        ],
        numeric=[False, True, True],
        foot=[w.t("receivables"), w.cash(ar.total), w.pct(share(ar.total, ar.total))],
    )
    return Markup(chart), table


def _distribution(fig: CurrencyFigures, w: Writer) -> tuple[Markup, Markup, Table]:
    dist = fig.delays.distribution
    labels = {band: w.t(f"band_{band}") for band in BANDS}
    counts = [Bar(labels[b], float(dist[b][0]), w.num(dist[b][0])) for b in BANDS]
    amounts = []
    for band in BANDS:
        major = float(from_minor(dist[band][1], w.currency))
        amounts.append(Bar(labels[band], major, w.compact(major)))
    count_chart = bar_chart(
        counts,
        title=f"{w.t('distribution')} — {w.t('by_count')}",
        tick=lambda v: w.num(Decimal(repr(v))),
        width=520,
        whole=True,
    )
    amount_chart = bar_chart(
        amounts,
        title=f"{w.t('distribution')} — {w.t('by_amount')}",
        tick=w.compact,
        width=520,
    )
    total_n, total_amount = fig.delays.payments, fig.delays.amount
    table = Table(
        head=[w.t("band"), w.t("count"), w.t("share"), w.t("amount"), w.t("share")],
        rows=[
            [
                labels[band],
                w.num(dist[band][0]),
                w.pct(share(dist[band][0], total_n)),
                w.cash(dist[band][1]),
                w.pct(share(dist[band][1], total_amount)),
            ]
            for band in BANDS
        ],
        numeric=[False, True, True, True, True],
        foot=[
            w.t("total"),
            w.num(total_n),
            w.pct(share(total_n, total_n)),
            w.cash(total_amount),
            w.pct(share(total_amount, total_amount)),
        ],
    )
    return Markup(count_chart), Markup(amount_chart), table


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    return None if denominator == 0 else Decimal(numerator) / Decimal(denominator)


def _top_customers(ledger: Ledger, fig: CurrencyFigures, w: Writer) -> Table | None:
    costs = lateness_costs(ledger, fig.period, limit=None)
    if costs.height == 0:
        return None
    total = int(costs.get_column("cost").sum())
    rows = []
    for rank, row in enumerate(costs.head(TOP_CUSTOMERS).iter_rows(named=True), 1):
        rows.append(
            [
                w.num(rank),
                _customer(row["name"], row["customer_ref"]),
                w.cash(row["overdue"]),
                w.days(_ratio(row["open_cost"], row["overdue"])),
                w.cash(row["paid"]),
                w.days(_ratio(row["paid_cost"], row["paid"])),
                w.num(_major(row["cost"], w.currency)),
                w.pct(share(row["cost"], total)),
            ]
        )
    head = [
        w.t("rank"),
        w.t("customer"),
        w.t("overdue_invoices"),
        w.t("overdue_age"),
        w.t("paid_in_period"),
        w.t("days_late"),
        w.t("cost", currency=w.currency),
        w.t("share_of_cost"),
    ]
    foot = ["", w.t("total"), "", "", "", "", w.num(_major(total, w.currency)), ""]
    return Table(head, rows, [True, False] + [True] * 6, foot)


def _customer(name: str | None, ref: str) -> str:
    return ref if not name else f"{name} ({ref})"


def _disputed(
    ledger: Ledger, fig: CurrencyFigures, w: Writer
) -> tuple[str, Table | None, str]:
    disp = fig.disputes
    if disp.items == 0:
        return w.t("no_disputes"), None, ""
    summary = w.tn(
        "disputed_summary",
        disp.items,
        items=w.num(disp.items),
        amount=w.cash(disp.amount),
        share=w.pct(disp.share),
    )
    items = disputed_items(ledger, fig.as_of)
    rows = [
        [
            row["ref"],
            _customer(row["name"], row["customer_ref"]),
            w.day(row["issue_date"]),
            w.day(row["due_date"]),
            w.cash(row["amount"]),
            w.cash(row["residual"]),
            w.num(row["days_past_due"])
            if row["days_past_due"] > 0
            else w.t("bucket_not_due"),
        ]
        for row in items.head(DISPUTED_SHOWN).iter_rows(named=True)
    ]
    table = Table(
        head=[
            w.t("document"),
            w.t("customer"),
            w.t("issue_date"),
            w.t("due_date"),
            w.t("original_amount"),
            w.t("residual"),
            w.t("days_past_due"),
        ],
        rows=rows,
        numeric=[False, False, True, True, True, True, True],
    )
    more = items.height - len(rows)
    note = w.tn("disputed_more", more, more=w.num(more)) if more > 0 else ""
    return summary, table, note


def currency_section(
    ledger: Ledger, fig: CurrencyFigures, lang: str, months: int
) -> CurrencySection:
    """The written content of one currency's section.

    `ledger` is the whole book (it is restricted to `fig.currency` here);
    `months` is the window each trend point was measured over.
    """
    w = Writer(lang, fig.currency)
    book = ledger.in_currency(fig.currency)
    dso_chart, dso_note, dso_table = _dso_trend(fig, book, w, months)
    aging_chart, aging_table = _aging(fig, w)
    count_chart, amount_chart, delays_table = _distribution(fig, w)
    summary, disputed_table, more = _disputed(book, fig, w)
    period = w.t(
        "period",
        start=w.day(fig.period.start),
        end=w.day(fig.period.end),
        days=w.num(fig.period.days),
    )
    return CurrencySection(
        currency=fig.currency,
        anchor=f"currency-{fig.currency}",
        period=period,
        headlines=_headlines(fig, w),
        dso_chart=dso_chart,
        dso_note=dso_note,
        dso_table=dso_table,
        aging_chart=aging_chart,
        aging_table=aging_table,
        count_chart=count_chart,
        amount_chart=amount_chart,
        delays_table=delays_table,
        top_title=w.t("top_customers", count=TOP_CUSTOMERS),
        top_note=w.t("top_note", day=w.day(fig.as_of), currency=fig.currency),
        top_table=_top_customers(book, fig, w),
        disputed_summary=summary,
        disputed_table=disputed_table,
        disputed_more=more,
    )


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report(
    ledger: Ledger,
    figures: list[CurrencyFigures],
    as_of: date,
    lang: str = DEFAULT_LANGUAGE,
    months: int = 12,
) -> str:
    """The whole page, one section per currency of `figures`."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown report language {lang!r}: expected fr or en")
    sections = [currency_section(ledger, fig, lang, months) for fig in figures]
    page = _environment().get_template("report.html")
    return page.render(
        lang=lang,
        t=partial(message, lang=lang),
        title=message("title", lang),
        as_of=message("as_of", lang, day=format_date(as_of, lang, "long")),
        sections=sections,
        missing=MISSING,
    )
