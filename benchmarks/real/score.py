"""Score a run of `twelvefold check` against the hand-judged verdicts of real repositories.

    uv run python benchmarks/real/score.py [--repos DIR] [--markdown] [--save FILE]

Each `verdicts/<owner>+<name>.json` holds the repository's URL and commit, its kind, and
one verdict per finding of the run it judged (TRUE / FALSE / NOISE, with why; see
../shared/JUDGING.md). Snapshots are not committed: check each repository out at its
commit under DIR (default /work/real/<owner>+<name>); missing ones are skipped, so CI
stays offline.

A finding of today's run is matched to a verdict by (code, path, line), then by (code,
path) — a grouped finding (one per manifest) is TRUE when any judged line of that file
was TRUE — then left unjudged. Precision is TRUE / judged findings; `lost` counts TRUE
verdicts whose (code, path) no finding reports any more.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
TWELVEFOLD = Path(sys.executable).parent / "twelvefold"


def run(repo: Path) -> list[dict]:
    done = subprocess.run(
        [
            str(TWELVEFOLD),
            "check",
            "--no-cache",
            "--fail-on",
            "never",
            "--output-format",
            "json",
            "--",
            str(repo),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return json.loads(done.stdout)["findings"]


def score(verdicts: dict, findings: list[dict]) -> dict:
    exact: dict[tuple, str] = {}
    by_file: dict[tuple, list[str]] = {}
    for judged in verdicts["findings"]:
        exact[judged["code"], judged["path"], judged["line"]] = judged["verdict"]
        by_file.setdefault((judged["code"], judged["path"]), []).append(judged["verdict"])
    counts: Counter[str] = Counter()
    unjudged = []
    reported = set()
    for finding in findings:
        reported.add((finding["code"], finding["path"]))
        verdict = exact.get((finding["code"], finding["path"], finding["line"]))
        if verdict is None and (finding["code"], finding["path"]) in by_file:
            seen = by_file[finding["code"], finding["path"]]
            verdict = "TRUE" if "TRUE" in seen else Counter(seen).most_common(1)[0][0]
        if verdict is None:
            unjudged.append(
                f"{finding['code']} {finding['path']}:{finding['line']} {finding['message'][:90]}"
            )
            counts["UNJUDGED"] += 1
        else:
            counts[verdict] += 1
            if verdict != "TRUE" and finding["severity"] == "error":
                counts["BAD_ERRORS"] += 1
    lost = sorted(
        {f"{code} {path}" for (code, path), seen in by_file.items() if "TRUE" in seen}
        - {f"{code} {path}" for code, path in reported}
    )
    judged = counts["TRUE"] + counts["FALSE"] + counts["NOISE"]
    return {
        "findings": len(findings),
        "true": counts["TRUE"],
        "false": counts["FALSE"],
        "noise": counts["NOISE"],
        "unjudged": counts["UNJUDGED"],
        "bad_errors": counts["BAD_ERRORS"],
        "precision": round(counts["TRUE"] / judged, 3) if judged else None,
        "true_of_true_false": round(counts["TRUE"] / (counts["TRUE"] + counts["FALSE"]), 3)
        if counts["TRUE"] + counts["FALSE"]
        else None,
        "lost_true": lost,
        "unjudged_findings": unjudged,
    }


def main(argv: list[str]) -> int:
    repos = Path(argv[argv.index("--repos") + 1]) if "--repos" in argv else Path("/work/real")
    rows = {}
    for path in sorted((HERE / "verdicts").glob("*.json")):
        verdicts = json.loads(path.read_text(encoding="utf-8"))
        checkout = repos / path.stem
        if not checkout.is_dir():
            print(f"skipped {path.stem}: no snapshot at {checkout}", file=sys.stderr)
            continue
        before = score(
            verdicts, [dict(f, severity=f.get("severity", "")) for f in verdicts["findings"]]
        )
        rows[path.stem] = {
            "kind": verdicts["kind"],
            "commit": verdicts["commit"],
            "before": {key: before[key] for key in ("findings", "true", "precision")},
            **score(verdicts, run(checkout)),
        }
    total = Counter()
    for row in rows.values():
        for key in ("findings", "true", "false", "noise", "unjudged", "bad_errors"):
            total[key] += row[key]
    if "--markdown" in argv:
        print(
            "| repository | kind | judged run: findings / precision | findings | TRUE | FALSE "
            "| NOISE | unjudged | precision | bad errors | lost TRUE |"
        )
        print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, row in rows.items():
            print(
                f"| {name} | {row['kind']} | {row['before']['findings']} / {row['before']['precision']} "
                f"| {row['findings']} | {row['true']} | {row['false']} "
                f"| {row['noise']} | {row['unjudged']} | {row['precision']} | {row['bad_errors']} "
                f"| {len(row['lost_true'])} |"
            )
        judged = total["true"] + total["false"] + total["noise"]
        print(
            f"| **all** | | | {total['findings']} | {total['true']} | {total['false']} | {total['noise']} "
            f"| {total['unjudged']} | {round(total['true'] / judged, 3) if judged else None} "
            f"| {total['bad_errors']} | {sum(len(r['lost_true']) for r in rows.values())} |"
        )
    else:
        print(json.dumps(rows, indent=2))
    if "--save" in argv:
        Path(argv[argv.index("--save") + 1]).write_text(
            json.dumps(rows, indent=2) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
