"""Reading a policy file: TOML in, a validated `Policy` out, or every problem.

`read_policy` walks the file once and collects problems instead of stopping at the
first: unknown keys (typos), missing or mistyped values, unknown channels, countries,
currencies, languages and payer profiles, steps out of order or named twice,
holdouts on formal notices. Each `PolicyProblem` names the file, the key path
(`segments[standard].steps[email_1].channel`: a segment or step is named by its
`name`, or by its 1-based position `#2` when it has no usable name) and quotes the
bad value as written. TOML floats are read as `Decimal`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import Locale, UnknownLocaleError

from relance.domain.money import UnknownCurrency, check_currency, minor_digits
from relance.reminders.calendar import UnknownCountry, check_country
from relance.reminders.planned import CHANNELS
from relance.reminders.policy import (
    PAYER_PROFILES,
    Amount,
    PayerProfileRule,
    Policy,
    PolicyInvalid,
    PolicyProblem,
    Rules,
    Segment,
    SendWindow,
    Step,
)

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_TEMPLATE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]{0,63}$")
_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def _show(value: Any) -> str:
    """A value as the user wrote it in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


_TOP_KEYS = ("campaign", "general", "payer_profiles", "segments")
_CAMPAIGN_KEYS = ("name", "description")
_GENERAL_KEYS = (
    "minimum_residual",
    "business_days_country",
    "business_days_subdivision",
    "send_window",
    "min_days_between_contacts",
    "max_contacts_per_customer_per_day",
    "default_language",
)
_PROFILE_KEYS = (
    "history_days",
    "new_below_paid_invoices",
    "on_time_max_days",
    "slow_max_days",
)
_SEGMENT_KEYS = ("name", "description", "tone", "language", "rules", "steps")
_RULE_KEYS = (
    "customer_type",
    "country",
    "segment",
    "tags",
    "exclude_tags",
    "amount_open_min",
    "amount_open_max",
    "payer_profile",
)
_STEP_KEYS = (
    "name",
    "offset_days",
    "channel",
    "template",
    "formal_notice",
    "holdout_share",
    "holdout_max_amount",
    "holdout_excluded_profiles",
)
_MISSING = object()


@dataclass
class _Reader:
    """Reads typed values out of TOML tables, collecting problems."""

    file: str
    problems: list[PolicyProblem] = field(default_factory=list)

    def problem(self, key: str, message: str) -> None:
        self.problems.append(PolicyProblem(self.file, key, message))

    def table(self, parent: Mapping[str, Any], key: str, path: str) -> dict[str, Any]:
        value = parent.get(key, {})
        if not isinstance(value, dict):
            self.problem(path, f"{_show(value)} should be a table, e.g. [{key}]")
            return {}
        return value

    def known_keys(
        self, table: Mapping[str, Any], allowed: tuple[str, ...], path: str
    ) -> None:
        for key in table:
            if key not in allowed:
                self.problem(
                    _join(path, key),
                    f"unknown key (expected one of: {', '.join(allowed)})",
                )

    def text(
        self, table: Mapping[str, Any], key: str, path: str, default: Any = _MISSING
    ) -> str | None:
        value = table.get(key, default)
        if value is _MISSING:
            self.problem(_join(path, key), "is required")
            return None
        if value is None or isinstance(value, str):
            return value
        self.problem(_join(path, key), f"{_show(value)} should be a string")
        return None

    def name(self, table: Mapping[str, Any], key: str, path: str) -> str | None:
        value = self.text(table, key, path)
        if value is not None and not _NAME.match(value):
            self.problem(
                _join(path, key),
                f"{_show(value)} should be 1-64 lower-case letters, digits, _ or -",
            )
            return None
        return value

    def integer(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        default: Any = _MISSING,
        minimum: int | None = None,
    ) -> int | None:
        value = table.get(key, default)
        if value is _MISSING:
            self.problem(_join(path, key), "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(_join(path, key), f"{_show(value)} should be a whole number")
            return None
        if minimum is not None and value < minimum:
            self.problem(_join(path, key), f"{value} should be at least {minimum}")
            return None
        return value

    def boolean(
        self, table: Mapping[str, Any], key: str, path: str, default: bool
    ) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.problem(_join(path, key), f"{_show(value)} should be true or false")
            return default
        return value

    def decimal(self, value: Any, path: str) -> Decimal | None:
        if isinstance(value, bool):
            self.problem(path, f"{_show(value)} should be a number")
            return None
        if isinstance(value, int | Decimal) and Decimal(value).is_finite():
            return Decimal(value)
        if isinstance(value, str):
            try:
                parsed = Decimal(value.strip())
            except InvalidOperation:
                parsed = None
            if parsed is not None and parsed.is_finite():
                return parsed
        self.problem(path, f'{_show(value)} should be a number, e.g. "15.00"')
        return None

    def strings(self, table: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(
                _join(path, key), f"{_show(value)} should be a list of strings"
            )
            return ()
        return tuple(value)

    def amount(self, table: Mapping[str, Any], key: str, path: str) -> Amount | None:
        """A non-negative amount, or a table of them per currency (+ `default`)."""
        if key not in table:
            return None
        value, where = table[key], _join(path, key)
        if not isinstance(value, dict):
            number = self.decimal(value, where)
            if number is not None and number < 0:
                self.problem(where, f"{_show(value)} should not be negative")
                return None
            return None if number is None else Amount(default=number)
        default: Decimal | None = None
        per: list[tuple[str, Decimal]] = []
        for code, raw in value.items():
            sub = _join(where, code)
            number = self.decimal(raw, sub)
            if number is None:
                continue
            if number < 0:
                self.problem(sub, f"{_show(raw)} should not be negative")
                continue
            if code == "default":
                default = number
                continue
            try:
                currency = check_currency(code)
            except UnknownCurrency:
                self.problem(sub, "unknown currency code (expected ISO 4217, e.g. EUR)")
                continue
            if number.as_tuple().exponent < -minor_digits(currency):  # type: ignore[operator]
                self.problem(
                    sub, f"{_show(raw)} has more decimals than {currency} allows"
                )
                continue
            per.append((currency, number))
        return Amount(default=default, by_currency=tuple(sorted(per)))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _label(table: Any, index: int) -> str:
    """`name` when the table has a usable one, else the 1-based position `#n`."""
    name = table.get("name") if isinstance(table, dict) else None
    return name if isinstance(name, str) and _NAME.match(name) else f"#{index + 1}"


def _language(reader: _Reader, value: str | None, path: str) -> str | None:
    if value is None:
        return None
    try:
        Locale.parse(value)
    except (UnknownLocaleError, ValueError):
        reader.problem(path, f"{_show(value)} is not a language code (e.g. fr, en)")
        return None
    return value


def _send_window(reader: _Reader, value: Any, path: str) -> SendWindow:
    if value is None:
        return SendWindow()
    match = _WINDOW.match(value) if isinstance(value, str) else None
    if match is None:
        reader.problem(path, f'{_show(value)} should look like "08:00-18:00"')
        return SendWindow()
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2 != 0):
        reader.problem(path, f"{_show(value)} has an impossible time")
        return SendWindow()
    start, end = time(h1, m1), (time(23, 59, 59) if h2 == 24 else time(h2, m2))
    if end <= start:
        reader.problem(path, f"{_show(value)}: the window should end after it starts")
        return SendWindow()
    return SendWindow(start, end)


def _rules(reader: _Reader, table: Mapping[str, Any], path: str) -> Rules:
    reader.known_keys(table, _RULE_KEYS, path)
    countries = tuple(c.upper() for c in reader.strings(table, "country", path))
    for code in countries:
        if not re.fullmatch(r"[A-Z]{2}", code):
            reader.problem(
                _join(path, "country"), f"{_show(code)} is not a 2-letter code"
            )
    profiles = reader.strings(table, "payer_profile", path)
    for profile in profiles:
        if profile not in PAYER_PROFILES:
            reader.problem(
                _join(path, "payer_profile"),
                f"{_show(profile)} is not a payer profile "
                f"(one of {', '.join(PAYER_PROFILES)})",
            )
    low = reader.amount(table, "amount_open_min", path)
    high = reader.amount(table, "amount_open_max", path)
    if low is not None and high is not None:
        codes = {c for c, _ in low.by_currency + high.by_currency} | {"default"}
        for code in sorted(codes):
            lo = low.default if code == "default" else low.for_currency(code)
            hi = high.default if code == "default" else high.for_currency(code)
            if lo is not None and hi is not None and lo >= hi:
                reader.problem(
                    _join(path, "amount_open_max"),
                    f"{hi} is not above amount_open_min {lo}"
                    + ("" if code == "default" else f" for {code}"),
                )
    return Rules(
        customer_type=reader.strings(table, "customer_type", path),
        country=countries,
        segment=reader.strings(table, "segment", path),
        tags=reader.strings(table, "tags", path),
        exclude_tags=reader.strings(table, "exclude_tags", path),
        amount_open_min=low,
        amount_open_max=high,
        payer_profile=profiles,
    )


def _step(reader: _Reader, table: Any, path: str) -> Step | None:
    if not isinstance(table, dict):
        reader.problem(path, f"{_show(table)} should be a table ([[segments.steps]])")
        return None
    reader.known_keys(table, _STEP_KEYS, path)
    name = reader.name(table, "name", path)
    offset = reader.integer(table, "offset_days", path)
    channel = reader.text(table, "channel", path)
    if channel is not None and channel not in CHANNELS:
        reader.problem(
            _join(path, "channel"),
            f"{_show(channel)} is not a channel (one of {', '.join(CHANNELS)})",
        )
        channel = None
    template = reader.text(table, "template", path, default=name)
    if template is not None and (not _TEMPLATE.match(template) or ".." in template):
        reader.problem(
            _join(path, "template"),
            f"{_show(template)} should be 1-64 letters, digits, _ . / or -, without ..",
        )
        template = None
    formal = reader.boolean(
        table, "formal_notice", path, channel == "registered_letter"
    )
    share = _holdout_share(reader, table, path, formal)
    limit = reader.amount(table, "holdout_max_amount", path)
    excluded = reader.strings(table, "holdout_excluded_profiles", path)
    for profile in excluded:
        if profile not in PAYER_PROFILES:
            reader.problem(
                _join(path, "holdout_excluded_profiles"),
                f"{_show(profile)} is not a payer profile "
                f"(one of {', '.join(PAYER_PROFILES)})",
            )
    if formal and offset is not None and offset < 0:
        reader.problem(
            _join(path, "offset_days"),
            f"{offset}: a formal notice cannot come before the due date",
        )
    if name is None or offset is None or channel is None or template is None:
        return None
    if share is None:
        return None
    return Step(
        name=name,
        offset_days=offset,
        channel=channel,
        template=template,
        formal_notice=formal,
        holdout_share=share,
        holdout_max_amount=limit,
        holdout_excluded_profiles=excluded,
    )


def _holdout_share(
    reader: _Reader, table: Mapping[str, Any], path: str, formal: bool
) -> Decimal | None:
    if "holdout_share" not in table:
        return Decimal(0)
    where = _join(path, "holdout_share")
    share = reader.decimal(table["holdout_share"], where)
    if share is None:
        return None
    if not Decimal(0) <= share < Decimal(1):
        reader.problem(
            where,
            f"{share} should be a fraction from 0 up to (not including) 1: "
            "write 0.05 for 5 %",
        )
        return None
    if formal and share > 0:
        reader.problem(
            where, f"{share} on a formal notice step: formal notices are never held out"
        )
        return None
    return share


def _segment(reader: _Reader, table: Any, path: str) -> Segment | None:
    if not isinstance(table, dict):
        reader.problem(path, f"{_show(table)} should be a table ([[segments]])")
        return None
    reader.known_keys(table, _SEGMENT_KEYS, path)
    name = reader.name(table, "name", path)
    tone = reader.text(table, "tone", path, default="courteous")
    description = reader.text(table, "description", path, default="")
    language = _language(
        reader,
        reader.text(table, "language", path, default=None),
        _join(path, "language"),
    )
    rules = _rules(
        reader, reader.table(table, "rules", _join(path, "rules")), _join(path, "rules")
    )

    raw_steps = table.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        reader.problem(
            _join(path, "steps"), "a segment needs at least one [[segments.steps]]"
        )
        raw_steps = []
    steps: list[Step] = []
    seen: set[str] = set()
    previous: tuple[int, str] | None = None
    for index, raw in enumerate(raw_steps):
        where = f"{path}.steps[{_label(raw, index)}]"
        step = _step(reader, raw, where)
        # Order and uniqueness are checked on what was written, even when another
        # key of the step is wrong, so that every problem shows at once.
        raw_name = raw.get("name") if isinstance(raw, dict) else None
        offset = raw.get("offset_days") if isinstance(raw, dict) else None
        if isinstance(raw_name, str):
            if raw_name in seen:
                reader.problem(
                    _join(where, "name"),
                    f"{_show(raw_name)} is used twice in this ladder",
                )
            seen.add(raw_name)
        if isinstance(offset, int) and not isinstance(offset, bool):
            if previous is not None and offset <= previous[0]:
                reader.problem(
                    _join(where, "offset_days"),
                    f"{offset} is not after the previous step's {previous[0]} "
                    f"({previous[1]}): steps come in order",
                )
            previous = (
                offset,
                raw_name if isinstance(raw_name, str) else f"#{index + 1}",
            )
        if step is not None:
            steps.append(step)
    if name is None or tone is None or not steps:
        return None
    return Segment(
        name=name,
        steps=tuple(steps),
        rules=rules,
        tone=tone,
        language=language,
        description=description or "",
    )


def read_policy(text: str, source: str = "<policy>") -> Policy:
    """Validate a policy given as TOML text; raise `PolicyInvalid` with every problem."""
    reader = _Reader(source)
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise PolicyInvalid(
            [PolicyProblem(source, "(file)", f"not valid TOML: {error}")]
        ) from None
    reader.known_keys(data, _TOP_KEYS, "")

    # Campaign and global rules.
    campaign_t = reader.table(data, "campaign", "campaign")
    reader.known_keys(campaign_t, _CAMPAIGN_KEYS, "campaign")
    campaign = reader.name(campaign_t, "name", "campaign")
    general = reader.table(data, "general", "general")
    reader.known_keys(general, _GENERAL_KEYS, "general")
    minimum = reader.amount(general, "minimum_residual", "general") or Amount(
        Decimal(0)
    )
    country = reader.text(general, "business_days_country", "general", default="FR")
    subdivision = reader.text(
        general, "business_days_subdivision", "general", default=None
    )
    if country is not None:
        try:
            check_country(country)
        except UnknownCountry:
            reader.problem(
                "general.business_days_country",
                f"{_show(country)} is not a country code the calendar knows (e.g. FR, BE)",
            )
        else:
            try:
                check_country(country, subdivision)
            except UnknownCountry:
                reader.problem(
                    "general.business_days_subdivision",
                    f"{_show(subdivision)} is not a subdivision of {country}",
                )
    window = _send_window(reader, general.get("send_window"), "general.send_window")
    min_days = reader.integer(
        general, "min_days_between_contacts", "general", default=5, minimum=0
    )
    per_day = reader.integer(
        general, "max_contacts_per_customer_per_day", "general", default=1, minimum=1
    )
    language = _language(
        reader,
        reader.text(general, "default_language", "general", default="fr"),
        "general.default_language",
    )
    profiles = _profile_rule(
        reader, reader.table(data, "payer_profiles", "payer_profiles")
    )

    # Segments, in priority order.
    raw_segments = data.get("segments")
    if not isinstance(raw_segments, list) or not raw_segments:
        reader.problem("segments", "a policy needs at least one [[segments]]")
        raw_segments = []
    segments: list[Segment] = []
    names: set[str] = set()
    for index, raw in enumerate(raw_segments):
        where = f"segments[{_label(raw, index)}]"
        segment = _segment(reader, raw, where)
        raw_name = raw.get("name") if isinstance(raw, dict) else None
        if isinstance(raw_name, str):
            if raw_name in names:
                reader.problem(_join(where, "name"), f"{_show(raw_name)} is used twice")
            names.add(raw_name)
        if segment is not None:
            segments.append(segment)

    if reader.problems:
        raise PolicyInvalid(reader.problems)
    return Policy(
        campaign=campaign,  # type: ignore[arg-type]
        segments=tuple(segments),
        minimum_residual=minimum,
        business_days_country=country,  # type: ignore[arg-type]
        business_days_subdivision=subdivision,
        send_window=window,
        min_days_between_contacts=min_days,  # type: ignore[arg-type]
        max_contacts_per_customer_per_day=per_day,  # type: ignore[arg-type]
        default_language=language,  # type: ignore[arg-type]
        payer_profiles=profiles,
        source=source,
    )


def _profile_rule(reader: _Reader, table: Mapping[str, Any]) -> PayerProfileRule:
    path = "payer_profiles"
    reader.known_keys(table, _PROFILE_KEYS, path)
    base = PayerProfileRule()
    history = reader.integer(
        table, "history_days", path, default=base.history_days, minimum=1
    )
    paid = reader.integer(
        table,
        "new_below_paid_invoices",
        path,
        default=base.new_below_paid_invoices,
        minimum=0,
    )
    on_time = reader.decimal(
        table.get("on_time_max_days", base.on_time_max_days),
        _join(path, "on_time_max_days"),
    )
    slow = reader.decimal(
        table.get("slow_max_days", base.slow_max_days), _join(path, "slow_max_days")
    )
    if on_time is not None and slow is not None and on_time > slow:
        reader.problem(
            _join(path, "slow_max_days"),
            f"{slow} is below on_time_max_days {on_time}",
        )
    if None in (history, paid, on_time, slow):
        return base
    return PayerProfileRule(history, paid, on_time, slow)  # type: ignore[arg-type]
