"""What a build produced: one :class:`NotebookResult` per notebook in a :class:`BuildResult`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

@dataclass
class NotebookResult:
    """What happened to one notebook."""

    name: str
    notebook: Path
    html: Path | None = None
    ok: bool = False
    seconds: float = 0.0
    error: str | None = None
    title: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    """What a build produced: one result per notebook, the index page, the corpus summary."""

    results: list[NotebookResult] = field(default_factory=list)
    index: Path | None = None
    summary: dict[str, Any] | None = None
    corpus_error: str | None = None

    @property
    def ok(self) -> bool:
        return self.corpus_error is None and all(r.ok for r in self.results)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1
