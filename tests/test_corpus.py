"""The precision corpus as a regression gate: every planted violation found, nothing else.

`tests/corpus/repos.py` plants violations in realistic repositories and lists them; all
other lines are look-alikes. A new false positive or a lost true positive of any rule
fails here. `uv run python -m tests.corpus.measure` prints the per-rule table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus.build import CorpusError, resolve
from tests.corpus.measure import Outcome, measure, render
from tests.corpus.model import CorpusRepo, Expect
from tests.corpus.repos import REPOS


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    return measure(tmp_path_factory.mktemp("corpus"))


def test_corpus_has_every_style() -> None:
    assert len(REPOS) >= 8
    assert len({repo.name for repo in REPOS}) == len(REPOS)


#: Rules whose violation a corpus repository cannot hold, and where they are tested.
NOT_IN_CORPUS = {
    # An unreadable file (root reads everything) or a 1 GiB stream.
    "TF305": "tests/test_secret_coverage.py",
}


def test_every_rule_has_planted_violations_and_lookalikes(outcome: Outcome) -> None:
    """Precision and recall mean something only with cases on both sides of each rule."""
    from twelvefold.registry import all_rules

    thin = {
        code: (outcome.scores[code].tp + outcome.scores[code].fn, outcome.lookalikes[code])
        for code in all_rules()
        if code not in NOT_IN_CORPUS
        and (outcome.scores[code].tp + outcome.scores[code].fn < 2 or outcome.lookalikes[code] < 2)
    }
    assert not thin, f"rules with fewer than 2 planted violations or look-alikes: {thin}"
    unknown = set(outcome.lookalikes) - set(all_rules())
    assert not unknown, f"look-alikes name no registered rule: {unknown}"


def test_no_false_positives(outcome: Outcome) -> None:
    assert not outcome.unexpected_false_positives, render(outcome)


def test_known_false_positives_are_still_real(outcome: Outcome) -> None:
    """A known rule bug that no longer shows must leave the list (so it cannot hide a regression)."""
    assert not outcome.fixed_false_positives, render(outcome)


def test_no_false_negatives(outcome: Outcome) -> None:
    assert not outcome.false_negatives, render(outcome)


def test_no_internal_errors(outcome: Outcome) -> None:
    assert not outcome.internal_errors, render(outcome)


def test_the_well_kept_repository_has_no_findings(outcome: Outcome) -> None:
    well_kept = [repo for repo in REPOS if repo.name.startswith("well_kept")]
    assert well_kept and not well_kept[0].expected
    assert not [f for name, f in outcome.false_positives if name == well_kept[0].name]
    assert not well_kept[0].known_false_positives


def test_an_expectation_must_point_at_its_line(tmp_path: Path) -> None:
    """The gate itself can fail: a planted line that is not in the file is an error."""
    repo = CorpusRepo("broken", "test", {"a.py": "x = 1\n"}, [Expect("TF303", "a.py", "/home/bob")])
    (tmp_path / "a.py").write_text("x = 1\n")
    with pytest.raises(CorpusError):
        resolve(repo, tmp_path)


def test_a_missed_or_extra_finding_is_scored(tmp_path: Path) -> None:
    """Scoring sees both kinds of error (so the gate above is not vacuous)."""
    from twelvefold.model import Finding, Severity

    from tests.corpus.build import Planted
    from tests.corpus.measure import score_repo

    planted = [Planted(Expect("TF303", "a.py", "x"), 3)]
    extra = Finding(
        "b.py", 1, None, "TF303", "absolute-machine-path", 3, Severity.WARNING, "m", "f"
    )
    scored = Outcome()
    score_repo("r", planted, [extra], {"TF303"}, scored)
    assert scored.scores["TF303"].fp == 1 and scored.scores["TF303"].fn == 1
