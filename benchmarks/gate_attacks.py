"""Each attack on the gate (tests/gate_attacks.py): held or failed, exit codes, time and
peak memory.

    uv run python benchmarks/gate_attacks.py                 # every attack, JSON lines
    uv run python benchmarks/gate_attacks.py cache-symlink   # some, by name
    uv run python benchmarks/gate_attacks.py --markdown      # the table for a report

Every run of an attack is the installed `twelvefold` command in a subprocess; the peak
is the largest resident set of those children (`RUSAGE_CHILDREN`, read after each attack
in a fresh process so one attack's peak does not carry over to the next).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.gate_attacks import ATTACKS  # noqa: E402

_ONE = """
import json, resource, sys, tempfile, time
from pathlib import Path
from tests.gate_attacks import ATTACKS, attempt
attack = next(a for a in ATTACKS if a.name == sys.argv[1])
with tempfile.TemporaryDirectory() as workdir:
    started = time.perf_counter()
    root, runs = attempt(attack, Path(workdir))
    seconds = time.perf_counter() - started
    breach = attack.breach(root, runs)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({
    "attack": attack.name,
    "item": attack.item,
    "input": attack.description,
    "held": breach is None,
    "breach": breach,
    "exit_codes": [run.code for run in runs],
    "seconds": round(seconds, 2),
    "peak_mb": round(peak, 1),
}))
"""


def measure(name: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _ONE, name], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return {"attack": name, "held": False, "breach": done.stderr.strip()[-300:]}
    return json.loads(done.stdout.splitlines()[-1])


def main(argv: list[str]) -> int:
    markdown = "--markdown" in argv
    names = [arg for arg in argv if not arg.startswith("--")]
    rows = []
    for attack in ATTACKS:
        if names and attack.name not in names:
            continue
        row = measure(attack.name)
        rows.append(row)
        if not markdown:
            print(json.dumps(row), flush=True)
    if markdown:
        print("| item | attack | held | exit codes | time (s) | peak RSS (MB) |")
        print("|---:|---|---|---|---:|---:|")
        for row in rows:
            held = "held" if row["held"] else f"FAILED: {row.get('breach')}"
            codes = ", ".join(str(code) for code in row.get("exit_codes", []))
            print(
                f"| {row.get('item', '')} | {row['attack']} | {held} | {codes} "
                f"| {row.get('seconds', '')} | {row.get('peak_mb', '')} |"
            )
    return 0 if all(row["held"] for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
