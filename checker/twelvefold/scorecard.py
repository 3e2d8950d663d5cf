"""The scorecard: one status per factor, from what a run found and what applied."""

from __future__ import annotations

from collections.abc import Mapping

from twelvefold.model import Severity
from twelvefold.run_result import RunResult


def factor_status(result: RunResult) -> Mapping[int, str]:
    """Scorecard: `fail` (an error or warning), `unknown` (a rule crashed), `pass` (a rule
    of the factor applied and found nothing above `info`), else `n/a`. Whether a rule
    applied is the rule's to say (`RepoRule.applies`): with nothing to check (no service
    for factor 12) it must answer False, and the factor is `n/a`, not a pass."""
    from twelvefold.factors import FACTORS

    crashed = {
        rule.factor for rule in result.rules for d in result.internal_errors if d.rule == rule.code
    }
    status: dict[int, str] = {}
    for number in FACTORS:
        findings = [
            f for f in result.findings if f.factor == number and f.severity is not Severity.INFO
        ]
        if findings:
            status[number] = "fail"
        elif number in crashed:
            status[number] = "unknown"
        elif result.applicable.get(number) and result.files_checked:
            # A factor passes only when something was checked: with every file
            # excluded (`exclude = ["**"]`) nothing was, and that is n/a, never a pass.
            status[number] = "pass"
        else:
            status[number] = "n/a"
    return status
