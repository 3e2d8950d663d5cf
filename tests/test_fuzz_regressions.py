"""Replay the fuzz corpus and every crashing input the fuzzers ever found.

Each file under fuzz/corpus/TARGET/ and fuzz/crashes/TARGET/ goes through its target
(fuzz/targets.py), which must not raise. A short hypothesis run per target keeps the
targets themselves working where atheris is not installed.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from fuzz.run import run_fallback
from fuzz.targets import TARGETS

FUZZ = Path(__file__).resolve().parents[1] / "fuzz"

REPLAYED = sorted(
    (target, path)
    for target in TARGETS
    for folder in (FUZZ / "corpus" / target, FUZZ / "crashes" / target)
    if folder.is_dir()
    for path in folder.iterdir()
    if path.is_file()
)


@pytest.mark.parametrize(
    ("target", "path"), REPLAYED, ids=[f"{t}/{p.parent.name}/{p.name}" for t, p in REPLAYED]
)
def test_replay(target: str, path: Path) -> None:
    started = time.monotonic()
    TARGETS[target](path.read_bytes())
    # Crashes include hangs: a 64 kB line took minutes under the quadratic secret regex.
    assert time.monotonic() - started < 5


# --- regressions too big to keep as files: generated, with the time they must beat ------


def test_secret_key_regex_is_linear_on_one_huge_line() -> None:
    """Was quadratic: 10 kB took 6 s, a 10 MB line hours (`password` then letters)."""
    from twelvefold.detectors.secrets import scan_lines

    for line in (
        "password" + "a" * 2_000_000,
        "password: " + "a: " * 500_000,
        "api_key = " + "a = " * 400_000,
    ):
        started = time.monotonic()
        raw = line.encode()
        list(scan_lines([line], raw, raw.lower(), code=True))
        assert time.monotonic() - started < 5, line[:20]


def test_notebook_line_locator_gives_up_on_near_misses() -> None:
    """Was quadratic: 20k outputs stored as `\\u0079` (not verbatim) took 6 minutes."""
    from twelvefold.notebook import parse_notebook

    outputs = [{"output_type": "stream", "name": "stdout", "text": ["x" * 200 + "y"]}] * 20_000
    document = {"cells": [{"cell_type": "code", "source": ["a = 1\n"], "outputs": outputs}]}
    text = json.dumps(document).replace('xy"', 'x\\u0079"')
    started = time.monotonic()
    parsed = parse_notebook(text)
    assert time.monotonic() - started < 5
    assert parsed.cells[0].file_lines == [1]  # the cell source is still located
    assert len(parsed.cells[0].outputs) == 20_000


def test_yaml_alias_expansion_is_capped() -> None:
    """81 aliases (under the alias cap) expanding to 3.5 billion values."""
    from twelvefold.sources import load_yaml

    from tests.hostile_cases import _LAUGHS

    problems: list[str] = []
    started = time.monotonic()
    assert load_yaml(_LAUGHS, problems.append) is None
    assert time.monotonic() - started < 5
    assert problems and "alias bomb" in problems[0]


def test_every_target_has_seeds() -> None:
    assert {target for target, _ in REPLAYED} == set(TARGETS)


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_fallback_runner(target: str) -> None:
    run_fallback(target, examples=40)
