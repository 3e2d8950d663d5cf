"""`twelvefold adopt` on a cookiecutter-data-science-style repository."""

from __future__ import annotations

import json
import subprocess
import warnings
from pathlib import Path

import pytest

from tests.helpers import GIT_ENV, git, make_repo, snapshot_template

# The layout cookiecutter-data-science v2 generates (module at the top level, its own
# config.py, data/ folders kept with .gitkeep, a Makefile, requirements.txt).
CCDS_TREE = {
    "README.md": "# churn\n\nA short description.\n",
    "Makefile": "requirements:\n\tpip install -r requirements.txt\n\ndata:\n\tpython churn/dataset.py\n",
    "pyproject.toml": (
        '[build-system]\nrequires = ["flit_core >=3.2,<4"]\nbuild-backend = "flit_core.buildapi"\n\n'
        '[project]\nname = "churn"\nversion = "0.0.1"\ndescription = "Predict churn from usage events"\n'
        'requires-python = "~=3.11"\n'
    ),
    "requirements.txt": "pandas==2.2.3\nscikit-learn==1.5.2\npython-dotenv==1.0.1\nloguru==0.7.2\n",
    ".gitignore": "# Data\n/data/\n\n# Byte-compiled\n__pycache__/\n",
    "churn/__init__.py": "from churn import config  # noqa: F401\n",
    "churn/config.py": (
        "from pathlib import Path\n\nfrom dotenv import load_dotenv\n\nload_dotenv()\n"
        "PROJ_ROOT = Path(__file__).resolve().parents[1]\nDATA_DIR = PROJ_ROOT / 'data'\n"
    ),
    "churn/dataset.py": "import pandas as pd\n\n\ndef load(path):\n    return pd.read_csv(path)\n",
    "churn/modeling/__init__.py": "",
    "churn/modeling/train.py": (
        "from sklearn.ensemble import RandomForestClassifier\n\n\n"
        "def train(X, y):\n    return RandomForestClassifier(random_state=0).fit(X, y)\n"
    ),
    "notebooks/1.0-jqp-initial-data-exploration.ipynb": json.dumps(
        {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    ),
    "references/.gitkeep": "",
    "reports/figures/.gitkeep": "",
}


@pytest.fixture(autouse=True)
def _quiet_copier() -> None:
    warnings.filterwarnings("ignore", module="copier")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed snapshot, so `copier update` later finds the adopted commit."""
    return snapshot_template(tmp_path_factory.mktemp("template"))


def adopt(root: Path, template: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    import os
    import sys

    return subprocess.run(
        [
            sys.executable,
            "-m",
            "twelvefold",
            "adopt",
            str(root),
            "--template",
            str(template),
            *extra,
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **GIT_ENV},
    )


def test_adopt_adds_missing_pieces_and_keeps_existing_files(tmp_path: Path, template: Path) -> None:
    root = make_repo(tmp_path / "churn", CCDS_TREE)
    before_config = (root / "churn/config.py").read_text()
    result = adopt(root, template)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for piece in (
        ".github/workflows/ci.yml",
        ".github/workflows/template-update.yml",
        ".pre-commit-config.yaml",
        ".env.example",
        "tests/conftest.py",
        ".copier-answers.yml",
    ):
        assert f"added    {piece}" in out, piece
        assert (root / piece).is_file(), piece
    # The project's own settings module is kept, and the skip is explained.
    assert "skipped  churn/config.py: exists" in out
    assert (root / "churn/config.py").read_text() == before_config
    # Missing .gitignore entries are appended; existing ones stay.
    gitignore = (root / ".gitignore").read_text()
    assert gitignore.startswith("# Data\n/data/\n") and ".env" in gitignore.splitlines()
    # Answers inferred from the repository, recorded for `copier update`.
    answers = (root / ".copier-answers.yml").read_text()
    assert (
        "package_name: churn" in answers
        and "_src_path:" in answers
        and "python_version: '3.11'" in answers
    )
    # It finishes with the report of what is left to fix.
    assert "What is still to fix by hand" in out and "Scorecard" in out


def test_adopt_is_idempotent(tmp_path: Path, template: Path) -> None:
    root = make_repo(tmp_path / "churn", CCDS_TREE)
    assert adopt(root, template).returncode == 0
    snapshot = {
        p: p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git/" not in p.as_posix() and ".twelvefold_cache" not in p.as_posix()
    }
    second = adopt(root, template)
    assert second.returncode == 0
    assert "added " not in second.stdout
    assert {
        p: p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git/" not in p.as_posix() and ".twelvefold_cache" not in p.as_posix()
    } == snapshot


def test_own_workflows_keep_their_ci_and_get_the_template_check(
    tmp_path: Path, template: Path
) -> None:
    own = "name: build\non: push\njobs: {}\n"
    root = make_repo(tmp_path / "churn", {**CCDS_TREE, ".github/workflows/build.yml": own})
    result = adopt(root, template)
    assert result.returncode == 0, result.stderr
    assert "skipped  .github/workflows/ci.yml: the project already has GitHub workflows" in (
        result.stdout
    )
    assert not (root / ".github/workflows/ci.yml").exists()
    assert "added    .github/workflows/template-update.yml" in result.stdout
    assert (root / ".github/workflows/build.yml").read_text() == own


def test_dry_run_changes_nothing(tmp_path: Path, template: Path) -> None:
    root = make_repo(tmp_path / "churn", CCDS_TREE)
    result = adopt(root, template, "--dry-run")
    assert result.returncode == 0
    assert "would add    .pre-commit-config.yaml" in result.stdout
    assert not (root / ".pre-commit-config.yaml").exists()
    assert git(root, "status", "--porcelain") == ""


def test_copier_update_works_after_adopt(tmp_path: Path, template: Path) -> None:
    import os
    import sys

    root = make_repo(tmp_path / "churn", CCDS_TREE)
    assert adopt(root, template).returncode == 0
    git(root, "add", "-A")
    git(root, "commit", "-qm", "adopt twelvefold")
    result = subprocess.run(
        [sys.executable, "-m", "copier", "update", "--defaults", "--trust", "--skip-tasks"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **GIT_ENV},
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_missing_template_is_a_usage_error(tmp_path: Path, monkeypatch) -> None:
    from twelvefold.cli import main

    monkeypatch.delenv("TWELVEFOLD_TEMPLATE", raising=False)
    assert main(["adopt", str(tmp_path)]) == 2


def test_the_author_comes_from_the_project_or_git_never_a_placeholder(tmp_path: Path) -> None:
    from twelvefold.adopt import infer_answers

    declared = make_repo(
        tmp_path / "declared",
        {
            "pyproject.toml": '[project]\nname = "churn"\nversion = "1"\n'
            'authors = [{ name = "Ada Lovelace", email = "ada@example.org" }]\n'
        },
    )
    answers, _ = infer_answers(declared)
    assert (answers["author_name"], answers["author_email"]) == ("Ada Lovelace", "ada@example.org")

    from_git = make_repo(tmp_path / "git", {"pyproject.toml": '[project]\nname = "churn"\n'})
    git(from_git, "config", "user.name", "Grace Hopper")
    git(from_git, "config", "user.email", "grace@example.org")
    answers, _ = infer_answers(from_git)
    assert (answers["author_name"], answers["author_email"]) == (
        "Grace Hopper",
        "grace@example.org",
    )

    bad = make_repo(
        tmp_path / "bad",
        {
            "pyproject.toml": '[project]\nname = "x"\nauthors = [{ name = "A \\"B\\"", email = "no" }]\n'
        },
    )
    git(bad, "config", "user.name", 'Q "Quoted"')
    git(bad, "config", "user.email", "not-an-address")
    answers, _ = infer_answers(bad)
    assert "author_name" not in answers and "author_email" not in answers
