"""Run a generated project's Dockerfile without a Docker engine, as closely as a test can.

The emulation reads the Dockerfile the template rendered (never a copy of its commands):

- build stage: the files it COPYs go into `<image>/app`, then its `uv sync` RUN lines run
  there with this machine's interpreter in place of the image's `/usr/local/bin/python`;
- runtime stage: only `/app/.venv` is kept (the sources are removed, as the image copies
  the environment alone), everything stays owned by root, the folders that the Dockerfile
  creates for the app user (`install -d -o app ...`) are given to an unprivileged user,
  and CMD runs as that user with the stage's ENV, `/app` mapped to `<image>/app`.

Running as root, the unprivileged user is `nobody` (through `setpriv`); otherwise the tree
is made read-only, which is what a root-owned tree is to a non-root user.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

NOBODY = 65534


@dataclass
class Stage:
    name: str
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    user: str = "root"
    copies: list[list[str]] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    healthcheck: str = ""


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    result: list[tuple[str, str]] = []
    current = ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if current and line.lstrip().startswith("#"):
            continue
        current += line.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        keyword, _, rest = current.strip().partition(" ")
        result.append((keyword.upper(), rest.strip()))
        current = ""
    return result


def _env_pairs(arguments: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in shlex.split(arguments))


def stages(dockerfile: Path) -> list[Stage]:
    found: list[Stage] = []
    for keyword, arguments in instructions(dockerfile.read_text(encoding="utf-8")):
        if keyword == "FROM":
            found.append(Stage(arguments.split(" AS ")[-1] if " AS " in arguments else ""))
            continue
        stage = found[-1]
        if keyword == "ENV":
            stage.env.update(_env_pairs(arguments))
        elif keyword == "WORKDIR":
            stage.workdir = arguments
        elif keyword == "USER":
            stage.user = arguments
        elif keyword == "COPY":
            stage.copies.append(shlex.split(arguments))
        elif keyword == "RUN":
            stage.runs.append(arguments)
        elif keyword == "CMD":
            stage.cmd = json.loads(arguments)
        elif keyword == "HEALTHCHECK":
            stage.healthcheck = arguments
    return found


def app_owned_dirs(stage: Stage) -> list[str]:
    """The folders a RUN line creates for the app user: `install -d -o app -g app DIR...`."""
    dirs: list[str] = []
    for run in stage.runs:
        for match in re.finditer(r"install -d -o (\S+) -g \S+ ((?:/\S+ ?)+)", run):
            if match.group(1) == stage.user:
                dirs += match.group(2).split()
    return dirs


def world_readable_python(version: str) -> str | None:
    """An interpreter of `version` that an unprivileged user can run (every parent o+x)."""
    candidates = [
        sys.executable,
        f"/usr/local/bin/python{version}",
        f"/usr/bin/python{version}",
    ]
    for candidate in candidates:
        path = Path(candidate).resolve()
        if not path.is_file():
            continue
        probe = subprocess.run(
            [str(path), "-c", "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.stdout.strip() != version:
            continue
        if all(p.stat().st_mode & stat.S_IXOTH for p in [path, *path.parents]):
            return str(path)
    return None


@dataclass
class Image:
    root: Path
    runtime: Stage
    python: str

    @property
    def app(self) -> Path:
        return self.root / "app"

    def host_path(self, image_path: str) -> Path:
        return self.root / image_path.lstrip("/")

    def environment(self) -> dict[str, str]:
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.root / "home"), "LANG": "C.UTF-8"}
        for key, value in self.runtime.env.items():
            expanded = value.replace("${PATH}", env["PATH"])
            env[key] = re.sub(r"(?<![\w.-])/app\b", str(self.app), expanded)
        return env


def build(project: Path, image_root: Path, env: dict[str, str]) -> Image:
    """Emulate `docker build`: the build stage's COPY and `uv sync` lines, then the runtime."""
    dockerfile = project / "Dockerfile"
    build_stage, runtime = stages(dockerfile)[0], stages(dockerfile)[-1]
    version = (project / ".python-version").read_text(encoding="utf-8").strip()
    python = world_readable_python(version) if os.geteuid() == 0 else sys.executable
    if python is None:
        raise LookupError(f"no Python {version} an unprivileged user can run")
    image = Image(image_root, runtime, python)
    image.app.mkdir(parents=True)
    for copy in build_stage.copies:
        if any(arg.startswith("--from") for arg in copy):
            continue
        *sources, _ = (arg for arg in copy if not arg.startswith("--"))
        for source in sources:
            src = project / source
            if src.is_dir():
                shutil.copytree(
                    src, image.app / source, ignore=shutil.ignore_patterns("__pycache__")
                )
            else:
                shutil.copy2(src, image.app / source)
    build_env = {**env, **build_stage.env}
    for key in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"):
        build_env.pop(key, None)
    for run in build_stage.runs:
        if not run.startswith("uv sync"):
            continue  # installing uv itself: the machine's uv stands in for it
        command = shlex.split(run.replace("/usr/local/bin/python", python))
        result = subprocess.run(
            command, cwd=image.app, env=build_env, capture_output=True, text=True, check=False
        )
        if result.returncode:
            raise RuntimeError(f"RUN {run}\n{result.stdout}\n{result.stderr}")
    # Runtime stage: only the environment is copied from the build stage.
    for child in image.app.iterdir():
        if child.name != ".venv":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    for directory in app_owned_dirs(runtime):
        image.host_path(directory).mkdir(parents=True, exist_ok=True)
    (image.root / "home").mkdir()
    return image


def run_cmd(image: Image, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the image's CMD as an unprivileged user in the root-owned tree."""
    owned = [image.host_path(d) for d in app_owned_dirs(image.runtime)]
    prefix: list[str] = []
    if os.geteuid() == 0:
        for path in [*owned, image.root / "home"]:
            os.chown(path, NOBODY, NOBODY)
        for path in [image.root, *image.root.parents]:
            path.chmod(path.stat().st_mode | stat.S_IXOTH)
        prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    else:
        for path in [image.root, *image.app.rglob("*"), image.app]:
            if path not in owned and not any(p in owned for p in path.parents):
                path.chmod(path.stat().st_mode & ~0o222)
    command = [*prefix, *image.runtime.cmd]
    workdir = image.host_path(image.runtime.workdir)
    env = image.environment()
    command[len(prefix)] = (
        shutil.which(command[len(prefix)], path=env["PATH"]) or command[len(prefix)]
    )
    return subprocess.run(
        command, cwd=workdir, env=env, capture_output=True, text=True, check=False, timeout=timeout
    )
