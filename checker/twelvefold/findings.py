"""Findings and internal errors as they leave the rules: every text masked here.

The per-file pass and the repo rules both turn a rule's `Violation` into a `Finding`
through `make_finding`, so every consumer (reports, baseline, cache, memo) receives the
texts already masked (`masking.mask_secrets`).
"""

from __future__ import annotations

from twelvefold.masking import mask_secrets
from twelvefold.model import Diagnostic, Finding, Violation
from twelvefold.rule import Rule
from twelvefold.settings import Settings


def make_finding(
    rule: Rule,
    violation: Violation,
    settings: Settings,
    path: str | None,
    *,
    source: str | None = None,
) -> Finding:
    """The finding of a rule's violation, at the severity the settings give the rule.
    `source`: the line to show, already masked (`masking.mask_lines`), instead of the
    violation's own."""
    return Finding(
        path=violation.path if violation.path is not None else path,
        line=violation.line,
        column=violation.column,
        code=rule.code,
        name=rule.name,
        factor=rule.factor,
        severity=settings.severity(rule, violation.severity),
        message=mask_secrets(violation.message),
        fix=mask_secrets(violation.fix or rule.fix),
        cell=violation.cell,
        cell_line=violation.cell_line,
        source=(
            source
            if source is not None or violation.source is None
            else mask_secrets(violation.source)
        ),
        key=violation.key,
        related=tuple((line, mask_secrets(text)) for line, text in violation.related),
        files=violation.files,
    )


def with_source(finding: Finding, text: str) -> Finding:
    """`finding` showing `text` as its source line (masked)."""
    from dataclasses import replace

    return replace(finding, source=mask_secrets(text))


def internal_error(what: str, path: str | None, exc: BaseException) -> Diagnostic:
    """The diagnostic of a rule or fact extractor that raised: the run goes on."""
    # Masked before the cut, which would leave a part of a secret no pattern matches.
    detail = mask_secrets(str(exc).splitlines()[0])[:200] if str(exc) else ""
    return Diagnostic(
        path,
        f"internal error in {what}: {type(exc).__name__}{': ' + detail if detail else ''} (please report this bug)",
        level="error",
        internal=True,
        rule=what,
    )
