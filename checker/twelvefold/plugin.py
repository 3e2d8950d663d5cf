"""The public API for rule plugins: everything a plugin imports, from one module.

    from twelvefold.plugin import FileRule, Severity, SourceFile, Violation

    class NoBreakpoint(FileRule):
        \"\"\"## What it does
        Reports `breakpoint()` left in code.
        \"\"\"

        code = "ACME101"
        name = "breakpoint-left"
        factor = 12
        severity = Severity.ERROR
        summary = "breakpoint() left in code"
        fix = "Remove the breakpoint() call."
        kinds = frozenset({"python"})
        prefilter = b"breakpoint("

        def check(self, file: SourceFile) -> Iterator[Violation]:
            ...

A distribution declares its rules in the `twelvefold.rules` entry-point group (see
`twelvefold.registry`). The names below are the stable, typed surface (the package ships
`py.typed`); anything imported from another `twelvefold` module may change in any
release.
"""

from __future__ import annotations

from twelvefold.model import Severity, Violation
from twelvefold.project.kind import KINDS
from twelvefold.project.roles import ROLES
from twelvefold.repo import Repo
from twelvefold.rule import Fact, FileRule, RepoRule, Rule, fact
from twelvefold.sources import Location, PythonSource, SourceFile

__all__ = [
    "KINDS",
    "ROLES",
    "Fact",
    "FileRule",
    "Location",
    "PythonSource",
    "Repo",
    "RepoRule",
    "Rule",
    "Severity",
    "SourceFile",
    "Violation",
    "fact",
]
