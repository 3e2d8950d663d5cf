"""Find the files to audit: what git would commit, or a walk that honours .gitignore.

Inside a git work tree the list is the tracked files plus the untracked files that are
not ignored. Outside git the tree is walked and `.gitignore` files are honoured. Both
skip symlinks (a link is never followed, so nothing outside the root is read and loops
cannot happen) and the usual tool folders (virtualenvs, caches, build output).
"""

from __future__ import annotations

import os
import stat
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from twelvefold.kinds import REQUIREMENTS, classify, compiled_requirements
from twelvefold.sources import read_regular_file

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

#: Folders never audited (ruff's defaults plus ML tool caches).
BUILTIN_EXCLUDED_DIRS = frozenset(
    {
        ".bzr",
        ".direnv",
        ".eggs",
        ".git",
        ".git-rewrite",
        ".hg",
        ".ipynb_checkpoints",
        ".mypy_cache",
        ".nox",
        ".pants.d",
        ".pyenv",
        ".pytest_cache",
        ".pytype",
        ".ruff_cache",
        ".svn",
        ".tox",
        ".venv",
        ".vscode",
        ".idea",
        "__pypackages__",
        "__pycache__",
        "_build",
        "buck-out",
        "node_modules",
        "site-packages",
        "venv",
        ".twelvefold_cache",
        ".dvc_cache",
    }
)

#: Only this much of a `.gitignore` is read when walking a tree outside git.
MAX_GITIGNORE_BYTES = 1024 * 1024

# Git configuration in an audited repository must not make git run its commands.
_SAFE_GIT = ("git", "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false")


@dataclass(frozen=True)
class FileEntry:
    path: str  # repo-relative POSIX path
    kind: str
    size: int
    tracked: bool | None  # None outside git
    #: The rest of the stat key the cache compares (with `size`): an unchanged key means
    #: an unchanged file, so a warm run never reads or stats it twice.
    mtime_ns: int = 0
    inode: int = 0
    #: Changes with the permissions too (a file made readable again keeps its mtime).
    ctime_ns: int = 0

    @property
    def stat_key(self) -> tuple[int, int, int, int]:
        # ctime too: an edit in place that restores the mtime (`touch -m -r`) keeps the
        # rest of the key.
        return (self.mtime_ns, self.size, self.inode, self.ctime_ns)


@dataclass
class Discovery:
    root: Path
    files: list[FileEntry]
    git_root: Path | None
    diagnostics: list[str] = field(default_factory=list)

    @property
    def is_git(self) -> bool:
        return self.git_root is not None


def discover(root: Path, exclude: GitIgnoreSpec | None = None) -> Discovery:
    diagnostics: list[str] = []
    git_root = _git_toplevel(root, diagnostics)
    listed: list[tuple[str, bool | None]] | None = None
    if git_root is not None:
        from_git = _git_files(root, diagnostics)
        listed = None if from_git is None else list(from_git)
        if listed is None:
            git_root = None
        elif not listed:
            # Git lists nothing: the folder is ignored by the repository around it (a
            # project generated under `build/`). Passing it silently on zero files would
            # be a false pass, so it is audited as the folder the user named.
            walked: list[tuple[str, bool | None]] = [
                (path, None) for path in _walk(root, diagnostics)
            ]
            if walked:
                diagnostics.append(
                    "git ignores every file here (the repository around this folder ignores "
                    "it): audited as a plain folder, honouring its own .gitignore files"
                )
                listed = walked
    if listed is None:
        listed = [(path, None) for path in _walk(root, diagnostics)]
    files: list[FileEntry] = []
    base = os.fspath(root)
    for path, tracked in listed:
        if _excluded(path, exclude):
            continue
        try:
            info = os.lstat(os.path.join(base, path))  # a string join: no Path per file
        except OSError:
            continue  # listed by git but deleted in the work tree
        if not stat.S_ISREG(info.st_mode):
            continue  # symlinks, submodules, sockets: never followed
        files.append(
            FileEntry(
                path,
                classify(path),
                info.st_size,
                tracked,
                info.st_mtime_ns,
                info.st_ino,
                info.st_ctime_ns,
            )
        )
    compiled = compiled_requirements({entry.path for entry in files if entry.kind != REQUIREMENTS})
    if compiled:
        files = [
            replace(entry, kind=REQUIREMENTS) if entry.path in compiled else entry
            for entry in files
        ]
    files.sort(key=lambda entry: entry.path)
    return Discovery(root, files, git_root, diagnostics)


def _excluded(path: str, exclude: GitIgnoreSpec | None) -> bool:
    parts = path.split("/")
    if any(part in BUILTIN_EXCLUDED_DIRS for part in parts[:-1]):
        return True
    return exclude is not None and exclude.match_file(path)


def _git_toplevel(root: Path, diagnostics: list[str] | None = None) -> Path | None:
    try:
        result = subprocess.run(
            [*_SAFE_GIT, "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0 or not result.stdout.strip():
        if diagnostics is not None and "dubious ownership" in result.stderr:
            # Not bypassed with safe.directory: that check protects against a repository
            # configured by another user. Audited as a plain folder instead.
            diagnostics.append(
                "git refuses to read this repository (it is owned by another user; see "
                "`git config --global --add safe.directory`): audited as a plain folder, "
                "without git's view of tracked files"
            )
        return None
    return Path(result.stdout.strip())


def _git_files(root: Path, diagnostics: list[str]) -> list[tuple[str, bool]] | None:
    try:
        result = subprocess.run(
            [
                *_SAFE_GIT,
                "-C",
                str(root),
                "ls-files",
                "-z",
                "-t",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        diagnostics.append(f"git ls-files failed ({exc}); walking the tree instead")
        return None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        diagnostics.append(
            f"git ls-files failed ({message[0] if message else result.returncode}); walking the tree instead"
        )
        return None
    found: dict[str, bool] = {}
    for record in result.stdout.split(b"\0"):
        if len(record) < 3:
            continue
        tag, raw_path = record[:1], record[2:]
        path = os.fsdecode(raw_path)
        tracked = tag != b"?"
        found[path] = found.get(path, False) or tracked
    return sorted(found.items())


def _walk(root: Path, diagnostics: list[str]) -> list[str]:
    from pathspec import GitIgnoreSpec

    found: list[str] = []
    # Each level: (prefix of paths in it, the .gitignore specs that apply, with their base).
    stack: list[tuple[str, list[tuple[str, GitIgnoreSpec]]]] = [("", [])]
    while stack:
        prefix, specs = stack.pop()
        directory = root / prefix if prefix else root
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as exc:
            diagnostics.append(f"{prefix or '.'}: cannot list directory ({exc.strerror}); skipped")
            continue
        # Never through a symlink: `.gitignore -> /dev/zero` would be read forever.
        local = [e for e in entries if e.name == ".gitignore" and e.is_file(follow_symlinks=False)]
        if local:
            try:
                raw = read_regular_file(Path(local[0].path), MAX_GITIGNORE_BYTES)
                lines = raw[:MAX_GITIGNORE_BYTES].decode("utf-8", "replace").splitlines()
                specs = [*specs, (prefix, GitIgnoreSpec.from_lines(lines))]
            except (OSError, ValueError) as exc:
                diagnostics.append(f"{prefix}.gitignore: unreadable ({exc}); not applied")
        for entry in entries:
            path = f"{prefix}{entry.name}"
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = entry.is_file(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if entry.name in BUILTIN_EXCLUDED_DIRS or _ignored(path + "/", specs):
                    continue
                stack.append((path + "/", specs))
            elif is_file and not _ignored(path, specs):
                found.append(path)
    return found


def _ignored(path: str, specs: list[tuple[str, GitIgnoreSpec]]) -> bool:
    decision: bool | None = None
    for base, spec in specs:
        result = spec.check_file(path[len(base) :])
        if result.include is not None:
            decision = result.include
    return bool(decision)
