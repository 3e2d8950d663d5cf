"""What a run remembers, and under which keys: the per-file cache and the run memo.

The storage is `twelvefold.cache` (`ResultCache` for per-file outcomes, `RunMemo` for a
whole report); this module says what each is a function of. The cache's name covers
the tool, the Python version, the code of the rules, the selected rules with their
options and severities, and the root (`cache_name`); the memo's key adds the
configuration, git's view and the stat key of every discovered file (`open_memo`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from twelvefold import file_pass
from twelvefold.discovery import Discovery
from twelvefold.model import Diagnostic
from twelvefold.rule import FACTS
from twelvefold.settings import Settings

if TYPE_CHECKING:
    from twelvefold.cache import ResultCache, RunMemo

#: A file changed less than this long before the run may change again within the same
#: mtime tick (coarse file-system clocks): a run that saw one does not leave a memo.
RACY_WINDOW_NS = 2_000_000_000


def open_memo(
    root: Path, named_files: bool, discovery: Discovery, settings: Settings, name: str | None
) -> RunMemo | None:
    """The memo of the last full run (see `cache.RunMemo`), or None when it cannot be
    trusted: no cache, a pre-commit run, or a tree outside git (a rule then looks for a
    `.git` folder in the parents, which no stat of the file list would notice).
    `named_files`: the run checks some files only (pre-commit)."""
    if name is None or named_files or discovery.git_root is None:
        return None
    import hashlib
    import json
    import time

    from twelvefold import cache

    # Everything the report is a function of, apart from what the cache name covers
    # (tool, rules, options, root): the configuration, git's view and the stat key of
    # every file, and the one file repo rules read outside the list.
    attributes = _stat_key(os.path.join(discovery.git_root, ".git", "info", "attributes"))
    head = json.dumps(
        [repr(settings.config), str(discovery.git_root), discovery.diagnostics, attributes],
        default=repr,
    )
    digest = hashlib.blake2b(head.encode("utf-8", "surrogateescape"), digest_size=16)
    newest = 0
    for entry in discovery.files:
        digest.update(
            f"{entry.path}\0{entry.kind}\0{entry.tracked}\0{entry.size}\0{entry.mtime_ns}\0{entry.inode}\0{entry.ctime_ns}\n".encode(
                "utf-8", "surrogateescape"
            )
        )
        newest = max(newest, entry.mtime_ns, entry.ctime_ns)
    trusted = newest < time.time_ns() - RACY_WINDOW_NS
    return cache.RunMemo(cache.cache_dir(root), name, digest.hexdigest(), trusted)


def _stat_key(path: str) -> tuple[int, int, int, int]:
    try:
        info = os.lstat(path)
    except OSError:
        return (0, 0, 0, 0)
    return (info.st_mtime_ns, info.st_size, info.st_ino, info.st_ctime_ns)


def cache_name(root: Path, settings: Settings, diagnostics: list[Diagnostic]) -> str | None:
    """The cache's name for this root, tool and rule configuration (None: no cache, and
    a warning in `diagnostics` when the cache folder or the per-user key is refused: see
    the trust model in `cache`)."""
    from twelvefold import __version__, cache

    modules = {type(rule).__module__ for rule in settings.rules}
    modules |= {fact.extract.__module__ for fact in FACTS.values()}
    parts = {
        "version": __version__,
        "python": list(sys.version_info[:2]),
        "code": cache.code_fingerprint(modules),
        "root": str(root.resolve()),
        "rules": [
            (rule.code, type(rule).__qualname__, rule.settings, settings.severity(rule).value)
            for rule in settings.rules
        ],
        "known": sorted(settings.known),
        "max_file_bytes": file_pass.MAX_FILE_BYTES,
    }
    problems: list[str] = []
    name = cache.namespace(parts, problems)
    if name is not None:
        folder, problem = cache.open_folder(root)
        if folder is None:
            name = None
            problems += [problem] if problem else []
    diagnostics.extend(Diagnostic(None, problem) for problem in problems)
    return name


def open_store(root: Path, name: str | None) -> ResultCache | None:
    if name is None:
        return None
    from twelvefold import cache

    return cache.ResultCache(cache.cache_dir(root), name)
