"""Hostile repositories, built on disk: shared by tests/test_hostile.py and
benchmarks/hostile.py (which measures time and peak memory of each).

Every case also plants one real violation (a hard-coded AWS key in `app/settings.py`)
so a test can prove the rest of the repository was still checked. Secrets are built by
concatenation so this file itself holds none.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import make_repo

#: A realistic-looking AWS access key ID (not a documented example, so it is reported).
PLANTED_SECRET = "AKIA" + "Q7ZP3MDKW9RTX2VB"
PLANTED_PATH = "app/settings.py"
PLANTED_FILES = {
    PLANTED_PATH: f'AWS_ACCESS_KEY_ID = "{PLANTED_SECRET}"\n',
    "requirements.txt": "requests==2.32.3\n",
    ".python-version": "3.11\n",
}

MB = 1_000_000


@dataclass(frozen=True)
class Case:
    name: str
    description: str
    build: Callable[[Path], None]
    #: A substring of the diagnostic that must name what was skipped ("" = none expected).
    diagnostic: str = ""
    slow: bool = False


def _repo(
    root: Path, files: dict[str, str | bytes] | None = None, *, git_init: bool = True
) -> Path:
    return make_repo(root, {**PLANTED_FILES, **(files or {})}, git_init=git_init)


def _sparse(path: Path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.truncate(size)


def build_huge_code_file(root: Path) -> None:
    _repo(root)
    # Untracked after the commit: git lists it without hashing 200 MB.
    _sparse(root / "src" / "huge.py", 200 * MB)


def build_huge_data_file(root: Path) -> None:
    _repo(root)
    _sparse(root / "data" / "weights.bin", 200 * MB)


def build_long_line_string(root: Path) -> None:
    _repo(root, {"src/blob.py": 'BLOB = "' + "A" * (10 * MB) + '"\n'})


def build_long_line_identifier(root: Path) -> None:
    # A 10 MB identifier after a secret-ish word: a regex that backtracks per start
    # position would take hours here.
    _repo(root, {"src/ident.py": "password" + "a" * (10 * MB) + "\n"})


def build_long_line_spaces(root: Path) -> None:
    # `KEY=<10 MB of spaces>x` in a config file: lazy `.*?` before `\s*$` is quadratic.
    _repo(root, {"deploy/app.env": "DB_PASSWORD=" + " " * (10 * MB) + "x\n"})


def build_long_line_anchors(root: Path) -> None:
    # Every secret anchor repeated on one line: each one starts a regex attempt.
    anchors = "AKIA ghp_ xoxb- sk_live_ hf_ AIza :// AccountKey= password= token: "
    _repo(root, {"config/settings.yaml": "x: " + anchors * (10 * MB // len(anchors)) + "\n"})


def _notebook(outputs: list[dict], source: str = "import os\n") -> str:
    cell = {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {},
        "outputs": outputs,
        "source": [source],
    }
    document = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(document, indent=1)


def _png_output(size: int) -> dict:
    payload = base64.b64encode(os.urandom(size * 3 // 4)).decode()
    return {"output_type": "display_data", "data": {"image/png": payload}, "metadata": {}}


def build_notebook_50mb(root: Path) -> None:
    _repo(root, {"notebooks/plots.ipynb": _notebook([_png_output(50 * MB)])})


def build_notebook_9mb(root: Path) -> None:
    # Under the size limit, so it is parsed: the image payload must not cost much.
    secret_line = f'KEY = "{PLANTED_SECRET}"\n'
    _repo(root, {"notebooks/plots.ipynb": _notebook([_png_output(9 * MB)], secret_line)})


def build_notebook_unlocatable(root: Path) -> None:
    # 20k outputs whose stored form (`\u0079` for `y`) differs from `json.dumps`, each a
    # near miss of the next: a line locator that searched the rest of the file for every
    # one of them took 6 minutes on these 5 MB.
    outputs = [{"output_type": "stream", "name": "stdout", "text": ["x" * 200 + "y"]}] * 20_000
    text = _notebook(outputs, "token = os.environ['TOKEN']\n").replace('xy"', 'x\\u0079"')
    _repo(root, {"notebooks/log.ipynb": text})


_LAUGHS = "\n".join(
    ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
)


def build_yaml_bomb(root: Path) -> None:
    # 81 aliases (under any alias-count cap) that expand to 9**10 (3.5 billion) strings.
    workflow = "name: ci\non: push\n" + _LAUGHS + "\njobs:\n  test:\n    runs-on: *a9\n"
    compose = "services:\n  web:\n    image: python:3.12\n" + _LAUGHS + "\n"
    _repo(
        root,
        {
            ".github/workflows/ci.yml": workflow,
            "docker-compose.yml": compose,
            "environment.yml": _LAUGHS + "\ndependencies: *a9\n",
        },
    )


def build_deep_nesting(root: Path) -> None:
    depth = 100_000
    deep = "[" * depth + "]" * depth
    _repo(
        root,
        {
            "data/deep.json": deep,
            "notebooks/deep.ipynb": '{"cells": ' + deep + "}",
            "config/deep.yaml": "x: " + deep + "\n",
            "config/deep.toml": "x = " + deep + "\n",
            "src/deep.py": "x = " + deep + "\n",
            "src/deep_calls.py": "x = " + "f(" * depth + ")" * depth + "\n",
        },
    )


def build_many_files(root: Path) -> None:
    _repo(root)
    for bucket in range(100):
        folder = root / "many" / f"d{bucket:02d}"
        folder.mkdir(parents=True)
        for index in range(1000):
            (folder / f"m{index:03d}.py").touch()


def build_symlinks(root: Path) -> None:
    _repo(root, git_init=False)
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "leak.py").write_text(f'TOKEN_OUTSIDE = "{PLANTED_SECRET}"\n')
    (root / "loop").symlink_to("..")
    (root / "self").symlink_to("self")
    (root / "escape").symlink_to(outside)
    (root / "escape.py").symlink_to(outside / "leak.py")
    (root / "zero.py").symlink_to("/dev/zero")
    (root / "a").symlink_to("b")
    (root / "b").symlink_to("a")
    (root / "app" / "up").symlink_to("../..")


def build_symlinked_config(root: Path) -> None:
    # Config and ignore files that point at an endless device: reading them would hang.
    _repo(root, git_init=False)
    (root / "pyproject.toml").symlink_to("/dev/zero")
    (root / ".gitignore").symlink_to("/dev/zero")


def build_fifo(root: Path) -> None:
    _repo(root)
    os.mkfifo(root / "src.py")  # opening a FIFO for reading blocks until a writer comes


CASES: tuple[Case, ...] = (
    Case("huge-code-file", "200 MB sparse .py file", build_huge_code_file, "over the"),
    Case("huge-data-file", "200 MB sparse model weights (.bin)", build_huge_data_file),
    Case("long-line-string", "10 MB single-line string literal", build_long_line_string),
    Case(
        "long-line-identifier",
        "10 MB single-line identifier after `password`",
        build_long_line_identifier,
    ),
    Case("long-line-spaces", "`.env`: DB_PASSWORD= then 10 MB of spaces", build_long_line_spaces),
    Case("long-line-anchors", "10 MB YAML line of secret-pattern anchors", build_long_line_anchors),
    Case(
        "notebook-50mb",
        "notebook with 50 MB of base64 image output",
        build_notebook_50mb,
        "over the",
    ),
    Case("notebook-9mb", "notebook with 9 MB of base64 output (parsed)", build_notebook_9mb),
    Case(
        "notebook-unlocatable",
        "6 MB notebook, 20k outputs not stored verbatim (near misses)",
        build_notebook_unlocatable,
    ),
    Case(
        "yaml-bomb",
        "billion laughs in a workflow, docker-compose and environment.yml",
        build_yaml_bomb,
        "YAML",
    ),
    Case(
        "deep-nesting",
        "100k-level nesting in JSON, notebook, YAML, TOML, Python",
        build_deep_nesting,
    ),
    Case("many-files", "100,000 empty .py files", build_many_files, slow=True),
    Case(
        "symlinks",
        "symlink loops, self-link, links out of the root and to /dev/zero",
        build_symlinks,
    ),
    Case(
        "symlinked-config",
        "pyproject.toml and .gitignore linked to /dev/zero",
        build_symlinked_config,
    ),
    Case("fifo", "a FIFO named like a source file", build_fifo),
)
