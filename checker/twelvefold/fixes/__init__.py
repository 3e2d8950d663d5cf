"""Safe, mechanical fixes: `twelvefold check --fix` applies them, `--diff` previews them.

A fix is applied only when the result is certain to be what anyone would write by hand;
anything needing judgement (rotating a secret, choosing where data should live) is never
auto-fixed. One module per fix, each a pure function from a file's text to its fixed text,
idempotent (fixing a fixed file changes nothing):

* `gitignore`: add flagged `.env` files and untracked data/model/cache folders to
  `.gitignore`;
* `notebook_outputs`: strip outputs and execution counts from notebooks;
* `dockerfile_exec_form`: rewrite a shell-form `CMD`/`ENTRYPOINT` to exec form;
* `unused_suppression`: remove the codes of suppression comments that suppress nothing.

Each fix lists the rule codes whose findings it resolves (`CODES`): the files to fix are
those findings' files (with the other files a grouped finding covers, `Finding.files`). While none of a fix's rules is registered, the fix looks at the
files themselves (every file of its kind), which is safe because each transform changes
only what is certainly wrong.

A fix that rewrites a file (notebook outputs, Dockerfile) only touches a file git can
give back as it is: tracked, with no change git does not hold (nothing unstaged, so
`git checkout -- <file>` undoes the fix; in a pre-commit hook the staged files are such
files). Stripping the outputs of a notebook git never saw would lose them for good. Any
other file is left alone and stderr names it: stage or commit it, then run `--fix`
again. The `.gitignore` fix only appends lines, keeping every byte of the file, so it
applies whatever git's view of it.
"""

from __future__ import annotations

import difflib
import os
import stat
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twelvefold.config import Config
    from twelvefold.discovery import Discovery
    from twelvefold.model import Finding

#: Files larger than this are never rewritten.
MAX_FIX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileChange:
    path: str  # repo-relative POSIX path
    before: str | None  # None: the file does not exist yet
    after: str
    description: str


def fixable() -> dict[str, str]:
    """What `--fix` does, by the rule code whose findings it resolves."""
    from twelvefold.fixes import (
        dockerfile_exec_form,
        gitignore,
        notebook_outputs,
        unused_suppression,
    )

    found = {code: gitignore.DESCRIPTION for code in gitignore.DOTENV_CODES}
    for module in (notebook_outputs, dockerfile_exec_form, unused_suppression):
        found.update({code: module.DESCRIPTION for code in module.CODES})
    return found


def read_text(root: Path, path: str) -> str | None:
    """A file's text, or None if it is missing, a symlink, not a regular file (a
    directory, a FIFO), unreadable, too large or not UTF-8."""
    return read_text_why(root, path)[0]


def read_text_why(root: Path, path: str) -> tuple[str | None, str]:
    """(the file's text, "") or (None, why it cannot be fixed, "" when it is missing)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(root / path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None, ""
    except OSError as exc:
        if os.path.islink(root / path):
            return None, "it is a symlink"
        return None, f"it cannot be read ({exc.strerror or exc})"
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            return None, "it is a directory"
        if not stat.S_ISREG(mode):
            return None, "it is not a regular file"
        data = b""
        while len(data) <= MAX_FIX_BYTES and (chunk := os.read(fd, 1 << 20)):
            data += chunk
    except OSError as exc:
        return None, f"it cannot be read ({exc.strerror or exc})"
    finally:
        os.close(fd)
    if len(data) > MAX_FIX_BYTES:
        return None, f"it is over {MAX_FIX_BYTES // 2**20} MiB"
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError:
        return None, "it is not UTF-8 text"


def note(message: str) -> None:
    """Tell the user what a fix did not do (stderr, one safe log line)."""
    from twelvefold.report import log_line

    sys.stderr.write(f"twelvefold: {log_line(message)}\n")


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
    from twelvefold.fixes import (
        dockerfile_exec_form,
        gitignore,
        notebook_outputs,
        unused_suppression,
    )

    discovery = discover_only(root, config)
    files = discovery.files
    in_scope = files if only is None else [entry for entry in files if entry.path in only]
    changes: list[FileChange] = []
    for module in (notebook_outputs, dockerfile_exec_form):
        if not _selected(module.CODES, config):
            continue
        if _wired(module.CODES):
            paths = sorted(
                {
                    path
                    for f in findings
                    if f.code in module.CODES
                    for path in (f.path, *f.files)
                    if path
                }
            )
        else:
            paths = [entry.path for entry in in_scope if entry.kind in module.KINDS]
        for path in paths:
            before = read_text(root, path)
            if before is None:
                continue
            after, description = module.fix(before)
            if after != before:
                changes.append(FileChange(path, before, after, description))
    if _selected(unused_suppression.CODES, config):
        changes += _unused_suppression_changes(root, findings)
    changes = _restorable_only(root, discovery, changes)
    change = gitignore.plan(root, files, findings, lambda codes: _selected(codes, config), _wired)
    if change is not None:
        changes.append(change)
    return changes


def _unused_suppression_changes(root: Path, findings: Sequence[Finding]) -> list[FileChange]:
    """Remove the codes TF106 findings name from the comments on their lines."""
    from twelvefold.fixes import unused_suppression

    by_path: dict[str, dict[int, set[str]]] = {}
    for finding in findings:
        if finding.code not in unused_suppression.CODES or not finding.path or not finding.line:
            continue
        named = unused_suppression.FINDING_CODE.search(finding.message)
        if named is not None and finding.cell is None:
            lines = by_path.setdefault(finding.path, {})
            lines.setdefault(finding.line, set()).add(named.group("code").upper())
    changes = []
    for path, removals in sorted(by_path.items()):
        before = read_text(root, path)
        if before is None:
            continue
        after, description = unused_suppression.fix(before, removals)
        if after != before:
            changes.append(FileChange(path, before, after, description))
    return changes


def _restorable_only(
    root: Path, discovery: Discovery, changes: list[FileChange]
) -> list[FileChange]:
    """The changes to files git can give back (see the module's docstring); each other
    file is named on stderr."""
    if not changes:
        return changes
    tracked = {entry.path for entry in discovery.files if entry.tracked}
    unstaged = _unstaged(root, discovery) if tracked else None
    kept = []
    for change in changes:
        if change.path not in tracked:
            why = (
                "git does not track it"
                if discovery.git_root is not None
                else "the folder is not a git repository"
            )
        elif unstaged is None:
            why = "git could not tell whether it has unstaged changes"
        elif change.path in unstaged:
            why = "it has unstaged changes"
        else:
            kept.append(change)
            continue
        note(
            f"not fixing {change.path} ({change.description}): {why}, so git could not "
            "give it back; stage or commit it, then run --fix again"
        )
    return kept


def _unstaged(root: Path, discovery: Discovery) -> set[str] | None:
    """Paths (from `root`) of tracked files whose content in the work tree is not the
    one in git's index (modified, deleted, in conflict); None when git cannot tell."""
    import subprocess

    from twelvefold.discovery import _SAFE_GIT

    if discovery.git_root is None:
        return None
    try:
        prefix = root.resolve().relative_to(Path(discovery.git_root).resolve()).as_posix()
        result = subprocess.run(
            [
                *_SAFE_GIT,
                "-C",
                str(root),
                "status",
                "--porcelain=v1",
                "-z",
                "--untracked-files=no",
                "--ignore-submodules=all",
                "--no-renames",
                "--",
                ".",
            ],
            capture_output=True,
            timeout=120,
            check=False,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    start = "" if prefix == "." else prefix + "/"
    changed = set()
    for record in result.stdout.split(b"\0"):
        # "XY path": X is the index against HEAD (staged), Y the work tree against the
        # index: a change in Y is one git does not hold.
        path = os.fsdecode(record[3:])
        if len(record) > 3 and record[1:2] != b" " and path.startswith(start):
            changed.add(path[len(start) :])
    return changed


def apply_changes(root: Path, changes: Sequence[FileChange]) -> None:
    """Write the fixes. Every destination is checked before any is written: a file that
    is a symlink, sits under a symlinked folder or has other hard links is refused
    (`safe_io.UnsafeWriteError`), since writing it would change a file elsewhere."""
    from twelvefold import safe_io

    for change in changes:
        safe_io.check_writable(root / change.path, within=root)
    for change in changes:
        # Written as is: the fixes keep the file's own line endings.
        safe_io.write_text(root / change.path, change.after, within=root)


def unified_diff(change: FileChange, prefix: str = "") -> str:
    """The change as a unified diff, for reading (`--diff` prints it to a terminal or a
    CI log): secrets are masked (a notebook output, a Dockerfile line), control
    characters other than tabs and line ends are shown as `\\x1b`, and GitHub workflow
    commands are neutralised (see `report.neutralise_commands`). A line changed that way
    no longer applies as a patch; `--fix` writes the real change."""
    from twelvefold.masking import mask_secrets
    from twelvefold.report import escape_control, neutralise_commands

    before = (change.before or "").splitlines(keepends=True)
    after = change.after.splitlines(keepends=True)
    name = escape_control(prefix + change.path)  # a header is one line, whatever the name
    old = f"a/{name}" if change.before is not None else "/dev/null"
    lines = list(difflib.unified_diff(before, after, old, f"b/{name}"))
    text = mask_secrets(
        "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            for line in lines
        )
    )
    shown: list[str] = []
    for line in text.splitlines(keepends=True):
        # Only the line's own end stays raw (a lone CR ends a line in a log too).
        end = "\r\n" if line.endswith("\r\n") else "\n" if line.endswith("\n") else ""
        shown.append(escape_control(line[: len(line) - len(end)], keep="\t") + end)
    return neutralise_commands("".join(shown))


__all__ = ["FileChange", "apply_changes", "plan", "read_text", "unified_diff"]
