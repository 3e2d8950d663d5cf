"""`--write-baseline` / `--baseline`: adopt twelvefold on a repository with violations.

The baseline must keep suppressing exactly the recorded findings when lines move and
files are reformatted, report new ones (also a second copy of a recorded line), report
fixed ones as stale (info), and never store a secret in clear.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from twelvefold.cli import main

from tests.helpers import git, make_repo

SECRET = "Xk8#pq2!Lm9z"
PYPROJECT = '[project]\nname = "p"\nversion = "1"\nrequires-python = ">=3.11"\ndependencies = []\n'
TRAIN = (
    "import pandas as pd\n"
    "\n"
    f"DB_PASSWORD = '{SECRET}'\n"
    "df = pd.read_csv('/home/alice/churn/train.csv')\n"
    "test = pd.read_csv('/home/alice/churn/test.csv')\n"
)
SERVE = "import json\n\nMODEL = '/home/bob/models/model.pkl'\n"
SELECT = "F3"  # the rules of factor 3 are stable; other factors' rules land separately


def check(
    capsys: pytest.CaptureFixture[str], root: Path, *args: str
) -> tuple[int, list[dict], str]:
    code = main(["check", str(root), "--select", SELECT, "--output-format", "json", *args])
    captured = capsys.readouterr()
    findings = json.loads(captured.out)["findings"] if captured.out.strip() else []
    return code, findings, captured.err


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(
        tmp_path / "repo",
        {"pyproject.toml": PYPROJECT, "src/train.py": TRAIN, "src/serve.py": SERVE},
    )


@pytest.fixture
def baseline(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "twelvefold-baseline.json"
    code = main(["check", str(repo), "--select", SELECT, "--write-baseline", str(path)])
    captured = capsys.readouterr()
    assert code == 0
    assert "4 finding(s) recorded" in captured.err
    return path


def test_baseline_suppresses_recorded_findings(
    repo: Path, baseline: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, findings, _ = check(capsys, repo)
    assert code == 1 and len(findings) == 4
    code, findings, _ = check(capsys, repo, "--baseline", str(baseline))
    assert code == 0 and findings == []


def test_baseline_survives_moved_lines_and_reformatting(
    repo: Path, baseline: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Lines move (a docstring and imports above), the violating lines are re-indented and
    # re-quoted, and code elsewhere is reformatted.
    (repo / "src/train.py").write_text(
        '"""Train the churn model."""\n\n'
        "import os\n"
        "import pandas as pd\n"
        "\n\n"
        "def load():\n"
        "    return os.getcwd()\n"
        "\n"
        f'DB_PASSWORD  =  "{SECRET}"\n'
        'df = pd.read_csv( "/home/alice/churn/train.csv" )\n'
        "test = pd.read_csv('/home/alice/churn/test.csv')\n",
        encoding="utf-8",
    )
    (repo / "src/serve.py").write_text(
        "import json\nimport sys\n\n\nMODEL = '/home/bob/models/model.pkl'\n", encoding="utf-8"
    )
    code, findings, _ = check(capsys, repo)
    assert len(findings) == 4 and {f["line"] for f in findings if f["path"] == "src/train.py"} == {
        10,
        11,
        12,
    }
    code, findings, _ = check(capsys, repo, "--baseline", str(baseline))
    assert code == 0 and findings == []


def test_new_findings_are_reported_even_when_identical_to_recorded_ones(
    repo: Path, baseline: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (repo / "src/train.py").read_text(encoding="utf-8")
    (repo / "src/train.py").write_text(
        text + "df = pd.read_csv('/home/alice/churn/train.csv')\n", encoding="utf-8"
    )
    (repo / "src/other.py").write_text("DATA = '/home/carol/data.csv'\n", encoding="utf-8")
    code, findings, _ = check(capsys, repo, "--baseline", str(baseline))
    assert code == 1
    assert sorted((f["code"], f["path"], f["line"]) for f in findings) == [
        ("TF303", "src/other.py", 1),
        ("TF303", "src/train.py", 6),  # the second copy of a recorded line is new
    ]


def test_fixed_findings_leave_stale_entries_reported_as_info(
    repo: Path, baseline: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "src/serve.py").write_text(
        "import json\nimport os\n\nMODEL = os.environ['MODEL_PATH']\n", encoding="utf-8"
    )
    code, findings, _ = check(capsys, repo, "--baseline", str(baseline))
    assert code == 0  # info does not fail the default gate
    assert [(f["code"], f["path"], f["severity"], f["line"]) for f in findings] == [
        ("TF303", "src/serve.py", "info", None)
    ]
    assert "no longer found" in findings[0]["message"]
    code, _, _ = check(capsys, repo, "--baseline", str(baseline), "--fail-on", "info")
    assert code == 1
    # Re-writing the baseline drops the stale entry.
    main(["check", str(repo), "--select", SELECT, "--write-baseline", str(baseline)])
    capsys.readouterr()
    assert len(json.loads(baseline.read_text(encoding="utf-8"))["findings"]) == 3
    code, findings, _ = check(capsys, repo, "--baseline", str(baseline))
    assert code == 0 and findings == []


def test_entries_of_rules_that_did_not_run_are_not_stale(
    repo: Path, baseline: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "check",
            str(repo),
            "--select",
            "TF301",
            "--output-format",
            "json",
            "--baseline",
            str(baseline),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and json.loads(out)["findings"] == []


def test_files_named_on_the_command_line_leave_other_entries_alone(
    repo: Path, baseline: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # As pre-commit runs it: only src/serve.py is staged, so per-file rules see only it.
    monkeypatch.chdir(repo)
    code = main(
        [
            "check",
            "src/serve.py",
            "--select",
            SELECT,
            "--output-format",
            "json",
            "--baseline",
            str(baseline),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and json.loads(out)["findings"] == []


def test_secrets_are_stored_as_hashes_only(repo: Path, baseline: Path) -> None:
    text = baseline.read_text(encoding="utf-8")
    assert SECRET not in text and SECRET[:3] not in text
    document = json.loads(text)
    assert document["tool"] == "twelvefold" and document["version"] == 1
    secret_entry = next(e for e in document["findings"] if e["code"] == "TF301")
    assert secret_entry["message"] == "hard-coded-secret"
    assert set(secret_entry) == {"fingerprint", "code", "path", "message"}
    assert all(len(e["fingerprint"]) == 32 for e in document["findings"])


def test_baseline_file_is_stable_and_sorted(
    repo: Path, baseline: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = baseline.read_text(encoding="utf-8")
    (repo / "src/train.py").write_text("\n\n" + TRAIN, encoding="utf-8")
    main(["check", str(repo), "--select", SELECT, "--write-baseline", str(baseline)])
    capsys.readouterr()
    assert baseline.read_text(encoding="utf-8") == first  # no line numbers: no churn


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline file not found"),
        ("{not json", "not valid JSON"),
        ('{"findings": []}', "not a twelvefold baseline"),
        ('{"tool": "twelvefold", "version": 99, "findings": []}', "version 99"),
        ('{"tool": "twelvefold", "version": 1, "findings": [{"code": "TF301"}]}', "no fingerprint"),
    ],
)
def test_bad_baseline_is_a_usage_error(
    repo: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str | None,
    message: str,
) -> None:
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code = main(["check", str(repo), "--baseline", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err


def test_baseline_committed_in_the_repository_is_not_itself_a_finding(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = repo / ".twelvefold-baseline.json"
    main(["check", str(repo), "--write-baseline", str(path)])
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "baseline")
    capsys.readouterr()
    code = main(["check", str(repo), "--output-format", "json", "--baseline", str(path)])
    out = capsys.readouterr().out
    assert code == 0 and json.loads(out)["findings"] == []


def test_a_notebook_joining_a_grouped_finding_is_not_hidden_by_the_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """TF104 reports every notebook with outputs as one finding: a baseline recorded with
    two notebooks does not hide a third one committed later."""
    from tests.helpers import TABLE_OUTPUT, notebook

    ran = notebook(("df.head(200)", [TABLE_OUTPUT]))
    root = make_repo(tmp_path / "nb", {"a.ipynb": ran, "b.ipynb": ran})
    path = tmp_path / "baseline.json"
    config = ["--select", "TF104", "--config", str(tmp_path / "twelvefold.toml")]
    (tmp_path / "twelvefold.toml").write_text('kind = "application"\n')
    assert main(["check", str(root), *config, "--write-baseline", str(path)]) == 0
    capsys.readouterr()
    code = main(["check", str(root), *config, "--baseline", str(path), "-q"])
    assert code == 0 and "TF104" not in capsys.readouterr().out
    (root / "c.ipynb").write_text(ran)
    git(root, "add", "c.ipynb")
    git(root, "commit", "-qm", "c")
    code = main(["check", str(root), *config, "--baseline", str(path), "-q"])
    out = capsys.readouterr().out
    assert code == 1 and "TF104" in out and "`c.ipynb`" in out
