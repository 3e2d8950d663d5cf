"""RE2 sets: many patterns matched in one pass over a file's bytes.

The building block of the candidate scan (`twelvefold.scan`), the secret scan's literals
and the fact prefilters that need more than literals (`PatternSetPrefilter`). Everything
here works without `google-re2` too: a set is then None and the callers test as before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def literal_set(literals: list[bytes]) -> Any:
    """An RE2 set of the literals (number i for literal i), or None without google-re2.
    `Match(data)` gives the numbers of the literals found in `data`, in one pass."""
    try:
        import re2  # noqa: F401 (the set and `escaped` need it)
    except ImportError:
        return None
    return pattern_set(tuple(escaped(literal) for literal in literals))


def escaped(literal: bytes) -> bytes:
    """`literal` as an RE2 pattern over bytes that matches exactly it (google-re2 there)."""
    import re2

    text: str = re2.escape(literal.decode("latin-1"))
    return text.encode("latin-1")


#: Every set prefilter made so far (they are made when their modules are imported): the
#: run's one scan (`twelvefold.scan`) takes their patterns in, so a file's bytes are
#: scanned once for all of them, not once per set.
SET_PREFILTERS: list[SetPrefilter] = []


class SetPrefilter:
    """Patterns whose matches in a file's bytes decide a question (`decide_numbers`),
    answered from one RE2 pass. The run's one scan answers it for each file it reads and
    remembers the answer for that file's bytes (`remember`): a rule or fact asking again
    about the same bytes gets it without a scan of its own."""

    #: The RE2 patterns (over bytes, Latin-1), in the order `decide_numbers` numbers them.
    patterns: tuple[bytes, ...] = ()

    def __init__(self) -> None:
        self._data: bytes | None = None
        self._answer = False
        SET_PREFILTERS.append(self)

    def decide_numbers(self, numbers: set[int]) -> bool:
        """The answer, from the numbers of the patterns found."""
        raise NotImplementedError

    def fallback(self, data: bytes) -> bool:
        """The answer without google-re2: a test that never says less."""
        raise NotImplementedError

    def remember(self, data: bytes, answer: bool) -> None:
        self._data, self._answer = data, answer

    def remember_numbers(self, data: bytes, numbers: set[int]) -> None:
        """What the run's one scan found of these patterns in `data`: the answer is
        remembered (a subclass may keep more of it)."""
        self.remember(data, self.decide_numbers(numbers))

    def search(self, data: bytes) -> bool:
        if data is self._data:
            return self._answer  # the run's one scan answered for these very bytes
        compiled = pattern_set(self.patterns) if self.patterns else None
        if compiled is None:
            return self.fallback(data)
        return self.decide_numbers(set(compiled.Match(data) or ()))


class PatternSetPrefilter(SetPrefilter):
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
        super().__init__()
        self.named = patterns
        self.patterns = tuple(patterns.values())
        self.decide = decide
        self.literals = fallback
        self._names = list(patterns)

    def decide_numbers(self, numbers: set[int]) -> bool:
        return self.decide({self._names[number] for number in numbers})

    def fallback(self, data: bytes) -> bool:
        return any(literal in data for literal in self.literals)


@functools.cache
def re2_pattern(pattern: bytes, *, dot_nl: bool = False, ignore_case: bool = False) -> Any:
    """`pattern` compiled by RE2 over bytes (Latin-1: bytes as bytes), once per process;
    None without google-re2, or where this RE2 cannot compile it (the caller's own test
    then answers)."""
    try:
        import re2
    except ImportError:
        return None
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    options.dot_nl = dot_nl
    options.case_sensitive = not ignore_case
    try:
        return re2.compile(pattern, options)
    except re2.error:
        return None


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
