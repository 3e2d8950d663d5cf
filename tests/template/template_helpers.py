"""Helpers shared by the template tests and the maintainer scripts: generate projects fast.

Projects are generated with copier's Python API from the working tree (uncommitted changes
included), answer the machine's Python version so uv needs no interpreter download, and get
the twelvefold checker from this checkout through a relative path source.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import warnings
from pathlib import Path
from typing import Any

import copier

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
MACHINE_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
PROJECT_NAME = "Demo Model"
PACKAGE = "demo_model"


def checker_source(dst: Path, checker_root: Path = ROOT) -> str:
    """A uv path source for the checker, relative to the project (no absolute paths)."""
    relative = Path(os.path.relpath(checker_root, dst.resolve())).as_posix()
    return f'{{ path = "{relative}", editable = false }}'


def subprocess_env() -> dict[str, str]:
    """The environment for commands run in a generated project: its own venv, no outer pytest."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PYTEST_ADDOPTS", "PYTHONPATH"}
    }
    # One uv cache for every project; hardlinks from it keep installs fast and small.
    env.setdefault("UV_LINK_MODE", "hardlink")
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def generate(
    dst: Path,
    answers: dict[str, Any] | None = None,
    *,
    lock: bool = True,
    src: Path = ROOT,
    vcs_ref: str | None = "HEAD",
    local_checker: bool = True,
    **kwargs: Any,
) -> Path:
    """Generate a project into `dst`; `lock=False` skips the tasks (no `uv lock`).

    `local_checker=False` leaves the checker's source to the template (as a user gets it).
    """
    data = {
        "project_name": PROJECT_NAME,
        "python_version": MACHINE_PYTHON,
        **({"twelvefold_source": checker_source(dst)} if local_checker else {}),
        **(answers or {}),
    }
    saved = os.environ.copy()
    os.environ.clear()
    os.environ.update(subprocess_env())  # the `uv lock` task inherits this environment
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DirtyLocalWarning: uncommitted changes included
            copier.run_copy(
                str(src),
                dst,
                data=data,
                defaults=True,
                unsafe=True,
                vcs_ref=vcs_ref,
                quiet=True,
                skip_tasks=not lock,
                **kwargs,
            )
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return dst


def git(cwd: Path, *args: str) -> str:
    """A git command with a fixed identity; its stdout, stripped."""
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def committed_checkout(dst: Path) -> Path:
    """This checkout as it is (uncommitted changes included, the checker too), committed
    in a new repository at `dst`: a stand-in for the template's hosted repository."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (dst / name).parent.mkdir(parents=True, exist_ok=True)
            (dst / name).write_bytes(source.read_bytes())
    git(dst, "init", "--quiet", "--initial-branch=main")
    git(dst, "add", "-A")
    git(dst, "commit", "--quiet", "-m", "snapshot")
    return dst


def run(command: list[str], cwd: Path, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a command in a generated project, capturing its output as text."""
    return subprocess.run(
        command,
        cwd=cwd,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        check=False,
        **kwargs,
    )


def local_torch_wheel() -> Path | None:
    """A CPU torch wheel from pip's find-links on this machine (uv would fetch a CUDA build)."""
    links = os.environ.get("PIP_FIND_LINKS", "/opt/wheels").split()
    for link in links:
        directory = Path(link.removeprefix("file://"))
        if directory.is_dir():
            wheels = sorted(
                directory.glob(
                    f"torch-*+cpu-cp{sys.version_info.major}{sys.version_info.minor}-*.whl"
                )
            )
            if wheels:
                return wheels[-1]
    return None


def pip_environment(project: Path) -> Path:
    """A venv for a pytorch project, installed with pip from the local CPU torch wheel.

    The project's uv.lock cannot be resolved here (the pytorch CPU index is unreachable), so
    this installs the project with the local wheel pinned and returns the venv's python.
    """
    wheel = local_torch_wheel()
    if wheel is None:
        raise RuntimeError("no local CPU torch wheel in pip's find-links")
    version = wheel.name.split("-")[1].split("+")[0]
    env_dir = project / ".venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    dev = ["pytest>=8.0", "httpx>=0.27"]
    result = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            f"torch=={version}",
            "-e",
            str(project),
            *dev,
        ],
        env=subprocess_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"pip install failed:\n{result.stdout}\n{result.stderr}")
    return python
