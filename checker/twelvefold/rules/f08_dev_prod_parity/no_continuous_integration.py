"""TF801 no-continuous-integration: no CI configuration."""

from __future__ import annotations

from collections.abc import Iterator

from twelvefold.detectors.ci import azure_pipeline_files, ci_files, cloud_build_files
from twelvefold.detectors.scaffold import only_a_stub
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule


class NoContinuousIntegration(RepoRule):
    """## What it does
    Reports a Python repository with no CI configuration: no GitHub Actions workflow
    (`.github/workflows/*.yml`), `.gitlab-ci.yml`, `.circleci/config.yml`, `Jenkinsfile`,
    `azure-pipelines.yml`, `bitbucket-pipelines.yml`, `.travis.yml`, `.buildkite/`,
    Drone, Woodpecker, AppVeyor, Cloud Build, CodeBuild, Gitea or Forgejo workflows.
    A Cloud Build configuration counts under any name (`build/pipeline-deployment.yaml`):
    a YAML file whose top-level `steps` are builder images (`gcr.io/cloud-builders/...`)
    or images run with `args` or an `entrypoint`. So does an Azure Pipelines file in any
    folder (`tests/ci/unit_tests.yml`): a top-level `trigger`, `pr` or `schedules` with
    top-level `jobs`, `steps` or `stages`.
    A `tox.ini`, `noxfile.py` or `Makefile` alone is not CI: something has to run it on
    every change. A project template whose generated projects carry their workflow
    (`{{cookiecutter.project_name}}/.github/workflows/ci.yaml`) is not reported.
    Not reported while the repository has no Python of its own: a generator's stub (`uv
    init`'s hello-world `main.py`), or empty modules and examples only (an exercise's
    skeleton).

    ## Why is this bad?
    Without CI the checks run only when someone remembers to run them, on their own
    machine, with their own environment. Broken tests, stale locks and lint errors reach
    the main branch, and "works on my machine" is the only evidence a model pipeline runs.

    ## Example
    A package with tests and a `tox.ini`, but no `.github/workflows/`:
    ```toml
    # pyproject.toml
    [project]
    name = "churn-model"
    version = "0.1.0"
    requires-python = ">=3.11"
    dependencies = ["pandas>=2.2", "scikit-learn>=1.5"]
    ```
    ```python
    # src/churn/features.py
    import pandas as pd


    def tenure_years(df: pd.DataFrame) -> pd.Series:
        return df["tenure_months"] / 12
    ```
    ```python
    # tests/test_features.py
    import pandas as pd

    from churn.features import tenure_years


    def test_tenure_years():
        assert tenure_years(pd.DataFrame({"tenure_months": [24]})).tolist() == [2.0]
    ```
    ```ini
    # tox.ini
    [tox]
    env_list = py312

    [testenv]
    deps = pytest
    commands = pytest
    ```

    ## Use instead
    ```yaml
    # .github/workflows/ci.yml
    on: [push, pull_request]
    jobs:
      test:
        runs-on: ubuntu-24.04
        steps:
          - uses: actions/checkout@v4
          - uses: astral-sh/setup-uv@v6
          - run: uv sync --locked
          - run: uv run --locked pytest
    ```
    """

    code = "TF801"
    depends_on = ("@ci",)
    name = "no-continuous-integration"
    factor = 8
    severity = Severity.WARNING
    repo_kinds = frozenset({project_kind.APPLICATION, project_kind.LIBRARY, project_kind.TEMPLATE})
    summary = "No CI configuration"
    fix = "Add a CI workflow (e.g. .github/workflows/ci.yml) that installs the locked environment and runs the tests."

    def applies(self, repo: Repo) -> bool:
        # A generated stub (`uv init`'s hello-world `main.py`) or an exercise's empty
        # skeleton has nothing to check yet.
        return repo.has_python and not only_a_stub(repo)

    def check(self, repo: Repo) -> Iterator[Violation]:
        if ci_files(repo) or cloud_build_files(repo) or azure_pipeline_files(repo):
            return
        if repo.model.kind == project_kind.TEMPLATE and any(
            "{{" in path and ("/.github/workflows/" in path or path.endswith("/.gitlab-ci.yml"))
            for path in repo.by_path
        ):
            return  # the projects it generates carry their CI (`{{cookiecutter.name}}/.github/`)
        local = [name for name in ("tox.ini", "noxfile.py", "Makefile") if repo.has(name)]
        if len(local) == 1:
            also = f" ({local[0]} exists but nothing runs it on every change)"
        elif local:
            names = f"{', '.join(local[:-1])} and {local[-1]}"
            also = f" ({names} exist but nothing runs them on every change)"
        else:
            also = ""
        yield Violation(f"no CI configuration found{also}")
