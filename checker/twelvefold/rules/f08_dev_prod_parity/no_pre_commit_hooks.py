"""TF805 no-pre-commit-hooks: CI lint checks that no pre-commit (or equivalent) hook
runs locally.
"""

from __future__ import annotations

from collections.abc import Iterator

from twelvefold.detectors.ci import ci_inline_lint, local_lint_task
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule

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
    itself (`ultralytics/actions`) or only rewrites (`black .`); a repository whose
    Makefile has a target running the linters (`make quality`, `make lint`), the local
    gate its contributing guide names. Missing evidence, so
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
    # Opt-in (`Rule.default`): 3 of its 12 findings judged on real repositories were
    # worth fixing: a contributing guide, a Makefile or an editor does the local checks.
    default = False
    depends_on = (*_HOOK_MANAGERS, "@ci", "Makefile")
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
        if local_lint_task(repo) is not None:
            return  # `make quality` runs the same linters locally (Hugging Face's way)
        yield Violation(
            f"CI runs lint or format checks ({gate}) but no pre-commit configuration "
            "(.pre-commit-config.yaml, lefthook, husky) runs them before a commit"
        )
