"""`relance send`: deliver the recorded actions, each exactly once.

Under the `send` lock (a second send at the same time gets `LockBusy`):

1. actions left in `sending` by a run that stopped are moved to `unknown`: whether
   they went out is not known, so a person decides (`relance actions resolve`);
2. planned actions older than `stale_after_days` are cancelled (the next plan
   decides again);
3. each planned action, oldest first: its invoices are checked again against the
   ledger of the day (see `relance.reminders.eligibility`); those that no longer
   apply are dropped (all dropped: the action is cancelled, with the reasons); the
   message is rendered (a template error fails that action only); the action is
   committed as `sending`, delivered, then committed as `sent` (with its message
   id), `failed` (with the reason) or `unknown`. Calls and hand-overs become tasks
   (`todo`) for the customer's collector.

Messages go out only inside the send window; outside it, planned messages wait
(tasks are still created). A channel that cannot be reached at all (SMTP server
refusing connections, unknown host, SMS provider down) is tried once: that action
and every later one of the channel stay `planned` (nothing was attempted) and the
report names the server and the settings to change.

With an `outbox` folder, nothing is delivered and nothing is written to the
store: every planned action is checked and rendered exactly as a send would, and
written to the folder (`<ref>.eml` with its PDF attached, `<ref>.pdf` for letters,
`<ref>.json` for SMS, `<ref>.txt` for tasks), whatever the time of day. A crash between the two commits leaves `sending`,
which step 1 of the next run turns into `unknown`: never resent silently, never
lost. The state change to `sending` is a compare-and-set on `planned`, so even
without the lock an action could not be taken twice.

The ledger is read once at the start of a send: a payment recorded while a send
is running is seen by the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from relance.domain.ledger import open_items, unapplied_cash
from relance.domain.money import Money
from relance.reminders import send as rs
from relance.reminders.actions import (
    CANCELLED,
    FAILED,
    PLANNED,
    SENDING,
    SENT,
    TASK_CHANNELS,
    TODO,
    UNKNOWN,
    released_key,
)
from relance.reminders.channels import (
    ChannelUnreachable,
    DeliveryFailed,
    DeliveryUnknown,
    Email,
    Letter,
    Sms,
    Transport,
)
from relance.reminders.channels.email import new_message_id, resolve_recipients
from relance.reminders.channels.outbox import Outbox
from relance.reminders.policy import Policy, default_policy
from relance.reminders.templates import (
    ItemView,
    TemplateProblem,
    Templates,
    message_context,
)
from relance.services import locks
from relance.settings import Settings
from relance.store import models as m
from relance.store.db import Store

log = logging.getLogger(__name__)

INTERRUPTED = (
    "interrupted while sending: the previous send stopped before recording whether "
    "the message went out; check (message id, mail server logs), then resolve"
)


@dataclass
class SendReport:
    """What one send did, action by action."""

    day: date
    in_window: bool
    sent: list[tuple[int, str, str]] = field(default_factory=list)
    failed: list[tuple[int, str, str]] = field(default_factory=list)
    cancelled: list[tuple[int, str, str]] = field(default_factory=list)
    dropped: list[tuple[int, str, str]] = field(default_factory=list)
    tasks: list[tuple[int, str, str]] = field(default_factory=list)
    unknown: list[tuple[int, str, str]] = field(default_factory=list)
    waiting: list[tuple[int, str, str]] = field(default_factory=list)
    interrupted: list[int] = field(default_factory=list)
    # channel → (why it cannot be used, settings to change, actions left planned)
    unreachable: dict[str, tuple[str, str, list[int]]] = field(default_factory=dict)
    # outbox mode: what was rendered, and to which file
    rendered: list[tuple[int, str, str]] = field(default_factory=list)
    outbox: str | None = None
    # planned actions of later days, not due at this send
    later: int = 0


def identity_problem(settings: Settings, channel: str) -> tuple[str, str] | None:
    """Why messages of `channel` may not leave with these settings, and the settings
    to change; None when they may.

    The shipped templates sign with `company_name` and a formal notice must name
    the creditor; an email from the default `.invalid` sender cannot be answered.
    Such messages are treated like an unreachable channel: left planned, one
    message for the whole send. A preview (outbox) shows them as they are.
    """
    if not settings.company_name.strip():
        return (
            (
                "setting company_name is empty: the reminders would not say who asks "
                "for payment"
            ),
            "company_name",
        )
    if channel == "email" and settings.smtp_from.strip().lower().endswith(".invalid"):
        return (
            (
                f"setting smtp_from is {settings.smtp_from!r}: customers could not "
                "answer the reminders"
            ),
            "smtp_from",
        )
    return None


# --- The standard transport --------------------------------------------------------


class StandardTransport:
    """SMTP for emails, the HTTP provider for SMS, the letters folder for letters."""

    def __init__(self, settings: Settings, day: date) -> None:
        from relance.reminders.channels.email import SmtpSender
        from relance.reminders.channels.letter import LetterOutbox
        from relance.reminders.channels.sms import HttpSmsProvider

        self._email = SmtpSender(settings)
        self._sms = HttpSmsProvider(settings)
        self._letters = LetterOutbox(settings.letters_dir, day)

    def send_email(self, email: Email) -> str:
        return self._email.send(email)

    def send_sms(self, sms: Sms) -> str:
        return self._sms.send(sms)

    def post_letter(self, letter: Letter) -> str:
        return self._letters.post(letter)

    def close(self) -> None:
        self._email.close()


# --- Reading what sending needs ----------------------------------------------------


def _planning_data(session: Session) -> Any:
    """The ledger and follow-up frames the eligibility checks read (as planning)."""
    from relance.services.planning import load_planning_data

    return load_planning_data(session)


Recheck = Callable[[list[int]], dict[int, tuple[int, str | None]]]


@dataclass
class _Books:
    """The ledger of the sending day, read once, and the checks made on it.

    `checks` holds, for every invoice of a pending action, its open balance on the
    day and why it may no longer be reminded (None: it may), from the planner's own
    eligibility rules, computed once for the whole send.
    """

    day: date
    data: Any
    policy: Policy
    checks: dict[int, tuple[int, str | None]] = field(default_factory=dict)

    def check_all(self, document_ids: list[int]) -> None:
        from relance.reminders.eligibility import still_eligible

        self.checks = still_eligible(self.data, self.policy, self.day, document_ids)

    def recheck(self, document_ids: list[int]) -> dict[int, tuple[int, str | None]]:
        return {doc: self.checks[doc] for doc in document_ids}

    _open: pl.DataFrame | None = None
    _cash: pl.DataFrame | None = None

    def account(self, customer_id: int, currency: str) -> tuple[list[ItemView], Money]:
        """Every open document of the customer in `currency`, and its unapplied cash."""
        ledger = self.data.ledger
        if self._open is None or self._cash is None:
            self._open = open_items(ledger, self.day)
            self._cash = unapplied_cash(ledger, self.day)
        docs = self._open.filter(
            (pl.col("customer_id") == customer_id) & (pl.col("currency") == currency)
        ).sort("due_date", "ref")
        views = [
            ItemView(
                r["ref"],
                r["issue_date"],
                r["due_date"],
                Money.from_minor(r["residual"], currency),
                r["days_past_due"],
            )
            for r in docs.iter_rows(named=True)
        ]
        cash = self._cash.filter(
            (pl.col("customer_id") == customer_id) & (pl.col("currency") == currency)
        )
        return views, Money.from_minor(int(cash["unapplied"].sum() or 0), currency)


def _penalties(
    store: Store, day: date, customer_ref: str, refs: set[str], currency: str
):  # type: ignore[no-untyped-def]
    """Interest and indemnities claimable on these invoices, or None if unknown.

    Read from `relance.services.penalties`; when a rate table cannot be read the
    formal notice claims the principal only.
    """
    from relance.services.penalties import penalties

    try:
        found = [
            p for p in penalties(store, day, customer_ref) if p.invoice_ref in refs
        ]
    except (OSError, ValueError, LookupError) as error:
        log.warning("penalties unavailable for a formal notice: %s", error)
        return None
    interest = Money.zero(currency)
    indemnity = Money.zero(currency)
    for p in found:
        if p.currency != currency:
            continue
        interest = interest + Money(Decimal(p.interest), currency)
        if p.indemnity is not None and p.indemnity.currency == currency:
            indemnity = indemnity + p.indemnity
    return {"interest": interest, "indemnity": indemnity}


# --- State changes -----------------------------------------------------------------


def _set(session: Session, action_id: int, expected: str, **values: Any) -> bool:
    """Compare-and-set the action's state: True when it was `expected`."""
    result = session.execute(
        update(m.Action)
        .where(m.Action.id == action_id, m.Action.state == expected)
        .values(updated_at=locks.utc_now(), **values)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _release(
    session: Session, action_id: int, item_ids: list[int], why: dict[int, str]
) -> None:
    """Mark items dropped and free their (invoice, step) for a later contact."""
    for item in session.execute(
        select(m.ActionItem).where(m.ActionItem.id.in_(item_ids))
    ).scalars():
        item.dropped_reason = why.get(item.id, "dropped")
        item.step_key = released_key(item.step_key, action_id)


def recover_interrupted(store: Store) -> list[int]:
    """Move actions left in `sending` to `unknown`; return their ids."""
    with store.transaction() as session:
        ids = list(
            session.execute(
                select(m.Action.id).where(m.Action.state == SENDING)
            ).scalars()
        )
        for action_id in ids:
            _set(
                session,
                action_id,
                SENDING,
                state=UNKNOWN,
                outcome="unknown",
                reason=INTERRUPTED,
            )
    return ids


def cancel_stale(store: Store, day: date, settings: Settings) -> list[int]:
    """Cancel planned actions older than `stale_after_days`; return their ids."""
    limit = day - timedelta(days=settings.stale_after_days)
    reason = (
        f"stale: planned before {limit.isoformat()} and not sent; "
        "the next plan decides again"
    )
    with store.transaction() as session:
        ids = list(
            session.execute(
                select(m.Action.id).where(
                    m.Action.state == PLANNED, m.Action.planned_on < limit
                )
            ).scalars()
        )
        for action_id in ids:
            if _set(
                session,
                action_id,
                PLANNED,
                state=CANCELLED,
                reason=reason,
                cost_minor=0,
            ):
                items = _active_items(session, action_id)
                _release(
                    session,
                    action_id,
                    [i.id for i in items],
                    {i.id: "stale" for i in items},
                )
    return ids


def _active_items(session: Session, action_id: int) -> list[m.ActionItem]:
    query = select(m.ActionItem).where(
        m.ActionItem.action_id == action_id, m.ActionItem.dropped_reason.is_(None)
    )
    return list(session.execute(query).scalars())


# --- One action --------------------------------------------------------------------


@dataclass
class _Prepared:
    """An action ready to deliver: what to send, committed as `sending`."""

    action_id: int
    channel: str
    customer_ref: str
    message: Email | Sms | Letter
    ref: str = ""


class _Sender:
    """Sends the planned actions of one run (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        transport: Transport,
        books: _Books,
        report: SendReport,
        render_pdf: Callable[[str], bytes],
        outbox: Outbox | None = None,
    ) -> None:
        self.store, self.settings, self.transport = store, settings, transport
        self.books, self.report, self.render_pdf = books, report, render_pdf
        self.templates = Templates(settings.templates_dir or None)
        # Outbox mode: render into the folder; never write to the store.
        self.outbox = outbox

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """A transaction; in outbox mode one whose changes are all thrown away."""
        if self.outbox is None:
            with self.store.transaction() as session:
                yield session
            return
        with self.store.session() as session, session.no_autoflush:
            try:
                yield session
            finally:
                session.rollback()

    def _set(
        self, session: Session, action_id: int, expected: str, **values: Any
    ) -> bool:
        if self.outbox is not None:
            return True
        return _set(session, action_id, expected, **values)

    def _release(
        self, session: Session, action_id: int, item_ids: list[int], why: dict[int, str]
    ) -> None:
        if self.outbox is None:
            _release(session, action_id, item_ids, why)

    def _context(
        self, action: m.Action, customer: m.Customer, rows: list[Any]
    ) -> dict[str, Any]:
        currency = action.currency
        items = [
            ItemView(
                doc.ref,
                doc.issue_date,
                doc.due_date,
                Money.from_minor(item.residual_minor, currency),
                (self.books.day - doc.due_date).days,
            )
            for item, doc in rows
        ]
        account, unapplied = self.books.account(customer.id, currency)
        penalties = None
        if action.template == "formal_notice" or self.templates.has(
            action.template or "", action.language or "fr", "letter"
        ):
            penalties = _penalties(
                self.store,
                self.books.day,
                customer.ref,
                {doc.ref for _, doc in rows},
                currency,
            )
        s = self.settings
        return message_context(
            customer={
                "ref": customer.ref,
                "name": customer.name,
                "address": customer.address or "",
                "collector": action.collector or "",
                "language": action.language,
            },
            items=items,
            currency=currency,
            step={
                "name": action.step,
                "index": action.step_index,
                "channel": action.channel,
                "template": action.template,
            },
            day=self.books.day,
            company={
                "name": s.company_name,
                "address": s.company_address.replace("\\n", "\n"),
                "siren": s.company_siren,
                "iban": s.company_iban,
                "bic": s.company_bic,
                "email": s.company_email,
                "phone": s.company_phone,
            },
            formal_notice_days=s.formal_notice_days,
            penalties=penalties,
            account=account,
            unapplied=unapplied,
        )

    def _language(self, action: m.Action, customer: m.Customer) -> str:
        wanted = action.language or customer.language or self.settings.default_language
        return self.templates.language_for(
            action.template or "", wanted.lower()[:2], self.settings.fallback_language
        )

    def prepare(self, action_id: int) -> _Prepared | None:
        """Check again, render, commit `sending`; None when nothing is to deliver."""
        with self._session() as session:
            action = session.get(m.Action, action_id)
            if action is None or action.state != PLANNED:
                return None
            customer = session.get(m.Customer, action.customer_id)
            assert customer is not None
            label = f"{customer.ref} {action.step}"
            down = self.report.unreachable.get(action.channel)
            if down is not None:
                down[2].append(action_id)  # not attempted: stays planned
                return None
            outside = not self.report.in_window and self.outbox is None
            if action.channel not in TASK_CHANNELS and outside:
                self.report.waiting.append(
                    (action_id, label, "outside the send window")
                )
                return None
            if action.channel not in TASK_CHANNELS and self.outbox is None:
                missing = identity_problem(self.settings, action.channel)
                if missing is not None:
                    self.report.unreachable[action.channel] = (*missing, [action_id])
                    return None
            items = _active_items(session, action_id)
            docs = {
                d.id: d
                for d in session.execute(
                    select(m.Document).where(
                        m.Document.id.in_([i.document_id for i in items])
                    )
                ).scalars()
            }
            fresh = self.books.recheck([i.document_id for i in items])
            checks = [
                rs.ItemCheck(
                    i.id, i.document_id, docs[i.document_id].ref, *fresh[i.document_id]
                )
                for i in items
            ]
            kept, dropped = rs.split_items(checks)
            why = {c.item_id: c.reason or "" for c in dropped}

            # Nothing left: cancel, with the reasons.
            if not kept:
                reason = rs.drop_reason(dropped) or "no invoice left"
                self._set(
                    session,
                    action_id,
                    PLANNED,
                    state=CANCELLED,
                    reason=reason,
                    cost_minor=0,
                )
                self._release(session, action_id, [c.item_id for c in dropped], why)
                self.report.cancelled.append((action_id, label, reason))
                return None

            # Some left: drop the others, send the rest with today's balances.
            if dropped:
                self._release(session, action_id, [c.item_id for c in dropped], why)
                self.report.dropped.append((action_id, label, rs.drop_reason(dropped)))
            residual = {c.item_id: c.residual_now for c in kept}
            for item in items:
                if item.id in residual:
                    item.residual_minor = residual[item.id]
            action.amount_minor = sum(residual.values())
            rows = [(i, docs[i.document_id]) for i in items if i.id in residual]
            return self._compose(session, action, customer, rows, label)

    def _compose(
        self,
        session: Session,
        action: m.Action,
        customer: m.Customer,
        rows: list[Any],
        label: str,
    ) -> _Prepared | None:
        try:
            draft = rs.Draft(
                template=action.template or "",
                language=self._language(action, customer),
                context=self._context(action, customer, rows),
                customer_ref=customer.ref,
                reference=action.ref,
            )
            return self._message(session, action, customer, rows, draft, label)
        except TemplateProblem as problem:
            self._fail(session, action, label, str(problem))
            return None

    def _message(
        self,
        session: Session,
        action: m.Action,
        customer: m.Customer,
        rows: list[Any],
        draft: rs.Draft,
        label: str,
    ) -> _Prepared | None:
        channel = action.channel
        if channel in TASK_CHANNELS:
            text = rs.task_text(draft, self.templates)
            if self.outbox is not None:
                path = self.outbox.write_task(action.ref, text)
                self.report.rendered.append((action.id, label, path))
                return None
            self._set(
                session,
                action.id,
                PLANNED,
                state=TODO,
                reason=text or None,
                collector=action.collector or self.settings.default_collector or None,
            )
            self.report.tasks.append((action.id, label, action.collector or ""))
            return None
        message: Email | Sms | Letter
        if channel == "email":
            to = resolve_recipients(
                [doc.billing_email for _, doc in rows],
                customer.billing_email,
                customer.email,
            )
            if not to:
                self._fail(
                    session,
                    action,
                    label,
                    "no recipient: no billing contact on the "
                    "invoices, no billing email nor email for the customer",
                )
                return None
            message = rs.compose_email(
                draft,
                self.templates,
                self.render_pdf,
                to,
                action.collector,
                self.settings,
                new_message_id(self.settings),
            )
            recipient, message_id = ", ".join(to), message.message_id
        elif channel == "sms":
            if not (customer.phone or "").strip():
                self._fail(
                    session,
                    action,
                    label,
                    "no recipient: the customer has no phone number",
                )
                return None
            message = rs.compose_sms(draft, self.templates, customer.phone.strip())
            recipient, message_id = message.to, None
        elif channel in ("letter", "registered_letter"):
            message = rs.compose_letter(
                draft,
                self.templates,
                self.render_pdf,
                registered=channel == "registered_letter",
            )
            recipient, message_id = (
                (customer.address or customer.name).replace("\n", ", "),
                None,
            )
        else:
            self._fail(session, action, label, f"no way to deliver channel {channel!r}")
            return None
        taken = self._set(
            session,
            action.id,
            PLANNED,
            state=SENDING,
            recipient=recipient,
            message_id=message_id,
            attempts=action.attempts + 1,
        )
        if not taken:
            return None
        return _Prepared(action.id, channel, label, message, action.ref)

    def _fail(
        self, session: Session, action: m.Action, label: str, reason: str
    ) -> None:
        self._set(session, action.id, PLANNED, state=FAILED, reason=reason)
        self.report.failed.append((action.id, label, reason))

    def deliver(self, prepared: _Prepared) -> None:
        """Hand the message over, then record how that ended."""
        message = prepared.message
        label = prepared.customer_ref
        if self.outbox is not None:
            path = self.outbox.write(prepared.ref, message)
            self.report.rendered.append((prepared.action_id, label, path))
            return
        try:
            if isinstance(message, Email):
                message_id = self.transport.send_email(message)
            elif isinstance(message, Sms):
                message_id = self.transport.send_sms(message)
            else:
                message_id = self.transport.post_letter(message)
        except ChannelUnreachable as error:
            # Nothing was handed over: back to planned, and the channel is not
            # tried again in this send.
            self._finish(
                prepared.action_id,
                PLANNED,
                recipient=None,
                message_id=None,
                attempts=m.Action.attempts - 1,
            )
            self.report.unreachable[prepared.channel] = (
                error.reason,
                error.settings,
                [prepared.action_id],
            )
            return
        except DeliveryFailed as error:
            self._finish(prepared.action_id, FAILED, reason=error.reason)
            self.report.failed.append((prepared.action_id, label, error.reason))
            return
        except Exception as error:  # noqa: BLE001 - any other surprise: outcome unknown
            reason = error.reason if isinstance(error, DeliveryUnknown) else repr(error)
            self._finish(prepared.action_id, UNKNOWN, reason=reason, outcome="unknown")
            self.report.unknown.append((prepared.action_id, label, reason))
            return
        self._finish(prepared.action_id, SENT, message_id=message_id, reason=None)
        self.report.sent.append((prepared.action_id, label, message_id))

    def _finish(self, action_id: int, state: str, **values: Any) -> None:
        if state != PLANNED:
            values["outcome_on"] = self.books.day
        with self.store.transaction() as session:
            _set(session, action_id, SENDING, state=state, **values)


def _default_pdf(html: str) -> bytes:
    from relance.reminders.channels.letter import render_pdf

    return render_pdf(html)


def send_pending(
    store: Store,
    now: datetime,
    settings: Settings | None = None,
    transport: Transport | None = None,
    policy: Policy | None = None,
    render_pdf: Callable[[str], bytes] | None = None,
    outbox: str | Path | None = None,
) -> SendReport:
    """Deliver every planned action due by `now` (see the module docstring).

    With `outbox`, render them into that folder instead, changing nothing.
    """
    settings = settings or Settings()
    if outbox is not None:
        return preview_pending(store, now, outbox, settings, policy, render_pdf)
    day = rs.day_of(now, settings)
    report = SendReport(day=day, in_window=rs.in_send_window(now, settings))
    report.later = planned_after(store, day)
    with locks.held(
        store, "send", timedelta(minutes=settings.send_lock_minutes)
    ) as lock:
        report.interrupted = recover_interrupted(store)
        cancel_stale(store, day, settings)
        pending, books = _pending(store, day, policy)
        owned = transport is None
        transport = transport or StandardTransport(settings, day)
        sender = _Sender(
            store, settings, transport, books, report, render_pdf or _default_pdf
        )
        try:
            for action_id in pending:
                lock.renew()
                prepared = sender.prepare(action_id)
                if prepared is not None:
                    sender.deliver(prepared)
        finally:
            if owned:
                transport.close()
    return report


def planned_after(store: Store, day: date) -> int:
    """How many planned actions are for days after `day` (not due at this send)."""
    with store.session() as session:
        return session.execute(
            select(func.count())
            .select_from(m.Action)
            .where(m.Action.state == PLANNED, m.Action.planned_on > day)
        ).scalar_one()


def _pending(
    store: Store, day: date, policy: Policy | None, only: int | None = None
) -> tuple[list[int], _Books]:
    """The planned actions due by `day`, oldest first, and the books to check them."""
    due: tuple[ColumnElement[bool], ...] = (
        m.Action.state == PLANNED,
        m.Action.planned_on <= day,
    )
    if only is not None:
        due = (m.Action.id == only,)
    with store.session() as session:
        data = _planning_data(session)
        pending = list(
            session.execute(
                select(m.Action.id)
                .where(*due)
                .order_by(m.Action.planned_on, m.Action.id)
            ).scalars()
        )
        documents = list(
            session.execute(
                select(m.ActionItem.document_id)
                .join(m.Action, m.Action.id == m.ActionItem.action_id)
                .where(*due)
                .distinct()
            ).scalars()
        )
    books = _Books(day=day, data=data, policy=policy or default_policy())
    books.check_all(documents)
    return pending, books


class _NoTransport:
    """Stands in for the channels in outbox mode, where nothing is delivered."""

    def send_email(self, email: Email) -> str:
        raise AssertionError("outbox mode delivers nothing")

    def send_sms(self, sms: Sms) -> str:
        raise AssertionError("outbox mode delivers nothing")

    def post_letter(self, letter: Letter) -> str:
        raise AssertionError("outbox mode delivers nothing")

    def close(self) -> None:
        pass


def preview_pending(
    store: Store,
    now: datetime,
    folder: str | Path,
    settings: Settings | None = None,
    policy: Policy | None = None,
    render_pdf: Callable[[str], bytes] | None = None,
    only: int | None = None,
) -> SendReport:
    """Render the planned actions (or action `only`) into `folder`, changing nothing.

    The same checks as a send: invoices paid or disputed since the run are left
    out, an action with none left is reported as `cancelled` (it would be), a
    template error as `failed`. Stale actions are reported as a send would cancel
    them. The send window is ignored: a preview is for any time of day. No lock is
    taken, no state moves, nothing is delivered.
    """
    settings = settings or Settings()
    day = rs.day_of(now, settings)
    report = SendReport(day=day, in_window=True, outbox=str(folder))
    report.later = 0 if only is not None else planned_after(store, day)
    pending, books = _pending(store, day, policy, only)
    stale = _stale(store, day, settings, pending)
    for action_id, label, reason in stale:
        report.cancelled.append((action_id, label, reason))
    skip = {action_id for action_id, _, _ in stale}
    sender = _Sender(
        store,
        settings,
        _NoTransport(),
        books,
        report,
        render_pdf or _default_pdf,
        Outbox(folder, settings),
    )
    for action_id in pending:
        if action_id not in skip:
            prepared = sender.prepare(action_id)
            if prepared is not None:
                sender.deliver(prepared)
    return report


def _stale(
    store: Store, day: date, settings: Settings, ids: list[int]
) -> list[tuple[int, str, str]]:
    """The actions among `ids` a send on `day` would cancel as stale."""
    limit = day - timedelta(days=settings.stale_after_days)
    reason = f"stale: planned before {limit.isoformat()}; a send would cancel it"
    query = (
        select(m.Action.id, m.Customer.ref, m.Action.step)
        .join(m.Customer, m.Customer.id == m.Action.customer_id)
        .where(m.Action.id.in_(ids), m.Action.planned_on < limit)
    )
    with store.session() as session:
        return [(a, f"{c} {step}", reason) for a, c, step in session.execute(query)]


# --- Listing and deciding ----------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    """An action as listed."""

    id: int
    ref: str
    customer_ref: str
    step: str
    channel: str
    planned_on: date
    state: str
    amount: Money
    cost: Money
    recipient: str | None
    message_id: str | None
    reason: str | None
    attempts: int


def list_actions(
    store: Store, state: str | None = None, day: date | None = None
) -> list[ActionRow]:
    """Actions, oldest first; only those in `state`, or planned on `day`, if given."""
    query = (
        select(m.Action, m.Customer.ref)
        .join(m.Customer, m.Customer.id == m.Action.customer_id)
        .order_by(m.Action.planned_on, m.Action.id)
    )
    if state is not None:
        query = query.where(m.Action.state == state)
    if day is not None:
        query = query.where(m.Action.planned_on == day)
    with store.session() as session:
        return [
            ActionRow(
                a.id,
                a.ref,
                ref,
                a.step,
                a.channel,
                a.planned_on,
                a.state,
                Money.from_minor(a.amount_minor, a.currency),
                Money.from_minor(a.cost_minor, a.cost_currency),
                a.recipient,
                a.message_id,
                a.reason,
                a.attempts,
            )
            for a, ref in session.execute(query)
        ]


class ResolveError(ValueError):
    """An action that cannot be resolved that way."""


def resolve_action(store: Store, action_id: int, decision: str, day: date) -> str:
    """A person's decision on an `unknown` (or `failed`) action.

    - `sent`: it did go out (found in the mail server's log...): state sent;
    - `retry`: it did not: back to planned, the next send delivers it;
    - `cancel`: give up: cancelled, and its invoices may reach the step again.
    """
    allowed = {
        "sent": (UNKNOWN,),
        "retry": (UNKNOWN, FAILED),
        "cancel": (UNKNOWN, FAILED),
    }
    if decision not in allowed:
        raise ResolveError(f"decision {decision!r}: expected sent, retry or cancel")
    with store.transaction() as session:
        action = session.get(m.Action, action_id)
        if action is None:
            raise ResolveError(f"no action {action_id}")
        if action.state not in allowed[decision]:
            raise ResolveError(
                f"action {action_id} is {action.state}; --{decision} applies to "
                f"{' or '.join(allowed[decision])} actions"
            )
        note = f"resolved by a person on {day.isoformat()}: {decision}"
        if decision == "sent":
            _set(
                session,
                action_id,
                action.state,
                state=SENT,
                outcome=None,
                outcome_on=day,
                reason=note,
            )
        elif decision == "retry":
            _set(
                session,
                action_id,
                action.state,
                state=PLANNED,
                outcome=None,
                reason=note,
            )
        else:
            _set(
                session,
                action_id,
                action.state,
                state=CANCELLED,
                reason=note,
                cost_minor=0,
            )
            items = _active_items(session, action_id)
            _release(
                session, action_id, [i.id for i in items], {i.id: note for i in items}
            )
    return f"action {action_id}: {note}"
