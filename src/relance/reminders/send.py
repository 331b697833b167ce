"""Sending one recorded action: what still applies, and the message to deliver.

Pure decisions, kept apart from the store (see `relance.services.send`):

- `split_items`: each invoice of the action is checked again against the ledger
  of the sending day; those no longer eligible (paid, credited, disputed,
  promised, customer excluded or in net credit) are dropped with their reason, the
  others go out with their open balance of that day (the new total);
- `compose_*`: the email, SMS or letter, rendered from the action's template in
  the customer's language (else the fallback language). An email carries a PDF:
  the step's own letter when its template has one (the formal notice), else the
  statement of account.
- the send window (`send_window_start` inclusive, `send_window_end` exclusive,
  local time of the `timezone` setting).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from relance.reminders.channels import Attachment, Email, Letter, Sms
from relance.reminders.channels.email import reply_to
from relance.reminders.templates import STATEMENT, Templates
from relance.settings import Settings


def local_time(now: datetime, settings: Settings) -> datetime:
    """`now` in the settings' time zone (a naive `now` is taken as UTC)."""
    zone = ZoneInfo(settings.timezone)
    if now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo("UTC"))
    return now.astimezone(zone)


def in_send_window(now: datetime, settings: Settings) -> bool:
    """Whether messages may go out at `now` (start included, end excluded)."""
    moment = local_time(now, settings).time()
    return settings.send_window_start <= moment < settings.send_window_end


@dataclass(frozen=True)
class ItemCheck:
    """One invoice of an action, checked again at sending time."""

    item_id: int
    document_id: int
    document_ref: str
    residual_now: int
    reason: str | None  # None: still to be reminded


def split_items(checks: Sequence[ItemCheck]) -> tuple[list[ItemCheck], list[ItemCheck]]:
    """(kept, dropped): the invoices that still apply, and those that no longer do."""
    kept = [c for c in checks if c.reason is None]
    dropped = [c for c in checks if c.reason is not None]
    return kept, dropped


def drop_reason(dropped: Sequence[ItemCheck]) -> str:
    """Why invoices were dropped, e.g. `F1: no longer open; F2: invoice in dispute`."""
    return "; ".join(f"{c.document_ref}: {c.reason}" for c in dropped)


_PDF_NAMES = {
    ("fr", True): "mise-en-demeure",
    ("fr", False): "releve-de-compte",
    ("en", True): "formal-notice",
    ("en", False): "statement-of-account",
}


def letter_template(templates: Templates, template: str, language: str) -> str:
    """The template whose letter part is used: the step's own, else the statement."""
    return template if templates.has(template, language, "letter") else STATEMENT


def pdf_name(language: str, own_letter: bool, customer_ref: str) -> str:
    """File name of the attached PDF, in the message's language."""
    base = _PDF_NAMES.get((language, own_letter), _PDF_NAMES[("en", own_letter)])
    return f"{base}-{customer_ref}.pdf"


Renderer = Callable[[str], bytes]


@dataclass(frozen=True)
class Draft:
    """What the action needs rendered, before knowing the channel's outcome."""

    template: str
    language: str
    context: Mapping[str, Any]
    customer_ref: str
    reference: str


def compose_email(
    draft: Draft,
    templates: Templates,
    render_pdf: Renderer,
    to: tuple[str, ...],
    collector: str | None,
    settings: Settings,
    message_id: str,
) -> Email:
    """The email of an action; raises `TemplateProblem` when a part cannot render."""
    t, lang, ctx = draft.template, draft.language, draft.context
    letter = letter_template(templates, t, lang)
    pdf = render_pdf(templates.render(letter, lang, "letter", ctx))
    return Email(
        to=to,
        subject=templates.render(t, lang, "subject", ctx).replace("\n", " "),
        text=templates.render(t, lang, "text", ctx) + "\n",
        html=templates.render(t, lang, "html", ctx),
        sender=settings.smtp_from,
        reply_to=reply_to(collector, settings),
        message_id=message_id,
        attachments=(
            Attachment(pdf_name(lang, letter != STATEMENT, draft.customer_ref), pdf),
        ),
    )


def compose_sms(draft: Draft, templates: Templates, to: str) -> Sms:
    """The SMS of an action, on one line with plain spaces (the GSM alphabet
    has no narrow or non-breaking spaces)."""
    text = templates.render(draft.template, draft.language, "sms", draft.context)
    return Sms(to=to, text=" ".join(text.split()), reference=draft.reference)


def compose_letter(
    draft: Draft, templates: Templates, render_pdf: Renderer, registered: bool
) -> Letter:
    """The letter of an action, as PDF."""
    letter = letter_template(templates, draft.template, draft.language)
    html = templates.render(letter, draft.language, "letter", draft.context)
    return Letter(
        reference=draft.reference, pdf=render_pdf(html), registered=registered
    )


def task_text(draft: Draft, templates: Templates) -> str:
    """What the collector reads in the worklist for a call or a hand-over."""
    if not templates.has(draft.template, draft.language, "task"):
        return ""
    return templates.render(draft.template, draft.language, "task", draft.context)


def day_of(now: datetime, settings: Settings) -> date:
    """The business day of `now`, in the settings' time zone."""
    return local_time(now, settings).date()
