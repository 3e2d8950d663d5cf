"""Named files (the pre-commit hook) ask the repo rules that depend on them (issue 16).

Each test runs the installed CLI in a subprocess, in a git repository whose problems are
spread over files: an undeclared import in two modules, a Dockerfile that installs
without the lock, no CI and no pre-commit configuration.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from twelvefold import file_pass

from tests.helpers import GIT_ENV, make_repo

PYPROJECT = """\
[project]
name = "app"
version = "1.0"
requires-python = ">=3.11"
dependencies = ["requests==2.32.3"]

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"""
FILES = {
    "pyproject.toml": PYPROJECT,
    "src/app/__init__.py": "",
    "src/app/train.py": "import requests\nimport yaml\n\nprint(requests, yaml)\n",
    "src/app/other.py": "import pandas\n\npandas.DataFrame()\n",
    "src/app/clean.py": "def add(a: int, b: int) -> int:\n    return a + b\n",
    "tests/test_clean.py": "from app.clean import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
    "Dockerfile": "FROM python:3.11-slim\nRUN pip install requests\n",
}
SELECT = ["--select", "TF206,TF505,TF801,TF802,TF805,TF101,TF102"]


def twelvefold(root: Path, *args: str) -> tuple[int, list[tuple[str, str | None]]]:
    """Exit code and (code, path) of each finding of `twelvefold check ARGS` in `root`."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "twelvefold",
            "check",
            "--no-cache",
            "--output-format",
            "json",
            *args,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV, "NO_COLOR": "1"},
        timeout=300,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    found = json.loads(done.stdout)["findings"]
    return done.returncode, sorted((f["code"], f["path"]) for f in found)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", FILES)


def test_a_full_run_asks_every_rule(repo: Path) -> None:
    code, found = twelvefold(repo, *SELECT)
    assert code == 1
    assert ("TF801", None) in found
    assert ("TF505", "Dockerfile") in found
    assert ("TF206", "src/app/train.py") in found and ("TF206", "src/app/other.py") in found


def test_one_clean_module_is_not_blocked_by_repository_absences(repo: Path) -> None:
    assert twelvefold(repo, *SELECT, "--", "src/app/clean.py") == (0, [])


def test_a_module_gets_the_import_findings_of_that_module_only(repo: Path) -> None:
    code, found = twelvefold(repo, *SELECT, "--", "src/app/train.py")
    assert code == 1
    assert found == [("TF206", "src/app/train.py")]


def test_a_dockerfile_gets_its_own_findings(repo: Path) -> None:
    # TF206 depends on Dockerfiles (what an image installs is declared) and runs, but
    # its findings are on modules that were not named.
    code, found = twelvefold(repo, *SELECT, "--", "Dockerfile")
    assert (code, found) == (1, [("TF505", "Dockerfile")])


def test_a_workflow_asks_the_ci_rules(repo: Path) -> None:
    workflow = repo / ".github" / "workflows" / "lint.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(
        "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo lint\n",
        encoding="utf-8",
    )
    code, found = twelvefold(repo, "--select", "TF801,TF802", "--", ".github/workflows/lint.yml")
    assert code == 1
    assert [c for c, _ in found] == ["TF802"]  # TF801 ran to decide, and passed


def test_the_ci_group_holds_every_file_the_ci_detector_reads() -> None:
    """A CodeBuild buildspec in a pipeline's folder is CI to TF802 (held-out set U), so
    a commit of only that file asks the CI rules."""
    from twelvefold.scope import _group

    ci = _group("@ci")
    assert ci("build_pipeline/buildspec.yml", "yaml")
    assert ci(".github/workflows/ci.yml", "yaml") and ci(".gitlab-ci.yml", "yaml")
    assert not ci("build_pipeline/config.yml", "yaml")


def test_a_required_rule_decides_without_reporting(tmp_path: Path) -> None:
    # Outside git, TF101 reports and TF102 (which requires it) is skipped in a full run;
    # with the data file named, TF101 decides the same, and reports nothing itself.
    root = make_repo(
        tmp_path / "plain",
        {"pyproject.toml": PYPROJECT, "data/big.csv": "a,b\n" + "1,2\n" * 1_500_000},
        git_init=False,
    )
    full = twelvefold(root, "--select", "TF101,TF102")
    assert [c for c, _ in full[1]] == ["TF101"]
    assert twelvefold(root, "--select", "TF101,TF102", "--", "data/big.csv") == (0, [])


def test_baseline_entries_of_rules_not_asked_are_not_stale(repo: Path) -> None:
    baseline = repo / "baseline.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "twelvefold",
            "check",
            "--no-cache",
            *SELECT,
            "--write-baseline",
            str(baseline),
        ],
        cwd=repo,
        capture_output=True,
        env={**os.environ, **GIT_ENV},
        check=True,
    )
    code, found = twelvefold(repo, *SELECT, "--baseline", str(baseline), "--", "src/app/train.py")
    assert (code, found) == (0, [])


def test_every_group_a_rule_names_is_defined() -> None:
    from twelvefold import scope
    from twelvefold.registry import all_rules
    from twelvefold.rule import RepoRule

    rules = [cls() for cls in all_rules().values() if issubclass(cls, RepoRule)]
    assert scope.unknown_groups(rules) == []
    # Every built-in repo rule says what it depends on, but TF105, which looks at
    # every file (model artifacts, tracker run stores) and reports each on its path.
    assert [rule.code for rule in rules if rule.depends_on is None] == ["TF105"]


WEIGHING = {
    "pyproject.toml": PYPROJECT.replace('"requests==2.32.3"', '"requests==2.32.3", "numpy==2.1.0"'),
    "src/app/__init__.py": "",
    # numpy's randomness, seeded in another module: a pre-commit run of this file alone
    # cannot tell, so TF1004 waits for a full run instead of guessing.
    "src/app/sample.py": "import numpy as np\n\n\ndef fit(model):\n    model.fit(np.random.rand(3))\n",
    "src/app/seeding.py": "import numpy as np\n\n\ndef seed(value: int) -> None:\n    np.random.seed(value)\n",
    "src/app/unseeded.py": "import numpy as np\n\nnoise = np.random.normal(size=4)\nmodel.fit(noise)\n",
    "src/app/train.py": "import requests\nimport yaml\n\nprint(requests, yaml)\n",
}


def _run_in_process(root: Path, *args: str) -> tuple[dict, list[str]]:
    """The JSON report and the files the per-file pass read."""
    import contextlib
    import io

    from twelvefold.cli import main

    seen: list[str] = []
    original = file_pass.read_file

    def counting(root_, entry, diagnostics):  # type: ignore[no-untyped-def]
        seen.append(entry.path)
        return original(root_, entry, diagnostics)

    out = io.StringIO()
    cwd = os.getcwd()
    file_pass.read_file = counting  # type: ignore[assignment]
    try:
        os.chdir(root)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            main(["check", "--no-cache", "--output-format", "json", *args])
    finally:
        file_pass.read_file = original  # type: ignore[assignment]
        os.chdir(cwd)
    return json.loads(out.getvalue()), seen


def test_rules_that_weigh_every_file_wait_for_a_full_run(tmp_path: Path) -> None:
    """A pre-commit run reads and parses the named files only: TF206 (each file by its
    own imports) runs on them; TF1004 (is numpy seeded anywhere?) is left to a full
    run, and a notice says so. The full run still reports it."""
    root = make_repo(tmp_path / "repo", WEIGHING)
    select = ["--select", "TF206,TF1004"]
    staged, read = _run_in_process(root, *select, "--", "src/app/train.py", "src/app/sample.py")
    assert sorted(read) == ["src/app/sample.py", "src/app/train.py"]
    assert [(f["code"], f["path"]) for f in staged["findings"]] == [("TF206", "src/app/train.py")]
    notices = [n["message"] for n in staged.get("notices", [])]
    assert any("TF1004" in message and "full run" in message for message in notices), notices
    full, _ = _run_in_process(root, *select)
    assert ("TF1004", "src/app/unseeded.py") not in {
        (f["code"], f["path"]) for f in full["findings"]
    }
    assert {f["code"] for f in full["findings"]} == {"TF206"}  # seeded in seeding.py
    # Without the seeding module, a full run reports the randomness; a pre-commit run of
    # a clean module still does not guess.
    (root / "src/app/seeding.py").unlink()
    full, _ = _run_in_process(root, *select)
    assert "TF1004" in {f["code"] for f in full["findings"]}
