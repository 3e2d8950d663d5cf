"""Factor 8 - Dev/prod parity and continuous integration.

CI configuration is read as data (YAML through the shared safe loader, a Jenkinsfile as
text); the commands it runs are followed through the repository's Makefile, tox and nox
configuration and scripts, read as text. What cannot be followed (a script that is not in
the repository, a container that runs the tests) makes the rules stay silent.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.detectors.ci import (
    PIP_INSTALL,
    UV_SYNC_OR_RUN,
    TestRunSearch,
    ci_files,
    ci_inline_lint,
    cloud_build_files,
    command_line,
    command_words,
    has_test_files,
    load_all_ci,
    shell_lines,
)
from twelvefold.manifests import LOCK_FILES, parse_requirements
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule


class NoContinuousIntegration(RepoRule):
    """## What it does
    Reports a Python repository with no CI configuration: no GitHub Actions workflow
    (`.github/workflows/*.yml`), `.gitlab-ci.yml`, `.circleci/config.yml`, `Jenkinsfile`,
    `azure-pipelines.yml`, `bitbucket-pipelines.yml`, `.travis.yml`, `.buildkite/`,
    Drone, Woodpecker, AppVeyor, Cloud Build, CodeBuild, Gitea or Forgejo workflows.
    A Cloud Build configuration counts under any name (`build/pipeline-deployment.yaml`):
    a YAML file whose top-level `steps` are builder images (`gcr.io/cloud-builders/...`)
    or images run with `args` or an `entrypoint`.
    A `tox.ini`, `noxfile.py` or `Makefile` alone is not CI: something has to run it on
    every change.

    ## Why is this bad?
    Without CI the checks run only when someone remembers to run them, on their own
    machine, with their own environment. Broken tests, stale locks and lint errors reach
    the main branch, and "works on my machine" is the only evidence a model pipeline runs.

    ## Example
    A package with tests and a `tox.ini`, but no `.github/workflows/`:
    ```toml
    # pyproject.toml
    [project]
    name = "churn-model"
    version = "0.1.0"
    requires-python = ">=3.11"
    dependencies = ["pandas>=2.2", "scikit-learn>=1.5"]
    ```
    ```python
    # src/churn/features.py
    import pandas as pd


    def tenure_years(df: pd.DataFrame) -> pd.Series:
        return df["tenure_months"] / 12
    ```
    ```python
    # tests/test_features.py
    import pandas as pd

    from churn.features import tenure_years


    def test_tenure_years():
        assert tenure_years(pd.DataFrame({"tenure_months": [24]})).tolist() == [2.0]
    ```
    ```ini
    # tox.ini
    [tox]
    env_list = py312

    [testenv]
    deps = pytest
    commands = pytest
    ```

    ## Use instead
    ```yaml
    # .github/workflows/ci.yml
    on: [push, pull_request]
    jobs:
      test:
        runs-on: ubuntu-24.04
        steps:
          - uses: actions/checkout@v4
          - uses: astral-sh/setup-uv@v6
          - run: uv sync --locked
          - run: uv run --locked pytest
    ```
    """

    code = "TF801"
    depends_on = ("@ci",)
    name = "no-continuous-integration"
    factor = 8
    severity = Severity.WARNING
    repo_kinds = frozenset({project_kind.APPLICATION, project_kind.LIBRARY, project_kind.TEMPLATE})
    summary = "No CI configuration"
    fix = "Add a CI workflow (e.g. .github/workflows/ci.yml) that installs the locked environment and runs the tests."

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        if ci_files(repo) or cloud_build_files(repo):
            return
        local = [name for name in ("tox.ini", "noxfile.py", "Makefile") if repo.has(name)]
        if len(local) == 1:
            also = f" ({local[0]} exists but nothing runs it on every change)"
        elif local:
            names = f"{', '.join(local[:-1])} and {local[-1]}"
            also = f" ({names} exist but nothing runs them on every change)"
        else:
            also = ""
        yield Violation(f"no CI configuration found{also}")


class CiNeverRunsTests(RepoRule):
    """## What it does
    Reports CI configuration that never runs the test suite although the repository has
    tests. A job runs the tests when one of its commands calls `pytest` (`uv run pytest`,
    `python -m pytest`, `coverage run`), `python -m unittest`, nose2, or a task whose
    name says test (`make test`, `tox -e py312`, `nox -s tests`, `hatch run test`,
    `just test`, `poe test`). `make`, `tox`, `nox`, repository scripts
    (`bash ci/run.sh`) and `docker build` are followed into the Makefile, tox/nox
    configuration, script text and the `RUN` steps of the repository's Dockerfile.
    When the CI hands work to something that cannot be followed (a script
    outside the repository, a Docker container, a Makefile target that does not exist),
    the rule stays silent.

    ## Why is this bad?
    CI that lints and builds but never tests gives a green tick to broken code: the tests
    rot locally, and the regression they would have caught reaches production.

    ## Example
    The repository has tests; its workflow only lints:
    ```python
    # tests/test_features.py
    import pandas as pd

    from churn.features import tenure_years


    def test_tenure_years():
        assert tenure_years(pd.DataFrame({"tenure_months": [24]})).tolist() == [2.0]
    ```
    ```yaml
    # .github/workflows/ci.yml
    on: [push, pull_request]
    jobs:
      lint:
        runs-on: ubuntu-24.04
        steps:
          - uses: actions/checkout@v4
          - run: pip install ruff
          - run: ruff check .
    ```

    ## Use instead
    ```yaml
    # .github/workflows/ci.yml
    on: [push, pull_request]
    jobs:
      test:
        runs-on: ubuntu-24.04
        steps:
          - uses: actions/checkout@v4
          - uses: astral-sh/setup-uv@v6
          - run: uv sync --locked
          - run: uv run --locked ruff check .
          - run: uv run --locked pytest
    ```
    """

    code = "TF802"
    depends_on = ("@ci", "@tests", "@manifests", "Makefile", "tox.ini", "noxfile.py")
    name = "ci-never-runs-tests"
    factor = 8
    severity = Severity.WARNING
    summary = "CI configuration that never runs the tests"
    fix = "Add a CI step that runs the test suite (e.g. `uv run --locked pytest`)."
    requires = ("TF801",)

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        if not has_test_files(repo):
            return  # no tests to run: the missing tests are the finding (TF1001)
        configs = load_all_ci(repo)
        if not configs:
            return  # unreadable CI files: a diagnostic says so
        search = TestRunSearch(repo)
        for config in configs:
            if search.runs_tests(list(shell_lines(config.commands))):
                return
            if any("pytest" in key or "tox" in key for key in config.keys):
                return
        if search.unresolved:
            return  # the tests may run where we cannot see
        main = configs[0]
        yield Violation(
            f"{main.provider} configuration `{main.path}` never runs the tests",
            path=main.path,
        )


def _lock_files(repo: Repo) -> list[str]:
    return sorted(
        entry.path for entry in repo.files if posixpath.basename(entry.path) in LOCK_FILES
    )


def _requirements_pinned(repo: Repo, path: str) -> bool | None:
    """True: every line pinned (or hashed); False: some line is not; None: unreadable."""
    source = repo.source(path)
    if source is None or source.text is None:
        return None
    requirements, includes, hashed = parse_requirements(source.text)
    if hashed:
        return True
    if not requirements:
        return None if includes else True
    return all(r.pinned for r in requirements)


class CiInstallsWithoutLock(RepoRule):
    """## What it does
    Reports CI steps that install the project's dependencies around the lock file the
    repository commits: `pip install .`, `pip install -e ".[dev]"` or
    `uv pip install -r pyproject.toml` while a `uv.lock`, `poetry.lock`, `pdm.lock` (or
    another lock) sits in the repository, and `pip install -r requirements.in` or an
    unpinned `requirements*.txt` when a lock exists.

    Not reported: installing tools (`pip install uv tox pre-commit`), installing with
    `-c constraints.txt`, fully pinned or hashed requirements files (pip-compile output),
    and unpinned requirements in a repository with no lock at all (the unpinned file is
    the root cause, reported by TF202).

    ## Why is this bad?
    CI then tests against whatever versions resolve that day, not the ones developers and
    production use: a green build says nothing about the locked environment, and a
    breaking release of a transitive dependency shows up as a mysterious CI failure, or
    not at all until production.

    ## Example
    The repository commits `uv.lock`, and CI installs around it:
    ```toml
    # uv.lock
    version = 1
    requires-python = ">=3.11"
    # ... every package of the environment at one version, written by `uv lock`
    ```
    ```yaml
    # .github/workflows/ci.yml
    on: [push, pull_request]
    jobs:
      test:
        runs-on: ubuntu-24.04
        steps:
          - uses: actions/checkout@v4
          - uses: actions/setup-python@v5
            with:
              python-version: "3.12"
          - run: pip install -e ".[dev]"
          - run: pytest
    ```

    ## Use instead
    ```yaml
    # .github/workflows/ci.yml
    on: [push, pull_request]
    jobs:
      test:
        runs-on: ubuntu-24.04
        steps:
          - uses: actions/checkout@v4
          - uses: astral-sh/setup-uv@v6
          - run: uv sync --locked
          - run: uv run --locked pytest
    ```
    (`poetry install`, `pdm install --frozen-lockfile`, or
    `pip install -r requirements.lock` for other tools.)
    """

    code = "TF803"
    depends_on = ("@ci", "@locks", "@manifests")
    name = "ci-installs-without-lock"
    factor = 8
    severity = Severity.WARNING
    summary = "CI installs dependencies without the committed lock file"
    fix = "Install the locked environment in CI (`uv sync --locked`, `poetry install`, `pip install -r <compiled lock>`)."
    requires = ("TF801",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        locks = _lock_files(repo)
        if not locks:
            return
        lock = locks[0]
        for config in load_all_ci(repo):
            for line in shell_lines(config.commands):
                for match in PIP_INSTALL.finditer(line):
                    problem = self._problem(repo, match.group(2))
                    if problem is None:
                        continue
                    command = match.group(0).strip()
                    yield Violation(
                        f"`{command[:80]}` {problem} while `{lock}` pins the environment",
                        path=config.path,
                        line=command_line(config, command) or command_line(config, line),
                    )

    def _problem(self, repo: Repo, arguments: str) -> str | None:
        words = command_words(arguments)
        if any(
            w in ("-c", "--constraint", "--require-hashes") or w.startswith(("-c", "--constraint="))
            for w in words
        ):
            return None
        index = 0
        while index < len(words):
            word = words[index]
            value = words[index + 1] if index + 1 < len(words) else ""
            if word in ("-r", "--requirement") or word.startswith(("-r", "--requirement=")):
                target = (
                    value
                    if word in ("-r", "--requirement")
                    else word.split("=", 1)[-1].removeprefix("-r")
                )
                index += 2 if word in ("-r", "--requirement") else 1
                if target.endswith(("pyproject.toml", "setup.py", "setup.cfg")):
                    return f"installs the ranges of {target}"
                if target.endswith(".in"):
                    return f"installs the unpinned input {target}"
                path = posixpath.normpath(target)
                if repo.has(path) and _requirements_pinned(repo, path) is False:
                    return f"installs {target}, which does not pin every requirement,"
                continue
            if word in ("-e", "--editable"):
                index += 1
                continue
            if re.fullmatch(
                r"\.{1,2}(?:/[\w.\-]*)*(?:\[[\w,\- ]+\])?|\.?/?[\w\-]*\[[\w,\- ]+\]", word
            ) and (word.startswith(".") or "[" in word):
                return "installs the project from its version ranges"
            index += 1
        return None


class CiLockNotEnforced(RepoRule):
    """## What it does
    Reports CI configuration that installs with `uv sync` or `uv run` but never with
    `--locked` or `--frozen` (and does not set `UV_LOCKED`/`UV_FROZEN`), in a repository
    that commits `uv.lock`.

    ## Why is this bad?
    Without `--locked`, uv quietly re-resolves when `uv.lock` no longer matches
    `pyproject.toml`: CI passes with versions nobody committed, and the stale lock is
    only noticed when production installs from it.

    ## Example
    ```toml
    # uv.lock
    version = 1
    requires-python = ">=3.11"
    # ... every package of the environment at one version, written by `uv lock`
    ```
    ```yaml
    # .github/workflows/ci.yml
    on: [push, pull_request]
    jobs:
      test:
        runs-on: ubuntu-24.04
        steps:
          - uses: actions/checkout@v4
          - uses: astral-sh/setup-uv@v6
          - run: uv sync
          - run: uv run pytest
    ```

    ## Use instead
    ```yaml
    # .github/workflows/ci.yml
    on: [push, pull_request]
    jobs:
      test:
        runs-on: ubuntu-24.04
        steps:
          - uses: actions/checkout@v4
          - uses: astral-sh/setup-uv@v6
          - run: uv sync --locked
          - run: uv run --locked pytest
    ```
    """

    code = "TF804"
    depends_on = ("@ci", "@locks")
    name = "ci-lock-not-enforced"
    factor = 8
    severity = Severity.INFO
    summary = "CI runs `uv sync`/`uv run` without --locked"
    fix = "Use `uv sync --locked` and `uv run --locked` in CI (or set UV_LOCKED=1), so a stale uv.lock fails the build."
    requires = ("TF801", "TF803")

    def check(self, repo: Repo) -> Iterator[Violation]:
        if not any(posixpath.basename(entry.path) == "uv.lock" for entry in repo.files):
            return
        for config in load_all_ci(repo):
            if {"UV_LOCKED", "UV_FROZEN"} & config.keys:
                continue
            lines = list(shell_lines(config.commands))
            if any(re.search(r"\bUV_(?:LOCKED|FROZEN)=", line) for line in lines):
                continue
            unlocked: str | None = None
            for line in lines:
                for match in UV_SYNC_OR_RUN.finditer(line):
                    if re.search(r"--(?:locked|frozen)\b", match.group(2)):
                        unlocked = None
                        break
                    if unlocked is None and match.group(1) == "sync":
                        unlocked = match.group(0).strip()
                else:
                    continue
                break
            else:
                if unlocked is not None:
                    yield Violation(
                        f"`{unlocked}` in `{config.path}` may re-resolve instead of installing uv.lock",
                        path=config.path,
                        line=command_line(config, unlocked),
                    )


_HOOK_MANAGERS = (
    ".pre-commit-config.yaml",
    ".pre-commit-config.yml",
    "lefthook.yml",
    "lefthook.yaml",
    ".lefthook.yml",
    ".lefthook.yaml",
    "lefthook.toml",
    ".overcommit.yml",
)
_HOOK_DIRS = (".husky/", ".githooks/", ".git-hooks/", "githooks/")


class NoPreCommitHooks(RepoRule):
    """## What it does
    Reports a Python repository whose CI gates on lint or format checks that nothing runs
    before a commit: a CI configuration itself runs a linter or formatter check (`ruff`,
    `flake8`, `pylint`, `mypy`, `black --check`, `isort --check-only`, `pre-commit run`,
    a lint action such as `astral-sh/ruff-action` or `psf/black`), and there is no
    `.pre-commit-config.yaml` (pre-commit, prek), no lefthook or overcommit
    configuration and no `.husky/` or versioned `.githooks/` folder.

    Not reported, as there is no local/CI difference to close: a repository with no CI,
    or whose CI runs only the tests (pytest runs the same locally); CI that lints through
    a task of the repository (`make lint`, `make check`, `tox -e lint`, `nox -s lint`, a
    script), which developers run the same way; CI that formats and commits the fixes
    itself (`ultralytics/actions`) or only rewrites (`black .`). Missing evidence, so
    `info`: some teams run the same checks another way.

    ## Why is this bad?
    When the checks CI runs (lint, format, lock check, notebook output stripping) are not
    also run before each commit, developers find out minutes later from a red build, or
    commit notebook outputs and secrets that then live in history.

    ## Example
    A workflow that runs `flake8` and `pytest` on every pull request, and no hook
    configuration in the repository:
    ```yaml
    # .github/workflows/ci.yml
    on: [pull_request]
    jobs:
      test:
        runs-on: ubuntu-24.04
        steps:
          - uses: actions/checkout@v4
          - uses: actions/setup-python@v5
            with:
              python-version: "3.12"
          - run: pip install -r requirements-dev.txt
          - run: flake8 src tests
          - run: pytest
    ```
    ```python
    # src/churn/train.py
    import pandas as pd
    ```

    ## Use instead
    ```yaml
    # .pre-commit-config.yaml
    repos:
      - repo: local
        hooks:
          - id: ruff
            name: ruff check
            entry: uv run --locked ruff check --fix
            language: system
            types_or: [python, pyi]
    ```
    then `pre-commit install`.
    """

    code = "TF805"
    depends_on = (*_HOOK_MANAGERS, "@ci")
    name = "no-pre-commit-hooks"
    factor = 8
    severity = Severity.INFO
    repo_kinds = frozenset({project_kind.APPLICATION, project_kind.LIBRARY})
    summary = "CI lint checks that no pre-commit (or equivalent) hook runs locally"
    fix = "Add a .pre-commit-config.yaml running the same checks as CI (ruff, lock check, nbstripout) and run `pre-commit install`."

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        if repo.named(*_HOOK_MANAGERS):
            return
        if any(entry.path.startswith(_HOOK_DIRS) for entry in repo.files):
            return
        gate = ci_inline_lint(repo)
        if gate is None:
            # No CI lint, or CI lints through a repository task (`make lint`) that
            # developers run the same way locally: no local/CI difference to close.
            return
        yield Violation(
            f"CI runs lint or format checks ({gate}) but no pre-commit configuration "
            "(.pre-commit-config.yaml, lefthook, husky) runs them before a commit"
        )


class NoReproducibleEnvironment(RepoRule):
    """## What it does
    Reports a Python project with no description of a reproducible environment: no
    Dockerfile/Containerfile, no dev container (`.devcontainer/`), no Nix or devbox
    description, and no lock file (`uv.lock`, `poetry.lock`, `pdm.lock`, `Pipfile.lock`,
    `conda-lock.yml`, `pixi.lock`, `pylock.toml`, a hashed or pip-compiled
    `requirements.txt`).

    Runs only when the dependencies are declared and pinned (TF201 and TF202 pass): a
    hand-pinned `requirements.txt` fixes the direct dependencies but not the
    transitive ones nor the system around them. Missing evidence, so `info`.

    ## Why is this bad?
    Development, CI and production each build their own environment, and the gap between
    them is where "it worked on my machine" bugs live.

    ## Example
    A service whose `requirements.txt` pins its direct dependencies, nothing else:
    ```text
    # requirements.txt
    fastapi==0.115.0
    pandas==2.2.3
    scikit-learn==1.5.2
    ```
    ```python
    # src/churn/service.py
    import pandas as pd
    from fastapi import FastAPI

    app = FastAPI()
    ```

    ## Use instead
    A lock of the whole dependency tree (`uv lock`, `pip-compile --generate-hashes`) and,
    for services, a `Dockerfile` that installs it. Here the direct dependencies move to
    `requirements.in` and `requirements.txt` is compiled from it:
    ```text
    # requirements.txt
    # This file was autogenerated by uv via the following command:
    #    uv pip compile --no-annotate requirements.in -o requirements.txt
    annotated-types==0.7.0
    anyio==4.6.0
    fastapi==0.115.0
    idna==3.10
    joblib==1.4.2
    numpy==2.1.2
    pandas==2.2.3
    pydantic==2.9.2
    pydantic-core==2.23.4
    python-dateutil==2.9.0.post0
    pytz==2024.2
    scikit-learn==1.5.2
    scipy==1.14.1
    six==1.16.0
    sniffio==1.3.1
    starlette==0.38.6
    threadpoolctl==3.5.0
    typing-extensions==4.12.2
    tzdata==2024.2
    ```
    """

    code = "TF806"
    depends_on = ("@dockerfiles", "@locks", "@manifests", ".devcontainer/")
    name = "no-reproducible-environment"
    factor = 8
    severity = Severity.INFO
    # An environment image is what a deployed product needs; a library, template or
    # demo is run in its users' own environments.
    repo_kinds = frozenset({project_kind.APPLICATION})
    summary = "No container, dev container or full lock describing the environment"
    fix = "Commit a full lock (uv lock / pip-compile --generate-hashes) and, for services, a Dockerfile that installs it."
    requires = ("TF201", "TF202")

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        if repo.of_kind(kinds.DOCKERFILE) or _lock_files(repo):
            return
        environments = (
            "flake.nix",
            "shell.nix",
            "default.nix",
            "devbox.json",
            ".devcontainer.json",
        )
        if repo.named(*environments) or any(
            e.path.startswith(".devcontainer/") for e in repo.files
        ):
            return
        for entry in repo.of_kind(kinds.REQUIREMENTS):
            source = repo.source(entry.path)
            if source is None or source.text is None:
                continue
            header = source.text[:2000]
            if (
                "--hash" in source.text
                or "pip-compile" in header
                or "uv pip compile" in header
                or "uv export" in header
            ):
                return
        yield Violation("no Dockerfile, dev container or full lock file describes the environment")
