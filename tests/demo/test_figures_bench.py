"""The benchmark's three engines agree on a small generated ledger."""

import importlib.util
from pathlib import Path

from relance.demo.generator import DEMO_AS_OF, generate_frames

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "figures_bench.py"


def _bench_module():
    spec = importlib.util.spec_from_file_location("figures_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_engines_agree(tmp_path):
    bench = _bench_module()
    ledger = generate_frames(3_000, seed=9)
    for name in bench.TABLES:
        getattr(ledger, name).write_parquet(tmp_path / f"{name}.parquet")
    found = {}
    for name in bench.ENGINES:
        result = bench.run_engine(name, tmp_path, DEMO_AS_OF, runs=1)
        found[name] = bench.comparable(result["figures"])
    reference = found["relance"]
    assert reference["receivables"] == sum(reference["aging"].values())
    assert reference["payments"] > 0 and reference["aging"]["unapplied"] < 0
    for name, figures in found.items():
        assert figures == reference, name
