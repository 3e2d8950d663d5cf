"""copier itself: default answers, Python versions, invalid answers, and `copier update`."""

from __future__ import annotations

import keyword
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import copier
import pytest
import yaml
from template_helpers import BIN, PACKAGE, ROOT, committed_checkout, generate, git, run

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
        ({"package_name": "import"}, "is a Python keyword or the name of a module"),
        ({"project_name": "Sklearn"}, "The package name 'sklearn' is a Python keyword or"),
        ({"package_name": "yaml"}, "name of a module the project imports"),
        ({"package_name": "asyncio"}, "name of a module the project imports"),
        ({"project_name": "!!!"}, "must start with a letter"),
        ({"author_email": "not-an-address"}, "does not look like an e-mail address"),
        ({"ml_framework": "tensorflow"}, "Invalid choice for 'ml_framework'"),
        ({"ci": "gitlab", "dependency_updates": "dependabot"}, "Dependabot runs on GitHub only"),
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


# ---------------------------------------------------------------------------- checker source


def _tree_text(root: Path) -> dict[str, str]:
    skip = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".twelvefold_cache"}
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8", errors="replace")
        for path in root.rglob("*")
        if path.is_file() and not skip.intersection(path.relative_to(root).parts)
    }


def test_copy_from_a_local_clone_uses_its_origin(tmp_path: Path) -> None:
    """Copied from a clone, the project gets the checker from the clone's origin remote at
    the rendered commit: uv.lock, pyproject.toml and the image name no folder of this
    machine, and the project's own workflow is green."""
    origin = committed_checkout(tmp_path / "hosted" / "twelvefold")
    clone = tmp_path / "work" / "twelvefold"
    clone.parent.mkdir()
    git(clone.parent, "clone", "--quiet", str(origin), clone.name)
    project = generate(
        tmp_path / "project", src=clone, local_checker=False, answers={"docker": True}
    )

    commit = git(clone, "rev-parse", "HEAD")
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["tool"]["uv"]["sources"]["twelvefold"] == {
        "git": origin.as_uri(),
        "rev": commit,
    }
    assert "twelvefold" in " ".join(pyproject["dependency-groups"]["dev"])
    assert "twelvefold" not in " ".join(pyproject["project"]["dependencies"])
    lock = (project / "uv.lock").read_text()
    assert f"{origin.as_uri()}?rev={commit}#{commit}" in lock
    for name, text in _tree_text(project).items():
        if name != ".copier-answers.yml":  # copier's record of the template, for updates
            assert str(clone) not in text, f"{name} names the local clone"
    # The image installs the lock without the dev group, so never the checker's source.
    syncs = [
        line for line in (project / "Dockerfile").read_text().splitlines() if "uv sync" in line
    ]
    assert syncs and all("--no-dev" in line and "--frozen" in line for line in syncs)

    # The project works as generated: locked sync, tests, ruff and the checker.
    for command in (
        ["uv", "sync", "--locked", "--quiet"],
        ["uv", "run", "--locked", "pytest", "-q", "-p", "no:cacheprovider"],
        ["uv", "run", "--locked", "ruff", "check", "--no-cache", "."],
        ["uv", "run", "--locked", "twelvefold", "check", "--no-cache", "."],
    ):
        result = run(command, cwd=project)
        assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"


def _checker_source_task(project: Path, src: Path, commit: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "template_tasks" / "checker_source.py"), str(src), commit],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def _path_source_project(tmp_path: Path, src: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        f'[tool.uv.sources]\ntwelvefold = {{ path = "{src}", editable = false }}\n'
    )
    return project


@pytest.mark.parametrize("case", ["no origin", "commit not pushed"])
def test_a_path_source_stays_only_with_a_loud_warning(tmp_path: Path, case: str) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    (origin / "README.md").write_text("checker\n")
    git(origin, "init", "--quiet", "--initial-branch=main")
    git(origin, "add", "-A")
    git(origin, "commit", "--quiet", "-m", "one")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(origin), clone.name)
    if case == "no origin":
        git(clone, "remote", "remove", "origin")
    else:
        git(clone, "commit", "--quiet", "--allow-empty", "-m", "local only")
    project = _path_source_project(tmp_path, clone)
    before = (project / "pyproject.toml").read_text()

    stderr = _checker_source_task(project, clone, git(clone, "rev-parse", "HEAD"))

    assert (project / "pyproject.toml").read_text() == before
    assert "!!!!" in stderr and "CI and the Docker build will fail" in stderr
    assert ("no `origin` remote" if case == "no origin" else "not on any branch") in stderr


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        (
            "https://user:s3cret@git.example.org/ml/twelvefold.git",
            "https://git.example.org/ml/twelvefold.git",
        ),
        ("git@github.com:org/twelvefold.git", "ssh://git@github.com/org/twelvefold.git"),
        ("ssh://git:pw@host/org/twelvefold", "ssh://git@host/org/twelvefold"),
    ],
)
def test_the_origin_url_is_written_without_credentials(
    tmp_path: Path, remote: str, expected: str
) -> None:
    clone = tmp_path / "clone"
    clone.mkdir()
    git(clone, "init", "--quiet", "--initial-branch=main")
    git(clone, "commit", "--quiet", "--allow-empty", "-m", "one")
    git(clone, "remote", "add", "origin", remote)
    commit = git(clone, "rev-parse", "HEAD")
    git(clone, "update-ref", "refs/remotes/origin/main", commit)  # as if fetched
    project = _path_source_project(tmp_path, clone)

    _checker_source_task(project, clone, commit)

    source = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["uv"]["sources"]
    assert source["twelvefold"] == {"git": expected, "rev": commit}
    assert "s3cret" not in (project / "pyproject.toml").read_text()


def test_a_chosen_checker_source_is_kept(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    project = tmp_path / "project"
    project.mkdir()
    chosen = 'twelvefold = { path = "../checker", editable = false }\n'
    (project / "pyproject.toml").write_text(f"[tool.uv.sources]\n{chosen}")
    _checker_source_task(project, clone, "0" * 40)
    assert (project / "pyproject.toml").read_text() == f"[tool.uv.sources]\n{chosen}"


def test_copy_fails_when_the_lock_cannot_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """PyTorch's CPU index unreachable (a dead proxy for everything but PyPI): the copy
    fails with the reason and leaves no project behind, never a project without uv.lock."""
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "pypi.org,files.pythonhosted.org")
    monkeypatch.setenv("UV_HTTP_RETRIES", "0")
    dst = tmp_path / "project"
    with pytest.raises(subprocess.CalledProcessError):
        generate(dst, {"ml_framework": "pytorch"})
    stderr = capfd.readouterr().err
    assert "`uv lock` failed, so the project would have no uv.lock" in stderr
    assert "https://download.pytorch.org/whl/cpu" in stderr
    assert not dst.exists()


def test_copier_yml_has_no_invalid_escapes(tmp_path: Path) -> None:
    """Jinja string literals in copier.yml decode escapes as Python does: `'\\s'` warns
    (DeprecationWarning: invalid escape sequence), and will be an error in a later Python."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", DeprecationWarning)
        copier.run_copy(
            str(ROOT),
            tmp_path / "project",
            data={"project_name": "Demo", "author_email": "ada@example.org"},
            defaults=True,
            unsafe=True,
            vcs_ref="HEAD",
            quiet=True,
            skip_tasks=True,
        )
    assert (tmp_path / "project" / "pyproject.toml").is_file()


def test_project_name_defaults_to_the_folder_name(tmp_path: Path) -> None:
    """`copier copy --defaults TEMPLATE churn-model` needs no --data: the folder names it."""
    result = subprocess.run(
        [
            str(BIN / "copier"),
            "copy",
            "--trust",
            "--defaults",
            "--skip-tasks",
            "--vcs-ref",
            "HEAD",
            str(ROOT),
            "churn-model",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    answers = yaml.safe_load((tmp_path / "churn-model" / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "churn-model"
    assert answers["package_name"] == "churn_model"


def test_reserved_names_hold_keywords_and_the_standard_library() -> None:
    config = yaml.safe_load((ROOT / "copier.yml").read_text())
    reserved = set(config["reserved_package_names"]["default"].split())
    wanted = {n for n in [*keyword.kwlist, *sys.stdlib_module_names] if n.islower() or n == "_"}
    wanted = {n for n in wanted if re.fullmatch(r"[a-z_][a-z0-9_]*", n)}
    assert wanted <= reserved, sorted(wanted - reserved)
    assert {"sklearn", "torch", "numpy", "fastapi", "mlflow", "pytest"} <= reserved


def _render_without_author(dst: Path, license_name: str = "MIT") -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_copy(
            str(ROOT),
            dst,
            data={"project_name": "Demo", "license": license_name},
            defaults=True,
            unsafe=True,
            vcs_ref="HEAD",
            quiet=True,
            skip_tasks=True,
        )
    return dst


def _run_author_task(dst: Path, gitconfig: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value for key, value in __import__("os").environ.items() if not key.startswith("GIT_")
    }
    env.update({"GIT_CONFIG_GLOBAL": str(gitconfig), "GIT_CONFIG_NOSYSTEM": "1"})
    return subprocess.run(
        [
            sys.executable,
            str(ROOT / "template_tasks" / "author.py"),
            ".copier-answers.yml",
            "The Demo authors",
        ],
        cwd=dst,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def test_no_placeholder_author_when_the_author_is_left_empty(tmp_path: Path) -> None:
    """The default author is empty, never "Your Name": the rendered project has no
    `authors` and its license names the project's authors."""
    dst = _render_without_author(tmp_path / "project")
    pyproject_text = (dst / "pyproject.toml").read_text()
    assert "authors" not in tomllib.loads(pyproject_text)["project"]
    assert "Copyright (c) " in (dst / "LICENSE").read_text()
    assert "The Demo authors" in (dst / "LICENSE").read_text()
    for path in dst.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="ignore")
            assert "Your Name" not in text and "you@example.org" not in text, path


def test_the_author_task_takes_git_identity(tmp_path: Path) -> None:
    """copier.yml runs template_tasks/author.py on copy when the author is empty: git's
    user.name / user.email go into pyproject, the license and the answers file."""
    tasks = yaml.safe_load((ROOT / "copier.yml").read_text())["_tasks"]
    assert any("template_tasks/author.py" in " ".join(task["command"]) for task in tasks)
    dst = _render_without_author(tmp_path / "project")
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text('[user]\n\tname = Grace \\"G\\" Hopper\n\temail = grace@example.org\n')
    _run_author_task(dst, gitconfig)  # a quote in the name: refused, nothing written
    assert "authors" not in tomllib.loads((dst / "pyproject.toml").read_text())["project"]
    gitconfig.write_text("[user]\n\tname = Grace Hopper\n\temail = grace@example.org\n")
    result = _run_author_task(dst, gitconfig)
    assert "author from git: Grace Hopper <grace@example.org>" in result.stdout
    project = tomllib.loads((dst / "pyproject.toml").read_text())["project"]
    assert project["authors"] == [{"name": "Grace Hopper", "email": "grace@example.org"}]
    license_text = (dst / "LICENSE").read_text()
    assert "Grace Hopper" in license_text and "The Demo authors" not in license_text
    answers = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    assert (answers["author_name"], answers["author_email"]) == (
        "Grace Hopper",
        "grace@example.org",
    )


def test_the_author_task_without_git_identity_warns_and_invents_nothing(tmp_path: Path) -> None:
    dst = _render_without_author(tmp_path / "project", license_name="Proprietary")
    result = _run_author_task(dst, tmp_path / "empty-gitconfig")
    assert "git has no user.name" in result.stderr
    assert "authors" not in tomllib.loads((dst / "pyproject.toml").read_text())["project"]
    assert yaml.safe_load((dst / ".copier-answers.yml").read_text())["author_name"] == ""


def test_a_given_author_is_used_as_is(tmp_path: Path) -> None:
    dst = generate(
        tmp_path / "project",
        {
            "author_name": "Ada Lovelace",
            "author_email": "ada@example.org",
            "license": "BSD-3-Clause",
        },
        lock=False,
    )
    project = tomllib.loads((dst / "pyproject.toml").read_text())["project"]
    assert project["authors"] == [{"name": "Ada Lovelace", "email": "ada@example.org"}]
    assert "Copyright (c) " in (dst / "LICENSE").read_text()
    assert ", Ada Lovelace" in (dst / "LICENSE").read_text()
