"""Every rule's documentation runs: its *Example* is reported and its *Use instead* is not.

A rule's docstring is its user documentation (`twelvefold explain`, the docs site, SARIF).
Its examples are written as files: each fenced block of *Example* is one file of a
repository, named by its first line (`# src/app/train.py`, `# requirements.txt`) or, when
unnamed, by its language (`python` -> `src/app/train.py`, `dockerfile` -> `Dockerfile`...).
The repository made of the *Example* files must give the rule at least one finding; the
same repository with the *Use instead* files written over it (an unnamed block replaces
the first example file) must give none. So a doc example that drifts from what the rule
does fails here, as ruff's rule examples do.

Files a comment cannot name, or whose content is no text to show:

* a notebook is a ```json block whose `// notebooks/eda.ipynb` line is dropped, or a
  ```python block named `# notebooks/eda.ipynb`, which becomes a one-cell notebook;
* a large data or model file is a block holding only its name and size,
  `# models/churn.pkl (12 MB)`: the file is that many bytes.

A ```console block is commands to type (`git rm --cached ...`), not a file: it is shown
and not written.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from twelvefold.config import Config
from twelvefold.registry import all_rules

from tests.helpers import check, findings, make_repo, notebook

_SECTION = r"^## {title}[ \t]*\n(.*?)(?=^## |\Z)"
_BLOCK = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```", re.S | re.M)
_PATH_LINE = re.compile(r"^(?:#|//)\s*([\w.-]+(?:/[\w.{}-]+)*)(?:\s+\((\d+)\s*(KB|MB)\))?\s*$")
_UNIT = {"KB": 1024, "MB": 1024 * 1024}
_DEFAULT_PATHS = {
    "python": "src/app/train.py",
    "py": "src/app/train.py",
    "dockerfile": "Dockerfile",
    "toml": "pyproject.toml",
    "ini": "setup.cfg",
    "cfg": "setup.cfg",
    "yaml": ".github/workflows/ci.yml",
    "yml": ".github/workflows/ci.yml",
    "text": "requirements.txt",
    "dotenv": ".env",
    "json": "notebook.ipynb",
}

#: Rules whose example cannot be a file tree, and why (the goal is none).
NOT_RUNNABLE: dict[str, str] = {
    "TF101": "the example is a folder that is not a git repository",
    "TF305": "the example is a file the checker cannot read (mode 000, or over 1 GiB)",
}


def _blocks(documentation: str, title: str) -> list[tuple[str, str]]:
    match = re.search(_SECTION.format(title=re.escape(title)), documentation, re.S | re.M)
    if match is None:
        return []
    return [
        (language.lower(), body)
        for language, body in _BLOCK.findall(match.group(1))
        if language.lower() != "console"  # commands to type, not a file
    ]


def _file(language: str, body: str) -> tuple[str | None, str | bytes]:
    first, _, rest = body.partition("\n")
    named = _PATH_LINE.match(first)
    if named and ("." in named.group(1) or "/" in named.group(1) or named.group(1) == "Dockerfile"):
        path, size, unit = named.groups()
        if size:  # a file too large to show: its size, in bytes
            return path, b"\0" * (int(size) * _UNIT[unit])
        if path.endswith(".ipynb"):
            return path, rest if language == "json" else notebook(rest)
        return path, body
    return _DEFAULT_PATHS.get(language), body


def example_trees(code: str) -> tuple[dict[str, str | bytes], dict[str, str | bytes]]:
    documentation = all_rules()[code].documentation()
    example: dict[str, str | bytes] = {}
    for language, body in _blocks(documentation, "Example"):
        path, text = _file(language, body)
        assert path is not None, f"{code}: name the example file (`# path` on its first line)"
        assert path not in example, f"{code}: two example blocks name `{path}`"
        example[path] = text
    fixed = dict(example)
    first = next(iter(example), None)
    for language, body in _blocks(documentation, "Use instead"):
        path, text = _file(language, body)
        named = _PATH_LINE.match(body.split("\n", 1)[0]) is not None
        target = path if named or first is None else first
        assert target is not None, f"{code}: name the `Use instead` file"
        fixed[target] = text
    return example, fixed


CODES = [code for code in all_rules() if code not in NOT_RUNNABLE]

#: Rules asked only of another kind of repository than the default (application).
KIND: dict[str, str] = {"TF208": "library"}

#: Rules whose example needs other rules to run beside them, and which.
RUN_WITH: dict[str, list[str]] = {
    # An unused suppression is one whose rule ran and found nothing on the line.
    "TF106": ["TF301"],
}


@pytest.mark.parametrize("code", CODES)
def test_the_example_is_reported_and_the_fix_is_not(tmp_path: Path, code: str) -> None:
    example, fixed = example_trees(code)
    assert example, f"{code}: the documentation has no example"
    assert fixed != example, f"{code}: the documentation has no `Use instead`"
    selected = [code, *RUN_WITH.get(code, [])]

    def run(root: Path, files: dict) -> list:
        if code not in KIND:
            return findings(root, selected, files)
        make_repo(root, files)
        return check(root, select=selected, config=Config(kind=KIND[code], preview=True)).findings

    reported = [f for f in run(tmp_path / "example", example) if f.code == code]
    assert reported, f"{code}: the documented example is not reported:\n{example}"
    left = [f for f in run(tmp_path / "fixed", fixed) if f.code == code]
    assert not left, f"{code}: the documented fix is still reported: {left}"
