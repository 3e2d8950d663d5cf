"""Run the selected rules over one or more repositories.

Data flows one way: discover files -> read each once -> per-file rules and fact
extractors (behind cheap prefilters) -> repo-level rules -> suppressions -> findings.
A rule that raises is isolated: the failure becomes an internal-error diagnostic naming
the rule and the file, and the run goes on.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twelvefold import kinds
from twelvefold.config import Config, ConfigError, selected_codes
from twelvefold.discovery import Discovery, FileEntry, discover
from twelvefold.model import Diagnostic, Finding, Severity, Violation
from twelvefold.project import build_model
from twelvefold.registry import all_rules
from twelvefold.repo import Repo
from twelvefold.rule import FACTS, FileRule, RepoRule, Rule, passes_prefilter
from twelvefold.sources import SourceFile, read_regular_file
from twelvefold.suppression import (
    MARKER,
    Suppressions,
    line_suppresses,
    scan_source,
    syntax_of,
)

if TYPE_CHECKING:
    from twelvefold.cache import FileOutcome, MemoizedRun, ResultCache, RunMemo
    from twelvefold.scan import Prefilters

#: Content rules skip files larger than this (their size is still known to repo rules).
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass
class RunResult:
    findings: list[Finding]
    diagnostics: list[Diagnostic]
    rules: list[Rule]
    #: factor -> True when at least one selected rule of the factor applied.
    applicable: dict[int, bool]
    files_checked: int = 0
    #: Problems that make the run a usage error (exit 2), e.g. unknown codes in comments.
    usage_errors: list[str] = field(default_factory=list)
    #: Repo rules that did not run because no file they depend on was named
    #: (`Target.named`, `twelvefold.scope`): they reproduced nothing.
    not_asked: set[str] = field(default_factory=set)
    #: Repo rules asked by a run on named files that weigh every file's facts, left to a
    #: full run because the other files' facts were not in the cache (said in a notice).
    deferred: set[str] = field(default_factory=set)

    @property
    def internal_errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.internal]

    def add(self, other: RunResult | MemoizedRun) -> None:
        """Merge the result of another root (or of a memo) into this one."""
        self.findings.extend(other.findings)
        self.diagnostics.extend(other.diagnostics)
        self.usage_errors.extend(other.usage_errors)
        self.files_checked += other.files_checked
        self.not_asked |= getattr(other, "not_asked", set())  # a memo is of a full run
        self.deferred |= getattr(other, "deferred", set())
        for factor, applies in other.applicable.items():
            self.applicable[factor] = self.applicable.get(factor, False) or applies


@dataclass
class Target:
    """One audited repository root, optionally restricted to some files (pre-commit)."""

    root: Path
    only: set[str] | None = None
    #: `only` are files the user named (the pre-commit hook's): repo rules run only when
    #: a file they depend on is named, and report only on those files (`scope`). Without
    #: it (a folder inside a project), every repo rule runs and reports.
    named: bool = False


def build_rules(config: Config, where: str) -> list[Rule]:
    classes = all_rules()
    codes = list(classes)
    factor_of = {code: cls.factor for code, cls in classes.items()}
    chosen = selected_codes(config, codes, factor_of, where)
    by_name = {cls.name: code for code, cls in classes.items()}
    for key, values in config.options.items():
        code = key if key in classes else by_name.get(key)
        if code is None:
            raise ConfigError(
                f"{where}: `options.{key}`: no rule has this name or code; use a rule code "
                "(TF301) or name (hard-coded-secret); `twelvefold rules` lists them"
            )
        unknown = set(values) - set(classes[code].options)
        if unknown:
            valid = ", ".join(sorted(classes[code].options)) or "none"
            raise ConfigError(
                f"{where}: `options.{key}`: unknown option {sorted(unknown)[0]!r}; valid: {valid}"
            )
    rules: list[Rule] = []
    for code in codes:
        if code in chosen:
            cls = classes[code]
            rules.append(cls(config.options.get(code) or config.options.get(cls.name)))
    return rules


def run(
    targets: Sequence[Target],
    config: Config,
    *,
    cache: bool = False,
    jobs: int | None = None,
) -> RunResult:
    """Check `targets`. `cache` reuses per-file results of earlier runs (see `cache.py`);
    `jobs` caps the worker processes of the per-file pass (default: the usable CPUs; the
    pool starts only when there is enough work to repay it)."""
    where = config.source or "command line"
    rules = build_rules(config, where)
    known = set(all_rules())
    result = RunResult([], [], rules, {})
    for target in targets:
        _run_target(target, config, rules, known, result, cache=cache, jobs=jobs)
    result.findings.sort(key=Finding.sort_key)
    # A file parsed both in the per-file pass and by a repo rule reports a problem once.
    result.diagnostics = sorted(
        dict.fromkeys(result.diagnostics), key=lambda d: (d.path or "", d.message)
    )
    return result


def _severity(rule: Rule, config: Config) -> Severity:
    return config.severity.get(rule.code, rule.severity)


def _per_file_ignores(config: Config) -> list[tuple[Any, set[str]]]:
    if not config.per_file_ignores:
        return []
    from pathspec import GitIgnoreSpec

    classes = all_rules()
    factor_of = {code: cls.factor for code, cls in classes.items()}
    from twelvefold.config import resolve_selector

    compiled = []
    for glob, selectors in config.per_file_ignores.items():
        codes: set[str] = set()
        for selector in selectors:
            codes |= resolve_selector(selector, list(classes), factor_of)
        compiled.append((GitIgnoreSpec.from_lines([glob]), codes))
    return compiled


def _exclude_spec(config: Config) -> Any:
    if not config.exclude:
        return None
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(config.exclude)


@dataclass(frozen=True)
class FileTask:
    """One file of the per-file pass: what to read and what to ask of it. Picklable."""

    path: str
    kind: str
    size: int
    codes: tuple[str, ...]  # file rules to run
    facts: tuple[str, ...]  # fact extractors to run
    stat: tuple[int, ...] = (0, 0, 0, 0)  # discovery's (mtime_ns, size, inode, ctime_ns)
    #: The file's role and the repository's kind (`twelvefold.project`).
    role: str = "package"
    repo_kind: str = "application"

    @property
    def variant(self) -> str:
        return f"{','.join(self.codes)}|{','.join(self.facts)}|{self.role}|{self.repo_kind}"


class FilePass:
    """The per-file pass: a pure function of (root, task) once built from the config.

    Built in the main process for small runs and once per worker process for large ones
    (rules are classes registered at import, so a worker builds the same rules from
    their codes)."""

    def __init__(
        self,
        root: Path,
        rules: Sequence[Rule],
        config: Config,
        known: set[str],
        *,
        one_scan: bool = False,
    ):
        self.root = root
        self.rules = {rule.code: rule for rule in rules if isinstance(rule, FileRule)}
        self.config = config
        self.known = known
        #: The run's literal prefilters in one multi-pattern set (`scan`), for passes over
        #: enough files to repay building it (importing RE2 costs ~25 ms).
        self.prefilters: Prefilters | None = None
        if one_scan:
            from twelvefold.scan import Prefilters

            self.prefilters = Prefilters(
                [rule.prefilter for rule in self.rules.values()]
                + [fact.prefilter for fact in FACTS.values()]
            )

    def process(self, task: FileTask) -> FileOutcome:
        from twelvefold.cache import FileOutcome, content_hash

        outcome = FileOutcome()
        source = _read(self.root, task, outcome.diagnostics)
        if source is None:
            outcome.fact_diagnostics = len(outcome.diagnostics)
            return outcome
        source.role, source.repo_kind = task.role, task.repo_kind
        outcome.checked = True
        outcome.content_hash = content_hash(source.data)
        passes = _prefilter_test(self.prefilters, source.data)
        # Facts first: what they leave (facts, parse diagnostics) is a part of the outcome
        # a pre-commit run can reuse from a full run's, which also ran rules on the file.
        for name in task.facts:
            fact = FACTS[name]
            if not passes(fact.prefilter):
                continue
            try:
                value = fact.extract(source)
            except Exception as exc:  # a bug in one extractor must not end the run
                outcome.diagnostics.append(_internal(f"fact {fact.name}", task.path, exc))
                continue
            if value is not None:
                outcome.facts[fact.name] = value
        outcome.diagnostics.extend(Diagnostic(task.path, m) for m in source.diagnostics)
        source.diagnostics.clear()
        outcome.fact_diagnostics = len(outcome.diagnostics)
        rules = [self.rules[code] for code in task.codes]
        _check_file(source, rules, self.config, self.known, outcome, passes)
        outcome.diagnostics.extend(Diagnostic(task.path, m) for m in source.diagnostics)
        if outcome.usage_errors:  # they quote a comment; the cache keeps them
            from twelvefold.masking import mask_secrets

            outcome.usage_errors = [mask_secrets(m) for m in outcome.usage_errors]
        source.release()
        return outcome


def _run_target(
    target: Target,
    config: Config,
    rules: list[Rule],
    known: set[str],
    result: RunResult,
    *,
    cache: bool = False,
    jobs: int | None = None,
) -> None:
    discovery = discover(target.root, _exclude_spec(config))
    name = _cache_name(target.root, rules, config, known, result.diagnostics) if cache else None
    memo = _open_memo(target, discovery, config, name)
    remembered = memo.load() if memo is not None else None
    if remembered is not None:
        result.add(remembered)
        return
    part = RunResult([], [], rules, {})
    _check_target(target, discovery, config, rules, known, part, cache_name=name, jobs=jobs)
    if memo is not None:
        from twelvefold.cache import MemoizedRun

        memo.save(
            MemoizedRun(
                part.findings,
                part.diagnostics,
                part.usage_errors,
                part.files_checked,
                part.applicable,
            )
        )
    result.add(part)


#: A file changed less than this long before the run may change again within the same
#: mtime tick (coarse file-system clocks): a run that saw one does not leave a memo.
RACY_WINDOW_NS = 2_000_000_000


def _open_memo(
    target: Target, discovery: Discovery, config: Config, cache_name: str | None
) -> RunMemo | None:
    """The memo of the last full run (see `cache.RunMemo`), or None when it cannot be
    trusted: no cache, a pre-commit run, or a tree outside git (a rule then looks for a
    `.git` folder in the parents, which no stat of the file list would notice)."""
    if cache_name is None or target.only is not None or discovery.git_root is None:
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
        [repr(config), str(discovery.git_root), discovery.diagnostics, attributes],
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
    return cache.RunMemo(cache.cache_dir(target.root), cache_name, digest.hexdigest(), trusted)


def _check_target(
    target: Target,
    discovery: Discovery,
    config: Config,
    rules: list[Rule],
    known: set[str],
    result: RunResult,
    *,
    cache_name: str | None,
    jobs: int | None,
) -> None:
    for message in discovery.diagnostics:
        result.diagnostics.append(Diagnostic(None, message))
    file_rules = [rule for rule in rules if isinstance(rule, FileRule)]
    repo_rules = [rule for rule in rules if isinstance(rule, RepoRule)]
    needed_facts = sorted({name for rule in repo_rules for name in rule.facts})
    # Every selected rule, even one a run on named files does not ask: the facts a file
    # gets are a full run's, so that run's cache serves them (`FileTask.variant`).
    all_repo_rules = repo_rules
    deciding: set[str] = set()
    if target.named and target.only is not None:
        repo_rules, deciding = _asked(target.only, discovery, repo_rules, result)
        # No rule that runs reads a fact: no other file is read. Otherwise every fact,
        # as a full run asks them, so the cache of a full run serves the other files.
        if not any(rule.facts for rule in repo_rules):
            needed_facts = []
    for name in needed_facts:
        if name not in FACTS:
            raise ConfigError(f"a rule needs the unknown fact {name!r}")
    ignores = _per_file_ignores(config)
    applicable_kinds = {entry.kind for entry in discovery.files}
    model = build_model(
        target.root, discovery.files, kind=config.kind, role_globs=config.roles or None
    )
    # A rule for other kinds of repository does not run here (its factor may be n/a).
    file_rules = [rule for rule in file_rules if _for_kind(rule, model.kind)]

    # Which rules and facts a kind of file gets, worked out once per kind and role. A
    # fact is extracted from a file only for a rule that runs on this kind of repository
    # and reads that file's role (`Repo.facts` gives a rule only its roles' facts): a
    # library's modules are not parsed for a rule about applications.
    rules_of: dict[tuple[str, str], list[FileRule]] = {}
    facts_of: dict[tuple[str, str], tuple[str, ...]] = {}
    readers = [rule for rule in all_repo_rules if rule.facts and _for_kind(rule, model.kind)]
    tasks: list[FileTask] = []
    for entry in discovery.files:
        codes: tuple[str, ...] = ()
        if target.only is None or entry.path in target.only:
            ignored_here = _ignored_codes(entry.path, ignores) if ignores else set()
            role = model.roles[entry.path]
            asked = rules_of.get((entry.kind, role))
            if asked is None:
                asked = rules_of[entry.kind, role] = [
                    rule
                    for rule in file_rules
                    if entry.kind in rule.kinds and (rule.roles is None or role in rule.roles)
                ]
            codes = tuple(
                rule.code
                for rule in asked
                if rule.code not in ignored_here
                and (not rule.globs or _matches(entry.path, rule.globs))
            )
        wanted_facts = facts_of.get((entry.kind, model.roles[entry.path]))
        if wanted_facts is None:
            role = model.roles[entry.path]
            wanted_facts = facts_of[entry.kind, role] = tuple(
                name
                for name in needed_facts
                if entry.kind in FACTS[name].kinds
                and any(
                    name in rule.facts and (rule.roles is None or role in rule.roles)
                    for rule in readers
                )
            )
        if codes or wanted_facts:
            tasks.append(
                FileTask(
                    entry.path,
                    entry.kind,
                    entry.size,
                    codes,
                    wanted_facts,
                    entry.stat_key,
                    model.roles[entry.path],
                    model.kind,
                )
            )

    store = _open_store(target.root, cache_name)
    if target.named and target.only is not None:
        tasks, repo_rules = _scope_facts(target.only, tasks, repo_rules, result)
    present = {entry.path for entry in discovery.files}
    outcomes = _outcomes(
        target.root, tasks, rules, config, known, store=store, jobs=jobs, present=present
    )
    facts: dict[str, dict[str, Any]] = {name: {} for name in needed_facts}
    for task, outcome in zip(tasks, outcomes, strict=True):
        result.findings.extend(outcome.findings)
        result.diagnostics.extend(outcome.diagnostics)
        result.usage_errors.extend(outcome.usage_errors)
        result.files_checked += outcome.checked
        for name, value in outcome.facts.items():
            facts[name][task.path] = value

    for rule in file_rules:
        if any(kind in applicable_kinds for kind in rule.kinds):
            result.applicable[rule.factor] = True
        else:
            result.applicable.setdefault(rule.factor, False)

    # Repo rules read the few files they need (manifests, CI files) themselves: the
    # per-file pass keeps no file content, so memory stays bounded on any tree.
    repo = Repo(target.root, discovery.files, git_root=discovery.git_root, facts=facts, model=model)
    shown = target.only if target.named else None
    _run_repo_rules(repo, repo_rules, config, known, ignores, result, shown, deciding)
    for path, messages in repo.diagnostics.items():
        result.diagnostics.extend(Diagnostic(path, message) for message in messages)
    parsed = repo.parse_diagnostics()
    if parsed:
        # A repo rule may parse a module the per-file pass parsed too (TF206 parses the
        # few modules that may import something undeclared): one report of its error.
        reported = {(d.path, d.message) for d in result.diagnostics}
        for path, messages in parsed.items():
            result.diagnostics.extend(
                Diagnostic(path, message) for message in messages if (path, message) not in reported
            )


#: The pool starts only above this much uncached work: forking workers costs ~30 ms.
POOL_MIN_FILES = 200
#: From this many files to compute, prefilters are answered by one scan (`scan`).
ONE_SCAN_MIN_FILES = 200
POOL_MIN_BYTES = 2 * 1024 * 1024
_CHUNKS_PER_WORKER = 8


def _open_store(root: Path, cache_name: str | None) -> ResultCache | None:
    if cache_name is None:
        return None
    from twelvefold import cache

    return cache.ResultCache(cache.cache_dir(root), cache_name)


def _scope_facts(
    only: set[str], tasks: list[FileTask], repo_rules: list[RepoRule], result: RunResult
) -> tuple[list[FileTask], list[RepoRule]]:
    """The tasks and repo rules of a run on named files (pre-commit): a rule that judges
    each file by its own facts needs the named files only; a rule that weighs every
    file's facts ("is numpy seeded anywhere?") is left to a full run
    (`result.deferred`, said in a notice), cache or not, so the report of a pre-commit
    run never depends on what an earlier run left in the cache, and no other file is
    read or parsed."""
    weighing = {rule.code for rule in repo_rules if rule.facts and not rule.facts_per_file}
    result.deferred |= weighing
    return (
        [task for task in tasks if task.path in only],
        [rule for rule in repo_rules if rule.code not in weighing],
    )


def _outcomes(
    root: Path,
    tasks: list[FileTask],
    rules: list[Rule],
    config: Config,
    known: set[str],
    *,
    store: ResultCache | None,
    jobs: int | None,
    present: set[str],
) -> list[FileOutcome]:
    """One outcome per task, in task order: from the cache, a worker pool, or here.
    `present` is every discovered file: entries of the others (deleted files) are
    dropped, but not those of files this run merely asks nothing of (pre-commit)."""
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
        computed = _compute(root, [tasks[i] for i in missing], rules, config, known, jobs)
        for index, outcome in zip(missing, computed, strict=True):
            found[index] = outcome
            # A file that could not be read (permissions) may become readable without a
            # new stat key: only what was read, or needed no reading, is kept.
            if store is not None and (outcome.content_hash is not None or not outcome.diagnostics):
                store.store(tasks[index].path, tasks[index].stat, tasks[index].variant, outcome)
    if store is not None:
        store.keep_only(present)
        store.save()
    return [outcome for outcome in found if outcome is not None]


def _stat_key(path: str) -> tuple[int, int, int, int]:
    try:
        info = os.lstat(path)
    except OSError:
        return (0, 0, 0, 0)
    return (info.st_mtime_ns, info.st_size, info.st_ino, info.st_ctime_ns)


def _digest(path: Path) -> str | None:
    from twelvefold.cache import content_hash

    try:
        return content_hash(read_regular_file(path, MAX_FILE_BYTES))
    except OSError:
        return None


def _cache_name(
    root: Path, rules: list[Rule], config: Config, known: set[str], diagnostics: list[Diagnostic]
) -> str | None:
    """The cache's name for this root, tool and rule configuration (None: no cache, and
    a warning in `diagnostics` when the cache folder or the per-user key is refused: see
    the trust model in `cache`)."""
    from twelvefold import __version__, cache

    modules = {type(rule).__module__ for rule in rules}
    modules |= {fact.extract.__module__ for fact in FACTS.values()}
    parts = {
        "version": __version__,
        "python": list(sys.version_info[:2]),
        "code": cache.code_fingerprint(modules),
        "root": str(root.resolve()),
        "rules": [
            (rule.code, type(rule).__qualname__, rule.settings, _severity(rule, config).value)
            for rule in rules
        ],
        "known": sorted(known),
        "max_file_bytes": MAX_FILE_BYTES,
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


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _compute(
    root: Path,
    tasks: list[FileTask],
    rules: list[Rule],
    config: Config,
    known: set[str],
    jobs: int | None,
) -> list[FileOutcome]:
    workers = min(jobs or _usable_cpus(), _usable_cpus())
    if (
        workers > 1
        and len(tasks) >= POOL_MIN_FILES
        and sum(task.size for task in tasks) >= POOL_MIN_BYTES
    ):
        try:
            return _compute_in_pool(root, tasks, config, known, workers)
        except Exception:  # a pool that cannot start or breaks: the same work, here
            pass
    file_pass = FilePass(root, rules, config, known, one_scan=len(tasks) >= ONE_SCAN_MIN_FILES)
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


def _start_worker(root: Path, config: Config, known: set[str]) -> None:  # a large pass
    global _WORKER
    import gc

    rules = build_rules(config, config.source or "command line")
    _WORKER = FilePass(root, rules, config, known, one_scan=True)
    gc.freeze()  # the rules and modules live as long as the worker: never scan them again


def _work(chunk: list[tuple[int, FileTask]]) -> list[tuple[int, FileOutcome]]:
    assert _WORKER is not None
    outcomes = _process_all(_WORKER, [task for _, task in chunk])
    return [(index, outcome) for (index, _), outcome in zip(chunk, outcomes, strict=True)]


def _compute_in_pool(
    root: Path, tasks: list[FileTask], config: Config, known: set[str], workers: int
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
        workers, mp_context=context, initializer=_start_worker, initargs=(root, config, known)
    ) as pool:
        for chunk in pool.map(_work, chunks):
            for index, outcome in chunk:
                results[index] = outcome
    return [outcome for outcome in results if outcome is not None]


#: OS errors that mean the path is no regular file any more (deleted, replaced by a
#: symlink or a FIFO since discovery): nothing is there to scan, which is no finding.
_GONE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.EINVAL})


def _read(
    root: Path, entry: FileTask | FileEntry, diagnostics: list[Diagnostic]
) -> SourceFile | None:
    """The file to check, or None when there is nothing to check (with a diagnostic
    when a rule of its kind would have looked at it).

    A file the secret scan reads (`kinds.SECRET_KINDS`) is never dropped silently: over
    the content limit, it comes back not loaded, to be streamed (`SourceFile.stream`);
    unreadable, it comes back with the reason (`SourceFile.unreadable`, TF305); with
    binary content, it comes back with no `text`, read lossily by the secret scan only.
    """
    secret_kind = entry.kind in kinds.SECRET_KINDS
    quiet = entry.kind in kinds.UNPARSED_KINDS  # no rule but the secret scan parses it
    oversize = entry.size > MAX_FILE_BYTES
    if oversize:
        if not quiet:
            limit = f"the {MAX_FILE_BYTES // 2**20} MiB limit for content rules"
            message = f"{entry.size / 1e6:.0f} MB is over {limit}; {_skipped(entry)}"
            diagnostics.append(Diagnostic(entry.path, message))
        if not secret_kind:
            return None
    try:
        # No symlink, and no FIFO or device swapped in since discovery (it would block).
        # A file over the limit is only opened here: the secret scan streams it.
        data = read_regular_file(root / entry.path, 0 if oversize else MAX_FILE_BYTES)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        diagnostics.append(Diagnostic(entry.path, f"unreadable ({reason}); skipped"))
        if secret_kind and exc.errno not in _GONE:
            return SourceFile(entry.path, entry.kind, b"", size=entry.size, unreadable=reason)
        return None
    if oversize:
        return _unloaded(root, entry)
    if len(data) > MAX_FILE_BYTES:
        if not quiet:
            message = f"grew over the size limit while being read; {_skipped(entry)}"
            diagnostics.append(Diagnostic(entry.path, message))
        return _unloaded(root, entry) if secret_kind else None
    source = SourceFile(entry.path, entry.kind, data)
    if source.is_binary and entry.kind not in (kinds.DATA, kinds.OTHER):
        if not quiet:
            message = f"binary content in a text file; {_skipped(entry)}"
            diagnostics.append(Diagnostic(entry.path, message))
        return source if secret_kind else None
    return source


def _unloaded(root: Path, entry: FileTask | FileEntry) -> SourceFile:
    return SourceFile(entry.path, entry.kind, b"", stream=root / entry.path, size=entry.size)


def _skipped(entry: FileTask | FileEntry) -> str:
    """What became of a file the content rules skip: a rule asked of it that reads files
    whose content is not in memory (the secret scan) still read it."""
    classes = all_rules()
    codes = getattr(entry, "codes", ())
    if any(getattr(classes.get(code), "reads_unloaded", False) for code in codes):
        return "only the secret scan read it"
    return "skipped"


def _prefilter_test(prefilters: Prefilters | None, data: bytes) -> Callable[[Any], bool]:
    """`passes(prefilter)` for one file's bytes: from the run's multi-pattern set when
    there is one, else each prefilter's own test."""
    if prefilters is not None:
        return prefilters.verdict(data).passes
    return lambda prefilter: passes_prefilter(prefilter, data)


def _check_file(
    source: SourceFile,
    rules: list[FileRule],
    config: Config,
    known: set[str],
    outcome: FileOutcome,
    passes: Callable[[Any], bool] | None = None,
) -> None:
    loaded = source.loaded
    if not loaded:
        # Over the size limit or unreadable: nothing is in memory. Only the rules that
        # read such a file themselves run (the secret scan streams it, TF305 reports what
        # could not be read), with no prefilter. An unreadable file was not checked, and
        # its outcome must not be stored (it may become readable with the same stat key);
        # a streamed one has no content hash to match a later file by.
        rules = [rule for rule in rules if getattr(rule, "reads_unloaded", False)]
        outcome.checked = source.unreadable is None
        outcome.content_hash = None
    if not rules:
        return
    file_codes: set[str] = set()
    suppressions: Suppressions | None = None
    # `readable_bytes`: the marker is found in UTF-16 text too.
    if MARKER in source.readable_bytes and source.text is not None:
        # Only real comments count, never the same text in a string (see `suppression`).
        suppressions = scan_source(source, known)
        file_codes = suppressions.file_codes
        for line in suppressions.bare_lines:
            outcome.diagnostics.append(
                Diagnostic(
                    source.path,
                    f"line {line}: bare `twelvefold: ignore` refused; name the codes, e.g. `# twelvefold: ignore[TF301]`",
                )
            )
        for line, code in suppressions.unknown:
            outcome.usage_errors.append(
                f"{source.path}:{line}: unknown rule code {code!r} in a suppression comment; "
                "`twelvefold rules` lists the codes"
            )
    passed: dict[int, bool] = {}  # rules sharing one prefilter object test it once
    # Unused suppressions (TF106) are worked out here, where suppressions are applied:
    # a line's code is unused when its rule ran on the file and nothing was suppressed.
    unused_rule = next((rule for rule in rules if getattr(rule, "engine_computed", False)), None)
    ran: set[str] = set()
    used: set[tuple[int | None, str]] = set()
    for rule in rules:
        if rule.code in file_codes or rule is unused_rule:
            continue
        key = id(rule.prefilter)
        if key not in passed:
            passed[key] = not loaded or (
                passes(rule.prefilter) if passes else passes_prefilter(rule.prefilter, source.data)
            )
        if not passed[key]:
            ran.add(rule.code)
            continue
        try:
            violations = list(rule.check(source) or ())
        except Exception as exc:  # isolate rule bugs: report, never pass silently
            outcome.diagnostics.append(_internal(rule.code, source.path, exc))
            continue
        ran.add(rule.code)
        for violation in violations:
            finding = _finding(rule, violation, config, source.path)
            if suppressions is not None and suppressions.suppresses(
                rule.code, finding.line, finding.cell, finding.cell_line
            ):
                used.add((finding.line if finding.cell is None else None, rule.code))
                continue
            text = source.line_text(finding.line, finding.cell, finding.cell_line)
            if source.text is None and _alone_suppresses(source, rule.code, text, finding):
                continue
            if finding.source is None and text is not None:
                finding = _with_source(finding, text)
            outcome.findings.append(finding)
    if unused_rule is not None and suppressions is not None:
        outcome.findings.extend(
            _unused_suppressions(unused_rule, config, source, suppressions, ran, used)
        )


def _unused_suppressions(
    rule: FileRule,
    config: Config,
    source: SourceFile,
    suppressions: Suppressions,
    ran: set[str],
    used: set[tuple[int | None, str]],
) -> list[Finding]:
    """TF106: each code of a line's suppression comment whose rule ran on the file and
    suppressed nothing there. Codes of rules that did not run (not selected, another
    role, repository rules) are left alone: nothing says they are unused."""
    found: list[Finding] = []
    unknown = [] if source.kind == kinds.NOTEBOOK else suppressions.unknown
    for line, code in unknown:  # also a usage error; reported so `--fix` can remove it
        violation = Violation(
            f"`{code}` in this suppression comment is not a rule code: it suppresses nothing",
            line=line,
        )
        found.append(_finding(rule, violation, config, source.path))
    for line, codes in sorted(suppressions.line_codes.items()):
        for code in sorted(codes):
            if code in ran and (line, code) not in used:
                violation = Violation(
                    f"`{code}` in this suppression comment suppresses nothing: no {code} "
                    "finding on this line",
                    line=line,
                )
                finding = _finding(rule, violation, config, source.path)
                text = source.line_text(line, None, None)
                found.append(_with_source(finding, text) if text is not None else finding)
    return found


def _alone_suppresses(source: SourceFile, code: str, text: str | None, finding: Finding) -> bool:
    """A file with no text for the comment scan (read lossily, or streamed: its line is
    only in the finding, the secret masked): the comment of the finding's line alone."""
    syntax = syntax_of(source.kind)
    if syntax is None:
        return False  # no `#` comments
    return line_suppresses(text if source.loaded else finding.source, code, syntax)


def _asked(
    only: set[str], discovery: Discovery, rules: list[RepoRule], result: RunResult
) -> tuple[list[RepoRule], set[str]]:
    """The repo rules a run on named files runs (`scope.asked`), and those among them
    that only decide for the rules requiring them; the others go to `result.not_asked`."""
    from twelvefold import scope

    unknown = scope.unknown_groups(rules)
    if unknown:
        raise ConfigError(f"a rule depends on an unknown file group: {', '.join(unknown)}")
    kind_of = {entry.path: entry.kind for entry in discovery.files}
    named = [(path, kind_of.get(path) or kinds.classify(path)) for path in sorted(only)]
    reporting, deciding = scope.asked(rules, named)
    result.not_asked |= {rule.code for rule in rules if rule.code not in reporting}
    return [rule for rule in rules if rule.code in reporting | deciding], deciding


def _run_repo_rules(
    repo: Repo,
    rules: list[RepoRule],
    config: Config,
    known: set[str],
    ignores: list[tuple[Any, set[str]]],
    result: RunResult,
    shown: set[str] | None = None,
    deciding: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Run `rules` in `requires` order. `shown`: the named files, the only paths whose
    findings are reported (None: all). `deciding`: rules that run only so the rules
    requiring them are skipped as in a full run; their findings are not reported."""
    reported: set[str] = set()
    skipped: set[str] = set()
    scanned: dict[str, Suppressions | None] = {}  # each file's comments, lexed once
    for rule in _ordered(rules):
        if any(code in reported or code in skipped for code in rule.requires):
            skipped.add(rule.code)
            continue
        repo.asking_roles = rule.roles
        repo.asking_paths = frozenset(shown) if shown is not None and rule.facts_per_file else None
        try:
            applies = _for_kind(rule, repo.model.kind) and rule.applies(repo)
            if rule.code not in deciding:
                result.applicable[rule.factor] = (
                    result.applicable.get(rule.factor, False) or applies
                )
            if not applies:
                continue
            violations = list(rule.check(repo) or ())
        except Exception as exc:  # isolate rule bugs: report, never pass silently
            result.diagnostics.append(_internal(rule.code, None, exc))
            skipped.add(rule.code)
            continue
        for violation in violations:
            finding = _finding(rule, violation, config, None)
            if finding.path is not None and rule.code in _ignored_codes(finding.path, ignores):
                continue
            if rule.roles is not None and finding.path is not None:
                role = repo.model.role(finding.path)
                if role is not None and role not in rule.roles:
                    continue  # about a file of a role the rule is not about
            text = None
            if finding.path is not None:
                source = repo.source(finding.path)
                if source is not None:
                    if finding.path not in scanned:
                        has_marker = MARKER in source.readable_bytes and source.text is not None
                        scanned[finding.path] = scan_source(source, known) if has_marker else None
                    suppressions = scanned[finding.path]
                    if suppressions is not None and (
                        rule.code in suppressions.file_codes
                        or suppressions.suppresses(
                            rule.code, finding.line, finding.cell, finding.cell_line
                        )
                    ):
                        continue
                    text = source.line_text(finding.line, finding.cell, finding.cell_line)
            # Reported for `requires` whether or not it is shown, as a full run would.
            reported.add(rule.code)
            if rule.code in deciding or (
                shown is not None and finding.path is not None and finding.path not in shown
            ):
                continue
            if finding.source is None and text is not None:
                finding = _with_source(finding, text)
            result.findings.append(finding)
    repo.asking_roles = None
    repo.asking_paths = None


def _for_kind(rule: Rule, kind: str) -> bool:
    return rule.repo_kinds is None or kind in rule.repo_kinds


def _ordered(rules: list[RepoRule]) -> list[RepoRule]:
    """Rules after the rules they require (a stable topological order)."""
    by_code = {rule.code: rule for rule in rules}
    ordered: list[RepoRule] = []
    seen: set[str] = set()

    def visit(rule: RepoRule, stack: tuple[str, ...]) -> None:
        if rule.code in seen or rule.code in stack:
            return
        for code in rule.requires:
            if code in by_code:
                visit(by_code[code], (*stack, rule.code))
        seen.add(rule.code)
        ordered.append(rule)

    for rule in rules:
        visit(rule, ())
    return ordered


def _finding(rule: Rule, violation: Violation, config: Config, path: str | None) -> Finding:
    """The finding of a rule's violation, its texts masked (`masking.mask_secrets`): every
    consumer (reports, baseline, cache, memo) receives them masked from here."""
    from twelvefold.masking import mask_secrets

    return Finding(
        path=violation.path if violation.path is not None else path,
        line=violation.line,
        column=violation.column,
        code=rule.code,
        name=rule.name,
        factor=rule.factor,
        severity=_severity(rule, config),
        message=mask_secrets(violation.message),
        fix=mask_secrets(violation.fix or rule.fix),
        cell=violation.cell,
        cell_line=violation.cell_line,
        source=None if violation.source is None else mask_secrets(violation.source),
        key=violation.key,
        related=tuple((line, mask_secrets(text)) for line, text in violation.related),
    )


def _with_source(finding: Finding, text: str) -> Finding:
    from dataclasses import replace

    from twelvefold.masking import mask_secrets

    return replace(finding, source=mask_secrets(text))


def _internal(what: str, path: str | None, exc: BaseException) -> Diagnostic:
    from twelvefold.masking import mask_secrets

    # Masked before the cut, which would leave a part of a secret no pattern matches.
    detail = mask_secrets(str(exc).splitlines()[0])[:200] if str(exc) else ""
    return Diagnostic(
        path,
        f"internal error in {what}: {type(exc).__name__}{': ' + detail if detail else ''} (please report this bug)",
        level="error",
        internal=True,
        rule=what,
    )


def _ignored_codes(path: str, ignores: list[tuple[Any, set[str]]]) -> set[str]:
    codes: set[str] = set()
    for spec, spec_codes in ignores:
        if spec.match_file(path):
            codes |= spec_codes
    return codes


def _matches(path: str, globs: Iterable[str]) -> bool:
    from fnmatch import fnmatchcase

    return any(fnmatchcase(path, glob) for glob in globs)


def factor_status(result: RunResult) -> Mapping[int, str]:
    """Scorecard: `fail` (an error or warning), `unknown` (a rule crashed), `pass` (a rule
    of the factor applied and found nothing above `info`), else `n/a`. Whether a rule
    applied is the rule's to say (`RepoRule.applies`): with nothing to check (no service
    for factor 12) it must answer False, and the factor is `n/a`, not a pass."""
    from twelvefold.factors import FACTORS

    crashed = {
        rule.factor for rule in result.rules for d in result.internal_errors if d.rule == rule.code
    }
    status: dict[int, str] = {}
    for number in FACTORS:
        findings = [
            f for f in result.findings if f.factor == number and f.severity is not Severity.INFO
        ]
        if findings:
            status[number] = "fail"
        elif number in crashed:
            status[number] = "unknown"
        elif result.applicable.get(number) and result.files_checked:
            # A factor passes only when something was checked: with every file
            # excluded (`exclude = ["**"]`) nothing was, and that is n/a, never a pass.
            status[number] = "pass"
        else:
            status[number] = "n/a"
    return status


def discover_only(root: Path, config: Config) -> Discovery:
    return discover(root, _exclude_spec(config))
