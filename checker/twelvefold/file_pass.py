"""The per-file pass: read each file once, extract the facts asked of it, run its rules.

A `FilePass` is a pure function of (root, `FileTask`) once built from the settings: the
schedule (`twelvefold.schedule`) runs it here or in each worker of a pool. A file is
read whole (up to `MAX_FILE_BYTES`), its facts are extracted behind their prefilters,
then its rules run and their findings pass the file's suppression comments
(`twelvefold.suppression`). Nothing of the file's content outlives its outcome.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twelvefold import kinds
from twelvefold.discovery import FileEntry
from twelvefold.findings import internal_error, make_finding, with_source
from twelvefold.masking import mask_lines, mask_secrets
from twelvefold.model import Diagnostic, Finding, Violation
from twelvefold.registry import all_rules
from twelvefold.rule import FACTS, FileRule, passes_prefilter
from twelvefold.settings import Settings
from twelvefold.sources import SourceFile, read_regular_file
from twelvefold.suppression import (
    MARKER,
    Suppressions,
    line_suppresses,
    scan_source,
    syntax_of,
)

if TYPE_CHECKING:
    from twelvefold.cache import FileOutcome
    from twelvefold.scan import Prefilters

#: Content rules skip files larger than this (their size is still known to repo rules).
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass
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
    """The per-file pass: a pure function of (root, task) once built from the settings.

    Built in the main process for small runs and once per worker process for large ones
    (rules are classes registered at import, so a worker resolves the same settings
    from the configuration)."""

    def __init__(
        self, root: Path, settings: Settings, *, one_scan: bool = False, hashes: bool = True
    ):
        self.root = root
        #: Whether outcomes carry their content hash: only a cache reads it (blake2b of
        #: every byte read is a tenth of a second on a large tree).
        self.hashes = hashes
        self.rules = {rule.code: rule for rule in settings.file_rules}
        self.settings = settings
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
        source = read_file(self.root, task, outcome.diagnostics)
        if source is None:
            outcome.fact_diagnostics = len(outcome.diagnostics)
            return outcome
        source.role, source.repo_kind = task.role, task.repo_kind
        outcome.checked = True
        if self.hashes:
            outcome.content_hash = content_hash(source.data)
        passes = prefilter_test(self.prefilters, source.data)
        # Facts first: what they leave (facts, parse diagnostics) is a part of the outcome
        # a pre-commit run can reuse from a full run's, which also ran rules on the file.
        for name in task.facts:
            fact = FACTS[name]
            if not passes(fact.prefilter):
                continue
            try:
                value = fact.extract(source)
            except Exception as exc:  # a bug in one extractor must not end the run
                outcome.diagnostics.append(internal_error(f"fact {fact.name}", task.path, exc))
                continue
            if value is not None:
                outcome.facts[fact.name] = value
        outcome.diagnostics.extend(Diagnostic(task.path, m) for m in source.diagnostics)
        source.diagnostics.clear()
        outcome.fact_diagnostics = len(outcome.diagnostics)
        rules = [self.rules[code] for code in task.codes]
        check_file(source, rules, self.settings, outcome, passes)
        outcome.diagnostics.extend(Diagnostic(task.path, m) for m in source.diagnostics)
        if outcome.usage_errors:  # they quote a comment; the cache keeps them
            outcome.usage_errors = [mask_secrets(m) for m in outcome.usage_errors]
        source.release()
        return outcome


#: OS errors that mean the path is no regular file any more (deleted, replaced by a
#: symlink or a FIFO since discovery): nothing is there to scan, which is no finding.
_GONE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.EINVAL})


def read_file(
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


def prefilter_test(prefilters: Prefilters | None, data: bytes) -> Callable[[Any], bool]:
    """`passes(prefilter)` for one file's bytes: from the run's multi-pattern set when
    there is one, else each prefilter's own test."""
    if prefilters is not None:
        return prefilters.verdict(data).passes
    return lambda prefilter: passes_prefilter(prefilter, data)


def check_file(
    source: SourceFile,
    rules: list[FileRule],
    settings: Settings,
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
        suppressions = scan_source(source, settings.known)
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
    found: list[tuple[FileRule, Violation, str | None]] = []  # with the line to show
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
            outcome.diagnostics.append(internal_error(rule.code, source.path, exc))
            continue
        ran.add(rule.code)
        for violation in violations:
            if suppressions is not None and suppressions.suppresses(
                rule.code, violation.line, violation.cell, violation.cell_line
            ):
                used.add((violation.line if violation.cell is None else None, rule.code))
                continue
            text = source.line_text(violation.line, violation.cell, violation.cell_line)
            if source.text is None and _alone_suppresses(source, rule.code, text, violation):
                continue
            found.append(
                (rule, violation, violation.source if violation.source is not None else text)
            )
    # The lines shown are masked together: one pass of the secret detector for the file.
    shown = iter(mask_lines([text for _, _, text in found if text is not None]))
    for rule, violation, text in found:
        outcome.findings.append(
            make_finding(
                rule,
                violation,
                settings,
                source.path,
                source=None if text is None else next(shown),
            )
        )
    if unused_rule is not None and suppressions is not None:
        outcome.findings.extend(
            _unused_suppressions(unused_rule, settings, source, suppressions, ran, used)
        )


def _unused_suppressions(
    rule: FileRule,
    settings: Settings,
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
        found.append(make_finding(rule, violation, settings, source.path))
    for line, codes in sorted(suppressions.line_codes.items()):
        for code in sorted(codes):
            if code in ran and (line, code) not in used:
                violation = Violation(
                    f"`{code}` in this suppression comment suppresses nothing: no {code} "
                    "finding on this line",
                    line=line,
                )
                finding = make_finding(rule, violation, settings, source.path)
                text = source.line_text(line, None, None)
                found.append(with_source(finding, text) if text is not None else finding)
    return found


def _alone_suppresses(
    source: SourceFile, code: str, text: str | None, violation: Violation
) -> bool:
    """A file with no text for the comment scan (read lossily, or streamed: its line is
    only in the finding, the secret masked): the comment of the finding's line alone."""
    syntax = syntax_of(source.kind)
    if syntax is None:
        return False  # no `#` comments
    return line_suppresses(text if source.loaded else violation.source, code, syntax)
