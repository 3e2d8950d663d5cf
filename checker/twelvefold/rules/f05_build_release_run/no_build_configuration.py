"""TF501 no-build-configuration: no build configuration ([build-system], setup.py or Dockerfile)."""

from __future__ import annotations

from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule

#: Orchestrators that build the image each step runs in from the project's code.
_IMAGE_BUILDING_ORCHESTRATORS = frozenset({"zenml", "kfp", "metaflow", "flytekit", "sagemaker"})


class NoBuildConfiguration(RepoRule):
    """## What it does
    Reports a Python project with nothing that builds it into an artifact: no
    `[build-system]` table in any `pyproject.toml`, no `setup.py`, and no Dockerfile
    (or Containerfile).

    Applies to applications (services, pipelines) and libraries. Not to a DVC pipeline
    whose outputs are its release: a `dvc.yaml` with stages at the root and the
    `dvc.lock` that records them. `dvc repro` is its build, and the lock versions each
    artifact (data, model) by content hash with the code, parameters and inputs that
    produced it; the stage scripts are never installed or shipped on their own, so a
    wheel or an image of them would release nothing. Nor to an app deployed by a
    buildpack platform from its `Procfile` (Heroku, Dokku, Scalingo build the release
    from the requirements). Nor to a pipeline whose orchestrator
    builds each step's image itself (ZenML `DockerSettings`, Kubeflow components,
    Metaflow, Flyte, SageMaker): the orchestrator is its build. Nor to research scripts,
    courses, templates or competition solutions: nobody releases those as artifacts.

    ## Why is this bad?
    Without a build stage there is no versioned artifact (a wheel, an image) to release
    and run: production runs whatever happens to be checked out, installed by hand, and
    nobody can say which code a deployed model came from or roll back to the previous one.

    ## Example
    A training script, a service and a `requirements.txt`, nothing else:
    ```python
    # train.py
    import joblib
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    df = pd.read_parquet("data/customers.parquet")
    model = LogisticRegression(max_iter=1000).fit(df.drop(columns="churn"), df["churn"])
    joblib.dump(model, "model.joblib")
    ```
    ```python
    # serve.py
    import joblib
    from fastapi import FastAPI

    app = FastAPI()
    model = joblib.load("model.joblib")
    ```
    ```text
    # requirements.txt
    fastapi==0.115.0
    joblib==1.4.2
    pandas==2.2.3
    scikit-learn==1.5.2
    ```

    ## Use instead
    Make the project a package with a build backend:
    ```toml
    # pyproject.toml
    [project]
    name = "churn-model"
    version = "0.1.0"
    requires-python = ">=3.11"
    dependencies = ["fastapi>=0.115", "pandas>=2.2", "scikit-learn>=1.5"]

    [build-system]
    requires = ["hatchling"]
    build-backend = "hatchling.build"
    ```
    or describe the runtime image in a `Dockerfile` that installs the locked
    dependencies.
    """

    code = "TF501"
    # Opt-in (`Rule.default`): none of its 5 findings on 146 real repositories was worth fixing: scripts and notebooks repositories are run, not built.
    default = False
    depends_on = ("@manifests", "@dockerfiles", "/dvc.yaml", "/dvc.lock", "@code")
    facts = ("training",)
    name = "no-build-configuration"
    factor = 5
    severity = Severity.WARNING
    repo_kinds = frozenset({project_kind.APPLICATION, project_kind.LIBRARY})
    summary = "No build configuration ([build-system], setup.py or Dockerfile)"
    fix = "Add a [build-system] table to pyproject.toml (e.g. hatchling) or a Dockerfile that builds the release image."

    def applies(self, repo: Repo) -> bool:
        return repo.has_python

    def check(self, repo: Repo) -> Iterator[Violation]:
        if repo.named("setup.py") or repo.of_kind(kinds.DOCKERFILE):
            return
        if repo.has("Procfile"):
            return  # a buildpack platform (Heroku, Dokku, Scalingo) builds the release
        if _dvc_pipeline(repo):
            return
        if any(
            found.orchestrators & _IMAGE_BUILDING_ORCHESTRATORS
            for found in repo.facts("training").values()
        ):
            return  # the orchestrator packages each step into an image
        for entry in repo.named("pyproject.toml"):
            source = repo.source(entry.path)
            if source is not None and isinstance((source.toml or {}).get("build-system"), dict):
                return
        pyproject = next(iter(repo.named("pyproject.toml")), None)
        if pyproject is not None:
            yield Violation(
                f"{pyproject.path} has no [build-system] table and there is no Dockerfile: nothing builds a release artifact",
                path=pyproject.path,
            )
        else:
            yield Violation(
                "no build configuration: no pyproject.toml [build-system], setup.py or Dockerfile"
            )


def _dvc_pipeline(repo: Repo) -> bool:
    """Whether the repository is a DVC pipeline whose artifacts DVC versions: a root
    `dvc.yaml` with `stages` and the `dvc.lock` that records their outputs."""
    if not (repo.has("dvc.yaml") and repo.has("dvc.lock")):
        return False
    source = repo.source("dvc.yaml")
    data = source.yaml if source is not None and source.text is not None else None
    return isinstance(data, dict) and isinstance(data.get("stages"), dict) and bool(data["stages"])
