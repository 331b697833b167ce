"""`relance roi`, `relance import-actions`, `relance import-feedback`.

Thin: parse options, call `relance.services.roi*`, print with Rich or `--json`.
Exit codes: 0 ok, 1 data problems (an import refused), 2 usage errors.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from relance.cli.common import DbOption, JsonOption, console, errors, parse_day
from relance.imports.records import ImportRejected
from relance.roi.actions import DEFAULT_WINDOW_DAYS, DIMENSIONS
from relance.services.roi import RoiOptions, RoiResult, roi
from relance.services.roi_json import jsonable
from relance.store.db import Store

roi_app = typer.Typer(
    help="Prove the return of the follow-up: direct and incremental ROI, time to pay, "
    "treasury, bad debt, payback, team and satisfaction.",
    invoke_without_command=True,
)

AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Date of the books (default today).")
]
From = Annotated[
    str | None,
    typer.Option(
        "--from", help="First day of the period (default: 365 days before --to)."
    ),
]
To = Annotated[
    str | None, typer.Option("--to", help="Last day of the period (default --as-of).")
]
Window = Annotated[
    int,
    typer.Option(
        "--window", min=1, help="Days after an action whose collections count."
    ),
]
By = Annotated[
    list[str] | None,
    typer.Option(
        "--by",
        help=f"Break down by: {', '.join(DIMENSIONS)} "
        "(repeat or separate with commas).",
    ),
]
Reps = Annotated[
    int, typer.Option("--reps", min=50, help="Bootstrap draws for the intervals.")
]
Seed = Annotated[int, typer.Option("--seed", help="Seed of the bootstrap.")]
Rate = Annotated[
    str,
    typer.Option(
        "--cost-of-money",
        help="Yearly rate of your overdraft, factoring or credit line, e.g. 0.045.",
    ),
]
Vat = Annotated[str, typer.Option("--vat", help="VAT rate of your sales, e.g. 0.20.")]
Margin = Annotated[
    str,
    typer.Option(
        "--margin", help="Net margin rate, e.g. 0.05 (assumed unless you set it)."
    ),
]
Setup = Annotated[
    str, typer.Option("--setup-cost", help="One-off cost of setting up relance.")
]
Monthly = Annotated[
    str,
    typer.Option(
        "--monthly-cost",
        help="Running cost a month (licences, "
        "team time), beside the reminders' own cost.",
    ),
]
Benefit = Annotated[
    str | None,
    typer.Option(
        "--monthly-benefit",
        help="Monthly benefit to use "
        "for the payback (default: financing value of "
        "the cash collected sooner, measured).",
    ),
]
Split = Annotated[
    str | None,
    typer.Option(
        "--team-split",
        help="Compare the team before and from this date (a training, a new policy).",
    ),
]


def register(app: typer.Typer) -> None:
    """Add the ROI commands to the application."""
    app.add_typer(roi_app, name="roi")
    app.command("import-actions")(import_actions_command)
    app.command("import-feedback")(import_feedback_command)


def _decimal(text: str | None, option: str) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors.print(
            f"[red]{option}: {text!r} is not a number (dot decimals, e.g. 0.045)[/red]"
        )
        raise typer.Exit(2) from None
    if not value.is_finite() or value < 0:
        errors.print(f"[red]{option}: {text!r} must be zero or more[/red]")
        raise typer.Exit(2)
    return value


def _rate(text: str, option: str, *, positive: bool = False) -> Decimal:
    """A yearly or margin rate as a fraction of 1: 4.5 % is written 0.045."""
    value = _decimal(text, option)
    assert value is not None
    if value > 1:
        # 4.5 meant as 4.5 % would silently multiply every figure by 100.
        errors.print(
            f"[red]{option}: {text!r} is above 1: rates are fractions of 1 "
            f"(write {value / 100} for {text} %)[/red]"
        )
        raise typer.Exit(2)
    if positive and value == 0:
        errors.print(
            f"[red]{option}: {text!r}: a rate of 0 cannot earn anything back; "
            "give your net margin, e.g. 0.05[/red]"
        )
        raise typer.Exit(2)
    return value


def _by(values: list[str] | None) -> tuple[str, ...]:
    names = tuple(
        v.strip() for text in values or [] for v in text.split(",") if v.strip()
    )
    unknown = [n for n in names if n not in DIMENSIONS]
    if unknown:
        errors.print(
            f"[red]--by: {', '.join(unknown)} unknown: expected one of "
            f"{', '.join(DIMENSIONS)}[/red]"
        )
        raise typer.Exit(2)
    return names


def build_options(
    as_of: str | None,
    start: str | None,
    end: str | None,
    window: int,
    by: list[str] | None,
    reps: int,
    seed: int,
    rate: str,
    vat: str,
    margin: str,
    setup: str,
    monthly: str,
    benefit: str | None,
    split: str | None,
) -> RoiOptions:
    """Options from the command line, usage errors exiting with 2."""
    day = parse_day(as_of, "--as-of")
    return RoiOptions(
        as_of=day,
        start=None if start is None else parse_day(start, "--from"),
        end=None if end is None else parse_day(end, "--to"),
        window=window,
        by=_by(by),
        reps=reps,
        seed=seed,
        cost_of_money=_rate(rate, "--cost-of-money"),
        vat_rate=_rate(vat, "--vat"),
        margin_rate=_rate(margin, "--margin", positive=True),
        setup_cost=_decimal(setup, "--setup-cost"),  # type: ignore[arg-type]
        monthly_cost=_decimal(monthly, "--monthly-cost"),  # type: ignore[arg-type]
        monthly_benefit=_decimal(benefit, "--monthly-benefit"),
        team_split=None if split is None else parse_day(split, "--team-split"),
    )


def _run(db: str | None, options: RoiOptions) -> RoiResult:
    if options.period()[0] > options.period()[1]:
        errors.print(
            f"[red]--from {options.period()[0]} is after "
            f"--to {options.period()[1]}[/red]"
        )
        raise typer.Exit(2)
    if options.period()[1] > options.as_of:
        errors.print(
            f"[red]--to {options.period()[1]} is after --as-of {options.as_of}: "
            "the books stop there; set --as-of to the later date[/red]"
        )
        raise typer.Exit(2)
    with Store(db) as store:
        return roi(store, options)


@roi_app.callback()
def roi_command(
    ctx: typer.Context,
    db: DbOption = None,
    as_of: AsOf = None,
    start: From = None,
    end: To = None,
    window: Window = DEFAULT_WINDOW_DAYS,
    by: By = None,
    reps: Reps = 1000,
    seed: Seed = 0,
    rate: Rate = "0.045",
    vat: Vat = "0.20",
    margin: Margin = "0.05",
    setup: Setup = "0",
    monthly: Monthly = "0",
    benefit: Benefit = None,
    split: Split = None,
    as_json: JsonOption = False,
) -> None:
    """Show what the reminders returned: attributed, and measured against holdouts."""
    if ctx.invoked_subcommand is not None:
        return
    options = build_options(
        as_of,
        start,
        end,
        window,
        by,
        reps,
        seed,
        rate,
        vat,
        margin,
        setup,
        monthly,
        benefit,
        split,
    )
    result = _run(db, options)
    if as_json:
        console.print_json(json.dumps(roi_json(result)))
        return
    print_roi(result)


@roi_app.command("report")
def report_command(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for roi.html and roi.xlsx.")
    ],
    db: DbOption = None,
    as_of: AsOf = None,
    start: From = None,
    end: To = None,
    window: Window = DEFAULT_WINDOW_DAYS,
    by: By = None,
    reps: Reps = 1000,
    seed: Seed = 0,
    rate: Rate = "0.045",
    vat: Vat = "0.20",
    margin: Margin = "0.05",
    setup: Setup = "0",
    monthly: Monthly = "0",
    benefit: Benefit = None,
    split: Split = None,
) -> None:
    """Write the finance committee's report: roi.html (offline) and roi.xlsx."""
    from relance.report.roi import write_roi_report

    options = build_options(
        as_of,
        start,
        end,
        window,
        by or ["step", "segment"],
        reps,
        seed,
        rate,
        vat,
        margin,
        setup,
        monthly,
        benefit,
        split,
    )
    result = _run(db, options)
    html, xlsx = write_roi_report(result, out)
    console.print(
        f"Report: [bold]{html}[/bold]\nWorkbook: [bold]{xlsx}[/bold]", highlight=False
    )


@roi_app.command("whatif")
def whatif_command(
    segment: Annotated[
        str, typer.Option("--segment", help="The customer segment to simulate.")
    ],
    move: Annotated[
        list[str] | None,
        typer.Option("--move", help="STEP:OFFSET, e.g. email_2:+5 (days after due)."),
    ] = None,
    add: Annotated[
        list[str] | None,
        typer.Option(
            "--add",
            help="NAME:OFFSET:CHANNEL:COST[:RESPONSE], e.g. pre_due:-5:email:0.10.",
        ),
    ] = None,
    drop: Annotated[
        list[str] | None, typer.Option("--drop", help="A step to remove.")
    ] = None,
    db: DbOption = None,
    as_of: AsOf = None,
    currency: Annotated[str, typer.Option("--currency")] = "EUR",
    window: Window = DEFAULT_WINDOW_DAYS,
    assume: Annotated[
        float,
        typer.Option(
            "--assume-response",
            min=0.0,
            max=0.95,
            help="Response of a step no holdout measured.",
        ),
    ] = 0.05,
    reps: Annotated[int, typer.Option("--reps", min=20)] = 200,
    seed: Seed = 0,
    as_json: JsonOption = False,
) -> None:
    """Simulate a change of strategy for a segment against today's, from history."""
    from relance.services.roi_whatif import whatif

    changes = _changes(move, add, drop)
    with Store(db) as store:
        try:
            result = whatif(
                store,
                segment,
                changes,
                parse_day(as_of, "--as-of"),
                currency=currency,
                window=window,
                assumed_response=assume,
                reps=reps,
                seed=seed,
            )
        except ValueError as exc:
            errors.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from None
    if as_json:
        console.print_json(json.dumps(jsonable(result)))
        return
    _print_whatif(result)


def _changes(
    move: list[str] | None, add: list[str] | None, drop: list[str] | None
) -> list[Any]:
    from relance.services.roi_whatif import Change

    changes: list[Change] = []
    try:
        for text in move or []:
            step, offset = text.rsplit(":", 1)
            changes.append(Change("move", step, int(offset)))
        for text in add or []:
            parts = text.split(":")
            if len(parts) not in (4, 5):
                raise ValueError(text)
            response = float(parts[4]) if len(parts) == 5 else None
            changes.append(
                Change(
                    "add",
                    parts[0],
                    int(parts[1]),
                    parts[2],
                    Decimal(parts[3]),
                    response,
                )
            )
        changes.extend(Change("drop", step) for step in drop or [])
    except (ValueError, InvalidOperation):
        errors.print(
            "[red]--move STEP:OFFSET, --add NAME:OFFSET:CHANNEL:COST[:RESPONSE]: "
            "could not read the change[/red]"
        )
        raise typer.Exit(2) from None
    if not changes:
        errors.print("[red]give at least one --move, --add or --drop[/red]")
        raise typer.Exit(2)
    return changes


def import_actions_command(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX.")
    ],
    db: DbOption = None,
    currency: Annotated[
        str,
        typer.Option(
            "--currency",
            help="Currency of costs when neither the row nor its invoice gives one.",
        ),
    ] = "EUR",
    as_json: JsonOption = False,
) -> None:
    """Import actions done before relance (or elsewhere), with their holdout flags."""
    from relance.services.roi_imports import import_actions

    with Store(db) as store:
        try:
            written = import_actions(store, file, currency.upper())
        except ImportRejected as exc:
            _refused(exc)
    _written(written, "actions", as_json)


def import_feedback_command(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX.")
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import satisfaction scores (CSAT, NPS) or the team's notes."""
    from relance.services.roi_imports import import_feedback

    with Store(db) as store:
        try:
            layout, written = import_feedback(store, file)
        except ImportRejected as exc:
            _refused(exc)
    _written(written, layout or "rows", as_json)


def _refused(exc: ImportRejected) -> None:
    for problem in exc.problems:
        errors.print(str(problem), highlight=False, markup=False, soft_wrap=True)
    errors.print(f"[red]{len(exc.problems)} problem(s): nothing was written[/red]")
    raise typer.Exit(1)


def _written(written: Any, what: str, as_json: bool) -> None:
    if as_json:
        console.print_json(json.dumps(jsonable(written)))
        return
    console.print(
        f"{what}: {written.inserted} added, {written.updated} updated, "
        f"{written.unchanged} unchanged",
        highlight=False,
    )


# --- printing ---------------------------------------------------------------------


def roi_json(result: RoiResult) -> dict[str, Any]:
    """The JSON shape of `relance roi --json`."""
    body: dict[str, Any] = jsonable(result)
    body["period"] = {
        "start": body.pop("start"),
        "end": body.pop("end"),
        "days": (result.end - result.start).days + 1,
    }
    return body


def _money(value: Decimal | None, currency: str) -> str:
    return "—" if value is None else f"{value:,} {currency}"


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def _num(value: Decimal | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:,.{places}f}"


def print_roi(result: RoiResult) -> None:
    """Print the ROI with Rich, one block per currency."""
    console.print(
        f"ROI of the follow-up, {result.start} to {result.end}, window "
        f"{result.window} days, books as of {result.as_of}",
        highlight=False,
    )
    for note in result.notes:
        errors.print(f"[yellow]{note}[/yellow]", highlight=False)
    if not result.currencies:
        console.print("Nothing to measure: the store holds no books and no action.")
    for cur in result.currencies:
        _print_headline(cur)
        for warning in cur.incremental.warnings if cur.incremental else ():
            console.print(f"[yellow]⚠ {warning}[/yellow]", highlight=False)
        if cur.direct_by or cur.incremental_by:
            _print_breakdown(cur)
        _print_money_sections(cur)


def _print_headline(cur: Any) -> None:
    c = cur.currency
    table = Table(title=f"Direct and incremental return ({c})")
    table.add_column("")
    table.add_column("Direct (attributed, not caused)", justify="right")
    table.add_column("Incremental (vs holdouts)", justify="right")
    table.add_column("95 % interval", justify="right")
    d, i = cur.direct, cur.incremental

    def ci(iv: Any, fmt: Any) -> str:
        return "—" if iv is None else f"{fmt(iv.low)} to {fmt(iv.high)}"

    table.add_row(
        "Cost", _money(d and d.cost, c), _money(i and i.contacted.cost, c), ""
    )
    table.add_row(
        "Collected / gained",
        _money(d and d.collected, c),
        _money(i and i.incremental_amount, c),
        ci(i and i.incremental_amount_ci, lambda v: _money(v, c)),
    )
    table.add_row("ROI", _num(d and d.roi), _num(i and i.roi), ci(i and i.roi_ci, _num))
    table.add_row(
        "Uplift by amount",
        "",
        _pct(i and i.uplift_amount),
        ci(i and i.uplift_amount_ci, _pct),
    )
    table.add_row(
        "Uplift by count",
        "",
        _pct(i and i.uplift_count),
        ci(i and i.uplift_count_ci, _pct),
    )
    if i is not None:
        table.add_row(
            "Customers contacted / held out",
            "",
            f"{i.contacted.customers} / {i.held_out.customers}",
            "",
        )
    console.print(table)


def _print_breakdown(cur: Any) -> None:
    c = cur.currency
    table = Table(
        title=f"By {', '.join(cur.direct_by[0].key) if cur.direct_by else ''} ({c})"
    )
    table.add_column("Group")
    table.add_column("Actions", justify="right")
    table.add_column("Cost", justify="right")
    table.add_column("Direct collected", justify="right")
    table.add_column("Uplift (amount)", justify="right")
    table.add_column("95 % interval", justify="right")
    table.add_column("Incremental ROI", justify="right")
    # Every row says whether it can be trusted: a segment's uplift on a handful
    # of customers reads as a fact unless the table says otherwise.
    table.add_column("Verdict")
    inc = {tuple(r.key.values()): r for r in cur.incremental_by}
    for d in cur.direct_by:
        i = inc.get(tuple(d.key.values()))
        iv = i and i.uplift_amount_ci
        table.add_row(
            " / ".join(d.key.values()),
            str(d.actions),
            _money(d.cost, c),
            _money(d.collected, c),
            _pct(i and i.uplift_amount),
            "—" if not iv else f"{_pct(iv.low)} to {_pct(iv.high)}",
            _num(i and i.roi),
            "no holdout: not measured" if i is None else i.verdict,
        )
    console.print(table)


def _print_money_sections(cur: Any) -> None:
    c = cur.currency
    table = Table(
        title=f"Time, treasury, bad debt and payback ({c})", show_header=False
    )
    table.add_column("Figure")
    table.add_column("Value", justify="right")
    ttp = cur.time_to_pay
    if ttp is not None:
        for curve in ttp.by_group:
            table.add_row(
                f"Median days to pay, {curve.label}",
                "—" if curve.median_days is None else f"{curve.median_days} d",
            )
        if ttp.sooner is not None:
            s = ttp.sooner
            table.add_row(
                "Paid sooner when contacted (vs holdouts)",
                f"{s.days} d ({s.interval.low} to {s.interval.high})",
            )
    for label, gain in (
        ("measured", cur.treasury_measured),
        ("DSO change, not causal", cur.treasury_dso),
    ):
        if gain is not None:
            table.add_row(
                f"Cash released ({label}), once", _money(gain.cash_released, c)
            )
            table.add_row(
                f"  financing value a year at {gain.annual_rate}",
                _money(gain.financing_value_per_year, c),
            )
    table.add_row(
        "Write-offs before / during the period",
        f"{_money(cur.bad_debt_before.writeoffs, c)} / "
        f"{_money(cur.bad_debt_after.writeoffs, c)}",
    )
    table.add_row(
        "Bad-debt ratio before / during",
        f"{_pct(cur.bad_debt_before.ratio)} / {_pct(cur.bad_debt_after.ratio)}",
    )
    if cur.compensatory is not None:
        table.add_row(
            f"Sales needed to earn back the write-offs (margin "
            f"{cur.compensatory.margin_rate})",
            _money(cur.compensatory.revenue_needed, c),
        )
    p = cur.payback
    table.add_row(
        "Payback: monthly cost / benefit",
        f"{_money(p.monthly_cost, c)} / {_money(p.monthly_benefit, c)}",
    )
    table.add_row(
        "Break-even month",
        "never" if p.break_even_month is None else str(p.break_even_month),
    )
    table.add_row(
        "ROI at 12 / 36 months", f"{_num(p.roi_12_months)} / {_num(p.roi_36_months)}"
    )
    ba = cur.before_after
    table.add_row(
        "DSO before / during (not causal)",
        f"{_num(ba.before.dso, 1)} / {_num(ba.after.dso, 1)}",
    )
    console.print(table)


def _print_whatif(result: Any) -> None:
    c = result.currency
    table = Table(title=f"What-if ({c}, a year, 5–95 % band)")
    table.add_column("")
    for name in ("Today", "Proposed", "Difference"):
        table.add_column(name, justify="right")

    def band(b: Any, fmt: Any) -> str:
        return f"{fmt(b.value)} ({fmt(b.low)} to {fmt(b.high)})"

    rows = (
        (
            f"Collected by day {result.collect_by}",
            "collected_by_day",
            lambda v: _money(v, c),
        ),
        ("Mean days to pay", "mean_days_to_pay", str),
        ("Contacts", "contacts", str),
        ("Cost", "cost", lambda v: _money(v, c)),
    )
    for label, attr, fmt in rows:
        table.add_row(
            label,
            *(
                band(getattr(o, attr), fmt)
                for o in (result.today, result.proposed, result.difference)
            ),
        )
    if result.difference.cash_released is not None:
        table.add_row(
            "Cash released, once",
            "",
            "",
            band(result.difference.cash_released, lambda v: _money(v, c)),
        )
    console.print(table)
    for note in result.assumptions:
        console.print(f"[yellow]⚠ {note}[/yellow]", highlight=False)
