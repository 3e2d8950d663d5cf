"""TF203 lock-out-of-date: lock file out of date with its manifest."""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from twelvefold.manifests import (
    normalise,
    parse_requirement,
    poetry_dependencies,
    pyproject_all_dependencies,
    pyproject_dependencies,
)
from twelvefold.model import Severity, Violation
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.sources import SourceFile

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version


class LockOutOfDate(RepoRule):
    """## What it does
    Compares a lock file with the manifest beside it and reports a lock that no longer
    matches: a dependency declared in `pyproject.toml` that `uv.lock` / `poetry.lock` /
    `pdm.lock` does not contain, a version specifier changed since the lock was written
    (uv), or a changed `requires-python` (uv). A `pdm.lock` is compared only for the
    groups its `[metadata] groups` lists (`pdm lock -G test` leaves the others out). A
    requirement uv takes from a URL, git or a path (`[tool.uv.sources]`) is locked by its
    source with no specifier, by design: its specifier is not compared.

    ## Why is this bad?
    `uv sync --locked` and `poetry install` in CI fail or, worse, install an environment
    that is not the one the manifest describes; developers get a different set of
    packages than production.

    ## Example
    `pyproject.toml` gained `"polars>=1.0"` but `uv.lock` was not regenerated:
    ```toml
    # pyproject.toml
    [project]
    name = "churn-model"
    version = "0.1.0"
    requires-python = ">=3.11"
    dependencies = ["pandas>=2.2", "polars>=1.0"]
    ```
    ```toml
    # uv.lock
    version = 1
    requires-python = ">=3.11"

    [[package]]
    name = "churn-model"
    version = "0.1.0"
    source = { editable = "." }
    dependencies = [{ name = "pandas" }]

    [package.metadata]
    requires-dist = [{ name = "pandas", specifier = ">=2.2" }]

    [[package]]
    name = "pandas"
    version = "2.2.3"
    source = { registry = "https://pypi.org/simple" }
    ```

    ## Use instead
    Run `uv lock` (or `poetry lock`, `pdm lock`) and commit the updated lock file:
    ```toml
    # uv.lock
    version = 1
    requires-python = ">=3.11"

    [[package]]
    name = "churn-model"
    version = "0.1.0"
    source = { editable = "." }
    dependencies = [{ name = "pandas" }, { name = "polars" }]

    [package.metadata]
    requires-dist = [
        { name = "pandas", specifier = ">=2.2" },
        { name = "polars", specifier = ">=1.0" },
    ]

    [[package]]
    name = "pandas"
    version = "2.2.3"
    source = { registry = "https://pypi.org/simple" }

    [[package]]
    name = "polars"
    version = "1.9.0"
    source = { registry = "https://pypi.org/simple" }
    ```
    """

    code = "TF203"
    depends_on = ("@manifests", "@locks")
    name = "lock-out-of-date"
    factor = 2
    severity = Severity.ERROR
    summary = "Lock file out of date with its manifest"
    fix = "Regenerate the lock (uv lock / poetry lock / pdm lock) and commit it."

    def check(self, repo: Repo) -> Iterator[Violation]:
        for entry in repo.named("pyproject.toml"):
            directory = posixpath.dirname(entry.path)
            source = repo.source(entry.path)
            if source is None or source.toml is None:
                continue
            for lock_name, tool in (
                ("uv.lock", "uv"),
                ("poetry.lock", "poetry"),
                ("pdm.lock", "pdm"),
            ):
                lock_path = posixpath.join(directory, lock_name) if directory else lock_name
                if repo.has(lock_path):
                    lock = repo.source(lock_path)
                    if lock is not None and lock.toml is not None:
                        manifest = source.toml
                        if tool == "pdm":
                            manifest = self._pdm_locked_groups(manifest, lock.toml)
                        yield from _compare_lock(entry.path, manifest, lock_path, lock, tool)

    @staticmethod
    def _pdm_locked_groups(manifest: dict[str, Any], lock: dict[str, Any]) -> dict[str, Any]:
        """The manifest cut down to the groups a pdm.lock says it holds
        (`[metadata] groups`, `default` being `[project] dependencies`): `pdm lock -G test`
        deliberately leaves the other optional groups out. A lock that lists no groups is
        compared with all of them."""
        metadata = lock.get("metadata")
        groups = metadata.get("groups") if isinstance(metadata, dict) else None
        if not isinstance(groups, list) or not groups:
            return manifest
        locked = {normalise(str(group)) for group in groups}
        project = manifest.get("project")
        cut = dict(manifest)
        if isinstance(project, dict):
            project = dict(project)
            if "default" not in locked:
                project["dependencies"] = []
            optional = project.get("optional-dependencies")
            if isinstance(optional, dict):
                project["optional-dependencies"] = {
                    name: deps for name, deps in optional.items() if normalise(str(name)) in locked
                }
            cut["project"] = project
        dependency_groups = manifest.get("dependency-groups")
        if isinstance(dependency_groups, dict):
            cut["dependency-groups"] = {
                name: deps
                for name, deps in dependency_groups.items()
                if normalise(str(name)) in locked
            }
        return cut


def _compare_lock(
    manifest_path: str, manifest: dict[str, Any], lock_path: str, lock: SourceFile, tool: str
) -> Iterator[Violation]:
    data = lock.toml or {}
    listed = data.get("package")
    packages = [p for p in listed if isinstance(p, dict)] if isinstance(listed, list) else []
    locked_names = {normalise(str(p.get("name", ""))) for p in packages}
    project = manifest.get("project") if isinstance(manifest.get("project"), dict) else {}
    own_name = normalise(str(project.get("name", ""))) if project else ""
    declared: list[str] = pyproject_all_dependencies(manifest) if tool != "poetry" else []
    if tool == "poetry":
        declared = list(poetry_dependencies(manifest)) + pyproject_dependencies(manifest)
    problems: list[str] = []
    missing = []
    for text in declared:
        requirement = (
            parse_requirement(text)
            if tool != "poetry" or " " in text or any(c in text for c in "<>=")
            else None
        )
        name = (
            requirement.name
            if requirement
            else normalise(re.split(r"[\s\[<>=!~;]", text, maxsplit=1)[0])
        )
        if name and name != own_name and name not in locked_names:
            missing.append(name)
    if missing:
        problems.append("not in the lock: " + ", ".join(f"`{n}`" for n in sorted(set(missing))[:5]))
    if tool == "uv":
        problems.extend(_uv_metadata_drift(manifest, packages, own_name, data))
    if problems:
        yield Violation(
            f"{lock_path} is out of date with {manifest_path}: " + "; ".join(problems),
            path=lock_path,
            line=None,
            fix=f"Run `{tool} lock` and commit {lock_path}.",
        )


def _uv_metadata_drift(
    manifest: dict[str, Any], packages: list[dict[str, Any]], own_name: str, lock: dict[str, Any]
) -> list[str]:
    """uv records the manifest's requirements in the lock; compare them."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    root = next(
        (
            p
            for p in packages
            if normalise(str(p.get("name", ""))) == own_name and isinstance(p.get("metadata"), dict)
        ),
        None,
    )
    problems: list[str] = []
    project = manifest.get("project") if isinstance(manifest.get("project"), dict) else {}
    declared_python = project.get("requires-python") if project else None
    locked_python = lock.get("requires-python")
    if declared_python and locked_python:
        try:
            if not _same_pythons(
                SpecifierSet(str(declared_python)), SpecifierSet(str(locked_python))
            ):
                problems.append(
                    f"requires-python is `{declared_python}` but the lock has `{locked_python}`"
                )
        except InvalidSpecifier:
            pass
    if root is None:
        return problems
    locked: dict[str, set[str]] = {}
    metadata = root["metadata"]
    # A lock written by hand (or by a hostile pull request) can hold any type anywhere.
    dist, dev = metadata.get("requires-dist"), metadata.get("requires-dev")
    entries = list(dist) if isinstance(dist, list) else []
    for group in dev.values() if isinstance(dev, dict) else ():
        entries.extend(group if isinstance(group, list) else [])
    # A requirement taken from a URL, a git repository or a path (`[tool.uv.sources]`) is
    # locked by its source, with no specifier by design: there is nothing to compare.
    sourced = _uv_sourced(manifest)
    for item in entries:
        # The project's own name is an extra that pulls in other extras (`all = ["pkg[a]"]`),
        # skipped on both sides.
        if isinstance(item, dict) and "name" in item and normalise(str(item["name"])) != own_name:
            if _SOURCE_KEYS & item.keys():
                sourced.add(normalise(str(item["name"])))
            locked.setdefault(normalise(str(item["name"])), set()).add(
                _spec(str(item.get("specifier", "")))
            )
    declared: dict[str, set[str]] = {}
    for text in pyproject_all_dependencies(manifest):
        requirement = parse_requirement(text)
        if requirement is None or requirement.name == own_name:
            continue
        from packaging.requirements import Requirement as Pep508

        declared.setdefault(requirement.name, set()).add(_spec(str(Pep508(text).specifier)))
    changed = [
        f"`{name}` ({', '.join(sorted(spec))} declared, {', '.join(sorted(locked[name])) or 'any'} locked)"
        for name, spec in sorted(declared.items())
        if name in locked and name not in sourced and not spec <= locked[name]
    ]
    removed = sorted(set(locked) - set(declared))
    if changed:
        problems.append("specifier changed for " + ", ".join(changed[:3]))
    if removed and declared:
        problems.append(
            "removed from the manifest but still locked: "
            + ", ".join(f"`{n}`" for n in removed[:5])
        )
    return problems


#: How uv's lock names a requirement's source other than an index.
_SOURCE_KEYS = frozenset({"url", "git", "path", "directory", "editable"})


def _uv_sourced(manifest: dict[str, Any]) -> set[str]:
    """Names a pyproject takes from a URL, git or a path (`[tool.uv.sources]`)."""
    tool = manifest.get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    sources = uv.get("sources") if isinstance(uv, dict) else None
    return {normalise(str(name)) for name in sources} if isinstance(sources, dict) else set()


def _spec(text: str) -> str:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return ",".join(sorted(str(s) for s in SpecifierSet(text)))
    except InvalidSpecifier:
        return text


def _same_pythons(declared: SpecifierSet, locked: SpecifierSet) -> bool:
    """Whether two `requires-python` specifiers allow the same Python versions: uv
    writes `>=3.11,<3.12` as `==3.11.*`, and that is no drift. Compared on every
    version from 2.0.0 to 4.40.40 (and 5 to 9), the only ones a specifier can tell apart."""
    if declared == locked:
        return True
    return all(
        declared.contains(version, prereleases=True) == locked.contains(version, prereleases=True)
        for version in _python_versions()
    )


@functools.cache
def _python_versions() -> tuple[Version, ...]:
    from packaging.version import Version

    found = [
        Version(f"{major}.{minor}.{micro}")
        for major in (2, 3, 4)
        for minor in range(41)
        for micro in range(41)
    ]
    found.extend(Version(f"{major}.0.0") for major in range(5, 10))
    return tuple(found)
