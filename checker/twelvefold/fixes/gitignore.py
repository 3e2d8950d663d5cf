"""Add flagged `.env` files and untracked data/model/cache folders to `.gitignore`.

Only what findings point at is added, never a generic template:

* each `.env`-like file a `dotenv-not-ignored` finding names, by its file name (so
  `.env` also covers `.env` in subfolders). Templates (`.env.example`) are never flagged
  and so never ignored. A file git already tracks stays tracked: `git rm --cached` it
  yourself (and rotate what it held) — the fix only stops the next `git add .`;
* a conventional data/model/cache folder (`data/`, `models/`, `checkpoints/`,
  `mlruns/`, `wandb/`, ...) that holds untracked data files, only when git tracks
  nothing in it and it holds no code (a `models/` package of Python modules is code,
  not artefacts). A folder with tracked files (a `.gitkeep`, DVC pointers) needs a
  human to write the right negations, so it is left alone.

Patterns already present are not added again, so the fix is idempotent. The `.gitignore`
at the audited root is edited (created if missing); its line endings are kept.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from twelvefold import kinds
from twelvefold.fixes import FileChange, note, read_text_why
from twelvefold.lazy_regex import lazy_compile

if TYPE_CHECKING:
    from twelvefold.discovery import FileEntry
    from twelvefold.model import Finding

#: Codes whose findings name `.env` files to ignore (dotenv-not-ignored).
DOTENV_CODES: tuple[str, ...] = ("TF302",)
#: What `--fix` does about them, for `explain`, `rules` and the docs.
DESCRIPTION = "adds the `.env` file to `.gitignore` (the secret still needs rotating)"
#: Codes whose findings name untracked data files in a folder that should be ignored.
#: None yet: unversioned-data-folder (TF103) reports *committed* folders, which need
#: `git rm --cached` and a choice between DVC, LFS and ignoring (judgement), so the fix
#: looks at the untracked data files itself.
FOLDER_CODES: tuple[str, ...] = ()
DATA_FOLDERS = frozenset(
    {
        "data",
        "datasets",
        "models",
        "checkpoints",
        "mlruns",
        "wandb",
        "lightning_logs",
        "outputs",
        ".cache",
    }
)
HEADER = "# twelvefold --fix: keep local configuration and data out of git"
_UNSAFE_NAME = lazy_compile(r"[\\\n\r]|\s$")


def _escape(name: str) -> str:
    escaped = re.sub(r"([*?\[\]])", r"\\\1", name)
    return "\\" + escaped if escaped.startswith(("#", "!")) else escaped


def _dotenv_patterns(
    files: Sequence[FileEntry], findings: Sequence[Finding], wired: bool
) -> list[str]:
    if wired:
        paths = [f.path for f in findings if f.code in DOTENV_CODES and f.path]
    else:
        paths = [
            entry.path
            for entry in files
            if entry.kind == kinds.DOTENV
            and entry.tracked is not None
            and not kinds.is_dotenv_template(posixpath.basename(entry.path))
            and not kinds.is_test_path(entry.path)
        ]
    names = sorted({posixpath.basename(path) for path in paths})
    return [_escape(name) for name in names if not _UNSAFE_NAME.search(name)]


def _data_folder(path: str) -> str | None:
    parts = path.split("/")[:-1]
    for depth, part in enumerate(parts):
        if part in DATA_FOLDERS:
            return "/".join(parts[: depth + 1])
    return None


def _folder_patterns(
    files: Sequence[FileEntry], findings: Sequence[Finding], wired: bool
) -> list[str]:
    if wired:
        candidates = {_data_folder(f.path) for f in findings if f.code in FOLDER_CODES and f.path}
    else:
        candidates = {
            _data_folder(entry.path)
            for entry in files
            if entry.kind == kinds.DATA and entry.tracked is False
        }
    patterns: list[str] = []
    for folder in sorted(c for c in candidates if c):
        inside = [entry for entry in files if entry.path.startswith(folder + "/")]
        if any(entry.tracked or entry.kind in kinds.CODE_KINDS for entry in inside):
            continue
        if _UNSAFE_NAME.search(folder):
            continue
        patterns.append("/" + _escape(folder) + "/")
    return patterns


def plan(
    root: Path,
    files: Sequence[FileEntry],
    findings: Sequence[Finding],
    selected: Callable[[Sequence[str]], bool],
    wired: Callable[[Sequence[str]], bool],
) -> FileChange | None:
    wanted: list[str] = []
    if selected(DOTENV_CODES):
        wanted += _dotenv_patterns(files, findings, wired(DOTENV_CODES))
    if selected(FOLDER_CODES) and any(entry.tracked is not None for entry in files):
        wanted += _folder_patterns(files, findings, wired(FOLDER_CODES))
    if not wanted:
        return None
    before, why = read_text_why(root, ".gitignore")
    exists = before is not None
    if before is None and why:
        # A directory, symlink, binary or huge .gitignore: not ours to rewrite.
        note(f"not fixing .gitignore: {why}; add these lines yourself: {', '.join(wanted)}")
        return None
    before = before or ""
    after = add_patterns(before, wanted)
    if after == before:
        return None
    added = [p for p in wanted if p not in before.splitlines()]
    return FileChange(".gitignore", before if exists else None, after, "ignore " + ", ".join(added))


def add_patterns(text: str, patterns: Sequence[str]) -> str:
    """`text` with the missing `patterns` appended under a header (idempotent)."""
    present = {line.strip() for line in text.splitlines()}
    missing = [p for p in dict.fromkeys(patterns) if p not in present]
    if not missing:
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    block = ([HEADER] if HEADER not in present else []) + missing
    prefix = text
    if prefix and not prefix.endswith(("\n", "\r")):
        prefix += newline
    if prefix.strip():
        prefix += newline if HEADER not in present else ""
    return prefix + newline.join(block) + newline
