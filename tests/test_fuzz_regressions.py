"""Replay the fuzz corpus and every crashing input the fuzzers ever found.

Each file under fuzz/corpus/TARGET/ and fuzz/crashes/TARGET/ goes through its target
(fuzz/targets.py), which must not raise. A short hypothesis run per target keeps the
targets themselves working where atheris is not installed.
"""

from __future__ import annotations

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
    TARGETS[target](path.read_bytes())


def test_every_target_has_seeds() -> None:
    assert {target for target, _ in REPLAYED} == set(TARGETS)


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_fallback_runner(target: str) -> None:
    run_fallback(target, examples=40)
