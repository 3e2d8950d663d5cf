"""Output formats. Each module renders a `Report` to text; all share one data model.

Every value that comes from the audited repository (paths, messages, source lines) is
untrusted: formats escape it so a crafted file name cannot inject terminal escapes,
extra lines or CI workflow commands.
"""

from __future__ import annotations

import importlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field

from twelvefold.factors import FACTORS
from twelvefold.lazy_regex import lazy_compile
from twelvefold.masking import mask_secrets
from twelvefold.model import Diagnostic, Finding, Severity
from twelvefold.notices import Notice
from twelvefold.rule import Rule

#: format name -> module under twelvefold.report defining `render(report) -> str`.
FORMATS = {
    "concise": "text",
    "text": "text",
    "full": "text",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
    "markdown": "markdown",
    "gitlab": "gitlab",
    "junit": "junit",
}


@dataclass
class Report:
    findings: list[Finding]
    diagnostics: list[Diagnostic]
    scorecard: dict[int, str]
    rules: list[type[Rule]]
    files_checked: int = 0
    output_format: str = "text"
    color: bool = False
    statistics: bool = False
    quiet: bool = False
    extra: dict[str, object] = field(default_factory=dict)
    #: What the settings and the baseline turned off (`twelvefold.notices`).
    notices: list[Notice] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Messages quote what a rule found (a path literal, a requirement); if that text
        # holds a secret, no format may show it whole.
        self.findings = [_masked(finding) for finding in self.findings]

    def shown_notices(self) -> list[Notice]:
        """The notices a format shows: all of them, or only warnings with `--quiet`."""
        return [n for n in self.notices if not self.quiet or n.level == "warning"]

    def counts(self) -> Counter[str]:
        return Counter(finding.severity.value for finding in self.findings)

    def summary(self) -> dict[str, object]:
        """Counts by severity and factor, and the scorecard (shared by json/markdown)."""
        by_severity = {level.value: 0 for level in Severity}
        by_severity.update(self.counts())
        by_factor = {str(number): 0 for number in FACTORS}
        for finding in self.findings:
            by_factor[str(finding.factor)] += 1
        return {
            "total": len(self.findings),
            "by_severity": by_severity,
            "by_factor": by_factor,
            "files_checked": self.files_checked,
            "scorecard": {
                str(number): {
                    "name": FACTORS[number].slug,
                    "title": FACTORS[number].title,
                    "status": status,
                }
                for number, status in sorted(self.scorecard.items())
            },
        }


def _masked(finding: Finding) -> Finding:
    message, fix = mask_secrets(finding.message), mask_secrets(finding.fix)
    if message == finding.message and fix == finding.fix:
        return finding
    from dataclasses import replace

    return replace(finding, message=message, fix=fix)


def render(report: Report) -> str:
    module = importlib.import_module(f"twelvefold.report.{FORMATS[report.output_format]}")
    return _for_ci_logs(report.output_format, module.render(report))


def _for_ci_logs(output_format: str, text: str) -> str:
    """A rendered report with every workflow command a CI log would obey neutralised
    (`neutralise_commands`), whatever notes, rows and lines the format wrote.

    The `github` format's own commands start their lines with `::` on purpose: the
    runner parses such a line as that one command before it looks for a legacy `##[`,
    and their data and properties are escaped, so only its other lines are neutralised.
    JSON, SARIF and GitLab write `##\\u005b`, JUnit XML `##&#91;` (and `&#58;:` for a
    line-leading `::` in a text node): what a parser reads back is unchanged.
    """
    if "##[" not in text and "::" not in text:
        return text
    if output_format == "github":
        return "".join(
            line if line.startswith("::") else neutralise_commands(line)
            for line in text.splitlines(keepends=True)
        )
    if output_format == "junit":
        return neutralise_commands(text, bracket="&#91;", colon="&#58;")
    if output_format in ("json", "sarif", "gitlab"):
        return neutralise_commands(text, bracket="\\u005b", colon="\\u003a")
    return neutralise_commands(text)


# The runner reads `::cmd` at the start of a line (CR, LF or CRLF end one) after the
# white space `TrimStart()` drops (all of Unicode's; the invisible format characters
# too, to be safe), and the legacy `##[cmd]` anywhere in a line.
_COMMAND_START = lazy_compile(
    "(?:^|(?<=[\r\n]))((?:[^\\S\r\n]|[\u180e\u200b-\u200d\u2060\ufeff])*):(?=:)", re.MULTILINE
)
_LEGACY_COMMAND = "##["


def neutralise_commands(text: str, *, bracket: str = "\\[", colon: str = "\\:") -> str:
    """`text` with no GitHub Actions workflow command left in it.

    A runner obeys `::cmd::` at the start of a line after any white space (space, NBSP,
    ideographic space ...) and the legacy `##[cmd]` anywhere in a line: a file named
    ` ::error::x` or `a##[add-mask]b` would add annotations, mask log text or set
    outputs. In plain text the `[` of `##[` is written `\\[` (`##\\[add-mask]`) and the
    first `:` of a line-leading `::` is written `\\:` (`\\::error::x`): readable, inert,
    and in Markdown both are escapes that render as the original. Formats with escapes
    of their own pass them as `bracket` and `colon`. Linear in the text.
    """
    if _LEGACY_COMMAND in text:
        text = text.replace(_LEGACY_COMMAND, "##" + bracket)
    if "::" in text:
        text = _COMMAND_START.sub(lambda m: m.group(1) + colon, text)
    return text


def log_line(text: str) -> str:
    """`text` as one safe line of a terminal or CI log (stderr): secrets masked, control
    and line-break characters visible, workflow commands neutralised."""
    return neutralise_commands(escape_control(mask_secrets(text)))


_UNSAFE = lazy_compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


# What `json.dumps(ensure_ascii=False)` leaves raw of `_UNSAFE` (it escapes C0 itself).
_RAW_IN_JSON = lazy_compile("[\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def escape_control(text: str, keep: str = "") -> str:
    """Make control, line-break and bidi characters visible (`\\x1b`, `\\u202e`), except
    those in `keep` (a format that encodes line breaks its own way keeps them)."""
    return _UNSAFE.sub(
        lambda m: (
            m.group()
            if m.group() in keep
            else f"\\x{ord(m.group()):02x}"
            if ord(m.group()) < 0x100
            else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def location(finding: Finding) -> str:
    """`path:line:col` (what editors and terminals link), `.` for repo-level findings.

    A text line that starts with `::` (after any white space) or `##[` is a workflow
    command to a GitHub Actions runner, so a path starting with `:`, `#` or white space
    (a file named `::error::x` or ` ::error::x`) is written `./::error::x`: the same
    file, and never the start of a line. (`##[` elsewhere is neutralised with the rest of
    the output, see `neutralise_commands`.)
    """
    where = escape_control(finding.path) if finding.path else "."
    if where.startswith((":", "#")) or where[:1].isspace():
        where = "./" + where
    if finding.line is not None:
        where += f":{finding.line}"
        if finding.column is not None:
            where += f":{finding.column}"
    return where


def masked_source(finding: Finding) -> str | None:
    """The finding's source line with every secret in it masked.

    A secret rule hands over its line already masked, but another rule's finding may sit
    on a line that also holds a secret (a notebook cell with outputs, a path beside a
    key), so the line is scanned again before any format shows it.
    """
    return None if finding.source is None else mask_secrets(finding.source)


def json_text(document: object) -> str:
    """`document` as indented JSON with every unsafe character `\\u`-escaped.

    `json.dumps` escapes C0 controls but with `ensure_ascii=False` writes C1 controls
    (`\\x9b` is a terminal's CSI), line separators and bidi overrides raw; escaping only
    those keeps other text (`…`, `é`) readable. The parsed value is unchanged.
    """

    text = _indented_json(document)
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


#: Stands for the findings while the rest of a report is indented (never in a report).
_FINDINGS_SLOT = "\ue000twelvefold-findings\ue000"
_SCALARS = (str, int, float, bool, type(None))


def _indented_json(document: object) -> str:
    """`json.dumps(document, indent=2, ensure_ascii=False)`, byte for byte, with the
    findings of a report written by the C encoder: with `indent`, Python 3.11's `json`
    falls back to its pure-Python encoder, which took seconds on 100k findings. A finding
    of scalars is encoded flat with the indentation as its separator; any other the
    usual way, indented one level deeper."""
    if not isinstance(document, dict):
        return json.dumps(document, indent=2, ensure_ascii=False)
    findings = document.get("findings")
    if not isinstance(findings, list) or not findings:
        return json.dumps(document, indent=2, ensure_ascii=False)
    head = json.dumps(
        {key: (_FINDINGS_SLOT if key == "findings" else value) for key, value in document.items()},
        indent=2,
        ensure_ascii=False,
    )
    flat = json.JSONEncoder(ensure_ascii=False, separators=(",\n      ", ": ")).encode
    slot = json.dumps(_FINDINGS_SLOT, ensure_ascii=False)
    if all(
        isinstance(finding, dict)
        and finding
        and all(isinstance(v, _SCALARS) for v in finding.values())
        for finding in findings
    ):
        # All flat: one call of the C encoder for the lot. A JSON string holds no raw
        # newline, so `},\n      {` is only ever the separator between two findings.
        body = flat(findings)[2:-2].replace("},\n      {", "\n    },\n    {\n      ")
        return head.replace(slot, "[\n    {\n      " + body + "\n    }\n  ]", 1)
    parts: list[str] = []
    for finding in findings:
        if (
            isinstance(finding, dict)
            and finding
            and all(isinstance(v, _SCALARS) for v in finding.values())
        ):
            parts.append("{\n      " + flat(finding)[1:-1] + "\n    }")
        else:
            parts.append(json.dumps(finding, indent=2, ensure_ascii=False).replace("\n", "\n    "))
    return head.replace(slot, "[\n    " + ",\n    ".join(parts) + "\n  ]", 1)
