"""TF1102 no-experiment-tracking: training with no experiment tracking anywhere in the project."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from twelvefold import kinds
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule
from twelvefold.rules.f11_training._training import (
    TrainingFacts,
)


def _repo_tracking(repo: Repo) -> str | None:
    """Tracking configured outside Python code: DVC metrics/params, MLflow projects."""
    for entry in repo.named("dvc.yaml", "MLproject", "dvclive.yaml"):
        return entry.path
    if any(entry.path.startswith(".dvc/") for entry in repo.files):
        return ".dvc/"
    return None


class NoExperimentTracking(RepoRule):
    """## What it does
    Reports a project that trains models (`model.fit(X, y)`, `trainer.fit(...)`,
    `trainer.train()`, `lgb.train(...)`, a torch loop's `loss.backward()`) but shows no
    experiment tracking anywhere: no MLflow, W&B, DVC (`dvc.yaml`, dvclive), Sacred,
    Neptune, Comet, ClearML, Aim, Hopsworks' model registry, Azure ML runs (`Run.get_context()`, `run.log`),
    TensorBoard (`SummaryWriter`, Lightning/Keras loggers, a LightningModule's
    `save_hyperparameters()` for the trainer's default logger), transformers' `Trainer`
    logging, `log_metric(s)`/`log_params` calls, a tabular run logger (OpenAI baselines'
    `logger.logkv`/`dumpkvs`, `record_tabular`/`log_tabular`, writing each run's
    `progress.csv`), nor a
    metrics file written by the code (`metrics.json`, `scores.csv`, `runs.jsonl`).
    Tests are not evidence of training, nor is an estimator class fitting its
    sub-estimators inside its own `fit` (a library's API, not a run). Training is looked
    for in the package and notebooks; tracking anywhere in the project's own code counts,
    its scripts included (a `scripts/tune.py` logging each trial to MLflow). Missing
    evidence, so `info`.

    In an application, tracking that is off by default counts as none: every use of the
    tracker sits under `if FLAG:` where the module defaults the flag to off
    (`wandb_log = False`, `parser.add_argument("--track", action="store_true")`) and
    no module or config file of the project turns it on (`wandb_log = True`,
    `use_mlflow: true`). The finding is on the flag's default.

    ## Why is this bad?
    Without a record of each run's parameters, data version and metrics, runs cannot be
    compared, the best model cannot be traced back to the code and data that produced
    it, and "which settings gave 0.91 last week?" has no answer.

    ## Example
    The training script fits the model and prints the accuracy:
    ```python
    # src/churn/train.py
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import train_test_split

    df = pd.read_parquet("data/customers.parquet")
    X_train, X_test, y_train, y_test = train_test_split(
        df.drop(columns="churn"), df["churn"], random_state=0
    )
    model = RandomForestClassifier(random_state=0)
    model.fit(X_train, y_train)
    print("accuracy", model.score(X_test, y_test))
    ```

    ## Use instead
    ```python
    # src/churn/train.py
    import mlflow
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import train_test_split

    df = pd.read_parquet("data/customers.parquet")
    X_train, X_test, y_train, y_test = train_test_split(
        df.drop(columns="churn"), df["churn"], random_state=0
    )
    params = {"n_estimators": 300, "random_state": 0}
    with mlflow.start_run():
        mlflow.log_params(params)
        model = RandomForestClassifier(**params)
        model.fit(X_train, y_train)
        mlflow.log_metrics({"accuracy": model.score(X_test, y_test)})
    ```
    or write `metrics.json` and declare it in `dvc.yaml` (`dvc exp show` compares runs).
    """

    code = "TF1102"
    depends_on = ("@code", "@manifests", "MLproject", "dvc.yaml")
    name = "no-experiment-tracking"
    factor = 11
    severity = Severity.INFO
    # A library trains for its users (their runs are tracked, not its own estimators); a
    # paper's or a competition's frozen release publishes its logs, nobody adds a tracker;
    # a course's notebooks are the lesson, each run read where it is printed.
    repo_kinds = frozenset({project_kind.APPLICATION})
    # Scripts too: a tuning script that logs each trial to MLflow (`scripts/tune.py`) is
    # the project's tracking; training is asked of the product only (below).
    roles = role.OWN_CODE
    summary = "Training with no experiment tracking anywhere in the project"
    fix = "Record each run's params and metrics (MLflow, DVC metrics + dvc.yaml, W&B, or a metrics.json per run)."
    facts = ("training",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        facts = repo.facts("training")
        if _repo_tracking(repo):
            return
        trained = sorted(
            (path, found.training)
            for path, found in facts.items()
            if found.training and repo.model.role(path) in role.PRODUCT
        )
        if not trained:
            return
        tracked = [(path, found) for path, found in facts.items() if found.tracking]
        if tracked:
            yield from self._off_by_default(repo, facts, tracked, trained)
            return
        path, (line, cell, cell_line, what) = trained[0]
        others = (
            f" (and {len(trained) - 1} more file{'s' if len(trained) > 2 else ''})"
            if len(trained) > 1
            else ""
        )
        yield Violation(
            f"{what} trains a model{others}, but no run's params or metrics are tracked anywhere",
            path=path,
            line=line,
            cell=cell,
            cell_line=cell_line,
        )

    def _off_by_default(
        self,
        repo: Repo,
        facts: Mapping[str, TrainingFacts],
        tracked: list[tuple[str, TrainingFacts]],
        trained: list[tuple[str, tuple[int | None, int | None, int | None, str]]],
    ) -> Iterator[Violation]:
        """In an application, tracking that only runs when someone turns a flag on is
        tracking most runs skip."""
        if repo.model.kind != project_kind.APPLICATION:
            return
        if any(found.tracking_off is None for _, found in tracked):
            return
        enabled: set[str] = set()
        for found in facts.values():
            enabled |= found.enables
        offs = sorted((path, found.tracking_off) for path, found in tracked if found.tracking_off)
        if any(flag in enabled or _config_enables(repo, flag) for _, (flag, _, _) in offs):
            return  # a config or a module turns it on
        path, (flag, line, how) = offs[0]
        tool = next(found.tracking for p, found in tracked if p == path)
        where, (_, _, _, what) = trained[0]
        yield Violation(
            f"experiment tracking ({tool}) is off by default ({how}) and nothing turns it on: "
            f"runs of {what} in `{where}` are not tracked",
            path=path,
            line=line,
            fix=f"Track every run: turn `{flag}` on by default (or in the config the pipeline runs with).",
        )


#: Config files a tracking flag may be turned on in.
_CONFIG_KINDS = (kinds.YAML, kinds.TOML, kinds.INI, kinds.JSON)


def _config_enables(repo: Repo, flag: str) -> bool:
    """A YAML/TOML/INI/JSON config of the project's own sets `flag` to true."""
    pattern = re.compile(rf"""(?im)^\s*["']?{re.escape(flag)}["']?\s*[:=]\s*(?:true|yes|on|1)\b""")
    for entry in repo.of_kind(*_CONFIG_KINDS):
        if repo.model.role(entry.path) not in role.OWN_CODE or entry.size > 256 * 1024:
            continue
        source = repo.source(entry.path)
        if source is not None and source.text and pattern.search(source.text):
            return True
    return False
