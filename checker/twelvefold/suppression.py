"""Inline suppressions: `# twelvefold: ignore[TF301]` and `# twelvefold: ignore-file[...]`.

They work in every file type with `#` comments (Python, notebook cells, YAML, TOML,
requirements, Dockerfile, shell, .env). A bare `# twelvefold: ignore` names no code and
is refused with a warning: it would hide every current and future finding on the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MARKER = b"twelvefold:"
_COMMENT = re.compile(r"#\s*twelvefold:\s*(ignore-file|ignore)\b(?:\[([^\]]*)\])?")


@dataclass
class Suppressions:
    file_codes: set[str] = field(default_factory=set)
    bare_lines: list[int] = field(default_factory=list)
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (line, code)


def parse_line(text: str) -> tuple[str, list[str] | None] | None:
    """(`ignore` or `ignore-file`, codes or None when bare) for a line, or None."""
    match = _COMMENT.search(text)
    if match is None:
        return None
    if match.group(2) is None:
        return match.group(1), None
    codes = [code.strip().upper() for code in match.group(2).split(",") if code.strip()]
    return match.group(1), codes or None


def line_suppresses(text: str | None, code: str) -> bool:
    if not text or "twelvefold:" not in text:
        return False
    parsed = parse_line(text)
    return (
        parsed is not None and parsed[0] == "ignore" and parsed[1] is not None and code in parsed[1]
    )


def scan(lines: list[str], known: set[str] | None = None, *, python: bool = False) -> Suppressions:
    """File-level suppressions and problems (bare or unknown codes) of a file's lines.

    For Python, only real comments count (a docstring that shows the syntax does not).
    """
    found = Suppressions()
    comment_lines = _python_comment_lines(lines) if python else None
    for number, text in enumerate(lines, start=1):
        if "twelvefold:" not in text or (comment_lines is not None and number not in comment_lines):
            continue
        parsed = parse_line(text)
        if parsed is None:
            continue
        kind, codes = parsed
        if codes is None:
            found.bare_lines.append(number)
            continue
        if known is not None:
            found.unknown.extend((number, code) for code in codes if code not in known)
        if kind == "ignore-file":
            found.file_codes.update(codes)
    return found


def _python_comment_lines(lines: list[str]) -> set[int] | None:
    import io
    import tokenize

    found: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            if token.type == tokenize.COMMENT and "twelvefold:" in token.string:
                found.add(token.start[0])
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    return found
