"""What a corpus repository is: its files, and every finding it is expected to produce.

Each repository plants violations on purpose and lists them as `Expect` entries; every
other line is a look-alike that must not be reported. An expectation names the rule code
once that rule exists. While a factor's rule is still being written, the expectation
names only the factor (`code=None`): a finding of any rule of that factor at that place
then counts as a match, and the measure script prints it so the code can be filled in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Expect:
    """One planted violation."""

    code: str | None  # None: the factor's rule is not written yet (pending)
    path: str | None  # None for repository-level findings
    at: str | None = None  # text on the reported line; None: any line (or none)
    factor: int | None = None  # required when code is None
    note: str = ""
    occurrence: int = 1  # which occurrence of `at` in the file (1-based)

    def __post_init__(self) -> None:
        if self.code is None and self.factor is None:
            raise ValueError(f"pending expectation at {self.path} needs a factor")

    @property
    def factor_number(self) -> int:
        if self.factor is not None:
            return self.factor
        assert self.code is not None
        digits = self.code[2:]
        return int(digits[:-2])


@dataclass(frozen=True)
class Lookalike:
    """A deliberate look-alike: code that resembles a violation of `code` and must not be
    reported. Documentation for the reader, checked only in that `at` must be in `path`
    (the zero-false-positive gate is what proves it is not reported)."""

    code: str
    path: str | None  # None: the repository as a whole (repo-level rules)
    at: str | None = None
    note: str = ""


@dataclass
class CorpusRepo:
    name: str
    style: str  # what kind of repository it imitates
    files: Mapping[str, str | bytes]
    expected: Sequence[Expect]
    git: bool = True
    #: With `git`, whether the files are committed (False: `git init` only, all untracked).
    commit: bool = True
    #: Files written to disk but not committed (still not ignored unless .gitignore says so).
    untracked: Mapping[str, str | bytes] = field(default_factory=dict)
    #: Findings a rule gets wrong today, reported to the rule's owner: scored as false
    #: positives, tolerated by the gate until fixed (then the gate asks to remove them).
    known_false_positives: Sequence[Expect] = ()
    #: What each deliberate look-alike in the files tests.
    lookalikes: Sequence[Lookalike] = ()
    #: The kind of repository the checker is told (None: inferred from the files, as a
    #: user's run does). Most repositories are scored as applications, where every
    #: factor applies in full; the real-repository look-alikes are inferred.
    kind: str | None = "application"


def notebook(*cells: tuple[str, str] | tuple[str, str, list[dict]]) -> str:
    """A notebook as Jupyter writes it: `("code"|"markdown", source[, outputs])` cells."""
    raw = []
    count = 0
    for cell in cells:
        cell_type, source = cell[0], cell[1]
        outputs = cell[2] if len(cell) > 2 else []  # type: ignore[misc]
        entry: dict[str, object] = {
            "cell_type": cell_type,
            "metadata": {},
            "source": source.splitlines(keepends=True),
        }
        if cell_type == "code":
            count += 1
            entry["execution_count"] = count if outputs else None
            entry["outputs"] = outputs
        raw.append(entry)
    document = {
        "cells": raw,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "version": "3.10.12"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1) + "\n"


def stream(text: str) -> dict:
    return {"name": "stdout", "output_type": "stream", "text": text.splitlines(keepends=True)}


def result(text: str, count: int = 1) -> dict:
    return {
        "data": {"text/plain": text.splitlines(keepends=True)},
        "execution_count": count,
        "metadata": {},
        "output_type": "execute_result",
    }


def table(columns: tuple[str, ...], rows: int, count: int = 1) -> dict:
    """A `frame.head(rows)`-like table as Jupyter stores it: rows of made-up numbers,
    tens of lines, the kind of output worth stripping (over TF104's few-lines floor)."""
    header = "      " + "  ".join(f"{c:>12}" for c in columns)
    lines = [header] + [
        f"{i:>5} " + "  ".join(f"{(i * 37 + j * 11) % 997 / 7:>12.4f}" for j in range(len(columns)))
        for i in range(rows)
    ]
    return result("\n".join(lines) + "\n", count)


def fake_hash(name: str, version: str, which: int = 0) -> str:
    """A sha256-shaped value for fixture lock files (never a real artifact's hash)."""
    return hashlib.sha256(f"{name}=={version}#{which}".encode()).hexdigest()


def hashed_requirements(pins: Mapping[str, str], header: str) -> str:
    """A `pip-compile --generate-hashes` style requirements.txt."""
    lines = [header.rstrip("\n"), ""]
    for name, version in sorted(pins.items()):
        lines.append(f"{name}=={version} \\")
        lines.append(f"    --hash=sha256:{fake_hash(name, version, 0)} \\")
        lines.append(f"    --hash=sha256:{fake_hash(name, version, 1)}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Member:
    """A project of a uv lock: its name, path and declared requirements."""

    name: str
    path: str  # "." for the root project
    requires: Sequence[str]  # PEP 508 strings as in pyproject
    dev: Sequence[str] = ()
    virtual: bool = False


def uv_lock(requires_python: str, members: Sequence[Member], registry: Mapping[str, str]) -> str:
    """A uv.lock in uv's format (version 1), with the fields uv writes for each project.

    `registry` maps the locked third-party packages to versions; artifacts (sdist/wheel
    URLs and hashes) are left out, which uv's reader does not need to compare metadata.
    """
    from packaging.requirements import Requirement

    def entry(text: str) -> str:
        requirement = Requirement(text)
        parts = [f'name = "{_norm(requirement.name)}"']
        if requirement.extras:
            extras = ", ".join(f'"{e}"' for e in sorted(requirement.extras))
            parts.append(f"extras = [{extras}]")
        if requirement.marker:
            parts.append(f'marker = "{requirement.marker}"')
        if str(requirement.specifier):
            parts.append(f'specifier = "{requirement.specifier}"')
        return "    { " + ", ".join(parts) + " },"

    out = ["version = 1", "revision = 3", f'requires-python = "{requires_python}"', ""]
    if len(members) > 1:
        out += ["[manifest]", "members = ["]
        out += [f'    "{m.name}",' for m in sorted(members, key=lambda m: m.name)]
        out += ["]", ""]
    packages: list[tuple[str, list[str]]] = []
    for member in members:
        block = ["[[package]]", f'name = "{member.name}"']
        block.append('version = "0.1.0"' if not member.virtual else 'version = "0.0.0"')
        source = "virtual" if member.virtual else "editable"
        block.append(f'source = {{ {source} = "{member.path}" }}')
        names = sorted({_norm(Requirement(t).name) for t in member.requires})
        if names:
            block.append("dependencies = [")
            block += [f'    {{ name = "{n}" }},' for n in names]
            block.append("]")
        if member.dev:
            block += ["", "[package.dev-dependencies]", "dev = ["]
            block += [f'    {{ name = "{_norm(Requirement(t).name)}" }},' for t in member.dev]
            block.append("]")
        block += ["", "[package.metadata]", "requires-dist = ["]
        block += [entry(t) for t in sorted(member.requires, key=str.lower)]
        block.append("]")
        if member.dev:
            block += ["", "[package.metadata.requires-dev]", "dev = ["]
            block += [entry(t) for t in sorted(member.dev, key=str.lower)]
            block.append("]")
        packages.append((member.name, block))
    for name, version in registry.items():
        packages.append(
            (
                _norm(name),
                [
                    "[[package]]",
                    f'name = "{_norm(name)}"',
                    f'version = "{version}"',
                    'source = { registry = "https://pypi.org/simple" }',
                ],
            )
        )
    for _, block in sorted(packages):
        out += [*block, ""]
    return "\n".join(out)


def poetry_lock(packages: Mapping[str, str], python: str) -> str:
    """A poetry.lock (lock-version 2.0) listing `packages` with their versions."""
    out: list[str] = [
        "# This file is automatically @generated by Poetry and should not be changed by hand.",
        "",
    ]
    for name, version in sorted(packages.items()):
        out += [
            "[[package]]",
            f'name = "{name}"',
            f'version = "{version}"',
            'description = ""',
            "optional = false",
            f'python-versions = ">={python}"',
            "files = [",
            f'    {{file = "{name.replace("-", "_")}-{version}.tar.gz", hash = "sha256:{fake_hash(name, version)}"}},',
            "]",
            "",
        ]
    digest = fake_hash("content", python)
    out += [
        "[metadata]",
        'lock-version = "2.0"',
        f'python-versions = "^{python}"',
        f'content-hash = "{digest}"',
        "",
    ]
    return "\n".join(out)


def lfs_pointer(seed: str, size: int) -> str:
    oid = hashlib.sha256(seed.encode()).hexdigest()
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n"


def binary_blob(size: int, seed: str) -> bytes:
    """Deterministic incompressible bytes, like a pickled model."""
    chunks: list[bytes] = []
    block = hashlib.sha256(seed.encode()).digest()
    total = 0
    while total < size:
        block = hashlib.sha256(block).digest()
        chunks.append(block * 64)
        total += len(block) * 64
    return b"".join(chunks)[:size]


def _norm(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", name).lower()
