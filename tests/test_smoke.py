from __future__ import annotations

from pathlib import Path

from twelvefold.cli import main

from tests.helpers import findings, make_repo


def test_version(capsys) -> None:
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert capsys.readouterr().out.startswith("twelvefold ")


def test_clean_repository_exits_zero(tmp_path: Path, capsys) -> None:
    make_repo(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.11"\ndependencies = []\n',
            "x.py": "import os\n",
        },
    )
    assert main(["check", str(tmp_path), "--select", "F2,F3"]) == 0
    assert "All checks passed" in capsys.readouterr().out


def test_violation_exits_one(tmp_path: Path) -> None:
    make_repo(tmp_path, {"train.py": "import os\n"})
    assert [f.code for f in findings(tmp_path, "TF201")] == ["TF201"]
    assert main(["check", str(tmp_path), "--quiet", "--select", "F2"]) == 1
