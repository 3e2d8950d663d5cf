"""Inline suppressions: `# twelvefold: ignore[TF301]` and `# twelvefold: ignore-file[...]`.

They work in every file type with `#` comments (Python, notebook code cells, YAML, TOML,
requirements, Dockerfile, shell, .env). A bare `# twelvefold: ignore` names no code and
is refused with a warning: it would hide every current and future finding on the line.

Only a real comment suppresses: the same text inside a string is data, and a string is
something a pull request controls on the very line it wants hidden
(`KEY = "AKIA..."; x = "# twelvefold: ignore[TF301]"`). Python (and a notebook's code
cells) is tokenized. A file that does not tokenize honours no `ignore-file` at all (fail
closed); its lines before the error are still known, and past it a `#` counts only
outside the quotes of its line. Other files are lexed cheaply, per kind: a `#` inside
single or double quotes (and TOML's multi-line strings) is not a comment, and in YAML,
shell, .env, requirements and Dockerfiles a comment starts only at a `#` after
whitespace or at the start of a line. JSON and Markdown have no `#` comments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile

if TYPE_CHECKING:
    from twelvefold.sources import SourceFile

MARKER = b"twelvefold:"
_TEXT_MARKER = "twelvefold:"
_COMMENT = lazy_compile(r"#\s*twelvefold:\s*(ignore-file|ignore)\b(?:\[([^\]]*)\])?")


@dataclass
class Suppressions:
    file_codes: set[str] = field(default_factory=set)
    bare_lines: list[int] = field(default_factory=list)
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (line, code)
    #: Line number -> the codes a real comment on that line suppresses.
    line_codes: dict[int, set[str]] = field(default_factory=dict)
    #: (cell, line in the cell) -> codes, for a notebook's code cells.
    cell_codes: dict[tuple[int, int], set[str]] = field(default_factory=dict)

    def suppresses(
        self, code: str, line: int | None, cell: int | None = None, cell_line: int | None = None
    ) -> bool:
        """A finding of `code` at this place is suppressed by a comment on its line
        (a notebook finding by the line of its cell, as `SourceFile.line_text`)."""
        if cell is not None and cell_line is not None:
            return code in self.cell_codes.get((cell, cell_line), ())
        return line is not None and code in self.line_codes.get(line, ())


def parse_line(text: str) -> tuple[str, list[str] | None] | None:
    """(`ignore` or `ignore-file`, codes or None when bare) for a comment, or None."""
    match = _COMMENT.search(text)
    if match is None:
        return None
    if match.group(2) is None:
        return match.group(1), None
    codes = [code.strip().upper() for code in match.group(2).split(",") if code.strip()]
    return match.group(1), codes or None


def line_suppresses(text: str | None, code: str, syntax: str = "python") -> bool:
    """A lone line's real comment suppresses `code` (a `#` outside the line's quotes)."""
    if not text or _TEXT_MARKER not in text:
        return False
    comment = line_comment(text, syntax)
    parsed = parse_line(comment) if comment is not None else None
    return (
        parsed is not None and parsed[0] == "ignore" and parsed[1] is not None and code in parsed[1]
    )


def scan(
    lines: list[str],
    known: Set[str] | None = None,
    *,
    python: bool = False,
    syntax: str | None = None,
) -> Suppressions:
    """Suppressions (file-level and per line) and problems (bare or unknown codes) of a
    file's lines. `syntax` is how its comments are told from its strings (`SYNTAXES`);
    `python=True` is `syntax="python"`; the default is shell-like `#` comments."""
    found = Suppressions()
    comments, trusted = _comments(lines, "python" if python else syntax or "hash")
    for number, comment in comments:
        _record(found, comment, number, known, trusted, (number, None))
    return found


def scan_source(source: SourceFile, known: Set[str] | None = None) -> Suppressions:
    """The suppressions of a file, by its kind (see the module's docstring)."""
    if source.kind == kinds.NOTEBOOK:
        return _scan_notebook(source, known)
    syntax = syntax_of(source.kind)
    if syntax is None:
        return Suppressions()
    return scan(source.lines, known, syntax=syntax)


def _record(
    found: Suppressions,
    comment: str,
    number: int,
    known: Set[str] | None,
    trusted: bool,
    place: tuple[int, tuple[int, int] | None],
) -> None:
    parsed = parse_line(comment)
    if parsed is None:
        return
    kind, codes = parsed
    if codes is None:
        found.bare_lines.append(number)
        return
    if known is not None:
        found.unknown.extend((number, code) for code in codes if code not in known)
    if kind == "ignore-file":
        if trusted:
            found.file_codes.update(codes)
        return
    line, cell = place
    found.line_codes.setdefault(line, set()).update(codes)
    if cell is not None:
        found.cell_codes.setdefault(cell, set()).update(codes)


def _scan_notebook(source: SourceFile, known: Set[str] | None) -> Suppressions:
    """A notebook's code cells, tokenized as the Python the rules read. A line IPython
    runs as a shell or magic command (`!pip ...`, a `%%bash` cell), which that Python
    holds as a comment, is lexed as a shell line instead."""
    found = Suppressions()
    notebook, python = source.notebook, source.python
    if notebook is None or python is None:
        return found
    cells = {cell.index: cell for cell in notebook.cells}
    comments, trusted = _comments(python.lines, "python")
    for number, comment in comments:
        where = python.loc(number)
        cell = cells.get(where.cell) if where.cell is not None else None
        if cell is None or where.cell_line is None or not 1 <= where.cell_line <= len(cell.lines):
            continue
        original = cell.lines[where.cell_line - 1]
        text: str | None = comment
        if original != python.lines[number - 1]:
            text = line_comment(original, "hash")
        if text is None:
            continue
        line = where.line if where.line is not None else number
        _record(found, text, line, known, trusted, (line, (cell.index, where.cell_line)))
    return found


# --- telling comments from strings ------------------------------------------------------

#: How each kind's comments are found: a lexer name, or None for no `#` comments.
_SYNTAX_OF_KIND: dict[str, str | None] = {
    kinds.PYTHON: "python",
    kinds.YAML: "yaml",
    kinds.TOML: "toml",
    kinds.PYPROJECT: "toml",
    kinds.JSON: None,
    kinds.DOCS: None,
    kinds.DATA: None,
}

# Strings, then comments: a `#` the regex reaches outside a string starts a comment. An
# unterminated string runs to the end of its line (of the text, for a triple-quoted one),
# so what follows an unclosed quote is never taken for a comment.
_DOUBLE = r'"(?:[^"\\\n]|\\.)*"?'
_SINGLE_RAW = r"'[^'\n]*'?"
_LEXERS = {
    # Shell, .env, requirements, Dockerfile, INI, Makefile and unknown text: a quote
    # inside a word (`it's`) opens nothing; a comment starts after whitespace.
    "hash": re.compile(rf"{_DOUBLE}|(?<!\w){_SINGLE_RAW}|(?<!\S)#[^\n]*"),
    # YAML: a quote opens a string only where a scalar starts.
    "yaml": re.compile(rf"(?<![^\s:\-\[{{,?])(?:{_DOUBLE}|'(?:[^'\n]|'')*'?)|(?<!\S)#[^\n]*"),
    "toml": re.compile(
        r'"""(?:[^\\]|\\[\s\S])*?"""|"""[\s\S]*|' + r"'''[\s\S]*?'''|'''[\s\S]*|"
        rf"{_DOUBLE}|{_SINGLE_RAW}|#[^\n]*"
    ),
    # Python past a tokenizer error: string prefixes need no care, escapes do.
    "python": re.compile(
        r'"""(?:[^\\]|\\[\s\S])*?"""|"""[\s\S]*|'
        r"'''(?:[^\\]|\\[\s\S])*?'''|'''[\s\S]*|"
        rf"{_DOUBLE}|'(?:[^'\\\n]|\\.)*'?|#[^\n]*"
    ),
}
SYNTAXES = frozenset(_LEXERS)


def line_comment(text: str, syntax: str = "hash") -> str | None:
    """The comment of one line (from its `#`), or None when it has none."""
    for match in _LEXERS[syntax].finditer(text):
        if match.group().startswith("#"):
            return match.group()
    return None


def _comments(lines: list[str], syntax: str) -> tuple[list[tuple[int, str]], bool]:
    """(line number, comment text) of every comment that mentions the marker, and
    whether the whole file was understood (else `ignore-file` is not honoured)."""
    if syntax == "python":
        return _python_comments(lines)
    text = "\n".join(lines)
    if _TEXT_MARKER not in text:
        return [], True
    return list(_lexed_comments(text, _LEXERS[syntax])), True


def _lexed_comments(
    text: str, lexer: re.Pattern[str], first_line: int = 1
) -> Iterator[tuple[int, str]]:
    line, counted = first_line, 0
    for match in lexer.finditer(text):
        found = match.group()
        if found.startswith("#") and _TEXT_MARKER in found:
            line += text.count("\n", counted, match.start())
            counted = match.start()
            yield line, found


def _python_comments(lines: list[str]) -> tuple[list[tuple[int, str]], bool]:
    import io
    import tokenize

    found: list[tuple[int, str]] = []
    failed_at: int | None = None
    try:
        for token in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            if token.type == tokenize.ERRORTOKEN and not token.string.isspace():
                failed_at = token.start[0]  # an unterminated string, a stray character
                break
            if token.type == tokenize.COMMENT and _TEXT_MARKER in token.string:
                found.append((token.start[0], token.string))
    except (tokenize.TokenError, SyntaxError, ValueError) as exc:
        # TokenError("...", (line, column)); SyntaxError (IndentationError) has `lineno`.
        position = exc.args[1] if len(exc.args) > 1 else None
        failed_at = position[0] if isinstance(position, tuple) and position else None
        if isinstance(exc, SyntaxError):
            failed_at = exc.lineno
        failed_at = max(1, min(failed_at if isinstance(failed_at, int) else 1, len(lines)))
    if failed_at is None:
        return found, True
    # Past the error nothing the tokenizer said is certain: lex the rest again.
    found = [(number, comment) for number, comment in found if number < failed_at]
    rest = "\n".join(lines[failed_at - 1 :])
    found.extend(_lexed_comments(rest, _LEXERS["python"], failed_at))
    return found, False


def syntax_of(kind: str) -> str | None:
    """The comment syntax of a kind of file (`python`, `yaml`, `toml`, `hash`), or None for
    kinds with no `#` comments (JSON, Markdown, data)."""
    return _SYNTAX_OF_KIND.get(kind, "hash")
