"""The package as a whole: its exports, its import cost and its one-way layering."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import helpers

SRC = Path(helpers.__file__).parent


def test_export_map_is_what_the_modules_declare():
    """helpers.EXPORTS is written out; it must be exactly the ``__all__`` of the modules it
    names, every name in one module only, so that helpers.<name> is never ambiguous."""
    declared: dict[str, list[str]] = {}
    for mod in sorted(set(helpers.EXPORTS.values())):
        module = importlib.import_module(f"helpers.{mod}")
        for name in module.__all__:
            assert hasattr(module, name), f"helpers.{mod}.__all__ names missing {name!r}"
            declared.setdefault(name, []).append(mod)
    clashes = {name: mods for name, mods in declared.items() if len(mods) > 1}
    assert not clashes, f"names exported by several modules (helpers.<name> is ambiguous): {clashes}"
    assert {name: mods[0] for name, mods in declared.items()} == helpers.EXPORTS
    for name in helpers.SUBMODULES:
        importlib.import_module(f"helpers.{name}")


def test_asking_for_a_loader_function_imports_no_plotting():
    code = ("import sys, helpers; helpers.load_corpus; helpers.tokenize; "
            "print([m for m in ('matplotlib', 'nbconvert', 'sklearn') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_entry_points_named_by_the_issues():
    for name in ("load_corpus", "normalize", "tokenize", "frequencies", "collocations",
                 "keyness", "kwic"):
        assert callable(getattr(helpers, name)), name
    assert callable(helpers.charts.use_arabic_style)
    assert callable(helpers.charts.top_terms)


def test_import_helpers_is_light():
    code = ("import sys, helpers; heavy = [m for m in ('pandas', 'matplotlib', 'nbconvert') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import helpers pulled in {out.stdout.strip()}"


def test_reshaping_happens_only_in_rtl():
    pattern = re.compile(r"\b(arabic_reshaper|get_display|from bidi|import bidi)\b")
    offenders = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                 if p != SRC / "rtl.py" and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == [], f"reshaping/bidi outside helpers.rtl: {offenders}"


def test_notebooks_do_not_reshape():
    root = SRC.parents[1] / "notebooks"
    for nb in root.glob("*.ipynb"):
        text = nb.read_text(encoding="utf-8")
        assert "arabic_reshaper" not in text and "get_display" not in text, nb.name
