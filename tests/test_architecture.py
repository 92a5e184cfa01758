"""The shape of the package, as docs/architecture.md draws it: one module per job, each
saying its job in its docstring and short enough to read in one sitting (or saying why it
is one cohesive thing); imports run one way (no cycle, counting imports deferred into
functions); no module imports another module's underscore names; the architecture page
has a row for every module and each row names every module it imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "helpers"
#: Lines a module may have: one sitting. Longer only when the docstring says why it is one
#: cohesive thing (the words "one cohesive" in it).
MAX_LINES = 650


def module_name(path: Path) -> str:
    """``corpus/dates.py`` -> ``corpus.dates``; ``prose/__init__.py`` -> ``prose``."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or "helpers"


FILES = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}
MODULES = sorted(FILES)


def tree(name: str) -> ast.Module:
    return ast.parse(FILES[name].read_text(encoding="utf-8"))


def package_of(name: str) -> list[str]:
    """The package a module's relative imports start from."""
    parts = [] if name == "helpers" else name.split(".")
    return parts if FILES[name].name == "__init__.py" else parts[:-1]


def resolve(name: str, node: ast.ImportFrom | ast.Import) -> list[tuple[str, list[str]]]:
    """``(module imported, names taken from it)`` for one import statement, inside
    helpers only; ``from . import x`` counts as importing the module ``x``."""
    out: list[tuple[str, list[str]]] = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.startswith("helpers."):
                out.append((alias.name.removeprefix("helpers."), []))
        return out
    if node.level:
        base = package_of(name)[: len(package_of(name)) - (node.level - 1)]
    elif node.module and (node.module == "helpers" or node.module.startswith("helpers.")):
        base = []
    else:
        return out
    target = ".".join(base + (node.module.split(".") if node.module and not (
        node.level == 0 and node.module == "helpers") else []))
    if not node.level and node.module and node.module.startswith("helpers."):
        target = node.module.removeprefix("helpers.")
    for alias in node.names:
        sub = f"{target}.{alias.name}" if target else alias.name
        if sub in FILES:
            out.append((sub, []))
        else:
            out.append((target or "helpers", [alias.name]))
    return out


def imports(name: str) -> dict[str, list[str]]:
    """Every helpers module a module imports (at the top or inside a function), with the
    names it takes from each."""
    found: dict[str, list[str]] = {}
    for node in ast.walk(tree(name)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for target, names in resolve(name, node):
                if target != name:
                    found.setdefault(target, []).extend(names)
    return found


def test_no_import_cycle():
    edges = {name: {t for t in imports(name) if t in FILES and t != "helpers"}
             for name in MODULES}
    done: set[str] = set()
    path: list[str] = []

    def visit(name: str) -> None:
        if name in path:
            raise AssertionError("import cycle: " + " -> ".join([*path[path.index(name):], name]))
        if name in done:
            return
        path.append(name)
        for other in sorted(edges[name]):
            # a package imports its own modules to re-export them; that is not a cycle back
            if not other.startswith(name + "."):
                visit(other)
        path.pop()
        done.add(name)

    for name in MODULES:
        visit(name)


@pytest.mark.parametrize("name", MODULES)
def test_no_underscore_name_imported_from_another_module(name):
    taken = {target: [n for n in names if n.startswith("_") and not n.startswith("__")]
             for target, names in imports(name).items()}
    taken = {target: names for target, names in taken.items() if names}
    assert not taken, f"helpers.{name} imports private names {taken}"


@pytest.mark.parametrize("name", MODULES)
def test_every_module_says_its_job_and_reads_in_one_sitting(name):
    doc = ast.get_docstring(tree(name))
    assert doc, f"{FILES[name].relative_to(ROOT)} has no docstring"
    lines = FILES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES or "one cohesive" in doc, (
        f"{FILES[name].relative_to(ROOT)} has {lines} lines: split it along a seam, or say in "
        "its docstring why it is one cohesive thing")


def architecture_rows() -> dict[str, set[str]]:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = {}
    for line in page.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows[cells[0].strip("`")] = {w.strip("` ") for w in cells[-1].split(",")} - {"—", ""}
    return rows


def test_the_architecture_page_lists_every_module_and_what_it_imports():
    rows = architecture_rows()
    missing = [name for name in MODULES if name != "helpers" and name not in rows]
    assert not missing, f"docs/architecture.md lacks a row for {missing}"
    stale = [name for name in rows if name not in FILES]
    assert not stale, f"docs/architecture.md has rows for modules that do not exist: {stale}"
    for name in MODULES:
        if name == "helpers":
            continue
        used = {t for t in imports(name) if t in FILES and t != "helpers"
                and not t.startswith(name + ".")}
        assert used <= rows[name], (
            f"helpers.{name} imports {sorted(used - rows[name])}, not in its row of "
            "docs/architecture.md")


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def code_cells(path: Path) -> list[tuple[list[str], str]]:
    import json

    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(c.get("metadata", {}).get("tags", []), "".join(c["source"]))
            for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_only_tell(path):
    """Notebook cells call helpers and show what they return: no branches, loops,
    definitions or comprehensions; no number outside the parameters cell (every number a
    reader might change lives there); no variable named like a helper function, so that
    ``zipf`` is always ``helpers.zipf`` to a reader."""
    import helpers

    cells = code_cells(path)
    assert sum("parameters" in tags for tags, _ in cells) == 1, f"{path.name}: one parameters cell"
    logic = (ast.If, ast.For, ast.While, ast.With, ast.Try, ast.FunctionDef, ast.ClassDef,
             ast.Lambda, ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp, ast.IfExp)
    shown = set(helpers.EXPORTS)
    for tags, source in cells:
        if "parameters" in tags:
            continue
        code = ast.parse(source)
        for node in ast.walk(code):
            assert not isinstance(node, logic), (
                f"{path.name}: {type(node).__name__} in a cell (logic belongs in helpers):\n{source}")
            if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                    and not isinstance(node.value, bool):
                assert node.value in (0, 1), (
                    f"{path.name}: the number {node.value!r} belongs in the parameters cell:\n{source}")
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                assert node.id not in shown, (
                    f"{path.name}: variable {node.id!r} shadows helpers.{node.id}")
