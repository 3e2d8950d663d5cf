"""Factor 1 - Codebase: suppression comments that suppress nothing (TF106)."""

from __future__ import annotations

from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.model import Severity, Violation
from twelvefold.rule import FileRule
from twelvefold.sources import SourceFile


class UnusedSuppression(FileRule):
    """## What it does
    Reports a code in a `# twelvefold: ignore[...]` comment that suppresses nothing: its
    rule ran on the file and found nothing on the comment's line. Like ruff's RUF100, it
    is worked out by the engine while it applies suppressions, so only rules that ran on
    the file are judged: the code of a rule the settings do not select, of a rule that
    does not apply to the file's role, or of a repository-level rule is left alone, and
    so are `ignore-file[...]` comments and notebook cells. A code no rule has is a usage
    error (exit 2) whatever this rule's status; with this rule on it is also reported
    here, so `--fix` can remove it.

    ## Why is this bad?
    A suppression outlives the finding it was for: the code changed, the rule got
    sharper, or the code was mistyped. Left in place it hides the next real finding on
    that line, silently, and readers take it for a known exception that no longer exists.

    ## Example
    ```python
    # src/churn/settings.py
    import os

    DB_URL = os.environ["DB_URL"]  # twelvefold: ignore[TF301]
    ```

    ## Use instead
    ```python
    # src/churn/settings.py
    import os

    DB_URL = os.environ["DB_URL"]
    ```
    `twelvefold check --preview --fix` removes unused codes (and a comment left empty).
    """

    code = "TF106"
    name = "unused-suppression"
    factor = 1
    severity = Severity.WARNING
    preview = True  # new in this release: runs with --preview until it is stable
    summary = "Suppression comment that suppresses no finding"
    fix = "Remove the unused code from the `# twelvefold: ignore[...]` comment (`--fix` does)."
    kinds = kinds.SECRET_KINDS
    #: The engine reports this rule while it applies suppressions (see `engine`).
    engine_computed = True

    def check(self, file: SourceFile) -> Iterator[Violation]:
        return iter(())
