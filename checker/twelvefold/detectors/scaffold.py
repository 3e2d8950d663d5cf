"""A repository that is only the scaffold its generator wrote: nothing to test or gate yet."""

from __future__ import annotations

from twelvefold import kinds
from twelvefold.repo import Repo

#: All the Python code a generator's stub holds: `uv init`'s `main.py` printing "Hello
#: from my-project!" is 85 bytes.
_STUB_BYTES = 300


def only_a_stub(repo: Repo) -> bool:
    """The repository's Python is one generated stub (`uv init`'s hello-world `main.py`,
    under `_STUB_BYTES`) beside at most one notebook: a project three commits old, with
    nothing yet to test or to run in CI."""
    modules = [entry for entry in repo.files if entry.kind == kinds.PYTHON]
    notebooks = sum(1 for entry in repo.files if entry.kind == kinds.NOTEBOOK)
    return (
        len(modules) == 1
        and modules[0].path in _STUB_NAMES
        and modules[0].size <= _STUB_BYTES
        and notebooks <= 1
    )


#: What a generator names its stub: `uv init` writes a `main.py` printing "Hello from
#: <project>!" (the one seen in a judged repository).
_STUB_NAMES = frozenset({"main.py"})
