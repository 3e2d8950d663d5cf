"""Strip outputs and execution counts from Jupyter notebooks.

Outputs carry data samples, secrets printed by accident and megabytes of images into
git history, and execution counts make every re-run a diff. The fix sets each code
cell's `outputs` to `[]` and `execution_count` to `null` and changes nothing else.

It rewrites the file only when the rewrite is byte-for-byte what the notebook already
looks like apart from those fields: the JSON is re-serialised with the file's own
indentation (Jupyter writes 1), key order, `ensure_ascii=False` and trailing newline,
and a notebook that does not round-trip exactly (hand-edited, another writer's style)
is left alone rather than reformatted.
"""

from __future__ import annotations

import json

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile

#: Rule codes whose findings this fix resolves: notebook-with-outputs.
CODES: tuple[str, ...] = ("TF104",)
#: What `--fix` does about them, for `explain`, `rules` and the docs.
DESCRIPTION = "strips the cell outputs and execution counts of a tracked notebook"
KINDS = frozenset({kinds.NOTEBOOK})

_INDENT = lazy_compile(r"\{\r?\n( +)\"")


def _dump(document: object, indent: int, newline: str, trailing: bool) -> str:
    text = json.dumps(document, indent=indent, ensure_ascii=False)
    if newline != "\n":
        text = text.replace("\n", newline)
    return text + (newline if trailing else "")


def fix(text: str) -> tuple[str, str]:
    """(fixed text, what was done); the text itself when there is nothing to do."""
    try:
        document = json.loads(text)
    except ValueError:
        return text, ""
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        return text, ""
    match = _INDENT.match(text)
    if match is None:
        return text, ""
    indent = len(match.group(1))
    newline = "\r\n" if "\r\n" in text else "\n"
    trailing = text.endswith(newline)
    if _dump(document, indent, newline, trailing) != text:
        return text, ""  # would reformat the whole file: not a mechanical fix
    outputs = counts = 0
    for cell in document["cells"]:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            outputs += len(cell["outputs"])
            cell["outputs"] = []
        if cell.get("execution_count") is not None:
            counts += 1
            cell["execution_count"] = None
    if not outputs and not counts:
        return text, ""
    return _dump(
        document, indent, newline, trailing
    ), f"stripped {outputs} output(s) and {counts} execution count(s)"
