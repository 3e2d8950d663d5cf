"""TF502 no-version: package with no version."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.rules.f05_build_release_run._shared import pyproject_declares_version

_SETUP_VERSION = lazy_compile(r"\bversion\s*=")


_INIT_VERSION = lazy_compile(r"^__version__\s*(?::\s*\w+\s*)?=", re.MULTILINE)


class NoVersion(RepoRule):
    """## What it does
    Reports a Python package that declares no version: its `pyproject.toml` has a
    `[project]` (or `[tool.poetry]`) table with neither `version` nor `"version"` in
    `dynamic`, and no `setup.py`/`setup.cfg` sets one. Projects built only as images are
    not checked: their version is the image tag given at build time; nor is a `[project]`
    table with no `[build-system]` and no command (a service's tool settings, the
    environment list `uv init --no-package` writes): nothing builds it as a package.

    ## Why is this bad?
    A release is a build plus its config, identified by a version. Without one, two
    builds of different code are indistinguishable, models cannot record which code
    produced them, and rolling back means guessing a commit.

    ## Example
    ```toml
    [build-system]
    requires = ["hatchling"]
    build-backend = "hatchling.build"

    [project]
    name = "churn-model"
    dependencies = ["pandas>=2.2"]
    ```

    ## Use instead
    ```toml
    [project]
    name = "churn-model"
    version = "0.3.0"  # or dynamic = ["version"] with a VCS/file source
    ```
    """

    code = "TF502"
    depends_on = ("@manifests",)
    name = "no-version"
    factor = 5
    severity = Severity.WARNING
    roles = role.PRODUCT
    summary = "Package with no version"
    fix = 'Set `version = "0.1.0"` in [project], or `dynamic = ["version"]` with a version source (hatch-vcs, __version__).'
    requires = ("TF501",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        for entry in repo.named("pyproject.toml"):
            source = repo.source(entry.path)
            data = source.toml if source is not None else None
            if source is None or not isinstance(data, dict):
                continue
            project = data.get("project")
            tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
            poetry = tool.get("poetry") if isinstance(tool, dict) else None
            if isinstance(project, dict):
                if pyproject_declares_version(data):
                    continue
                if "build-system" not in data and not any(
                    project.get(table) for table in ("scripts", "gui-scripts", "entry-points")
                ):
                    continue  # no build system, no command: settings, not a package
                if self._setup_has_version(repo, posixpath.dirname(entry.path)):
                    continue
                line = next(
                    (n for n, text in enumerate(source.lines, 1) if text.strip() == "[project]"),
                    None,
                )
                name = project.get("name")
                yield Violation(
                    f"{entry.path}: package `{name}` declares no version (no `version`, not in `dynamic`)"
                    if name
                    else f"{entry.path}: [project] declares no version",
                    path=entry.path,
                    line=line,
                )
            elif isinstance(poetry, dict) and "version" not in poetry and "name" in poetry:
                yield Violation(
                    f"{entry.path}: [tool.poetry] package `{poetry['name']}` declares no version",
                    path=entry.path,
                )

    def _setup_has_version(self, repo: Repo, directory: str) -> bool:
        for name in ("setup.py", "setup.cfg"):
            source = repo.source(posixpath.join(directory, name) if directory else name)
            if source is not None and source.text and _SETUP_VERSION.search(source.text):
                return True
        return False
