"""The engine's contract: rule isolation, prerequisites, facts, scorecard, notebooks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from twelvefold import kinds, schedule
from twelvefold.engine import factor_status
from twelvefold.model import Severity, Violation
from twelvefold.rule import REGISTRY, FileRule, RepoRule, RuleDefinitionError, fact

from tests.helpers import check, make_repo, notebook


@pytest.fixture
def scratch_rules() -> Iterator[None]:
    """Rules defined inside a test are removed from the registry afterwards."""
    from twelvefold.registry import all_rules

    all_rules()  # load the built-in catalog first, so restoring keeps it
    before = dict(REGISTRY)
    yield
    REGISTRY.clear()
    REGISTRY.update(before)


def test_a_crashing_rule_is_isolated_and_fails_the_run(tmp_path: Path, scratch_rules: None) -> None:
    class Crashes(FileRule):
        """## What it does\nCrashes."""

        code, name, factor, severity = "TF1290", "crashes", 12, Severity.ERROR
        summary = fix = "x"
        kinds = frozenset({kinds.PYTHON})

        def check(self, file):  # type: ignore[no-untyped-def]
            raise KeyError("boom")

    make_repo(tmp_path, {"a.py": "DB_PASSWORD = 'Xk8#pq2!Lm9z'\n"})
    result = check(tmp_path, select=["TF1290", "TF301"])
    assert [f.code for f in result.findings] == ["TF301"]  # the other rule still ran
    [error] = result.internal_errors
    assert error.path == "a.py" and "internal error in TF1290: KeyError" in error.message
    assert factor_status(result)[12] == "unknown"  # never scored as a violation


def test_requires_skips_dependent_rules(tmp_path: Path, scratch_rules: None) -> None:
    class Root(RepoRule):
        """## What it does\nRoot cause."""

        code, name, factor, severity = "TF1291", "root-cause", 12, Severity.ERROR
        summary = fix = "x"

        def check(self, repo):  # type: ignore[no-untyped-def]
            yield Violation("root")

    class Dependent(RepoRule):
        """## What it does\nDepends."""

        code, name, factor, severity = "TF1292", "dependent", 12, Severity.ERROR
        summary = fix = "x"
        requires = ("TF1291",)

        def check(self, repo):  # type: ignore[no-untyped-def]
            yield Violation("consequence")

    make_repo(tmp_path, {"a.py": ""})
    assert [f.code for f in check(tmp_path, select=["TF1292", "TF1291"]).findings] == ["TF1291"]


def test_facts_reach_repo_rules(tmp_path: Path, scratch_rules: None) -> None:
    @fact("test-has-todo", kinds={kinds.PYTHON}, prefilter=b"TODO")
    def has_todo(file):  # type: ignore[no-untyped-def]
        return True

    class CountsTodos(RepoRule):
        """## What it does\nCounts."""

        code, name, factor, severity = "TF1293", "counts-todos", 12, Severity.INFO
        summary = fix = "x"
        facts = ("test-has-todo",)

        def check(self, repo):  # type: ignore[no-untyped-def]
            yield Violation(f"{sorted(repo.facts('test-has-todo'))}")

    make_repo(tmp_path, {"a.py": "# TODO\n", "b.py": "x = 1\n", "c.py": "# TODO later\n"})
    [finding] = check(tmp_path, select=["TF1293"]).findings
    assert finding.message == "['a.py', 'c.py']"


def test_rule_contract_is_enforced(scratch_rules: None) -> None:
    with pytest.raises(RuleDefinitionError, match="not like TF301"):

        class BadCode(RepoRule):
            """Doc."""

            code, name, factor, severity, summary, fix = (
                "bad",
                "bad-code",
                1,
                Severity.INFO,
                "x",
                "x",
            )

    with pytest.raises(RuleDefinitionError, match="already used"):

        class Duplicate(RepoRule):
            """Doc."""

            code, name, factor, severity, summary, fix = "TF301", "dup", 3, Severity.INFO, "x", "x"


def test_notebook_findings_carry_cell_and_file_line(tmp_path: Path) -> None:
    text = notebook(
        "import pandas as pd\n%matplotlib inline\n",
        "!ls data\ndf = pd.read_csv('/home/alice/data.csv')\n",
    )
    make_repo(tmp_path, {"eda.ipynb": text})
    [finding] = check(tmp_path, select=["TF303"]).findings
    assert (finding.cell, finding.cell_line) == (1, 2)
    file_line = text.splitlines()[finding.line - 1]
    assert "/home/alice/data.csv" in file_line


def test_scorecard_statuses(tmp_path: Path) -> None:
    make_repo(
        tmp_path,
        {
            "a.py": "DB_PASSWORD = 'Xk8#pq2!Lm9z'\n",
            "pyproject.toml": '[project]\nname="a"\nrequires-python=">=3.11"\n',
        },
    )
    status = factor_status(check(tmp_path, select=["F2", "F3"]))
    assert status[3] == "fail" and status[2] == "pass"
    assert status[9] == "n/a"  # no rule of the factor selected


def test_one_scan_of_the_prefilters_gives_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A tree of real modules (this package's own) and the violations of a small
    # application: the findings and diagnostics with the prefilters answered by one
    # multi-pattern set per file are those of the test of each prefilter on its own.
    pytest.importorskip("re2")

    package = Path(__file__).resolve().parents[1] / "checker" / "twelvefold"
    files: dict[str, str | bytes] = {
        f"pkg/{path.relative_to(package).as_posix()}": path.read_bytes()
        for path in sorted(package.rglob("*.py"))
    }
    files.update(
        {
            "train.py": "import torch\nimport numpy as np\nmodel.fit(X, y)\nprint('loss', 1)\n"
            "AWS_KEY = 'AKIAQYLPMN5HHHFPZAM2'\nDATA = '/home/alice/data.csv'\n",
            "nb.ipynb": notebook("import pandas as pd\npd.read_csv('/Users/bob/x.csv')\n"),
            "Dockerfile": "FROM python\nRUN pip install torch\n",
        }
    )
    root = make_repo(tmp_path / "repo", files)

    def outcome() -> tuple[list[object], list[object]]:
        result = check(root)
        return [f.sort_key() for f in result.findings], sorted(map(str, result.diagnostics))

    monkeypatch.setattr(schedule, "ONE_SCAN_MIN_FILES", 10**9)
    each = outcome()
    monkeypatch.setattr(schedule, "ONE_SCAN_MIN_FILES", 0)
    assert outcome() == each and len(each[0]) > 3
