"""Python source read as text, for the scans that decide whether a file is worth parsing:
where its strings and comments are (`download_at_import`, `model_saved_without_metadata`,
`print_as_logging`), and the pieces of the RE2 patterns that find a name used as code
(`_randomness`, `_training`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from twelvefold.lazy_regex import lazy_compile
from twelvefold.pattern_sets import re2_pattern

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


# --- one pass: a pattern in code, strings and comments stepped over ----------------------

#: One character of the body of each kind of string `STRING_OR_COMMENT` reads, for RE2
#: (no look-around): in a triple-quoted body, a quote is one or two quotes not followed
#: by a third.
_BODY = {
    "'''": rb"(?:[^'\\]|\\.|''?(?:[^'\\]|\\.))",
    '"""': rb'(?:[^"\\]|\\.|""?(?:[^"\\]|\\.))',
    "'": rb"(?:[^'\\\n]|\\.)",
    '"': rb'(?:[^"\\\n]|\\.)',
}
#: How each ends: its closing quotes, or (unterminated) the end of its line (taken with
#: it here: every way of stepping over a string must take all of it) or of the text.
_END = {
    "'''": rb"(?:'''|'{0,2}\\?\z)",
    '"""': rb'(?:"""|"{0,2}\\?\z)',
    "'": rb"(?:'|\n|\\?\z)",
    '"': rb'(?:"|\n|\\?\z)',
}
_QUOTES = ("'''", '"""', "'", '"')


def in_code(found: bytes) -> bytes:
    """An RE2 pattern (over bytes, `.` taking newlines) that matches a text where `found`
    is in its `blanked_code` view: outside comments and strings, or inside an f-string,
    which that view keeps. One linear pass, where blanking makes a Python call per
    string and comment. Line endings must be `\n` and tabs expanded, as in that view.

    Never a subset: wherever the blanked view holds `found`, this matches. RE2 finds any
    way of reading the text that leads to `found`, so each token is read in the one way
    `STRING_OR_COMMENT` reads it: a string whole (an empty `''` never right before a
    third quote, which makes it a triple-quoted one), and as an f-string only where the
    blanked view takes it for one, an `f` being one of the two characters before its
    quote (`rf"`, `if"x"`, a comment or a string ending in `f` right before it)."""
    triple = b"|".join(q.encode() + _BODY[q] + b"*" + _END[q] for q in _QUOTES[:2])
    # A one-quote string with a body, or an unterminated empty one; a closed empty one
    # (`''`) is read with what follows it (`_after_empty`), which is never its quote.
    single = b"|".join(
        q.encode() + b"(?:" + _BODY[q] + b"+" + _END[q] + rb"|\n|\\?\z)" for q in _QUOTES[2:]
    )
    comment = rb"#[^\n]*(?:\n|\z)"  # to its line's end: stepped over whole, as strings
    inside = b"|".join(
        q.encode()
        + _BODY[q]
        + b"*"
        + (q[0].encode() + b"{0,2}" if len(q) == 3 else b"")
        + rb"\\?(?:"
        + found
        + b")"
        for q in _QUOTES
    )
    # (its `f` may be an escape's, `"\\f"`: the view reads the character, not the token)
    ends_in_f = b"|".join(
        q.encode() + _BODY[q] + rb"*\\?[fF](?:" + q.encode() + rb"|\n)" for q in _QUOTES[2:]
    )
    f_before = rb"(?:[fF][^'\"#]?|#[^\n]*[fF]\n|" + ends_in_f + b")"
    found_here = b"(?:" + found + b"|" + f_before + b"(?:" + inside + b"))"
    empty = []
    for q, other in (("'", '"'), ('"', "'")):
        # After `''`: a code character, the end, a comment or a string of the other quote.
        other_strings = b"|".join(
            o.encode() + _BODY[o] + b"*" + _END[o] for o in (other * 3, other)
        )
        empty.append((q * 2).encode() + rb"(?:[^'\"#]|\z|" + comment + b"|" + other_strings + b")")
    token = b"|".join([rb"[^'\"#]", comment, triple, single, *empty])
    found_after_empty = b"|".join((q * 2).encode() + found_here for q in _QUOTES[2:])
    return rb"\A(?:" + token + rb")*?(?:" + found_here + b"|" + found_after_empty + b")"


def code_finder(found: bytes) -> Any:
    """`in_code(found)` compiled by RE2 (`.` taking newlines), once per process; None
    without google-re2."""
    return re2_pattern(in_code(found), dot_nl=True)


def may_hold_in_code(found: bytes, text: str) -> bool:
    """Whether the blanked view of the module `text` may hold `found` (an RE2 pattern
    over bytes), from one pass over the text (`in_code`): False only where it does not.
    Always True without google-re2: the caller's own test on the blanked view decides."""
    finder = code_finder(found)
    if finder is None:
        return True
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in text:
        text = text.expandtabs(8)  # as the blanked view (a tab is no word either way)
    return finder.search(text.encode("utf-8", "surrogatepass")) is not None
