"""What a run is asked (`Target`) and what it reports before formatting (`RunResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from twelvefold.model import Diagnostic, Finding

if TYPE_CHECKING:
    from twelvefold.cache import MemoizedRun
    from twelvefold.rule import Rule


@dataclass
class RunResult:
    findings: list[Finding]
    diagnostics: list[Diagnostic]
    rules: list[Rule]
    #: factor -> True when at least one selected rule of the factor applied.
    applicable: dict[int, bool]
    files_checked: int = 0
    #: Problems that make the run a usage error (exit 2), e.g. unknown codes in comments.
    usage_errors: list[str] = field(default_factory=list)
    #: Repo rules that did not run because no file they depend on was named
    #: (`Target.named`, `twelvefold.scope`): they reproduced nothing.
    not_asked: set[str] = field(default_factory=set)
    #: Repo rules asked by a run on named files that weigh every file's facts, left to a
    #: full run because the other files' facts were not in the cache (said in a notice).
    deferred: set[str] = field(default_factory=set)

    @property
    def internal_errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.internal]

    def add(self, other: RunResult | MemoizedRun) -> None:
        """Merge the result of another root (or of a memo) into this one."""
        self.findings.extend(other.findings)
        self.diagnostics.extend(other.diagnostics)
        self.usage_errors.extend(other.usage_errors)
        self.files_checked += other.files_checked
        self.not_asked |= getattr(other, "not_asked", set())  # a memo is of a full run
        self.deferred |= getattr(other, "deferred", set())
        for factor, applies in other.applicable.items():
            self.applicable[factor] = self.applicable.get(factor, False) or applies


@dataclass
class Target:
    """One audited repository root, optionally restricted to some files (pre-commit)."""

    root: Path
    only: set[str] | None = None
    #: `only` are files the user named (the pre-commit hook's): repo rules run only when
    #: a file they depend on is named, and report only on those files (`scope`). Without
    #: it (a folder inside a project), every repo rule runs and reports.
    named: bool = False
