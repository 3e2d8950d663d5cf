"""copier task: point the project's checker at the template's git remote, not at a folder.

    python checker_source.py SRC_PATH COMMIT

copier.yml runs this first, in the new project, with copier's own Python. The project's
`[tool.uv.sources]` gets the twelvefold checker from the same source and commit as the
template (copier.yml, `twelvefold_source`). A template copied from a URL gives a git source
already. A template copied from a local folder (a clone, `.ci/demo`) gives
`{ path = "SRC_PATH", editable = false }`, which only exists on this machine: uv.lock would
record the folder, and `uv sync --locked` fails in CI and in the image.

So, when the source is exactly that path default (never a source the user chose with
`--data twelvefold_source=...`), this replaces it with the clone's `origin` remote, pinned
to COMMIT (the commit copier rendered):

    twelvefold = { git = "<origin URL>", rev = "<commit>" }

Only when that is impossible (no git, no origin remote, or the commit is on no branch of
origin, so nobody else could fetch it) the path stays, with a loud warning on stderr.
Credentials in the remote URL (`https://user:token@host/...`) are never written.
Runs the same on `copier update` (copier renders the old and the new release with the
tasks), so both renders carry the git source and the update moves `rev` forward.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PYPROJECT = Path("pyproject.toml")


def warn(message: str) -> None:
    bar = "!" * 78
    sys.stderr.write(f"{bar}\ntwelvefold: {message}\n{bar}\n")


def git(repo: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
        )
    except OSError:  # git is not installed
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def path_default(src: str) -> str:
    """The line copier.yml renders for a template copied from the folder `src`."""
    return f'twelvefold = {{ path = "{src.replace(chr(92), "/")}", editable = false }}'


def remote_url(repo: Path, url: str) -> str:
    """`url` (as `git remote get-url` prints it) in a form uv accepts, without credentials."""
    if re.match(r"^[\w.-]+@[\w.-]+:", url):  # scp-like: git@github.com:org/repo.git
        user_host, path = url.split(":", 1)
        return f"ssh://{user_host}/{path}"
    if "://" not in url:  # a path remote, relative to the clone
        return (repo / url).resolve().as_uri()
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and ("@" in parts.netloc):
        parts = parts._replace(netloc=parts.netloc.rsplit("@", 1)[1])
    elif parts.password:
        parts = parts._replace(netloc=f"{parts.username}@{parts.netloc.rsplit('@', 1)[1]}")
    return urlunsplit(parts)


def git_source(src: Path, commit: str) -> tuple[str | None, str]:
    """(the git source line, None when impossible; why, or a note about the commit)."""
    origin = git(src, "remote", "get-url", "origin")
    if not origin:
        return None, f"{src} has no `origin` remote"
    note = ""
    if not commit or git(src, "cat-file", "-e", f"{commit}^{{commit}}") is None:
        # copier rendered uncommitted changes (a commit of its own): pin the clone's HEAD.
        commit = git(src, "rev-parse", "HEAD") or ""
        note = (
            f"the template had uncommitted changes; the checker is pinned to {commit[:12]}, "
            "without them."
        )
    if not commit:
        return None, f"{src} has no commit"
    if not git(src, "branch", "--remotes", "--contains", commit, "--list", "origin/*"):
        return None, f"commit {commit[:12]} is not on any branch of `origin` (push it first)"
    url = remote_url(src, origin)
    return f'twelvefold = {{ git = "{url}", rev = "{commit}" }}', note


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write("usage: checker_source.py SRC_PATH COMMIT\n")
        return 2
    src, commit = argv
    text = PYPROJECT.read_text(encoding="utf-8")
    line = path_default(src)
    if line not in text.splitlines():
        return 0  # a URL template or a source the user chose: nothing to do
    replacement, reason = git_source(Path(src), commit)
    if replacement is None:
        warn(
            f"the checker comes from the folder {src} ({reason}).\n"
            "uv.lock records that folder, so `uv sync --locked` works on this machine only:\n"
            "CI and the Docker build will fail. Copy the template from its git URL, or set\n"
            '[tool.uv.sources] twelvefold = { git = "<url>", rev = "<commit>" } in\n'
            "pyproject.toml and run `uv lock`."
        )
        return 0
    PYPROJECT.write_text(text.replace(line, replacement, 1), encoding="utf-8")
    if reason:
        warn(reason)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
