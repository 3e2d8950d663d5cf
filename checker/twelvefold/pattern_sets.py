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
