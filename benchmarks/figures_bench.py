"""Benchmark: relance's figures (Polars) beside a hand DuckDB query and pandas.

For each size, one child process generates a ledger of N invoices with
`relance.demo.generate_frames` and writes it as Parquet; then one child process
per engine loads those files and computes the same headline figures as of the
generator's end date, over the 12 months ending then:

- receivables (AR) and the aging buckets (not due, 1–30, 31–60, 61–90, 91+,
  unapplied cash), by the ledger's replay rules (effective application dates,
  write-offs, credit notes);
- sales of the period and the accounting DSO;
- payment delays weighted by amount applied: days to pay, days beyond terms, days
  late, over the invoice payments of the period.

Engines: `relance` (the `relance.figures` functions those figures come from),
`relance-all` (every figure of `relance figures` but the 24-month trend, for
information), `duckdb` (one SQL query) and `pandas` (a plain script). Each reports
its load time, the median of `--runs` computations (wall-clock time, and CPU time
of all its threads, steadier on a busy machine), its peak resident memory
(`ru_maxrss` of its own process: loaded data, libraries and computation) and its
figures; the parent checks that every engine found exactly the same figures.

    python benchmarks/figures_bench.py              # 1 M invoices, 3 runs
    python benchmarks/figures_bench.py --full       # 1 M and 10 M
    python benchmarks/figures_bench.py --sizes 200000 --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ENGINES = ("relance", "relance-all", "duckdb", "pandas")
TABLES = ("customers", "documents", "payments", "applications", "writeoffs")
BUCKETS = ("not_due", "1_30", "31_60", "61_90", "over_90", "unapplied")
MONTHS = 12
# Figures compared between engines: exact integers, ratios to 1e-9 days.
RATIO_STEP = Decimal("0.000000001")


# --- measurements common to every child -------------------------------------------


def peak_mb() -> float:
    """Peak resident memory of this process, in MiB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_mb() -> float | None:
    """Resident memory now, in MiB (Linux only)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def period_of(as_of: date) -> tuple[date, date, int]:
    """The 12 calendar months ending with the as-of month, cut at the as-of date."""
    index = as_of.year * 12 + as_of.month - 1 - MONTHS + 1
    start = date(index // 12, index % 12 + 1, 1)
    return start, as_of, (as_of - start).days + 1


def ratio(numerator: int, denominator: int) -> str | None:
    return None if denominator == 0 else str(Decimal(numerator) / Decimal(denominator))


def from_sums(
    aging: dict[str, int], sales: int, days: int, delays: dict[str, int]
) -> dict:
    """The figures every engine reports, from its integer sums."""
    ar = sum(aging.values())
    paid = delays["amount"]
    return {
        "receivables": ar,
        "aging": aging,
        "sales": sales,
        "dso_accounting": ratio(ar * days, sales),
        "payments": delays["n"],
        "paid_amount": paid,
        "days_to_pay": ratio(delays["to_pay"], paid),
        "days_beyond_terms": ratio(delays["beyond"], paid),
        "days_late": ratio(delays["late"], paid),
    }


# --- generation ---------------------------------------------------------------------


def generate(n: int, folder: Path, seed: int) -> dict[str, Any]:
    from relance.demo.generator import DEMO_AS_OF, generate_frames

    started, used = time.perf_counter(), time.process_time()
    ledger = generate_frames(n, seed=seed)
    generated = time.perf_counter() - started
    generated_cpu = time.process_time() - used
    folder.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        getattr(ledger, name).write_parquet(folder / f"{name}.parquet")
    return {
        "generate_s": generated,
        "generate_cpu_s": generated_cpu,
        "peak_mb": peak_mb(),
        "as_of": DEMO_AS_OF.isoformat(),
        "rows": {name: getattr(ledger, name).height for name in TABLES},
    }


# --- engines ------------------------------------------------------------------------


class RelanceEngine:
    """relance.figures on the Ledger frames, as `relance figures` computes them."""

    def __init__(self, folder: Path, everything: bool = False) -> None:
        # Libraries are imported before the clock starts, here and in every engine.
        import relance.figures.summary  # noqa: F401 - imports all of relance.figures

        self.folder = folder
        self.everything = everything

    def load(self) -> None:
        import polars as pl

        from relance.domain.ledger import Ledger

        frames = {
            name: pl.read_parquet(self.folder / f"{name}.parquet") for name in TABLES
        }
        self.ledger = Ledger(**frames).in_currency("EUR")

    def compute(self, as_of: date) -> dict:
        if self.everything:
            return self._everything(as_of)
        from relance.domain.ledger import effective_applications
        from relance.figures.aging import aged_items, bucket_totals
        from relance.figures.delays import paid_invoices, payment_delays
        from relance.figures.dso import accounting_dso
        from relance.figures.sales import sales_between

        start, end, days = period_of(as_of)
        apps = effective_applications(self.ledger)
        aging = bucket_totals(aged_items(self.ledger, as_of, applications=apps))
        sales = sales_between(self.ledger, start, end)
        delays = payment_delays(
            paid_invoices(self.ledger, as_of, applications=apps), start, end
        )
        return self._shape(
            aging, sales, accounting_dso(sum(aging.values()), sales, days), delays
        )

    def _everything(self, as_of: date) -> dict:
        from relance.figures.period import months_ending
        from relance.figures.summary import currency_figures

        fig = currency_figures(
            self.ledger, "EUR", as_of, months_ending(as_of, MONTHS), None
        )
        return self._shape(
            fig.receivables.aging, fig.sales, fig.dso_accounting, fig.delays
        )

    @staticmethod
    def _shape(aging: dict, sales: int, dso: Decimal | None, delays: Any) -> dict:
        def text(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "receivables": sum(aging.values()),
            "aging": dict(aging),
            "sales": sales,
            "dso_accounting": text(dso),
            "payments": delays.payments,
            "paid_amount": delays.amount,
            "days_to_pay": text(delays.days_to_pay),
            "days_beyond_terms": text(delays.days_beyond_terms),
            "days_late": text(delays.days_late),
        }


DUCKDB_QUERY = """
WITH apps AS (
    -- an application takes effect once the documents it links exist
    SELECT a.payment_id, a.credit_note_id, a.document_id, a.amount,
           greatest(a.applied_on, d.issue_date, coalesce(c.issue_date, d.issue_date)) AS eff
    FROM applications a
    JOIN documents d ON d.id = a.document_id
    LEFT JOIN documents c ON c.id = a.credit_note_id
    WHERE a.credit_note_id IS NULL OR c.id IS NOT NULL
),
live AS (SELECT * FROM apps WHERE eff <= $as_of),
received AS (SELECT document_id AS id, sum(amount) AS s FROM live GROUP BY ALL),
given AS (
    SELECT credit_note_id AS id, sum(amount) AS s FROM live
    WHERE credit_note_id IS NOT NULL GROUP BY ALL
),
written AS (
    SELECT document_id AS id, sum(amount) AS s FROM writeoffs
    WHERE writeoff_date <= $as_of GROUP BY ALL
),
items AS (
    SELECT d.amount - coalesce(r.s, 0) + coalesce(g.s, 0) - coalesce(w.s, 0) AS residual,
           $as_of - d.due_date AS past_due
    FROM documents d
    LEFT JOIN received r ON r.id = d.id
    LEFT JOIN given g ON g.id = d.id
    LEFT JOIN written w ON w.id = d.id
    WHERE d.issue_date <= $as_of
),
used AS (
    SELECT payment_id AS id, sum(amount) AS s FROM live
    WHERE payment_id IS NOT NULL GROUP BY ALL
),
cash AS (
    SELECT p.amount - coalesce(u.s, 0) AS unapplied
    FROM payments p LEFT JOIN used u ON u.id = p.id
    WHERE p.payment_date <= $as_of
),
paid AS (
    SELECT l.amount, l.eff - d.issue_date AS to_pay, l.eff - d.due_date AS beyond
    FROM live l JOIN documents d ON d.id = l.document_id
    WHERE l.payment_id IS NOT NULL AND d.amount > 0 AND l.eff BETWEEN $start AND $as_of
)
SELECT
    (SELECT sum(residual) FILTER (past_due <= 0) FROM items) AS not_due,
    (SELECT sum(residual) FILTER (past_due BETWEEN 1 AND 30) FROM items) AS b1_30,
    (SELECT sum(residual) FILTER (past_due BETWEEN 31 AND 60) FROM items) AS b31_60,
    (SELECT sum(residual) FILTER (past_due BETWEEN 61 AND 90) FROM items) AS b61_90,
    (SELECT sum(residual) FILTER (past_due > 90) FROM items) AS over_90,
    (SELECT -sum(unapplied) FROM cash) AS unapplied,
    (SELECT sum(amount) FROM documents WHERE issue_date BETWEEN $start AND $as_of) AS sales,
    (SELECT count(*) FROM paid) AS n,
    (SELECT sum(amount) FROM paid) AS paid_amount,
    (SELECT sum(amount * to_pay) FROM paid) AS to_pay,
    (SELECT sum(amount * beyond) FROM paid) AS beyond,
    (SELECT sum(amount * greatest(beyond, 0)) FROM paid) AS late
"""


class DuckDBEngine:
    """The figures as one hand-written DuckDB query over in-memory tables."""

    def __init__(self, folder: Path) -> None:
        import duckdb  # noqa: F401 - before the clock starts

        self.folder = folder

    def load(self) -> None:
        import duckdb

        self.db = duckdb.connect()
        for name in ("documents", "payments", "applications", "writeoffs"):
            path = str(self.folder / f"{name}.parquet")
            self.db.execute(
                f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{path}')"
            )

    def compute(self, as_of: date) -> dict:
        start, _end, days = period_of(as_of)
        row = self.db.execute(DUCKDB_QUERY, {"as_of": as_of, "start": start}).fetchone()
        values = [int(v or 0) for v in row]
        aging = dict(zip(BUCKETS, values[:6], strict=True))
        n, paid, to_pay, beyond, late = values[7:]
        delays = {
            "n": n,
            "amount": paid,
            "to_pay": to_pay,
            "beyond": beyond,
            "late": late,
        }
        return from_sums(aging, values[6], days, delays)


class PandasEngine:
    """The figures as a plain pandas script (integer amounts, numpy dates)."""

    def __init__(self, folder: Path) -> None:
        import pandas  # noqa: F401 - before the clock starts
        import pyarrow.parquet  # noqa: F401

        self.folder = folder

    def _read(self, name: str, columns: list[str]) -> Any:
        import pyarrow.parquet as pq

        table = pq.read_table(self.folder / f"{name}.parquet", columns=columns)
        return table.to_pandas(date_as_object=False)

    def load(self) -> None:
        self.docs = self._read("documents", ["id", "issue_date", "due_date", "amount"])
        self.pays = self._read("payments", ["id", "payment_date", "amount"])
        apps = self._read(
            "applications",
            ["payment_id", "credit_note_id", "document_id", "applied_on", "amount"],
        )
        # Ids start at 1: 0 stands for "none" and keeps the columns integer.
        apps["payment_id"] = apps["payment_id"].fillna(0).astype("int64")
        apps["credit_note_id"] = apps["credit_note_id"].fillna(0).astype("int64")
        self.apps = apps
        self.wos = self._read("writeoffs", ["document_id", "writeoff_date", "amount"])

    def compute(self, as_of: date) -> dict:
        import numpy as np
        import pandas as pd

        start, _end, days = period_of(as_of)
        day, first = pd.Timestamp(as_of), pd.Timestamp(start)
        docs, apps = self.docs, self.apps

        # Effective application dates.
        issued = docs[["id", "issue_date"]]
        a = apps.merge(
            issued.rename(columns={"id": "document_id", "issue_date": "doc_issue"})
        )
        a = a.merge(
            issued.rename(columns={"id": "credit_note_id", "issue_date": "cn_issue"}),
            how="left",
        )
        a = a[(a["credit_note_id"] == 0) | a["cn_issue"].notna()]
        eff = np.maximum(a["applied_on"].to_numpy(), a["doc_issue"].to_numpy())
        cn = a["cn_issue"].to_numpy()
        a = a.assign(eff=np.where(pd.isna(cn), eff, np.maximum(eff, cn)))
        live = a[a["eff"] <= day]

        # Open items and their buckets.
        received = live.groupby("document_id")["amount"].sum()
        given = (
            live[live["credit_note_id"] != 0].groupby("credit_note_id")["amount"].sum()
        )
        wos = self.wos
        written = (
            wos[wos["writeoff_date"] <= day].groupby("document_id")["amount"].sum()
        )
        d = docs[docs["issue_date"] <= day]
        ids = d["id"]
        residual = (
            d["amount"].to_numpy()
            - received.reindex(ids, fill_value=0).to_numpy()
            + given.reindex(ids, fill_value=0).to_numpy()
            - written.reindex(ids, fill_value=0).to_numpy()
        )
        past_due = (day - d["due_date"]).dt.days.to_numpy()
        bucket = np.select(
            [past_due <= 0, past_due <= 30, past_due <= 60, past_due <= 90],
            [0, 1, 2, 3],
            default=4,
        )
        aging = {
            name: int(residual[bucket == i].sum()) for i, name in enumerate(BUCKETS[:5])
        }

        # Unapplied cash.
        p = self.pays[self.pays["payment_date"] <= day]
        used = live[live["payment_id"] != 0].groupby("payment_id")["amount"].sum()
        unapplied = (
            p["amount"].to_numpy() - used.reindex(p["id"], fill_value=0).to_numpy()
        )
        aging["unapplied"] = -int(unapplied.sum())

        sales = int(docs.loc[docs["issue_date"].between(first, day), "amount"].sum())

        # Delays of the invoice payments of the period.
        paid = live[(live["payment_id"] != 0) & (live["eff"] >= first)]
        invoices = docs.loc[docs["amount"] > 0, ["id", "issue_date", "due_date"]]
        paid = paid[["document_id", "eff", "amount"]].merge(
            invoices.rename(columns={"id": "document_id"})
        )
        amount = paid["amount"].to_numpy()
        to_pay = (paid["eff"] - paid["issue_date"]).dt.days.to_numpy()
        beyond = (paid["eff"] - paid["due_date"]).dt.days.to_numpy()
        delays = {
            "n": len(paid),
            "amount": int(amount.sum()),
            "to_pay": int((amount * to_pay).sum()),
            "beyond": int((amount * beyond).sum()),
            "late": int((amount * np.maximum(beyond, 0)).sum()),
        }
        return from_sums(aging, sales, days, delays)


def run_engine(name: str, folder: Path, as_of: date, runs: int) -> dict[str, Any]:
    """Load, compute `runs` times, and report times, memory and figures."""
    engine: Any
    if name == "relance":
        engine = RelanceEngine(folder)
    elif name == "relance-all":
        engine = RelanceEngine(folder, everything=True)
    elif name == "duckdb":
        engine = DuckDBEngine(folder)
    else:
        engine = PandasEngine(folder)
    baseline = current_mb()
    started = time.perf_counter()
    engine.load()
    loaded = time.perf_counter() - started
    loaded_mb = current_mb()
    times, cpu, figures = [], [], None
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        figures = engine.compute(as_of)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    return {
        "engine": name,
        "load_s": loaded,
        "times_s": times,
        "median_s": statistics.median(times),
        "cpu_median_s": statistics.median(cpu),
        "baseline_mb": baseline,
        "loaded_mb": loaded_mb,
        "peak_mb": peak_mb(),
        "figures": figures,
    }


# --- the parent: runs the children, compares, prints -------------------------------


def child(args: list[str]) -> dict[str, Any]:
    """Run this script in a fresh process and read the JSON line it prints."""
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def comparable(figures: dict[str, Any]) -> dict[str, Any]:
    """Figures with ratios rounded to 1e-9, for comparison between engines."""
    shown = dict(figures)
    for key in ("dso_accounting", "days_to_pay", "days_beyond_terms", "days_late"):
        if shown[key] is not None:
            shown[key] = str(Decimal(shown[key]).quantize(RATIO_STEP))
    return shown


def bench_size(
    n: int, runs: int, engines: list[str], seed: int, keep: Path | None
) -> dict:
    with tempfile.TemporaryDirectory(prefix="relance-bench-") as scratch:
        folder = (keep or Path(scratch)) / f"n{n}"
        made = child(["--generate", str(n), "--data", str(folder), "--seed", str(seed)])
        print(
            f"{n:,} invoices: generated in {made['generate_s']:.1f} s "
            f"(peak {made['peak_mb']:,.0f} MiB), rows {made['rows']}",
            flush=True,
        )
        results = []
        for name in engines:
            result = child(
                ["--engine", name, "--data", str(folder), "--runs", str(runs),
                 "--as-of", made["as_of"]]
            )  # fmt: skip
            print(
                f"  {name:12} load {result['load_s']:6.2f} s, median {result['median_s']:6.2f} s"
                f" (CPU {result['cpu_median_s']:6.2f} s), peak {result['peak_mb']:8,.0f} MiB",
                flush=True,
            )
            results.append(result)
    reference = comparable(results[0]["figures"])
    agree = all(comparable(r["figures"]) == reference for r in results)
    if not agree:
        for r in results:
            print(
                f"  {r['engine']}: {json.dumps(comparable(r['figures']))}",
                file=sys.stderr,
            )
    return {"n": n, "generated": made, "results": results, "agree": agree}


def markdown(report: list[dict]) -> str:
    lines = [
        (
            "| invoices | engine | load (s) | figures, median (s) | CPU, median (s) "
            "| peak memory (MiB) |"
        ),
        "|---:|---|---:|---:|---:|---:|",
    ]
    for size in report:
        gen = size["generated"]
        lines.append(
            f"| {size['n']:,} | generator | | {gen['generate_s']:.1f} | "
            f"{gen['generate_cpu_s']:.1f} | {gen['peak_mb']:,.0f} |"
        )
        for r in size["results"]:
            lines.append(
                f"| {size['n']:,} | {r['engine']} | {r['load_s']:.2f} | {r['median_s']:.2f} "
                f"| {r['cpu_median_s']:.2f} | {r['peak_mb']:,.0f} |"
            )
    return "\n".join(lines)


def headline(figures: dict[str, Any]) -> str:
    def euros(cents: int) -> str:
        return f"{Decimal(cents).scaleb(-2):,}"

    aging = ", ".join(f"{k} {euros(v)}" for k, v in figures["aging"].items())
    days = {k: Decimal(figures[k]).quantize(Decimal("0.01")) for k in
            ("dso_accounting", "days_to_pay", "days_beyond_terms", "days_late")}  # fmt: skip
    return (
        f"AR {euros(figures['receivables'])} EUR ({aging}); sales {euros(figures['sales'])}; "
        f"DSO {days['dso_accounting']} d; {figures['payments']:,} payments, days to pay "
        f"{days['days_to_pay']}, beyond terms {days['days_beyond_terms']}, late "
        f"{days['days_late']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--full", action="store_true", help="also 10 M invoices")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--keep", type=Path, help="keep the Parquet files in this folder"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    # Internal: what the child processes are asked to do.
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--engine", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--as-of", type=date.fromisoformat, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.generate:
        print(json.dumps(generate(args.generate, args.data, args.seed)))
        return
    if args.engine:
        print(json.dumps(run_engine(args.engine, args.data, args.as_of, args.runs)))
        return

    sizes = list(args.sizes) + (
        [10_000_000] if args.full and 10_000_000 not in args.sizes else []
    )
    print(f"{os.cpu_count()} CPU(s) seen; {args.runs} run(s) per engine", flush=True)
    report = [
        bench_size(n, args.runs, args.engines, args.seed, args.keep) for n in sizes
    ]
    print()
    print(markdown(report))
    for size in report:
        verdict = "agree" if size["agree"] else "DISAGREE"
        print(f"\n{size['n']:,} invoices, engines {verdict}: "
              f"{headline(size['results'][0]['figures'])}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    if not all(size["agree"] for size in report):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
