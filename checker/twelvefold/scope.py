"""Which repo-level rules a run on named files asks (the pre-commit hook).

When files are named (`twelvefold check src/app.py pyproject.toml`, as the hook calls
it), a repo rule runs only when one of the files its verdict depends on is among them,
and only its findings on those files, or about the repository as a whole, are reported.
A commit that touches one module is not blocked by "no CI configured"; one that touches
a workflow is. A full run (no paths) and a folder run ask every rule.

A rule declares its files in `RepoRule.depends_on`: gitignore-style patterns
(`.gitignore`, `.python-version`, `.devcontainer/`) and `@groups`, defined here once
from the tables that already say what a manifest, a lock file or a CI file is.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from twelvefold import kinds

if TYPE_CHECKING:
    from twelvefold.rule import RepoRule

#: A named file: (repo-relative POSIX path, kind).
NamedFile = tuple[str, str]


def _kind_in(*wanted: str) -> Callable[[str, str], bool]:
    chosen = frozenset(wanted)
    return lambda path, kind: kind in chosen


def _named(names: Iterable[str]) -> Callable[[str, str], bool]:
    chosen = frozenset(names)
    return lambda path, kind: posixpath.basename(path) in chosen


def _manifests() -> Callable[[str, str], bool]:
    from twelvefold.manifests import MANIFEST_NAMES

    by_name = _named(MANIFEST_NAMES)
    return lambda path, kind: kind in (kinds.REQUIREMENTS, kinds.PYPROJECT) or by_name(path, kind)


def _locks() -> Callable[[str, str], bool]:
    from twelvefold.manifests import LOCK_FILES

    return _named(LOCK_FILES)


def _ci() -> Callable[[str, str], bool]:
    # The CI tables of the detector that reads CI configuration: one list of CI files.
    from twelvefold.detectors.ci_files import CI_DIRS, CI_PART_DIRS, ci_provider

    folders = (*CI_DIRS, *CI_PART_DIRS)
    return lambda path, kind: path.startswith(folders) or ci_provider(path) is not None


#: `@group` -> a builder of its test on (path, kind); built on first use.
_GROUPS: dict[str, Callable[[], Callable[[str, str], bool]]] = {
    # Python code: modules and notebooks.
    "@code": lambda: _kind_in(kinds.PYTHON, kinds.NOTEBOOK),
    # Files that declare dependencies (pyproject.toml, requirements*.txt, setup.py, ...).
    "@manifests": _manifests,
    "@locks": _locks,
    "@ci": _ci,
    "@dockerfiles": lambda: _kind_in(kinds.DOCKERFILE),
    # Configuration a program reads (hyperparameters, seeds, probes).
    "@config": lambda: _kind_in(kinds.YAML, kinds.TOML, kinds.JSON, kinds.INI),
    "@data": lambda: _kind_in(kinds.DATA),
    "@dotenv": lambda: _kind_in(kinds.DOTENV),
    "@tests": lambda: lambda path, kind: kinds.is_test_path(path),
}
GROUPS = frozenset(_GROUPS)


@cache
def _group(name: str) -> Callable[[str, str], bool]:
    return _GROUPS[name]()


@cache
def _matcher(patterns: tuple[str, ...]) -> Callable[[str, str], bool]:
    groups = [_group(p) for p in patterns if p.startswith("@")]
    plain = [p for p in patterns if not p.startswith("@")]
    spec = None
    if plain:
        from pathspec import GitIgnoreSpec

        spec = GitIgnoreSpec.from_lines(plain)

    def matches(path: str, kind: str) -> bool:
        if any(group(path, kind) for group in groups):
            return True
        return spec is not None and spec.match_file(path)

    return matches


def unknown_groups(rules: Iterable[RepoRule]) -> list[str]:
    """`rule code: @name` for each `@group` a rule names that is not defined here."""
    return [
        f"{rule.code}: {pattern}"
        for rule in rules
        for pattern in rule.depends_on or ()
        if pattern.startswith("@") and pattern not in GROUPS
    ]


def depends(rule: RepoRule, named: Sequence[NamedFile]) -> bool:
    """Whether one of the `named` files is one `rule` depends on. A rule that declares
    nothing (`depends_on = None`, e.g. a plugin's) runs whenever files are named."""
    if rule.depends_on is None:
        return True
    matches = _matcher(tuple(rule.depends_on))
    return any(matches(path, kind) for path, kind in named)


def asked(rules: Sequence[RepoRule], named: Sequence[NamedFile]) -> tuple[set[str], set[str]]:
    """(the codes of the rules that run and report, the codes of the rules they require
    that are not asked themselves). Those run only to decide whether the rules that
    require them are skipped (one root cause, one finding, as in a full run); their own
    findings are not reported."""
    reporting = {rule.code for rule in rules if depends(rule, named)}
    by_code = {rule.code: rule for rule in rules}
    deciding: set[str] = set()
    stack = [code for code in reporting]
    while stack:
        for required in by_code[stack.pop()].requires:
            if required in by_code and required not in reporting and required not in deciding:
                deciding.add(required)
                stack.append(required)
    return reporting, deciding
