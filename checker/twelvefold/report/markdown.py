"""`markdown`: the scorecard and the findings as GitHub-flavoured Markdown.

Made for `$GITHUB_STEP_SUMMARY` and pull-request comments: a heading with the totals, the
per-factor scorecard as a table (factor, status, findings), then the findings as a table
(severity, rule, location, message) and each rule's fix once.

Paths and messages come from the audited repository and are untrusted:

* a path is a code span, whose content Markdown never interprets (no link, image,
  HTML, emphasis or @mention); the fence is longer than any run of backticks in it, and
  `|` is written `\\|`, which GitHub's table parser turns back into `|` inside the span;
* a message is text with every character that starts Markdown or HTML syntax
  backslash-escaped, so `<` starts no HTML, `&` no entity, `[`/`!` no link or image,
  `*`/`_` no emphasis and `|` no new cell;
* in both, line breaks and other control characters are shown as `\\x0a`, so a table
  row always stays one line.

Long reports are cut at `MAX_FINDINGS` rows with a line saying how many more there are,
so the comment stays readable and within what GitHub accepts for a comment.
"""

from __future__ import annotations

from twelvefold.factors import FACTORS
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Finding
from twelvefold.report import Report, escape_control

MAX_FINDINGS = 200
MAX_MESSAGE = 500
STATUS = {"pass": "✅ pass", "fail": "❌ fail", "n/a": "⚪ n/a", "unknown": "❓ unknown"}
SEVERITY = {"error": "🔴 error", "warning": "🟠 warning", "info": "🔵 info"}
# Everything that starts Markdown or HTML syntax mid-line: escapes, code, emphasis, links
# and images, raw HTML and entities, table cells, strikethrough, math, mentions, issue refs.
_MARKUP = lazy_compile(r"([\\`*_\[\]<>!|&~$@#])")
_BACKTICKS = lazy_compile(r"`+")


def text(value: str) -> str:
    """Untrusted text as inert Markdown: visible control characters, escaped punctuation."""
    return _MARKUP.sub(r"\\\1", escape_control(value))


def code(value: str, *, in_table: bool = True) -> str:
    """Untrusted text as a code span (in a table cell, `|` is escaped for the table)."""
    value = escape_control(value)
    if in_table:
        value = value.replace("|", "\\|")
    longest = max((len(run) for run in _BACKTICKS.findall(value)), default=0)
    fence = "`" * (longest + 1)
    # A space on each side (stripped by the parser) lets the span start or end with "`".
    return f"{fence} {value} {fence}"


def _where(finding: Finding) -> str:
    if not finding.path:
        return "repository"
    where = finding.path
    if finding.line is not None:
        where += f":{finding.line}"
        if finding.column is not None:
            where += f":{finding.column}"
    cell = ""
    if finding.cell is not None:
        cell = f" (cell {finding.cell}" + (
            f", line {finding.cell_line})" if finding.cell_line is not None else ")"
        )
    return code(where) + cell


def render(report: Report) -> str:
    counts = report.counts()
    total = len(report.findings)
    out: list[str] = []
    if total:
        parts = ", ".join(
            f"{counts[level]} {level}" for level in ("error", "warning", "info") if counts[level]
        )
        out.append(
            f"## twelvefold: {total} finding{'s' if total != 1 else ''} ({parts}) "
            f"in {report.files_checked} files checked"
        )
    else:
        out.append(f"## twelvefold: all checks passed ({report.files_checked} files checked)")
    notes = report.shown_notices()
    if notes:
        out.append("")
        out += [
            f"> {'**Warning**' if notice.level == 'warning' else 'Note'}: {text(notice.message)}  "
            for notice in notes
        ]
    out += ["", "| Factor | Status | Findings |", "| --- | --- | ---: |"]
    by_factor = report.summary()["by_factor"]
    assert isinstance(by_factor, dict)
    for number, status in sorted(report.scorecard.items()):
        title = FACTORS[number].short
        out.append(
            f"| {number}. {title} | {STATUS.get(status, status)} | {by_factor[str(number)]} |"
        )

    if report.findings:
        out += [
            "",
            "### Findings",
            "",
            "| Severity | Rule | Location | Message |",
            "| --- | --- | --- | --- |",
        ]
        for finding in report.findings[:MAX_FINDINGS]:
            message = finding.message
            if len(message) > MAX_MESSAGE:
                message = message[:MAX_MESSAGE] + "…"
            out.append(
                f"| {SEVERITY[finding.severity.value]} | {finding.code} {code(finding.name)} "
                f"| {_where(finding)} | {text(message)} |"
            )
        if total > MAX_FINDINGS:
            more = total - MAX_FINDINGS
            out += [
                "",
                f"… and {more} more finding{'s' if more != 1 else ''}: run "
                "`twelvefold check --output-format full` for all of them.",
            ]
        fixes: dict[str, str] = {}
        for finding in report.findings:
            fixes.setdefault(f"{finding.code} {finding.name}", finding.fix)
        out += ["", "### How to fix", ""]
        out += [
            f"- **{code(rule, in_table=False)}**: {text(fix)}"
            for rule, fix in sorted(fixes.items())
            if fix
        ]

    internal = [d for d in report.diagnostics if d.internal]
    skipped = len(report.diagnostics) - len(internal)
    if internal or skipped:
        out += ["", "### Problems during the run", ""]
        out += [
            f"- internal error in {code(d.rule or 'a rule', in_table=False)}"
            + (f" on {code(d.path, in_table=False)}" if d.path else "")
            + f": {text(d.message)}"
            for d in internal
        ]
        if skipped:
            out.append(f"- {skipped} input{'s' if skipped != 1 else ''} skipped (see the log)")
    return "\n".join(out) + "\n"
