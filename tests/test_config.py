"""Configuration files: where they are read from, validation, and each key's effect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import make_repo
from tests.test_cli import VIOLATING, codes, run


def with_config(tmp_path: Path, table: str, *, file: str = "pyproject.toml") -> Path:
    files = dict(VIOLATING)
    if "select" not in table and file == "pyproject.toml":
        table = 'select = ["F2", "F3"]\n' + table  # keep other factors' rules out of the counts
    if file == "pyproject.toml":
        files["pyproject.toml"] = VIOLATING["pyproject.toml"] + "\n[tool.twelvefold]\n" + table
    else:
        files[file] = table
    return make_repo(tmp_path / "repo", files)


def test_ignore_in_pyproject(tmp_path: Path, capsys) -> None:
    repo = with_config(tmp_path, 'ignore = ["TF303"]\n')
    assert codes(run(capsys, "check", str(repo), "--output-format", "json")[1]) == ["TF301"]


def test_twelvefold_toml_takes_precedence(tmp_path: Path, capsys) -> None:
    repo = with_config(tmp_path, 'select = ["TF303"]\n', file="twelvefold.toml")
    assert codes(run(capsys, "check", str(repo), "--output-format", "json")[1]) == ["TF303"]


def test_config_option_points_at_another_file(tmp_path: Path, capsys) -> None:
    repo = make_repo(tmp_path / "repo", VIOLATING)
    other = tmp_path / "ci.toml"
    other.write_text('select = ["TF301"]\nfail-on = "never"\n')
    code, out, _ = run(
        capsys, "check", str(repo), "--config", str(other), "--output-format", "json"
    )
    assert codes(out) == ["TF301"] and code == 0


def test_cli_overrides_config(tmp_path: Path, capsys) -> None:
    repo = with_config(tmp_path, 'fail-on = "never"\nselect = ["TF303"]\n')
    assert run(capsys, "check", str(repo), "--fail-on", "warning")[0] == 1
    assert codes(
        run(capsys, "check", str(repo), "--select", "TF301", "--output-format", "json")[1]
    ) == ["TF301"]


def test_per_file_ignores(tmp_path: Path, capsys) -> None:
    repo = with_config(tmp_path, '[tool.twelvefold.per-file-ignores]\n"src/**" = ["TF3"]\n')
    assert codes(run(capsys, "check", str(repo), "--output-format", "json")[1]) == []


def test_severity_override(tmp_path: Path, capsys) -> None:
    repo = with_config(tmp_path, '[tool.twelvefold.severity]\nTF303 = "info"\nTF301 = "info"\n')
    code, out, _ = run(capsys, "check", str(repo), "--output-format", "json")
    assert {f["severity"] for f in json.loads(out)["findings"]} == {"info"}
    assert code == 0  # info does not fail the default gate


def test_exclude_in_config(tmp_path: Path, capsys) -> None:
    repo = with_config(tmp_path, 'exclude = ["src/train.py"]\n')
    assert codes(run(capsys, "check", str(repo), "--output-format", "json")[1]) == []


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('selct = ["TF301"]\n', "`tool.twelvefold.selct`: unknown key; valid keys are"),
        (
            'select = "TF301,"\nfail-on = "sometimes"\n',
            "`tool.twelvefold.fail-on`: 'sometimes' is not one of error, warning, info, never",
        ),
        ("ignore = 3\n", "`tool.twelvefold.ignore`: must be a list of strings"),
        ('select = ["TF999"]\n', "'TF999' matches no rule"),
        (
            '[tool.twelvefold.severity]\nTF301 = "fatal"\n',
            "'fatal' is not one of error, warning, info",
        ),
        ('[tool.twelvefold.severity]\nTF999 = "info"\n', "unknown rule code 'TF999'"),
        ("[tool.twelvefold.options.hard-coded-secret]\nnope = 1\n", "unknown option 'nope'"),
        ("[tool.twelvefold.options.no-such-rule]\nx = 1\n", "no rule has this name or code"),
    ],
)
def test_invalid_config_is_a_usage_error_naming_file_and_key(
    tmp_path: Path, capsys, table: str, message: str
) -> None:
    repo = with_config(tmp_path, table)
    code, out, err = run(capsys, "check", str(repo))
    assert code == 2
    assert message in err
    assert "pyproject.toml" in err
    assert out == ""


def test_invalid_toml_is_a_usage_error(tmp_path: Path, capsys) -> None:
    repo = make_repo(tmp_path / "repo", {**VIOLATING, "twelvefold.toml": "select = [\n"})
    code, _, err = run(capsys, "check", str(repo))
    assert code == 2 and "twelvefold.toml: invalid TOML" in err


def test_missing_config_file(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "check", str(tmp_path), "--config", str(tmp_path / "absent.toml"))
    assert code == 2 and "config file not found" in err
