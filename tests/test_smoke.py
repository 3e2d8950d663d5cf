from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from twelvefold.cli import main

from tests.helpers import findings, make_repo

ROOT = Path(__file__).resolve().parent.parent


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
    make_repo(tmp_path, {"train.py": "import numpy\n"})
    assert [f.code for f in findings(tmp_path, "TF201")] == ["TF201"]
    assert main(["check", str(tmp_path), "--quiet", "--select", "F2"]) == 1


@pytest.mark.skipif(shutil.which("uv") is None, reason="the quick start runs through uv")
def test_quick_start_demo_generates_a_project_and_checks_its_files(tmp_path: Path) -> None:
    """README quick start, first command: generate a project and check it. 'All checks
    passed' on zero files would be a hollow pass, so the count is checked too."""
    out = tmp_path / "demo-project"
    # As from a fresh shell: not inside the test environment, whose python3 has no pip.
    inside = (str(ROOT / ".venv"), sys.prefix)
    path = [p for p in os.environ["PATH"].split(os.pathsep) if not p.startswith(inside)]
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["PATH"] = os.pathsep.join(path)
    completed = subprocess.run(
        ["bash", str(ROOT / ".ci" / "demo"), str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    match = re.search(r"All checks passed \((\d+) files checked\)", completed.stdout)
    assert match is not None, completed.stdout[-2000:]
    assert int(match.group(1)) >= 10
    assert (out / "pyproject.toml").is_file()
