"""Build small repositories on disk and run the checker on them, in-process."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from twelvefold.config import Config
from twelvefold.engine import RunResult, Target, run
from twelvefold.model import Finding

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def git(root: Path, *args: str) -> str:
    import os

    env = {**os.environ, **GIT_ENV}
    result = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout


def make_repo(
    root: Path, files: Mapping[str, str | bytes], *, git_init: bool = True, commit: bool = True
) -> Path:
    """A repository holding `files`; a committed git repo unless told otherwise."""
    root.mkdir(parents=True, exist_ok=True)
    write_tree(root, files)
    if git_init:
        git(root, "init", "-q", "-b", "main")
        if commit:
            git(root, "add", "-A")
            git(root, "commit", "-q", "--allow-empty", "-m", "initial")
    return root


def check(
    root: Path,
    *,
    select: list[str] | None = None,
    config: Config | None = None,
    only: set[str] | None = None,
) -> RunResult:
    # Rule tests describe an application (the kind where every factor applies in full);
    # tests of the project model say their kind or let it be inferred explicitly.
    # Preview rules are rules too: their tests run them.
    config = config or Config(kind="application", preview=True)
    if select is not None:
        config.select = select
    return run([Target(root, only)], config)


def findings(
    root: Path,
    select: list[str] | str,
    files: Mapping[str, str | bytes] | None = None,
    **kwargs: object,
) -> list[Finding]:
    if files is not None:
        make_repo(root, files, **kwargs)  # type: ignore[arg-type]
    return check(root, select=[select] if isinstance(select, str) else select).findings


def notebook(*cells: str | tuple[str, list[dict]], cell_type: str = "code") -> str:
    """A notebook JSON text as Jupyter writes it (indent 1, sources as line lists)."""
    raw = []
    for cell in cells:
        source, outputs = (cell, []) if isinstance(cell, str) else cell
        lines = source.splitlines(keepends=True)
        entry: dict[str, object] = {"cell_type": cell_type, "metadata": {}, "source": lines}
        if cell_type == "code":
            entry["execution_count"] = None
            entry["outputs"] = outputs
        raw.append(entry)
    document = {
        "cells": raw,
        "metadata": {"kernelspec": {"name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1) + "\n"


REPO_ROOT = Path(__file__).resolve().parents[1]


def snapshot_template(dst: Path, tag: str = "v1.0.0") -> Path:
    """This checkout's template (uncommitted changes included: copier.yml, template/,
    template_tasks/, cookiecutter/) as a committed, tagged git repository at `dst`."""
    listed = subprocess.run(
        [
            "git",
            "-C",
            str(REPO_ROOT),
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        if name == "copier.yml" or name.startswith(
            ("template/", "template_tasks/", "cookiecutter/")
        ):
            source = REPO_ROOT / name
            if source.is_file():
                (dst / name).parent.mkdir(parents=True, exist_ok=True)
                (dst / name).write_bytes(source.read_bytes())
    git(dst, "init", "-q", "-b", "main")
    git(dst, "add", "-A")
    git(dst, "commit", "-qm", "template snapshot")
    git(dst, "tag", tag)
    return dst


def run_cli(capsys: Any, *args: str) -> tuple[int, str, str]:
    """`twelvefold ARGS` in-process: (exit code, stdout, stderr); argparse's exits count."""
    from twelvefold.cli import main

    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


#: A cell output worth reporting as a committed output (TF104 leaves a few lines alone):
#: `df.head(200)`, as Jupyter stores a stream.
TABLE_OUTPUT: dict = {
    "name": "stdout",
    "output_type": "stream",
    "text": [
        f"{i:>4}  {i * 0.37:>10.4f}  {i * 1.91:>10.4f}  {i % 7:>3}  train\n" for i in range(200)
    ],
}


def inferred_kind(root: Path) -> str:
    """The kind the project model infers for the repository at `root`."""
    from twelvefold.discovery import discover
    from twelvefold.project import build_model

    return build_model(root, discover(root, None).files).kind
