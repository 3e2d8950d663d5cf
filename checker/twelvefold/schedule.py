"""Where each file's outcome comes from: the cache, a pool of workers, or this process.

`outcomes` looks every task up in the per-file cache first; what is missing is computed
by one `FilePass`, here for small runs and in a process pool for large ones (the pool
repays its start only above `POOL_MIN_FILES` files and `POOL_MIN_BYTES`). Results come
back in task order whatever computed them, so a pooled run reports what a serial one
does (`tests/test_parallel.py`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from twelvefold import file_pass
from twelvefold.config import Config
from twelvefold.file_pass import FilePass, FileTask
from twelvefold.settings import Settings, resolve
from twelvefold.sources import read_regular_file

if TYPE_CHECKING:
    from twelvefold.cache import FileOutcome, ResultCache

#: The pool starts only above this much uncached work: forking workers costs ~30 ms.
POOL_MIN_FILES = 200


#: From this many files to compute, prefilters are answered by one scan (`scan`).
ONE_SCAN_MIN_FILES = 200


POOL_MIN_BYTES = 2 * 1024 * 1024


_CHUNKS_PER_WORKER = 8


def outcomes(
    root: Path,
    tasks: list[FileTask],
    settings: Settings,
    *,
    store: ResultCache | None,
    jobs: int | None,
    present: set[str],
    meanwhile: Callable[[], None] = lambda: None,
) -> list[FileOutcome]:
    """One outcome per task, in task order: from the cache, a worker pool, or here.
    `present` is every discovered file: entries of the others (deleted files) are
    dropped, but not those of files this run merely asks nothing of (pre-commit).
    `meanwhile` is called once: while a pool works, else after the outcomes are known."""
    waiting = _Once(meanwhile)
    found: list[FileOutcome | None] = [None] * len(tasks)
    if store is not None:
        for index, task in enumerate(tasks):
            outcome = store.lookup(task.path, task.stat, task.variant)
            if outcome is None and store.has_content_hash(task.path):
                digest = _digest(root / task.path)
                if digest is not None:
                    outcome = store.lookup_content(task.path, task.stat, task.variant, digest)
            found[index] = outcome
    missing = [index for index, outcome in enumerate(found) if outcome is None]
    if missing:
        computed = _compute(
            root,
            [tasks[i] for i in missing],
            settings,
            jobs,
            hashes=store is not None,
            meanwhile=waiting,
        )
        for index, outcome in zip(missing, computed, strict=True):
            found[index] = outcome
            # A file that could not be read (permissions) may become readable without a
            # new stat key: only what was read, or needed no reading, is kept.
            if store is not None and (outcome.content_hash is not None or not outcome.diagnostics):
                store.store(tasks[index].path, tasks[index].stat, tasks[index].variant, outcome)
    if store is not None:
        store.keep_only(present)
        store.save()
    waiting()
    return [outcome for outcome in found if outcome is not None]


class _OwnWorkFailed(Exception):
    """An error of this process's own work while the pool ran (`meanwhile`): it is not
    the pool's, so it propagates instead of sending the work to the serial path."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


class _Once:
    """`call` the first time this is called, never again."""

    def __init__(self, call: Callable[[], None]) -> None:
        self._call: Callable[[], None] | None = call

    def __call__(self) -> None:
        call, self._call = self._call, None
        if call is not None:
            call()


def _digest(path: Path) -> str | None:
    from twelvefold.cache import content_hash

    try:
        return content_hash(read_regular_file(path, file_pass.MAX_FILE_BYTES))
    except OSError:
        return None


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _compute(
    root: Path,
    tasks: list[FileTask],
    settings: Settings,
    jobs: int | None,
    *,
    hashes: bool,
    meanwhile: Callable[[], None],
) -> list[FileOutcome]:
    workers = min(jobs or _usable_cpus(), _usable_cpus())
    if (
        workers > 1
        and len(tasks) >= POOL_MIN_FILES
        and sum(task.size for task in tasks) >= POOL_MIN_BYTES
    ):
        try:
            return _compute_in_pool(
                root, tasks, settings, workers, hashes=hashes, meanwhile=meanwhile
            )
        except _OwnWorkFailed as failed:
            raise failed.error from None
        except Exception:  # a pool that cannot start or breaks: the same work, here
            pass
    file_pass = FilePass(root, settings, one_scan=len(tasks) >= ONE_SCAN_MIN_FILES, hashes=hashes)
    return _process_all(file_pass, tasks)


#: Files processed between two collections of cyclic garbage (see `_process_all`).
_COLLECT_EVERY = 50


def _process_all(file_pass: FilePass, tasks: Iterable[FileTask]) -> list[FileOutcome]:
    """`file_pass.process` of each task, with the cyclic garbage collector paused.

    Parsing allocates millions of short-lived AST nodes; the collections their count
    triggers cost a fifth of a cold run and find almost nothing, because each file's
    parsed forms are released by hand (`SourceFile.release`) and reference counting frees
    them. The little cyclic garbage left is collected every `_COLLECT_EVERY` files."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        outcomes: list[FileOutcome] = []
        for count, task in enumerate(tasks, 1):
            outcomes.append(file_pass.process(task))
            if count % _COLLECT_EVERY == 0:
                gc.collect(1)
        return outcomes
    finally:
        if enabled:
            gc.enable()


_WORKER: FilePass | None = None


def _start_worker(root: Path, config: Config, hashes: bool) -> None:  # a large pass
    global _WORKER
    import gc

    # The configuration pickles; rule objects need not: each worker resolves it once.
    _WORKER = FilePass(root, resolve(config), one_scan=True, hashes=hashes)
    gc.freeze()  # the rules and modules live as long as the worker: never scan them again


def _work(chunk: list[tuple[int, FileTask]]) -> list[tuple[int, FileOutcome]]:
    assert _WORKER is not None
    outcomes = _process_all(_WORKER, [task for _, task in chunk])
    return [(index, outcome) for (index, _), outcome in zip(chunk, outcomes, strict=True)]


def _compute_in_pool(
    root: Path,
    tasks: list[FileTask],
    settings: Settings,
    workers: int,
    *,
    hashes: bool,
    meanwhile: Callable[[], None],
) -> list[FileOutcome]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Largest files first, dealt round-robin into chunks of similar total size, so no
    # worker is left with the one huge file at the end.
    order = sorted(range(len(tasks)), key=lambda i: -tasks[i].size)
    count = min(len(tasks), workers * _CHUNKS_PER_WORKER)
    chunks: list[list[tuple[int, FileTask]]] = [[] for _ in range(count)]
    for position, index in enumerate(order):
        chunks[position % count].append((index, tasks[index]))
    # fork shares the loaded rules with the workers at no cost; elsewhere each worker
    # imports the registry itself.
    method = "fork" if sys.platform == "linux" else None
    context = multiprocessing.get_context(method)
    results: list[FileOutcome | None] = [None] * len(tasks)
    with ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(root, settings.config, hashes),
    ) as pool:
        # Every chunk is submitted (the workers forked) before this process goes on with
        # its own work, which therefore never runs beside a fork.
        done = pool.map(_work, chunks)
        try:
            meanwhile()
        except Exception as exc:
            raise _OwnWorkFailed(exc) from exc
        for chunk in done:
            for index, outcome in chunk:
                results[index] = outcome
    return [outcome for outcome in results if outcome is not None]
