"""The cookiecutter front-end renders the one copier template: same project, same questions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import yaml

from tests.helpers import GIT_ENV, REPO_ROOT, snapshot_template

ANSWERS = {
    "project_name": "Churn Model",
    "package_name": "churn_model",
    "description": "Predicts churn",
    "author_name": "Ada Lovelace",
    "author_email": "ada@example.org",
    "license": "Apache-2.0",
    "python_version": "3.11",
    "ml_framework": "scikit-learn",
    "serving": "fastapi",
    "experiment_tracking": "none",
    "data_versioning": "dvc",
    "ci": "gitlab",
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template and the checker, committed: the front-ends run the template's tasks,
    whose `uv lock` must find the checker at the template's source (a path here)."""
    root = tmp_path_factory.mktemp("template")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(REPO_ROOT / name, root / name)
    shutil.copytree(
        REPO_ROOT / "checker", root / "checker", ignore=shutil.ignore_patterns("__pycache__")
    )
    return snapshot_template(root)


@pytest.fixture(autouse=True)
def _git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    warnings.filterwarnings("ignore", module="copier")


def tree(root: Path) -> dict[str, bytes]:
    """The generated files (not the answers file, nor the .git the template's task made)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and path.name != ".copier-answers.yml"
        and ".git" not in path.relative_to(root).parts
    }


def staged(root: Path) -> list[str]:
    return subprocess.run(
        ["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.splitlines()


def test_questions_mirror_copier_yml() -> None:
    copier_questions = {
        key: value
        for key, value in yaml.safe_load((REPO_ROOT / "copier.yml").read_text()).items()
        if not key.startswith("_") and isinstance(value, dict) and value.get("when") is not False
    }
    cookie = json.loads((REPO_ROOT / "cookiecutter" / "cookiecutter.json").read_text())
    asked = {key for key in cookie if not key.startswith("_") and key != "project_slug"}
    assert asked == set(copier_questions)
    for key, question in copier_questions.items():
        if "choices" in question:
            choices = question["choices"]
            values = list(choices.values()) if isinstance(choices, dict) else choices
            assert sorted(map(str, values)) == sorted(map(str, cookie[key])), key
            assert str(cookie[key][0]) == str(question["default"]), (
                f"{key}: first choice is the default"
            )
        if question.get("type") == "bool":
            assert cookie[key] == (["yes", "no"] if question["default"] else ["no", "yes"])


def test_cookiecutter_and_copier_render_the_same_project(template: Path, tmp_path: Path) -> None:
    import copier
    from cookiecutter.main import cookiecutter

    made = cookiecutter(
        str(template),
        directory="cookiecutter",
        no_input=True,
        extra_context={**ANSWERS, "docker": "no"},
        output_dir=str(tmp_path / "cookiecutter"),
    )
    copier.run_copy(
        str(template),
        tmp_path / "copier" / "churn-model",
        data={**ANSWERS, "docker": False},
        defaults=True,
        unsafe=True,
        vcs_ref="HEAD",
        quiet=True,
    )
    via_cookiecutter = tree(Path(made))
    via_copier = tree(tmp_path / "copier" / "churn-model")
    assert Path(made).name == "churn-model"
    assert sorted(via_cookiecutter) == sorted(via_copier)
    differing = [name for name in via_copier if via_cookiecutter[name] != via_copier[name]]
    # Each render resolves its uv.lock live from the index, seconds apart: a release seen
    # by one resolution and not the other (a mirror's page refreshed in between) changes
    # versions, not which packages are locked.
    if "uv.lock" in differing:
        differing.remove("uv.lock")
        assert _locked_names(via_cookiecutter["uv.lock"]) == _locked_names(via_copier["uv.lock"])
    assert not differing, differing
    assert "src/churn_model/service.py" in via_copier and ".gitlab-ci.yml" in via_copier
    # Both are git repositories from the start, with the same files staged.
    assert staged(Path(made)) == staged(tmp_path / "copier" / "churn-model")
    assert "pyproject.toml" in staged(Path(made))


def test_cruft_create(template: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cruft",
            "create",
            str(template),
            "--directory",
            "cookiecutter",
            "--no-input",
            "--output-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        # uv itself for the template's `uv lock` task, not a version manager's shim that
        # the project's .python-version (3.12 by default) would send elsewhere.
        env={
            **os.environ,
            **GIT_ENV,
            "PATH": os.pathsep.join(
                (
                    str(Path(sys.base_prefix) / "bin"),
                    str(Path(sys.executable).parent),
                    os.environ["PATH"],
                )
            ),
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    project = tmp_path / "churn-model"
    cruft_state = json.loads((project / ".cruft.json").read_text())
    assert cruft_state["directory"] == "cookiecutter"
    assert (project / "src" / "churn_model" / "config.py").is_file()
    assert (project / ".copier-answers.yml").is_file()


def test_cookiecutter_from_a_url_records_the_repository(template: Path, tmp_path: Path) -> None:
    """From a git URL, the answers name the repository and its release, not cookiecutter's
    private clone: `copier update` and the weekly check-update job work anywhere."""
    from cookiecutter.main import cookiecutter

    config = tmp_path / "cookiecutter.yaml"
    config.write_text(
        f"cookiecutters_dir: {tmp_path / 'clones'}\nreplay_dir: {tmp_path / 'replay'}\n"
    )
    made = Path(
        cookiecutter(
            f"git+{template.as_uri()}",  # cookiecutter needs the git+ to know the VCS
            directory="cookiecutter",
            no_input=True,
            extra_context={**ANSWERS, "docker": "no"},
            output_dir=str(tmp_path / "out"),
            config_file=str(config),
        )
    )
    answers = yaml.safe_load((made / ".copier-answers.yml").read_text())
    assert answers["_src_path"] in (f"git+{template.as_uri()}", template.as_uri())
    assert answers["_commit"] == "v1.0.0"


def _locked_names(lock: bytes) -> list[str]:
    """The package names a uv.lock pins, in order."""
    import re

    return re.findall(r'^\[\[package\]\]\s*\nname = "([^"]+)"', lock.decode(), flags=re.M)
