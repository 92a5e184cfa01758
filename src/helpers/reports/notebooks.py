"""The report notebooks themselves: finding them, injecting parameters, executing them headless.

Parameters go in papermill-style: a new code cell tagged ``injected-parameters`` right
after the cell tagged ``parameters`` (``corpus_path = "/abs/path"`` and any ``-p
key=value``), so the notebook's own defaults stay visible above it. Execution is nbclient on
the ``python3`` kernel of this environment, with progress bars off; a failing cell is
located and named as it is numbered in the file (:class:`CellFailure`).

papermill would do the same injection and execution; nbclient is already required by
nbconvert, the injection is a dozen lines, and keeping one engine means one place to read
the failing cell from (``CellExecutionError``) without papermill's extra dependencies.
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Tag of the cell holding a notebook's default parameters (papermill's convention).
PARAMETERS_TAG = "parameters"
#: Tag of the cell this module inserts after it.
INJECTED_TAG = "injected-parameters"
#: Notebooks that make up the reports: ``NN-name.ipynb``.
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"


def find_notebooks(notebooks_dir: Path, only: Sequence[str] | None = None) -> list[Path]:
    """List the report notebooks (``NN-*.ipynb``) in order, optionally only some.

    Args:
        notebooks_dir: the folder to look in.
        only: names to keep, each matching a notebook's stem or its start
            (``"01"``, ``"01-load-and-clean"``, ``"01-load-and-clean.ipynb"``).

    Returns:
        Sorted list of paths.
    """
    found = sorted(Path(notebooks_dir).glob(NOTEBOOK_GLOB))
    if not only:
        return found
    wanted = [o.removesuffix(".ipynb") for o in only]
    return [p for p in found if any(p.stem == w or p.stem.startswith(w) for w in wanted)]


def inject_parameters(nb: Any, parameters: Mapping[str, Any]) -> tuple[Any, int]:
    """Return a copy of ``nb`` with a parameters cell inserted papermill-style.

    The new cell is tagged ``injected-parameters`` and placed right after the first cell
    tagged ``parameters`` (at the top when there is none); a previous injected cell is
    replaced. Values are written as Python literals (``repr``).

    Args:
        nb: a notebook (``nbformat.NotebookNode``); not modified.
        parameters: name -> plain value.

    Returns:
        (new notebook, index of the injected cell).
    """
    import nbformat

    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    lines = ["# Parameters injected by helpers.reports"]
    lines += [f"{name} = {value!r}" for name, value in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    at = 0
    for i, c in enumerate(nb.cells):
        if PARAMETERS_TAG in c.get("metadata", {}).get("tags", []):
            at = i + 1
            break
    nb.cells.insert(at, cell)
    return nb, at


@dataclass
class CellFailure:
    """Where a notebook failed: the cell's index (as in the file), first line and error."""

    index: int
    first_line: str
    error: str

    def __str__(self) -> str:
        return f"cell {self.index} (`{self.first_line}`): {self.error}"


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()[:100]
    return source.strip().splitlines()[0][:100] if source.strip() else "(empty cell)"


def _find_failure(nb: Any, injected_at: int | None, exc: BaseException) -> CellFailure:
    """Locate the failing cell in an executed notebook (the first with an error output)."""
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                index = i - 1 if injected_at is not None and i > injected_at else i
                where = "injected parameters" if i == injected_at else None
                error = f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip()
                return CellFailure(index, where or _first_line(cell.source), error)
    text = f"{type(exc).__name__}: {exc}".strip().splitlines()
    return CellFailure(-1, "(no cell)", text[-1] if text else type(exc).__name__)


def execute_notebook(
    nb: Any,
    *,
    cwd: Path,
    timeout: int = 1800,
    kernel_name: str = "python3",
    injected_at: int | None = None,
) -> tuple[Any, CellFailure | None]:
    """Execute ``nb`` headless with nbclient; stop at the first failing cell.

    Args:
        nb: the notebook (modified in place: outputs are filled in).
        cwd: the kernel's working directory.
        timeout: seconds allowed per cell.
        kernel_name: the Jupyter kernel to start.
        injected_at: index of the injected cell (to report indices as in the file).

    Returns:
        (the executed notebook, None) or (the partly executed notebook, the failure).
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    client = NotebookClient(
        nb,
        km=_kernel_manager(kernel_name),
        timeout=timeout,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(cwd)}},
        allow_errors=False,
        record_timing=False,
        # the kernel's own log (e.g. "running over TCP without encryption") is noise here;
        # errors in the notebook's code still reach the page and the build log
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    try:
        # nbclient keeps a kernel alive when it was handed the kernel manager; every
        # notebook's kernel would then live (with its corpus) until the build ends
        client.execute(env=kernel_environment(), cleanup_kc=True)
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        failure = _find_failure(nb, injected_at, exc)
        if isinstance(exc, CellTimeoutError | DeadKernelError) and failure.index == -1:
            failure = _running_cell_failure(nb, injected_at, exc)
        return nb, failure
    return nb, None


def kernel_environment() -> dict[str, str]:
    """The environment of the report kernels: this process's, with progress bars off.

    The loader shows a tqdm bar when it thinks it runs in Jupyter; in a headless build
    nobody watches it and its widget or carriage returns would end up in the page.
    ``TQDM_DISABLE=1`` (honoured by tqdm 4.66 and newer) silences every bar without the
    notebooks or the loader having to know.
    """
    return {**os.environ, "TQDM_DISABLE": "1"}


def _kernel_manager(kernel_name: str) -> Any:
    """A kernel manager that looks for kernels in this environment first.

    Jupyter normally prefers the user's own kernel specs (``~/.local/share/jupyter``) over
    the environment's, so a ``python3`` spec left there by another Python would run the
    notebooks without this project installed. ``make`` installs the spec with
    ``ipykernel install --sys-prefix``; this puts that folder first.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    ksm = KernelSpecManager()
    own = str(Path(sys.prefix) / "share" / "jupyter" / "kernels")
    ksm.kernel_dirs = [own, *[d for d in ksm.kernel_dirs if d != own]]
    return KernelManager(kernel_name=kernel_name, kernel_spec_manager=ksm)


def _running_cell_failure(nb: Any, injected_at: int | None, exc: BaseException) -> CellFailure:
    """For timeouts and dead kernels: the first code cell without an execution count."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.get("execution_count") is None:
            index = i - 1 if injected_at is not None and i > injected_at else i
            first = str(exc).strip().splitlines()
            return CellFailure(index, _first_line(cell.source),
                               f"{type(exc).__name__}: {first[0] if first else ''}")
    return CellFailure(-1, "(no cell)", f"{type(exc).__name__}: {exc}")


def notebook_title(nb: Any, fallback: str) -> str:
    """The text of the first ``# `` heading of a Markdown cell, else ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback

