"""Time and peak memory of `twelvefold check` on each hostile repository.

    uv run python benchmarks/hostile.py               # every case
    uv run python benchmarks/hostile.py yaml-bomb     # some cases, by name
    uv run python benchmarks/hostile.py --markdown    # the table for a report

Each case (tests/hostile_cases.py) is built in a temporary folder and checked by the
installed `twelvefold` command in a subprocess; `os.wait4` gives that process's own peak
resident memory. The outcome says whether the planted violation elsewhere in the
repository was still found, and which diagnostics the run printed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile_cases import CASES, PLANTED_PATH, Case  # noqa: E402

TIMEOUT_SECONDS = 300


def measure(case: Case, workdir: Path) -> dict[str, object]:
    root = workdir / "repo"
    started = time.perf_counter()
    # Built in a child process: a child's peak RSS on Linux starts from its parent's at
    # fork, so a parent that held a 50 MB notebook would inflate every figure after it.
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"from tests.hostile_cases import CASES; from pathlib import Path; "
            f"[c for c in CASES if c.name == {case.name!r}][0].build(Path({str(root)!r}))",
        ],
        cwd=ROOT,
        check=True,
    )
    build_seconds = time.perf_counter() - started
    command = [
        str(Path(sys.executable).parent / "twelvefold"),
        "check",
        "--output-format",
        "json",
        str(root),
    ]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=out, stderr=err, cwd=workdir, start_new_session=True
        )
        deadline = started + TIMEOUT_SECONDS
        status = rusage = None
        while time.perf_counter() < deadline:
            pid, status, rusage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.02)
        else:
            os.killpg(process.pid, signal.SIGKILL)
            _, status, rusage = os.wait4(process.pid, 0)
            status = None
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = (
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )
    row: dict[str, object] = {
        "case": case.name,
        "input": case.description,
        "build_s": round(build_seconds, 1),
        "seconds": round(seconds, 2),
        "peak_mb": round(rusage.ru_maxrss / 1024, 1) if rusage else None,
    }
    if status is None:
        row["outcome"] = f"TIMEOUT after {TIMEOUT_SECONDS} s"
        return row
    code = os.waitstatus_to_exitcode(status)
    try:
        report = json.loads(stdout)
    except ValueError:
        row["outcome"] = f"exit {code}, output is not JSON: {stderr.strip()[-300:]}"
        return row
    planted = any(f["code"] == "TF301" and f["path"] == PLANTED_PATH for f in report["findings"])
    diagnostics = sorted({f"{d['path']}: {d['message']}"[:110] for d in report["diagnostics"]})
    row["exit"] = code
    row["planted_found"] = planted
    row["diagnostics"] = diagnostics
    row["outcome"] = f"exit {code}; planted violation {'found' if planted else 'MISSED'}; " + (
        "; ".join(diagnostics[:3])
        + (f" (+{len(diagnostics) - 3} more)" if len(diagnostics) > 3 else "")
        if diagnostics
        else "no diagnostics"
    )
    return row


def main(argv: list[str]) -> int:
    markdown = "--markdown" in argv
    names = [arg for arg in argv if not arg.startswith("--")]
    cases = [case for case in CASES if not names or case.name in names]
    rows = []
    for case in cases:
        with tempfile.TemporaryDirectory() as workdir:
            row = measure(case, Path(workdir))
        rows.append(row)
        if not markdown:
            print(json.dumps(row), flush=True)
    if markdown:
        print("| hostile input | time (s) | peak RSS (MB) | outcome |")
        print("|---|---:|---:|---|")
        for row in rows:
            print(f"| {row['input']} | {row['seconds']} | {row['peak_mb']} | {row['outcome']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
