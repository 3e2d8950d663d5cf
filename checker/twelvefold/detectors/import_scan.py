"""The top-level names a Python module may import, from a scan of its text (no parse).

Parsing every module of a large tree is most of a cold run, and most rules that look at
imports only need to know whether a module may import one of a few names. The scan says
more than the code imports (an import-like string or comment counts), never less: a
rule may skip the parse when the scan finds none of its names, and parses otherwise.
"""

from __future__ import annotations

from twelvefold.lazy_regex import lazy_compile

#: Whitespace inside a statement, a backslash continuation included.
_GAP = r"(?:[ \t\f]|\\\r?\n|\\\r)+"

#: The `import` keyword (not `x.import`, not `reimport`). The literal comes first so the
#: regex engine searches for it as a string, which is what keeps the scan cheap.
_IMPORT_KEYWORD = lazy_compile(rf"import(?<![\w.]import)(?={_GAP})")

#: `from <dots><module> ` right before an `import` keyword.
_FROM_CLAUSE = lazy_compile(rf"from{_GAP}(\.*)([\w.]*){_GAP}")

#: The names of a plain `import a.b as c, d`: up to the end of the logical line.
_IMPORTED_NAMES = lazy_compile(r"(?:[^\r\n#;\\]|\\\r?\n|\\\r|\\)*")

_IDENTIFIER = lazy_compile(r"[ \t\f\\\r\n]*([A-Za-z_]\w*)")

#: How far back an `import` keyword's logical line is searched for its `from` clause;
#: a longer line is not scanned (the caller parses), so the scan stays linear.
_MAX_LINE = 4096


def imported_tops(text: str) -> set[str] | None:
    """The top-level names of the absolute imports `text` may make (`sklearn` for `from
    sklearn.svm import SVC`), a superset of what the AST holds; None when the scan cannot
    tell (a logical line too long to look back over), and the caller must parse."""
    tops: set[str] = set()
    for match in _IMPORT_KEYWORD.finditer(text):
        start = match.start()
        line_start = _logical_line_start(text, start)
        if start - line_start > _MAX_LINE:
            return None
        clause = _from_clause(text, line_start, start)
        if clause is not None:
            dots, module = clause
            if not dots and module:
                tops.add(module.split(".", 1)[0])
            continue  # `from X import a, b`: `a` and `b` are X's names, not modules
        names = _IMPORTED_NAMES.match(text, match.end())
        assert names is not None  # the pattern matches the empty string
        for name in names.group().split(","):
            found = _IDENTIFIER.match(name)
            if found is not None:
                tops.add(found.group(1))
    return tops


def _logical_line_start(text: str, position: int) -> int:
    """Where the logical line holding `position` starts, across backslash continuations."""
    start = position
    while True:
        newline = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start))
        if newline <= 0 or position - newline > _MAX_LINE:
            return newline + 1
        before = newline - 1
        if text[newline] == "\n" and text[before] == "\r":
            before -= 1
        if before < 0 or text[before] != "\\":
            return newline + 1
        start = before


def _from_clause(text: str, line_start: int, keyword: int) -> tuple[str, str] | None:
    """(leading dots, module) of the `from` clause ending right at `keyword`, if any."""
    end = keyword
    while True:
        found = text.rfind("from", line_start, end)
        if found < 0:
            return None
        clause = _FROM_CLAUSE.match(text, found, keyword)
        if (
            clause is not None
            and clause.end() == keyword
            and (found == 0 or not (text[found - 1].isalnum() or text[found - 1] in "_."))
        ):
            return clause.group(1), clause.group(2)
        end = found + 3  # `rfind` below this `from` (it ends before `end`)
