"""`junit`: JUnit XML for CI test-report views (GitLab `artifacts:reports:junit`, Jenkins).

One `<testsuite name="twelvefold">`; each selected rule is a test case of class
`twelvefold.<factor-slug>`:

* a rule with no finding is one passing `<testcase name="CODE rule-name">`;
* each `error` or `warning` finding is a failing test case named
  `CODE rule-name: path:line` with a `<failure type="CODE" message="...">` whose text
  holds the location, the message and the fix;
* `info` findings (missing evidence, which does not fail the default gate) are passing
  test cases whose `<system-out>` holds the message, so they show without failing;
* an internal error in a rule is an `<error>` test case.

Text comes from the audited repository, so it is escaped for XML, and characters XML 1.0
cannot carry at all (most control characters) are written as visible `\\xNN`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from twelvefold.factors import FACTORS
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Finding, Severity
from twelvefold.report import Report, location

# XML 1.0 allows tab, newline, carriage return and most of the rest of Unicode.
_NOT_XML = lazy_compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def render(report: Report) -> str:
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_code[finding.code].append(finding)
    suite = ET.Element("testsuite", name="twelvefold")
    tests = failures = errors = 0

    def case(name: str, classname: str) -> ET.Element:
        nonlocal tests
        tests += 1
        return ET.SubElement(suite, "testcase", name=_xml_text(name), classname=classname, time="0")

    codes = [rule.code for rule in report.rules]
    codes += sorted(set(by_code) - set(codes))  # stale-baseline or unlisted codes
    names = {rule.code: rule.name for rule in report.rules}
    factors = {rule.code: rule.factor for rule in report.rules}
    for code in codes:
        name = names.get(code) or (by_code[code][0].name if by_code[code] else "")
        factor = factors.get(code) or (by_code[code][0].factor if by_code[code] else 0)
        classname = f"twelvefold.{FACTORS[factor].slug}" if factor in FACTORS else "twelvefold"
        findings = by_code.get(code, [])
        if not findings:
            case(f"{code} {name}", classname)
        for finding in findings:
            where = location(finding)
            element = case(f"{code} {name}: {where}", classname)
            detail = f"{where}: {finding.message}\nfix: {finding.fix}\nseverity: {finding.severity.value}"
            if finding.severity is Severity.INFO:
                ET.SubElement(element, "system-out").text = _xml_text(detail)
                continue
            failures += 1
            failure = ET.SubElement(
                element,
                "failure",
                type=code,
                message=_xml_text(f"{finding.severity.value}: {finding.message}"),
            )
            failure.text = _xml_text(detail)
    for diagnostic in report.diagnostics:
        if not diagnostic.internal:
            continue
        errors += 1
        element = case(
            f"{diagnostic.rule or 'twelvefold'} internal error: {diagnostic.path or '.'}",
            "twelvefold",
        )
        error = ET.SubElement(
            element, "error", type="internal-error", message=_xml_text(diagnostic.message)
        )
        error.text = _xml_text(diagnostic.render())
    notes = report.shown_notices()
    if notes:
        properties = ET.Element("properties")
        for notice in notes:
            ET.SubElement(
                properties,
                "property",
                name=f"twelvefold.{notice.level}",
                value=_xml_text(notice.message),
            )
        suite.insert(0, properties)
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    root = ET.Element(
        "testsuites",
        name="twelvefold",
        tests=str(tests),
        failures=str(failures),
        errors=str(errors),
    )
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
