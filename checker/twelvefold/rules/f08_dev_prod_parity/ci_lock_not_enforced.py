"""TF804 ci-lock-not-enforced: CI runs `uv sync`/`uv run` without --locked."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from twelvefold.detectors.ci import (
    UV_SYNC_OR_RUN,
    CiConfig,
    command_line,
    load_all_ci,
    shell_lines,
)
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule

#: What `uv run` starts in a docs, lint or maintenance workflow.
_DOCS_OR_LINT_TOOLS = frozenset(
    {
        "mkdocs",
        "sphinx-build",
        "sphinx-autobuild",
        "ruff",
        "black",
        "isort",
        "flake8",
        "pylint",
        "mypy",
        "pyright",
        "codespell",
        "typos",
        "mdformat",
        "pre-commit",
        "prek",
    }
)
#: Task runners whose task's name says what it runs (`poe build_docs`).
_TASK_RUNNERS = frozenset({"poe", "invoke", "inv", "task", "just", "nox"})
#: A CI line that runs a program of the repository or a test/build driver.
#: (A bare `bash` is a step's `shell: bash`, no command.)
_RUNS_CODE = lazy_compile(r"^(?:python3?|make|tox|nox|docker|pytest|\./)(?:\s|$)|^(?:bash|sh)\s+\S")


def _docs_or_lint_only(lines: list[str]) -> bool:
    """Every `uv run` starts a docs or lint tool (`uv run mkdocs build`) and nothing
    else runs code. (CI configs are read as all their strings: names, `uses:` values...)"""
    ran_a_tool = False
    for line in lines:
        if _RUNS_CODE.match(line.strip()):
            return False
        for match in UV_SYNC_OR_RUN.finditer(line):
            if match.group(1) != "run":
                continue
            words = [word for word in match.group(2).split() if not word.startswith("-")]
            if (
                not words
                or not (
                    words[0] in _DOCS_OR_LINT_TOOLS
                    # a task runner's docs task: `uv run poe build_docs`, `uv run nox -s docs`
                    or (words[0] in _TASK_RUNNERS and "doc" in " ".join(words[1:2]).lower())
                )
            ):
                return False
            ran_a_tool = True
    return ran_a_tool


#: A composite action's input in a command: `${{ inputs.uv_sync_args }}`.
_INPUT = lazy_compile(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}")


def _callers_lock(arguments: str, repo: Repo) -> bool:
    """Whether a composite action's `uv sync ${{ inputs.NAME }}` gets `--frozen` or
    `--locked` from every caller that passes NAME (docling's callers pass `--frozen`;
    chainlit's pass `--extra tests`, and stay reported)."""
    names = _INPUT.findall(arguments)
    if not names:
        return False
    values = [
        found.group(1)
        for config in load_all_ci(repo)
        for line in config.lines
        for name in names
        if (found := re.match(rf"\s*{re.escape(name)}:\s*(\S.*)$", line)) is not None
    ]  # (the action's own `NAME:` declaring the input has no value on its line)
    return bool(values) and all(re.search(r"--(?:locked|frozen)\b", value) for value in values)


def _enforces_the_lock(config: CiConfig) -> bool:
    """Whether a CI configuration fails on a stale uv.lock: it sets `UV_LOCKED`, or passes
    `--locked` to `uv sync` or `uv run` (`--frozen` installs the lock without checking
    it against `pyproject.toml`)."""
    if "UV_LOCKED" in config.keys:
        return True
    for line in shell_lines(config.commands):
        if re.search(r"\bUV_LOCKED=", line):
            return True
        for match in UV_SYNC_OR_RUN.finditer(line):
            if re.search(r"--locked\b", match.group(2)):
                return True
    return False


class CiLockNotEnforced(RepoRule):
    """## What it does
    Reports CI configuration that installs with `uv sync` or `uv run` but never with
    `--locked` or `--frozen` (and does not set `UV_LOCKED`/`UV_FROZEN`), in a repository
    that commits `uv.lock` and whose CI checks the lock nowhere (one job failing on a
    stale lock, `--locked` or `UV_LOCKED: 1` in its env, checks it for every push). A workflow that only builds the docs or runs linters and
    maintenance tools (`uv run mkdocs build`, `uv run poe build_docs`, `uv run ruff check
    .`, `uv run pre-commit autoupdate`) is not reported: no test result or product run
    rests on the lock there. Nor is a composite action's `uv sync ${{ inputs.NAME }}`
    whose every caller passes `--frozen` or `--locked` as NAME.

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
        configs = load_all_ci(repo)
        if any(_enforces_the_lock(config) for config in configs):
            return  # one job fails on a stale uv.lock: the lock is checked on every push
        for config in configs:
            lines = list(shell_lines(config.commands))
            if _docs_or_lint_only(lines):
                continue  # no test result or product run rests on the lock here
            if any(re.search(r"\bUV_(?:LOCKED|FROZEN)=", line) for line in lines):
                continue
            unlocked: str | None = None
            for line in lines:
                for match in UV_SYNC_OR_RUN.finditer(line):
                    if re.search(r"--(?:locked|frozen)\b", match.group(2)) or (
                        match.group(1) == "sync" and _callers_lock(match.group(2), repo)
                    ):
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
