"""The pure layers (domain, figures, ROI, imports' readers) never reach outwards.

They import nothing from the store, the services, the CLI or the reports: those
depend on them, never the other way round, so the web layer can sit on the same
services later.
"""

import ast
from pathlib import Path

import pytest

import relance

FORBIDDEN = ("relance.store", "relance.services", "relance.cli", "relance.report")
PURE = ["domain", "figures", "roi"]


@pytest.mark.parametrize("package", PURE)
def test_layer_is_pure(package: str):
    folder = Path(relance.__file__).parent / package
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert found == []
