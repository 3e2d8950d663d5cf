"""copier migration: carry the project's own version of a file the template moved.

    python move_file.py OLD NEW      (paths relative to the project, forward slashes)

Declared in copier.yml for the release that moved the file, at the "after" stage:

    _migrations:
      - version: v1.3.0
        command: ["{{ _copier_python }}", "{{ _copier_conf.src_path }}/template_tasks/move_file.py", "tests/test_config.py", "tests/unit/test_config.py"]

Why "after": during `copier update`, copier writes NEW with the template's content and then
deletes OLD, because OLD exists only in the old template, even when the user edited it.
The user's version is still in the last commit (`copier update` refuses a dirty tree),
so this step puts it at NEW. It then removes the leftovers of the file copier
could not update in place: OLD itself and `OLD.rej` (copier's rejected hunks for it).

It acts only when it has something to carry and nothing to overwrite. OLD must be
in the project's last commit, and NEW must not be, so it is idempotent. Running it again
after the update has been committed does nothing, and a project that already made the move
by hand keeps its NEW. The release that moves a file must only move it: the user's
version replaces the template's NEW, so a content change in the same release would be
lost. Content changes go in a later release, where copier merges them as usual.
The result is left unstaged, like the rest of the update, for review with `git status` /
`git diff`; after `git add -A`, git records the move as a rename.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def committed(path: str) -> bytes | None:
    """The file at `path` (relative to the current directory) in HEAD, or None."""
    result = subprocess.run(["git", "show", f"HEAD:./{path}"], capture_output=True, check=False)
    return result.stdout if result.returncode == 0 else None


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write("usage: move_file.py OLD NEW\n")
        return 2
    old, new = argv
    previous = committed(old)
    if previous is None or committed(new) is not None:
        return 0  # nothing to carry, or NEW is already the project's own file
    old_path, new_path = Path(old), Path(new)
    content = old_path.read_bytes() if old_path.is_file() else previous
    new_path.parent.mkdir(parents=True, exist_ok=True)
    new_path.write_bytes(content)
    old_path.unlink(missing_ok=True)
    Path(f"{old}.rej").unlink(missing_ok=True)
    sys.stderr.write(f"twelvefold migration: moved {old} to {new} (your version kept)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
