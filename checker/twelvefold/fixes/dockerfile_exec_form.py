"""Rewrite a Dockerfile `CMD`/`ENTRYPOINT` from shell form to exec form.

In shell form (`CMD python serve.py`) Docker runs `/bin/sh -c "python serve.py"`: the
shell is PID 1, and `docker stop`'s SIGTERM never reaches the server, which is killed
after the grace period instead of shutting down cleanly. Exec form
(`CMD ["python", "serve.py"]`) runs the program directly.

The rewrite is made only when it cannot change what runs:

* the command has no shell syntax at all: no variables (`$`), command substitution,
  operators (`&&`, `|`, `;`, `>`...), globs, `~`, backslash escapes, comments or
  heredocs; simple quoting (`"app:create()"`) is allowed and resolved like the shell would;
* it does not start with a variable assignment (`FOO=1 python ...`);
* for `ENTRYPOINT`, the same stage sets no `CMD` (exec-form ENTRYPOINT receives CMD as
  arguments, shell form ignores it); for `CMD`, the stage sets no `ENTRYPOINT` (it would
  receive `sh -c ...` as arguments);
* the Dockerfile uses the default escape character, no `SHELL` instruction and no
  heredoc.

Continuation lines (`\\` at the end) are joined into one instruction. An ENTRYPOINT
inherited from the base image is not visible here: an entrypoint script that ends in
`exec "$@"` (the usual pattern) behaves the same with either form.
"""

from __future__ import annotations

import json
import re
import shlex

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile

#: Rule codes whose findings this fix resolves: shell-form-command.
CODES: tuple[str, ...] = ("TF702",)
#: What `--fix` does about them, for `explain`, `rules` and the docs.
DESCRIPTION = "rewrites a shell-form CMD or ENTRYPOINT in exec form (JSON array)"
KINDS = frozenset({kinds.DOCKERFILE})

_INSTRUCTION = lazy_compile(r"^(?P<indent>\s*)(?P<keyword>[A-Za-z]+)(?P<space>\s+)(?P<rest>.*)$")
_ESCAPE_DIRECTIVE = lazy_compile(r"^#\s*escape\s*=", re.IGNORECASE)
# Characters with a meaning to /bin/sh outside quotes; `$`, backquote and backslash also
# inside double quotes, so they are refused anywhere.
_ANYWHERE = set("$`\\")
_UNQUOTED = set(";&|<>()*?[]{}~#!\n")
# A heredoc body could hold lines that look like instructions; a SHELL instruction
# changes how shell form is run (and quoted): leave such files to a human.
_UNSURE = lazy_compile(r"<<-?\s*[\"']?[A-Za-z_]|^\s*SHELL\s", re.MULTILINE | re.IGNORECASE)


def to_exec_form(command: str) -> list[str] | None:
    """The argv the shell would run for `command`, or None if that is not certain."""
    command = command.strip()
    if not command or command.startswith("[") or any(char in _ANYWHERE for char in command):
        return None
    unquoted = re.sub(r"'[^']*'|\"[^\"]*\"", "", command)
    if any(char in _UNQUOTED for char in unquoted) or unquoted.count("'") or unquoted.count('"'):
        return None
    try:
        argv = shlex.split(command, posix=True)
    except ValueError:
        return None
    if not argv or re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", argv[0]):
        return None
    return argv


def _logical_lines(lines: list[str]) -> list[tuple[int, int, str]]:
    """(first line, last line + 1, joined text) per instruction; comments kept as-is."""
    result: list[tuple[int, int, str]] = []
    index = 0
    while index < len(lines):
        start = index
        text = lines[index].rstrip("\r\n")
        while text.endswith("\\") and index + 1 < len(lines):
            index += 1
            following = lines[index].rstrip("\r\n")
            if following.lstrip().startswith("#"):
                return []  # a comment inside a continuation: do not guess
            text = text[:-1] + " " + following.strip()
        result.append((start, index + 1, text))
        index += 1
    return result


def fix(text: str) -> tuple[str, str]:
    """(fixed text, what was done); the text itself when there is nothing to do."""
    lines = text.splitlines(keepends=True)
    if any(_ESCAPE_DIRECTIVE.match(line) for line in lines[:5]) or _UNSURE.search(text):
        return text, ""
    instructions = _logical_lines(lines)
    # Stages: the CMD/ENTRYPOINT instructions of each FROM ... block.
    stages: list[list[tuple[int, int, str, re.Match[str]]]] = [[]]
    for start, end, joined in instructions:
        match = _INSTRUCTION.match(joined)
        if match is None or joined.lstrip().startswith("#"):
            continue
        keyword = match.group("keyword").upper()
        if keyword == "FROM":
            stages.append([])
        elif keyword in ("CMD", "ENTRYPOINT"):
            stages[-1].append((start, end, keyword, match))
    replacements: dict[int, tuple[int, str]] = {}
    done: list[str] = []
    for stage in stages:
        present = {keyword for _, _, keyword, _ in stage}
        for start, end, keyword, match in stage:
            other = "ENTRYPOINT" if keyword == "CMD" else "CMD"
            if other in present:
                continue
            argv = to_exec_form(match.group("rest"))
            if argv is None:
                continue
            newline = (
                "\r\n"
                if lines[end - 1].endswith("\r\n")
                else "\n"
                if lines[end - 1].endswith("\n")
                else ""
            )
            rewritten = (
                f"{match.group('indent')}{match.group('keyword')}{match.group('space')}"
                f"{json.dumps(argv, ensure_ascii=False)}{newline}"
            )
            replacements[start] = (end, rewritten)
            done.append(f"{keyword} on line {start + 1}")
    if not replacements:
        return text, ""
    out: list[str] = []
    index = 0
    while index < len(lines):
        if index in replacements:
            end, rewritten = replacements[index]
            out.append(rewritten)
            index = end
        else:
            out.append(lines[index])
            index += 1
    return "".join(out), "exec form for " + ", ".join(done)
