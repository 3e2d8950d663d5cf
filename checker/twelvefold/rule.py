"""The rule contract: what every rule declares and how the engine calls it.

A rule is one class. Its class attributes are its metadata, its docstring is its user
documentation (what `twelvefold explain CODE` prints), and one method does the work:

* `FileRule.check(file)` runs once per file whose kind is in `kinds` (and whose path
  matches `globs`, if set) and whose bytes pass the cheap `prefilter`, so most files are
  never parsed at all.
* `RepoRule.check(repo)` runs once per audited repository, over its file list, parsed
  manifests and the `facts` that per-file extractors collected.

Defining a subclass with a `code` registers it; nothing else is edited to add a rule.
Docstrings use fixed headings: *What it does*, *Why is this bad?*, *Example*,
*Use instead*, and optionally *Options* and *References*.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Finding, Severity, Violation

if TYPE_CHECKING:
    from twelvefold.repo import Repo
    from twelvefold.sources import SourceFile

CODE_PATTERN = lazy_compile(r"^[A-Z]{1,4}[0-9]{3,5}$")
NAME_PATTERN = lazy_compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

#: Every rule class, keyed by code, in definition order.
REGISTRY: dict[str, type[Rule]] = {}


class RuleDefinitionError(TypeError):
    """A rule class breaks the contract (bad code, duplicate code, missing docs)."""


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    factor: ClassVar[int]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    #: One-line hint shown with every finding unless the violation brings its own.
    fix: ClassVar[str]
    #: Codes of rules that must pass first: if one of them reports, this one is skipped
    #: (one root cause, one finding).
    requires: ClassVar[tuple[str, ...]] = ()
    #: Rule-specific options and their defaults, set under `[tool.twelvefold.options.NAME]`.
    options: ClassVar[Mapping[str, Any]] = {}
    #: Where the rule comes from: "twelvefold" or a plugin's distribution name.
    origin: ClassVar[str] = "twelvefold"
    #: Roles of the files the rule is about (`twelvefold.project.roles`); None: every
    #: role. The engine asks a file rule only about files of these roles, and drops a
    #: repo rule's finding on a file of another role.
    roles: ClassVar[frozenset[str] | None] = None
    #: Kinds of repository the rule applies to (`twelvefold.project.kind`); None: every
    #: kind. In another kind the rule does not run and its factor may be n/a.
    repo_kinds: ClassVar[frozenset[str] | None] = None
    #: A preview rule is new: it runs only with `--preview` (or `preview = true`), so a
    #: release that adds a rule never fails a gate that pinned the previous one.
    preview: ClassVar[bool] = False
    #: An opt-in rule is stable but left out of the default selection, because on real
    #: repositories it is right too rarely to gate every project (ruff keeps such rules
    #: out of its defaults too); it runs when a selector names it (its code, a prefix, its
    #: factor or ALL in `select` / `extend-select`).
    default: ClassVar[bool] = True

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.settings = {**self.options, **(options or {})}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "code" in cls.__dict__:
            register(cls)

    @classmethod
    def status(cls) -> str:
        """`preview`, `opt-in` or `stable`, as `twelvefold rules` and `explain` show it."""
        if cls.preview:
            return "preview"
        return "stable" if cls.default else "opt-in"

    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")


class FileRule(Rule):
    kinds: ClassVar[frozenset[str]]
    #: Optional fnmatch-style globs on the repo-relative path, e.g. `("*/serve*.py",)`.
    globs: ClassVar[tuple[str, ...]] = ()
    #: Cheap test on the raw bytes: a literal, a tuple of literals (any may match), or a
    #: compiled bytes regex. Files that fail it are never decoded or parsed.
    prefilter: ClassVar[Prefilter] = None

    def check(self, file: SourceFile) -> Iterable[Violation]:
        raise NotImplementedError

    def group(self, findings: list[Finding], repo: Repo) -> list[Finding]:
        """The findings to report, from those the per-file pass left (suppressions
        applied), with the repository at hand: what one file cannot tell (an image the
        repository builds itself) is settled here, after the per-file pass (whose
        results per file may come from the cache)."""
        return findings


class RepoRule(Rule):
    #: Names of per-file facts (see `fact`) this rule reads through `repo.facts(name)`.
    facts: ClassVar[tuple[str, ...]] = ()
    #: The files the verdict depends on: gitignore-style patterns and `@groups`
    #: (`twelvefold.scope`). When files are named (pre-commit), the rule runs only if one
    #: of them matches; `()`: never then; None: always.
    depends_on: ClassVar[tuple[str, ...] | None] = None
    #: Whether the verdict on a file rests on that file's facts alone (with the files
    #: the rule reads itself: manifests, configs, CI). When files are named
    #: (pre-commit), such a rule sees the facts of those files only, so no other file
    #: is parsed. A rule whose verdict weighs every file's facts ("is numpy seeded
    #: anywhere?") is left to a full run then, and the report says so.
    facts_per_file: ClassVar[bool] = False

    def applies(self, repo: Repo) -> bool:
        """False when the factor does not apply to this repository (scored n/a). A rule
        that reads per-file facts, all drawn from Python code and notebooks, has nothing
        to check in a repository without any."""
        return repo.has_python if self.facts else True

    def reads_facts(self, repo: Repo) -> bool:
        """Whether the per-file facts may change this rule's verdict here, judged before
        they are extracted (from the file names and the project model only: `repo` has
        no facts yet). False spares the per-file pass extracting them for this rule, and
        `check` must then report what it would have with them (nothing, usually)."""
        return True

    def check(self, repo: Repo) -> Iterable[Violation]:
        raise NotImplementedError

    def group(self, findings: list[Finding], repo: Repo) -> list[Finding]:
        """The findings to report, from those that survived suppressions, per-file
        ignores and roles (in order). A rule whose findings share one root cause and one
        fix merges them here (one finding, the other files in `Finding.files`), so a
        file suppressed or ignored on its own is never brought back by the group."""
        return findings


@dataclass(frozen=True)
class LiteralsOr:
    """A prefilter: any of `literals` is in the file, or else `rest(data)` says yes. The
    literals are answered by the run's one multi-pattern scan (`scan`); `rest` (a costlier
    test, a regex around each `://`) runs only on the files without any of them."""

    literals: tuple[bytes, ...]
    rest: Callable[[bytes], bool]

    def search(self, data: bytes) -> bool:
        return any(literal in data for literal in self.literals) or self.rest(data)


@dataclass(frozen=True)
class LiteralsThen:
    """A prefilter: any of `literals` is in the file, and then `pattern` is found. The
    literals are answered by the run's one multi-pattern scan; the regex runs only on the
    files that hold one (a regex tried at every byte of every file costs more)."""

    literals: tuple[bytes, ...]
    pattern: Any  # a compiled bytes regex

    def search(self, data: bytes) -> bool:
        return any(literal in data for literal in self.literals) and bool(self.pattern.search(data))


class Searchable(Protocol):
    """Any prefilter object: it says whether a file's bytes are worth the rule's check
    (`LiteralsOr`, `pattern_sets.PatternSetPrefilter`, a rule's own class)."""

    def search(self, data: bytes) -> Any: ...


#: What a rule or fact may declare as its prefilter (see `passes_prefilter`): a literal,
#: literals, a compiled bytes regex or a `Searchable`; None passes every file.
Prefilter = bytes | tuple[bytes, ...] | re.Pattern[bytes] | Searchable | None


def passes_prefilter(prefilter: Any, data: bytes) -> bool:
    if prefilter is None:
        return True
    if isinstance(prefilter, bytes):
        return prefilter in data
    if isinstance(prefilter, tuple):
        return any(literal in data for literal in prefilter)
    return bool(prefilter.search(data))


#: One alternative of a regex that is a plain literal: no classes, groups or repeats.
_PLAIN_LITERAL = lazy_compile(rb"(?:[^\\.^$*+?{}\[\]|()]|\\[.()\[\]{}*+?^$|\\/-])+")


def literal_prefilter(prefilter: Any) -> Any:
    """A regex that is only literals joined by `|` (`rb"\\.fit\\(|mlflow"`), as a tuple of
    the literals: `in` tests run at memchr speed, two to three times faster than the
    regex engine trying every alternative at every byte. Anything else as it is."""
    from twelvefold.lazy_regex import LazyPattern

    if not isinstance(prefilter, re.Pattern | LazyPattern) or not isinstance(
        prefilter.pattern, bytes
    ):
        return prefilter
    if prefilter.flags:
        return prefilter
    alternatives = prefilter.pattern.split(b"|")
    if not all(_PLAIN_LITERAL.fullmatch(item) for item in alternatives):
        return prefilter
    return tuple(re.sub(rb"\\(.)", rb"\1", item) for item in alternatives)


def register(cls: type[Rule]) -> None:
    for attribute in ("name", "factor", "severity", "summary", "fix"):
        if not hasattr(cls, attribute):
            raise RuleDefinitionError(f"rule {cls.__qualname__} has no {attribute!r}")
    if not CODE_PATTERN.match(cls.code):
        raise RuleDefinitionError(f"rule {cls.__qualname__}: code {cls.code!r} is not like TF301")
    if not NAME_PATTERN.match(cls.name):
        raise RuleDefinitionError(f"rule {cls.code}: name {cls.name!r} is not kebab-case")
    if not 1 <= cls.factor <= 12:
        raise RuleDefinitionError(f"rule {cls.code}: factor {cls.factor} is not 1-12")
    if not (cls.__doc__ or "").strip():
        raise RuleDefinitionError(f"rule {cls.code}: the docstring is its documentation")
    existing = REGISTRY.get(cls.code)
    if existing is not None and existing is not cls and existing.__qualname__ != cls.__qualname__:
        raise RuleDefinitionError(
            f"rule code {cls.code} of {cls.__module__}.{cls.__qualname__} is already used by "
            f"{existing.__module__}.{existing.__qualname__} ({existing.origin})"
        )
    if issubclass(cls, FileRule) and "prefilter" in cls.__dict__:
        cls.prefilter = literal_prefilter(cls.prefilter)
    REGISTRY[cls.code] = cls


@dataclass(frozen=True)
class Fact:
    """A small, picklable summary of one file that repo-level rules aggregate.

    For example the top-level modules a Python file imports. Facts are computed in the
    per-file pass, where the file is already read, so repo rules never re-read files.
    """

    name: str
    kinds: frozenset[str]
    extract: Callable[[SourceFile], Any]
    prefilter: Prefilter = None


FACTS: dict[str, Fact] = {}


def fact(
    name: str,
    *,
    kinds: Iterable[str],
    prefilter: Prefilter = None,
) -> Callable[[Callable[[SourceFile], Any]], Callable[[SourceFile], Any]]:
    """Register a per-file fact extractor; a `None` result is not stored."""

    def decorate(function: Callable[[SourceFile], Any]) -> Callable[[SourceFile], Any]:
        FACTS[name] = Fact(name, frozenset(kinds), function, literal_prefilter(prefilter))
        return function

    return decorate


def iter_violations(result: Iterable[Violation] | None) -> Iterator[Violation]:
    yield from result or ()
