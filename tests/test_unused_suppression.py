"""TF106 unused-suppression: a `# twelvefold: ignore[CODE]` whose rule ran on the file and
suppressed nothing on that line, as ruff's RUF100; `--fix` removes the code."""

from __future__ import annotations

from pathlib import Path

from twelvefold.fixes.unused_suppression import fix

from tests.helpers import findings, make_repo, run_cli

SETTINGS = """import os

DB_URL = os.environ["DB_URL"]  # twelvefold: ignore[TF301]
PASSWORD = "Xk8#pq2!Lm9zQ"  # twelvefold: ignore[TF301]
"""


def test_a_suppression_of_a_rule_that_found_nothing_is_reported(tmp_path: Path) -> None:
    found = findings(tmp_path, ["TF106", "TF301"], {"src/churn/settings.py": SETTINGS})
    assert [(f.code, f.line) for f in found] == [("TF106", 3)]
    assert "`TF301`" in found[0].message


def test_used_suppressions_and_rules_that_did_not_run_are_left_alone(tmp_path: Path) -> None:
    unselected = {
        "src/churn/settings.py": SETTINGS.replace(
            'os.environ["DB_URL"]  # twelvefold: ignore[TF301]',
            'os.environ["DB_URL"]  # twelvefold: ignore[TF303]',
        )
    }
    # TF303 is not selected, so nothing says its suppression is unused.
    assert findings(tmp_path / "a", ["TF106", "TF301"], unselected) == []
    # A repository rule's code is not judged by the per-file pass.
    requirements = {"requirements.txt": "pandas  # twelvefold: ignore[TF202]\n"}
    assert findings(tmp_path / "b", ["TF106", "TF202"], requirements) == []
    # ignore-file comments are not checked.
    whole_file = {"src/churn/paths.py": "# twelvefold: ignore-file[TF303]\nROOT = 'data'\n"}
    assert findings(tmp_path / "c", ["TF106", "TF303"], whole_file) == []


def test_tf106_is_a_preview_rule(tmp_path: Path, capsys) -> None:
    repo = make_repo(tmp_path / "repo", {"src/churn/settings.py": SETTINGS})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "-q", "--", str(repo))
    assert "TF106" not in out
    code, out, _ = run_cli(capsys, "check", "--no-cache", "-q", "--preview", "--", str(repo))
    assert "TF106" in out and code == 1


def test_fix_removes_only_the_unused_codes() -> None:
    text = (
        "a = 1  # twelvefold: ignore[TF301, TF402]\n"
        "# twelvefold: ignore[TF303]\n"
        "b = 2  # twelvefold: ignore[TF301]  # noqa: E501\n"
        "c = 3  # twelvefold: ignore[TF301]\r\n"
    )
    fixed, description = fix(text, {1: {"TF301"}, 2: {"TF303"}, 3: {"TF301"}, 4: {"TF301"}})
    assert fixed == "a = 1  # twelvefold: ignore[TF402]\nb = 2  # noqa: E501\nc = 3\r\n"
    assert description == "removed 4 unused suppression codes"
    assert fix(fixed, {1: {"TF301"}})[0] == fixed  # idempotent


def test_check_fix_removes_the_unused_code(tmp_path: Path, capsys) -> None:
    repo = make_repo(tmp_path / "repo", {"src/churn/settings.py": SETTINGS})
    code, _, _ = run_cli(
        capsys,
        "check",
        "--no-cache",
        "--preview",
        "--select",
        "TF106,TF301",
        "--fix",
        "--",
        str(repo),
    )
    text = (repo / "src/churn/settings.py").read_text(encoding="utf-8")
    assert 'DB_URL = os.environ["DB_URL"]\n' in text
    assert 'PASSWORD = "Xk8#pq2!Lm9zQ"  # twelvefold: ignore[TF301]\n' in text
    assert code == 0


def test_an_unknown_code_is_reported_and_fixed_but_still_a_usage_error(
    tmp_path: Path, capsys
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"src/churn/train.py": "EPOCHS = int('3')  # twelvefold: ignore[TF3O1]\n"},
    )
    code, out, err = run_cli(capsys, "check", "--no-cache", "--preview", "--", str(repo))
    assert code == 2 and "unknown rule code 'TF3O1'" in err
    assert "`TF3O1` in this suppression comment is not a rule code" in out
    code, _, _ = run_cli(capsys, "check", "--no-cache", "--preview", "--fix", "--", str(repo))
    assert (repo / "src/churn/train.py").read_text(encoding="utf-8") == "EPOCHS = int('3')\n"
