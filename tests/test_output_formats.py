"""The report formats on one realistic repository: a file finding, a repo-level finding
and a notebook finding. json is validated against its published schema, sarif against
the official SARIF 2.1.0 schema (vendored in tests/schemas), github commands are parsed
back, and every format gives the same exit code, the same bytes twice, and no absolute
path or timestamp.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import re
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from twelvefold.cli import main
from twelvefold.registry import all_rules
from twelvefold.report import FORMATS
from twelvefold.report.markdown import MAX_FINDINGS

from tests.helpers import make_repo, notebook, run_cli

SCHEMAS = Path(__file__).parent / "schemas"
REPORT_SCHEMA = (
    Path(__file__).parents[1]
    / "checker"
    / "twelvefold"
    / "report"
    / "schema"
    / "report.schema.json"
)
# Built by concatenation so this file holds no secret.
#: A provider-format key (a name-matched value is only a warning); split so the
#: repository itself holds no token.
TOKEN = "ghp_" + "R8x2Lq9Vt4Zk7Wm3Pn6Bc1Jd5Hf0Gs8Ya2Qe"
NOTEBOOK_KEY = "AKIA" + "Q7ZP3MDKW9RTX2VB"
PROJECT = {
    # Scoped to factors 2 and 3 so the findings don't move as other factors' rules grow.
    # An application: the kind where every factor applies (TF204 is asked of it).
    "twelvefold.toml": 'select = ["F2", "F3"]\nkind = "application"\n',
    "requirements.txt": "pandas\nscikit-learn==1.5.2\nboto3==1.35.0\n",
    "src/train.py": (
        "import pandas as pd\n\n"
        f"GITHUB_TOKEN = '{TOKEN}'\n"
        "df = pd.read_csv('/home/alice/churn/train.csv')\n"
    ),
    "notebooks/eda.ipynb": notebook(
        "import pandas as pd",
        f"import boto3\ns3 = boto3.client('s3', aws_access_key_id='{NOTEBOOK_KEY}')\n",
    ),
}
# What the repository above must produce; every test below leans on these four.
EXPECTED = {
    ("TF204", None, None),  # repo-level: no Python version declared anywhere
    ("TF202", "requirements.txt", 1),  # `pandas` unpinned
    ("TF301", "src/train.py", 3),  # GITHUB_TOKEN
    ("TF303", "src/train.py", 4),  # /home/alice/...
    ("TF301", "notebooks/eda.ipynb", 17),  # the key in cell 1
}
OWN_FORMATS = ("text", "full", "json", "sarif", "github", "markdown")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
COMMAND = re.compile(r"^::(?P<kind>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


run = run_cli


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repo(tmp_path_factory.mktemp("formats") / "churn", PROJECT)


@pytest.fixture(scope="module")
def outputs(project: Path) -> dict[str, tuple[int, str, str]]:
    """Every format's exit code, stdout and stderr, computed once."""
    return {name: render(project, name) for name in FORMATS}


def render(project: Path, name: str) -> tuple[int, str, str]:
    """Run the CLI in-process without capsys (function-scoped, so unusable in a module
    fixture)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(project), "--output-format", name])
    return code, out.getvalue(), err.getvalue()


def json_findings(outputs: dict[str, tuple[int, str, str]]) -> list[dict]:
    return json.loads(outputs["json"][1])["findings"]


def test_the_project_has_a_file_a_repo_level_and_a_notebook_finding(outputs) -> None:
    found = {(f["code"], f["path"], f["line"]) for f in json_findings(outputs)}
    assert found >= EXPECTED
    cells = [f for f in json_findings(outputs) if f["path"] == "notebooks/eda.ipynb"]
    assert any(f["cell"] == 1 and f["cell_line"] == 2 for f in cells)


# --- json ------------------------------------------------------------------------------


def report_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_json_validates_against_the_published_schema(outputs) -> None:
    document = json.loads(outputs["json"][1])
    report_validator().validate(document)
    for finding in document["findings"]:
        keys = {"code", "name", "factor", "severity", "path", "line", "column", "message", "fix"}
        assert set(finding) in (keys, keys | {"cell", "cell_line"})


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["findings"][0].update(source="a line"),  # no extra keys
        lambda d: d["findings"][0].pop("fix"),  # every key required
        lambda d: d["findings"][0].update(severity="fatal"),
        lambda d: d["findings"][0].update(factor=13),
        lambda d: d["summary"]["scorecard"]["3"].update(status="ok"),
        lambda d: d.update(generated="2026-01-01"),
        lambda d: d["findings"][-1].pop("cell_line") if "cell" in d["findings"][-1] else d.clear(),
    ],
)
def test_the_schema_rejects_what_the_contract_excludes(outputs, mutate) -> None:
    document = json.loads(outputs["json"][1])
    document["findings"].sort(key=lambda f: "cell" in f)  # a notebook finding last
    broken = copy.deepcopy(document)
    mutate(broken)
    with pytest.raises(jsonschema.ValidationError):
        report_validator().validate(broken)


def test_the_schema_ships_in_the_package() -> None:
    from importlib import resources

    text = (
        resources.files("twelvefold.report")
        .joinpath("schema/report.schema.json")
        .read_text("utf-8")
    )
    assert json.loads(text)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_a_grouped_finding_lists_its_other_files_in_json_and_sarif(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """TF104 reports the notebooks of a repository as one finding: JSON names the others
    in `files` (schema-valid), SARIF as related locations (valid against SARIF 2.1.0)."""
    table = {"name": "stdout", "output_type": "stream", "text": ["x" * 9000 + "\n"]}
    ran = notebook(("df.head(200)", [table]))
    root = make_repo(tmp_path / "nbs", {"a.ipynb": ran, "b.ipynb": ran})
    (tmp_path / "twelvefold.toml").write_text('kind = "application"\n')
    config = ["--select", "TF104", "--config", str(tmp_path / "twelvefold.toml")]
    main(["check", str(root), *config, "--output-format", "json"])
    document = json.loads(capsys.readouterr().out)
    report_validator().validate(document)
    [finding] = document["findings"]
    assert (finding["path"], finding["files"]) == ("a.ipynb", ["b.ipynb"])
    main(["check", str(root), *config, "--output-format", "sarif"])
    sarif = json.loads(capsys.readouterr().out)
    sarif_validator().validate(sarif)
    [result] = sarif["runs"][0]["results"]
    [related] = result["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "b.ipynb"


# --- sarif -----------------------------------------------------------------------------


def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def test_sarif_validates_against_the_official_schema(outputs) -> None:
    document = json.loads(outputs["sarif"][1])
    sarif_validator().validate(document)
    assert document["version"] == "2.1.0"


def test_the_sarif_validator_is_not_a_rubber_stamp(outputs) -> None:
    document = json.loads(outputs["sarif"][1])
    document["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        sarif_validator().validate(document)


def test_sarif_driver_documents_every_rule_from_its_docstring(outputs) -> None:
    driver = json.loads(outputs["sarif"][1])["runs"][0]["tool"]["driver"]
    assert driver["name"] == "twelvefold" and driver["version"]
    rules = all_rules()
    levels = {"error": "error", "warning": "warning", "info": "note"}
    ids = [descriptor["id"] for descriptor in driver["rules"]]
    assert len(ids) == len(set(ids))
    assert {"TF201", "TF301", "TF303"} <= set(ids)
    for descriptor in driver["rules"]:
        rule = rules[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert (
            descriptor["fullDescription"]["text"]
            and "##" not in descriptor["fullDescription"]["text"]
        )
        assert descriptor["help"]["markdown"] == rule.documentation()
        assert descriptor["help"]["text"] == rule.documentation()
        assert descriptor["defaultConfiguration"]["level"] == levels[rule.severity.value]
        assert descriptor["properties"]["factor"] == rule.factor
        assert f"factor-{rule.factor}" in descriptor["properties"]["tags"]


def test_sarif_results_carry_rule_level_location_and_fingerprint(outputs) -> None:
    run_ = json.loads(outputs["sarif"][1])["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    findings = json_findings(outputs)
    results = run_["results"]
    assert len(results) == len(findings)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for result, finding in zip(results, findings, strict=True):
        assert result["ruleId"] == finding["code"] == rules[result["ruleIndex"]]["id"]
        assert result["level"] == levels[finding["severity"]]
        assert result["message"]["text"].startswith(finding["message"])
        [location] = result["locations"]
        physical = location["physicalLocation"]
        artifact = physical["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        if finding["path"] is None:  # repo-level: the repository root, never an empty URI
            assert artifact["uri"] == "." and "region" not in physical
        else:
            assert unquote(artifact["uri"]) == finding["path"]
            assert physical["region"]["startLine"] == finding["line"]
            if finding["column"] is not None:
                assert physical["region"]["startColumn"] == finding["column"]
        if "cell" in finding:
            assert result["properties"] == {
                "cell": finding["cell"],
                "cellLine": finding["cell_line"],
            }
    fingerprints = [next(iter(r["partialFingerprints"].values())) for r in results]
    assert len(set(fingerprints)) == len(fingerprints)


def test_sarif_fingerprints_survive_unrelated_edits(tmp_path: Path, capsys) -> None:
    def fingerprints(root: Path) -> dict[tuple[str, str], tuple[str, int]]:
        _, out, _ = run(capsys, "check", str(root), "--output-format", "sarif")
        found = {}
        for result in json.loads(out)["runs"][0]["results"]:
            physical = result["locations"][0]["physicalLocation"]
            key = (result["ruleId"], physical["artifactLocation"]["uri"])
            line = physical.get("region", {}).get("startLine", 0)
            found[key] = (next(iter(result["partialFingerprints"].values())), line)
        return found

    before = fingerprints(make_repo(tmp_path / "before", PROJECT))
    moved = dict(
        PROJECT,
        **{"src/train.py": "# a comment pushes every line down\n" + PROJECT["src/train.py"]},
    )
    after = fingerprints(make_repo(tmp_path / "after", moved))
    key = ("TF301", "src/train.py")
    assert after[key][0] == before[key][0]  # same alert ...
    assert after[key][1] == before[key][1] + 1  # ... now one line lower


def test_sarif_keeps_at_most_githubs_result_limit(monkeypatch, project: Path) -> None:
    from twelvefold.report import sarif

    monkeypatch.setattr(sarif, "MAX_RESULTS", 2)
    _, out, _ = render(project, "sarif")
    run_ = json.loads(out)["runs"][0]
    assert [r["level"] for r in run_["results"]] == ["error", "error"]  # the most severe kept
    notes = run_["invocations"][0]["toolExecutionNotifications"]
    assert any("are not included" in n["message"]["text"] for n in notes)


# --- github ----------------------------------------------------------------------------


def unescape(value: str) -> str:
    """What the Actions runner does to a command's property value or message."""
    return (
        value.replace("%2C", ",")
        .replace("%3A", ":")
        .replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%25", "%")
    )


def parse_commands(out: str) -> tuple[list[dict[str, str]], list[str]]:
    commands, other = [], []
    for line in out.splitlines():
        match = COMMAND.match(line)
        if match is None:
            other.append(line)
            continue
        props = {}
        for item in (match["props"] or "").split(","):
            if item:
                key, _, value = item.partition("=")
                props[key] = unescape(value)
        commands.append({"kind": match["kind"], "message": unescape(match["message"]), **props})
    return commands, other


def test_github_commands_parse_back_to_the_findings(outputs) -> None:
    commands, other = parse_commands(outputs["github"][1])
    commands = [c for c in commands if c.get("title") != "twelvefold settings"]
    findings = json_findings(outputs)
    assert len(commands) == len(findings)
    kinds = {"error": "error", "warning": "warning", "info": "notice"}
    for command, finding in zip(commands, findings, strict=True):
        assert command["kind"] == kinds[finding["severity"]]
        assert command["title"] == f"{finding['code']} {finding['name']}"
        assert command["message"].startswith(finding["message"])
        assert command["message"].endswith(f"Fix: {finding['fix']}")
        if finding["path"] is None:
            assert "file" not in command
        else:
            assert command["file"] == finding["path"]
            assert int(command["line"]) == finding["line"]
            if finding["column"] is not None:
                assert int(command["col"]) == finding["column"]
    assert len(other) == 1 and other[0].startswith("twelvefold: ")
    assert "failing factors: 2, 3" in other[0]


# --- markdown --------------------------------------------------------------------------


def tables(markdown: str) -> list[list[list[str]]]:
    """Each GFM table as rows of cell texts, via markdown-it (a CommonMark/GFM parser)."""
    markdown_it = pytest.importorskip("markdown_it")
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(markdown)
    found: list[list[list[str]]] = []
    row: list[str] | None = None
    for token in tokens:
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content)
        elif token.type == "tr_close" and row is not None:
            found[-1].append(row)
            row = None
    return found


def test_markdown_scorecard_and_findings_tables(outputs) -> None:
    out = outputs["markdown"][1]
    scorecard, findings_table = tables(out)
    assert scorecard[0] == ["Factor", "Status", "Findings"]
    assert len(scorecard) == 13  # header + twelve factors
    rows = {row[0]: row for row in scorecard[1:]}
    assert rows["2. Dependencies"][1] == "❌ fail" and rows["2. Dependencies"][2] == "2"
    assert rows["3. Config"][2] == "3"
    findings = json_findings(outputs)
    assert findings_table[0] == ["Severity", "Rule", "Location", "Message"]
    assert len(findings_table) == 1 + len(findings)
    assert all(len(row) == 4 for row in findings_table)
    assert "repository" in {row[2] for row in findings_table}
    assert "` notebooks/eda.ipynb:17 ` (cell 1, line 2)" in {row[2] for row in findings_table}
    assert "### How to fix" in out


def test_markdown_cuts_long_reports(monkeypatch, project: Path, outputs) -> None:
    from twelvefold.report import markdown

    monkeypatch.setattr(markdown, "MAX_FINDINGS", 2)
    _, out, _ = render(project, "markdown")
    assert len(tables(out)[1]) == 3
    assert f"and {len(json_findings(outputs)) - 2} more findings" in out
    assert MAX_FINDINGS >= 100  # the real limit keeps a normal report whole


# --- all formats -----------------------------------------------------------------------


def test_exit_codes_are_the_same_in_every_format(project: Path, tmp_path: Path, capsys) -> None:
    clean = make_repo(
        tmp_path / "clean",
        {
            "twelvefold.toml": 'select = ["F3"]\n',
            "app.py": "import os\n\nDATA_DIR = os.environ.get('DATA_DIR', 'data')\n",
        },
    )
    for name in FORMATS:
        assert run(capsys, "check", str(project), "--output-format", name)[0] == 1, name
        assert (
            run(capsys, "check", str(project), "--output-format", name, "--fail-on", "never")[0]
            == 0
        )
        assert run(capsys, "check", str(clean), "--output-format", name)[0] == 0, name
        assert (
            run(capsys, "check", str(project), "--output-format", name, "--select", "TF999")[0] == 2
        )


def test_output_file_holds_exactly_what_stdout_would(
    project: Path, tmp_path: Path, capsys, outputs
) -> None:
    for name in FORMATS:
        target = tmp_path / f"report.{name}"
        code, out, _ = run(
            capsys, "check", str(project), "--output-format", name, "--output", str(target)
        )
        assert code == outputs[name][0] == 1
        assert out == ""
        assert target.read_text(encoding="utf-8") == outputs[name][1], name


def test_every_format_is_deterministic_and_machine_independent(
    project: Path, capsys, outputs
) -> None:
    for name in FORMATS:
        again = run(capsys, "check", str(project), "--output-format", name)
        assert again == outputs[name], name
        text = outputs[name][1] + outputs[name][2]
        assert str(project) not in text and str(project.parent) not in text, name
        assert not TIMESTAMP.search(text), name


@pytest.mark.parametrize("name", OWN_FORMATS)
def test_a_clean_repository_renders_in_every_format(tmp_path: Path, capsys, name: str) -> None:
    clean = make_repo(
        tmp_path / "clean", {"twelvefold.toml": 'select = ["F3"]\n', "app.py": "x = 1\n"}
    )
    code, out, err = run(capsys, "check", str(clean), "--output-format", name)
    assert code == 0 and out and not err
    if name == "sarif":
        document = json.loads(out)
        sarif_validator().validate(document)
        assert document["runs"][0]["results"] == []
    elif name == "json":
        report_validator().validate(json.loads(out))
    elif name == "github":
        assert re.fullmatch(
            r"::warning title=twelvefold settings::\d+ of \d+ rules are turned off \(select = F3\)\n"
            r"twelvefold: all checks passed \(\d+ files checked\); settings: twelvefold.toml\n",
            out,
        )
    elif name == "markdown":
        assert out.startswith("## twelvefold: all checks passed") and "### Findings" not in out


def test_the_cli_offers_exactly_the_registered_formats() -> None:
    from twelvefold.cli import OUTPUT_FORMATS

    assert tuple(OUTPUT_FORMATS) == tuple(FORMATS)  # FORMATS is where a format is registered


@pytest.mark.parametrize("name", ["text", "full", "github", "markdown"])
def test_a_notebook_finding_without_a_cell_line_names_only_its_cell(name: str) -> None:
    from twelvefold.model import Finding, Severity
    from twelvefold.report import Report, render

    finding = Finding(
        "notebooks/eda.ipynb",
        41,
        None,
        "TF104",
        name="notebook-with-outputs",
        factor=1,
        severity=Severity.WARNING,
        message="notebook committed with outputs in 2 of 4 code cells",
        fix="Strip the outputs.",
        cell=3,
    )

    def report(output_format: str) -> Report:
        return Report(
            findings=[finding],
            diagnostics=[],
            scorecard={1: "fail"},
            rules=[],
            output_format=output_format,
        )

    out = render(report(name))
    assert "cell 3" in out and "None" not in out
    document = json.loads(render(report("json")))
    assert document["findings"][0]["line"] == 41 and document["findings"][0]["cell"] == 3


STORE_SERVICE = {
    "twelvefold.toml": 'select = ["TF602"]\n',
    "app.py": (
        "from fastapi import FastAPI\n"
        "app = FastAPI()\n"
        "JOBS = {}\n"
        "\n"
        "@app.post('/jobs/{job_id}')\n"
        "def create(job_id: str):\n"
        "    JOBS[job_id] = 'queued'\n"
    ),
}


@pytest.mark.parametrize("cached", [False, True])
def test_related_locations_reach_json_and_sarif(tmp_path: Path, cached: bool) -> None:
    """TF602 is reported where the store is defined; the mutation is the related place:
    JSON `related`, SARIF `relatedLocations` (valid against both schemas), and the same
    from the cache as from a fresh run."""
    repo = make_repo(tmp_path / "svc", STORE_SERVICE)
    if cached:
        render(repo, "json")  # fills the cache; the runs below read it
    document = json.loads(render(repo, "json")[1])
    report_validator().validate(document)
    [finding] = document["findings"]
    assert (finding["line"], finding["related"]) == (
        3,
        [{"line": 7, "message": "`JOBS` mutated by item assignment in `create`"}],
    )
    sarif = json.loads(render(repo, "sarif")[1])
    sarif_validator().validate(sarif)
    [result] = sarif["runs"][0]["results"]
    [related] = result["relatedLocations"]
    assert related["physicalLocation"]["region"] == {"startLine": 7}
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "app.py"
    assert "see line 7" in render(repo, "text")[1]
