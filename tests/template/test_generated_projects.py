"""Every option combination renders a clean project whose own workflow passes."""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dockerfile_emulation
import pytest
import yaml
from template_helpers import (
    BIN,
    PACKAGE,
    ROOT,
    local_torch_wheel,
    pip_environment,
    run,
    subprocess_env,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

if TYPE_CHECKING:  # the fixture's type; conftest modules are not imported by name
    from conftest import Project

JINJA = re.compile(r"{{|{%|{#|}}|%}")
TWELVEFOLD = ROOT / ".venv" / "bin" / "twelvefold"


def project_files(root: Path) -> list[Path]:
    skip = {".venv", ".git", "__pycache__", ".pytest_cache", ".ruff_cache"}
    return [
        path
        for path in root.rglob("*")
        if path.is_file() and not skip.intersection(path.relative_to(root).parts)
    ]


def test_no_unrendered_jinja(project: Project) -> None:
    leftovers = []
    for path in project_files(project.path):
        if path.name == "uv.lock":
            continue
        assert "{" not in path.name, f"unrendered file name {path}"
        text = path.read_text(encoding="utf-8")
        leftovers += [f"{path}: {line}" for line in text.splitlines() if JINJA.search(line)]
    # GitHub expressions `${{ ... }}` are the only double braces allowed.
    leftovers = [line for line in leftovers if "${{" not in line]
    assert not leftovers, "\n".join(leftovers)


def test_option_files(project: Project) -> None:
    root = project.path
    assert (root / ".python-version").read_text().strip() == "3.11"
    assert (root / f"src/{PACKAGE}/model.py").is_file()
    assert (root / f"src/{PACKAGE}/service.py").exists() == (project.answer("serving") == "fastapi")
    assert (root / "dvc.yaml").exists() == (project.answer("data_versioning") == "dvc")
    assert (root / ".dvc/config").exists() == (project.answer("data_versioning") == "dvc")
    assert (root / "Dockerfile").exists() == project.answer("docker")
    assert (root / ".dockerignore").exists() == project.answer("docker")
    assert (root / ".github/workflows/ci.yml").exists() == (project.answer("ci") == "github")
    assert (root / ".gitlab-ci.yml").exists() == (project.answer("ci") == "gitlab")
    assert (root / ".github/workflows/template-update.yml").exists() == (
        project.answer("ci") == "github"
    )
    assert (root / "LICENSE").exists() == (project.answer("license") != "Proprietary")
    updates = project.answer("dependency_updates")
    assert (root / "renovate.json").exists() == (updates == "renovate")
    assert (root / ".github/dependabot.yml").exists() == (updates == "dependabot")
    assert (root / "uv.lock").exists() == project.synced
    if project.synced:  # the tasks ran: a git repository with the files staged, uv.lock too
        tracked = run(["git", "ls-files"], cwd=root).stdout.splitlines()
        assert {"pyproject.toml", "uv.lock", ".copier-answers.yml", ".env.example"} <= set(tracked)
        assert not [path for path in tracked if path.startswith((".venv/", "data/"))]
    pyproject = tomllib.loads((root / "pyproject.toml").read_text())
    deps = " ".join(pyproject["project"]["dependencies"])
    assert ("mlflow" in deps) == (project.answer("experiment_tracking") == "mlflow")
    assert ("fastapi" in deps) == (project.answer("serving") == "fastapi")
    answers = yaml.safe_load((root / ".copier-answers.yml").read_text())
    assert answers["_src_path"]
    assert "twelvefold_source" not in answers  # computed each time, never frozen
    if project.answer("data_versioning") == "dvc":
        stages = yaml.safe_load((root / "dvc.yaml").read_text())["stages"]
        assert list(stages) == ["prepare", "train", "evaluate"]
    for line in (root / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            assert line.endswith("="), f".env.example holds a value: {line}"
    assert ".env" in (root / ".gitignore").read_text().splitlines()


def test_ruff_clean(project: Project) -> None:
    check = run([str(BIN / "ruff"), "check", "--no-cache", "."], cwd=project.path)
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = run([str(BIN / "ruff"), "format", "--check", "--no-cache", "."], cwd=project.path)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_generated_tests_pass(project: Project) -> None:
    if not project.synced:
        pytest.skip("pytorch projects run their tests in test_pytorch_project_tests_pass (slow)")
    started = time.perf_counter()
    result = run(
        ["uv", "run", "--locked", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project.path
    )
    project.timings["pytest"] = time.perf_counter() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed" in result.stdout


def test_pre_commit_config(project: Project) -> None:
    result = run([str(BIN / "pre-commit"), "validate-config"], cwd=project.path)
    assert result.returncode == 0, result.stdout + result.stderr
    config = yaml.safe_load((project.path / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = {hook["id"] for hook in config["repos"][0]["hooks"]}
    assert {"ruff-check", "ruff-format", "nbstripout", "twelvefold"} <= hooks


def test_dependency_update_configuration(project: Project) -> None:
    """Renovate or Dependabot covers the CI pins, the base image and uv, per the schemas."""
    root = project.path
    updates = project.answer("dependency_updates")
    if updates == "none":
        pytest.skip("no update bot chosen")
    config, schema = {
        "renovate": (root / "renovate.json", "vendor.renovate"),
        "dependabot": (root / ".github" / "dependabot.yml", "vendor.dependabot"),
    }[updates]
    result = run([str(BIN / "check-jsonschema"), "--builtin-schema", schema, str(config)], cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    if updates == "renovate":
        ci = "github-actions" if project.answer("ci") == "github" else "gitlabci"
        renovate = json.loads(config.read_text())
        managers = {ci, "pep621"} | ({"dockerfile"} if project.answer("docker") else set())
        assert set(renovate["enabledManagers"]) == managers
        assert renovate["lockFileMaintenance"]["enabled"] is True
    else:
        ecosystems = {
            item["package-ecosystem"] for item in yaml.safe_load(config.read_text())["updates"]
        }
        assert ecosystems == {"github-actions", "uv"} | (
            {"docker"} if project.answer("docker") else set()
        )


def test_image_build_in_ci_and_healthcheck(project: Project) -> None:
    """CI builds and smoke-tests the image; a service image checks its health endpoint."""
    if not project.answer("docker"):
        pytest.skip("no Dockerfile")
    runtime = dockerfile_emulation.stages(project.path / "Dockerfile")[-1]
    if project.answer("serving") == "fastapi":
        assert runtime.healthcheck.endswith(f'CMD ["{PACKAGE}", "healthcheck"]'), (
            runtime.healthcheck
        )
    else:
        assert not runtime.healthcheck
    if project.answer("ci") == "github":
        workflow = yaml.safe_load((project.path / ".github/workflows/ci.yml").read_text())
        steps = " ".join(step.get("run", "") for step in workflow["jobs"]["image"]["steps"])
        assert "docker build" in steps and "docker run" in steps
        if project.answer("serving") == "fastapi":
            assert "healthy" in steps


def test_dvc_is_locked(project: Project) -> None:
    if project.answer("data_versioning") != "dvc":
        pytest.skip("no DVC")
    pyproject = tomllib.loads((project.path / "pyproject.toml").read_text())
    assert any(dep.startswith("dvc") for dep in pyproject["dependency-groups"]["dev"])
    readme = (project.path / "README.md").read_text()
    assert "uv run dvc repro" in readme and "uvx dvc" not in readme and "tool install" not in readme
    if project.synced:
        result = run(["uv", "run", "--locked", "dvc", "--version"], cwd=project.path)
        assert result.returncode == 0, result.stdout + result.stderr


def test_ci_configuration(project: Project) -> None:
    if project.answer("ci") == "gitlab":
        gitlab = project.path / ".gitlab-ci.yml"
        result = run(
            [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(gitlab)],
            cwd=project.path,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "uv sync --locked" in gitlab.read_text()
        return
    workflows = project.path / ".github" / "workflows"
    for workflow in (workflows / "ci.yml", workflows / "template-update.yml"):
        commands = {
            "check-jsonschema": [
                str(BIN / "check-jsonschema"),
                "--builtin-schema",
                "vendor.github-workflows",
                str(workflow),
            ],
            "actionlint": [str(BIN / "actionlint"), str(workflow)],
            "zizmor": [str(BIN / "zizmor"), "--offline", "--no-progress", str(workflow)],
        }
        for name, command in commands.items():
            result = run(command, cwd=project.path)
            assert result.returncode == 0, (
                f"{workflow.name}: {name}:\n{result.stdout}\n{result.stderr}"
            )
        text = workflow.read_text()
        for uses in re.findall(r"uses: (\S+)", text):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), f"not pinned by SHA: {uses}"
    text = (workflows / "ci.yml").read_text()
    assert "uv sync --locked" in text
    assert "twelvefold check" in text
    assert "copier check-update" in (workflows / "template-update.yml").read_text()


def _checker_missing() -> str | None:
    """Why the checker can't run yet (it is written in parallel), or None when it can."""
    if not TWELVEFOLD.exists():
        return f"the twelvefold checker is not installed ({TWELVEFOLD} missing)"
    probe = run([str(ROOT / ".venv" / "bin" / "python"), "-c", "import twelvefold.cli"], cwd=ROOT)
    if "No module named 'twelvefold.cli'" in probe.stderr:
        return "the twelvefold checker has no CLI yet (twelvefold.cli missing)"
    return None


def test_twelvefold_check_is_clean(project: Project) -> None:
    reason = _checker_missing()
    if not project.synced:
        reason = "pytorch projects are not locked here (the CPU torch index is unreachable)"
    if reason:
        pytest.skip(reason)
    result = run(
        [str(TWELVEFOLD), "check", "--output-format", "json", str(project.path)], cwd=project.path
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert findings == [], json.dumps(findings, indent=2)
    assert result.returncode == 0


@pytest.mark.slow
def test_pytorch_project_tests_pass(project: Project) -> None:
    if project.answer("ml_framework") != "pytorch":
        pytest.skip("only pytorch projects need the pip-installed torch environment")
    if local_torch_wheel() is None:
        pytest.skip("no local CPU torch wheel in pip's find-links (uv would fetch a CUDA build)")
    python = pip_environment(project.path)
    started = time.perf_counter()
    result = run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project.path)
    project.timings["pytest"] = time.perf_counter() - started
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_hooks_pass(project: Project) -> None:
    """The hooks a developer installs run offline from the locked environment and pass."""
    if project.name != "default":
        pytest.skip("the hooks are the same for every combination; run once")
    reason = _checker_missing()
    if reason:
        pytest.skip(reason)
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    for command in (["init", "--quiet"], ["add", "-A"], ["commit", "--quiet", "-m", "start"]):
        result = run([*git, *command], cwd=project.path)
        assert result.returncode == 0, result.stderr
    result = run(["uv", "run", "--locked", "pre-commit", "run", "--all-files"], cwd=project.path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "twelvefold check" in result.stdout


@pytest.fixture
def image_root() -> Iterator[Path]:
    """A folder outside pytest's private temp tree, so an unprivileged user can reach it."""
    root = Path(tempfile.mkdtemp(prefix="twelvefold-image-"))
    yield root / "image"

    def writable(function: Any, path: str, _: Any) -> None:
        Path(path).chmod(0o755)
        function(path)

    shutil.rmtree(root, onexc=writable) if sys.version_info >= (3, 12) else shutil.rmtree(
        root, onerror=writable
    )


def test_batch_image_runs_as_non_root(project: Project, image_root: Path) -> None:
    """`docker run --rm IMAGE` of a batch project: the pipeline runs as the image's non-root
    user in a root-owned /app, writes to the data and artifacts folders the image gives that
    user (configured through the environment), and the build installs the lock without the
    dev-only checker source (here a relative path that does not exist in the image)."""
    if not project.answer("docker") or project.answer("serving") != "none" or not project.synced:
        pytest.skip("a batch image of a locked project")
    try:
        image = dockerfile_emulation.build(project.path, image_root, subprocess_env())
    except LookupError as error:
        pytest.skip(str(error))
    assert image.runtime.user != "root"
    owned = dockerfile_emulation.app_owned_dirs(image.runtime)
    prefix = PACKAGE.upper()
    for variable in (f"{prefix}_DATA_DIR", f"{prefix}_OUTPUT_DIR"):
        assert image.runtime.env[variable] in owned, variable
    result = dockerfile_emulation.run_cmd(image)
    assert result.returncode == 0, result.stdout + result.stderr
    artifacts = image.host_path(image.runtime.env[f"{prefix}_OUTPUT_DIR"])
    assert (artifacts / "metrics.json").is_file()
    assert (artifacts / "evaluation.json").is_file()
    # Nothing was written next to the code.
    assert set(image.app.iterdir()) == {image.app / ".venv", *map(image.host_path, owned)}
    readme = (project.path / "README.md").read_text()
    assert f"-v demo-model-artifacts:{image.runtime.env[f'{prefix}_OUTPUT_DIR']}" in readme


def test_reserved_names_cover_the_environment(project: Project) -> None:
    """No package name copier accepts shadows a module installed in the project."""
    if not project.synced:
        pytest.skip("pytorch projects are not synced here")
    listing = (
        "import importlib.metadata as m, json; print(json.dumps(list(m.packages_distributions())))"
    )
    result = run([str(project.path / ".venv" / "bin" / "python"), "-c", listing], cwd=project.path)
    assert result.returncode == 0, result.stderr
    installed = {
        name for name in json.loads(result.stdout) if re.fullmatch(r"[a-z_][a-z0-9_]*", name)
    } - {PACKAGE}
    config = yaml.safe_load((ROOT / "copier.yml").read_text())
    reserved = set(config["reserved_package_names"]["default"].split())
    assert installed <= reserved, (
        f"not reserved: {sorted(installed - reserved)}; run tests/template/refresh_reserved_names.py"
    )
