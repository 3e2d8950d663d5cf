"""Regular expressions compiled when first used, not when their module is imported.

The rules and detectors hold about a hundred module-level patterns. Compiling them all
cost ~15 ms of every start, while a warm run served from the memo uses none of them and a
pre-commit run only those of the rules its few files reach.
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, cast

#: What the rules call on a pattern: bound to the stand-in on first use.
_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """Stands in for `re.compile(pattern, flags)`. `pattern` and `flags` are readable
    without compiling (prefilters are inspected at import); the first call of a method
    compiles the pattern and binds its methods here, so later calls cost what a compiled
    pattern's do."""

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:
        # Reached only for a name the instance does not have yet.
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r}, {self.flags})"


def lazy_compile(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """`re.compile`, deferred to the first use (typed as the pattern it stands for)."""
    return cast("re.Pattern[AnyStr]", LazyPattern(pattern, flags))
