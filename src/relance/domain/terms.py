"""Payment terms: reading the forms French firms write, and the due dates they give.

A due date is the issue date moved by the customer's terms. Three shapes exist:

- `net`: issue date + N days ("30 jours", "30 days net", "net 30", "comptant" = 0);
- `days_then_end_of_month`: the last day of the month in which issue date + N days
  falls ("45 jours fin de mois", "45 days end of month"). This is the usual reading
  of "45 jours fin de mois" and the one relance gives that wording;
- `end_of_month_then_days`: the last day of the issue month, + N days ("fin de mois
  + 45 jours", "end of month + 45 days"). This is the other reading of "45 jours fin
  de mois"; write it this way to get it.

Worked example, invoice of 20 January 2024 (a leap year): "45 jours fin de mois"
is 20 Jan + 45 = 5 March, so 31 March 2024; "fin de mois + 45 jours" is 31 January
+ 45 = 16 March 2024; "30 jours" is 19 February 2024.

Everything is a pure function of its arguments; days are calendar days.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

TermsKind = Literal["net", "days_then_end_of_month", "end_of_month_then_days"]

ACCEPTED_FORMS = (
    '"30 days", "30 jours", "30 jours net", "net 30", '
    '"45 days end of month", "45 jours fin de mois", '
    '"end of month + 45 days", "fin de mois + 45 jours", '
    '"comptant", "immediate", "0 days"'
)


@dataclass(frozen=True, slots=True)
class PaymentTerms:
    """How long a customer has to pay: a number of days and a month-end rule."""

    days: int
    kind: TermsKind = "net"

    def __post_init__(self) -> None:
        if self.days < 0:
            raise ValueError(f"payment terms cannot be negative: {self.days} days")

    def __str__(self) -> str:
        if self.kind == "days_then_end_of_month":
            return f"{self.days} days end of month"
        if self.kind == "end_of_month_then_days":
            return f"end of month + {self.days} days"
        return f"{self.days} days"


def last_day_of_month(day: date) -> date:
    """The last calendar day of `day`'s month (29 February in a leap year)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def due_date(issue_date: date, terms: PaymentTerms) -> date:
    """The date by which an invoice issued on `issue_date` must be paid."""
    if terms.kind == "days_then_end_of_month":
        return last_day_of_month(issue_date + timedelta(days=terms.days))
    if terms.kind == "end_of_month_then_days":
        return last_day_of_month(issue_date) + timedelta(days=terms.days)
    return issue_date + timedelta(days=terms.days)


# Words that add nothing to the meaning: "30 jours net", "60 jours date de facture".
_NOISE = re.compile(
    r"\b(de date de facture|date de facture|date facture|de facture|"
    r"from invoice date|after invoice date|invoice date|nets?)\b"
)
_DAYS = r"(\d{1,3})\s*(?:days?|jours?|j|d)"
_END = r"(?:fin de mois|fdm|end of month|eom|end of the month)"
_IMMEDIATE = {
    "comptant",
    "au comptant",
    "immediate",
    "immediat",
    "paiement immediat",
    "a reception",
    "a reception de facture",
    "on receipt",
    "upon receipt",
    "due on receipt",
    "cash",
}
_FORMS: tuple[tuple[re.Pattern[str], TermsKind], ...] = (
    (re.compile(rf"^{_DAYS}$"), "net"),
    (re.compile(rf"^{_DAYS}\s*,?\s*{_END}$"), "days_then_end_of_month"),
    (re.compile(rf"^{_END}\s*\+\s*{_DAYS}$"), "end_of_month_then_days"),
    (re.compile(rf"^{_END}$"), "end_of_month_then_days"),
)


def _normalise(text: str) -> str:
    """Lower case, accents removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.lower().replace("\u00a0", " ").split())


def parse_terms(text: str) -> PaymentTerms:
    """Read payment terms written in French or English; raise ValueError if unknown.

    "net 30" is matched before the word "net" is dropped as noise, so both
    "30 jours net" and "net 30" mean 30 days.
    """
    normalised = _normalise(text)
    if normalised in _IMMEDIATE:
        return PaymentTerms(0)
    match = re.fullmatch(r"net\s*(\d{1,3})", normalised)
    if match:
        return PaymentTerms(int(match.group(1)))
    cleaned = " ".join(_NOISE.sub(" ", normalised).split())
    for pattern, kind in _FORMS:
        match = pattern.match(cleaned)
        if match:
            days = int(match.group(1)) if match.groups() else 0
            return PaymentTerms(days, kind)
    raise ValueError(
        f"payment terms {text!r} not understood: expected one of {ACCEPTED_FORMS}"
    )
