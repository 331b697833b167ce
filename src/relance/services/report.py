"""The HTML report, as `relance report` and `relance demo` ask for it.

`write_report` loads the posted ledger, computes the figures of every currency
as of the given date over the last `months` months (each DSO trend point over
the same number of months), and writes one self-contained HTML file (see
`relance.report.html`). Definitions: docs/figures.md and docs/report.md.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from relance.figures.period import months_ending
from relance.report.html import render_report
from relance.report.messages import DEFAULT_LANGUAGE, LANGUAGES
from relance.services.figures import figures_of, load
from relance.store.db import Store

DEFAULT_MONTHS = 12


def write_report(
    store: Store,
    as_of: date,
    out_path: Path,
    lang: str = DEFAULT_LANGUAGE,
    months: int = DEFAULT_MONTHS,
) -> Path:
    """Write the report of the whole book as of `as_of` to `out_path`; return it.

    The parent folder is created when missing; an existing file is replaced.
    Raises `ValueError` for an unknown language and `PeriodError` for a number
    of months below one, before anything is read or written.
    """
    html = report_html(store, as_of, lang, months)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(html, encoding="utf-8")
    return out_path


def report_html(
    store: Store,
    as_of: date,
    lang: str = DEFAULT_LANGUAGE,
    months: int = DEFAULT_MONTHS,
) -> str:
    """The report's HTML, without writing it."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown report language {lang!r}: expected fr or en")
    months_ending(as_of, months)  # refuse a bad period before loading
    ledger = load(store)
    figures = figures_of(ledger, as_of, months)
    return render_report(ledger, figures, as_of, lang, months)
