"""`gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`).

GitLab reads a JSON array of issues, each with `description`, `check_name`,
`fingerprint`, `severity` (`info`, `minor`, `major`, `critical`, `blocker`) and
`location.path` + `location.lines.begin`
(https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format).

GitLab compares fingerprints between the source and target branch of a merge request to
tell new issues from fixed ones, and shows only one issue per fingerprint, so the
fingerprint must be unique in a report and must not change when unrelated lines move:
it is the baseline fingerprint (`twelvefold.baseline.fingerprints`: code, path, what was
found and its occurrence index, never the line number).

Severity: `error` -> `major`, `warning` -> `minor`, `info` -> `info`. Repo-level findings
(no file) are reported at path `.`, line 1.
"""

from __future__ import annotations

from twelvefold.baseline import fingerprints
from twelvefold.report import Report, json_text

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def render(report: Report) -> str:
    issues = []
    for finding, digest in zip(report.findings, fingerprints(report.findings), strict=True):
        issues.append(
            {
                "description": f"{finding.code}: {finding.message}",
                "check_name": finding.code,
                "fingerprint": digest,
                "severity": SEVERITIES[finding.severity.value],
                "location": {"path": finding.path or ".", "lines": {"begin": finding.line or 1}},
            }
        )
    # Code Quality has no place for run notes: what the settings turn off is a `minor`
    # issue at the root, so the merge request widget shows it to the reviewer.
    for notice in report.shown_notices():
        if notice.level != "warning":
            continue
        issues.append(
            {
                "description": f"twelvefold settings: {notice.message}",
                "check_name": "twelvefold-settings",
                "fingerprint": _notice_fingerprint(notice.message),
                "severity": "minor" if notice.level == "warning" else "info",
                "location": {"path": ".", "lines": {"begin": 1}},
            }
        )
    # Escaped as the JSON format is: file names carry bidi overrides and C1 controls.
    return json_text(issues)


def _notice_fingerprint(message: str) -> str:
    import hashlib

    return hashlib.sha256(("notice\0" + message).encode("utf-8", "surrogatepass")).hexdigest()[:32]
