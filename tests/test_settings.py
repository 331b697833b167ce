"""Settings: defaults, the TOML file, the environment, and every problem at once."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest

from relance.settings import (
    Settings,
    SettingsError,
    load_settings,
    settings_markdown,
    settings_table,
)

DOCS = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_defaults_without_file_or_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={})
    assert settings == Settings()
    assert settings.cost_email == Decimal("0.02")


def test_file_then_environment(tmp_path: Path) -> None:
    """The file sets the port and the email cost; the environment wins for the port."""
    path = tmp_path / "relance.toml"
    path.write_text(
        'smtp_host = "mail.example.fr"\nsend_window_start = "07:30"\n'
        "[smtp]\nport = 465\nssl = true\n"
        '[cost]\nemail = 0.03\nregistered_letter = "8.10"\n'
    )
    settings = load_settings(path, environ={"RELANCE_SMTP_PORT": "2525"})
    assert settings.smtp_host == "mail.example.fr"
    assert settings.smtp_port == 2525
    assert settings.smtp_ssl is True
    assert settings.cost_email == Decimal("0.03")  # read as a decimal, never a float
    assert settings.cost_registered_letter == Decimal("8.10")
    assert settings.send_window_start == time(7, 30)


def test_settings_file_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "other.toml"
    path.write_text('company_name = "ACME"\n')
    assert load_settings(environ={"RELANCE_SETTINGS": str(path)}).company_name == "ACME"


def test_every_problem_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "relance.toml"
    path.write_text('smtp_port = "abc"\nsmtp_hots = "x"\ncost_sms = "-1"\n')
    with pytest.raises(SettingsError) as caught:
        load_settings(path, environ={"RELANCE_SMTP_STARTTLS": "maybe"})
    assert caught.value.problems == [
        f"{path}: smtp_port: 'abc' is not a whole number",
        f"{path}: smtp_hots: unknown setting",
        f"{path}: cost_sms: '-1' is not a positive amount",
        "$RELANCE_SMTP_STARTTLS: 'maybe' is not true or false",
    ]


def test_table_masks_secrets_and_names_sources(tmp_path: Path) -> None:
    path = tmp_path / "relance.toml"
    path.write_text('smtp_password = "hunter2"\n')
    rows = {
        r.name: r for r in settings_table(path, environ={"RELANCE_SMS_TOKEN": "abc"})
    }
    assert rows["smtp_password"].value == "********"
    assert rows["smtp_password"].source == str(path)
    assert rows["sms_token"].value == "********"
    assert rows["sms_token"].source == "$RELANCE_SMS_TOKEN"
    assert rows["smtp_host"].source == "default"
    assert rows["smtp_host"].env == "RELANCE_SMTP_HOST"


def test_cost_of_a_call_and_a_dispute() -> None:
    """10 min at 40.00/h = 6.666…; 30 min = 20.00."""
    settings = Settings()
    assert settings.cost_of("phone") == Decimal(40) * 10 / 60
    assert settings.cost_of("dispute") == Decimal(20)
    with pytest.raises(KeyError):
        settings.cost_of("pigeon")


def test_docs_page_is_generated_from_the_table() -> None:
    assert DOCS.read_text() == settings_markdown(), (
        "run: relance settings --markdown > docs/settings.md"
    )
