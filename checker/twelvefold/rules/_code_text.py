"""Python source read as text, for the scans that decide whether a file is worth parsing
(`download_at_import`, `model_saved_without_metadata`): where its strings and comments are."""

from __future__ import annotations

import re

from twelvefold.lazy_regex import lazy_compile

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
