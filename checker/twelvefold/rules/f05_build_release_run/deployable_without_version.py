"""TF506 deployable-without-version: an application's image or service carries no version
anywhere."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.detectors.ci import ci_files
from twelvefold.detectors.compose import compose_services
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.rules.f05_build_release_run._shared import pyproject_declares_version

#: Files that hold a version by their name alone.
_VERSION_FILES = frozenset({"VERSION", "VERSION.txt", "version.txt", "_version.py", "version.py"})
#: A version declared in Python: `__version__ = "1.2.0"`, `version="1.2.0"` in setup.py.
_PYTHON_VERSION = lazy_compile(rb"^__version__\s*(?::\s*\w+\s*)?=|\bversion\s*=\s*['\"]\d", re.M)
#: CI that tags what it builds with something that identifies the code: the commit, the
#: git tag, a computed version (docker/metadata-action, semantic-release, git describe).
_CI_VERSION = lazy_compile(
    r"github\.sha|GITHUB_SHA|github\.ref_name|GITHUB_REF|CI_COMMIT_(?:SHA|SHORT_SHA|TAG|REF_NAME)"
    r"|BUILD_(?:BUILDNUMBER|SOURCEVERSION)|Build\.(?:BuildNumber|SourceVersion)|COMMIT_SHA|SHORT_SHA"
    r"|git\s+describe|git\s+rev-parse|docker/metadata-action|semantic-release|bump-?my-?version"
    r"|bump2?version|setuptools[-_]scm|hatch[-_]vcs|versioneer|outputs\.(?:version|tags)\b",
)
#: A Dockerfile that records a version: `LABEL org.opencontainers.image.version=...`,
#: `ARG VERSION`, `ENV APP_VERSION=1.2.0`.
_DOCKERFILE_VERSION = lazy_compile(
    r"^\s*(?:LABEL\s.*\bversion\b|(?:ARG|ENV)\s+\w*VERSION\b)", re.IGNORECASE | re.M
)
#: Files that deploy the application (beside a Dockerfile).
_DEPLOY_FILES = frozenset(
    {"Procfile", "app.yaml", "fly.toml", "serverless.yml", "serverless.yaml", "bentofile.yaml"}
)
_MAX_BYTES = 512 * 1024
#: A service's entry module, which holds its version wherever it sits (`main.py`,
#: `api_service.py`, `app_server.py`).
_ENTRY_MODULE = lazy_compile(r"(?:\w+_)?(?:main|app|api|server|service|serve)(?:_\w+)?\.py")
#: An image tagged from a version variable (a compose service's `ifr:${IFR_VERSION}`).
_VERSION_VARIABLE_TAG = lazy_compile(r":\$\{?\w*(?:VERSION|TAG)\w*")


class DeployableWithoutVersion(RepoRule):
    """## What it does
    Reports an application that is deployed (a Dockerfile, a `Procfile`, `app.yaml`,
    `fly.toml`, a `serverless.yml`) but carries no version anywhere: no package
    version (`pyproject.toml`, `setup.py`, `setup.cfg`), no `VERSION` file, no
    `__version__` in a package's `__init__.py` or a root module, no version recorded in the Dockerfile (`LABEL ...version`, `ARG
    VERSION`), and no CI that tags what it builds with the commit or a release tag
    (`${{ github.sha }}`, `$CI_COMMIT_TAG`, `docker/metadata-action`, `git describe`,
    setuptools-scm). A version in a service's entry module (`main.py`, `app.py`: a
    `__version__`, `FastAPI(version="1.0.0")`), a compose image tagged from a version
    variable (`image: api:${API_VERSION}`) and a BentoML project (`bentoml build` tags
    each bento) count too. Libraries, research code, courses and templates are not asked.
    Missing evidence, so `info`.

    ## Why is this bad?
    What runs in production cannot be named: `latest` today is not `latest` tomorrow, a
    model's metadata cannot say which code served it, and rolling back means guessing
    which image was the good one.

    ## Example
    A service built and pushed as `latest` by hand, with no version in the code:
    ```dockerfile
    # Dockerfile
    FROM python:3.12-slim
    COPY requirements.txt app.py ./
    RUN pip install -r requirements.txt
    CMD ["uvicorn", "app:app", "--host", "0.0.0.0"]
    ```
    ```python
    # app.py
    from fastapi import FastAPI

    app = FastAPI()
    ```

    ## Use instead
    Give the code a version (and tag each image with it, or with the commit, in CI):
    ```toml
    # pyproject.toml
    [project]
    name = "churn-api"
    version = "1.4.0"
    requires-python = ">=3.12"
    dependencies = ["fastapi>=0.115"]
    ```
    """

    code = "TF506"
    depends_on = ("@dockerfiles", "@manifests", "@ci", "VERSION", "*.py")
    name = "deployable-without-version"
    factor = 5
    severity = Severity.INFO
    preview = True
    repo_kinds = frozenset({project_kind.APPLICATION})
    summary = "Deployed application with no version anywhere (package, VERSION file, image tag)"
    fix = "Version the code (pyproject `version`, a VERSION file) and tag each image with it or with the commit in CI."

    def applies(self, repo: Repo) -> bool:
        """Only a deployed application is asked: without one the question is n/a."""
        return bool(repo.of_kind(kinds.DOCKERFILE)) or any(
            posixpath.basename(entry.path) in _DEPLOY_FILES for entry in repo.files
        )

    def check(self, repo: Repo) -> Iterator[Violation]:
        if any(posixpath.basename(entry.path) in _VERSION_FILES for entry in repo.files):
            return
        if _declares_a_version(repo):
            return
        for entry in repo.of_kind(kinds.DOCKERFILE):
            source = repo.source(entry.path)
            if source is not None and source.text and _DOCKERFILE_VERSION.search(source.text):
                return
        for path, _provider in ci_files(repo):
            source = repo.source(path)
            if source is not None and source.text and _CI_VERSION.search(source.text):
                return
        if repo.named("bentofile.yaml", "bentofile.yml"):
            return  # `bentoml build` tags every bento, and the image built from it, itself
        for _path, service in compose_services(repo):
            image = service.get("image")
            if isinstance(image, str) and _VERSION_VARIABLE_TAG.search(image):
                return  # images tagged with a version the deploy sets
        dockerfiles = repo.of_kind(kinds.DOCKERFILE)
        where = dockerfiles[0].path if dockerfiles else None
        yield Violation(
            "the application is deployed but carries no version: no package version, no "
            "VERSION file, no version in the image, no CI tag from the commit or a release",
            path=where,
        )


def _declares_a_version(repo: Repo) -> bool:
    """A package version in pyproject.toml (static or dynamic), setup.py/setup.cfg, or a
    `__version__` in the project's Python code."""
    for entry in repo.named("pyproject.toml"):
        source = repo.source(entry.path)
        data = source.toml if source is not None else None
        if isinstance(data, dict) and pyproject_declares_version(data):
            return True
    for entry in repo.named("setup.py", "setup.cfg"):
        source = repo.source(entry.path)
        if source is not None and re.search(rb"\bversion\s*=", source.data):
            return True
    # Where a version conventionally lives: a package's `__init__.py` / `__about__.py`,
    # a module at the root, or a service's entry module wherever it sits
    # (InsightFace-REST's `if_rest/api/main.py`: `__version__ = os.getenv(..., "0.9.5.0")`,
    # `FastAPI(version="1.0.0")`); not every module of the tree.
    return any(
        entry.size <= _MAX_BYTES
        and not kinds.is_test_path(entry.path)
        and (
            "/" not in entry.path
            or posixpath.basename(entry.path) in ("__init__.py", "__about__.py")
            or _ENTRY_MODULE.fullmatch(posixpath.basename(entry.path)) is not None
        )
        and (source := repo.source(entry.path)) is not None
        and b"version" in source.data
        and _PYTHON_VERSION.search(source.data) is not None
        for entry in repo.of_kind(kinds.PYTHON)
    )
