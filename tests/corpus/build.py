"""Write the corpus repositories to disk.

    uv run python -m tests.corpus.build DEST     # one folder per repository under DEST

Each repository is a committed git repository (unless its `git` is False, or its
`commit` is False: `git init` only); `untracked` files are written after the commit, so
they are either ignored or left for the checker to find as not ignored. DEST must not
lie inside a git work tree, or the repositories planted without git are inside one.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.corpus.model import CorpusRepo, Expect
from tests.corpus.repos import REPOS
from tests.helpers import make_repo, write_tree


@dataclass(frozen=True)
class Planted:
    """An expectation resolved against the written files: `line` is a file line number."""

    expect: Expect
    line: int | None


class CorpusError(ValueError):
    """An expectation does not point at anything in its repository."""


def resolve(
    repo: CorpusRepo, root: Path, expectations: Sequence[Expect] | None = None
) -> list[Planted]:
    planted: list[Planted] = []
    for expect in repo.expected if expectations is None else expectations:
        line: int | None = None
        if expect.at is not None:
            if expect.path is None or any(c in expect.path for c in "*?["):
                raise CorpusError(f"{repo.name}: `at` needs an exact path ({expect})")
            line = _find(root / expect.path, expect.at, expect.occurrence)
            if line is None:
                raise CorpusError(f"{repo.name}: {expect.at!r} not found in {expect.path}")
        planted.append(Planted(expect, line))
    return planted


def check_lookalikes(repo: CorpusRepo, root: Path) -> None:
    """Every look-alike names a file of the repository and, with `at`, a line in it."""
    for lookalike in repo.lookalikes:
        if lookalike.path is None:
            continue
        path = root / lookalike.path
        if not path.is_file():
            raise CorpusError(f"{repo.name}: look-alike file {lookalike.path} does not exist")
        if lookalike.at is not None and _find(path, lookalike.at, 1) is None:
            raise CorpusError(f"{repo.name}: {lookalike.at!r} not found in {lookalike.path}")


def _find(path: Path, needle: str, occurrence: int) -> int | None:
    text = path.read_text(encoding="utf-8")
    # In a notebook a source line is stored JSON-escaped.
    needles = {needle, json.dumps(needle)[1:-1]}
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if any(n in line for n in needles):
            seen += 1
            if seen == occurrence:
                return number
    return None


def build_repo(repo: CorpusRepo, root: Path) -> list[Planted]:
    make_repo(root, repo.files, git_init=repo.git, commit=repo.commit)
    if repo.untracked:
        write_tree(root, repo.untracked)
    check_lookalikes(repo, root)
    return resolve(repo, root)


def build(
    dest: Path, names: set[str] | None = None
) -> list[tuple[CorpusRepo, Path, list[Planted]]]:
    built = []
    for repo in REPOS:
        if names is not None and repo.name not in names:
            continue
        root = dest / repo.name
        built.append((repo, root, build_repo(repo, root)))
    return built


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m tests.corpus.build DEST", file=sys.stderr)
        return 2
    dest = Path(args[0])
    if dest.exists() and any(dest.iterdir()):
        print(f"{dest} is not empty", file=sys.stderr)
        return 2
    for repo, root, planted in build(dest):
        print(f"{root}: {repo.style}, {len(planted)} planted violations")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
