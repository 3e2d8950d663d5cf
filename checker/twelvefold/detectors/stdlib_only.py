"""Whether a repository's Python needs any package at all: nothing to declare or lock."""

from __future__ import annotations

from twelvefold import kinds
from twelvefold.detectors.import_names import is_stdlib
from twelvefold.repo import Repo


def standard_library_only(repo: Repo) -> bool:
    """Every Python module and notebook imports only the standard library and the
    repository's own modules (a Node app's two generators of dummy JSON): there is no
    package to declare. Read from the import scan, no parse; a file the scan cannot read
    (or cannot be read) counts as importing something."""
    code = [*repo.of_kind(kinds.PYTHON), *repo.of_kind(kinds.NOTEBOOK)]
    own = {
        part.removesuffix(".py")
        for entry in repo.of_kind(kinds.PYTHON)
        for part in entry.path.split("/")
    }
    for entry in code:
        source = repo.source(entry.path)
        python = source.python if source is not None else None
        tops = python.imported_tops if python is not None else None
        if tops is None or any(top not in own and not is_stdlib(top) for top in tops):
            return False
    return bool(code)
