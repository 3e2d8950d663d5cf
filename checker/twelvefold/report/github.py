"""`github`: GitHub Actions workflow commands that annotate the pull request.

One line per finding, then one summary line:

```
::error file=src/app.py,line=3,col=5,title=TF301 hard-coded-secret::AWS access key ID ...
::warning file=requirements.txt,line=2,title=TF202 unpinned-dependency::...
::notice title=TF204 python-version-not-declared::...    (repo-level: no file)
twelvefold: 3 findings (1 error, 1 warning, 1 info) in 12 files checked; failing factors: 2, 3
```

`error` -> `::error`, `warning` -> `::warning`, `info` -> `::notice`.

A runner treats any output line that starts with `::` as a command, so data from the
audited repository is escaped exactly as GitHub's toolkit (`@actions/core`) does it —
message: `%` -> `%25`, CR -> `%0D`, LF -> `%0A`; properties: those plus `:` -> `%3A`
and `,` -> `%2C` — and the runner decodes it back, so a file named `a%0Ab` annotates that
file. Before that, other control characters (ANSI escapes, vertical tab, NEL, line and
paragraph separators, bidi overrides) are made visible as `\\x1b`, so no character of a
path or message can end the line, start another command or restyle the log.

A runner parses a line that starts with `::` as that one command before it looks for
the legacy `##[cmd]` form, so a `##[` inside a command's data is inert. Every other line
(the summary, which quotes the config file's name) is neutralised as the text formats
are (`report.neutralise_commands`): `##\\[`, and `\\::` for a line-leading `::`.
"""

from __future__ import annotations

from twelvefold.model import Finding
from twelvefold.report import Report, escape_control

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """A command's message, as `@actions/core` `escapeData` writes it (after making other
    control characters visible)."""
    return (
        escape_control(text, keep="\r\n")
        .replace("%", "%25")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
    )


def escape_property(text: str) -> str:
    """A command's property value, as `@actions/core` `escapeProperty` writes it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    properties = []
    if finding.path:
        properties.append(("file", finding.path))
        if finding.line is not None:
            properties.append(("line", str(finding.line)))
            if finding.column is not None:
                properties.append(("col", str(finding.column)))
    properties.append(("title", f"{finding.code} {finding.name}"))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    message = finding.message
    if finding.cell is not None:
        line = f", line {finding.cell_line}" if finding.cell_line is not None else ""
        message += f" [cell {finding.cell}{line}]"
    if finding.fix:
        message += f"\nFix: {finding.fix}"
    return f"::{COMMANDS[finding.severity.value]} {rendered}::{escape_data(message)}"


def summary(report: Report) -> str:
    counts = report.counts()
    total = len(report.findings)
    failing = [
        str(number) for number, status in sorted(report.scorecard.items()) if status == "fail"
    ]
    if total:
        parts = ", ".join(
            f"{counts[level]} {level}" for level in ("error", "warning", "info") if counts[level]
        )
        line = f"twelvefold: {total} finding{'s' if total != 1 else ''} ({parts}) in {report.files_checked} files checked"
    else:
        line = f"twelvefold: all checks passed ({report.files_checked} files checked)"
    if failing:
        line += "; failing factors: " + ", ".join(failing)
    return line


def render(report: Report) -> str:
    lines = [command(finding) for finding in report.findings]
    # What the settings turn off is a warning annotation a reviewer sees; the config
    # file in effect is named on the summary line.
    notices = report.shown_notices()
    lines += [
        f"::warning title=twelvefold settings::{escape_data(notice.message)}"
        for notice in notices
        if notice.level == "warning"
    ]
    info = [escape_control(notice.message) for notice in notices if notice.level == "info"]
    lines.append(summary(report) + "".join(f"; {message}" for message in info))
    return "\n".join(lines) + "\n"
