"""The layers point down only: domain is pure Python, nothing below ui imports Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "jcim_desktop"


def test_import_linter_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=PACKAGE.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_below_ui_imports_qt_even_lazily():
    # import-linter sees imports inside functions too; this backstop also names the file.
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "ui" not in path.relative_to(PACKAGE).parts[:1] and "PySide6" in _imports(path)
    ]
    assert offenders == []


def test_domain_imports_neither_sqlalchemy_nor_alembic():
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in (PACKAGE / "domain").rglob("*.py")
        if _imports(path) & {"sqlalchemy", "alembic", "PySide6"}
    ]
    assert offenders == []


def _calls(path: Path) -> list[tuple[str, int]]:
    """(``owner.method``, line) of every call ``x.method(...)`` / ``x.y.method(...)`` in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            found.append((f"{owner_name}.{node.func.attr}", node.lineno))
    return found


def test_only_ops_announces_what_changed():
    # Change notices are sent once, by ui/ops.py after an operation; a page never sends one.
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line} {call}"
        for path in (PACKAGE / "ui").rglob("*.py")
        if path.name not in ("ops.py", "bus.py")
        for call, line in _calls(path)
        if call in ("bus.announce", "changed.emit") and "widgets" not in path.parts
        or call.startswith("records_changed.")
    ]
    assert offenders == []
