"""What the factor 5 rules share: the file kinds they read, and where a version is
declared in a pyproject.toml."""

from __future__ import annotations

from typing import Any

from twelvefold import kinds

_DOCKERFILE_KINDS = frozenset({kinds.DOCKERFILE})


def pyproject_declares_version(data: dict[str, Any]) -> bool:
    """`[project] version` (or `"version"` in `dynamic`), or `[tool.poetry] version`."""
    project = data.get("project")
    if isinstance(project, dict):
        dynamic = project.get("dynamic") or []
        if project.get("version") or (isinstance(dynamic, list) and "version" in dynamic):
            return True
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    return isinstance(poetry, dict) and bool(poetry.get("version"))
