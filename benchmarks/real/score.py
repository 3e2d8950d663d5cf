"""Score a run of `twelvefold check` against the hand-judged verdicts of real repositories.

    uv run python benchmarks/real/score.py [--repos DIR] [--markdown] [--save FILE] [--preview]

Each `verdicts/<owner>+<name>.json` holds the repository's URL and commit, its kind, and
one verdict per finding of the run it judged (TRUE / FALSE / NOISE, with why; see
../shared/JUDGING.md). Snapshots are not committed: check each repository out at its
commit under DIR (default /work/real/<owner>+<name>); missing ones are skipped, so CI
stays offline.

A finding of today's run is matched to a verdict by (code, path, line) (several on one
line in the order judged), then by (code, path) — a grouped finding (one per manifest) is TRUE when any judged line of that file
was TRUE — then left unjudged. A finding covering other files (`files`: every notebook
with outputs as one TF104 finding) reports each of them, for `lost`. A verdict re-judged after its first run keeps the first
one as `first_verdict`, which the judged-run column counts. Precision is TRUE / judged findings; `lost` counts TRUE
verdicts whose (code, path) no finding reports any more.

Recall is over what the reviewer listed: every (code, path) judged TRUE plus every
`missed` violation (factor, path, line). A missed violation counts as found when a
finding of the same factor names the same path (for a repository-level one, path null:
any repository-level finding of that factor). Verdict files tagged `heldout` are
totalled apart from the set the rules were tuned on.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
TWELVEFOLD = Path(sys.executable).parent / "twelvefold"


def run(repo: Path, preview: bool = False) -> list[dict]:
    done = subprocess.run(
        [
            str(TWELVEFOLD),
            "check",
            *(["--preview"] if preview else []),
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
    exact: dict[tuple, list[str]] = {}
    by_file: dict[tuple, list[str]] = {}
    for judged in verdicts["findings"]:
        exact.setdefault((judged["code"], judged["path"], judged["line"]), []).append(
            judged["verdict"]
        )
        by_file.setdefault((judged["code"], judged["path"]), []).append(judged["verdict"])
    # Findings on one line (two unpinned installs in one `RUN`) take that line's verdicts
    # in order; one more than were judged there counts TRUE if any of them was.
    taken: Counter[tuple] = Counter()
    counts: Counter[str] = Counter()
    unjudged = []
    reported = set()
    for finding in findings:
        # A grouped finding (TF104's notebooks) reports each file it covers.
        for path in (finding["path"], *finding.get("files", ())):
            reported.add((finding["code"], path))
        key = (finding["code"], finding["path"], finding["line"])
        on_line = exact.get(key)
        verdict = None
        if on_line:
            verdict = on_line[taken[key]] if taken[key] < len(on_line) else None
            if verdict is None:
                verdict = "TRUE" if "TRUE" in on_line else Counter(on_line).most_common(1)[0][0]
            taken[key] += 1
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
    listed_true = {key for key, seen in by_file.items() if "TRUE" in seen}
    missed = verdicts.get("missed", [])
    by_factor_path = {(f["factor"], f["path"]) for f in findings if "factor" in f}
    found_missed = [m for m in missed if (m["factor"], m["path"]) in by_factor_path]
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
        "listed": len(listed_true) + len(missed),
        "found": len(listed_true) - len(lost) + len(found_missed),
        "unjudged_findings": unjudged,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=Path, default=Path("/work/real"), metavar="DIR")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--save", type=Path, metavar="FILE", help="also write the rows as JSON")
    parser.add_argument("--preview", action="store_true", help="run the preview rules too")
    args = parser.parse_args(argv)
    rows = {}
    for path in sorted((HERE / "verdicts").glob("*.json")):
        verdicts = json.loads(path.read_text(encoding="utf-8"))
        checkout = args.repos / path.stem
        if not checkout.is_dir():
            print(f"skipped {path.stem}: no snapshot at {checkout}", file=sys.stderr)
            continue
        # The judged run as first judged: a verdict changed later keeps its first one.
        first = [
            dict(f, verdict=f.get("first_verdict", f["verdict"])) for f in verdicts["findings"]
        ]
        before = score(
            {**verdicts, "findings": first},
            [dict(f, severity=f.get("severity", "")) for f in verdicts["findings"]],
        )
        rows[path.stem] = {
            "kind": verdicts["kind"],
            "commit": verdicts["commit"],
            "set": verdicts.get("heldout", "tuning"),
            "before": {key: before[key] for key in ("findings", "true", "precision", "found")},
            **score(_for_run(verdicts, args.preview), run(checkout, args.preview)),
        }
    if args.markdown:
        print(
            "| repository | set | kind | judged run: findings / precision | findings | TRUE "
            "| FALSE | NOISE | unjudged | precision | bad errors | lost TRUE | recall |"
        )
        print("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, row in rows.items():
            print(
                f"| {name} | {row['set']} | {row['kind']} "
                f"| {row['before']['findings']} / {row['before']['precision']} "
                f"| {row['findings']} | {row['true']} | {row['false']} "
                f"| {row['noise']} | {row['unjudged']} | {row['precision']} | {row['bad_errors']} "
                f"| {len(row['lost_true'])} | {row['found']}/{row['listed']} |"
            )
        print()
        print(
            "| set | repositories | findings | TRUE | FALSE | NOISE | unjudged | precision "
            "| TRUE/(TRUE+FALSE) | bad errors | lost TRUE | recall (found/listed) |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        sets = sorted({row["set"] for row in rows.values()})
        for name in [*sets, "all"]:
            chosen = [r for r in rows.values() if name in ("all", r["set"])]
            print(_total_row(name, chosen))
    else:
        print(json.dumps(rows, indent=2))
    if args.save:
        args.save.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


def _for_run(verdicts: dict, preview: bool) -> dict:
    """The verdicts a run can meet: those of preview rules (`"preview": true`) only when
    the run has preview rules on, so a default run does not count them as lost."""
    if preview:
        return verdicts
    kept = [f for f in verdicts["findings"] if not f.get("preview")]
    return {**verdicts, "findings": kept}


def _total_row(name: str, rows: list[dict]) -> str:
    total: Counter[str] = Counter()
    for row in rows:
        for key in ("findings", "true", "false", "noise", "unjudged", "bad_errors", "listed"):
            total[key] += row[key]
        total["found"] += row["found"]
        total["lost"] += len(row["lost_true"])
    judged = total["true"] + total["false"] + total["noise"]
    precision = round(total["true"] / judged, 3) if judged else None
    true_false = total["true"] + total["false"]
    sharp = round(total["true"] / true_false, 3) if true_false else None
    recall = round(total["found"] / total["listed"], 3) if total["listed"] else None
    return (
        f"| {name} | {len(rows)} | {total['findings']} | {total['true']} | {total['false']} "
        f"| {total['noise']} | {total['unjudged']} | {precision} | {sharp} "
        f"| {total['bad_errors']} | {total['lost']} | {total['found']}/{total['listed']} "
        f"({recall}) |"
    )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
