"""TF803 ci-installs-without-lock: CI installs dependencies without the committed lock file."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from twelvefold.detectors.ci import (
    PIP_INSTALL,
    command_line,
    command_words,
    load_all_ci,
    shell_lines,
)
from twelvefold.detectors.ci_files import ci_provider
from twelvefold.lazy_regex import lazy_compile
from twelvefold.manifests import locked_distributions, parse_requirements
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.rules.f08_dev_prod_parity._shared import _lock_files


def _lock_lacks_some_of(repo: Repo, lock: str, path: str) -> bool:
    """Whether the lock leaves out a package the requirements file installs: then it is
    not the environment CI should install instead (instagraph's `poetry.lock`, left from
    a template and never updated for the app's own dependencies)."""
    lock_source = repo.source(lock)
    source = repo.source(path)
    if lock_source is None or lock_source.text is None or source is None or source.text is None:
        return False
    locked = locked_distributions(lock, lock_source.text)
    requirements, _, _ = parse_requirements(source.text)
    return bool(locked) and any(r.name not in locked for r in requirements)


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

    The lock is the one of the folder the step installs (`.` at the root for a
    provider's own folder, a buildspec's folder for CodeBuild), or of a folder above it
    (a workspace's): another project's lock in a monorepo (`libs/other/uv.lock`) pins
    nothing the step installs. A package of an index (`pip install "feast[aws]"`) is a
    tool, not the project; a step that moves (`working-directory:`, `cd`) installs a
    folder this reading cannot name, and is not reported.

    Not reported: installing tools (`pip install uv tox pre-commit`), installing with
    `-c constraints.txt`, fully pinned or hashed requirements files (pip-compile output),
    and unpinned requirements in a repository with no lock at all (the unpinned file is
    the root cause, reported by TF202), or whose lock leaves out some of what they
    install (a lock left from a template and never updated is not the environment to
    install instead), and the project installed after its lock in the same step
    (`pip install -r requirements.lock` then `pip install -e ".[dev]"`: pip leaves the
    locked packages as they are; not with `-U`). The requirements of the docs, examples and
    benchmarks (`docs/requirements.txt`) build no product and follow the latest
    releases on purpose: not reported either. Nor are libraries: their CI installs from
    their version ranges on purpose, to test what their users get (`pip install -e
    ".[test]"`), the lock only serving their own development.

    The same install in several jobs of one file (lint, test, build) is one finding, at
    the first, saying how many steps repeat it.

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
    repo_kinds = frozenset(
        {
            project_kind.APPLICATION,
            project_kind.RESEARCH,
            project_kind.COURSE,
            project_kind.TEMPLATE,
        }
    )
    summary = "CI installs dependencies without the committed lock file"
    fix = "Install the locked environment in CI (`uv sync --locked`, `poetry install`, `pip install -r <compiled lock>`)."
    requires = ("TF801",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        locks: dict[str, str] = {}  # folder -> its lock (the first by name)
        for path in _lock_files(repo):
            locks.setdefault(posixpath.dirname(path), path)
        if not locks:
            return
        for config in load_all_ci(repo):
            # Where the config's `.` is: the repository's root for a provider's own
            # folder (`.github/workflows/`), the folder of a CodeBuild buildspec (a
            # pipeline's sub-folder is a repository of its own). A step that moves
            # (`working-directory:`, `cd`) installs a folder this reading cannot name.
            base = posixpath.dirname(config.path) if _runs_in_own_folder(config.path) else ""
            moves = "working-directory" in config.keys
            # The same install in several jobs (lint, test, build) is one root cause: one
            # finding, at its first, saying how many steps repeat it.
            said: dict[str, tuple[int | None, int]] = {}  # message -> (line, steps)
            lock_paths = set(locks.values())
            for block in config.commands:
                # `pip install -r requirements.lock` then `pip install -e ".[dev]"` in one
                # step: the project and its dev tools go on top of the locked packages,
                # which pip leaves as they are.
                locked_first = False
                for line in shell_lines([block]):
                    for match in PIP_INSTALL.finditer(line):
                        words = command_words(match.group(2))
                        if _installs_a_lock(words, base, lock_paths):
                            locked_first = True
                            continue
                        moved = moves or _CD.search(line, 0, match.start()) is not None
                        found = self._problem(repo, words, locks, base, moved)
                        if found is None:
                            continue
                        problem, lock = found
                        if (
                            locked_first
                            and problem.startswith("installs the project")
                            and not ({"-U", "--upgrade"} & set(words))
                        ):
                            continue
                        command = match.group(0).strip()
                        message = f"`{command[:80]}` {problem} while `{lock}` pins the environment"
                        if message in said:
                            first, steps = said[message]
                            said[message] = (first, steps + 1)
                            continue
                        at = command_line(config, command) or command_line(config, line)
                        said[message] = (at, 1)
            for message, (at, steps) in said.items():
                times = f" ({steps} steps)" if steps > 1 else ""
                yield Violation(message + times, path=config.path, line=at)

    def _problem(
        self, repo: Repo, words: list[str], locks: dict[str, str], base: str, moved: bool
    ) -> tuple[str, str] | None:
        """What the install does around a lock, and that lock: the one of the folder it
        installs from (or of a folder above it, a workspace's), never another project's
        in the same repository (a monorepo's `libs/other/uv.lock`)."""
        if any(
            w in ("-c", "--constraint", "--require-hashes") or w.startswith(("-c", "--constraint="))
            for w in words
        ):
            return None
        index = 0
        while index < len(words):
            word = words[index]
            value = words[index + 1] if index + 1 < len(words) else ""
            requirement = _requirement_file(word, value)
            if requirement is not None:
                target, taken = requirement
                index += taken
                if moved:
                    continue
                path = posixpath.normpath(posixpath.join(base, target))
                lock = _lock_of(locks, posixpath.dirname(path), base)
                if lock is None:
                    continue
                if target.endswith(("pyproject.toml", "setup.py", "setup.cfg")):
                    return f"installs the ranges of {target}", lock
                if target.endswith(".in"):
                    return f"installs the unpinned input {target}", lock
                if repo.model.role(path) in role.FOR_READING:
                    continue  # the docs build follows the latest release: not the product
                if (
                    repo.has(path)
                    and _requirements_pinned(repo, path) is False
                    and not _lock_lacks_some_of(repo, lock, path)
                ):
                    return f"installs {target}, which does not pin every requirement,", lock
                continue
            if word in ("-e", "--editable"):
                index += 1
                continue
            # A folder of this repository (`.`, `./api[dev]`), not a package of an
            # index (`feast[aws]`: a tool the job runs, whatever its lock says).
            if not moved and _LOCAL_PROJECT.fullmatch(word):
                folder = posixpath.normpath(posixpath.join(base, word.split("[", 1)[0]))
                lock = _lock_of(locks, folder, base)
                if lock is not None:
                    return "installs the project from its version ranges", lock
            index += 1
        return None


def _requirement_file(word: str, value: str) -> tuple[str, int] | None:
    """The requirements file pip's `word` names (`-r x`, `--requirement x`, `-rx`,
    `--requirement=x`; `value` is the word after it) and how many words that takes."""
    if word in ("-r", "--requirement"):
        return value, 2
    if word.startswith(("-r", "--requirement=")):
        return word.split("=", 1)[-1].removeprefix("-r"), 1
    return None


def _installs_a_lock(words: list[str], base: str, locks: set[str]) -> bool:
    """Whether pip's arguments install one of the repository's lock files
    (`-r requirements.lock`)."""
    for index, word in enumerate(words):
        requirement = _requirement_file(word, words[index + 1] if index + 1 < len(words) else "")
        if (
            requirement is not None
            and posixpath.normpath(posixpath.join(base, requirement[0])) in locks
        ):
            return True
    return False


#: A local project given to pip: `.`, `..`, `./service`, `.[dev]`, `./api[dev,test]`.
_LOCAL_PROJECT = lazy_compile(r"\.{1,2}(?:/[\w.\-]*)*(?:\[[\w,\- ]+\])?")
#: A `cd` before the install on the same line: it installs another folder.
_CD = lazy_compile(r"(?:^|[\s;&|(])(?:cd|pushd)\s")


def _runs_in_own_folder(path: str) -> bool:
    """A CI file that runs in its own folder (a CodeBuild buildspec), not at the root."""
    return ci_provider(path) == "AWS CodeBuild"


def _lock_of(locks: dict[str, str], folder: str, top: str) -> str | None:
    """The lock of `folder`, or of the nearest folder above it up to `top` (a
    workspace's root; a buildspec's folder is a repository of its own)."""
    folder = "" if folder == "." else folder
    while True:
        if folder in locks:
            return locks[folder]
        if folder == top or not folder or folder.startswith(".."):
            return None
        folder = posixpath.dirname(folder)
