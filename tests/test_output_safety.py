"""A repository is untrusted input: its file names and the text rules quote from it must
not inject anything into the outputs (terminal escapes, extra lines, GitHub workflow
commands, Markdown tables or HTML, broken JSON), and no output may print a secret whole.

Every crafted name is a real file on disk, committed to git, holding a real finding.
Secrets are built at run time, so this file holds none.
"""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from twelvefold.cli import main
from twelvefold.model import Finding, Severity
from twelvefold.report import FORMATS, Report, escape_control, render
from twelvefold.report.github import escape_data, escape_property

from tests.helpers import TABLE_OUTPUT, make_repo, notebook, run_cli
from tests.test_output_formats import COMMAND, OWN_FORMATS, parse_commands, tables

SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
# Every file holds a machine-specific path (TF303, a warning with line and column).
FINDING = "import pandas as pd\n\ndf = pd.read_csv('/home/alice/churn/train.csv')\n"
CRAFTED_NAMES = [
    "evil\n::error file=app.py,line=1::injected.py",
    "::error::pwned.py",
    "##[error]legacy.py",
    "pct%0A::warning::x%25y.py",
    "ansi\x1b[31mred\x1b[0m\x1b]0;title\x07.py",
    "pipe|cell`tick``two`<script>alert(1)<img src=x onerror=alert(1)>.py",
    "bidi\u202egnp.py",
    "line\u2028sep\x85nel\x0bvt\r.py",
    "[link](https:evil.example)![img](x)@org-team #1 **bold**.py",
]
# A message that quotes crafted text: TF303 shows the path literal it found.
CRAFTED_MESSAGE = (
    "import pandas as pd\n\n"
    # The backtick closes the rule's code span: what follows would be live Markdown.
    "df = pd.read_csv('/home/alice/`<b>b</b>[l](x)|\\n::error::m\\x1b[2J%0A\\u2028.csv')\n"
)
#: Characters that must never reach an output raw (LF only as the line separator).
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


run = run_cli


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {"twelvefold.toml": 'select = ["TF303"]\n', "crafted_message.py": CRAFTED_MESSAGE}
    files.update({name: FINDING for name in CRAFTED_NAMES})
    return make_repo(tmp_path_factory.mktemp("hostile") / "repo", files)


@pytest.fixture(scope="module")
def findings(hostile: Path) -> list[dict]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(["check", str(hostile), "--output-format", "json"])
    return json.loads(out.getvalue())["findings"]


def test_every_crafted_file_is_checked(findings: list[dict]) -> None:
    paths = {f["path"] for f in findings}
    assert paths == {*CRAFTED_NAMES, "crafted_message.py"}
    [crafted] = [f for f in findings if f["path"] == "crafted_message.py"]
    assert "`<b>b</b>[l](x)|\n::error::m\x1b[2J%0A\u2028.csv`" in crafted["message"]


def test_text_shows_control_characters_and_never_starts_a_command(hostile: Path, capsys) -> None:
    for name in ("text", "full"):
        _, out, err = run(capsys, "check", str(hostile), "--output-format", name)
        assert not RAW_CONTROL.search(out + err), name
        for line in out.splitlines():
            assert not line.startswith(("::", "##[")), line
        assert "./::error::pwned.py:3:" in out
        assert "ansi\\x1b[31mred" in out  # visible, not interpreted
        finding_lines = [line for line in out.splitlines() if ": TF303 " in line]
        assert len(finding_lines) == len(CRAFTED_NAMES) + 1


def test_github_is_one_command_per_finding_with_escaped_properties(
    hostile: Path, capsys, findings: list[dict]
) -> None:
    _, out, _ = run(capsys, "check", str(hostile), "--output-format", "github")
    assert not RAW_CONTROL.search(out)
    lines = [line for line in out.splitlines() if "title=twelvefold settings::" not in line]
    assert len(lines) == len(findings) + 1  # one line per finding, one summary
    assert all(COMMAND.match(line) for line in lines[:-1])
    assert not lines[-1].startswith(("::", "##["))
    for line in lines[:-1]:
        props = COMMAND.match(line)["props"]
        assert all(re.fullmatch(r"[a-z]+=[^:,]*", item) for item in props.split(","))
    commands, _ = parse_commands(out)
    by_file = {command["file"]: command for command in commands if "file" in command}
    for finding in findings:
        # CR and LF travel %-encoded and come back; other controls arrive visible (`\\x0b`).
        command = by_file[escape_control(finding["path"], keep="\r\n")]
        # The runner decodes %XX back: the annotation lands on the real file and line.
        assert int(command["line"]) == finding["line"]
        assert command["title"] == "TF303 absolute-machine-path"
    assert "evil\n::error file=app.py,line=1::injected.py" in by_file
    assert "pct%0A::warning::x%25y.py" in by_file  # a literal %0A stays literal


def test_github_escaping_is_the_toolkits() -> None:
    # @actions/core escapeData / escapeProperty, character for character.
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert escape_data("a:b,c") == "a:b,c"
    assert escape_data("\x1b[31m") == "\\x1b[31m"  # and no raw escape reaches the log


def test_markdown_rows_stay_whole_and_hold_no_html(
    hostile: Path, capsys, findings: list[dict]
) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    _, out, _ = run(capsys, "check", str(hostile), "--output-format", "markdown")
    assert not RAW_CONTROL.search(out)
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(out)
    kinds = {token.type for token in tokens} | {
        child.type for token in tokens for child in token.children or []
    }
    # Only the format's own markup: no HTML, link, image or emphasis from repository text.
    assert not kinds & {"html_inline", "html_block", "link_open", "image", "em_open", "s_open"}
    _, findings_table = tables(out)
    assert len(findings_table) == 1 + len(findings)
    assert all(len(row) == 4 for row in findings_table)
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").render(out)
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    # Each message is one cell showing exactly the message text (controls made visible).
    for finding in findings:
        shown = escape_control(finding["message"])
        shown = (
            shown.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
        )
        assert f"<td>{shown}</td>" in rendered, finding["path"]
    # Each path is one code span showing exactly the path (the table's `\\|` is undone).
    # (A legacy workflow command, `##[`, is shown `##\\[`: a code span has no other escape.)
    for name in CRAFTED_NAMES:
        shown = html.escape(escape_control(name).replace("##[", "##\\["), quote=False)
        assert f"<code>{shown}:3:18</code>" in rendered, name


def test_sarif_is_valid_and_maps_back_to_the_real_files(hostile: Path, capsys, findings) -> None:
    _, out, _ = run(capsys, "check", str(hostile), "--output-format", "sarif")
    assert not RAW_CONTROL.search(out)
    document = json.loads(out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(document)
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
    ]
    assert all(re.fullmatch(r"[A-Za-z0-9._~/%!$&'()*+,;=:@-]+", uri) for uri in uris)
    assert sorted(unquote(uri) for uri in uris) == sorted(f["path"] for f in findings)


def test_json_is_valid_and_escapes_every_control_character(hostile: Path, capsys, findings) -> None:
    _, out, _ = run(capsys, "check", str(hostile), "--output-format", "json")
    assert not RAW_CONTROL.search(out)
    assert json.loads(out)["findings"] == findings


# --- secrets ---------------------------------------------------------------------------


def _secrets() -> dict[str, str]:
    """Realistic values in each provider's format, none of them a documented example."""
    rng = random.Random(20261122)
    upper = "ABCDFGHIJKLMNOPQRSTUVWYZ234567"  # no E or X: the value never spells EXAMPLE
    alnum = "abcdefghijkmnopqrstuvwyzABCDFGHJKLMNPQRSTUVWYZ23456789"

    def pick(chars: str, n: int) -> str:
        return "".join(rng.choice(chars) for _ in range(n))

    return {
        "aws_py": "AKIA" + pick(upper, 16),
        "aws_notebook": "AKIA" + pick(upper, 16),
        "github_env": "ghp_" + pick(alnum, 36),
        "github_yaml": "ghp_" + pick(alnum, 36),
        "github_output": "ghp_" + pick(alnum, 36),
        "password_env": "Tr0ub4dor" + pick(alnum, 8),
        "password_yaml": "Qz" + pick(alnum, 12),
        "private_key": "MIIEowIBAAKCAQEA" + pick(alnum + "+/", 48),
    }


SECRETS = _secrets()
# Where each secret is planted: (path, line) in the file as stored.
PLANTED = {
    "aws_py": ("src/settings.py", 1),
    "private_key": ("src/settings.py", 2),
    "password_env": (".env", 1),
    "github_env": (".env", 2),
    "github_yaml": ("config/deploy.yaml", 1),
    "password_yaml": ("config/deploy.yaml", 2),
    "aws_notebook": ("notebooks/eda.ipynb", 16),
    "github_output": ("notebooks/eda.ipynb", 25),
}


def secret_files() -> dict[str, str]:
    s = SECRETS
    return {
        "requirements.txt": "boto3==1.35.0\n",
        "src/settings.py": (
            f'AWS_ACCESS_KEY_ID = "{s["aws_py"]}"\n'
            f'TLS_KEY = "-----BEGIN RSA PRIVATE KEY-----\\n{s["private_key"]}\\n'
            '-----END RSA PRIVATE KEY-----\\n"\n'
        ),
        ".env": (
            f"DATABASE_URL=postgresql://ml_user:{s['password_env']}@db.internal:5432/churn\n"
            f"GITHUB_TOKEN={s['github_env']}\n"
        ),
        "config/deploy.yaml": (
            f"github_token: {s['github_yaml']}\n"
            f"database_url: postgresql://svc:{s['password_yaml']}@warehouse.internal/features\n"
        ),
        "notebooks/eda.ipynb": notebook(
            "import boto3",
            (
                f"s3 = boto3.client('s3', aws_access_key_id='{s['aws_notebook']}')\nprint(token)\n",
                [
                    {
                        "output_type": "stream",
                        "name": "stdout",
                        "text": [f"token={s['github_output']}\n"],
                    }
                ],
            ),
        ),
    }


def mask(value: str) -> str:
    return f"{value[: min(4, len(value) // 4)]}…({len(value)} chars)"


def test_no_format_prints_a_secret_whole(tmp_path: Path, capsys) -> None:
    root = make_repo(tmp_path / "leaky", secret_files())
    for name in FORMATS:  # every registered format, all rules enabled
        target = tmp_path / f"report.{name}"
        code, out, err = run(capsys, "check", str(root), "--output-format", name)
        run(capsys, "check", str(root), "--output-format", name, "--output", str(target))
        written = target.read_text(encoding="utf-8")
        assert code == 1
        for key, value in SECRETS.items():
            for where, text in (("stdout", out), ("stderr", err), ("--output", written)):
                assert value not in text, f"{name} {where} shows {key}"
                assert value[:-4] not in text, f"{name} {where} shows most of {key}"
        if name not in OWN_FORMATS:
            continue  # the other formats' own tests check where they put findings
        if name == "markdown":  # what a reader sees, after Markdown's escapes
            markdown_it = pytest.importorskip("markdown_it")
            out = html.unescape(markdown_it.MarkdownIt("commonmark").enable("table").render(out))
        for key, (path, line) in PLANTED.items():
            assert mask(SECRETS[key]) in out, f"{name}: no masked {key}"
            assert _located(name, out, path, line), f"{name}: {key} not at {path}:{line}"


def _located(name: str, out: str, path: str, line: int) -> bool:
    if name == "json":
        return any(f["path"] == path and f["line"] == line for f in json.loads(out)["findings"])
    if name == "sarif":
        for result in json.loads(out)["runs"][0]["results"]:
            physical = result["locations"][0]["physicalLocation"]
            if (
                unquote(physical["artifactLocation"]["uri"]) == path
                and physical.get("region", {}).get("startLine") == line
            ):
                return True
        return False
    if name == "github":
        return f"file={escape_property(path)},line={line}," in out
    return f"{path}:{line}" in out  # text, full, markdown


def test_full_masks_a_secret_on_a_line_another_rule_reports() -> None:
    key = SECRETS["aws_py"]
    finding = Finding(
        path="nb.ipynb",
        line=3,
        column=None,
        code="TF104",
        name="notebook-with-outputs",
        factor=1,
        severity=Severity.WARNING,
        message="notebook committed with outputs",
        fix="strip outputs",
        source=f"    \"s3 = boto3.client('s3', aws_access_key_id='{key}')\\n\",",
    )
    report = Report(
        findings=[finding], diagnostics=[], scorecard={}, rules=[], output_format="full"
    )
    out = render(report)
    assert key not in out and mask(key) in out


def test_a_notebook_line_is_masked_as_the_cell_reads(tmp_path: Path, capsys) -> None:
    """Found by the property test: a cell `api_key = <key>` printed as output. TF301
    reports the output; TF104 (outputs committed) quotes the cell's line as stored, JSON
    escapes and all (`"source": "api_key = …\\n",`), which the detector did not read as
    `key = value` until the JSON string was decoded."""
    key = "Q7z" + SECRETS["password_yaml"][2:] + "22222222"
    cell = {
        "cell_type": "code",
        "metadata": {},
        "source": f"api_key = {key}\n",
        "outputs": [
            {"output_type": "stream", "name": "stdout", "text": [f"api_key = {key}"]},
            TABLE_OUTPUT,
        ],
    }
    document = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    root = make_repo(
        tmp_path / "nb",
        {
            "0.py": "",
            "0.ipynb": json.dumps(document, indent=1),
            "twelvefold.toml": 'kind = "application"\nextend-select = ["TF104"]\n',
        },
    )
    for name in FORMATS:
        code, out, err = run(capsys, "check", str(root), "--output-format", name)
        assert code == 1
        assert "TF104" in out and key not in out and key not in err, name
    assert mask(key) in run(capsys, "check", str(root), "--output-format", "full")[1]


def test_a_message_quoting_a_secret_is_masked_in_every_format() -> None:
    password = SECRETS["password_env"]
    finding = Finding(
        path="app.py",
        line=1,
        column=1,
        code="TF303",
        name="absolute-machine-path",
        factor=3,
        severity=Severity.WARNING,
        message=f"machine-specific path `postgresql://u:{password}@db/home/alice`",
        fix="use configuration",
    )
    for name in FORMATS:
        report = Report(
            findings=[finding], diagnostics=[], scorecard={}, rules=[], output_format=name
        )
        out = render(report)
        assert password not in out, name
        assert mask(password) in out, name
