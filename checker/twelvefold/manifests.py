"""Dependency manifests and lock files, parsed with `packaging` (never executed).

Used by factor 2 rules: which requirements a project declares, where, whether each is
pinned, and which lock files pin them.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: Lock files that pin every dependency of the manifest beside them.
LOCK_FILES = frozenset(
    {
        "uv.lock",
        "poetry.lock",
        "pdm.lock",
        "Pipfile.lock",
        "conda-lock.yml",
        "conda-lock.yaml",
        "pixi.lock",
        "pylock.toml",
        "requirements.lock",
        "requirements-lock.txt",
    }
)

#: Manifests that declare dependencies.
MANIFEST_NAMES = frozenset(
    {"pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "environment.yml", "environment.yaml"}
)


@dataclass(frozen=True)
class Requirement:
    name: str  # normalised distribution name
    text: str  # as written
    line: int | None
    pinned: bool
    why_unpinned: str  # "no version", "range >=1.2", "unpinned URL"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirement(text: str, line: int | None = None) -> Requirement | None:
    """A PEP 508 requirement, or None when the text is not one."""
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement as Pep508

    try:
        requirement = Pep508(text)
    except InvalidRequirement:
        return None
    name = normalise(requirement.name)
    if requirement.url:
        pinned = bool(re.search(r"@[0-9a-f]{40}\b", requirement.url)) or requirement.url.startswith(
            "file:"
        )
        return Requirement(name, text, line, pinned, "" if pinned else "URL with no commit hash")
    specifiers = list(requirement.specifier)
    exact = [s for s in specifiers if s.operator in ("==", "===") and "*" not in s.version]
    if exact:
        return Requirement(name, text, line, True, "")
    why = f"range {requirement.specifier}" if specifiers else "no version"
    return Requirement(name, text, line, False, why)


_OPTION = re.compile(r"^\s*-")
_HASH = re.compile(r"--hash[= ]")


def requirements_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, requirement text) of a requirements file: comments, options,
    editables and line continuations handled."""
    pending = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw
        if " #" in line or line.lstrip().startswith("#"):
            line = line.split(" #", 1)[0] if not line.lstrip().startswith("#") else ""
        if not pending:
            start = number
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        if not full:
            continue
        yield start, full


def parse_requirements(text: str) -> tuple[list[Requirement], list[str], bool]:
    """Requirements, included files (-r/-c), and whether every line carries hashes."""
    requirements: list[Requirement] = []
    includes: list[str] = []
    hashed: list[bool] = []
    for number, line in requirements_lines(text):
        if _OPTION.match(line) and not line.startswith(("-e ", "--editable")):
            match = re.match(r"^(?:-r|-c|--requirement|--constraint)[= ]?\s*(\S+)", line)
            if match:
                includes.append(match.group(1))
            continue
        if line.startswith(("-e ", "--editable")):
            continue  # a local project in development mode
        body = _HASH.split(line, 1)[0].strip()
        hashed.append(bool(_HASH.search(line)))
        requirement = parse_requirement(body, number)
        if requirement is not None:
            requirements.append(requirement)
    return requirements, includes, bool(hashed) and all(hashed)


def pyproject_dependencies(data: dict[str, Any]) -> list[str]:
    """Runtime dependency strings of `[project]` (PEP 621)."""
    project = data.get("project")
    if not isinstance(project, dict):
        return []
    deps = project.get("dependencies", [])
    return [d for d in deps if isinstance(d, str)] if isinstance(deps, list) else []


def pyproject_all_dependencies(data: dict[str, Any]) -> list[str]:
    """Runtime, optional and dependency-group requirement strings."""
    found = list(pyproject_dependencies(data))
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    optional = project.get("optional-dependencies", {}) if isinstance(project, dict) else {}
    if isinstance(optional, dict):
        for group in optional.values():
            if isinstance(group, list):
                found.extend(d for d in group if isinstance(d, str))
    groups = data.get("dependency-groups", {})
    if isinstance(groups, dict):
        for group in groups.values():
            if isinstance(group, list):
                found.extend(d for d in group if isinstance(d, str))
    return found


def poetry_dependencies(data: dict[str, Any]) -> dict[str, Any]:
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if not isinstance(poetry, dict):
        return {}
    found: dict[str, Any] = {}
    deps = poetry.get("dependencies")
    if isinstance(deps, dict):
        found.update({k: v for k, v in deps.items() if k.lower() != "python"})
    groups = poetry.get("group")
    if isinstance(groups, dict):
        for group in groups.values():
            if isinstance(group, dict) and isinstance(group.get("dependencies"), dict):
                found.update(group["dependencies"])
    dev = poetry.get("dev-dependencies")
    if isinstance(dev, dict):
        found.update(dev)
    return found


def is_lock_file(path: str) -> bool:
    return posixpath.basename(path) in LOCK_FILES


def find_line(lines: list[str], needle: str, start: int = 0) -> int | None:
    """1-based number of the first line containing `needle` (after line `start`)."""
    for number, line in enumerate(lines[start:], start=start + 1):
        if needle in line:
            return number
    return None


def dependency_line(lines: list[str], requirement: str) -> int | None:
    """Line of a requirement string inside a TOML array (quoted as written)."""
    for quote in ('"', "'"):
        found = find_line(lines, f"{quote}{requirement}{quote}")
        if found:
            return found
    return None
