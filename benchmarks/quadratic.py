"""Per-file costs stay linear: the cases of issue 16, each at N and 2N.

    uv run python benchmarks/quadratic.py                 # every case at the issue's size
    uv run python benchmarks/quadratic.py --scale 0.2     # a fifth of it (a quick look)
    uv run python benchmarks/quadratic.py notebook-outputs --runs 3

Each case is one file that makes a per-file step do work per line, per output or per
finding (the secret scan, the notebook reader, the suppression lookup of a repo rule),
generated deterministically at N and at 2N. The installed `twelvefold check --no-cache`
runs on each in a subprocess; the table gives the median wall time of `--runs` runs, the
peak memory of the process, the findings, and the ratio 2N/N. A step that is linear in
the file's size and findings keeps that ratio near 2 (target <= 2.2, and under 5 s at
the issue's size, which is the 2N column). Not part of the test suite; tests check the
findings of the same shapes at moderate sizes (`tests/test_linear_costs.py`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PYPROJECT = '[project]\nname = "big"\nversion = "0"\nrequires-python = ">=3.11"\n'
#: The secret-named key of the generated lines (a name, so this file holds no such line).
KEY = "password"


def _word(rng: random.Random, length: int = 16) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(length))


def password_lines(root: Path, n: int) -> None:
    """`password = "<random>"` on every line of one Python module."""
    rng = random.Random(16)
    lines = (f'{KEY} = "{_word(rng)}"\n' for _ in range(n))
    (root / "creds.py").write_text("".join(lines), encoding="utf-8")


def _notebook(cells: list[dict[str, object]]) -> str:
    return json.dumps(
        {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1
    )


def notebook_outputs(root: Path, n: int) -> None:
    """One code cell with `n` stream outputs, each printing a password (9.1 MB at 70k)."""
    rng = random.Random(16)
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": [f'{KEY} = "{_word(rng)}"\n']}
        for _ in range(n)
    ]
    cell = {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {},
        "source": ["print(1)\n"],
        "outputs": outputs,
    }
    (root / "outputs.ipynb").write_text(_notebook([cell]), encoding="utf-8")


def notebook_cells(root: Path, n: int) -> None:
    """`n` code cells, each assigning a password: a finding per cell, whose line is
    looked up by its cell."""
    rng = random.Random(16)
    cells = [
        {
            "cell_type": "code",
            "execution_count": i,
            "metadata": {},
            "source": [f'{KEY} = "{_word(rng)}"\n'],
            "outputs": [],
        }
        for i in range(n)
    ]
    (root / "cells.ipynb").write_text(_notebook(cells), encoding="utf-8")


def dockerfile_runs(root: Path, n: int) -> None:
    """`RUN pip install pkgN` lines: a repo-rule finding each (TF505)."""
    lines = "".join(f"RUN pip install pkg{i}\n" for i in range(n))
    (root / "Dockerfile").write_text("FROM python:3.11-slim\n" + lines, encoding="utf-8")


def dockerfile_suppressed(root: Path, n: int) -> None:
    """The same, every other line suppressed by its comment: one comment scan per file."""
    lines = "".join(
        f"RUN pip install pkg{i}" + ("  # twelvefold: ignore[TF505]" if i % 2 else "") + "\n"
        for i in range(n)
    )
    (root / "Dockerfile").write_text("FROM python:3.11-slim\n" + lines, encoding="utf-8")


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path, int], None]
    size: int  # the issue's size: the 2N column
    issue: str  # what the issue measured before


CASES = (
    Case("password-lines", password_lines, 100_000, "596 s (20k lines: 14.6 s)"),
    Case("notebook-outputs", notebook_outputs, 70_000, "170 s"),
    Case("notebook-cells", notebook_cells, 40_000, "-"),
    Case("dockerfile-runs", dockerfile_runs, 100_000, "251 s"),
    Case("dockerfile-suppressed", dockerfile_suppressed, 100_000, "-"),
)


def _twelvefold() -> str:
    return str(Path(sys.executable).parent / "twelvefold")


def measure(root: Path, runs: int) -> tuple[float, float, int]:
    """(median seconds, peak MiB, findings) of `twelvefold check --no-cache` on `root`."""
    times: list[float] = []
    peak = 0.0
    found = 0
    for _ in range(runs):
        with tempfile.TemporaryFile() as out:
            started = time.perf_counter()
            process = subprocess.Popen(
                [_twelvefold(), "check", "--no-cache", "--output-format", "json", str(root)],
                stdout=out,
                stderr=subprocess.DEVNULL,
            )
            _, _, usage = os.wait4(process.pid, 0)
            times.append(time.perf_counter() - started)
            peak = max(peak, usage.ru_maxrss / 1024)
            out.seek(0)
            found = len(json.loads(out.read())["findings"])
    return statistics.median(times), peak, found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--runs", type=int, default=1, help="median of this many runs")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the issue's size")
    args = parser.parse_args(argv)
    unknown = set(args.cases) - {case.name for case in CASES}
    if unknown:
        parser.error(f"unknown case {sorted(unknown)[0]!r}")
    chosen = [case for case in CASES if not args.cases or case.name in args.cases]
    print(
        "| case | N | time N (s) | 2N | time 2N (s) | 2N/N | peak 2N (MiB) | findings 2N | issue |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for case in chosen:
        large = max(2, int(case.size * args.scale))
        row: list[tuple[float, float, int]] = []
        for n in (large // 2, large):
            with tempfile.TemporaryDirectory() as folder:
                root = Path(folder)
                (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
                case.build(root, n)
                row.append(measure(root, args.runs))
        (small_s, _, _), (large_s, peak, found) = row
        print(
            f"| {case.name} | {large // 2:,} | {small_s:.2f} | {large:,} | {large_s:.2f} "
            f"| {large_s / small_s:.2f} | {peak:.0f} | {found:,} | {case.issue} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
