"""The repository as repo-level rules see it: file list, manifests, facts.

Small structured files (manifests, CI configuration, Dockerfiles) are read on demand and
cached; large code files are never held here: what repo rules need from them arrives
as per-file facts collected during the per-file pass.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from twelvefold import kinds
from twelvefold.discovery import FileEntry
from twelvefold.project import ProjectModel, build_model
from twelvefold.sources import SourceFile, read_regular_file

_Derived = TypeVar("_Derived")

#: Files bigger than this are not read as text by repo rules (manifests never are).
MAX_MANIFEST_BYTES = 5 * 1024 * 1024


class Repo:
    def __init__(
        self,
        root: Path,
        files: list[FileEntry],
        *,
        git_root: Path | None,
        facts: Mapping[str, Mapping[str, Any]] | None = None,
        sources: dict[str, SourceFile] | None = None,
        model: ProjectModel | None = None,
    ) -> None:
        self.root = root
        #: What kind of repository this is and the role of each file.
        self.model = model or build_model(root, files)
        self.files = files
        self.git_root = git_root
        self._facts = facts or {}
        self._sources: dict[str, SourceFile | None] = dict(sources or {})
        self.by_path = {entry.path: entry for entry in files}
        self.diagnostics: dict[str, list[str]] = {}
        self._derived: dict[Callable[[Repo], Any], Any] = {}
        #: The roles of the rule now running (None: every role); see `facts`.
        self.asking_roles: frozenset[str] | None = None
        #: The files whose facts the rule now running may see (None: all): the named
        #: files, for a rule that judges each file by its own facts (pre-commit).
        self.asking_paths: frozenset[str] | None = None
        self._facts_by_roles: dict[tuple[str, frozenset[str]], Mapping[str, Any]] = {}

    def derived(self, compute: Callable[[Repo], _Derived]) -> _Derived:
        """`compute(self)`, worked out once per repository: several rules ask for the
        same view of the tree (data folders, LFS patterns), and on a large monorepo
        working it out again per rule or per folder costs more than the rules."""
        if compute not in self._derived:
            self._derived[compute] = compute(self)
        value: _Derived = self._derived[compute]
        return value

    @property
    def is_git(self) -> bool:
        return self.git_root is not None

    def has(self, path: str) -> bool:
        return path in self.by_path

    def of_kind(self, *wanted: str) -> list[FileEntry]:
        return [entry for entry in self.files if entry.kind in wanted]

    def named(self, *names: str) -> list[FileEntry]:
        """Files, anywhere in the tree, whose base name is one of `names` (in file order)."""
        positions = sorted({i for name in set(names) for i in self._by_basename.get(name, ())})
        return [self.files[i] for i in positions]

    @cached_property
    def _by_basename(self) -> dict[str, list[int]]:
        # Repo rules ask for names hundreds of times; one index beats a scan per question.
        index: dict[str, list[int]] = {}
        for position, entry in enumerate(self.files):
            index.setdefault(posixpath.basename(entry.path), []).append(position)
        return index

    def under(self, prefix: str) -> list[FileEntry]:
        prefix = prefix.rstrip("/") + "/"
        return [entry for entry in self.files if entry.path.startswith(prefix)]

    @cached_property
    def has_python(self) -> bool:
        return any(entry.kind in kinds.CODE_KINDS for entry in self.files)

    def source(self, path: str) -> SourceFile | None:
        """A file of the repository, read once (None if absent, too big or unreadable)."""
        if path in self._sources:
            return self._sources[path]
        entry = self.by_path.get(path)
        source: SourceFile | None = None
        if entry is not None and entry.size <= MAX_MANIFEST_BYTES:
            try:
                data = read_regular_file(self.root / path, MAX_MANIFEST_BYTES)
            except OSError as exc:
                self.diagnostics.setdefault(path, []).append(f"unreadable ({exc.strerror})")
            else:
                if len(data) > MAX_MANIFEST_BYTES:
                    message = "grew over the size limit while being read; skipped"
                    self.diagnostics.setdefault(path, []).append(message)
                else:
                    source = SourceFile(path, entry.kind, data)
        self._sources[path] = source
        return source

    def parse_diagnostics(self) -> dict[str, list[str]]:
        """Problems found while repo rules parsed files (malformed YAML/TOML), by path.

        Each message is handed out once: it is removed from its source as it is returned.
        """
        found: dict[str, list[str]] = {}
        for path, source in self._sources.items():
            if source is not None and source.diagnostics:
                found[path] = list(source.diagnostics)
                source.diagnostics.clear()
        return found

    def sources(self, entries: Iterable[FileEntry]) -> list[SourceFile]:
        return [source for entry in entries if (source := self.source(entry.path)) is not None]

    def facts(self, name: str) -> Mapping[str, Any]:
        """A per-file fact by path, for the files where it was found, restricted to the
        roles of the rule that asks (`for_roles`): a rule about the product's code never
        sees an example's imports, so it cannot report them (nor pick an example as the
        place of a finding about the product); and to the named files for a rule that
        judges each file by its own facts (`asking_paths`, pre-commit)."""
        found = self._facts.get(name, {})
        if self.asking_roles is not None:
            key = (name, self.asking_roles)
            if key not in self._facts_by_roles:
                roles = self.model.roles
                self._facts_by_roles[key] = {
                    path: value
                    for path, value in found.items()
                    if roles.get(path) is None or roles[path] in self.asking_roles
                }
            found = self._facts_by_roles[key]
        if self.asking_paths is not None:
            found = {path: value for path, value in found.items() if path in self.asking_paths}
        return found

    @cached_property
    def pyproject(self) -> dict[str, Any] | None:
        """The root pyproject.toml, parsed (None when absent or malformed)."""
        source = self.source("pyproject.toml")
        return source.toml if source is not None else None
