"""TF1103 training-only-in-notebooks: training only in notebooks, with no pipeline."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule

_PIPELINE_FILES = (
    "dvc.yaml",
    "Makefile",
    "makefile",
    "GNUmakefile",
    "MLproject",
    "justfile",
    "Justfile",
    "Snakefile",
    "kedro.yml",
)


class TrainingOnlyInNotebooks(RepoRule):
    """## What it does
    Reports a project whose model training happens only in notebooks: every file that
    trains (`.fit(X, y)`, `trainer.train()`, `loss.backward()`) is an `.ipynb`, and
    there is no pipeline to re-run it (no `dvc.yaml`, `Makefile`, `MLproject`,
    `Snakefile`, workflow framework such as Airflow, Prefect, Kedro or ZenML, and no
    Python module that trains). Missing evidence, so `info`. Not reported in a course or
    a research repository: their notebooks are what they teach or record; nor in a
    library, which ships code, not a trained model (its notebooks demonstrate the API).

    ## Why is this bad?
    A notebook's result depends on which cells ran, in which order, with which kernel
    state. Retraining the production model then means a person re-running cells by hand,
    and nobody can be sure they get the same model.

    ## Example
    The notebook fits the model and pickles it; the repository has no training module and
    no pipeline definition:
    ```python
    # notebooks/03-model.ipynb
    import joblib
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier

    df = pd.read_parquet("../data/customers.parquet")
    model = RandomForestClassifier(random_state=0).fit(df.drop(columns="churn"), df["churn"])
    joblib.dump(model, "../models/model.joblib")
    ```

    ## Use instead
    Move the training into a module (`src/churn/train.py`) with a CLI, and declare the
    steps in `dvc.yaml` (or a Makefile); keep the notebook for exploration:
    ```python
    # src/churn/train.py
    import argparse

    import joblib
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier


    def main() -> None:
        parser = argparse.ArgumentParser()
        parser.add_argument("--data", required=True)
        parser.add_argument("--out", required=True)
        args = parser.parse_args()
        df = pd.read_parquet(args.data)
        model = RandomForestClassifier(random_state=0).fit(df.drop(columns="churn"), df["churn"])
        joblib.dump(model, args.out)


    if __name__ == "__main__":
        main()
    ```
    ```yaml
    # dvc.yaml
    stages:
      train:
        cmd: python -m churn.train --data data/customers.parquet --out models/model.joblib
        deps: [src/churn/train.py, data/customers.parquet]
        outs: [models/model.joblib]
    ```
    """

    code = "TF1103"
    depends_on = ("@code", *_PIPELINE_FILES)
    name = "training-only-in-notebooks"
    factor = 11
    severity = Severity.INFO
    # A course teaches with notebooks: training in them is the lesson, not a pipeline.
    # A course teaches in its notebooks; a paper's demo notebooks or a notebook-only
    # study are its record: training there is what they are (judged NOISE every time).
    # A library ships code, not a trained model: its notebooks demonstrate the API on
    # a toy model (micrograd's `demo.ipynb`).
    repo_kinds = frozenset(project_kind.KINDS) - {
        project_kind.COURSE,
        project_kind.RESEARCH,
        project_kind.LIBRARY,
    }
    summary = "Training only in notebooks, with no pipeline"
    fix = "Move training into a module with a CLI and declare the pipeline (dvc.yaml stages or a Makefile)."
    facts = ("training",)

    def reads_facts(self, repo: Repo) -> bool:
        # A pipeline file or a training module, known from the file names alone, settles
        # it: no module is parsed for this rule (a library with a `trainer.py`).
        return not _pipeline_or_training_module(repo)

    def check(self, repo: Repo) -> Iterator[Violation]:
        facts = repo.facts("training")
        trained = sorted((path, found.training) for path, found in facts.items() if found.training)
        if not trained or any(not path.endswith(".ipynb") for path, _ in trained):
            return
        if any(found.pipeline for found in facts.values()) or _pipeline_or_training_module(repo):
            return
        path, (line, cell, cell_line, what) = trained[0]
        count = len(trained)
        yield Violation(
            f"models are trained only in notebooks ({count} notebook{'s' if count > 1 else ''}; {what} here) and no pipeline re-runs them",
            path=path,
            line=line,
            cell=cell,
            cell_line=cell_line,
        )


def _pipeline_or_training_module(repo: Repo) -> bool:
    """A pipeline definition (`dvc.yaml`, a Makefile), or a Python module named for
    training or a pipeline that is run as part of the project (its fit may be indirect)."""
    return bool(repo.named(*_PIPELINE_FILES)) or any(
        entry.kind == kinds.PYTHON
        and re.search(r"train|pipeline", posixpath.basename(entry.path))
        and repo.model.role(entry.path) not in role.RUN_BY_HAND
        and not kinds.is_test_path(entry.path)
        for entry in repo.files
    )
