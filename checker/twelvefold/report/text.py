"""`text` (one line per finding, scorecard, summary) and `full` (plus source and fix)."""

from __future__ import annotations

from collections import Counter

from twelvefold.factors import FACTORS
from twelvefold.report import Report, escape_control, location, masked_source

_COLORS = {
    "error": "\x1b[31m",
    "warning": "\x1b[33m",
    "info": "\x1b[36m",
    "bold": "\x1b[1m",
    "dim": "\x1b[2m",
}
_RESET = "\x1b[0m"
_STATUS_COLORS = {"pass": "\x1b[32m", "fail": "\x1b[31m", "n/a": "\x1b[2m", "unknown": "\x1b[35m"}


def render(report: Report) -> str:
    full = report.output_format == "full"

    def paint(text: str, color: str) -> str:
        return f"{color}{text}{_RESET}" if report.color else text

    out: list[str] = []
    # `--statistics` replaces the listing with counts per rule, as ruff's does.
    for finding in () if report.statistics else report.findings:
        code = paint(finding.code, _COLORS[finding.severity.value])
        where = location(finding)
        cell = ""
        if finding.cell is not None:
            line = f", line {finding.cell_line}" if finding.cell_line is not None else ""
            cell = f" [cell {finding.cell}{line}]"
        out.append(
            f"{paint(where, _COLORS['bold'])}: {code} {escape_control(finding.message)}{cell}"
        )
        if full:
            out.append(f"  = factor {finding.factor}: {FACTORS[finding.factor].title}")
            out.append(f"  = severity: {finding.severity.value} ({finding.name})")
            source = masked_source(finding)
            if source is not None:
                out.append(f"  | {escape_control(source.strip()[:200])}")
            out.append(f"  help: {escape_control(finding.fix)}")
            out.append("")
    if report.statistics:
        per_rule = Counter((f.code, f.name, f.severity.value) for f in report.findings)
        for (code, name, severity), count in sorted(
            per_rule.items(), key=lambda item: (-item[1], item[0])
        ):
            out.append(f"{count:5d}  {code:<7} {name} [{severity}]")
    notes = [
        f"{paint('note' if notice.level == 'info' else 'warning', _COLORS[notice.level])}: "
        f"{escape_control(notice.message)}"
        for notice in report.shown_notices()
    ]
    if report.quiet:  # findings only: the CLI writes the warning notices to stderr
        return "\n".join(out) + ("\n" if out else "")
    if out and out[-1] != "":
        out.append("")
    if notes:
        out += [*notes, ""]
    out.append(paint("Scorecard", _COLORS["bold"]))
    for number, status in sorted(report.scorecard.items()):
        title = FACTORS[number].short
        out.append(f"  {number:>2}. {title:<27} {paint(status, _STATUS_COLORS.get(status, ''))}")
    counts = report.counts()
    total = len(report.findings)
    if total:
        parts = ", ".join(
            f"{counts[level]} {level}" for level in ("error", "warning", "info") if counts[level]
        )
        out.append(
            f"Found {total} finding{'s' if total != 1 else ''} ({parts}) in {report.files_checked} files checked."
        )
    else:
        out.append(f"All checks passed ({report.files_checked} files checked).")
    return "\n".join(out) + "\n"
