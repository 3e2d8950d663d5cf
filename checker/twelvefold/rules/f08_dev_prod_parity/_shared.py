"""What several factor 8 rules share: the lock files of the repository."""

from __future__ import annotations

import posixpath

from twelvefold.manifests import LOCK_FILES
from twelvefold.repo import Repo


def _lock_files(repo: Repo) -> list[str]:
    return sorted(
        entry.path for entry in repo.files if posixpath.basename(entry.path) in LOCK_FILES
    )
