"""The candidate scan: which prefilters a file passes, its literals found in one pass.

Rules and facts declare cheap prefilters (`rule.passes_prefilter`): a literal, a tuple of
literals, a regex, or literals combined with a costlier test (`LiteralsOr`,
`LiteralsThen`: their literals go into the set, the test runs only where it decides). Tested one by one, the literals cost one pass over the file's
bytes each (~260 distinct literals; on a tree of modules, more than parsing the few
files that pass). With `google-re2` installed, every literal of the run goes into one
RE2 `Set`, matched once per file, and each literal prefilter is answered from the set of
literals found. Regex prefilters and prefilter objects are tested as before: RE2 and
Python's `re` differ in corners (`\\s` and `\\v`), and a prefilter must never say less
than its own test. Without `google-re2`, every prefilter is tested as before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

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
        self._set = literal_set(list(literals)) if len(literals) >= MIN_LITERALS else None
        if self._set is None:
            self._ids.clear()

    def verdict(self, data: bytes) -> Verdict:
        return Verdict(self, data)


class Verdict:
    """The prefilters one file passes; its literals are looked for on the first question."""

    def __init__(self, prefilters: Prefilters, data: bytes) -> None:
        self._prefilters = prefilters
        self._data = data
        self._found: frozenset[int] | None = None

    def passes(self, prefilter: Any) -> bool:
        """`rule.passes_prefilter(prefilter, data)`, answered from the set when it can."""
        ids = self._prefilters._ids.get(id(prefilter))
        if ids is None:
            return passes_prefilter(prefilter, self._data)
        if self._found is None:
            matched = self._prefilters._set.Match(self._data)  # type: ignore[union-attr]
            self._found = frozenset(matched or ())
        found = not self._found.isdisjoint(ids)
        if isinstance(prefilter, LiteralsOr):
            return found or prefilter.rest(self._data)
        if isinstance(prefilter, LiteralsThen):
            return found and bool(prefilter.pattern.search(self._data))
        return found


def literal_set(literals: list[bytes]) -> Any:
    """An RE2 set of the literals (number i for literal i), or None without google-re2.
    `Match(data)` gives the numbers of the literals found in `data`, in one pass."""
    try:
        import re2
    except ImportError:
        return None
    return pattern_set(
        tuple(re2.escape(literal.decode("latin-1")).encode("latin-1") for literal in literals)
    )


class PatternSetPrefilter:
    """A prefilter of named RE2 patterns, all matched in one pass over the file's bytes;
    `decide` says from the names of those found whether the file may give a fact (a
    called name followed by `(`, a method after a `.`: what literals cannot say).
    Without google-re2 (the `fast` extra) it is the `fallback` literal test."""

    def __init__(
        self,
        patterns: dict[str, bytes],
        decide: Callable[[set[str]], bool],
        fallback: tuple[bytes, ...],
    ) -> None:
        self.patterns = patterns
        self.decide = decide
        self.fallback = fallback

    def search(self, data: bytes) -> bool:
        compiled = pattern_set(tuple(self.patterns.values()))
        if compiled is None:
            return any(literal in data for literal in self.fallback)
        names = list(self.patterns)
        return self.decide({names[number] for number in compiled.Match(data) or ()})


@functools.cache
def pattern_set(patterns: tuple[bytes, ...]) -> Any:
    """An RE2 set of the patterns (number i for pattern i), or None without google-re2.
    Compiled once per process, on the first file (importing RE2 costs ~25 ms)."""
    try:
        import re2
    except ImportError:
        return None
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1  # bytes as bytes: no UTF-8 decoding
    found = re2.Set.SearchSet(options)
    for number, pattern in enumerate(patterns):
        if found.Add(pattern) != number:
            return None
    found.Compile()
    return found
