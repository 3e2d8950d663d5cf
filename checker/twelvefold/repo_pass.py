"""The repository-level pass: repo rules over the whole tree's files and facts.

Rules run after the rules they `require`; a rule whose required rule reported is
skipped. Each finding passes the per-file ignores, the rule's roles and the suppression
comments of its file. A run on named files (pre-commit) runs only the rules a named file
can change (`scope`) and shows only findings in those files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from twelvefold import kinds
from twelvefold.config import ConfigError
from twelvefold.discovery import Discovery
from twelvefold.file_pass import FileTask
from twelvefold.findings import internal_error, make_finding, with_source
from twelvefold.model import Finding
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule, Rule
from twelvefold.run_result import RunResult
from twelvefold.settings import Settings
from twelvefold.suppression import MARKER, Suppressions, scan_source


def asked_rules(
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


def scope_facts(
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


@dataclass
class RepoPassState:
    """What one repo pass carries from rule to rule, when it runs in two batches (the
    rules that read no facts while the per-file pass works, the others after it)."""

    reported: set[str] = field(default_factory=set)
    skipped: set[str] = field(default_factory=set)
    #: Each file's suppression comments, lexed once.
    scanned: dict[str, Suppressions | None] = field(default_factory=dict)


def factless_first(rules: list[RepoRule]) -> tuple[list[RepoRule], list[RepoRule]]:
    """`rules` split in two batches: those that read no facts and require only rules of
    their batch (they may run before the per-file pass ends), and the others."""
    codes = {rule.code for rule in rules}
    early = {rule.code for rule in rules if not rule.facts}
    changed = True
    while changed:  # a rule requiring a later one waits for it
        changed = False
        for rule in rules:
            if rule.code in early and any(c in codes and c not in early for c in rule.requires):
                early.discard(rule.code)
                changed = True
    return [r for r in rules if r.code in early], [r for r in rules if r.code not in early]


def run_repo_rules(
    repo: Repo,
    rules: list[RepoRule],
    settings: Settings,
    result: RunResult,
    shown: set[str] | None = None,
    deciding: set[str] | frozenset[str] = frozenset(),
    state: RepoPassState | None = None,
) -> None:
    """Run `rules` in `requires` order. `shown`: the named files, the only paths whose
    findings are reported (None: all). `deciding`: rules that run only so the rules
    requiring them are skipped as in a full run; their findings are not reported.
    `state`: what an earlier batch of the same pass found (`factless_first`)."""
    state = state if state is not None else RepoPassState()
    reported, skipped, scanned = state.reported, state.skipped, state.scanned
    for rule in _ordered(rules):
        if any(code in reported or code in skipped for code in rule.requires):
            skipped.add(rule.code)
            continue
        repo.asking_roles = rule.roles
        repo.asking_paths = frozenset(shown) if shown is not None and rule.facts_per_file else None
        try:
            applies = for_kind(rule, repo.model.kind) and rule.applies(repo)
            if rule.code not in deciding:
                result.applicable[rule.factor] = (
                    result.applicable.get(rule.factor, False) or applies
                )
            if not applies:
                continue
            violations = list(rule.check(repo) or ())
        except Exception as exc:  # isolate rule bugs: report, never pass silently
            result.diagnostics.append(internal_error(rule.code, None, exc))
            skipped.add(rule.code)
            continue
        kept: list[Finding] = []
        for violation in violations:
            finding = make_finding(rule, violation, settings, None)
            if finding.path is not None and rule.code in settings.ignored_codes(finding.path):
                continue
            if rule.roles is not None and finding.path is not None:
                role = repo.model.role(finding.path)
                if role is not None and role not in rule.roles:
                    continue  # about a file of a role the rule is not about
            if finding.path is not None:
                source = repo.source(finding.path)
                if source is not None:
                    if finding.path not in scanned:
                        has_marker = MARKER in source.readable_bytes and source.text is not None
                        scanned[finding.path] = (
                            scan_source(source, settings.known) if has_marker else None
                        )
                    suppressions = scanned[finding.path]
                    if suppressions is not None and (
                        rule.code in suppressions.file_codes
                        or suppressions.suppresses(
                            rule.code, finding.line, finding.cell, finding.cell_line
                        )
                    ):
                        continue
            # Reported for `requires` whether or not it is shown, as a full run would.
            reported.add(rule.code)
            if rule.code in deciding or (
                shown is not None and finding.path is not None and finding.path not in shown
            ):
                continue
            kept.append(finding)
        try:
            grouped = rule.group(kept, repo) if kept else kept
        except Exception as exc:  # a bug in grouping loses no finding
            result.diagnostics.append(internal_error(rule.code, None, exc))
            grouped = kept
        # The source line is looked up and masked for the findings grouping left: an
        # image of 100,000 install steps is one finding.
        result.findings.extend(_with_source_line(repo, finding) for finding in grouped)
    repo.asking_roles = None
    repo.asking_paths = None


def _with_source_line(repo: Repo, finding: Finding) -> Finding:
    """`finding` showing the line it points at, when it shows none yet."""
    if finding.source is not None or finding.path is None:
        return finding
    source = repo.source(finding.path)
    if source is None:
        return finding
    text = source.line_text(finding.line, finding.cell, finding.cell_line)
    return finding if text is None else with_source(finding, text)


def for_kind(rule: Rule, kind: str) -> bool:
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
