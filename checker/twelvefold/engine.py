"""Run the selected rules over one or more repositories.

Data flows one way, each stage in a module of its own:

1. `settings.resolve`: the configuration, resolved once into the effective settings
   (rules, severities, per-file ignores, exclude spec) every later stage reads;
2. `discovery.discover`: the files of the tree, and `project.build_model`: the kind of
   repository and each file's role;
3. `memo`: the report of the last full run, reused whole when nothing changed;
4. here: one `FileTask` per file (the rules and facts its kind and role ask for);
5. `schedule.outcomes`: each task's outcome from the cache, a pool or this process,
   computed by `file_pass` (read once, scan, parse on demand, suppress);
6. `repo_pass.run_repo_rules`: the repo rules over the files and their facts.

A rule that raises is isolated: the failure becomes an internal-error diagnostic naming
the rule and the file, and the run goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from twelvefold.config import Config, ConfigError
from twelvefold.discovery import Discovery, discover
from twelvefold.file_pass import FileTask
from twelvefold.findings import internal_error
from twelvefold.model import Diagnostic, Finding
from twelvefold.project import build_model
from twelvefold.repo import Repo
from twelvefold.repo_pass import (
    RepoPassState,
    asked_rules,
    factless_first,
    for_kind,
    run_repo_rules,
    scope_facts,
)
from twelvefold.rule import FACTS, FileRule
from twelvefold.run_result import RunResult, Target
from twelvefold.scorecard import factor_status
from twelvefold.settings import Settings, exclude_spec, resolve

__all__ = ["RunResult", "Target", "discover_only", "factor_status", "run"]


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
    settings = resolve(config)
    result = RunResult([], [], list(settings.rules), {})
    for target in targets:
        _run_target(target, settings, result, cache=cache, jobs=jobs)
    result.findings.sort(key=Finding.sort_key)
    # A file parsed both in the per-file pass and by a repo rule reports a problem once.
    result.diagnostics = sorted(
        dict.fromkeys(result.diagnostics), key=lambda d: (d.path or "", d.message)
    )
    return result


def _run_target(
    target: Target,
    settings: Settings,
    result: RunResult,
    *,
    cache: bool = False,
    jobs: int | None = None,
) -> None:
    from twelvefold import memo as memos

    discovery = discover(target.root, settings.exclude)
    name = memos.cache_name(target.root, settings, result.diagnostics) if cache else None
    memo = memos.open_memo(target.root, target.only is not None, discovery, settings, name)
    remembered = memo.load() if memo is not None else None
    if remembered is not None:
        result.add(remembered)
        return
    part = RunResult([], [], list(settings.rules), {})
    _check_target(target, discovery, settings, part, cache_name=name, jobs=jobs)
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


def _check_target(
    target: Target,
    discovery: Discovery,
    settings: Settings,
    result: RunResult,
    *,
    cache_name: str | None,
    jobs: int | None,
) -> None:
    for message in discovery.diagnostics:
        result.diagnostics.append(Diagnostic(None, message))
    file_rules = settings.file_rules
    repo_rules = settings.repo_rules
    needed_facts = sorted({name for rule in repo_rules for name in rule.facts})
    # Every selected rule, even one a run on named files does not ask: the facts a file
    # gets are a full run's, so that run's cache serves them (`FileTask.variant`).
    all_repo_rules = repo_rules
    deciding: set[str] = set()
    if target.named and target.only is not None:
        repo_rules, deciding = asked_rules(target.only, discovery, repo_rules, result)
        # No rule that runs reads a fact: no other file is read. Otherwise every fact,
        # as a full run asks them, so the cache of a full run serves the other files.
        if not any(rule.facts for rule in repo_rules):
            needed_facts = []
    for name in needed_facts:
        if name not in FACTS:
            raise ConfigError(f"a rule needs the unknown fact {name!r}")
    applicable_kinds = {entry.kind for entry in discovery.files}
    model = build_model(
        target.root, discovery.files, kind=settings.kind, role_globs=settings.role_globs
    )
    # A rule for other kinds of repository does not run here (its factor may be n/a).
    file_rules = [rule for rule in file_rules if for_kind(rule, model.kind)]

    # Which rules and facts a kind of file gets, worked out once per kind and role. A
    # fact is extracted from a file only for a rule that runs on this kind of repository
    # and reads that file's role (`Repo.facts` gives a rule only its roles' facts): a
    # library's modules are not parsed for a rule about applications.
    rules_of: dict[tuple[str, str], list[FileRule]] = {}
    facts_of: dict[tuple[str, str], tuple[str, ...]] = {}
    # The repository as the repo rules will see it, its facts filled in after the pass;
    # before it, a rule may say from the file names that it needs none (`reads_facts`).
    facts: dict[str, dict[str, Any]] = {name: {} for name in needed_facts}
    repo = Repo(target.root, discovery.files, git_root=discovery.git_root, facts=facts, model=model)
    readers = [
        rule
        for rule in all_repo_rules
        if rule.facts and for_kind(rule, model.kind) and rule.reads_facts(repo)
    ]
    tasks: list[FileTask] = []
    for entry in discovery.files:
        codes: tuple[str, ...] = ()
        if target.only is None or entry.path in target.only:
            ignored_here = settings.ignored_codes(entry.path)
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

    from twelvefold.memo import open_store
    from twelvefold.schedule import outcomes as scheduled

    store = open_store(target.root, cache_name)
    if target.named and target.only is not None:
        tasks, repo_rules = scope_facts(target.only, tasks, repo_rules, result)
    present = {entry.path for entry in discovery.files}
    # Repo rules read the few files they need (manifests, CI files) themselves: the
    # per-file pass keeps no file content, so memory stays bounded on any tree. Those
    # that read no facts run while a pool of workers computes the files' outcomes.
    shown = target.only if target.named else None
    early, late = factless_first(repo_rules)
    repo_pass = RepoPassState()
    outcomes = scheduled(
        target.root,
        tasks,
        settings,
        store=store,
        jobs=jobs,
        present=present,
        meanwhile=lambda: run_repo_rules(repo, early, settings, result, shown, deciding, repo_pass),
    )
    for task, outcome in zip(tasks, outcomes, strict=True):
        result.findings.extend(outcome.findings)
        result.diagnostics.extend(outcome.diagnostics)
        result.usage_errors.extend(outcome.usage_errors)
        result.files_checked += outcome.checked
        for name, value in outcome.facts.items():
            facts[name][task.path] = value

    _settle_file_findings(file_rules, repo, result)
    for rule in file_rules:
        if any(kind in applicable_kinds for kind in rule.kinds):
            result.applicable[rule.factor] = True
        else:
            result.applicable.setdefault(rule.factor, False)

    run_repo_rules(repo, late, settings, result, shown, deciding, repo_pass)
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


def _settle_file_findings(file_rules: list[FileRule], repo: Repo, result: RunResult) -> None:
    """Hand each file rule that settles its findings with the repository at hand
    (`FileRule.group`) the findings of its per-file pass."""
    settling = {rule.code: rule for rule in file_rules if type(rule).group is not FileRule.group}
    if not settling:
        return
    mine: dict[str, list[Finding]] = {code: [] for code in settling}
    others: list[Finding] = []
    for finding in result.findings:
        mine.get(finding.code, others).append(finding)
    for code, rule in settling.items():
        if not mine[code]:
            continue
        try:
            others.extend(rule.group(mine[code], repo))
        except Exception as exc:  # a bug in settling loses no finding
            result.diagnostics.append(internal_error(code, None, exc))
            others.extend(mine[code])
    result.findings[:] = others


def _matches(path: str, globs: Iterable[str]) -> bool:
    from fnmatch import fnmatchcase

    return any(fnmatchcase(path, glob) for glob in globs)


def discover_only(root: Path, config: Config) -> Discovery:
    """The files a run with `config` would check under `root` (nothing is read)."""
    return discover(root, exclude_spec(config))
