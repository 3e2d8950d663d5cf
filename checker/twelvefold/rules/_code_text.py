"""Python source read as text, for the scans that decide whether a file is worth parsing:
where its strings and comments are (`download_at_import`, `model_saved_without_metadata`,
`print_as_logging`), and the pieces of the RE2 patterns that find a name used as code
(`_randomness`, `_training`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from twelvefold.lazy_regex import lazy_compile

if TYPE_CHECKING:
    from twelvefold.sources import SourceFile

#: A comment or a string (unterminated ones to the end of their line or of the file):
#: the scans that stand in for a parse blank or measure them. It starts on `#` or a quote only (a prefix is
#: read before the match), and every loop ends on a character it cannot take, so a
#: match never backtracks: linear in the file's size.
STRING_OR_COMMENT = lazy_compile(
    r"#[^\n]*"
    r"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*(?:'''|\\?\Z)"
    r'|"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*(?:"""|\\?\Z)'
    r"|'[^'\\\n]*(?:\\.[^'\\\n]*)*(?:'|(?=\n)|\\?\Z)"
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*(?:"|(?=\n)|\\?\Z)',
    re.DOTALL,
)


def blanked_code(file: SourceFile) -> str:
    """A Python file's code with its comments removed and its strings emptied (`''`),
    every line kept where it was: line endings made `\n`, tabs expanded to Python's own
    stops (columns are indentation). An f-string stays, its fields being code, each of
    its next lines led by `)`, which starts no statement. Worked out once per file
    (`SourceFile.derived`): TF701's and TF902's scans read the same view."""
    return file.derived(_blanked_code)


def _blanked_code(file: SourceFile) -> str:
    return blanked_text(file.text or "")


def blanked_text(text: str) -> str:
    """`blanked_code` of a module's text (what a file remembers)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in text:
        text = text.expandtabs(8)  # Python's own tab stops for indentation
    return STRING_OR_COMMENT.sub(_blank, text)


def _blank(match: re.Match[str]) -> str:
    """A `STRING_OR_COMMENT` match as `blanked_code` writes it."""
    text = match.group()
    if text.startswith("#"):
        return ""
    if is_f_string(match):
        return text.replace("\n", "\n)")  # (or `if"x":`, kept the same)
    return "''" + "\n" * text.count("\n")


def is_f_string(match: re.Match[str]) -> bool:
    """A `STRING_OR_COMMENT` match that is an f-string (`f"..."`, `rf'...'`): its fields
    are code. The prefix is read from the two characters before the quote."""
    start = match.start()
    return "f" in match.string[max(0, start - 2) : start].lower()


#: Space between two tokens of a statement (a line break inside brackets included).
SPACE = rb"[ \t\n\r\f\v]*"
#: A line continuation (`\` at the end of a line), or in a notebook's JSON an escape of
#: a line break, a tab or a backslash; not `\"`, a quote: a name before one is in a string.
LINE_BREAK = rb"\\[nrtfu\\\n\r]"
#: A name starts the token: not inside a longer one (`operand`, `Seq2SeqTrainer`). In a
#: notebook's JSON an escape (`\n`, `\u00a0`) may come right before it.
TOKEN_START = rb"(?:^|[^0-9A-Za-z_]|\\[bfnrt]|\\u[0-9A-Fa-f]{4})"


def alternatives(names: Iterable[str]) -> bytes:
    """`(?:a|b|...)` of the names, escaped, for an RE2 pattern over bytes."""
    return b"(?:" + b"|".join(re.escape(name).encode() for name in sorted(names)) + b")"
