"""The values that flow through a run: severities, violations, findings, diagnostics."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(str, enum.Enum):
    """How sure a rule is and how much it matters; `error` > `warning` > `info`."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def __str__(self) -> str:
        return self.value


_RANKS = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}


@dataclass(frozen=True)
class Violation:
    """What a rule yields: the engine adds the rule's code, name, factor and severity.

    `line` is 1-based in the file as stored on disk. For notebooks a rule also sets
    `cell` (0-based index of the cell) and `cell_line` (1-based line inside the cell);
    `PythonSource.loc()` computes all three from a line of the analysed code.
    `source` overrides the line of text shown by the `full` format: rules reporting a
    secret pass the line with the secret masked, because the raw line must never be
    printed.
    """

    message: str
    line: int | None = None
    column: int | None = None
    path: str | None = None
    fix: str | None = None
    cell: int | None = None
    cell_line: int | None = None
    source: str | None = None
    # Stable identity of what was found (masked or hashed for secrets), used by baselines.
    key: str | None = None
    #: Other places in the same file that explain the finding, as (line, what is there):
    #: the mutation of a store reported where it is defined, the import of a notebook
    #: runner reported where it runs one. SARIF `relatedLocations`; JSON `related`.
    related: tuple[tuple[int, str], ...] = ()
    #: Other files with the same violation that this finding covers (one root cause, one
    #: finding: the notebooks a missing output-stripping hook let in). SARIF
    #: `relatedLocations`; JSON `files`; `--fix` fixes them with the finding's own file.
    files: tuple[str, ...] = ()
    #: A weaker form of the rule's violation, reported below the rule's severity (a tool
    #: copied from a moving tag, next to a moving runtime base). A severity the settings
    #: give the rule wins.
    severity: Severity | None = None


@dataclass(frozen=True, order=True)
class Finding:
    """One reported violation: the public record every output format is made from."""

    path: str | None
    line: int | None
    column: int | None
    code: str
    name: str = field(compare=False)
    factor: int = field(compare=False)
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    fix: str = field(compare=False)
    cell: int | None = field(default=None, compare=False)
    cell_line: int | None = field(default=None, compare=False)
    source: str | None = field(default=None, compare=False, repr=False)
    key: str | None = field(default=None, compare=False, repr=False)
    related: tuple[tuple[int, str], ...] = field(default=(), compare=False, repr=False)
    files: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path or "", self.line or 0, self.column or 0, self.code, self.message)

    def to_dict(self) -> dict[str, object]:
        """The finding as the documented JSON object (see docs in `report/json_format.py`)."""
        data: dict[str, object] = {
            "code": self.code,
            "name": self.name,
            "factor": self.factor,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "fix": self.fix,
        }
        if self.cell is not None:
            data["cell"] = self.cell
            data["cell_line"] = self.cell_line
        if self.related:
            data["related"] = [{"line": line, "message": text} for line, text in self.related]
        if self.files:
            data["files"] = list(self.files)
        return data


@dataclass(frozen=True, order=True)
class Diagnostic:
    """Something the run could not do (an unreadable file, a rule that crashed).

    `internal` marks a bug in a rule: it makes the run fail, but is never scored as a
    violation of the rule's factor.
    """

    path: str | None
    message: str
    level: str = "warning"  # "warning" (skipped input) or "error"
    internal: bool = False
    rule: str | None = None

    def __post_init__(self) -> None:
        # A diagnostic quotes what it could not read (a YAML tag, an exception's text)
        # and goes everywhere: stderr, every format, the cache. Masked where it is made,
        # whoever makes it, so none of them ever holds a secret in clear.
        from twelvefold.masking import mask_secrets

        masked = mask_secrets(self.message)
        if masked != self.message:
            object.__setattr__(self, "message", masked)

    def render(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"twelvefold: {self.level}: {where}{self.message}"
