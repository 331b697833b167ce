"""CLI commands of the follow-up: run, send, actions, tasks, dispute, promise,
policy check, settings.

Exit codes: 0 ok; 1 when something needs a person (a send with failed or unknown
actions, a policy or template problem, a refused request, another run holding the
lock); 2 usage errors (bad options, bad settings).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from relance.cli.common import DbOption, JsonOption, console, errors, parse_day
from relance.domain.money import Money, parse_decimal
from relance.settings import Settings, SettingsError, load_settings, settings_markdown
from relance.store.db import Store

SettingsOption = Annotated[
    Path | None,
    typer.Option(
        "--settings",
        help="Settings file (TOML); default $RELANCE_SETTINGS, else ./relance.toml.",
    ),
]
PolicyOption = Annotated[
    Path | None,
    typer.Option("--policy", help="Policy file (TOML); default: the shipped policy."),
]
DayOption = Annotated[
    str | None,
    typer.Option("--date", help="Day it happens (YYYY-MM-DD), default today."),
]


# --- Helpers -------------------------------------------------------------------------


def _settings(path: Path | None) -> Settings:
    try:
        return load_settings(path)
    except SettingsError as error:
        for problem in error.problems:
            errors.print(problem, markup=False, highlight=False)
        raise typer.Exit(2) from None


def _policy(path: Path | None) -> Any:
    from relance.reminders.policy import PolicyInvalid
    from relance.services.planning import resolve_policy

    try:
        return resolve_policy(path)
    except PolicyInvalid as caught:
        for problem in caught.problems:
            errors.print(str(problem), markup=False, highlight=False, soft_wrap=True)
        errors.print(f"[red]{len(caught.problems)} problem(s) in the policy[/red]")
        raise typer.Exit(1) from None


def _refused(message: str) -> typer.Exit:
    errors.print(f"[red]{escape(message)}[/red]")
    return typer.Exit(1)


def _money(value: Money) -> str:
    return str(value)


def _table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    console.print(table)


def _json(value: Any) -> None:
    console.print_json(json.dumps(value, default=str))


def _amount(text: str) -> Decimal:
    try:
        return parse_decimal(text, decimal_comma="," in text and "." not in text)
    except ValueError as error:
        errors.print(f"[red]--amount: {escape(str(error))}[/red]")
        raise typer.Exit(2) from None


# --- run and send --------------------------------------------------------------------


def _run(
    day: str | None,
    policy_file: Path | None,
    settings_file: Path | None,
    db: str | None,
    as_json: bool,
) -> None:
    from relance.services.locks import LockBusy
    from relance.services.planning import plan
    from relance.services.run import run_day

    when = parse_day(day, "--date")
    settings = _settings(settings_file)
    policy = _policy(policy_file)
    with Store(db) as store:
        try:
            summary = run_day(store, when, plan(store, policy, when), settings)
        except LockBusy as busy:
            raise _refused(str(busy)) from None
    if as_json:
        _json(
            {
                "day": when.isoformat(),
                "already_recorded": summary.already_recorded,
                "recorded": [r.__dict__ for r in summary.recorded],
                "skipped": [
                    {"customer_ref": c, "step_key": k, "reason": r}
                    for c, k, r in summary.skipped
                ],
            }
        )
        return
    earlier = ""
    if summary.already_recorded:
        earlier = (
            f"; {summary.already_recorded} contact(s) already recorded for this "
            "day by an earlier run, not recorded again"
        )
    console.print(
        f"{when.isoformat()}: {len(summary.recorded)} action(s) recorded "
        f"({summary.held_out} held out), {len(summary.skipped)} skipped{earlier}.",
        highlight=False,
    )
    for customer, key, reason in summary.skipped:
        console.print(
            f"  skipped {escape(customer)} {escape(key)}: {escape(reason)}",
            highlight=False,
        )


def _moment(at: str | None, settings: Settings) -> datetime:
    """`--at` as an aware moment (local time of the settings), default now."""
    try:
        now = datetime.fromisoformat(at) if at else datetime.now(UTC)
    except ValueError:
        errors.print(
            f"[red]--at: {at!r} is not a date and time (YYYY-MM-DDTHH:MM)[/red]"
        )
        raise typer.Exit(2) from None
    if now.tzinfo is None:
        from zoneinfo import ZoneInfo

        now = now.replace(tzinfo=ZoneInfo(settings.timezone))
    return now


def _send(
    at: str | None,
    policy_file: Path | None,
    settings_file: Path | None,
    db: str | None,
    as_json: bool,
    outbox: Path | None = None,
) -> None:
    from relance.services.locks import LockBusy
    from relance.services.send import send_pending

    settings = _settings(settings_file)
    policy = _policy(policy_file)
    now = _moment(at, settings)
    with Store(db) as store:
        try:
            report = send_pending(store, now, settings, policy=policy, outbox=outbox)
        except LockBusy as busy:
            raise _refused(str(busy)) from None
    _print_send(report, as_json)
    if report.failed or report.unknown or report.interrupted or report.unreachable:
        raise typer.Exit(1)


def _unreachable_message(channel: str, reason: str, hint: str, left: int) -> str:
    envs = ", ".join(f"RELANCE_{name.strip().upper()}" for name in hint.split(","))
    return (
        f"{reason}. Nothing was sent by {channel}: {left} action(s) left planned, "
        f"to go out at the next send. Check the setting(s) {hint} "
        f"(environment {envs}), or preview with `relance send --outbox DIR`."
    )


def _print_send(report: Any, as_json: bool) -> None:
    groups = {
        "sent": report.sent,
        "failed": report.failed,
        "cancelled": report.cancelled,
        "dropped": report.dropped,
        "tasks": report.tasks,
        "unknown": report.unknown,
        "waiting": report.waiting,
    }
    if report.outbox is not None:
        groups = {
            "rendered": report.rendered,
            "failed": report.failed,
            "cancelled": report.cancelled,
            "dropped": report.dropped,
        }
    unreachable = {
        channel: _unreachable_message(channel, reason, hint, len(left))
        for channel, (reason, hint, left) in report.unreachable.items()
    }
    if as_json:
        _json(
            {
                "day": report.day.isoformat(),
                "in_window": report.in_window,
                "interrupted": report.interrupted,
                "outbox": report.outbox,
                "later": report.later,
                "unreachable": {
                    channel: {
                        "reason": reason,
                        "settings": hint,
                        "left_planned": left,
                    }
                    for channel, (reason, hint, left) in report.unreachable.items()
                },
                **{
                    k: [{"action_id": a, "what": w, "detail": d} for a, w, d in v]
                    for k, v in groups.items()
                },
            }
        )
        return
    if report.outbox is not None:
        console.print(
            f"Preview into {escape(report.outbox)}: nothing delivered, nothing "
            "changed in the database.",
            highlight=False,
        )
    elif not report.in_window:
        console.print("Outside the send window: messages wait for the next send.")
    if report.interrupted:
        console.print(
            f"[yellow]{len(report.interrupted)} action(s) interrupted by an "
            "earlier send are now unknown: see `relance actions unknown`[/yellow]"
        )
    rows = [[k, str(a), w, d or ""] for k, v in groups.items() for a, w, d in v]
    if rows:
        _table(
            f"Send of {report.day.isoformat()}",
            ["Outcome", "Action", "Customer step", "Detail"],
            rows,
        )
    console.print(
        ", ".join(f"{len(v)} {k}" for k, v in groups.items()), highlight=False
    )
    if report.later:
        console.print(
            f"{report.later} action(s) are planned for days after "
            f"{report.day.isoformat()}: not due yet (use --at to send or preview "
            "as of their day).",
            highlight=False,
        )
    for message in unreachable.values():
        errors.print(f"[red]{escape(message)}[/red]", soft_wrap=True)


def _preview(
    action_id: int,
    at: str | None,
    policy_file: Path | None,
    settings_file: Path | None,
    db: str | None,
) -> None:
    import tempfile

    from relance.services.send import preview_pending

    settings = _settings(settings_file)
    policy = _policy(policy_file)
    now = _moment(at, settings)
    with Store(db) as store, tempfile.TemporaryDirectory() as folder:
        report = preview_pending(store, now, folder, settings, policy, only=action_id)
        shown = [Path(path) for _, _, path in report.rendered]
        texts = [_readable(path) for path in shown]
    for text in texts:
        console.print(text, markup=False, highlight=False, soft_wrap=True)
    for _, label, reason in report.failed + report.cancelled + report.dropped:
        errors.print(f"{label}: {reason}", markup=False, highlight=False)
    if not shown:
        if not (report.failed or report.cancelled):
            raise _refused(
                f"action {action_id}: not found or not planned "
                "(only planned actions can be previewed; see `relance actions list`)"
            )
        raise typer.Exit(1)


def _readable(path: Path) -> str:
    """What a person reads of a rendered message: the text part, the SMS, the task."""
    import email
    import email.policy

    if path.suffix == ".eml":
        message = email.message_from_bytes(
            path.read_bytes(), policy=email.policy.default
        )
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""  # type: ignore[attr-defined]
        files = ", ".join(
            str(part.get_filename()) for part in message.iter_attachments()
        )
        return (
            f"To: {message['To']}\nReply-To: {message['Reply-To']}\n"
            f"Subject: {message['Subject']}\nAttached: {files or '-'}\n\n{text}"
        )
    if path.suffix == ".pdf":
        return "A letter (PDF); write it out with `relance send --outbox DIR`."
    return path.read_text(encoding="utf-8")


# --- actions -------------------------------------------------------------------------


def _print_actions(rows: list[Any], as_json: bool, title: str) -> None:
    if as_json:
        _json(
            [
                {
                    **r.__dict__,
                    "amount": str(r.amount.amount),
                    "currency": r.amount.currency,
                    "cost": str(r.cost.amount),
                    "cost_currency": r.cost.currency,
                }
                for r in rows
            ]
        )
        return
    _table(
        title,
        [
            "Id",
            "Planned",
            "Customer",
            "Step",
            "Channel",
            "State",
            "Amount",
            "Cost",
            "To",
            "Reason",
        ],
        [
            [
                str(r.id),
                r.planned_on.isoformat(),
                r.customer_ref,
                r.step,
                r.channel,
                r.state,
                _money(r.amount),
                _money(r.cost),
                r.recipient or "",
                r.reason or "",
            ]
            for r in rows
        ],
    )


def _actions_app() -> typer.Typer:
    actions = typer.Typer(
        help="Actions recorded by runs: list them, decide unknown ones.",
        no_args_is_help=True,
    )

    @actions.command("list")
    def list_command(
        state: Annotated[str | None, typer.Option(help="Only this state.")] = None,
        day: Annotated[
            str | None, typer.Option("--date", help="Only planned that day.")
        ] = None,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """List actions, oldest first."""
        from relance.services.send import list_actions

        with Store(db) as store:
            rows = list_actions(store, state, parse_day(day, "--date") if day else None)
        _print_actions(rows, as_json, "Actions")

    @actions.command("unknown")
    def unknown_command(db: DbOption = None, as_json: JsonOption = False) -> None:
        """Actions whose delivery is not known (a send stopped midway): decide each."""
        from relance.services.send import list_actions

        with Store(db) as store:
            rows = list_actions(store, "unknown")
        _print_actions(rows, as_json, "Actions to decide (delivery unknown)")
        if rows and not as_json:
            console.print(
                "Check the message id in the mail server's log, then: "
                "relance actions resolve ID --sent | --retry | --cancel"
            )

    @actions.command("resolve")
    def resolve_command(
        action_id: Annotated[int, typer.Argument(help="Action id.")],
        sent: Annotated[bool, typer.Option("--sent", help="It did go out.")] = False,
        retry: Annotated[
            bool, typer.Option("--retry", help="It did not: send again.")
        ] = False,
        cancel: Annotated[bool, typer.Option("--cancel", help="Give it up.")] = False,
        day: DayOption = None,
        db: DbOption = None,
    ) -> None:
        """Decide an unknown (or failed) action."""
        from relance.services.send import ResolveError, resolve_action

        chosen = [
            name
            for name, flag in (("sent", sent), ("retry", retry), ("cancel", cancel))
            if flag
        ]
        if len(chosen) != 1:
            errors.print("[red]give exactly one of --sent, --retry, --cancel[/red]")
            raise typer.Exit(2)
        with Store(db) as store:
            try:
                console.print(
                    resolve_action(
                        store, action_id, chosen[0], parse_day(day, "--date")
                    ),
                    highlight=False,
                )
            except ResolveError as error:
                raise _refused(str(error)) from None

    return actions


# --- tasks ---------------------------------------------------------------------------


def _tasks_app() -> typer.Typer:
    tasks = typer.Typer(
        help="Calls and hand-overs to make: the collectors' worklist.",
        no_args_is_help=True,
    )

    @tasks.command("list")
    def list_command(
        collector: Annotated[
            str | None, typer.Option(help="Only this collector's.")
        ] = None,
        include_done: Annotated[
            bool, typer.Option("--all", help="Done ones too.")
        ] = False,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """The open tasks, oldest first."""
        from relance.services.followup import list_tasks

        with Store(db) as store:
            rows = list_tasks(store, collector, include_done)
        if as_json:
            _json(
                [
                    {
                        **r.__dict__,
                        "amount": str(r.amount.amount),
                        "currency": r.amount.currency,
                    }
                    for r in rows
                ]
            )
            return
        _table(
            "Tasks",
            [
                "Id",
                "Planned",
                "Collector",
                "Customer",
                "Phone",
                "Kind",
                "Invoices",
                "Amount",
                "State",
                "What",
            ],
            [
                [
                    str(r.id),
                    r.planned_on.isoformat(),
                    r.collector or "",
                    f"{r.customer_ref} {r.customer_name}",
                    r.phone or "",
                    r.channel,
                    ", ".join(r.invoices),
                    _money(r.amount),
                    r.outcome or r.state,
                    r.what or "",
                ]
                for r in rows
            ],
        )

    @tasks.command("done")
    def done_command(
        task_id: Annotated[int, typer.Argument(help="Task id.")],
        outcome: Annotated[
            str,
            typer.Option(
                help="reached, promise, dispute, no_answer, wrong_number, handed_over."
            ),
        ],
        promise_date: Annotated[
            str | None, typer.Option(help="Promised payment date.")
        ] = None,
        amount: Annotated[str | None, typer.Option(help="Promised amount.")] = None,
        dispute_reason: Annotated[
            str | None, typer.Option(help="Dispute reason code.")
        ] = None,
        invoice: Annotated[
            str | None, typer.Option(help="Invoice the outcome is about.")
        ] = None,
        note: Annotated[str | None, typer.Option(help="What was said.")] = None,
        day: DayOption = None,
        settings_file: SettingsOption = None,
        db: DbOption = None,
    ) -> None:
        """Record how a task went; promises and disputes go into the ledger."""
        from relance.reminders.channels.phone import OUTCOMES, TaskResult
        from relance.services.followup import FollowUpError, complete_task

        if outcome not in OUTCOMES:
            errors.print(
                f"[red]--outcome: {outcome!r}; expected one of "
                f"{', '.join(OUTCOMES)}[/red]"
            )
            raise typer.Exit(2)
        result = TaskResult(
            outcome=outcome,  # type: ignore[arg-type]
            day=parse_day(day, "--date"),
            promise_date=parse_day(promise_date, "--promise-date")
            if promise_date
            else None,
            amount=_amount(amount) if amount else None,
            dispute_reason=dispute_reason,
            invoice_ref=invoice,
            note=note,
        )
        settings = _settings(settings_file)
        with Store(db) as store:
            try:
                console.print(
                    complete_task(store, task_id, result, settings), highlight=False
                )
            except FollowUpError as error:
                raise _refused(str(error)) from None

    return tasks


# --- disputes and promises -----------------------------------------------------------


def _period(start: str, end: str) -> tuple[date, date]:
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    if last <= first:
        errors.print("[red]--to must be after --from (the period is [from, to))[/red]")
        raise typer.Exit(2)
    return first, last


def _dispute_app() -> typer.Typer:
    dispute = typer.Typer(
        help="Disputes on invoices: they pause that invoice's reminders.",
        no_args_is_help=True,
    )

    @dispute.command("open")
    def open_command(
        invoice: Annotated[str, typer.Argument(help="Invoice reference.")],
        reason: Annotated[str, typer.Option(help="Reason code, e.g. price, quality.")],
        owner: Annotated[str | None, typer.Option(help="Who handles it.")] = None,
        note: Annotated[str | None, typer.Option(help="Free note.")] = None,
        day: DayOption = None,
        settings_file: SettingsOption = None,
        db: DbOption = None,
    ) -> None:
        """Open a dispute on an invoice."""
        from relance.services.followup import FollowUpError, open_dispute

        settings = _settings(settings_file)
        with Store(db) as store:
            try:
                number = open_dispute(
                    store,
                    invoice,
                    reason,
                    parse_day(day, "--date"),
                    owner,
                    note,
                    settings,
                )
                console.print(f"dispute {number} opened on {invoice}", highlight=False)
            except FollowUpError as error:
                raise _refused(str(error)) from None

    @dispute.command("update")
    def update_command(
        dispute_id: Annotated[int, typer.Argument(help="Dispute id.")],
        reason: Annotated[str | None, typer.Option(help="New reason code.")] = None,
        owner: Annotated[str | None, typer.Option(help="New owner.")] = None,
        note: Annotated[str | None, typer.Option(help="New note.")] = None,
        db: DbOption = None,
    ) -> None:
        """Change a dispute's reason code, owner or note."""
        from relance.services.followup import FollowUpError, update_dispute

        with Store(db) as store:
            try:
                update_dispute(store, dispute_id, reason, owner, note)
                console.print(f"dispute {dispute_id} updated", highlight=False)
            except FollowUpError as error:
                raise _refused(str(error)) from None

    @dispute.command("close")
    def close_command(
        dispute_id: Annotated[int, typer.Argument(help="Dispute id.")],
        resolution: Annotated[str | None, typer.Option(help="How it ended.")] = None,
        day: DayOption = None,
        db: DbOption = None,
    ) -> None:
        """Close a dispute; the invoice may be reminded again from that day."""
        from relance.services.followup import FollowUpError, close_dispute

        with Store(db) as store:
            try:
                close_dispute(store, dispute_id, parse_day(day, "--date"), resolution)
                console.print(f"dispute {dispute_id} closed", highlight=False)
            except FollowUpError as error:
                raise _refused(str(error)) from None

    @dispute.command("list")
    def list_command(
        open_only: Annotated[
            bool, typer.Option("--open", help="Open ones only.")
        ] = False,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """List disputes, oldest first."""
        from relance.services.followup import list_disputes

        with Store(db) as store:
            rows = list_disputes(store, open_only)
        if as_json:
            _json([r.__dict__ for r in rows])
            return
        _table(
            "Disputes",
            [
                "Id",
                "Invoice",
                "Customer",
                "Reason",
                "Owner",
                "Opened",
                "Closed",
                "Note",
            ],
            [
                [
                    str(r.id),
                    r.invoice_ref,
                    r.customer_ref,
                    r.reason_code,
                    r.owner or "",
                    r.opened_on.isoformat(),
                    r.closed_on.isoformat() if r.closed_on else "",
                    r.note or "",
                ]
                for r in rows
            ],
        )

    @dispute.command("figures")
    def figures_command(
        start: Annotated[str, typer.Option("--from", help="First day (included).")],
        end: Annotated[
            str, typer.Option("--to", help="Day after the period (excluded).")
        ],
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Disputes opened and average resolution time over [from, to)."""
        from relance.services.followup import dispute_figures

        first, last = _period(start, end)
        with Store(db) as store:
            f = dispute_figures(store, first, last)
        average = (
            None
            if f.average_resolution_days is None
            else str(f.average_resolution_days)
        )
        if as_json:
            _json(
                {
                    "from": first,
                    "to": last,
                    "opened": f.opened,
                    "closed": f.closed,
                    "average_resolution_days": average,
                }
            )
            return
        console.print(
            f"{first} to {last} (excluded): {f.opened} opened, {f.closed} closed, "
            f"average resolution {average or '-'} days",
            highlight=False,
        )

    return dispute


def _promise_app() -> typer.Typer:
    promise = typer.Typer(
        help="Promises to pay: they pause reminders until their date.",
        no_args_is_help=True,
    )

    @promise.command("add")
    def add_command(
        customer: Annotated[str, typer.Argument(help="Customer reference.")],
        promised_for: Annotated[
            str, typer.Option("--promise-date", help="Promised date.")
        ],
        amount: Annotated[str, typer.Option(help="Promised amount.")],
        invoice: Annotated[str | None, typer.Option(help="Only this invoice.")] = None,
        collector: Annotated[str | None, typer.Option(help="Who took it.")] = None,
        day: DayOption = None,
        db: DbOption = None,
    ) -> None:
        """Record a promise to pay."""
        from relance.services.followup import FollowUpError, record_promise

        with Store(db) as store:
            try:
                number = record_promise(
                    store,
                    customer,
                    parse_day(promised_for, "--promise-date"),
                    _amount(amount),
                    parse_day(day, "--date"),
                    invoice,
                    collector,
                )
                console.print(f"promise {number} recorded", highlight=False)
            except FollowUpError as error:
                raise _refused(str(error)) from None

    @promise.command("list")
    def list_command(
        status: Annotated[
            str | None, typer.Option(help="open, kept or broken.")
        ] = None,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """List promises, by promised date."""
        from relance.services.followup import list_promises

        with Store(db) as store:
            rows = list_promises(store, status)
        if as_json:
            _json(
                [
                    {
                        **r.__dict__,
                        "amount": str(r.amount.amount),
                        "currency": r.amount.currency,
                    }
                    for r in rows
                ]
            )
            return
        _table(
            "Promises",
            [
                "Id",
                "Customer",
                "Invoice",
                "Recorded",
                "Promised for",
                "Amount",
                "Status",
                "Resolved",
            ],
            [
                [
                    str(r.id),
                    r.customer_ref,
                    r.invoice_ref or "",
                    r.recorded_on.isoformat(),
                    r.promised_for.isoformat(),
                    _money(r.amount),
                    r.status,
                    r.resolved_on.isoformat() if r.resolved_on else "",
                ]
                for r in rows
            ],
        )

    @promise.command("settle")
    def settle_command(
        day: DayOption = None, settings_file: SettingsOption = None, db: DbOption = None
    ) -> None:
        """Mark promises kept or broken (run it each morning, before `plan`)."""
        from relance.services.followup import settle_promises

        settings = _settings(settings_file)
        with Store(db) as store:
            changes = settle_promises(store, parse_day(day, "--date"), settings)
        for number, status, on in changes:
            console.print(
                f"promise {number}: {status} ({on.isoformat()})", highlight=False
            )
        console.print(f"{len(changes)} promise(s) settled", highlight=False)

    @promise.command("figures")
    def figures_command(
        start: Annotated[str, typer.Option("--from", help="First day (included).")],
        end: Annotated[
            str, typer.Option("--to", help="Day after the period (excluded).")
        ],
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Promises kept, broken, and the kept rate over [from, to)."""
        from relance.services.followup import promise_figures

        first, last = _period(start, end)
        with Store(db) as store:
            f = promise_figures(store, first, last)
        rate = (
            None
            if f.kept_rate is None
            else f"{(f.kept_rate * 100).quantize(Decimal('0.1'))}"
        )
        if as_json:
            _json(
                {
                    "from": first,
                    "to": last,
                    "kept": f.kept,
                    "broken": f.broken,
                    "kept_rate": None if f.kept_rate is None else str(f.kept_rate),
                }
            )
            return
        console.print(
            f"{first} to {last} (excluded): {f.kept} kept, {f.broken} broken, "
            f"kept rate {rate + ' %' if rate else '-'}",
            highlight=False,
        )

    return promise


# --- policy check and settings -------------------------------------------------------


def _policy_app() -> typer.Typer:
    policy = typer.Typer(help="Dunning policies.", no_args_is_help=True)

    @policy.command("check")
    def check_command(
        policy_file: PolicyOption = None,
        settings_file: SettingsOption = None,
        language: Annotated[
            list[str] | None,
            typer.Option(
                help="Language to check (repeatable); default fr, en and the policy's."
            ),
        ] = None,
    ) -> None:
        """Render every template of every step on a sample; report all problems."""
        from relance.reminders.templates import Templates, check_templates

        settings = _settings(settings_file)
        loaded = _policy(policy_file)
        uses = [(s.template, s.channel) for seg in loaded.segments for s in seg.steps]
        languages = set(language or ["fr", "en"])
        if not language:
            languages.add(loaded.default_language)
            languages.update(seg.language for seg in loaded.segments if seg.language)
        problems = check_templates(
            Templates(settings.templates_dir or None), uses, languages
        )
        for problem in problems:
            errors.print(str(problem), markup=False, highlight=False, soft_wrap=True)
        if problems:
            errors.print(f"[red]{len(problems)} template problem(s)[/red]")
            raise typer.Exit(1)
        console.print(
            f"{len(set(uses))} template use(s) checked in "
            f"{', '.join(sorted(languages))}: no problem.",
            highlight=False,
        )

    return policy


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""

    @app.command("run")
    def run_command(
        day: DayOption = None,
        policy_file: PolicyOption = None,
        settings_file: SettingsOption = None,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Plan the day and record its actions (nothing is sent); safe to repeat."""
        _run(day, policy_file, settings_file, db, as_json)

    @app.command("send")
    def send_command(
        at: Annotated[
            str | None,
            typer.Option(
                "--at", help="Moment of sending (YYYY-MM-DDTHH:MM, local), default now."
            ),
        ] = None,
        policy_file: PolicyOption = None,
        settings_file: SettingsOption = None,
        db: DbOption = None,
        as_json: JsonOption = False,
        outbox: Annotated[
            Path | None,
            typer.Option(
                "--outbox",
                "--dry-run",
                help="Render every planned action into this folder (.eml, .pdf, "
                ".json, .txt) without delivering it nor changing anything.",
            ),
        ] = None,
    ) -> None:
        """Deliver the recorded actions, each once; exit 1 if any failed or unknown."""
        _send(at, policy_file, settings_file, db, as_json, outbox)

    @app.command("preview")
    def preview_command(
        action_id: Annotated[int, typer.Argument(help="Action id (planned).")],
        at: Annotated[
            str | None,
            typer.Option(
                "--at", help="Moment of sending (YYYY-MM-DDTHH:MM, local), default now."
            ),
        ] = None,
        policy_file: PolicyOption = None,
        settings_file: SettingsOption = None,
        db: DbOption = None,
    ) -> None:
        """Print a planned action's message as a send would write it; change nothing."""
        _preview(action_id, at, policy_file, settings_file, db)

    @app.command("settings")
    def settings_command(
        settings_file: SettingsOption = None,
        markdown: Annotated[
            bool,
            typer.Option(
                "--markdown", help="Print the reference page docs/settings.md."
            ),
        ] = False,
        as_json: JsonOption = False,
    ) -> None:
        """Show every setting, its value (secrets masked) and where it comes from."""
        from relance.settings import settings_table

        if markdown:
            typer.echo(settings_markdown(), nl=False)
            return
        try:
            rows = settings_table(settings_file)
        except SettingsError as error:
            for problem in error.problems:
                errors.print(problem, markup=False, highlight=False)
            raise typer.Exit(2) from None
        if as_json:
            _json([r.__dict__ for r in rows])
            return
        _table(
            "Settings",
            ["Setting", "Value", "From", "Environment"],
            [[r.name, r.value, r.source, r.env] for r in rows],
        )

    app.add_typer(_actions_app(), name="actions")
    app.add_typer(_tasks_app(), name="tasks")
    app.add_typer(_dispute_app(), name="dispute")
    app.add_typer(_promise_app(), name="promise")
    app.add_typer(_policy_app(), name="policy")
