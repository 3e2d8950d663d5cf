"""The process pool of the per-file pass gives exactly the serial result."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from twelvefold import kinds, schedule
from twelvefold.config import Config
from twelvefold.engine import RunResult, Target, run
from twelvefold.model import Severity
from twelvefold.rule import REGISTRY, FileRule

from tests.helpers import make_repo, notebook

SECRET_LINE = "DB_PASSWORD = 'Xk8#pq2!Lm9z'\n"


def tree(count: int) -> dict[str, str | bytes]:
    """A project whose files exercise every per-file path: findings, facts, syntax
    errors, suppressions (named, bare and unknown codes), notebooks, binary text."""
    files: dict[str, str | bytes] = {
        "pyproject.toml": (
            '[project]\nname = "many"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
            'dependencies = ["numpy"]\n'
        ),
        "config/db.yaml": "database:\n  password: 'Pq7!xZ2#kLm9'\n",
        "notebooks/a.ipynb": notebook("import pandas as pd\napi_key = 'q9Zt7Lp2Xw8Rv4Ks'\n"),
        "src/pkg/bad.py": "import yaml\n\ndef oops(:\n",
        "src/pkg/binary.py": b"\x00\x01\x02 not text",
        "src/pkg/suppressed.py": SECRET_LINE.rstrip("\n") + "  # twelvefold: ignore[TF301]\n",
        "src/pkg/bare.py": SECRET_LINE.rstrip("\n") + "  # twelvefold: ignore\n",
        "src/pkg/unknown.py": "x = 1  # twelvefold: ignore[TF9999]\n",
    }
    for index in range(count):
        body = f"import os\nimport requests\n\nVALUE_{index} = {index}\n"
        if index % 7 == 0:
            body += SECRET_LINE
        if index % 11 == 0:
            body += "df = open('/home/alice/data/train.csv')\n"
        files[f"src/pkg/mod_{index:03d}.py"] = body
    return files


@pytest.fixture
def pool_always(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Start the pool for any amount of work, and record each time it ran."""
    monkeypatch.setattr(schedule, "POOL_MIN_FILES", 1)
    monkeypatch.setattr(schedule, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(schedule, "_usable_cpus", lambda: 2)
    started: list[int] = []
    original = schedule._compute_in_pool

    def recording(root, tasks, settings, workers, **options):  # type: ignore[no-untyped-def]
        started.append(len(tasks))
        return original(root, tasks, settings, workers, **options)

    monkeypatch.setattr(schedule, "_compute_in_pool", recording)
    return started


def summary(result: RunResult) -> tuple:
    return (
        result.findings,
        [(f.source, f.key, f.severity) for f in result.findings],  # not in Finding equality
        result.diagnostics,
        result.usage_errors,
        result.files_checked,
        result.applicable,
    )


def test_pool_and_serial_give_the_same_result(tmp_path: Path, pool_always: list[int]) -> None:
    make_repo(tmp_path, tree(60))
    serial = run([Target(tmp_path)], Config(), jobs=1)
    assert pool_always == []
    parallel = run([Target(tmp_path)], Config(), jobs=2)
    assert pool_always and pool_always[0] > 60
    assert summary(parallel) == summary(serial)
    codes = {f.code for f in serial.findings}
    assert "TF301" in codes  # the comparison is over real findings
    assert serial.usage_errors  # ... and the unknown-code suppression
    assert any("syntax error" in d.message for d in serial.diagnostics)


def test_pool_result_matches_in_pre_commit_mode(tmp_path: Path, pool_always: list[int]) -> None:
    make_repo(tmp_path, tree(40))
    only = {"src/pkg/mod_000.py", "notebooks/a.ipynb"}
    serial = run([Target(tmp_path, only)], Config(), jobs=1)
    parallel = run([Target(tmp_path, only)], Config(), jobs=2)
    assert pool_always
    assert summary(parallel) == summary(serial)


def test_cli_output_is_identical_with_and_without_the_pool(
    tmp_path: Path, pool_always: list[int], capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    from twelvefold.cli import main

    make_repo(tmp_path / "repo", tree(30))
    outputs = []
    for cpus in (1, 2):
        monkeypatch.setattr(schedule, "_usable_cpus", lambda cpus=cpus: cpus)
        main(["check", str(tmp_path / "repo"), "--no-cache", "--output-format", "json"])
        outputs.append(capsys.readouterr())
    assert len(pool_always) == 1
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0].out)["findings"]


@pytest.fixture
def crashing_rule() -> Iterator[str]:
    from twelvefold.registry import all_rules

    all_rules()
    before = dict(REGISTRY)

    class CrashesOnSeven(FileRule):
        """## What it does\nCrashes on some files."""

        code, name, factor, severity = "TF1296", "crashes-on-seven", 12, Severity.ERROR
        summary = fix = "x"
        kinds = frozenset({kinds.PYTHON})
        prefilter = b"DB_PASSWORD"

        def check(self, file):  # type: ignore[no-untyped-def]
            raise RuntimeError(f"boom in {file.path}")

    yield CrashesOnSeven.code
    REGISTRY.clear()
    REGISTRY.update(before)


def test_a_rule_crashing_in_a_worker_is_isolated(
    tmp_path: Path, pool_always: list[int], crashing_rule: str
) -> None:
    make_repo(tmp_path, tree(30))
    config = Config(select=[crashing_rule, "TF301"])
    serial = run([Target(tmp_path)], config, jobs=1)
    parallel = run([Target(tmp_path)], config, jobs=2)
    assert pool_always
    assert summary(parallel) == summary(serial)
    errors = [d for d in parallel.internal_errors if d.rule == crashing_rule]
    assert len(errors) == sum("DB_PASSWORD" in str(v) for v in tree(30).values())
    assert {f.code for f in parallel.findings} == {"TF301"}


def test_a_pool_that_cannot_start_falls_back_to_serial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_repo(tmp_path, tree(20))
    serial = run([Target(tmp_path)], Config(), jobs=1)
    monkeypatch.setattr(schedule, "POOL_MIN_FILES", 1)
    monkeypatch.setattr(schedule, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(schedule, "_usable_cpus", lambda: 2)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("no processes here")

    monkeypatch.setattr(schedule, "_compute_in_pool", broken)
    assert summary(run([Target(tmp_path)], Config(), jobs=2)) == summary(serial)


def test_small_runs_do_not_start_a_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool for a handful of files costs more than it saves."""
    make_repo(tmp_path, tree(5))
    started: list[object] = []
    monkeypatch.setattr(schedule, "_compute_in_pool", lambda *args, **kwargs: started.append(args))
    monkeypatch.setattr(schedule, "_usable_cpus", lambda: 2)
    assert run([Target(tmp_path)], Config(), jobs=2).findings
    assert started == []


def test_work_done_while_the_pool_runs_happens_once_and_its_errors_surface(
    tmp_path: Path, pool_always: list[int]
) -> None:
    # The repo rules that read no facts run while the workers compute (`meanwhile`):
    # once, whether the pool or the serial path computed; an error of that work is not
    # mistaken for a broken pool (which would redo the files serially and hide it).
    from twelvefold.file_pass import FileTask
    from twelvefold.settings import resolve

    make_repo(tmp_path, tree(3))
    tasks = [
        FileTask(path, kinds.classify(path), (tmp_path / path).stat().st_size, ("TF303",), ())
        for path in ("src/pkg/mod_000.py", "src/pkg/mod_001.py")
    ]
    settings = resolve(Config(kind="application"))
    calls: list[str] = []
    found = schedule.outcomes(
        tmp_path,
        tasks,
        settings,
        store=None,
        jobs=2,
        present=set(),
        meanwhile=lambda: calls.append("x"),
    )
    assert len(found) == 2 and calls == ["x"] and pool_always == [2]

    def failing() -> None:
        raise RuntimeError("a repo rule's own error")

    with pytest.raises(RuntimeError, match="own error"):
        schedule.outcomes(
            tmp_path, tasks, settings, store=None, jobs=2, present=set(), meanwhile=failing
        )
    assert pool_always == [2, 2]  # not computed again serially
