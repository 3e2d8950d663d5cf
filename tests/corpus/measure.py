"""Run the checker on the corpus and score every rule: TP, FP, FN, precision, recall.

    uv run python -m tests.corpus.measure            # table
    uv run python -m tests.corpus.measure --json     # JSON as well

A finding matches a planted violation with the same rule code and path (and line, when
the expectation names one). Expectations still waiting for their rule (`code=None`)
match any finding of their factor at that place; such matches are listed as "pending"
so the corpus can be updated with the rule's code.
"""

from __future__ import annotations

import fnmatch
import json
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from twelvefold.config import Config
from twelvefold.model import Finding

from tests.corpus.build import Planted, build, resolve
from tests.helpers import check


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Outcome:
    """What one corpus run found, per rule and in detail."""

    scores: dict[str, Score] = field(default_factory=dict)
    false_positives: list[tuple[str, Finding]] = field(default_factory=list)
    #: False positives listed in the corpus as known rule bugs (a subset of the above).
    known_false_positives: list[tuple[str, Finding]] = field(default_factory=list)
    #: Known false positives that no longer happen: remove them from the corpus.
    fixed_false_positives: list[tuple[str, Planted]] = field(default_factory=list)
    false_negatives: list[tuple[str, Planted]] = field(default_factory=list)
    pending_matches: list[tuple[str, Planted, Finding]] = field(default_factory=list)
    pending_open: list[tuple[str, Planted]] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)
    #: Deliberate look-alikes per rule (code that must not be reported), across the corpus.
    lookalikes: Counter[str] = field(default_factory=Counter)

    @property
    def unexpected_false_positives(self) -> list[tuple[str, Finding]]:
        return [item for item in self.false_positives if item not in self.known_false_positives]

    @property
    def gate_passes(self) -> bool:
        return not (
            self.unexpected_false_positives
            or self.fixed_false_positives
            or self.false_negatives
            or self.internal_errors
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "rules": {
                code: {
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                    "precision": s.precision,
                    "recall": s.recall,
                    "lookalikes": self.lookalikes[code],
                }
                for code, s in sorted(self.scores.items())
            },
            "false_positives": [_describe_finding(repo, f) for repo, f in self.false_positives],
            "known_false_positives": [
                _describe_finding(repo, f) for repo, f in self.known_false_positives
            ],
            "false_negatives": [_describe_planted(repo, p) for repo, p in self.false_negatives],
            "pending_matches": [
                {**_describe_planted(repo, p), "matched_by": f.code}
                for repo, p, f in self.pending_matches
            ],
            "pending_open": [_describe_planted(repo, p) for repo, p in self.pending_open],
            "internal_errors": self.internal_errors,
        }


def _matches(planted: Planted, finding: Finding, registered: bool) -> bool:
    expect = planted.expect
    if expect.code is not None:
        if finding.code != expect.code:
            return False
    elif registered or finding.factor != expect.factor:
        return False
    if expect.path is None or finding.path is None:
        if expect.path != finding.path and not (expect.path == "*" and finding.path is None):
            return False
    elif not (finding.path == expect.path or fnmatch.fnmatchcase(finding.path, expect.path)):
        return False
    return planted.line is None or finding.line == planted.line


def score_repo(
    name: str,
    planted: list[Planted],
    findings: list[Finding],
    codes: set[str],
    outcome: Outcome,
    known: list[Planted] | None = None,
) -> None:
    remaining = list(findings)
    explicit = [p for p in planted if p.expect.code is not None]
    pending = [p for p in planted if p.expect.code is None]
    # Most specific expectations first, so a line-less one does not take a finding meant for a line.
    for item in sorted(explicit, key=lambda p: (p.line is None, p.expect.path is None)):
        code = item.expect.code
        assert code is not None
        if code not in codes:
            outcome.pending_open.append((name, item))
            continue
        score = outcome.scores.setdefault(code, Score())
        match = next((f for f in remaining if _matches(item, f, registered=True)), None)
        if match is None:
            score.fn += 1
            outcome.false_negatives.append((name, item))
        else:
            score.tp += 1
            remaining.remove(match)
    for item in sorted(pending, key=lambda p: (p.line is None, p.expect.path is None)):
        match = next((f for f in remaining if _matches(item, f, registered=False)), None)
        if match is None:
            outcome.pending_open.append((name, item))
        else:
            outcome.scores.setdefault(match.code, Score()).tp += 1
            outcome.pending_matches.append((name, item, match))
            remaining.remove(match)
    unmatched_known = list(known or ())
    for finding in remaining:
        outcome.scores.setdefault(finding.code, Score()).fp += 1
        outcome.false_positives.append((name, finding))
        bug = next((k for k in unmatched_known if _matches(k, finding, registered=True)), None)
        if bug is not None:
            unmatched_known.remove(bug)
            outcome.known_false_positives.append((name, finding))
    outcome.fixed_false_positives += [(name, k) for k in unmatched_known]


def measure(dest: Path | None = None, names: set[str] | None = None) -> Outcome:
    from twelvefold.registry import all_rules

    codes = set(all_rules())
    outcome = Outcome({code: Score() for code in codes})
    with tempfile.TemporaryDirectory(prefix="twelvefold-corpus-") as scratch:
        for repo, root, planted in build(dest or Path(scratch), names):
            # ALL: the corpus measures every rule, the opt-in ones too.
            result = check(root, config=Config(kind=repo.kind, preview=True, select=["ALL"]))
            outcome.internal_errors += [
                f"{repo.name}: {d.render()}" for d in result.internal_errors
            ]
            outcome.lookalikes.update(lookalike.code for lookalike in repo.lookalikes)
            known = resolve(repo, root, repo.known_false_positives)
            score_repo(repo.name, planted, result.findings, codes, outcome, known)
    return outcome


def _describe_finding(repo: str, finding: Finding) -> dict[str, object]:
    return {
        "repo": repo,
        "code": finding.code,
        "path": finding.path,
        "line": finding.line,
        "message": finding.message,
    }


def _describe_planted(repo: str, planted: Planted) -> dict[str, object]:
    expect = planted.expect
    return {
        "repo": repo,
        "code": expect.code,
        "factor": expect.factor_number,
        "path": expect.path,
        "line": planted.line,
        "note": expect.note,
    }


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{value * 100:5.1f}%"


def render(outcome: Outcome) -> str:
    lines = [
        f"{'rule':<8} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8} {'look-alikes':>12}"
    ]
    total = Score()
    for code, score in sorted(outcome.scores.items(), key=lambda kv: (len(kv[0]), kv[0])):
        total.tp, total.fp, total.fn = total.tp + score.tp, total.fp + score.fp, total.fn + score.fn
        lines.append(
            f"{code:<8} {score.tp:>4} {score.fp:>4} {score.fn:>4} {_pct(score.precision):>10} {_pct(score.recall):>8} {outcome.lookalikes[code]:>12}"
        )
    lines.append(
        f"{'all':<8} {total.tp:>4} {total.fp:>4} {total.fn:>4} {_pct(total.precision):>10} {_pct(total.recall):>8} {sum(outcome.lookalikes.values()):>12}"
    )
    for title, items in (
        (
            "false positives (* known rule bug, listed in the corpus)",
            [
                f"{'*' if (r, f) in outcome.known_false_positives else ' '} {r}: {f.code} {f.path}:{f.line} {f.message}"
                for r, f in outcome.false_positives
            ],
        ),
        (
            "known false positives that no longer happen (remove them from the corpus)",
            [
                f"{r}: {p.expect.code} {p.expect.path}:{p.line}"
                for r, p in outcome.fixed_false_positives
            ],
        ),
        (
            "false negatives",
            [
                f"{r}: {p.expect.code} {p.expect.path}:{p.line} ({p.expect.note})"
                for r, p in outcome.false_negatives
            ],
        ),
        (
            "pending expectations matched (fill in the code)",
            [
                f"{r}: factor {p.expect.factor} {p.expect.path}:{p.line} -> {f.code}"
                for r, p, f in outcome.pending_matches
            ],
        ),
        ("internal errors", outcome.internal_errors),
    ):
        if items:
            lines += ["", f"{title}:"] + [f"  {item}" for item in items]
    open_by_factor = Counter(p.expect.factor_number for _, p in outcome.pending_open)
    if open_by_factor:
        summary = ", ".join(f"F{factor}: {n}" for factor, n in sorted(open_by_factor.items()))
        lines += ["", f"planted violations no rule of their factor reports yet: {summary}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    outcome = measure()
    print(render(outcome))
    if "--json" in args:
        print(json.dumps(outcome.to_dict(), indent=2))
    return 0 if outcome.gate_passes else 1


if __name__ == "__main__":
    raise SystemExit(main())
