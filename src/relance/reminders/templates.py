"""Templates of reminders: sandboxed Jinja2, strict about undefined variables.

A template is a folder `<language>/<name>/` holding one file per part:

- `subject.txt`, `text.txt`, `html.html`: an email (subject, plain text, HTML);
- `sms.txt`: an SMS;
- `letter.html`: a letter, rendered to PDF (the formal notice, the statement);
- `task.txt`: what a collector reads in the worklist (calls, hand-overs).

Users edit templates, so they run in a `SandboxedEnvironment` (no access to
Python internals) with `StrictUndefined`: a misspelt variable is an error naming
it, never an empty string in a customer's mailbox. HTML parts are autoescaped.
A folder of the user's (`templates_dir` setting) is searched before the shipped
templates, file by file, so overriding one part keeps the others.

Amounts are `Money` and are shown with the `money` filter, dates with `date`,
both with Babel in the message's language: `{{ total|money }}` gives
`12 345,67 €` in French and `€12,345.67` in English.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    Undefined,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from relance.domain.money import Money
from relance.formatting import format_money

SHIPPED = Path(__file__).with_name("templates")
PARTS = ("subject", "text", "html", "sms", "letter", "task")
_FILES = {
    "subject": "subject.txt",
    "text": "text.txt",
    "html": "html.html",
    "sms": "sms.txt",
    "letter": "letter.html",
    "task": "task.txt",
}
# What each channel needs from a step's template; a letter falls back to the
# statement of account when the step has no letter of its own.
CHANNEL_PARTS: dict[str, tuple[str, ...]] = {
    "email": ("subject", "text", "html", "letter"),
    "sms": ("sms",),
    "letter": ("letter",),
    "registered_letter": ("letter",),
    "phone": ("task",),
    "handover": ("task",),
}
STATEMENT = "statement"


class TemplateProblem(Exception):
    """A template that cannot be rendered; the message says which file and why."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        self.message = message
        super().__init__(f"template {where}: {message}")


def _defined(value: Any) -> Any:
    """Raise the undefined-variable error for an undefined value given to a filter."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    return value


def _locale(context: Context) -> str:
    return str(context.get("language") or "fr")


@pass_context
def _money_filter(context: Context, value: Any) -> str:
    if not isinstance(_defined(value), Money):
        raise TemplateError(f"money filter needs an amount, got {value!r}")
    return format_money(value, _locale(context))


@pass_context
def _date_filter(context: Context, value: Any, style: str = "long") -> str:
    if not isinstance(_defined(value), date):
        raise TemplateError(f"date filter needs a date, got {value!r}")
    return format_date(value, format=style, locale=_locale(context))


@pass_context
def _number_filter(context: Context, value: Any) -> str:
    return format_decimal(_defined(value), locale=_locale(context))


class Templates:
    """The templates in force: the user's folder first, then the shipped ones."""

    def __init__(self, user_dir: str | Path | None = None) -> None:
        loaders = []
        if user_dir:
            loaders.append(FileSystemLoader(str(user_dir)))
        loaders.append(FileSystemLoader(str(SHIPPED)))
        self.env = SandboxedEnvironment(
            loader=ChoiceLoader(loaders),
            undefined=StrictUndefined,
            autoescape=select_autoescape(["html"]),
            keep_trailing_newline=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["money"] = _money_filter
        self.env.filters["date"] = _date_filter
        self.env.filters["number"] = _number_filter

    def has(self, name: str, language: str, part: str) -> bool:
        """Whether this template has this part in this language."""
        try:
            self.env.get_template(_path(name, language, part))
        except TemplateNotFound:
            return False
        except TemplateSyntaxError:
            return True
        return True

    def language_for(self, name: str, wanted: str, fallback: str) -> str:
        """The customer's language when the template exists in it, else fallback."""
        if any(self.has(name, wanted, part) for part in PARTS):
            return wanted
        return fallback

    def render(
        self, name: str, language: str, part: str, context: Mapping[str, Any]
    ) -> str:
        """Render one part; raise `TemplateProblem` with a readable reason."""
        path = _path(name, language, part)
        try:
            template = self.env.get_template(path)
            return template.render(dict(context, language=language)).strip()
        except TemplateNotFound:
            raise TemplateProblem(path, "no such template") from None
        except TemplateSyntaxError as error:
            where = f"{error.name or path}:{error.lineno}"
            raise TemplateProblem(where, error.message or str(error)) from None
        except TemplateError as error:
            raise TemplateProblem(_where(error, path), str(error)) from None
        except (TypeError, ValueError, ArithmeticError, LookupError) as error:
            # A user's template may misuse a value; that is its problem, not a bug.
            raise TemplateProblem(_where(error, path), str(error)) from None


def _path(name: str, language: str, part: str) -> str:
    return f"{language}/{name}/{_FILES[part]}"


def _where(error: BaseException, path: str) -> str:
    """`path:line` of the innermost template frame of a render error."""
    found = path
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.endswith(tuple(_FILES.values())) and frame.lineno:
            found = f"{_relative(frame.filename, path)}:{frame.lineno}"
    return found


def _relative(filename: str, default: str) -> str:
    parts = Path(filename).parts
    return "/".join(parts[-3:]) if len(parts) >= 3 else default


# A reference made by the FEC import: journal:EcritureNum:YYYYMMDD:PieceRef:account:
# aux, maybe with a "#2" repeat suffix, or cut and ended by "~" and a digest when
# too long (see relance.imports.fec.line_reference).
_FEC_REF = re.compile(
    r"^[^:]*:[^:]*:\d{8}:(?P<piece>.*):[^:]*:[^:]*?(?:#\d+)?$", re.DOTALL
)
_FEC_CUT = re.compile(
    r"^[^:]*:[^:]*:\d{8}:(?P<piece>[^:~]*).*~[0-9a-f]{16}$", re.DOTALL
)


def piece_number(ref: str) -> str:
    """The number the customer knows an invoice by.

    For a document imported from a FEC, whose reference is the whole line
    (`VT:412:20240110:F-0412:411000:C001`), the piece reference `F-0412`; for
    any other, the reference itself. An empty piece reference gives the whole
    reference back, so that the message still names something.
    """
    found = _FEC_CUT.match(ref) or _FEC_REF.match(ref)
    if found is None or not found["piece"].strip():
        return ref
    return found["piece"].strip()


@dataclass(frozen=True)
class ItemView:
    """An invoice as templates see it; `number` is what the customer knows it by."""

    ref: str
    issue_date: date
    due_date: date
    residual: Money
    days_past_due: int

    @property
    def number(self) -> str:
        """The customer-facing number (the piece reference of a FEC line)."""
        return piece_number(self.ref)


def message_context(
    *,
    customer: Mapping[str, Any],
    items: Iterable[ItemView],
    currency: str,
    step: Mapping[str, Any],
    day: date,
    company: Mapping[str, Any],
    formal_notice_days: int,
    penalties: Mapping[str, Any] | None = None,
    account: Iterable[ItemView] | None = None,
    unapplied: Money | None = None,
) -> dict[str, Any]:
    """The variables every template may use (see docs/reminders.md).

    `items` are the invoices the message is about; `account` every open document
    of the customer (credit notes negative) and `unapplied` its unapplied cash, for
    the statement: balance = documents total − unapplied cash. `penalties`, when
    given, holds `interest` and `indemnity` (Money); the amount claimable is then
    principal + interest + indemnity. Without it the amount claimable is the
    principal alone and `penalties.available` is false.
    """
    views = list(items)
    total = _sum(views, currency)
    zero = Money.zero(currency)
    whole = views if account is None else list(account)
    documents_total = _sum(whole, currency)
    cash = unapplied or zero
    if penalties is None:
        claim = {"available": False, "interest": zero, "indemnity": zero}
    else:
        claim = {"available": True, **penalties}
    claim["claimable"] = total + claim["interest"] + claim["indemnity"]
    return {
        "customer": dict(customer),
        "items": views,
        "total": total,
        "currency": currency,
        "step": dict(step),
        "today": day,
        "deadline": day + timedelta(days=formal_notice_days),
        "deadline_days": formal_notice_days,
        "company": dict(company),
        "penalties": claim,
        "account": {
            "documents": whole,
            "documents_total": documents_total,
            "unapplied": cash,
            "balance": documents_total - cash,
        },
    }


def _sum(items: list[ItemView], currency: str) -> Money:
    total = Money.zero(currency)
    for item in items:
        total = total + item.residual
    return total


def sample_context(language: str, currency: str = "EUR") -> dict[str, Any]:
    """A made-up customer with two overdue invoices, to try templates on."""
    day = date(2024, 3, 15)
    items = [
        ItemView(
            "F2024-0101",
            date(2024, 1, 10),
            date(2024, 2, 9),
            Money.of("1250.00", currency),
            35,
        ),
        ItemView(
            "F2024-0142",
            date(2024, 1, 25),
            date(2024, 2, 24),
            Money.of("11095.67", currency),
            20,
        ),
    ]
    return message_context(
        customer={
            "ref": "C-SAMPLE",
            "name": "Exemple SARL",
            "address": "12 rue de l'Exemple\n69001 Lyon",
            "collector": "Camille Martin",
            "language": language,
        },
        items=items,
        currency=currency,
        step={"name": "sample", "index": 1, "channel": "email", "template": "sample"},
        day=day,
        company={
            "name": "Votre Société SAS",
            "address": "1 place de la Bourse\n75002 Paris",
            "siren": "123456789",
            "iban": "FR76 3000 6000 0112 3456 7890 189",
            "bic": "AGRIFRPP",
            "email": "compta@example.fr",
            "phone": "01 23 45 67 89",
        },
        formal_notice_days=8,
        penalties={
            "interest": Money.of(Decimal("61.02"), currency),
            "indemnity": Money.of(Decimal("80.00"), currency),
        },
    )


@dataclass(frozen=True)
class CheckProblem:
    """One template problem found by `check_templates`."""

    template: str
    language: str
    part: str
    message: str

    def __str__(self) -> str:
        return f"{self.language}/{self.template}/{self.part}: {self.message}"


def check_templates(
    templates: Templates,
    uses: Iterable[tuple[str, str]],
    languages: Iterable[str],
) -> list[CheckProblem]:
    """Render every (template, channel) in every language on the sample; list all
    problems (missing parts, syntax errors, undefined variables)."""
    problems: list[CheckProblem] = []
    langs = sorted(set(languages))
    for name, channel in sorted(set(uses)):
        for language in langs:
            context = sample_context(language)
            for part in CHANNEL_PARTS.get(channel, ()):
                template = name
                if part == "letter" and not templates.has(name, language, "letter"):
                    template = STATEMENT
                try:
                    templates.render(template, language, part, context)
                except TemplateProblem as problem:
                    problems.append(
                        CheckProblem(template, language, part, str(problem))
                    )
    return problems
