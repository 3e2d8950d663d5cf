"""copier task: create (on copy) or refresh (after an update) the project's uv.lock.

copier.yml runs this in the project, with copier's own Python, after the checker source is
settled. The lock pins every dependency (factor 2); CI, pre-commit and the image install
exactly it, so a project without its lock is broken from its first commit. When `uv lock`
cannot run (uv missing, an index unreachable: PyTorch's CPU wheels come from
download.pytorch.org, not PyPI), this says why on stderr and fails; copier then stops with
an error and removes the half-made project, instead of exiting 0 with no lock.
On `copier update` uv keeps the existing pins and resolves only what the template changed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys


def fail(message: str) -> int:
    sys.stderr.write(f"\ntwelvefold: {message}\n\n")
    return 1


def main() -> int:
    uv = shutil.which("uv")
    if uv is None:
        return fail(
            "uv was not found, so uv.lock cannot be created. Install uv "
            "(https://docs.astral.sh/uv/) and copy the template again."
        )
    result = subprocess.run([uv, "lock"], capture_output=True, text=True, check=False)
    if result.returncode:
        details = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        hint = ""
        if "download.pytorch.org" in details:
            hint = (
                "\nPyTorch's CPU wheels come from https://download.pytorch.org/whl/cpu "
                "([tool.uv.index] in pyproject.toml): that index must be reachable."
            )
        return fail(
            "`uv lock` failed, so the project would have no uv.lock and "
            f"`uv sync --locked` would fail everywhere:\n{details}{hint}\n"
            "Fix the cause (network, proxy, index credentials) and copy the template again."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
