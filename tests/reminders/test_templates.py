"""Templates: strict, sandboxed, bilingual, formatted with Babel; the policy check."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from relance.domain.money import Money
from relance.reminders.policy import default_policy
from relance.reminders.templates import (
    TemplateProblem,
    Templates,
    check_templates,
    format_money,
    sample_context,
)


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        ("12345.67", "EUR", "fr", "12\u202f345,67\u00a0€"),
        ("12345.67", "EUR", "en", "€12,345.67"),
        ("1500", "JPY", "fr", "1\u202f500\u00a0JPY"),
        ("0.5", "EUR", "fr", "0,50\u00a0€"),
        ("999.995", "EUR", "en", "€1,000.00"),  # half up to the cent
    ],
    ids=["fr", "en", "yen", "cents", "rounding"],
)
def test_money_is_written_the_language_s_way(
    amount, currency, language, expected
) -> None:  # type: ignore[no-untyped-def]
    assert format_money(Money.of(amount, currency), language) == expected


def test_dates_follow_the_language() -> None:
    templates = Templates()
    env = templates.env
    template = env.from_string("{{ d|date }} / {{ d|date('short') }}")
    assert (
        template.render(d=date(2024, 3, 5), language="fr") == "5 mars 2024 / 05/03/2024"
    )
    assert (
        template.render(d=date(2024, 3, 5), language="en") == "March 5, 2024 / 3/5/24"
    )


def _user(tmp_path: Path, files: dict[str, str]) -> Templates:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return Templates(tmp_path)


def test_undefined_variable_is_an_error_naming_it(tmp_path: Path) -> None:
    templates = _user(tmp_path, {"fr/x/text.txt": "Bonjour\n{{ customer.nom }}\n"})
    with pytest.raises(TemplateProblem) as caught:
        templates.render("x", "fr", "text", sample_context("fr"))
    assert (
        str(caught.value)
        == "template fr/x/text.txt:2: 'dict object' has no attribute 'nom'"
    )


def test_sandbox_refuses_python_internals(tmp_path: Path) -> None:
    templates = _user(tmp_path, {"fr/x/text.txt": "{{ total.__class__.__mro__ }}"})
    with pytest.raises(TemplateProblem, match="unsafe"):
        templates.render("x", "fr", "text", sample_context("fr"))


def test_html_parts_are_escaped(tmp_path: Path) -> None:
    templates = _user(tmp_path, {"fr/x/html.html": "<p>{{ customer.name }}</p>"})
    context = sample_context("fr")
    context["customer"]["name"] = "<script>Dupont & Fils</script>"
    assert templates.render("x", "fr", "html", context) == (
        "<p>&lt;script&gt;Dupont &amp; Fils&lt;/script&gt;</p>"
    )


def test_user_folder_overrides_one_part_and_keeps_the_others(tmp_path: Path) -> None:
    templates = _user(
        tmp_path, {"fr/reminder_first/subject.txt": "Relance {{ customer.ref }}"}
    )
    context = sample_context("fr")
    assert (
        templates.render("reminder_first", "fr", "subject", context)
        == "Relance C-SAMPLE"
    )
    assert "Sauf erreur de notre part" in templates.render(
        "reminder_first", "fr", "text", context
    )


def test_language_falls_back_when_no_template_exists() -> None:
    templates = Templates()
    assert templates.language_for("reminder_first", "de", "en") == "en"
    assert templates.language_for("reminder_first", "fr", "en") == "fr"


def test_shipped_templates_pass_the_check_for_the_default_policy() -> None:
    """Every template of every step of the default policy renders in fr and en."""
    policy = default_policy()
    uses = [(s.template, s.channel) for seg in policy.segments for s in seg.steps]
    assert check_templates(Templates(), uses, ["fr", "en"]) == []


def test_check_reports_every_problem(tmp_path: Path) -> None:
    """Two broken parts and one missing language: three problems, all reported."""
    templates = _user(
        tmp_path,
        {
            "fr/mine/subject.txt": "{{ oops }}",
            "fr/mine/text.txt": "{% if %}",
            "fr/mine/html.html": "<p>ok</p>",
        },
    )
    problems = check_templates(templates, [("mine", "email")], ["fr"])
    messages = sorted(str(p) for p in problems)
    assert len(messages) == 2
    assert (
        "fr/mine/subject: template fr/mine/subject.txt:1: 'oops' is undefined"
        in messages
    )
    assert any(
        m.startswith("fr/mine/text: template fr/mine/text.txt:1:") for m in messages
    )
    missing = check_templates(templates, [("mine", "sms")], ["fr", "en"])
    assert [p.part for p in missing] == ["sms", "sms"]
