"""Inline and file-level suppression comments in every `#`-comment file type."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, make_repo, notebook
from tests.test_cli import run

SECRET = "Xk8#pq2!Lm9z"


def test_inline_suppression_in_python(tmp_path: Path) -> None:
    files = {
        "a.py": f"DB_PASSWORD = '{SECRET}'  # twelvefold: ignore[TF301]\nAPI_KEY = '{SECRET}'\n",
    }
    assert [(f.path, f.line) for f in findings(tmp_path, "TF301", files)] == [("a.py", 2)]


def test_suppression_with_several_codes_and_spaces(tmp_path: Path) -> None:
    files = {"a.py": f"DB_PASSWORD = '{SECRET}'  #twelvefold:ignore[ TF303 , TF301 ]\n"}
    assert findings(tmp_path, "TF301", files) == []


def test_suppression_for_another_code_does_not_apply(tmp_path: Path) -> None:
    files = {"a.py": f"DB_PASSWORD = '{SECRET}'  # twelvefold: ignore[TF303]\n"}
    assert len(findings(tmp_path, "TF301", files)) == 1


def test_file_level_suppression(tmp_path: Path) -> None:
    files = {
        "a.py": f"# twelvefold: ignore-file[TF301]\nA_PASSWORD = '{SECRET}'\nB_PASSWORD = '{SECRET}'\n"
    }
    assert findings(tmp_path, "TF301", files) == []


def test_suppression_in_yaml_env_and_requirements(tmp_path: Path) -> None:
    files = {
        "config.yml": f"db:\n  password: {SECRET}  # twelvefold: ignore[TF301]\n",
        "deploy.env": f"DB_PASSWORD={SECRET} # twelvefold: ignore[TF301]\n",
        "requirements.txt": "pandas  # twelvefold: ignore[TF202]\nnumpy\n",
        "x.py": "import pandas\n",
    }
    make_repo(tmp_path, files)
    assert findings(tmp_path, "TF301") == []
    assert [(f.path, f.line) for f in findings(tmp_path, "TF202")] == [("requirements.txt", 2)]


def test_suppression_in_a_notebook_cell(tmp_path: Path) -> None:
    files = {
        "nb.ipynb": notebook(
            "import os\n",
            f"token = '{SECRET}'  # twelvefold: ignore[TF301]\npassword = '{SECRET}'\n",
        )
    }
    found = findings(tmp_path, "TF301", files)
    assert [(f.cell, f.cell_line) for f in found] == [(1, 2)]


def test_bare_suppression_is_refused_with_a_warning(tmp_path: Path, capsys) -> None:
    make_repo(tmp_path, {"a.py": f"DB_PASSWORD = '{SECRET}'  # twelvefold: ignore\n"})
    code, out, err = run(capsys, "check", str(tmp_path), "--select", "TF301")
    assert code == 1 and "TF301" in out
    assert "bare `twelvefold: ignore` refused" in err


def test_unknown_code_in_suppression_is_a_usage_error(tmp_path: Path, capsys) -> None:
    make_repo(tmp_path, {"a.py": "x = 1  # twelvefold: ignore[TF999]\n"})
    code, _, err = run(capsys, "check", str(tmp_path), "--select", "TF301")
    assert code == 2 and "a.py:1: unknown rule code 'TF999'" in err


def test_docstring_showing_the_syntax_is_not_a_suppression(tmp_path: Path, capsys) -> None:
    make_repo(
        tmp_path,
        {
            "a.py": '"""Use `# twelvefold: ignore` never; `# twelvefold: ignore-file[TF301]` maybe."""\n'
            + f"DB_PASSWORD = '{SECRET}'\n"
        },
    )
    code, _, err = run(capsys, "check", str(tmp_path), "--select", "TF301")
    assert code == 1 and "refused" not in err
