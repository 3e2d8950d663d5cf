"""Following the template: a new project is a git repository, the scheduled check-update
job tells when the project is behind, and `copier update` crosses a migration."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import copier
import pytest
import yaml
from template_helpers import BIN, ROOT

from tests.helpers import GIT_ENV, git, snapshot_template

INIT_GIT = ROOT / "template_tasks" / "init_git.py"
MOVE_FILE = ROOT / "template_tasks" / "move_file.py"
OLD_TEST, NEW_TEST = "tests/test_config.py", "tests/unit/test_config.py"
USER_TEST = "\n\ndef test_team_specific_setting() -> None:\n    assert True\n"


@pytest.fixture(autouse=True)
def _git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)


def _python(script: Path, *args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [sys.executable, str(script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def _tracked(root: Path) -> set[str]:
    return set(git(root, "ls-files").splitlines())


# ---------------------------------------------------------------------------- git task


def test_init_git_makes_a_repository_with_files_staged(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("print('hi')\n")
    (tmp_path / ".gitignore").write_text(".env\n")
    (tmp_path / ".env").write_text("TOKEN=\n")
    _python(INIT_GIT, cwd=tmp_path)
    assert (tmp_path / ".git").is_dir()
    assert _tracked(tmp_path) == {".gitignore", "src/app.py"}  # .env stays ignored
    assert git(tmp_path, "rev-list", "--all") == ""  # staged, not committed: the user's call


def test_init_git_leaves_an_enclosing_repository_alone(tmp_path: Path) -> None:
    outer = tmp_path / "monorepo"
    project = outer / "services" / "model"
    project.mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'model'\n")
    git(outer, "init", "-q")
    _python(INIT_GIT, cwd=project)
    assert not (project / ".git").exists()
    assert _tracked(outer) == set()  # the user's index is untouched


def test_init_git_without_git_succeeds_and_says_so(tmp_path: Path) -> None:
    empty_path = tmp_path / "no-tools"
    empty_path.mkdir()
    stderr = _python(INIT_GIT, cwd=tmp_path, env={**os.environ, "PATH": str(empty_path)})
    assert "git was not found" in stderr
    assert not (tmp_path / ".git").exists()


def test_copy_runs_the_git_task(tmp_path: Path) -> None:
    """Through copier, from a template repository: the task runs on copy."""
    template = snapshot_template(tmp_path / "template")
    config = yaml.safe_load((template / "copier.yml").read_text())
    git_task = config["_tasks"][-1]
    assert git_task["command"][-1].endswith("template_tasks/init_git.py")
    # Only the git task: `uv lock` needs the index and is covered by the fixture projects.
    config["_tasks"] = [git_task]
    (template / "copier.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    git(template, "commit", "-qam", "only the git task")
    project = tmp_path / "project"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_copy(
            str(template),
            project,
            data={"project_name": "Demo Model", "python_version": "3.11"},
            defaults=True,
            unsafe=True,
            vcs_ref="HEAD",
            quiet=True,
        )
    tracked = _tracked(project)
    assert {"pyproject.toml", ".copier-answers.yml", ".github/workflows/ci.yml"} <= tracked
    assert ".env" not in tracked


# ---------------------------------------------------------------------------- releases


def _copy(template: Path, project: Path, ref: str) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_copy(
            str(template),
            project,
            data={"project_name": "Demo Model", "python_version": "3.11"},
            defaults=True,
            unsafe=True,
            vcs_ref=ref,
            quiet=True,
            skip_tasks=True,  # no `uv lock`; git is initialised below, as the task would
        )
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Start from twelvefold")
    return project


def _update(project: Path, ref: str, **kwargs: object) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_update(
            project,
            defaults=True,
            overwrite=True,
            unsafe=True,
            vcs_ref=ref,
            quiet=True,
            skip_tasks=True,
            **kwargs,
        )


def _release(template: Path, tag: str, message: str) -> None:
    git(template, "add", "-A")
    git(template, "commit", "-qm", message)
    git(template, "tag", tag)


def _move_test_config(template: Path, *, migration: bool) -> None:
    """A breaking release: the template moves tests/test_config.py into tests/unit/."""
    (template / "template" / "tests" / "unit").mkdir()
    git(
        template,
        "mv",
        f"template/{OLD_TEST}.jinja",
        f"template/{NEW_TEST}.jinja",
    )
    if migration:
        config = (template / "copier.yml").read_text()
        entry = (
            "_migrations:\n"
            "  - version: v1.1.0\n"
            '    command: ["{{ _copier_python }}", "{{ _copier_conf.src_path }}/template_tasks/'
            f'move_file.py", "{OLD_TEST}", "{NEW_TEST}"]\n'
        )
        assert "_migrations: []\n" in config
        (template / "copier.yml").write_text(config.replace("_migrations: []\n", entry))
    _release(template, "v1.1.0", "v1.1.0: unit tests live in tests/unit")


def _edit_old_test(project: Path) -> None:
    path = project / OLD_TEST
    path.write_text(path.read_text() + USER_TEST)
    git(project, "commit", "-qam", "A test of our own")


def _no_conflicts(project: Path) -> None:
    status = git(project, "status", "--porcelain", "--ignored")
    assert ".rej" not in status, status
    for path in project.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            text = path.read_text(errors="replace")
            assert "<<<<<<<" not in text and ">>>>>>>" not in text, f"conflict in {path}"


@pytest.mark.parametrize("conflict", ["inline", "rej"])
def test_update_across_a_migration_keeps_the_moved_file(tmp_path: Path, conflict: str) -> None:
    template = snapshot_template(tmp_path / "template", tag="v1.0.0")
    project = _copy(template, tmp_path / "project", "v1.0.0")
    _edit_old_test(project)
    _move_test_config(template, migration=True)

    _update(project, "v1.1.0", conflict=conflict)

    assert not (project / OLD_TEST).exists()
    moved = (project / NEW_TEST).read_text()
    assert moved.endswith(USER_TEST), "the user's test was lost"
    assert "def test_" in moved.removesuffix(USER_TEST)  # and the template's tests with it
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v1.1.0"
    _no_conflicts(project)
    # Committed, git sees the move as a rename.
    git(project, "add", "-A")
    assert f"R  {OLD_TEST} -> {NEW_TEST}" in git(project, "status", "--porcelain")
    git(project, "commit", "-qm", "Update to template v1.1.0")
    # Idempotent: running the migration again changes nothing.
    _python(MOVE_FILE, OLD_TEST, NEW_TEST, cwd=project)
    assert git(project, "status", "--porcelain") == ""


def test_without_the_migration_the_edit_would_be_lost(tmp_path: Path) -> None:
    """Why the migration exists: copier deletes a moved file even when the user edited it."""
    template = snapshot_template(tmp_path / "template", tag="v1.0.0")
    project = _copy(template, tmp_path / "project", "v1.0.0")
    _edit_old_test(project)
    _move_test_config(template, migration=False)

    _update(project, "v1.1.0")

    assert not (project / OLD_TEST).exists()
    assert USER_TEST not in (project / NEW_TEST).read_text()


def test_migration_does_not_run_for_a_project_born_after_it(tmp_path: Path) -> None:
    """A project generated at v1.1.0 and updated to v1.2.0 keeps the template's file."""
    template = snapshot_template(tmp_path / "template", tag="v1.0.0")
    _move_test_config(template, migration=True)
    project = _copy(template, tmp_path / "project", "v1.1.0")
    (template / "template" / "CHANGES.md").write_text("# Changes\n")
    _release(template, "v1.2.0", "v1.2.0: a changelog")
    expected = (project / NEW_TEST).read_text()

    _update(project, "v1.2.0")

    assert (project / NEW_TEST).read_text() == expected
    assert (project / "CHANGES.md").is_file()
    _no_conflicts(project)


# ---------------------------------------------------------------------------- check-update


def _shims(directory: Path) -> dict[str, str]:
    """`uvx`, `copier` and `python` for the CI scripts, backed by this environment.

    The `uvx` shim accepts only the pinned `--from copier==<version>` the template asks for.
    """
    directory.mkdir()
    pinned = yaml.safe_load((ROOT / "copier.yml").read_text())["copier_version"]["default"]
    shims = {
        "uvx": (
            f'[ "$1" = --from ] && [ "$2" = "copier=={pinned}" ] && [ "$3" = copier ]'
            ' || { echo "unexpected uvx call: $*" >&2; exit 97; }\n'
            f'shift 3\nexec "{BIN / "copier"}" "$@"\n'
        ),
        "copier": f'exec "{BIN / "copier"}" "$@"\n',
        "python": f'exec "{sys.executable}" "$@"\n',
        "python3": f'exec "{sys.executable}" "$@"\n',
    }
    for name, body in shims.items():
        path = directory / name
        path.write_text(f"#!/bin/sh\n{body}")
        path.chmod(0o755)
    return {**os.environ, "PATH": f"{directory}{os.pathsep}{os.environ['PATH']}"}


def _github_script(project: Path) -> str:
    workflow = yaml.safe_load((project / ".github/workflows/template-update.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as a boolean
    assert triggers["schedule"], "the check runs on a schedule"
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["check-update"]
    assert job["permissions"] == {"contents": "read"}
    (step,) = [s for s in job["steps"] if "check-update" in s.get("run", "")]
    return step["run"]


def _gitlab_script(project: Path) -> str:
    job = yaml.safe_load((project / ".gitlab-ci.yml").read_text())["template-update"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    assert job["allow_failure"] == {"exit_codes": [2]}
    # pip installs copier in CI; here the shim stands in for it.
    return "set -e\n" + "\n".join(line for line in job["script"] if "pip install" not in line)


def _run_script(
    script: str, project: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def test_scheduled_check_update_warns_when_behind(tmp_path: Path) -> None:
    template = snapshot_template(tmp_path / "template", tag="v1.0.0")
    github = _copy(template, tmp_path / "github", "v1.0.0")
    gitlab = tmp_path / "gitlab"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_copy(
            str(template),
            gitlab,
            data={"project_name": "Demo Model", "ci": "gitlab"},
            defaults=True,
            unsafe=True,
            vcs_ref="v1.0.0",
            quiet=True,
            skip_tasks=True,
        )
    env = _shims(tmp_path / "bin")

    # Up to date: both jobs pass.
    result = _run_script(_github_script(github), github, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Up to date with template release 1.0.0" in result.stdout
    result = _run_script(_gitlab_script(gitlab), gitlab, env)
    assert result.returncode == 0, result.stdout + result.stderr

    # A new release: GitHub shows a warning annotation and fails (GitHub notifies about
    # failed scheduled runs); GitLab exits 2, allowed: the job passes with a warning.
    (template / "template" / "CHANGES.md").write_text("# Changes\n")
    _release(template, "v1.1.0", "v1.1.0")
    result = _run_script(_github_script(github), github, env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("::warning title=Template update available::")
    assert "follows template 1.0.0; the latest release is 1.1.0" in result.stdout
    result = _run_script(_gitlab_script(gitlab), gitlab, env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "the latest release is 1.1.0" in result.stdout


def test_check_update_errors_fail_the_job(tmp_path: Path) -> None:
    """A template that cannot be reached is an error (exit 1), never a pass or a warning."""
    template = snapshot_template(tmp_path / "template", tag="v1.0.0")
    project = _copy(template, tmp_path / "project", "v1.0.0")
    shutil.rmtree(template)
    env = _shims(tmp_path / "bin")
    result = _run_script(_github_script(project), project, env)
    assert result.returncode not in (0, 2), result.stdout + result.stderr
    assert "::warning" not in result.stdout
