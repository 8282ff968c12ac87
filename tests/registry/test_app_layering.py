"""Data flows one way (DESIGN.md, "Apps and layout"): the registry imports neither the ways in
(intake) nor the ways out (reports); they reach it, never the other way round."""

from __future__ import annotations

import ast
from pathlib import Path

REGISTRY = Path(__file__).resolve().parents[2] / "registry"
OTHER_APPS = ("intake", "reports")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in ``path``, at the top and inside functions alike."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_the_scan_sees_imports_at_any_depth(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\n\ndef f():\n    from intake.routing import pick_coordinator\n")
    assert imported_modules(module) == [(1, "os"), (4, "intake.routing")]


def test_registry_imports_nothing_from_intake_or_reports():
    paths = sorted(REGISTRY.rglob("*.py"))
    assert REGISTRY / "registering.py" in paths  # the scan reaches the registry's modules
    wrong = [
        f"{path.relative_to(REGISTRY.parent)}:{line} imports {module}"
        for path in paths
        for line, module in imported_modules(path)
        if module.split(".")[0] in OTHER_APPS
    ]
    assert wrong == []
