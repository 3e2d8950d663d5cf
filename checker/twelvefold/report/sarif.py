"""`sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run whose `tool.driver.rules` holds every rule that ran, documented from the rule
itself (summary, first paragraph of *What it does*, the whole docstring as help), and one
result per finding. What GitHub code scanning needs, and how it is met
(docs.github.com, "SARIF support for code scanning"; "About code scanning limits"):

* every result has a location (an upload with a location-less result is rejected):
  file findings point at the file, relative to `%SRCROOT%`, with the line and column;
  repo-level findings (no path) point at the repository root, `.`. An empty URI is
  rejected too, so the root is never written as `""`.
* URIs are percent-encoded (the upload action decodes them with `decodeURIComponent`),
  so a file named `a%0Ab` or `a b` maps back to itself and nothing in a path can break
  the document.
* `partialFingerprints` carries the baseline fingerprint (code, path, what was found,
  occurrence index; never the line), so an alert survives unrelated edits and two
  identical findings stay two alerts.
* at most 25,000 results per run (GitHub's hard limit): above it, the most severe
  25,000 are kept and a notification says how many were left out.

Diagnostics (skipped files, crashed rules) are `invocations[0].toolExecutionNotifications`;
`executionSuccessful` is false when a rule crashed. No timestamps and no absolute paths,
so the same tree gives the same bytes.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from twelvefold import __version__
from twelvefold.factors import FACTORS
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Diagnostic, Finding
from twelvefold.report import Report, json_text
from twelvefold.rule import Rule

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: GitHub code scanning rejects a run with more results than this.
MAX_RESULTS = 25_000
FINGERPRINT_KEY = "twelvefoldFindingHash/v1"
_HEADING = lazy_compile(r"^#+\s*(.*?)\s*$")


def render(report: Report) -> str:
    from twelvefold.baseline import fingerprints

    rules = _rules(report)
    index = {rule.code: position for position, rule in enumerate(rules)}
    digests = fingerprints(report.findings)
    by_severity = sorted(
        range(len(report.findings)), key=lambda i: -report.findings[i].severity.rank
    )  # stable: within a severity, the report's order
    kept = set(by_severity[:MAX_RESULTS])
    results = [
        _result(finding, digests[position], index)
        for position, finding in enumerate(report.findings)
        if position in kept
    ]
    notifications = [_notification(diagnostic) for diagnostic in report.diagnostics]
    left_out = len(report.findings) - len(results)
    if left_out:
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{left_out} less severe findings are not included: GitHub code "
                    f"scanning accepts at most {MAX_RESULTS} results per run."
                },
            }
        )
    urls = _project_urls()
    driver: dict[str, Any] = {
        "name": "twelvefold",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_descriptor(rule, urls) for rule in rules],
    }
    homepage = _information_uri(urls)
    if homepage:
        driver["informationUri"] = homepage
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [
            {
                "executionSuccessful": not any(d.internal for d in report.diagnostics),
                "toolExecutionNotifications": notifications,
                "toolConfigurationNotifications": [
                    {"level": LEVELS[notice.level], "message": {"text": notice.message}}
                    for notice in report.shown_notices()
                ],
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return json_text({"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]})


def _rules(report: Report) -> list[type[Rule]]:
    """The rules that ran, plus any rule a finding names (a finding is never orphaned)."""
    from twelvefold.registry import all_rules

    by_code = {rule.code: rule for rule in report.rules}
    missing = {f.code for f in report.findings} - set(by_code)
    if missing:
        known = all_rules()
        by_code.update({code: known[code] for code in missing if code in known})
    return sorted(by_code.values(), key=lambda rule: (rule.factor, len(rule.code), rule.code))


def _descriptor(rule: type[Rule], urls: dict[str, str]) -> dict[str, Any]:
    factor = FACTORS[rule.factor]
    documentation = rule.documentation()
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _what_it_does(documentation) or rule.summary},
        "help": {"text": documentation, "markdown": documentation},
        "defaultConfiguration": {"level": LEVELS[rule.severity.value]},
        "properties": {
            "factor": rule.factor,
            "factorName": factor.slug,
            "tags": ["twelve-factor", f"factor-{rule.factor}", factor.slug],
        },
    }
    page = help_uri(rule, urls)
    if page is not None:
        descriptor["helpUri"] = page
    return descriptor


def _what_it_does(documentation: str) -> str:
    """The first paragraph under the first heading (*What it does*), on one line."""
    paragraph: list[str] = []
    for line in documentation.splitlines():
        if _HEADING.match(line):
            if paragraph:
                break
            continue
        if not line.strip():
            if paragraph:
                break
            continue
        paragraph.append(line.strip())
    return " ".join(paragraph)


def _artifact(path: str | None) -> dict[str, str]:
    if not path:
        return {"uri": ".", "uriBaseId": "%SRCROOT%"}
    if path.startswith("/"):
        # Only when the user audits several folders given as absolute paths: the prefix is
        # theirs, and a relative URI would point at the wrong place.
        return {"uri": "file://" + quote(path, safe="/")}
    return {"uri": quote(path, safe="/"), "uriBaseId": "%SRCROOT%"}


def _physical(path: str | None, line: int | None, column: int | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(path)}
    if path and line is not None:
        region: dict[str, int] = {"startLine": line}
        if column is not None:
            region["startColumn"] = column
        physical["region"] = region
    return physical


def _result(finding: Finding, digest: str, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVELS[finding.severity.value],
        "message": {
            "text": f"{finding.message}\nFix: {finding.fix}" if finding.fix else finding.message
        },
        "locations": [{"physicalLocation": _physical(finding.path, finding.line, finding.column)}],
        "partialFingerprints": {FINGERPRINT_KEY: digest},
    }
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    if finding.cell is not None:
        result["properties"] = {"cell": finding.cell, "cellLine": finding.cell_line}
    if finding.related:
        result["relatedLocations"] = [
            {
                "id": number,
                "physicalLocation": _physical(finding.path, line, None),
                "message": {"text": text},
            }
            for number, (line, text) in enumerate(finding.related)
        ]
    if finding.files:
        start = len(finding.related)
        result.setdefault("relatedLocations", []).extend(
            {
                "id": start + number,
                "physicalLocation": _physical(path, None, None),
                "message": {"text": "the same violation"},
            }
            for number, path in enumerate(finding.files)
        )
    return result


def _notification(diagnostic: Diagnostic) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "level": "error" if diagnostic.level == "error" or diagnostic.internal else "warning",
        "message": {"text": diagnostic.message},
    }
    if diagnostic.path:
        notification["locations"] = [{"physicalLocation": _physical(diagnostic.path, None, None)}]
    if diagnostic.rule:
        notification["associatedRule"] = {"id": diagnostic.rule}
    return notification


def _project_urls() -> dict[str, str]:
    """The distribution's declared URLs by lower-case label (never a guessed URL)."""
    from importlib import metadata

    try:
        meta = metadata.metadata("twelvefold")
    except metadata.PackageNotFoundError:
        return {}
    urls: dict[str, str] = {}
    for entry in meta.get_all("Project-URL") or ():
        label, _, url = entry.partition(",")
        if url.strip():
            urls.setdefault(label.strip().lower(), url.strip())
    home = (meta.get_all("Home-page") or [None])[0]
    if home:
        urls.setdefault("home-page", home)
    return urls


def _information_uri(urls: dict[str, str]) -> str | None:
    for label in ("documentation", "homepage", "home", "home-page", "repository", "source"):
        if label in urls:
            return urls[label]
    return None


def help_uri(rule: type[Rule], urls: dict[str, str]) -> str | None:
    """The rule's page on the documentation site (`docs/`: `rules/CODE/`), for built-in
    rules when the distribution declares its Documentation URL."""
    docs = urls.get("documentation")
    if docs is None or rule.origin != "twelvefold":
        return None
    return f"{docs.rstrip('/')}/rules/{rule.code}/"
