"""TF1001 no-tests: no tests."""

from __future__ import annotations

from collections.abc import Iterator

from twelvefold.detectors.ci import has_test_files
from twelvefold.detectors.scaffold import only_a_stub
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule


class NoTests(RepoRule):
    """## What it does
    Reports a Python project with no tests at all: no `test_*.py` or `*_test.py` file
    and no Python file under a `tests/` or `test/` folder, but for command line scripts
    holding no test function (`test_router.py` parsing argparse options to call a paid
    API, run by hand). A project whose CI runs a
    test task of its own (`make test` running a short training on committed test data)
    has tests of another form, and is not reported; nor is a project template whose
    generated projects start with a `tests/` folder (`{{cookiecutter.project_name}}/tests/`).
    Not reported while the repository has no Python of its own: a generator's stub (`uv
    init`'s hello-world `main.py`), or empty modules and examples only (an exercise's
    skeleton).

    ## Why is this bad?
    Without tests, nobody knows whether the preprocessing still does what it did, whether
    the pipeline still runs end to end, or whether the new model is worse than the old
    one. Every change is a gamble and every refactoring is avoided.

    ## Example
    A package with feature and training code, and no tests:
    ```python
    # src/churn/features.py
    import pandas as pd


    def tenure_years(df: pd.DataFrame) -> pd.Series:
        return df["tenure_months"] / 12
    ```
    ```python
    # src/churn/train.py
    from sklearn.linear_model import LogisticRegression


    def train(X, y) -> LogisticRegression:
        return LogisticRegression(max_iter=1000).fit(X, y)
    ```

    ## Use instead
    Start with a `tests/` folder: a unit test of the feature code, a smoke test that
    trains on a tiny sample, and a model test with a quality threshold:
    ```python
    # tests/test_model.py
    from sklearn.metrics import roc_auc_score


    def test_model_beats_baseline(trained_model, holdout):
        assert roc_auc_score(holdout.y, trained_model.predict_proba(holdout.X)[:, 1]) > 0.75
    ```
    """

    code = "TF1001"
    depends_on = ("@tests",)
    name = "no-tests"
    factor = 10
    severity = Severity.WARNING
    repo_kinds = frozenset({project_kind.APPLICATION, project_kind.LIBRARY, project_kind.TEMPLATE})
    summary = "No tests"
    fix = "Add a tests/ folder with pytest tests for the feature code, the pipeline and the model's quality."

    def applies(self, repo: Repo) -> bool:
        # A generated stub (`uv init`'s hello-world `main.py`) or an exercise's empty
        # skeleton has nothing to check yet.
        return repo.has_python and not only_a_stub(repo)

    def check(self, repo: Repo) -> Iterator[Violation]:
        if has_test_files(repo) or _ci_runs_a_test_task(repo):
            return
        if repo.model.kind == project_kind.TEMPLATE and any(
            "{{" in path and "/tests/" in path for path in repo.by_path
        ):
            return  # the projects it generates start with a tests/ folder of their own
        if has_test_files(repo, scripts=True):
            yield Violation(
                "the project has Python code but no tests (its test_*.py files are "
                "command line scripts, with no test function)"
            )
            return
        yield Violation(
            "the project has Python code but no tests (no tests/ folder, test_*.py or *_test.py)"
        )


def _ci_runs_a_test_task(repo: Repo) -> bool:
    """CI runs a test task of the repository's own (`make test` running a short training
    on committed test data, DALLE2-pytorch's): tests, if not pytest modules."""
    from twelvefold.detectors.ci import TestRunSearch, load_all_ci, shell_lines

    configs = [config for config in load_all_ci(repo) if not config.scheduled_only]
    search = TestRunSearch(repo)
    return any(search.runs_tests(list(shell_lines(config.commands))) for config in configs)
