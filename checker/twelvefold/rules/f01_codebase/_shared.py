"""What the factor 1 rules on committed files share: which paths git-LFS stores, which
folders hold data, and whether DVC versions them.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from twelvefold import kinds
from twelvefold.discovery import FileEntry
from twelvefold.repo import Repo

_MB = 1024 * 1024
_LFS_POINTER = b"version https://git-lfs.github.com/spec/v1"
#: Folder names that hold datasets by convention.
DATA_DIR_NAMES = frozenset(
    {"data", "datasets", "dataset", "raw_data", "raw-data", "training_data", "train_data"}
)
#: Files in a data folder that are not data: code, docs, markers, DVC/LFS metadata.
_NOT_DATA_SUFFIXES = (
    ".py",
    ".md",
    ".rst",
    ".dvc",
    ".gitignore",
    ".gitkeep",
    ".keep",
    ".gitattributes",
)
_NOT_DATA_NAMES = frozenset(
    {
        "readme",
        "readme.txt",
        "license",
        ".gitkeep",
        ".keep",
        ".gitignore",
        ".gitattributes",
        ".dvcignore",
    }
)


# --- .gitattributes: which paths git-LFS stores -------------------------------------------


def _lfs_matcher(repo: Repo) -> list[tuple[str, object]]:
    """(folder, spec) for every `.gitattributes` pattern with `filter=lfs`, found once
    per repository (three rules ask)."""
    return repo.derived(_read_lfs_patterns)


def _read_lfs_patterns(repo: Repo) -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for entry in repo.named(".gitattributes"):
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        patterns = []
        for line in source.lines:
            words = line.split()
            if len(words) >= 2 and not words[0].startswith("#") and "filter=lfs" in words[1:]:
                patterns.append(words[0])
        if patterns:
            from pathspec import GitIgnoreSpec  # ~20 ms to import: only when needed

            try:
                spec = GitIgnoreSpec.from_lines(patterns)
            except ValueError:
                continue
            found.append((posixpath.dirname(entry.path), spec))
    return found


def _in_lfs(path: str, matchers: list[tuple[str, object]]) -> bool:
    for folder, spec in matchers:
        prefix = folder + "/" if folder else ""
        if path.startswith(prefix) and spec.match_file(path[len(prefix) :]):  # type: ignore[attr-defined]
            return True
    return False


def _is_lfs_pointer(repo: Repo, entry: FileEntry) -> bool:
    if entry.size > 1024:
        return False  # pointer files are ~130 bytes
    try:
        with (repo.root / entry.path).open("rb") as handle:
            return handle.read(len(_LFS_POINTER)) == _LFS_POINTER
    except OSError:
        return False


def _where(entry: FileEntry) -> str:
    return (
        "committed to git"
        if entry.tracked
        else "not ignored by git (the next `git add .` commits it)"
    )


def _size(size: int) -> str:
    return f"{size / _MB:.1f} MB"


# --- data folders --------------------------------------------------------------------------


@dataclass(frozen=True)
class DataFolder:
    path: str
    files: list[FileEntry]

    @property
    def total(self) -> int:
        return sum(entry.size for entry in self.files)


def _is_data_content(entry: FileEntry) -> bool:
    name = posixpath.basename(entry.path).lower()
    return not (
        name in _NOT_DATA_NAMES or name.endswith(_NOT_DATA_SUFFIXES) or entry.kind == kinds.PYTHON
    )


def _data_folders(repo: Repo) -> list[DataFolder]:
    """Outermost data folders (`data/`, `datasets/`...) with data files git would commit.
    Found once per repository (two rules ask)."""
    return repo.derived(_find_data_folders)


def _find_data_folders(repo: Repo) -> list[DataFolder]:
    packages = {posixpath.dirname(e.path) for e in repo.named("__init__.py")}
    folders: dict[str, list[FileEntry]] = {}
    for entry in repo.files:
        parts = entry.path.split("/")[:-1]
        for depth, part in enumerate(parts):
            if part.lower() in DATA_DIR_NAMES:
                folder = "/".join(parts[: depth + 1])
                if (
                    folder not in packages
                    and _is_data_content(entry)
                    and not kinds.is_test_path(entry.path)
                ):
                    folders.setdefault(folder, []).append(entry)
                break
    return [DataFolder(path, files) for path, files in sorted(folders.items())]


def _dvc_markers(repo: Repo) -> list[str]:
    """Paths of the repository's `.dvc` and `dvc.lock` files, found once per repository:
    `_dvc_covers` runs per data folder, and a scan of every path for each folder grew
    with folders x files (minutes on a 50,000-file monorepo)."""
    return repo.derived(_find_dvc_markers)


def _find_dvc_markers(repo: Repo) -> list[str]:
    return [
        entry.path
        for entry in repo.files
        if entry.path.endswith(".dvc") or posixpath.basename(entry.path) == "dvc.lock"
    ]


def _dvc_covers(repo: Repo, folder: str) -> bool:
    """A `.dvc` file for the folder or inside it, or a dvc.yaml stage that names it."""
    prefix = folder + "/"
    for path in _dvc_markers(repo):
        if path.endswith(".dvc") and (path.startswith(prefix) or path == folder + ".dvc"):
            return True
        if path.startswith(prefix) and posixpath.basename(path) == "dvc.lock":
            return True
    for entry in repo.named("dvc.yaml", "dvc.yml"):
        source = repo.source(entry.path)
        base = posixpath.dirname(entry.path)
        relative = folder[len(base) + 1 :] if base and folder.startswith(base + "/") else folder
        if (
            source is not None
            and source.text
            and re.search(rf"(?<![\w.-]){re.escape(relative)}(?:/|\b)", source.text)
        ):
            return True
    return False


def _unversioned_data_folders(repo: Repo, max_bytes: int) -> list[DataFolder]:
    lfs = _lfs_matcher(repo)
    result: list[DataFolder] = []
    for folder in _data_folders(repo):
        if _dvc_covers(repo, folder.path):
            continue
        plain = [
            e for e in folder.files if not _in_lfs(e.path, lfs) and not _is_lfs_pointer(repo, e)
        ]
        kept = DataFolder(folder.path, plain)
        if plain and kept.total > max_bytes:
            result.append(kept)
    return result


def _max_bytes(settings: Mapping[str, Any]) -> int:
    try:
        return int(float(settings.get("max-size-mb", 5)) * _MB)
    except (TypeError, ValueError):
        return 5 * _MB
