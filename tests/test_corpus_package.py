"""The one rule helpers.corpus keeps beyond tests/test_architecture.py (no cycle, no
underscore import, docstrings, one sitting, a row per module in docs/architecture.md):
its modules import each other only at module level, never deferred into a function or
hidden behind TYPE_CHECKING, so the order of the architecture page is the order of the
code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "helpers" / "corpus"
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("name", MODULES)
def test_sibling_imports_are_at_module_level(name):
    source = (PACKAGE / f"{name}.py").read_text(encoding="utf-8")
    module = ast.parse(source)
    top = {id(node) for node in module.body}
    for node in ast.walk(module):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            assert id(node) in top, f"{name}: 'from .{node.module} import' inside a function"
    assert "TYPE_CHECKING" not in source
