"""The shape of helpers.corpus (issue 10, deliverable 6): one module per job, each short
enough to read in one sitting and saying its job in its docstring; imports run one way
(no cycle, no import deferred into a function or behind TYPE_CHECKING to dodge one); no
module imports another's underscore names. docs/architecture.md lists every module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "helpers" / "corpus"
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
#: Lines a module may have: one sitting (the longest today is about 600).
MAX_LINES = 650


def tree(name: str) -> ast.Module:
    return ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))


def sibling_imports(name: str) -> list[tuple[ast.ImportFrom, bool]]:
    """``(import, at module level)`` of every ``from .x import ...`` of a module."""
    module = tree(name)
    top = {id(node) for node in module.body}
    return [(node, id(node) in top) for node in ast.walk(module)
            if isinstance(node, ast.ImportFrom) and node.level == 1]


def graph() -> dict[str, set[str]]:
    return {name: {node.module for node, _ in sibling_imports(name)} for name in MODULES}


def test_no_import_cycle():
    edges, done, path = graph(), set(), []

    def visit(name: str) -> None:
        if name in path:
            raise AssertionError(" -> ".join([*path[path.index(name):], name]))
        if name in done:
            return
        path.append(name)
        for other in sorted(edges[name]):
            visit(other)
        path.pop()
        done.add(name)

    for name in MODULES:
        visit(name)


@pytest.mark.parametrize("name", MODULES)
def test_sibling_imports_are_plain_and_public(name):
    for node, at_top in sibling_imports(name):
        assert at_top, f"{name}: 'from .{node.module} import' inside a function"
        private = [a.name for a in node.names if a.name.startswith("_")]
        assert not private, f"{name} imports {private} from .{node.module}"
    assert "TYPE_CHECKING" not in (PACKAGE / f"{name}.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["__init__", *MODULES])
def test_every_module_says_its_job_and_reads_in_one_sitting(name):
    assert ast.get_docstring(tree(name)), f"{name}.py has no docstring"
    lines = (PACKAGE / f"{name}.py").read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}.py has {lines} lines (split it along a seam)"


def test_the_architecture_page_lists_every_module_and_what_it_imports():
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = {line.split("`")[1]: line.rsplit("|", 2)[1] for line in page.splitlines()
            if line.startswith("| `") and line.split("`")[1] in MODULES}
    missing = [name for name in MODULES if name not in rows]
    assert not missing, f"docs/architecture.md lacks a row for {missing}"
    for name, imports in graph().items():
        allowed = {word.strip("` ") for word in rows[name].split(",")}
        assert imports <= allowed, f"{name} imports {sorted(imports - allowed)} (not in its row)"
