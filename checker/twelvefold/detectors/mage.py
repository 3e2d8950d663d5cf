"""Mage AI projects in a repository: folders `mage init` made, whose blocks Mage runs."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

#: The files `mage init` writes at a project's root, beside its `pipelines/` folder.
_PROJECT_FILES = frozenset({"io_config.yaml", "metadata.yaml"})


def mage_project_folders(paths: Iterable[str]) -> frozenset[str]:
    """The folders holding both `io_config.yaml` and `metadata.yaml` and a `pipelines/`
    folder: Mage projects, whose blocks (`transformers/`, `data_loaders/`, `custom/`...)
    and the helpers they import run inside Mage, which keeps each block's printed output
    as its log and runs its `@test` functions on the block's output."""
    seen: dict[str, set[str]] = {}
    pipelines: set[str] = set()
    for path in paths:
        folder, name = posixpath.split(path)
        if name in _PROJECT_FILES:
            seen.setdefault(folder, set()).add(name)
        parts = path.split("/")
        if "pipelines" in parts[:-1]:
            pipelines.add("/".join(parts[: parts.index("pipelines")]))
    return frozenset(
        folder for folder, names in seen.items() if names == _PROJECT_FILES and folder in pipelines
    )


def in_mage_project(path: str, folders: frozenset[str]) -> bool:
    """Whether `path` lies in one of the Mage project `folders`."""
    return any(folder == "" or path.startswith(folder + "/") for folder in folders)
