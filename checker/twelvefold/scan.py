"""The candidate scan: which prefilters a file passes, its literals found in one pass.

Rules and facts declare cheap prefilters (`rule.passes_prefilter`): a literal, a tuple of
literals, a regex, or literals combined with a costlier test (`LiteralsOr`,
`LiteralsThen`: their literals go into the set, the test runs only where it decides). Tested one by one, the literals cost one pass over the file's
bytes each (~260 distinct literals; on a tree of modules, more than parsing the few
files that pass). With `google-re2` installed, every literal of the run goes into one
RE2 `Set`, matched once per file, and each literal prefilter is answered from the set of
literals found. The patterns of every set prefilter (`pattern_sets.SetPrefilter`: the
facts' RE2 prefilters, TF301's key words) go into the same set: the pass answers each of
them too and the prefilter remembers the answer for those bytes, so a fact or a rule
asking it again inside its check costs no pass of its own. Regex prefilters and other
prefilter objects are tested as before: RE2 and
Python's `re` differ in corners (`\\s` and `\\v`), and a prefilter must never say less
than its own test. Without `google-re2`, every prefilter is tested as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from twelvefold.pattern_sets import SET_PREFILTERS, SetPrefilter, escaped, pattern_set
from twelvefold.rule import LiteralsOr, LiteralsThen, passes_prefilter

#: Fewer literals than this are tested one by one: a set costs its compilation.
MIN_LITERALS = 16


class Prefilters:
    """The prefilters of one run, compiled once (per worker process)."""

    def __init__(self, prefilters: Iterable[Any]) -> None:
        literals: dict[bytes, int] = {}
        #: id(prefilter) -> the numbers of its literals (literal prefilters only). The
        #: prefilters are kept, so no id is reused by another object during the run.
        self._ids: dict[int, tuple[int, ...]] = {}
        self._kept = list(prefilters)
        for prefilter in self._kept:
            words = (prefilter,) if isinstance(prefilter, bytes) else prefilter
            if isinstance(prefilter, LiteralsOr | LiteralsThen):
                words = prefilter.literals
            if isinstance(words, tuple) and words and all(isinstance(w, bytes) for w in words):
                self._ids[id(prefilter)] = tuple(
                    literals.setdefault(word, len(literals)) for word in words
                )
        #: The set prefilters (`pattern_sets.SET_PREFILTERS`: those of facts, and those
        #: rules ask inside their checks), each with the number of its first pattern.
        self._groups: list[tuple[SetPrefilter, int, int]] = []
        self._set = None
        if len(literals) >= MIN_LITERALS:
            try:
                import re2  # noqa: F401 (the set and `escaped` need it)
            except ImportError:
                pass
            else:
                patterns = [escaped(literal) for literal in literals]
                for prefilter in SET_PREFILTERS:
                    if prefilter.patterns:
                        self._groups.append(
                            (prefilter, len(patterns), len(patterns) + len(prefilter.patterns))
                        )
                        patterns.extend(prefilter.patterns)
                self._set = pattern_set(tuple(patterns))
        if self._set is None:
            self._ids.clear()
            self._groups.clear()

    def verdict(self, data: bytes) -> Verdict:
        return Verdict(self, data)


class Verdict:
    """The prefilters one file passes; its literals are looked for on the first question."""

    def __init__(self, prefilters: Prefilters, data: bytes) -> None:
        self._prefilters = prefilters
        self._data = data
        self._found: frozenset[int] | None = None

    def _scan(self) -> None:
        """The one pass over the file's bytes: the literals found, and each set
        prefilter's answer for these bytes, remembered by the prefilter."""
        matched = self._prefilters._set.Match(self._data)  # type: ignore[union-attr]
        self._found = frozenset(matched or ())
        for prefilter, start, end in self._prefilters._groups:
            numbers = {number - start for number in self._found if start <= number < end}
            prefilter.remember_numbers(self._data, numbers)

    def passes(self, prefilter: Any) -> bool:
        """`rule.passes_prefilter(prefilter, data)`, answered from the set when it can."""
        ids = self._prefilters._ids.get(id(prefilter))
        if ids is None:
            if isinstance(prefilter, SetPrefilter) and self._prefilters._set is not None:
                if self._found is None:
                    self._scan()
                return prefilter.search(self._data)  # remembered by the scan
            return passes_prefilter(prefilter, self._data)
        if self._found is None:
            self._scan()
        assert self._found is not None
        found = not self._found.isdisjoint(ids)
        if isinstance(prefilter, LiteralsOr):
            return found or prefilter.rest(self._data)
        if isinstance(prefilter, LiteralsThen):
            return found and bool(prefilter.pattern.search(self._data))
        return found
