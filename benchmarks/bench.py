"""Benchmark twelvefold against the floor (reading the files) and the tools it replaces.

Run from the repository root (see benchmarks/README.md):

    uv run python benchmarks/bench.py

It prepares the trees under `benchmarks/.work/` (git-ignored): three unpacked sdists
from PyPI, each git-initialised and committed, and a deterministic synthetic monorepo
(5,000 and 50,000 files, the same mix, to show how the cost grows). Peers are installed
into `benchmarks/.work/peers-venv`. Every figure is the median of `--runs` runs in this
one session; peak memory is the maximum resident set size of the measured process tree
as reported by `/usr/bin/time` (or the largest child's `ru_maxrss` without it).
The result table is printed and written as JSON to `benchmarks/results/`.

This is not part of the test suite and never runs in CI.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
TREES = WORK / "trees"
DOWNLOADS = WORK / "downloads"
PEERS_VENV = WORK / "peers-venv"
RESULTS = HERE / "results"

#: Pure-Python ML projects of three sizes; their sdists unpack without a build.
SDISTS = (
    ("transformers", "4.56.2"),
    ("diffusers", "0.31.0"),
    ("accelerate", "1.1.1"),
)
#: The peers a team would otherwise chain for the same audit.
PEER_PACKAGES = (
    "detect-secrets==1.5.0",
    "deptry==0.25.1",
    "repo-review[cli]==1.3.0",
    "sp-repo-review==2026.8.14",
    "ml-project-doctor==0.1.1",
    "ruff==0.17.6",
)
SYNTHETIC_SIZES = (5_000, 50_000)
#: Trees at least this big are measured `--runs-large` times (a cold run takes minutes).
LARGE_TREE_FILES = 20_000
#: Files handed to `twelvefold check FILE...`, like a pre-commit hook with a few staged files.
PRECOMMIT_FILES = 5

GIT = ("git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid")


# --- trees -----------------------------------------------------------------------------


def _run(command: list[str] | tuple[str, ...], **kwargs: object) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, **kwargs)  # type: ignore[call-overload]


def _git_commit(tree: Path) -> None:
    if (tree / ".git").exists():
        return
    _run([*GIT, "init", "-q", str(tree)])
    _run([*GIT, "-C", str(tree), "add", "-A"])
    _run([*GIT, "-C", str(tree), "commit", "-q", "-m", "benchmark tree"])


def _pip() -> list[str]:
    """A pip to download with: this Python's, or one in a small venv of its own (uv
    venvs come without pip)."""
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "--version"], capture_output=True, check=False
    )
    if probe.returncode == 0:
        return [sys.executable, "-m", "pip"]
    venv = WORK / "pip-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        if shutil.which("uv"):
            _run(["uv", "venv", "--quiet", "--seed", str(venv)])
        else:
            _run([sys.executable, "-m", "venv", str(venv)])
    return [str(python), "-m", "pip"]


def prepare_sdist(name: str, version: str) -> Path:
    tree = TREES / f"{name}-{version}"
    if (tree / ".git").exists():
        return tree
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    archive = DOWNLOADS / f"{name}-{version}.tar.gz"
    if not archive.exists():
        # `--no-binary NAME` fetches the sdist; pip prepares its metadata (a PEP 517
        # metadata hook, no wheel build). Only this package is forced to source.
        _run(
            [
                *_pip(),
                *("download", "--quiet", "--no-deps"),
                *("--no-binary", name, f"{name}=={version}", "-d", str(DOWNLOADS)),
            ]
        )
        found = sorted(DOWNLOADS.glob(f"{name.replace('-', '_')}-{version}.tar.gz")) + sorted(
            DOWNLOADS.glob(f"{name}-{version}.tar.gz")
        )
        archive = found[0]
    TREES.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        # The `data` filter refuses links out of the tree and drops the archive's owners
        # (git refuses to work in a tree owned by another user).
        tar.extractall(TREES, filter="data")
    _git_commit(tree)
    return tree


_WORDS = (
    *("model", "data", "train", "eval", "loss", "batch", "config", "layer", "weight"),
    *("token", "embed", "score", "metric", "feature", "label", "split", "sample", "epoch"),
    *("step", "optimizer", "schedule", "checkpoint", "dataset"),
)


def _python_module(rng: random.Random, index: int) -> str:
    imports = rng.sample(["os", "json", "math", "logging", "pathlib", "typing", "numpy", "yaml"], 3)
    lines = [f'"""Synthetic module {index}."""', ""]
    lines += [f"import {name}" for name in sorted(imports)]
    lines.append("")
    for function in range(rng.randint(3, 25)):
        a, b = rng.sample(_WORDS, 2)
        lines.append(f"def {a}_{b}_{function}(value, scale={rng.random():.3f}):")
        lines.append(f'    """Compute the {a} {b}."""')
        for step in range(rng.randint(2, 12)):
            lines.append(f"    value = value * scale + {step}  # {rng.choice(_WORDS)}")
        if rng.random() < 0.05:
            lines.append('    path = os.environ.get("DATA_DIR", "data")')
        lines.append("    return value")
        lines.append("")
    return "\n".join(lines) + "\n"


def _notebook(rng: random.Random, index: int) -> str:
    cells = []
    for cell in range(rng.randint(2, 10)):
        source = [f"x_{cell} = {rng.randint(0, 999)}\n", f"print('{rng.choice(_WORDS)}', x_{cell})"]
        cells.append(
            {
                "cell_type": "code",
                "execution_count": cell + 1,
                "metadata": {},
                "outputs": [{"name": "stdout", "output_type": "stream", "text": [f"{cell}\n"]}],
                "source": source,
            }
        )
    document = {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1) + "\n"


def _yaml(rng: random.Random) -> str:
    lines = [f"{rng.choice(_WORDS)}:"]
    for _ in range(rng.randint(3, 30)):
        lines.append(f"  {rng.choice(_WORDS)}_{rng.randint(0, 99)}: {rng.random():.4f}")
    return "\n".join(lines) + "\n"


def _csv(rng: random.Random) -> str:
    rows = ["id,feature,label"]
    rows += [f"{i},{rng.random():.5f},{rng.randint(0, 1)}" for i in range(rng.randint(10, 400))]
    return "\n".join(rows) + "\n"


def synthetic_files(count: int, seed: int = 12) -> list[tuple[str, str]]:
    """The first `count` files of one deterministic monorepo: the 5,000-file tree is a
    prefix of the 50,000-file one, so the two differ in size only, not in mix."""
    files: list[tuple[str, str]] = [
        (
            "pyproject.toml",
            '[project]\nname = "synthetic-monorepo"\nversion = "0.1.0"\n'
            'requires-python = ">=3.10"\ndependencies = ["numpy>=1.26", "pyyaml>=6"]\n',
        ),
        ("README.md", "# Synthetic monorepo\n\nGenerated by benchmarks/bench.py.\n"),
    ]
    rng = random.Random(seed)
    index = 0
    while len(files) < count:
        package = f"services/svc_{index // 100:03d}"
        roll = rng.random()
        if roll < 0.62:
            files.append((f"{package}/{rng.choice(_WORDS)}_{index}.py", _python_module(rng, index)))
        elif roll < 0.67:
            files.append((f"{package}/notebooks/nb_{index}.ipynb", _notebook(rng, index)))
        elif roll < 0.82:
            files.append((f"{package}/conf/{rng.choice(_WORDS)}_{index}.yaml", _yaml(rng)))
        elif roll < 0.92:
            files.append((f"{package}/data/sample_{index}.csv", _csv(rng)))
        else:
            files.append((f"{package}/docs/note_{index}.md", f"# Note {index}\n\n{_yaml(rng)}"))
        index += 1
    return files[:count]


def prepare_synthetic(count: int) -> Path:
    tree = TREES / f"synthetic-{count}"
    if (tree / ".git").exists():
        return tree
    if tree.exists():
        shutil.rmtree(tree)
    for path, text in synthetic_files(count):
        target = tree / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    _git_commit(tree)
    return tree


def tree_stats(tree: Path) -> dict[str, int]:
    listed = subprocess.run(
        ["git", "-C", str(tree), "ls-files", "-z"], capture_output=True, check=True
    ).stdout.split(b"\0")
    paths = [os.fsdecode(p) for p in listed if p]
    sizes = [os.lstat(tree / p).st_size for p in paths]
    return {
        "files": len(paths),
        "python_files": sum(p.endswith(".py") for p in paths),
        "bytes": sum(sizes),
    }


def prepare_peers() -> Path:
    bin_dir = PEERS_VENV / "bin"
    stamp = PEERS_VENV / "bench-packages.txt"
    if stamp.exists() and stamp.read_text() == "\n".join(PEER_PACKAGES):
        return bin_dir
    if shutil.which("uv"):
        _run(["uv", "venv", "--quiet", "--allow-existing", str(PEERS_VENV)])
        env = {**os.environ, "VIRTUAL_ENV": str(PEERS_VENV)}
        _run(["uv", "pip", "install", "--quiet", *PEER_PACKAGES], env=env)
    else:
        _run([sys.executable, "-m", "venv", str(PEERS_VENV)])
        _run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", *PEER_PACKAGES])
    stamp.write_text("\n".join(PEER_PACKAGES))
    return bin_dir


def deptry_requirements(tree: Path) -> Path:
    """The tree's runtime requirements as a requirements file outside the tree.

    deptry needs a dependency specification; these sdists declare theirs in setup.py,
    which deptry does not read, so the list comes from the sdist's own metadata."""
    requirements: list[str] = []
    pkg_info = tree / "PKG-INFO"
    if pkg_info.exists():
        for line in pkg_info.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("Requires-Dist:") and "extra ==" not in line:
                requirements.append(line.split(":", 1)[1].split(";")[0].strip())
    if not requirements:
        for requires in sorted(tree.glob("**/*.egg-info/requires.txt")):
            for line in requires.read_text(encoding="utf-8").splitlines():
                if line.startswith("["):
                    break
                if line.strip():
                    requirements.append(line.strip())
    target = WORK / "deptry" / f"{tree.name}.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(requirements) + "\n", encoding="utf-8")
    return target


# --- measuring ---------------------------------------------------------------------------


@dataclass
class Measure:
    name: str
    seconds: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    timeout: float | None = None
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds and self.timeout is None else None

    def as_json(self) -> dict[str, object]:
        return {
            "median_s": None if self.median is None else round(self.median, 4),
            "runs_s": [round(s, 4) for s in self.seconds],
            "peak_rss_mib": round(max(self.peak_kib) / 1024, 1) if self.peak_kib else None,
            "exit_codes": sorted(set(self.exit_codes)),
            "timeout_s": self.timeout,
            "note": self.note,
        }

    def cell(self) -> str:
        if self.timeout is not None:
            return f"timeout >{self.timeout:.0f}s"
        if self.median is None:
            return "-"
        return f"{self.median:.3f}"


_TIME = Path("/usr/bin/time")


def timed(
    command: list[str], cwd: Path, *, timeout: float, env: dict[str, str] | None = None
) -> tuple[float, int | None, int]:
    """(wall seconds, peak RSS KiB, exit code) of one run; raises TimeoutExpired."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        wrapped = command
        if _TIME.exists():
            wrapped = [str(_TIME), "-f", "%M", "-o", report.name, *command]
        start = time.perf_counter()
        # A session of its own, killed whole on a timeout: `subprocess.run` would kill only
        # /usr/bin/time and leave a multi-process peer (detect-secrets) running, loading
        # both cores for every measure after it.
        process = subprocess.Popen(
            wrapped,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        # A blocking wait, with a timer to end a run that overstays: `wait(timeout=...)`
        # polls with sleeps of up to 50 ms, which rounded every short measure up to the
        # next 50 ms step (0.214, 0.265, 0.315 s...).
        killed: list[bool] = []

        def kill() -> None:
            killed.append(True)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

        watchdog = threading.Timer(timeout, kill)
        watchdog.start()
        try:
            returncode = process.wait()
        finally:
            watchdog.cancel()
        elapsed = time.perf_counter() - start
        if killed:
            raise subprocess.TimeoutExpired(command, timeout)
        peak: int | None = None
        if _TIME.exists():
            text = report.read().strip().splitlines()
            peak = int(text[-1]) if text and text[-1].isdigit() else None
        else:
            import resource

            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak, returncode


def measure(
    name: str,
    command: list[str],
    cwd: Path,
    runs: int,
    *,
    timeout: float,
    before_each: object = None,
    env: dict[str, str] | None = None,
    slow_after: float = 30.0,
) -> Measure:
    result = Measure(name)
    for _ in range(runs):
        if callable(before_each):
            before_each()
        try:
            seconds, peak, code = timed(command, cwd, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            result.timeout = timeout
            break
        result.seconds.append(seconds)
        if peak is not None:
            result.peak_kib.append(peak)
        result.exit_codes.append(code)
        if seconds > slow_after:
            result.note = f"{len(result.seconds)} run(s): slower than {slow_after:.0f} s"
            break
    return result


TWELVEFOLD_VENV = WORK / "twelvefold-venv"


def install_snapshot() -> None:
    """Install this checkout (non-editable, bytecode compiled) into its own venv.

    A snapshot keeps the measured code still while the working tree changes, so the
    cache (keyed on the code of the rules) stays valid between runs, and it starts the
    way an installed tool starts: from compiled bytecode."""
    if shutil.which("uv"):
        _run(["uv", "venv", "--quiet", "--allow-existing", str(TWELVEFOLD_VENV)])
        env = {**os.environ, "VIRTUAL_ENV": str(TWELVEFOLD_VENV)}
        _run(
            ["uv", "pip", "install", "--quiet", "--reinstall", "--compile-bytecode", str(ROOT)],
            env=env,
        )
    else:
        _run([sys.executable, "-m", "venv", str(TWELVEFOLD_VENV)])
        python = str(TWELVEFOLD_VENV / "bin" / "python")
        _run([python, "-m", "pip", "install", "--quiet", "--force-reinstall", str(ROOT)])


def twelvefold_binary() -> str:
    return str(TWELVEFOLD_VENV / "bin" / "twelvefold")


def pick_precommit_files(tree: Path) -> list[str]:
    listed = subprocess.run(
        ["git", "-C", str(tree), "ls-files", "*.py"], capture_output=True, text=True, check=True
    ).stdout.split()
    rng = random.Random(7)
    return sorted(rng.sample(listed, min(PRECOMMIT_FILES, len(listed))))


def bench_tree(
    label: str,
    tree: Path,
    runs: int,
    peers_bin: Path | None,
    peer_timeout: float,
    check_timeout: float,
) -> dict[str, object]:
    tf = twelvefold_binary()
    env = {**os.environ, "TWELVEFOLD_CACHE_DIR": str(WORK / "cache" / tree.name)}
    shutil.rmtree(WORK / "cache" / tree.name, ignore_errors=True)
    check = [tf, "check", "--fail-on", "never", "."]
    measures: list[Measure] = []
    print(f"== {label}: {tree}", flush=True)

    def add(measured: Measure) -> None:
        measures.append(measured)
        print(f"   {measured.name:<22} {measured.cell():>16}", flush=True)

    floor = "git ls-files -z | xargs -0 cat > /dev/null"
    add(measure("floor (cat files)", ["sh", "-c", floor], tree, runs, timeout=check_timeout))
    add(measure("--version", [tf, "--version"], tree, runs, timeout=check_timeout))
    add(
        measure(
            "cold (--no-cache)", [*check, "--no-cache"], tree, runs, timeout=check_timeout, env=env
        )
    )
    large = runs == 1 and tree_stats(tree)["files"] >= LARGE_TREE_FILES
    no_git = {**env, "GIT_DIR": str(WORK / "no-such-git-dir")}
    if not large:  # a second cold run of minutes on the big tree tells nothing new
        add(
            measure(
                "cold, no git (walk)",
                [*check, "--no-cache"],
                tree,
                max(1, runs // 2),
                timeout=check_timeout,
                env=no_git,
            )
        )
    timed(check, tree, timeout=check_timeout, env=env)  # fill the cache
    add(measure("warm (cache)", check, tree, runs, timeout=check_timeout, env=env))
    staged = pick_precommit_files(tree)
    touched = tree / staged[0]
    original = touched.read_bytes()
    counter = iter(range(1_000_000))

    def touch() -> None:
        touched.write_bytes(original + f"# benchmark edit {next(counter)}\n".encode())

    try:
        add(
            measure(
                "one file changed",
                check,
                tree,
                runs,
                timeout=check_timeout,
                env=env,
                before_each=touch,
            )
        )
    finally:
        touched.write_bytes(original)
    timed(check, tree, timeout=check_timeout, env=env)  # cache back in step with the tree
    precommit = [tf, "check", "--fail-on", "never", *staged]
    add(measure("pre-commit (cache)", precommit, tree, runs, timeout=check_timeout, env=env))
    if not large:
        add(
            measure(
                "pre-commit --no-cache",
                [*precommit, "--no-cache"],
                tree,
                max(1, runs // 2),
                timeout=check_timeout,
                env=env,
            )
        )
    if peers_bin is not None:
        requirements = deptry_requirements(tree)
        peers = [
            (
                "ruff check --no-cache",
                [str(peers_bin / "ruff"), "check", "--no-cache", "--exit-zero", "."],
            ),
            ("repo-review", [str(peers_bin / "repo-review"), "."]),
            ("deptry", [str(peers_bin / "deptry"), ".", "--requirements-files", str(requirements)]),
            ("ml-project-doctor", [str(peers_bin / "ml-project-doctor"), "."]),
            ("detect-secrets scan", [str(peers_bin / "detect-secrets"), "scan"]),
        ]
        for name, command in peers:
            add(measure(name, command, tree, runs, timeout=peer_timeout))
    return {
        "label": label,
        "tree": tree.name,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        **tree_stats(tree),
        "precommit_files": staged,
        "measures": {m.name: m.as_json() for m in measures},
    }


# --- report ------------------------------------------------------------------------------

COLUMNS = (
    "floor (cat files)",
    "--version",
    "cold (--no-cache)",
    "cold, no git (walk)",
    "warm (cache)",
    "one file changed",
    "pre-commit (cache)",
    "pre-commit --no-cache",
)
PEERS = (
    "ruff check --no-cache",
    "repo-review",
    "deptry",
    "ml-project-doctor",
    "detect-secrets scan",
)


def _fmt(measure: dict[str, object]) -> str:
    if measure.get("timeout_s") is not None:
        return f">{measure['timeout_s']:.0f}s"
    value = measure.get("median_s")
    return "-" if value is None else f"{value:.3f}"


def _ratio(a: dict[str, object] | None, b: dict[str, object] | None) -> str:
    if not a or not b or a.get("median_s") is None:
        return "-"
    if b.get("timeout_s") is not None:
        return f"<{a['median_s'] / b['timeout_s']:.3f}"
    if not b.get("median_s"):
        return "-"
    return f"{a['median_s'] / b['median_s']:.2f}"


def render_table(results: list[dict[str, object]]) -> str:
    out: list[str] = []
    names = [str(r["label"]) for r in results]
    width = max(24, *(len(n) for n in names)) if names else 24
    header = f"{'median seconds (peak MiB)':<26}" + "".join(f"{n:>{width}}" for n in names)
    out.append(header)
    out.append(
        f"{'files / MB':<26}"
        + "".join(f"{r['files']:>{width - 9}} / {r['bytes'] / 1e6:5.1f}  " for r in results)
    )
    for column in (*COLUMNS, *PEERS):
        cells = []
        for r in results:
            measure = r["measures"].get(column)  # type: ignore[union-attr]
            if measure is None:
                cells.append(f"{'':>{width}}")
                continue
            peak = measure.get("peak_rss_mib")
            text = _fmt(measure) + (f" ({peak:.0f})" if peak is not None else "")
            cells.append(f"{text:>{width}}")
        out.append(f"{column:<26}" + "".join(cells))
    out.append("")
    out.append("ratios of twelvefold cold (--no-cache) to:")
    for column in ("floor (cat files)", *PEERS):
        cells = [
            f"{_ratio(r['measures'].get('cold (--no-cache)'), r['measures'].get(column)):>{width}}"  # type: ignore[union-attr]
            for r in results
        ]
        out.append(f"  {column:<24}" + "".join(cells))
    return "\n".join(out)


def linearity(results: list[dict[str, object]]) -> dict[str, object] | None:
    """The 50k synthetic cold check against 10x the 5k one (minus start-up, counted once)."""
    by_tree = {r["tree"]: r for r in results}
    small, large = by_tree.get("synthetic-5000"), by_tree.get("synthetic-50000")
    if small is None or large is None:
        return None
    out: dict[str, object] = {}
    for column in ("cold (--no-cache)", "warm (cache)"):
        s = small["measures"][column].get("median_s")  # type: ignore[index]
        big = large["measures"][column].get("median_s")  # type: ignore[index]
        startup = small["measures"]["--version"].get("median_s") or 0.0  # type: ignore[index]
        if s is None or big is None:
            continue
        scale = large["files"] / small["files"]  # type: ignore[operator]
        expected = startup + (s - startup) * scale
        out[column] = {
            "measured_s": big,
            "linear_extrapolation_s": round(expected, 4),
            "ratio": round(big / expected, 3),
        }
    return out


def tool_versions(peers_bin: Path | None) -> dict[str, str]:
    versions = {
        "twelvefold": subprocess.run(
            [twelvefold_binary(), "--version"], capture_output=True, text=True, check=False
        ).stdout.strip(),
        "twelvefold_commit": subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip(),
    }
    rules = subprocess.run(
        [twelvefold_binary(), "rules", "--output-format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    with contextlib.suppress(ValueError):
        versions["twelvefold_rules"] = str(len(json.loads(rules.stdout)))
    if peers_bin is not None:
        versions["peers"] = ", ".join(PEER_PACKAGES)
    return versions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (median)")
    parser.add_argument(
        "--runs-large", type=int, default=1, help="runs per measure on the 50k-file tree"
    )
    parser.add_argument("--no-peers", action="store_true", help="skip the peer tools")
    parser.add_argument(
        "--trees",
        default="all",
        help="comma-separated subset: transformers,diffusers,accelerate,synthetic-5000,synthetic-50000",
    )
    parser.add_argument("--peer-timeout", type=float, default=120.0, help="seconds per peer run")
    parser.add_argument("--check-timeout", type=float, default=300.0)
    parser.add_argument(
        "--output", type=Path, default=RESULTS / "latest.json", help="where to write the JSON"
    )
    args = parser.parse_args(argv)

    wanted = None if args.trees == "all" else set(args.trees.split(","))
    trees: list[tuple[str, Path]] = []
    for name, version in SDISTS:
        if wanted is None or name in wanted:
            trees.append((f"{name} {version}", prepare_sdist(name, version)))
    for count in SYNTHETIC_SIZES:
        if wanted is None or f"synthetic-{count}" in wanted:
            trees.append((f"synthetic {count // 1000}k", prepare_synthetic(count)))
    peers_bin = None if args.no_peers else prepare_peers()
    install_snapshot()

    results = [
        bench_tree(
            label,
            tree,
            args.runs if tree_stats(tree)["files"] < LARGE_TREE_FILES else args.runs_large,
            peers_bin,
            args.peer_timeout,
            args.check_timeout,
        )
        for label, tree in trees
    ]
    table = render_table(results)
    print()
    print(table)
    growth = linearity(results)
    if growth:
        print("\nlinear growth (synthetic 50k vs 10x synthetic 5k):", json.dumps(growth))
    document = {
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            # Other work on the machine inflates every figure: the load says how much.
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "twelvefold": "installed from this checkout into benchmarks/.work/twelvefold-venv",
        },
        "versions": tool_versions(peers_bin),
        "runs": args.runs,
        "peer_timeout_s": args.peer_timeout,
        "trees": results,
        "linearity": growth,
        "table": table.splitlines(),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    temporary = args.output.with_suffix(".tmp")
    temporary.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, args.output)
    print(
        f"\nwrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
