"""Settings: one declarative table, read from `relance.toml` and the environment.

Every setting is a field of `Settings` with its default and its help; nothing else
lists them. The same table feeds the `relance settings` command, the environment
(`RELANCE_<NAME>`, upper case) and docs/settings.md.

Precedence, last wins: the default, then the TOML file, then the environment. The
file is the one given with `--settings`, else `$RELANCE_SETTINGS`, else
`./relance.toml` when it exists. In the file a setting is written by its name
(`smtp_host = "mail.example.fr"`) or inside a table named after its first word
(`[smtp]` then `host = ...`). Unknown names and bad values are all reported
together in one `SettingsError`.

Money settings (the cost model) are Decimal amounts in `cost_currency`, EUR by
default; TOML numbers are read as Decimal, never float.
"""

# `_setting` is `dataclasses.field` with a help text: a default, not a call per
# instance.
# ruff: noqa: RUF009

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, get_type_hints

SETTINGS_ENV = "RELANCE_SETTINGS"
DEFAULT_FILE = Path("relance.toml")
_MASK = "********"


def _setting(default: Any, help: str, *, secret: bool = False) -> Any:
    return field(default=default, metadata={"help": help, "secret": secret})


@dataclass(frozen=True)
class Settings:
    """Everything relance reads from the operator rather than from the books."""

    # Sending: when, and from where.
    timezone: str = _setting(
        "Europe/Paris", "Time zone of the send window and of 'today' when sending."
    )
    send_window_start: time = _setting(
        time(8, 0), "Earliest local time at which messages go out (HH:MM)."
    )
    send_window_end: time = _setting(
        time(18, 0), "Local time after which no message goes out (HH:MM, excluded)."
    )
    send_lock_minutes: int = _setting(
        30, "A send lock older than this is deemed abandoned and may be taken over."
    )
    stale_after_days: int = _setting(
        5, "A planned action not sent within this many days is cancelled as stale."
    )

    # Email through SMTP.
    smtp_host: str = _setting("localhost", "SMTP server host name.")
    smtp_port: int = _setting(587, "SMTP server port (587 STARTTLS, 465 SSL, 25).")
    smtp_starttls: bool = _setting(True, "Upgrade the connection with STARTTLS.")
    smtp_ssl: bool = _setting(False, "Connect with TLS from the start (port 465).")
    smtp_user: str = _setting("", "SMTP login; empty for no authentication.")
    smtp_password: str = _setting("", "SMTP password.", secret=True)
    smtp_timeout: int = _setting(30, "Seconds to wait for the SMTP server.")
    smtp_from: str = _setting(
        "relances@example.invalid", "Sender address of reminder emails (From)."
    )
    smtp_reply_to: str = _setting(
        "",
        "Reply-To when the customer's collector is not an email address "
        "(empty: the From address).",
    )

    # SMS through an HTTP provider.
    sms_url: str = _setting("", "URL the SMS provider receives messages at (POST).")
    sms_token: str = _setting("", "Bearer token sent to the SMS provider.", secret=True)
    sms_payload: str = _setting(
        '{"to": "{to}", "text": "{text}"}',
        "JSON body sent to the provider; the strings {to}, {text}, {sender} and "
        "{reference} are replaced.",
    )
    sms_sender: str = _setting(
        "", "Sender name shown on SMS, when the provider allows."
    )
    sms_timeout: int = _setting(15, "Seconds to wait for the SMS provider.")

    # Cost model, in cost_currency.
    cost_currency: str = _setting("EUR", "Currency of every cost below.")
    cost_email: Decimal = _setting(Decimal("0.02"), "Cost of one email.")
    cost_sms: Decimal = _setting(Decimal("0.08"), "Cost of one SMS.")
    cost_letter: Decimal = _setting(Decimal("1.80"), "Cost of one letter, posted.")
    cost_registered_letter: Decimal = _setting(
        Decimal("7.50"), "Cost of one registered letter with advice of delivery."
    )
    cost_bailiff: Decimal = _setting(
        Decimal("180.00"), "Cost of a formal notice served by a bailiff."
    )
    cost_handover: Decimal = _setting(
        Decimal("50.00"), "Fixed cost of handing a file to litigation or an agency."
    )
    collector_hourly_cost: Decimal = _setting(
        Decimal("40.00"), "Loaded cost of one hour of a collector's time."
    )
    minutes_per_call: int = _setting(10, "Collector minutes spent on one call.")
    minutes_per_dispute: int = _setting(
        30, "Collector minutes spent handling one dispute."
    )

    # Identity printed on letters and emails.
    company_name: str = _setting("", "Your company's legal name.")
    company_address: str = _setting(
        "", "Your postal address; write line breaks as \\n."
    )
    company_siren: str = _setting("", "Your SIREN (9 digits).")
    company_iban: str = _setting("", "IBAN customers pay to.")
    company_bic: str = _setting("", "BIC of that account.")
    company_email: str = _setting("", "Address customers write to about invoices.")
    company_phone: str = _setting("", "Phone number customers call about invoices.")

    # Templates, letters, follow-up.
    templates_dir: str = _setting(
        "", "Folder of your own templates; they override the shipped ones."
    )
    letters_dir: str = _setting(
        "letters", "Folder where letters are written as PDF, for printing and posting."
    )
    default_language: str = _setting(
        "fr", "Language of customers whose language is not known."
    )
    fallback_language: str = _setting(
        "en", "Language used when no template exists in the customer's language."
    )
    default_collector: str = _setting(
        "", "Collector of customers who have none, for tasks."
    )
    formal_notice_days: int = _setting(
        8, "Days the formal notice gives the customer to pay."
    )
    promise_grace_days: int = _setting(
        2, "Days after a promise's date before it is judged broken."
    )

    def cost_of(self, what: str) -> Decimal:
        """Unit cost of one action on a channel, in `cost_currency`, unrounded.

        A call costs `minutes_per_call` of collector time: with 10 minutes at
        40.00 an hour, 10 × 40 / 60 = 6.666…, left unrounded here.
        """
        if what == "phone":
            return self.collector_hourly_cost * self.minutes_per_call / 60
        if what == "dispute":
            return self.collector_hourly_cost * self.minutes_per_dispute / 60
        amount = getattr(self, f"cost_{what}", None)
        if not isinstance(amount, Decimal):
            raise KeyError(f"no cost for {what!r} in the cost model")
        return amount


class SettingsError(ValueError):
    """Settings that cannot be used; every problem is listed."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("bad settings:\n" + "\n".join(problems))


@dataclass(frozen=True)
class SettingRow:
    """One line of `relance settings`: a setting, its value and where it came from."""

    name: str
    value: str
    source: str
    env: str
    help: str
    secret: bool


def env_name(name: str) -> str:
    """Environment variable of a setting: `smtp_host` → `RELANCE_SMTP_HOST`."""
    return f"RELANCE_{name.upper()}"


def _types() -> dict[str, Any]:
    return get_type_hints(Settings)


def _parse(kind: Any, raw: Any) -> Any:
    """Convert a TOML value or an environment string to the setting's type."""
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise ValueError(f"{raw!r} is not true or false")
    if kind is int:
        if isinstance(raw, bool) or (isinstance(raw, Decimal) and raw != int(raw)):
            raise ValueError(f"{raw!r} is not a whole number")
        try:
            return int(str(raw).strip())
        except ValueError:
            raise ValueError(f"{raw!r} is not a whole number") from None
    if kind is Decimal:
        if isinstance(raw, float):
            raise ValueError(f"{raw!r}: write amounts as strings or exact numbers")
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise ValueError(f"{raw!r} is not an amount") from None
        if not value.is_finite() or value < 0:
            raise ValueError(f"{raw!r} is not a positive amount")
        return value
    if kind is time:
        if isinstance(raw, time):
            return raw
        try:
            return time.fromisoformat(str(raw).strip())
        except ValueError:
            raise ValueError(f"{raw!r} is not a time (expected HH:MM)") from None
    return str(raw)


def _flatten(data: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """Flat names from the file: `[smtp] host` is `smtp_host`."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and key not in known:
            for sub, inner in value.items():
                flat[f"{key}_{sub}"] = inner
        else:
            flat[key] = value
    return flat


def settings_file(
    explicit: str | Path | None, environ: Mapping[str, str]
) -> Path | None:
    """The settings file to read, or None when there is none."""
    if explicit:
        return Path(explicit)
    if environ.get(SETTINGS_ENV):
        return Path(environ[SETTINGS_ENV])
    return DEFAULT_FILE if DEFAULT_FILE.is_file() else None


def _load(
    path: str | Path | None, environ: Mapping[str, str] | None
) -> tuple[Settings, dict[str, str]]:
    env = os.environ if environ is None else environ
    types = _types()
    known = set(types)
    values: dict[str, Any] = {}
    sources = {name: "default" for name in known}
    problems: list[str] = []

    # The file: every unknown name and bad value is reported.
    file = settings_file(path, env)
    if file is not None:
        try:
            with file.open("rb") as handle:
                data = tomllib.load(handle, parse_float=Decimal)
        except FileNotFoundError:
            raise SettingsError([f"{file}: no such settings file"]) from None
        except tomllib.TOMLDecodeError as error:
            raise SettingsError([f"{file}: not valid TOML: {error}"]) from None
        for name, raw in _flatten(data, known).items():
            if name not in known:
                problems.append(f"{file}: {name}: unknown setting")
                continue
            try:
                values[name] = _parse(types[name], raw)
                sources[name] = str(file)
            except ValueError as error:
                problems.append(f"{file}: {name}: {error}")

    # The environment overrides the file.
    for name in known:
        variable = env_name(name)
        if variable in env:
            try:
                values[name] = _parse(types[name], env[variable])
                sources[name] = f"${variable}"
            except ValueError as error:
                problems.append(f"${variable}: {error}")
    if problems:
        raise SettingsError(problems)
    return replace(Settings(), **values), sources


def load_settings(
    path: str | Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Read the settings (see the module docstring for where from)."""
    return _load(path, environ)[0]


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def settings_table(
    path: str | Path | None = None, environ: Mapping[str, str] | None = None
) -> list[SettingRow]:
    """Every setting with its current value (secrets masked) and its source."""
    settings, sources = _load(path, environ)
    rows = []
    for spec in fields(Settings):
        value = getattr(settings, spec.name)
        secret = bool(spec.metadata["secret"])
        shown = _MASK if secret and value else _show(value)
        rows.append(
            SettingRow(
                name=spec.name,
                value=shown,
                source=sources[spec.name],
                env=env_name(spec.name),
                help=str(spec.metadata["help"]),
                secret=secret,
            )
        )
    return rows


def settings_markdown() -> str:
    """The reference page docs/settings.md, generated from the table."""
    lines = [
        "# Settings",
        "",
        "Generated from `relance/settings.py` by `relance settings --markdown`;",
        "do not edit by hand.",
        "",
        "relance reads its settings from `relance.toml` (the file given with",
        "`--settings`, else `$RELANCE_SETTINGS`, else `./relance.toml` when it",
        "exists), then from the environment: each setting `name` can be set with",
        "`RELANCE_NAME`, which wins over the file. In the file, write",
        '`smtp_host = "mail.example.fr"`, or group by the first word:',
        "",
        "```toml",
        "[smtp]",
        'host = "mail.example.fr"',
        "port = 587",
        'user = "relances@example.fr"',
        "",
        "[cost]",
        'email = "0.02"',
        'registered_letter = "7.50"',
        "```",
        "",
        "Amounts are exact decimals in `cost_currency`; write them as strings or",
        "as TOML numbers (read as decimals, never as binary floats).",
        "`relance settings` prints the values in force, secrets masked.",
        "",
        "| Setting | Default | Environment | Meaning |",
        "|---|---|---|---|",
    ]
    for spec in fields(Settings):
        default = _show(spec.default)
        shown = f"`{default}`" if default else "(empty)"
        help_text = str(spec.metadata["help"]).replace("|", "\\|")
        lines.append(
            f"| `{spec.name}` | {shown} | `{env_name(spec.name)}` | {help_text} |"
        )
    return "\n".join(lines) + "\n"
