"""The ROI domain imports nothing from the store, the services, the CLI or reports."""

import ast
from pathlib import Path

import relance.roi

FORBIDDEN = ("relance.store", "relance.services", "relance.cli", "relance.report")


def test_roi_domain_is_pure():
    folder = Path(relance.roi.__file__).parent
    found = []
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert found == []
