"""Run the selected rules over one or more repositories.

Data flows one way: discover files -> read each once -> per-file rules and fact
extractors (behind cheap prefilters) -> repo-level rules -> suppressions -> findings.
A rule that raises is isolated: the failure becomes an internal-error diagnostic naming
the rule and the file, and the run goes on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twelvefold import kinds
from twelvefold.config import Config, ConfigError, selected_codes
from twelvefold.discovery import Discovery, FileEntry, discover
from twelvefold.model import Diagnostic, Finding, Severity, Violation
from twelvefold.registry import all_rules
from twelvefold.repo import Repo
from twelvefold.rule import FACTS, FileRule, RepoRule, Rule, passes_prefilter
from twelvefold.sources import SourceFile
from twelvefold.suppression import MARKER, line_suppresses, scan

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

    @property
    def internal_errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.internal]


@dataclass
class Target:
    """One audited repository root, optionally restricted to some files (pre-commit)."""

    root: Path
    only: set[str] | None = None


def build_rules(config: Config, where: str) -> list[Rule]:
    classes = all_rules()
    codes = list(classes)
    factor_of = {code: cls.factor for code, cls in classes.items()}
    chosen = selected_codes(config, codes, factor_of, where)
    by_name = {cls.name: code for code, cls in classes.items()}
    for key, values in config.options.items():
        code = key if key in classes else by_name.get(key)
        if code is None:
            raise ConfigError(f"{where}: `options.{key}`: no rule has this name or code")
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


def run(targets: Sequence[Target], config: Config) -> RunResult:
    where = config.source or "command line"
    rules = build_rules(config, where)
    known = set(all_rules())
    result = RunResult([], [], rules, {})
    for target in targets:
        _run_target(target, config, rules, known, result)
    result.findings.sort(key=Finding.sort_key)
    result.diagnostics.sort(key=lambda d: (d.path or "", d.message))
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


def _run_target(
    target: Target, config: Config, rules: list[Rule], known: set[str], result: RunResult
) -> None:
    discovery = discover(target.root, _exclude_spec(config))
    for message in discovery.diagnostics:
        result.diagnostics.append(Diagnostic(None, message))
    file_rules = [rule for rule in rules if isinstance(rule, FileRule)]
    repo_rules = [rule for rule in rules if isinstance(rule, RepoRule)]
    needed_facts = sorted({name for rule in repo_rules for name in rule.facts})
    for name in needed_facts:
        if name not in FACTS:
            raise ConfigError(f"a rule needs the unknown fact {name!r}")
    ignores = _per_file_ignores(config)
    facts: dict[str, dict[str, Any]] = {name: {} for name in needed_facts}
    kept_sources: dict[str, SourceFile] = {}
    applicable_kinds = {entry.kind for entry in discovery.files}

    for entry in discovery.files:
        ignored_here = _ignored_codes(entry.path, ignores)
        wanted = [
            rule
            for rule in file_rules
            if entry.kind in rule.kinds
            and rule.code not in ignored_here
            and (target.only is None or entry.path in target.only)
            and (not rule.globs or _matches(entry.path, rule.globs))
        ]
        wanted_facts = [FACTS[name] for name in needed_facts if entry.kind in FACTS[name].kinds]
        if not wanted and not wanted_facts:
            continue
        source = _read(target.root, entry, result)
        if source is None:
            continue
        result.files_checked += 1
        _check_file(source, wanted, config, known, ignored_here, result)
        for fact in wanted_facts:
            if not passes_prefilter(fact.prefilter, source.data):
                continue
            try:
                value = fact.extract(source)
            except Exception as exc:  # a bug in one extractor must not end the run
                result.diagnostics.append(_internal(f"fact {fact.name}", entry.path, exc))
                continue
            if value is not None:
                facts[fact.name][entry.path] = value
        for message in source.diagnostics:
            result.diagnostics.append(Diagnostic(entry.path, message))
        if entry.kind not in kinds.CODE_KINDS:
            kept_sources[entry.path] = source  # small structured files, reused by repo rules
        source.diagnostics.clear()

    for rule in file_rules:
        if any(kind in applicable_kinds for kind in rule.kinds):
            result.applicable[rule.factor] = True
        else:
            result.applicable.setdefault(rule.factor, False)

    repo = Repo(
        target.root, discovery.files, git_root=discovery.git_root, facts=facts, sources=kept_sources
    )
    _run_repo_rules(repo, repo_rules, config, known, ignores, result)
    for path, messages in repo.diagnostics.items():
        result.diagnostics.extend(Diagnostic(path, message) for message in messages)
    for path, messages in repo.parse_diagnostics().items():
        result.diagnostics.extend(Diagnostic(path, message) for message in messages)


def _read(root: Path, entry: FileEntry, result: RunResult) -> SourceFile | None:
    if entry.size > MAX_FILE_BYTES:
        if entry.kind not in (kinds.DATA, kinds.OTHER):
            result.diagnostics.append(
                Diagnostic(
                    entry.path,
                    f"{entry.size / 1e6:.0f} MB is over the {MAX_FILE_BYTES // 2**20} MiB limit for content rules; skipped",
                )
            )
        return None
    try:
        fd = os.open(root / entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            with os.fdopen(fd, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except BaseException:
            raise
    except OSError as exc:
        result.diagnostics.append(
            Diagnostic(entry.path, f"unreadable ({exc.strerror or exc}); skipped")
        )
        return None
    if len(data) > MAX_FILE_BYTES:
        result.diagnostics.append(
            Diagnostic(entry.path, "grew over the size limit while being read; skipped")
        )
        return None
    source = SourceFile(entry.path, entry.kind, data)
    if source.is_binary and entry.kind not in (kinds.DATA, kinds.OTHER):
        result.diagnostics.append(Diagnostic(entry.path, "binary content in a text file; skipped"))
        return None
    return source


def _check_file(
    source: SourceFile,
    rules: list[FileRule],
    config: Config,
    known: set[str],
    ignored_here: set[str],
    result: RunResult,
) -> None:
    if not rules:
        return
    file_codes: set[str] = set()
    if MARKER in source.data and source.text is not None:
        lines = source.lines
        if source.notebook is not None:
            lines = [line for cell in source.notebook.cells for line in cell.lines]
        suppressions = scan(lines, known, python=source.kind == kinds.PYTHON)
        file_codes = suppressions.file_codes
        for line in suppressions.bare_lines:
            result.diagnostics.append(
                Diagnostic(
                    source.path,
                    f"line {line}: bare `twelvefold: ignore` refused; name the codes, e.g. `# twelvefold: ignore[TF301]`",
                )
            )
        for line, code in suppressions.unknown:
            result.usage_errors.append(
                f"{source.path}:{line}: unknown rule code {code!r} in a suppression comment"
            )
    for rule in rules:
        if rule.code in file_codes or not passes_prefilter(rule.prefilter, source.data):
            continue
        try:
            violations = list(rule.check(source) or ())
        except Exception as exc:  # isolate rule bugs: report, never pass silently
            result.diagnostics.append(_internal(rule.code, source.path, exc))
            continue
        for violation in violations:
            finding = _finding(rule, violation, config, source.path)
            text = source.line_text(finding.line, finding.cell, finding.cell_line)
            if line_suppresses(text, rule.code):
                continue
            if finding.source is None and text is not None:
                finding = _with_source(finding, text)
            result.findings.append(finding)


def _run_repo_rules(
    repo: Repo,
    rules: list[RepoRule],
    config: Config,
    known: set[str],
    ignores: list[tuple[Any, set[str]]],
    result: RunResult,
) -> None:
    reported: set[str] = set()
    skipped: set[str] = set()
    for rule in _ordered(rules):
        if any(code in reported or code in skipped for code in rule.requires):
            skipped.add(rule.code)
            continue
        try:
            applies = rule.applies(repo)
            result.applicable[rule.factor] = result.applicable.get(rule.factor, False) or applies
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
            text = None
            if finding.path is not None:
                source = repo.source(finding.path)
                if source is not None:
                    if (
                        MARKER in source.data
                        and source.text is not None
                        and rule.code
                        in scan(source.lines, known, python=source.kind == kinds.PYTHON).file_codes
                    ):
                        continue
                    text = source.line_text(finding.line, finding.cell, finding.cell_line)
            if line_suppresses(text, rule.code):
                continue
            if finding.source is None and text is not None:
                finding = _with_source(finding, text)
            result.findings.append(finding)
            reported.add(rule.code)


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
    return Finding(
        path=violation.path if violation.path is not None else path,
        line=violation.line,
        column=violation.column,
        code=rule.code,
        name=rule.name,
        factor=rule.factor,
        severity=_severity(rule, config),
        message=violation.message,
        fix=violation.fix or rule.fix,
        cell=violation.cell,
        cell_line=violation.cell_line,
        source=violation.source,
        key=violation.key,
    )


def _with_source(finding: Finding, text: str) -> Finding:
    from dataclasses import replace

    return replace(finding, source=text)


def _internal(what: str, path: str | None, exc: BaseException) -> Diagnostic:
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
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
    """Scorecard: `fail` (an error or warning), `pass`, `n/a`, or `unknown` (a rule crashed)."""
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
        elif result.applicable.get(number):
            status[number] = "pass"
        else:
            status[number] = "n/a"
    return status


def discover_only(root: Path, config: Config) -> Discovery:
    return discover(root, _exclude_spec(config))
