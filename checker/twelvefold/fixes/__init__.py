"""Safe, mechanical fixes: `twelvefold check --fix` applies them, `--diff` previews them.

A fix is applied only when the result is certain to be what anyone would write by hand;
anything needing judgement (rotating a secret, choosing where data should live) is never
auto-fixed. One module per fix, each a pure function from a file's text to its fixed text,
idempotent (fixing a fixed file changes nothing):

* `gitignore`: add flagged `.env` files and untracked data/model/cache folders to
  `.gitignore`;
* `notebook_outputs`: strip outputs and execution counts from notebooks;
* `dockerfile_exec_form`: rewrite a shell-form `CMD`/`ENTRYPOINT` to exec form.

Each fix lists the rule codes whose findings it resolves (`CODES`): the files to fix are
those findings' files. While none of a fix's rules is registered, the fix looks at the
files themselves (every file of its kind), which is safe because each transform changes
only what is certainly wrong.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twelvefold.config import Config
    from twelvefold.model import Finding

#: Files larger than this are never rewritten.
MAX_FIX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileChange:
    path: str  # repo-relative POSIX path
    before: str | None  # None: the file does not exist yet
    after: str
    description: str


def read_text(root: Path, path: str) -> str | None:
    """A file's text, or None if it is missing, a symlink, too large or not UTF-8."""
    try:
        fd = os.open(root / path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_FIX_BYTES + 1)
    if len(data) > MAX_FIX_BYTES:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _wired(codes: Iterable[str]) -> bool:
    from twelvefold.registry import all_rules

    registered = all_rules()
    return any(code in registered for code in codes)


def _selected(codes: Sequence[str], config: Config) -> bool:
    """The fix's rules are selected; while none exists, the default selection (all) is."""
    from twelvefold.config import selected_codes
    from twelvefold.registry import all_rules

    rules = all_rules()
    if any(code in rules for code in codes):
        factor_of = {code: cls.factor for code, cls in rules.items()}
        chosen = selected_codes(config, list(rules), factor_of, config.source or "command line")
        return any(code in chosen for code in codes)
    return config.select is None or any(s.upper() == "ALL" for s in config.select)


def plan(
    root: Path, only: set[str] | None, findings: Sequence[Finding], config: Config
) -> list[FileChange]:
    """The changes the fixes would make to the repository at `root`."""
    from twelvefold.engine import discover_only
    from twelvefold.fixes import dockerfile_exec_form, gitignore, notebook_outputs

    files = discover_only(root, config).files
    in_scope = files if only is None else [entry for entry in files if entry.path in only]
    changes: list[FileChange] = []
    for module in (notebook_outputs, dockerfile_exec_form):
        if not _selected(module.CODES, config):
            continue
        if _wired(module.CODES):
            paths = sorted({f.path for f in findings if f.code in module.CODES and f.path})
        else:
            paths = [entry.path for entry in in_scope if entry.kind in module.KINDS]
        for path in paths:
            before = read_text(root, path)
            if before is None:
                continue
            after, description = module.fix(before)
            if after != before:
                changes.append(FileChange(path, before, after, description))
    change = gitignore.plan(root, files, findings, lambda codes: _selected(codes, config), _wired)
    if change is not None:
        changes.append(change)
    return changes


def apply_changes(root: Path, changes: Sequence[FileChange]) -> None:
    for change in changes:
        target = root / change.path
        if target.is_symlink():
            continue  # never write through a link
        # newline="" keeps the file's own line endings (the fixes preserve them).
        with target.open("w", encoding="utf-8", newline="") as handle:
            handle.write(change.after)


def unified_diff(change: FileChange, prefix: str = "") -> str:
    before = (change.before or "").splitlines(keepends=True)
    after = change.after.splitlines(keepends=True)
    old = f"a/{prefix}{change.path}" if change.before is not None else "/dev/null"
    lines = list(difflib.unified_diff(before, after, old, f"b/{prefix}{change.path}"))
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


__all__ = ["FileChange", "apply_changes", "plan", "read_text", "unified_diff"]
