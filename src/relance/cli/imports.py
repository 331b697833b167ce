"""`relance import`: read exports into the ledger, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Self

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from relance.cli.common import DbOption, console, errors
from relance.imports.records import ImportRejected
from relance.services.importing import ImportResult, ImportUsageError, import_paths
from relance.store.db import Store

# Below this many rows a file imports in a blink: no progress bar.
_LARGE_FILE_ROWS = 5_000


def register(app: typer.Typer) -> None:
    """Add `relance import` to the application."""
    app.command("import")(import_command)


def import_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files to import (customers.csv, invoices.csv, payments.csv, "
            "writeoffs.csv, FEC files, or files read through --mapping), or folders "
            "holding them; also past actions (actions*.csv) and feedback "
            "(satisfaction*.csv, notes*.csv), written after the ledger.",
            show_default=False,
        ),
    ],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping", help="TOML mapping for CSV/XLSX files of another layout."
        ),
    ] = None,
    default_terms: Annotated[
        str | None,
        typer.Option(
            "--default-terms",
            help="Payment terms when a file gives no due date, e.g. '30 days'.",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Import receivables: all files in one go, nothing written if any has a problem."""
    ledger_paths, extras = _split_follow_up_files(paths)
    with Store(db) as store:
        try:
            result = None
            if ledger_paths:
                with _ProgressBar() as bar:
                    result = import_paths(
                        store,
                        ledger_paths,
                        mapping=mapping,
                        default_terms=default_terms,
                        progress=bar,
                    )
            for path, kind in extras:
                _import_follow_up(store, path, kind)
        except ImportUsageError as exc:
            errors.print(f"[red]{exc}[/red]", highlight=False)
            raise typer.Exit(2) from None
        except ImportRejected as exc:
            # Plain lines, never wrapped: editors and scripts jump to file:line.
            for problem in exc.problems:
                typer.echo(str(problem), err=True)
            errors.print(
                f"[red]{len(exc.problems)} problem(s): nothing was written.[/red]",
                highlight=False,
            )
            raise typer.Exit(1) from None
    if result is not None:
        _print_summary(result)


# Files of the follow-up history, known by their names; they refer to the ledger,
# so they are written after it (each in its own transaction).
_FOLLOW_UP_PREFIXES = {
    "actions": "actions",
    "satisfaction": "feedback",
    "notes": "feedback",
}


def _split_follow_up_files(
    paths: list[Path],
) -> tuple[list[Path], list[tuple[Path, str]]]:
    ledger, extras = [], []
    for path in paths:
        name = path.name.lower()
        kind = next(
            (k for prefix, k in _FOLLOW_UP_PREFIXES.items() if name.startswith(prefix)),
            None,
        )
        if kind is not None and path.suffix.lower() == ".csv" and path.is_file():
            extras.append((path, kind))
        else:
            ledger.append(path)
    return ledger, extras


def _import_follow_up(store: Store, path: Path, kind: str) -> None:
    # Imported lazily: the ROI services pull in statistics libraries.
    from relance.services.roi_imports import import_actions, import_feedback

    if kind == "actions":
        written = import_actions(store, path)
    else:
        written = import_feedback(store, path)[1]
    console.print(
        f"{path.name} ({kind}): {written.inserted} inserted, {written.updated} updated, "
        f"{written.unchanged} unchanged"
    )


class _ProgressBar:
    """A progress callback drawing one Rich bar per large file, on stderr."""

    def __init__(self) -> None:
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=errors,
            transient=True,
            disable=not errors.is_terminal,
        )
        self._tasks: dict[str, TaskID] = {}
        self._large = False

    def __enter__(self) -> Self:
        self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(None, None, None)

    def __call__(self, label: str, done: int, total: int | None) -> None:
        task = self._tasks.get(label)
        if task is None:
            # Only large files get a bar, and then the writing steps too.
            if total is None and not self._large:
                return
            if total is not None and total < _LARGE_FILE_ROWS:
                return
            self._large = True
            # A new step ends the previous one (writing steps have no count).
            for earlier in self._tasks.values():
                self._bar.update(earlier, total=1, completed=1)
            task = self._bar.add_task(Path(label).name, total=total)
            self._tasks[label] = task
        self._bar.update(task, completed=done, total=total)


def _print_summary(result: ImportResult) -> None:
    files = Table(title="Files read", title_justify="left")
    files.add_column("file")
    files.add_column("read as")
    files.add_column("rows", justify="right")
    for f in result.files:
        files.add_row(f.name, f.kind, str(f.rows))
    console.print(files)

    summary = result.summary
    kinds = [
        k
        for k in ("customers", "documents", "payments", "applications", "writeoffs")
        if summary.inserted.get(k) or summary.updated.get(k) or summary.unchanged.get(k)
    ]
    table = Table(title="Ledger", title_justify="left")
    table.add_column("records")
    for column in ("inserted", "updated", "unchanged"):
        table.add_column(column, justify="right")
    for kind in kinds:
        table.add_row(
            kind,
            str(summary.inserted.get(kind, 0)),
            str(summary.updated.get(kind, 0)),
            str(summary.unchanged.get(kind, 0)),
        )
    console.print(table)
    if not summary.changed:
        console.print("Nothing changed: the ledger already held these records.")
