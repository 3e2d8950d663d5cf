"""`--output-format gitlab` (GitLab Code Quality) and `junit` (JUnit XML)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from twelvefold.cli import main
from twelvefold.model import Diagnostic, Finding, Severity
from twelvefold.registry import all_rules
from twelvefold.report import Report, render

from tests.helpers import make_repo

PYPROJECT = '[project]\nname = "p"\nversion = "1"\nrequires-python = ">=3.11"\ndependencies = []\n'
#: A provider-format key (a name-matched value is only a warning); split so the
#: repository itself holds no token.
TOKEN = "ghp_" + "R8x2Lq9Vt4Zk7Wm3Pn6Bc1Jd5Hf0Gs8Ya2Qe"
TRAIN = (
    "import pandas as pd\n\n"
    f"GITHUB_TOKEN = '{TOKEN}'\n"
    "df = pd.read_csv('/home/alice/churn/train.csv')\n"
    "df2 = pd.read_csv('/home/alice/churn/train.csv')\n"
)
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(
        tmp_path / "repo", {"pyproject.toml": PYPROJECT, "src/train.py": TRAIN, ".env": "X=1\n"}
    )


def test_gitlab_report_has_the_code_quality_shape(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "check", str(repo), "--output-format", "gitlab", "--select", "F3")
    assert code == 1
    issues = json.loads(out)
    # The fifth issue says what `--select F3` turned off (a reviewer must see it).
    assert isinstance(issues, list) and len(issues) == 5
    [settings] = [i for i in issues if i["check_name"] == "twelvefold-settings"]
    assert (
        settings["description"].startswith("twelvefold settings: ")
        and "turned off" in (settings["description"])
    )
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert isinstance(issue["description"], str) and issue["description"]
        assert issue["severity"] in GITLAB_SEVERITIES
        assert isinstance(issue["location"]["path"], str)
        assert (
            isinstance(issue["location"]["lines"]["begin"], int)
            and issue["location"]["lines"]["begin"] >= 1
        )
    by_code = {}
    for issue in issues:
        by_code.setdefault(issue["check_name"], []).append(issue)
    assert by_code["TF301"][0]["severity"] == "major"  # error
    assert {i["severity"] for i in by_code["TF303"]} == {"minor"}  # warning
    assert by_code["TF301"][0]["location"] == {"path": "src/train.py", "lines": {"begin": 3}}
    # GitLab shows one issue per fingerprint: identical lines still get distinct ones.
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    assert TOKEN not in out


def test_gitlab_fingerprints_do_not_depend_on_line_numbers(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, before = run(capsys, "check", str(repo), "--output-format", "gitlab", "--select", "F3")
    (repo / "src/train.py").write_text('"""Training."""\n\nimport os\n\n' + TRAIN, encoding="utf-8")
    _, after = run(capsys, "check", str(repo), "--output-format", "gitlab", "--select", "F3")
    first, second = json.loads(before), json.loads(after)
    assert [i["location"]["lines"]["begin"] for i in first] != [
        i["location"]["lines"]["begin"] for i in second
    ]
    assert sorted(i["fingerprint"] for i in first) == sorted(i["fingerprint"] for i in second)


def test_gitlab_clean_run_is_an_empty_array(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "clean", {"pyproject.toml": PYPROJECT, "app.py": "import os\n"})
    code, out = run(capsys, "check", str(repo), "--output-format", "gitlab", "--select", "F3")
    # No finding; only the note that the selection turned other rules off.
    assert code == 0 and [i["check_name"] for i in json.loads(out)] == ["twelvefold-settings"]


def test_gitlab_repo_level_finding_points_at_the_repository() -> None:
    finding = Finding(
        path=None,
        line=None,
        column=None,
        code="TF201",
        name="no-dependency-manifest",
        factor=2,
        severity=Severity.INFO,
        message="no manifest",
        fix="add one",
    )
    report = Report(
        findings=[finding], diagnostics=[], scorecard={}, rules=[], output_format="gitlab"
    )
    [issue] = json.loads(render(report))
    assert issue["location"] == {"path": ".", "lines": {"begin": 1}} and issue["severity"] == "info"


def _suite(xml_text: str) -> ET.Element:
    root = ET.fromstring(xml_text.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    return suites[0]


def test_junit_report_counts_failures_and_passes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "check", str(repo), "--output-format", "junit", "--select", "F3")
    assert code == 1
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    suite = _suite(out)
    cases = suite.findall("testcase")
    failures = [case for case in cases if case.find("failure") is not None]
    assert int(suite.get("tests")) == len(cases)
    failing = sorted(case.find("failure").get("type") for case in failures)
    assert [code for code in failing if code in {"TF301", "TF302", "TF303"}] == [
        "TF301",
        "TF302",
        "TF303",
        "TF303",
    ]
    assert int(suite.get("failures")) == len(failures)
    assert int(suite.get("errors")) == 0
    for case in cases:
        assert case.get("name") and case.get("classname", "").startswith("twelvefold")
    failure = next(case for case in failures if case.get("name", "").startswith("TF301")).find(
        "failure"
    )
    assert failure.get("type") == "TF301"
    assert "src/train.py:3" in failure.text and "fix:" in failure.text
    assert TOKEN not in out
    passing = [case.get("name") for case in cases if case.find("failure") is None]
    failing_codes = {"TF301", "TF302", "TF303"}
    assert passing == [
        f"{c} {cls.name}"
        for c, cls in all_rules().items()
        if cls.factor == 3 and c not in failing_codes and not cls.preview
    ]


def test_junit_passing_rules_are_test_cases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "clean", {"pyproject.toml": PYPROJECT, "app.py": "import os\n"})
    code, out = run(capsys, "check", str(repo), "--output-format", "junit", "--select", "F3")
    assert code == 0
    suite = _suite(out)
    names = [case.get("name") for case in suite.findall("testcase")]
    assert names == [
        f"{code} {cls.name}"
        for code, cls in all_rules().items()
        if cls.factor == 3 and not cls.preview
    ]
    assert suite.get("failures") == "0"


def _report(findings: list[Finding], diagnostics: list[Diagnostic] | None = None) -> Report:
    rules = [all_rules()["TF301"], all_rules()["TF303"]]
    return Report(
        findings=findings,
        diagnostics=diagnostics or [],
        scorecard={},
        rules=rules,
        output_format="junit",
    )


def test_junit_escapes_markup_and_characters_xml_cannot_hold() -> None:
    finding = Finding(
        path='a&<b>"\x1b[31m.py',
        line=2,
        column=None,
        code="TF303",
        name="absolute-machine-path",
        factor=3,
        severity=Severity.WARNING,
        message="path ']]> <x/> \x00\x0b' & more",
        fix="use <config>",
    )
    out = render(_report([finding]))
    suite = _suite(out)  # parses: the document is well-formed
    case = next(c for c in suite.findall("testcase") if c.find("failure") is not None)
    assert "a&<b>" in case.get("name")
    failure = case.find("failure")
    assert "]]> <x/>" in failure.get("message") and "\\x00" in failure.get("message")
    assert "\x1b" not in out and "\x00" not in out


def test_junit_info_findings_do_not_fail_and_internal_errors_are_errors() -> None:
    info = Finding(
        path=None,
        line=None,
        column=None,
        code="TF301",
        name="hard-coded-secret",
        factor=3,
        severity=Severity.INFO,
        message="baseline entry no longer found",
        fix="re-write it",
    )
    crash = Diagnostic(
        "x.py",
        "internal error in TF303: ValueError (please report this bug)",
        level="error",
        internal=True,
        rule="TF303",
    )
    suite = _suite(render(_report([info], [crash])))
    assert suite.get("failures") == "0" and suite.get("errors") == "1"
    info_case = next(c for c in suite.findall("testcase") if c.get("name", "").startswith("TF301"))
    assert "baseline entry" in info_case.find("system-out").text
    assert suite.find("testcase/error").get("type") == "internal-error"
