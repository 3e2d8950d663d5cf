"""copier task: make a freshly generated project a git repository with its files staged.

copier.yml runs this on `copier copy` only, in the new project, with copier's own Python
(`_copier_python`), so it behaves the same on Linux, macOS and Windows and needs no shell.

- git is missing: says so and succeeds; the project works without git (run `git init`
  later). Generating files must never fail because of git.
- the project is already inside a git work tree (a folder of a monorepo, a cloned empty
  repository): that repository and its index are the user's, so nothing is touched.
- otherwise: `git init` then `git add -A`, so the project is a repository from its first
  minute (twelvefold's factor 1 checks need one) and the first commit is one command.

A git command that fails is reported on stderr and the task still succeeds.
"""

from __future__ import annotations

import shutil
import subprocess
import sys


def git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False)


def warn(message: str) -> None:
    sys.stderr.write(f"twelvefold: {message}\n")


def main() -> int:
    if shutil.which("git") is None:
        warn(
            "git was not found, so the project is not a git repository yet; in it, run: git init && git add -A"
        )
        return 0
    inside = git("rev-parse", "--is-inside-work-tree")
    if inside.returncode == 0 and inside.stdout.strip() == "true":
        return 0
    # git init prints a hint about the default branch name even with --quiet; it is
    # captured and shown only when the command fails.
    for args in (("init", "--quiet"), ("add", "-A")):
        result = git(*args)
        if result.returncode:
            warn(f"`git {' '.join(args)}` failed: {result.stderr.strip() or result.stdout.strip()}")
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
