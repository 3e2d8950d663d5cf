"""copier itself: default answers, Python versions, invalid answers, and `copier update`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import copier
import pytest
import yaml
from template_helpers import BIN, PACKAGE, ROOT, generate, run

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def test_default_answers(tmp_path: Path) -> None:
    """Only the project name is asked; everything else has a default or is derived."""
    dst = tmp_path / "project"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_copy(
            str(ROOT),
            dst,
            data={"project_name": "Churn Model 2"},
            defaults=True,
            unsafe=True,
            vcs_ref="HEAD",
            quiet=True,
            skip_tasks=True,
        )
    answers = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    assert answers["package_name"] == "churn_model_2"
    assert answers["python_version"] == "3.12"
    assert answers["ml_framework"] == "scikit-learn"
    assert answers["serving"] == "none"
    assert answers["ci"] == "github"
    assert answers["docker"] is True
    pyproject = tomllib.loads((dst / "pyproject.toml").read_text())
    assert pyproject["project"]["name"] == "churn-model-2"
    assert pyproject["project"]["requires-python"] == ">=3.12"
    assert pyproject["project"]["scripts"] == {"churn_model_2": "churn_model_2.cli:main"}
    # Copied from a local directory: the checker comes from that directory.
    assert pyproject["tool"]["uv"]["sources"]["twelvefold"] == {
        "path": str(ROOT),
        "editable": False,
    }
    assert (dst / "src" / "churn_model_2" / "config.py").is_file()


@pytest.mark.parametrize("python_version", ["3.10", "3.11", "3.12", "3.13"])
def test_python_version_renders(tmp_path: Path, python_version: str) -> None:
    dst = generate(
        tmp_path / "project",
        {"python_version": python_version, "ci": "gitlab"},
        lock=False,
    )
    assert (dst / ".python-version").read_text().strip() == python_version
    pyproject = tomllib.loads((dst / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == f">={python_version}"
    assert pyproject["tool"]["ruff"]["target-version"] == "py" + python_version.replace(".", "")
    assert f"FROM python:{python_version}." in (dst / "Dockerfile").read_text()
    assert f"image: python:{python_version}." in (dst / ".gitlab-ci.yml").read_text()
    result = run([str(BIN / "ruff"), "check", "--no-cache", "."], cwd=dst)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"package_name": "1bad-name"}, "must be a lowercase Python identifier"),
        ({"package_name": "tests"}, "would shadow a module"),
        ({"project_name": "!!!"}, "must start with a letter"),
        ({"author_email": "not-an-address"}, "does not look like an e-mail address"),
        ({"ml_framework": "tensorflow"}, "Invalid choice for 'ml_framework'"),
        ({"python_version": "2.7"}, "Invalid choice for 'python_version'"),
    ],
)
def test_invalid_answers_are_rejected(
    tmp_path: Path, answers: dict[str, str], message: str
) -> None:
    """copier reports the validator's message before rendering anything.

    (copier's CLI prints these as an uncaught ValueError whose last line is the message;
    interactively the same message is shown under the question.)
    """
    dst = tmp_path / "project"
    with warnings.catch_warnings(), pytest.raises(ValueError, match=re.escape(message)) as error:
        warnings.simplefilter("ignore")
        copier.run_copy(
            str(ROOT),
            dst,
            data={"project_name": "Demo", **answers},
            defaults=True,
            unsafe=True,
            vcs_ref="HEAD",
            quiet=True,
            skip_tasks=True,
        )
    assert "jinja" not in type(error.value).__module__
    assert not dst.exists() or not any(dst.iterdir()), "a broken project was left behind"


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_copier_update_keeps_edits_and_brings_changes(tmp_path: Path) -> None:
    # A template repository with two commits: v1 is the working tree, v2 adds a change.
    template = tmp_path / "template-repo"
    template.mkdir()
    shutil.copy2(ROOT / "copier.yml", template / "copier.yml")
    shutil.copytree(ROOT / "template", template / "template")
    shutil.copytree(ROOT / "template_tasks", template / "template_tasks")
    _git(template, "init", "--quiet", "--initial-branch=main")
    _git(template, "add", "-A")
    _git(template, "commit", "--quiet", "-m", "v1")
    _git(template, "tag", "v1")

    project = tmp_path / "project"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_copy(
            f"git+{template.as_uri()}",
            project,
            data={"project_name": "Demo Model", "python_version": "3.11"},
            defaults=True,
            unsafe=True,
            vcs_ref="v1",
            quiet=True,
            skip_tasks=True,
        )
    # Copied from a URL: the checker is a git source pinned to the template's commit.
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["tool"]["uv"]["sources"]["twelvefold"] == {
        "git": template.as_uri(),
        "rev": _git(template, "rev-parse", "HEAD"),
    }
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v1"

    # The user edits the project and commits.
    features = project / "src" / PACKAGE / "features.py"
    features.write_text(
        features.read_text()
        + "\n\ndef clip(value: float) -> float:\n    return max(-5.0, min(5.0, value))\n"
    )
    readme = project / "README.md"
    readme.write_text(
        readme.read_text().replace("## Set up", "## Set up\n\nAsk #ml-team for access.", 1)
    )
    _git(project, "init", "--quiet", "--initial-branch=main")
    _git(project, "add", "-A")
    _git(project, "commit", "--quiet", "-m", "project")

    # The template changes: a new ignore rule and a new file.
    gitignore = template / "template" / ".gitignore.jinja"
    gitignore.write_text(gitignore.read_text() + "\n# Profiling output\n*.prof\n")
    (template / "template" / "CONTRIBUTING.md.jinja").write_text(
        "# Contributing to {{ project_name }}\n"
    )
    _git(template, "add", "-A")
    _git(template, "commit", "--quiet", "-m", "v2")
    _git(template, "tag", "v2")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_update(
            project,
            defaults=True,
            overwrite=True,
            unsafe=True,
            vcs_ref="v2",
            quiet=True,
            skip_tasks=True,
        )

    assert "def clip(value: float)" in features.read_text()
    assert "Ask #ml-team for access." in readme.read_text()
    assert "*.prof" in (project / ".gitignore").read_text()
    assert (project / "CONTRIBUTING.md").read_text() == "# Contributing to Demo Model\n"
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "v2"
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["tool"]["uv"]["sources"]["twelvefold"]["rev"] == _git(
        template, "rev-parse", "HEAD"
    )
    status = _git(project, "status", "--porcelain")
    assert ".rej" not in status
    for path in project.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            assert "<<<<<<<" not in path.read_text(errors="replace"), f"conflict in {path}"
