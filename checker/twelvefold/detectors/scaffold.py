"""A repository that is only the scaffold its generator wrote: nothing to test or gate yet."""

from __future__ import annotations

from twelvefold import kinds
from twelvefold.project import roles as role
from twelvefold.repo import Repo

#: All the Python code a generator's stub holds: `uv init`'s `main.py` printing "Hello
#: from my-project!" is 85 bytes.
_STUB_BYTES = 300


def only_a_stub(repo: Repo) -> bool:
    """The repository's Python is one generated stub (`uv init`'s hello-world `main.py`,
    under `_STUB_BYTES`) beside at most one notebook, or an exercise's skeleton
    (`only_examples`): a project with nothing of its own yet to test or to run in CI."""
    modules = [entry for entry in repo.files if entry.kind == kinds.PYTHON]
    notebooks = sum(1 for entry in repo.files if entry.kind == kinds.NOTEBOOK)
    if len(modules) == 1 and modules[0].path in _STUB_NAMES and modules[0].size <= _STUB_BYTES:
        return notebooks <= 1
    return only_examples(repo)


def only_examples(repo: Repo) -> bool:
    """The repository's Python is examples and empty modules, no notebook: an exercise's
    skeleton (an empty `api/main.py` to fill in beside `exercises/`), which runs nowhere
    yet."""
    if any(entry.kind == kinds.NOTEBOOK for entry in repo.files):
        return False
    roles = [
        (entry, repo.model.role(entry.path)) for entry in repo.files if entry.kind == kinds.PYTHON
    ]
    return any(kind == role.EXAMPLE for _, kind in roles) and not any(
        entry.size > 0 and kind in role.OWN_CODE for entry, kind in roles
    )


#: What a generator names its stub: `uv init` writes a `main.py` printing "Hello from
#: <project>!" (the one seen in a judged repository).
_STUB_NAMES = frozenset({"main.py"})
