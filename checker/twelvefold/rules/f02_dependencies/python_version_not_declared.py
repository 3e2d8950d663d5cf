"""TF204 python-version-not-declared: Python version not declared (requires-python,
.python-version)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Any

from twelvefold import kinds
from twelvefold.detectors.code_images import images_in_code
from twelvefold.detectors.scaffold import only_examples
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.rules.f02_dependencies._shared import (
    _conda_environments,
)


class PythonVersionNotDeclared(RepoRule):
    """## What it does
    Reports a Python project that does not say which Python it runs on: no
    `requires-python` in `pyproject.toml`, no `.python-version`, no `python_requires`
    in `setup.cfg`/`setup.py`, no `python` in a conda environment (`environment.yml` or
    any file shaped like one, see TF201), no `runtime.txt`, no `python` in Poetry's dependencies or a Pipfile. Outside a library,
    the version fixed where the code is built or deployed counts too: `build.python_version`
    in a `cog.yaml`, a Dockerfile `FROM python:3.11-slim` (not `python:latest`) or a
    Dockerfile or an install script installing one conda Python (`conda install
    python=3.6`, `conda create --name app python=3.11`) or on a release
    of an ML framework's image (`FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime`,
    IBM's model-serving base `quay.io/codait/max-base:v1.5.2`), an app
    config's `runtime: python311`, a deploy command's `--runtime=python37`, an image
    built in code at a Python version (Modal's `Image.debian_slim(python_version="3.11")`,
    `add_python="3.10"`). In a
    research repository (a paper's release run by hand) only an environment file that
    describes the whole environment is asked for its Python: a conda environment or a
    `Pipfile`, not `requirements.txt` or `setup.py`.
    Not reported while the repository has no Python of its own: empty modules and
    examples only (an exercise's skeleton).

    ## Why is this bad?
    Python itself is a dependency. Pickled models, wheels and syntax differ between
    versions: a model trained on 3.12 and served on 3.9 fails at load time or, worse,
    behaves differently.

    ## Example
    A `pyproject.toml` with `[project]` but no `requires-python`:
    ```toml
    # pyproject.toml
    [project]
    name = "churn-model"
    version = "0.1.0"
    dependencies = ["pandas>=2.2", "scikit-learn>=1.5"]
    ```
    ```python
    # src/churn/train.py
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    ```

    ## Use instead
    ```toml
    # pyproject.toml
    [project]
    name = "churn-model"
    version = "0.1.0"
    requires-python = ">=3.11"
    dependencies = ["pandas>=2.2", "scikit-learn>=1.5"]
    ```
    and a `.python-version` file (`uv python pin 3.12`) for the exact interpreter.
    """

    code = "TF204"
    depends_on = (
        "@manifests",
        ".python-version",
        "runtime.txt",
        ".tool-versions",
        "@dockerfiles",
        "@ci",
        ".devcontainer.json",
        ".devcontainer/",
    )
    name = "python-version-not-declared"
    factor = 2
    severity = Severity.WARNING
    repo_kinds = frozenset(
        {
            project_kind.APPLICATION,
            project_kind.LIBRARY,
            project_kind.RESEARCH,
        }
    )
    summary = "Python version not declared (requires-python, .python-version)"
    fix = "Add `requires-python` to pyproject.toml and a .python-version file."
    requires = ("TF201",)

    def applies(self, repo: Repo) -> bool:
        # An exercise's skeleton, no code of its own yet, runs nowhere (`only_examples`).
        return repo.has_python and not only_examples(repo)

    def check(self, repo: Repo) -> Iterator[Violation]:
        if repo.named(".python-version", "runtime.txt", ".tool-versions"):
            return
        for entry in repo.named("pyproject.toml"):
            source = repo.source(entry.path)
            data = source.toml if source is not None else None
            if not isinstance(data, dict):
                continue
            project = data.get("project")
            if isinstance(project, dict) and project.get("requires-python"):
                return
            if "python" in {k.lower() for k in poetry_dependencies_with_python(data)}:
                return
        # Conda environments under any name (`conda_dependencies.yml`) pin `python=3.7.*`.
        paths = [e.path for e in repo.named("setup.cfg", "setup.py", "Pipfile")]
        for path in [*paths, *repo.derived(_conda_environments)]:
            source = repo.source(path)
            if source is None or source.text is None:
                continue
            if re.search(
                r"python_requires|python_version|^\s*-\s*python\s*[=<>]", source.text, re.MULTILINE
            ):
                return
        if repo.model.kind != project_kind.LIBRARY and _python_fixed_where_it_runs(repo):
            return
        if repo.derived(images_in_code)[1]:
            return  # `modal.Image.debian_slim(python_version="3.11")`: fixed where it runs
        whole_environment = bool(repo.named("Pipfile")) or bool(repo.derived(_conda_environments))
        if repo.model.kind == project_kind.RESEARCH and not whole_environment:
            # A paper's release (requirements.txt, setup.py) runs in its authors'
            # environment; a Pipfile or conda environment describes the whole
            # environment to rebuild, and Python is the part it leaves out.
            return
        manifest = next(iter(repo.named("pyproject.toml")), None)
        yield Violation(
            "no Python version is declared (no requires-python, .python-version or equivalent)",
            path=manifest.path if manifest is not None else None,
        )


#: Roles whose build and deploy files say nothing of where the product runs.
_NOT_THE_PRODUCT = frozenset({role.TEST, role.DOCS, role.EXAMPLE, role.BENCHMARK})


#: A Python base image tag naming a minor version: `3.11`, `3.11.9`, `3.12-slim-bookworm`.
_PYTHON_TAG = lazy_compile(r"[23]\.\d+(?:\.\d+)?(?:[-_.a-z].*)?")


#: `runtime: python311` (App Engine), `Runtime: python3.11` (AWS SAM, Serverless).
_RUNTIME_KEY = lazy_compile(r"^\s*-?\s*runtime\s*:\s*[\"']?python3\.?\d+\b", re.IGNORECASE | re.M)


#: `gcloud functions deploy ... --runtime=python37` (also `--runtime python311` and the
#: argument-list form `'--runtime', 'python311'` of Cloud Build).
_RUNTIME_FLAG = lazy_compile(r"--runtime(?:=|\s+|[\"']\s*,\s*[\"'])python3\.?\d+\b")


#: A dev container's definition: `.devcontainer.json`, `.devcontainer/devcontainer.json`,
#: `.devcontainer/<name>/devcontainer.json`.
_DEVCONTAINER_FILE = lazy_compile(
    r"\.devcontainer\.json|\.devcontainer/(?:[^/]+/)?\.?devcontainer\.json"
)


#: A string, a `//` comment or a `/* */` comment of JSON with comments (a string first,
#: so `"https://..."` is never read as the start of a comment).
_JSONC_TOKEN = lazy_compile(r'("(?:\\.|[^"\\\n])*")|//[^\n]*|/\*.*?\*/', re.DOTALL)


_TRAILING_COMMA = lazy_compile(r",(\s*[}\]])")


#: A Python image tag naming a minor version, with the dev container images' optional
#: major prefix: `3.10`, `3.11-bookworm`, `1-3.12`, `0-3.10-bullseye`.
_DEVCONTAINER_PYTHON_TAG = lazy_compile(r"(?:\d+-)?[23]\.\d+(?:\.\d+)?(?:[-_.a-z].*)?")


def _load_jsonc(text: str) -> Any:
    """A JSON-with-comments document (dev container files allow `//` and `/* */`
    comments and trailing commas), or None when it does not parse."""
    import json

    bare = _JSONC_TOKEN.sub(lambda m: m.group(1) or "", text)
    bare = _TRAILING_COMMA.sub(r"\1", bare)
    try:
        return json.loads(bare)
    except ValueError:
        return None


def _devcontainer_python(text: str) -> bool:
    """Whether a dev container fixes a Python minor version: `"image":
    "mcr.microsoft.com/devcontainers/python:3.10"`, or the Python feature with a version
    (`"ghcr.io/devcontainers/features/python:1": {"version": "3.11"}`)."""
    from twelvefold.detectors import dockerfile

    data = _load_jsonc(text)
    if not isinstance(data, dict):
        return False
    image = data.get("image")
    if isinstance(image, str):
        repository, tag, _ = dockerfile.split_image(image.strip())
        if repository.rsplit("/", 1)[-1] == "python" and _DEVCONTAINER_PYTHON_TAG.fullmatch(
            tag or ""
        ):
            return True
    features = data.get("features")
    if isinstance(features, dict):
        for feature, options in features.items():
            repository, _, _ = dockerfile.split_image(str(feature))
            version = options.get("version") if isinstance(options, dict) else None
            if repository.rsplit("/", 1)[-1] == "python" and _PYTHON_TAG.fullmatch(
                str(version or "")
            ):
                return True
    return False


#: An image tag naming a distribution release (`...-ubuntu18.04`, `22.04`, `bookworm`).
_DISTRO_TAG = lazy_compile(
    r"(?:^|[-_.])(?:ubuntu|debian)?[-_]?(?:\d\d\.(?:04|10)|bullseye|bookworm|buster|trixie|jammy|focal|noble|bionic)$"
)
#: A base image tag that names its Python (`python3.11`, `py311`, `py3.10`).
_PYTHON_IN_TAG = lazy_compile(r"(?:^|[-_.])(?:python|py)-?3\.?\d{1,2}(?:$|[-_.])")
#: A conda install or environment of one Python: `conda install python=3.6`,
#: `conda create -n app python=3.10 -y`, `mamba install "python==3.11"`.
_CONDA_PYTHON = lazy_compile(
    r"\b(?:conda|mamba|micromamba)\s+(?:install|create)\b[^\n]*?[\s\"']python\s*=?=\s*"
    r"(?:\d+\.\d+|\$\{?(?P<variable>\w+)\}?)"
)


def _conda_python(text: str) -> bool:
    """A conda Python at a version in a Dockerfile's, a shell script's or a Makefile's
    text: `python=3.10`, or `python=${PYTHON_VERSION}` with `ENV`/`ARG
    PYTHON_VERSION=3.9` (bloom-inference)."""
    for match in _CONDA_PYTHON.finditer(text):
        variable = match.group("variable")
        if variable is None:
            return True
        if re.search(rf"(?<![\w$]){re.escape(variable)}=[\"']?\d+\.\d+", text):
            return True
    return False


#: Images of an ML framework's releases, each built on one Python (`tensorflow/tfx:1.9.1`,
#: `pytorch/pytorch:1.8.0-cuda11.1-cudnn8-devel`, NVIDIA's `pytorch:24.01-py3`, IBM's
#: model-serving base `quay.io/codait/max-base:v1.5.2`, whose Dockerfile installs
#: `python==3.7.11` with conda).
_FRAMEWORK_IMAGES = frozenset(
    {
        "tensorflow/tensorflow",
        "tensorflow/tfx",
        "pytorch/pytorch",
        "nvcr.io/nvidia/pytorch",
        "nvcr.io/nvidia/tensorflow",
        # DeepStream's releases: one Ubuntu each, with its python3 (6.0.1: Python 3.6,
        # the cp36 bindings wheel hiennguyen9874/deepstream-face-recognition installs)
        "nvcr.io/nvidia/deepstream",
        "quay.io/codait/max-base",
        "codait/max-base",
    }
)
#: A script that sets the environment up (`install.sh`, `setup_env.sh`, `bootstrap.sh`),
#: not one that runs something in it (a reproduction's `run_experiments.sh`).
_INSTALL_SCRIPT = lazy_compile(
    r"(?:install|setup|bootstrap|create[-_]?env|env(?:ironment)?[-_]?setup)[\w.-]*\.(?:sh|bash)"
)
#: A release's tag (`1.9.1`, `v1.5.2`, `2.1.0-cuda12.1-cudnn8-runtime`, `24.01-py3`), not
#: `latest`.
_RELEASE_TAG = lazy_compile(r"v?\d+\.\d+")
_APT_PYTHON = lazy_compile(r"\bapt(?:-get)?\s+(?:-\S+\s+)*install\b[^\n]*\bpython3(?:\.\d+)?\b")


def _python_fixed_where_it_runs(repo: Repo) -> bool:
    """Whether the Python version is fixed where an application is built or deployed:
    `build.python_version` in a `cog.yaml`, a Dockerfile `FROM python:3.11-slim` (not
    `python:latest` or `python`) or on a distribution release that installs its
    `python3` with apt (`FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04`), or on a release of
    an ML framework's image (`FROM tensorflow/tfx:1.9.1`), or a conda Python
    at a version in its `RUN` steps (`conda install python=3.6`) or in the install
    script (`install.sh`, `setup_env.sh`) or Makefile that creates the environment
    (`conda create --name app python=3.11`), an app config's
    `runtime: python311`, or a deploy
    command's `--runtime=python37`; or where it is developed: a dev container on a
    Python image with a version (`"image": "mcr.microsoft.com/devcontainers/python:3.10"`
    in `.devcontainer.json` or `.devcontainer/devcontainer.json`, comments allowed) or
    with the Python feature at a version. Files of tests, docs, examples and benchmarks
    do not count: they do not say where the product runs."""
    from twelvefold.detectors import dockerfile

    for entry in repo.files:
        if repo.model.role(entry.path) in _NOT_THE_PRODUCT:
            continue
        name = posixpath.basename(entry.path)
        if _DEVCONTAINER_FILE.fullmatch(entry.path):
            source = repo.source(entry.path)
            if source is not None and source.text is not None and _devcontainer_python(source.text):
                return True
            continue
        if entry.kind == kinds.DOCKERFILE:
            source = repo.source(entry.path)
            if source is None or source.text is None:
                continue
            parsed = dockerfile.parse(source.text)
            variables = parsed.global_args
            for stage in parsed.stages:
                image = dockerfile.expand(stage.base, variables)
                repository, tag, _ = dockerfile.split_image(image or "")
                if repository.rsplit("/", 1)[-1] == "python" and _PYTHON_TAG.fullmatch(tag or ""):
                    return True
                if _PYTHON_IN_TAG.search(tag or ""):
                    return True  # `tiangolo/uvicorn-gunicorn-fastapi:python3.7`
                if repository in _FRAMEWORK_IMAGES and _RELEASE_TAG.match(tag or ""):
                    return True  # `tensorflow/tfx:1.9.1`: the framework's release fixes it
                if _DISTRO_TAG.search(tag or "") and _APT_PYTHON.search(source.text):
                    # `FROM nvidia/cuda:10.2-cudnn7-devel-ubuntu18.04` + `apt-get install
                    # python3`: the distribution release fixes its Python.
                    return True
            if _conda_python(source.text):
                return True  # `conda install python=3.6` or `conda create -n x python=3.10`
            continue
        if entry.kind not in (kinds.YAML, kinds.SHELL, kinds.MAKEFILE, kinds.NOTEBOOK):
            continue
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        if (
            entry.kind == kinds.MAKEFILE or _INSTALL_SCRIPT.fullmatch(name.lower())
        ) and _conda_python(source.text):
            return True  # `scripts/install.sh`: `conda create --name app python=3.11 -y`
        if name in ("cog.yaml", "cog.yml"):
            data = source.yaml
            build = data.get("build") if isinstance(data, dict) else None
            if isinstance(build, dict) and str(build.get("python_version") or "").strip():
                return True
        # Lower-casing a notebook of outputs costs more than the search: the flag's
        # spelling is exact, only the YAML key's case varies.
        if "--runtime" in source.text and _RUNTIME_FLAG.search(source.text):
            return True
        if (
            entry.kind == kinds.YAML
            and "runtime" in source.text.lower()
            and _RUNTIME_KEY.search(source.text)
        ):
            return True
    return False


def poetry_dependencies_with_python(data: dict[str, Any]) -> dict[str, Any]:
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    deps = poetry.get("dependencies") if isinstance(poetry, dict) else None
    return deps if isinstance(deps, dict) else {}
