"""The command line: every option of `check`, `rules`, `explain`, and the exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from twelvefold.cli import main

from tests.helpers import make_repo

CLEAN = {
    "pyproject.toml": '[project]\nname = "clean"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = []\n',
    "clean.py": "import os\n\nDATA_DIR = os.environ.get('DATA_DIR', 'data')\n",
}
#: A provider-format key (a name-matched value is only a warning); split so the
#: repository itself holds no token.
TOKEN = "ghp_" + "R8x2Lq9Vt4Zk7Wm3Pn6Bc1Jd5Hf0Gs8Ya2Qe"
# One error (TF301) and one warning (TF303) in a project that is otherwise fine.
VIOLATING = {
    **CLEAN,
    "src/train.py": (
        "import csv\n\n"
        f"GITHUB_TOKEN = '{TOKEN}'\n"
        "rows = list(csv.reader(open('/home/alice/churn/train.csv')))\n"
    ),
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse usage errors and --version
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def violating(tmp_path: Path) -> Path:
    # Scoped to factors 2 and 3 so the counts below don't move as other factors' rules grow.
    return make_repo(tmp_path / "repo", {**VIOLATING, "twelvefold.toml": 'select = ["F2", "F3"]\n'})


def codes(out: str) -> list[str]:
    return [f["code"] for f in json.loads(out)["findings"]]


def test_check_defaults_to_current_directory(violating: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(violating)
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert "src/train.py:3:" in out and "TF301" in out
    assert "src/train.py:4:" in out and "TF303" in out
    assert "Scorecard" in out and "Found 2 findings (1 error, 1 warning)" in out


def test_text_line_format_is_path_line_col_code(violating: Path, capsys) -> None:
    _, out, _ = run(capsys, "check", str(violating), "--quiet")
    assert out.splitlines()[0].startswith("src/train.py:3:17: TF301 ")


def test_secret_is_masked_in_text(violating: Path, capsys) -> None:
    _, out, err = run(capsys, "check", str(violating), "--output-format", "full")
    assert TOKEN not in out + err
    assert "ghp_…(40 chars)" in out


def test_full_format_shows_source_and_fix(violating: Path, capsys) -> None:
    _, out, _ = run(capsys, "check", str(violating), "--output-format", "full", "--select", "TF303")
    assert "| rows = list(csv.reader(open('/home/alice/churn/train.csv')))" in out
    assert "help: " in out and "factor 3: Config" in out


def test_clean_repository_exits_zero(tmp_path: Path, capsys) -> None:
    make_repo(tmp_path, CLEAN)
    code, out, _ = run(capsys, "check", str(tmp_path), "--select", "F2,F3")
    assert code == 0
    assert "All checks passed" in out


def test_select_by_code_prefix_and_factor(violating: Path, capsys) -> None:
    for selector, expected in (
        ("TF301", ["TF301"]),
        ("TF30", ["TF301", "TF303"]),
        ("F3", ["TF301", "TF303"]),
        ("config", ["TF301", "TF303"]),
        ("TF2", []),
    ):
        code, out, _ = run(
            capsys, "check", str(violating), "--select", selector, "--output-format", "json"
        )
        assert sorted(codes(out)) == expected, selector
        assert code == (1 if expected else 0)


def test_ignore_and_extend_select(violating: Path, capsys) -> None:
    _, out, _ = run(capsys, "check", str(violating), "--ignore", "TF301", "--output-format", "json")
    assert codes(out) == ["TF303"]
    _, out, _ = run(
        capsys,
        "check",
        str(violating),
        "--select",
        "TF301",
        "--extend-select",
        "TF303",
        "--output-format",
        "json",
    )
    assert sorted(codes(out)) == ["TF301", "TF303"]


def test_unknown_rule_code_is_a_usage_error(violating: Path, capsys) -> None:
    code, _, err = run(capsys, "check", str(violating), "--select", "TF999")
    assert code == 2
    assert "'TF999' matches no rule" in err


def test_fail_on_levels(violating: Path, capsys) -> None:
    assert run(capsys, "check", str(violating), "--select", "TF303", "--fail-on", "error")[0] == 0
    assert run(capsys, "check", str(violating), "--select", "TF303", "--fail-on", "warning")[0] == 1
    assert run(capsys, "check", str(violating), "--fail-on", "never")[0] == 0
    assert run(capsys, "check", str(violating), "--fail-on", "bogus")[0] == 2


def test_exit_code_is_the_same_for_every_format(violating: Path, capsys) -> None:
    from twelvefold.cli import OUTPUT_FORMATS

    for output_format in OUTPUT_FORMATS:
        code, _, _ = run(capsys, "check", str(violating), "--output-format", output_format)
        assert code == 1, output_format


def test_output_file(violating: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run(
        capsys, "check", str(violating), "--output-format", "json", "--output", str(target)
    )
    assert code == 1 and out == ""
    assert sorted(codes(target.read_text())) == ["TF301", "TF303"]


def test_exclude_glob(violating: Path, capsys) -> None:
    code, out, _ = run(
        capsys, "check", str(violating), "--exclude", "src/", "--output-format", "json"
    )
    assert codes(out) == [] and code == 0


def test_statistics(violating: Path, capsys) -> None:
    _, out, _ = run(capsys, "check", str(violating), "--statistics", "--quiet")
    assert "    1  TF301   hard-coded-secret [error]" in out
    # The counts replace the listing (as ruff's --statistics does).
    assert "src/train.py" not in out
    assert all(line[:5].strip().isdigit() for line in out.splitlines())


def test_quiet_omits_scorecard(violating: Path, capsys) -> None:
    _, out, _ = run(capsys, "check", str(violating), "--quiet")
    assert "Scorecard" not in out and len(out.splitlines()) == 2


def test_several_paths_merge_findings(tmp_path: Path, capsys) -> None:
    first = make_repo(tmp_path / "one", VIOLATING)
    second = make_repo(tmp_path / "two", VIOLATING)
    _, out, _ = run(
        capsys, "check", str(first), str(second), "--select", "TF301", "--output-format", "json"
    )
    paths = [f["path"] for f in json.loads(out)["findings"]]
    assert paths == [f"{first.as_posix()}/src/train.py", f"{second.as_posix()}/src/train.py"]


def test_file_arguments_restrict_per_file_rules(violating: Path, capsys, monkeypatch) -> None:
    (violating / "other.py").write_text("TOKEN = 'ghp_" + "a1B2" * 9 + "'\n")
    monkeypatch.chdir(violating)
    _, out, _ = run(capsys, "check", "other.py", "--select", "TF301", "--output-format", "json")
    assert [(f["path"], f["code"]) for f in json.loads(out)["findings"]] == [("other.py", "TF301")]


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "check", str(tmp_path / "nope"))
    assert code == 2 and "no such file or directory" in err


def test_unknown_option_is_a_usage_error(capsys) -> None:
    code, _, err = run(capsys, "check", "--no-such-option")
    assert code == 2 and "unrecognized arguments" in err


def test_no_command_prints_help(capsys) -> None:
    code, _, err = run(capsys)
    assert code == 2 and "check" in err


def test_rules_lists_every_rule(capsys) -> None:
    from twelvefold.registry import all_rules

    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert len(out.splitlines()) == len(all_rules())
    assert "TF301   hard-coded-secret" in out
    code, out, _ = run(capsys, "rules", "--output-format", "json")
    data = json.loads(out)
    assert {
        "code",
        "name",
        "factor",
        "severity",
        "summary",
        "fix",
        "origin",
        "documentation",
    } <= set(data[0])


def test_explain_by_code_and_name(capsys) -> None:
    code, out, _ = run(capsys, "explain", "TF301")
    assert code == 0
    assert out.startswith("# TF301 hard-coded-secret")
    assert "## Why is this bad?" in out and "## Use instead" in out
    assert run(capsys, "explain", "hard-coded-secret")[1] == out


def test_explain_unknown_code(capsys) -> None:
    code, _, err = run(capsys, "explain", "TF999")
    assert code == 2 and "unknown rule" in err


def test_every_rule_is_documented() -> None:
    from twelvefold.registry import all_rules

    for rule in all_rules().values():
        doc = rule.documentation()
        for heading in ("## What it does", "## Why is this bad?", "## Use instead"):
            assert heading in doc, (rule.code, heading)
        assert rule.summary and rule.fix


def test_python_dash_m_and_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "twelvefold", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("twelvefold ")


def test_color_only_on_tty_and_no_color(violating: Path, monkeypatch) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "twelvefold", "check", str(violating)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "\x1b[" not in result.stdout  # not a TTY


def test_readme_rule_table_matches_the_catalog(capsys) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- rules:start")
    table = readme[readme.index("\n", start) + 1 : readme.index("<!-- rules:end -->")]
    code, out, _ = run(capsys, "rules", "--output-format", "markdown")
    assert code == 0
    assert table == out, (
        "README rule table is stale: regenerate it with `twelvefold rules --output-format markdown`"
    )
