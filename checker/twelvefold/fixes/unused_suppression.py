"""Remove the codes of suppression comments that suppress nothing (TF106).

`x = load()  # twelvefold: ignore[TF301, TF402]` where only TF402 still has a finding
becomes `# twelvefold: ignore[TF402]`; a comment left with no code goes, with the white
space before it, and a line that held only that comment goes too. Another comment on the
line (`# noqa: E501`) stays. Only the codes the findings name are removed, on the lines
they name, so the fix is idempotent and changes nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping

from twelvefold.lazy_regex import lazy_compile

#: Rule codes whose findings this fix resolves: unused-suppression.
CODES: tuple[str, ...] = ("TF106",)
#: What `--fix` does about them, for `explain`, `rules` and the docs.
DESCRIPTION = "removes the unused code from the suppression comment (the comment if none is left)"

_SUPPRESSION = lazy_compile(r"[ \t]*#\s*twelvefold:\s*ignore\[(?P<codes>[^\]]*)\]")
#: The code a TF106 finding is about, from its message.
FINDING_CODE = lazy_compile(r"`(?P<code>[^`\s]+)`")


def fix(text: str, removals: Mapping[int, set[str]]) -> tuple[str, str]:
    """`text` with `removals` (line number -> codes) taken out of its suppressions."""
    lines = text.splitlines(keepends=True)
    removed = 0
    for number in sorted(removals, reverse=True):
        if not 1 <= number <= len(lines):
            continue
        line = lines[number - 1]
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        match = _SUPPRESSION.search(body)
        if match is None:
            continue
        codes = [code.strip() for code in match.group("codes").split(",") if code.strip()]
        kept = [code for code in codes if code.upper() not in removals[number]]
        if len(kept) == len(codes):
            continue
        removed += len(codes) - len(kept)
        if kept:
            start, end = match.span("codes")
            body = body[:start] + ", ".join(kept) + body[end:]
        else:
            rest = body[match.end() :]
            body = body[: match.start()] + (rest if rest.strip() else "")
            if not body.strip():
                lines[number - 1] = ""
                continue
            body = body.rstrip() if not rest.strip() else body
        lines[number - 1] = body + ending
    return "".join(lines), f"removed {removed} unused suppression code{'s' if removed != 1 else ''}"
