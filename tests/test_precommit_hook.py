"""The pre-commit hook, run by the real `pre-commit` program.

The hook repository is a snapshot of this working tree (the package, `pyproject.toml`,
`.pre-commit-hooks.yaml`) committed to a temporary git repository, so the test exercises
the code as it is now, uncommitted edits included, whatever the state of git here.
pre-commit builds a virtualenv and pip-installs the snapshot from its local path (the
build backend comes from PyPI; no hook host is contacted).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import GIT_ENV, git, make_repo

ROOT = Path(__file__).resolve().parent.parent
CLEAN_TRAIN = "import os\n\nDB_PASSWORD = os.environ['DB_PASSWORD']\n"
LEAKY_TRAIN = "DB_PASSWORD = 'Xk8#pq2!Lm9z'\n"
PYPROJECT = '[project]\nname = "p"\nversion = "1"\nrequires-python = ">=3.11"\ndependencies = []\n'
CONFIG = '[tool.twelvefold]\nselect = ["F3"]\n'


def test_hook_definition() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "twelvefold" and hook["language"] == "python"
    assert hook["entry"] == "twelvefold check"
    assert hook["pass_filenames"] is True
    # pre-commit runs `entry args... files...`: the marker makes every file a file.
    assert hook["args"] == ["--"]
    # Parallel chunks would each report the repo-level findings again.
    assert hook["require_serial"] is True


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    snapshot = tmp_path_factory.mktemp("hook-repo")
    for name in ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, snapshot / name)
    shutil.copytree(
        ROOT / "checker",
        snapshot / "checker",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    git(snapshot, "init", "-q", "-b", "main")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-q", "-m", "snapshot")
    return snapshot, git(snapshot, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def pre_commit(project: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        **GIT_ENV,
        "PRE_COMMIT_HOME": str(home),
        "NO_COLOR": "1",
        "PRE_COMMIT_COLOR": "never",
    }
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def test_try_repo_fails_on_a_violation_and_passes_once_fixed(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    snapshot, _ = hook_repo
    project = make_repo(
        tmp_path / "project",
        {"pyproject.toml": PYPROJECT + "\n" + CONFIG, "src/churn/train.py": LEAKY_TRAIN},
    )
    result = pre_commit(
        project, pre_commit_home, "try-repo", str(snapshot), "twelvefold", "--all-files"
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "src/churn/train.py:1" in result.stdout and "TF301" in result.stdout
    assert "Xk8#pq2!Lm9z" not in result.stdout

    (project / "src/churn/train.py").write_text(CLEAN_TRAIN, encoding="utf-8")
    git(project, "commit", "-qam", "read the password from the environment")
    result = pre_commit(
        project, pre_commit_home, "try-repo", str(snapshot), "twelvefold", "--all-files"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_staged_files_only_and_the_repo_rules_they_ask(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    snapshot, rev = hook_repo
    config = f"repos:\n  - repo: {snapshot}\n    rev: {rev}\n    hooks:\n      - id: twelvefold\n"
    project = make_repo(
        tmp_path / "project",
        {
            ".pre-commit-config.yaml": config,
            "pyproject.toml": PYPROJECT + "\n" + CONFIG,
            "legacy/old.py": LEAKY_TRAIN,  # committed long ago: not part of this commit
            "src/churn/obsolete.py": "x = 1\n",
        },
    )
    # Commit 1: only a clean file in a subfolder is staged, the legacy violation is not
    # reported; a deleted file in the same commit is not passed and breaks nothing.
    (project / "src/churn/features.py").write_text(CLEAN_TRAIN, encoding="utf-8")
    git(project, "add", "src/churn/features.py")
    git(project, "rm", "-q", "src/churn/obsolete.py")
    result = pre_commit(project, pre_commit_home, "run")
    assert result.returncode == 0, result.stdout + result.stderr

    # Commit 2: a staged file in a subfolder with a violation fails the hook.
    (project / "src/churn/api.py").write_text(LEAKY_TRAIN, encoding="utf-8")
    git(project, "add", "src/churn/api.py")
    result = pre_commit(project, pre_commit_home, "run")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "src/churn/api.py:1" in result.stdout
    assert "legacy/old.py" not in result.stdout

    # A repo-level rule runs when a file it depends on is staged (issue 16): a .env in
    # the tree does not block a commit of other files, a staged one is reported.
    (project / "src/churn/api.py").write_text(CLEAN_TRAIN, encoding="utf-8")
    git(project, "add", "src/churn/api.py")
    (project / ".env").write_text("TOKEN=\n", encoding="utf-8")
    result = pre_commit(project, pre_commit_home, "run")
    assert result.returncode == 0 and "Passed" in result.stdout, result.stdout + result.stderr
    git(project, "add", ".env")
    result = pre_commit(project, pre_commit_home, "run")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "TF302" in result.stdout and ".env" in result.stdout

    # --all-files checks everything, the legacy file included.
    git(project, "rm", "-q", "--cached", ".env")
    (project / ".env").unlink()
    result = pre_commit(project, pre_commit_home, "run", "--all-files")
    assert result.returncode == 1 and "legacy/old.py:1" in result.stdout


AWS_KEY_LINE = 'AWS_ACCESS_KEY_ID = "' + "AKIA" + 'Q7ZP3MDKW9RTX2VB"\n'
#: Committed file names that argparse would read as options that turn the gate off.
INJECTED_NAMES = ("--fail-on=never", "--ignore=ALL", "--select=TF1204", "--write-baseline=x.json")


@pytest.mark.parametrize(
    ("user_args", "expected"),
    [
        (None, 1),  # the hook's default args: `--`, every file is a file
        ("[--fail-on=error, --]", 1),  # the user's args, ended with `--` as documented
        ("[--fail-on=error]", 2),  # no `--`: an option-like file name is refused, not read
    ],
)
def test_file_names_cannot_inject_options_into_the_hook(
    tmp_path: Path,
    hook_repo: tuple[Path, str],
    pre_commit_home: Path,
    user_args: str | None,
    expected: int,
) -> None:
    """A pull request commits files named like options beside a hard-coded key: the
    hook must still fail (gate issue 13, attack 1)."""
    snapshot, rev = hook_repo
    config = f"repos:\n  - repo: {snapshot}\n    rev: {rev}\n    hooks:\n      - id: twelvefold\n"
    if user_args is not None:
        config += f"        args: {user_args}\n"
    project = make_repo(
        tmp_path / "project",
        {
            ".pre-commit-config.yaml": config,
            "pyproject.toml": PYPROJECT + "\n" + CONFIG,
            "app.py": AWS_KEY_LINE,
            **{name: "" for name in INJECTED_NAMES},
        },
    )
    result = pre_commit(project, pre_commit_home, "run", "--all-files")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output  # pre-commit's own code: the hook failed
    assert "Passed" not in output
    assert not (project / "x.json").exists()
    if expected == 1:
        assert "app.py:1" in output and "TF301" in output
    else:
        assert "is both an option and a file" in output
