"""Factor 11 - Reproducible, tracked, comparable training.

Partly organisational: a checker sees evidence of a pipeline and of tracking, or its
absence. Missing evidence is reported at `info`.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import FileRule, RepoRule, fact
from twelvefold.rules._pyast import (
    constant_str,
    dotted,
    imported_modules,
    nodes,
    training_call,
    walk,
)
from twelvefold.sources import SourceFile

_NOTEBOOK_RUNNERS = {
    "papermill": "papermill executes notebooks",
    "nbclient": "nbclient executes notebooks",
    "import_ipynb": "import_ipynb imports notebooks as modules",
    "ipynb": "the ipynb package imports notebooks as modules",
    "nbimporter": "nbimporter imports notebooks as modules",
}
_RUN_MAGIC = lazy_compile(r"^\s*(?:#\s*MAGIC\s+)?%run\s+(\S+\.ipynb)\b")
_EXECUTE_COMMAND = lazy_compile(
    r"\bjupyter\s+(?:nbconvert|execute)\b[^\n]*(?:--execute|execute)|\bpapermill\s+\S+\.ipynb"
)
_TOOLING = frozenset({"noxfile.py", "tasks.py", "conftest.py", "setup.py", "conf.py", "dodo.py"})


class NotebookRunByCode(FileRule):
    """## What it does
    Reports Python modules that import or execute notebooks: `papermill`, `nbclient`,
    nbconvert's `ExecutePreprocessor`, `jupyter nbconvert --execute` run through
    `subprocess`, `import_ipynb`/`ipynb.fs`/`nbimporter`, and `%run other.ipynb`
    (including `get_ipython().run_line_magic("run", ...)`). A runner the module calls is
    reported where it executes the notebook (`pm.execute_notebook(...)`), with the import
    as the related location; one only imported is reported at the import.

    Not reported: notebooks that `%run` other notebooks (exploration), tests (e.g.
    testbook, nbmake), build and docs tooling (`noxfile.py`, `docs/conf.py`), and
    nbformat/nbconvert used to read or export notebooks without running them.

    ## Why is this bad?
    A notebook is not a module: it has hidden state, no interface, no tests and no
    review-friendly diff. Production code that runs one inherits all of that, and a
    refactoring in the notebook silently changes the pipeline.

    ## Example
    ```python
    # src/churn/pipeline.py
    import papermill as pm

    pm.execute_notebook("notebooks/train.ipynb", "out.ipynb", parameters={"lr": 0.01})
    ```

    ## Use instead
    Move the code into a module (`src/churn/train.py`) with a function the pipeline
    calls, and keep the notebook for exploration, importing that module:
    ```python
    # src/churn/pipeline.py
    from churn.train import train

    train(lr=0.01)
    ```
    """

    code = "TF1101"
    name = "notebook-run-by-code"
    factor = 11
    severity = Severity.WARNING
    summary = "Production code imports or executes a notebook"
    fix = "Move the notebook's code into a module with a function the pipeline calls; keep notebooks for exploration."
    kinds = frozenset({kinds.PYTHON})
    prefilter = lazy_compile(rb"papermill|nbclient|ExecutePreprocessor|ipynb|nbimporter|nbconvert")

    def check(self, file: SourceFile) -> Iterator[Violation]:
        name = posixpath.basename(file.path)
        if (
            kinds.is_test_path(file.path)
            or name in _TOOLING
            or file.path.split("/")[0] in ("docs", "doc")
        ):
            return
        python = file.python
        tree = python.tree if python is not None else None
        if tree is None:
            for number, line in enumerate(file.lines, start=1):
                match = _RUN_MAGIC.match(line)
                if match:
                    yield Violation(
                        f"`%run {match.group(1)}` runs a notebook from a module", line=number
                    )
            return
        executions = _first_executions(tree)
        for node in walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                for module in modules:
                    top = module.split(".")[0]
                    if top in _NOTEBOOK_RUNNERS and (
                        top != "ipynb" or module.startswith("ipynb.fs")
                    ):
                        yield _at_execution(
                            f"imports `{module}`: {_NOTEBOOK_RUNNERS[top]}",
                            node,
                            executions.get(top),
                        )
                    if isinstance(node, ast.ImportFrom) and any(
                        a.name == "ExecutePreprocessor" for a in node.names
                    ):
                        yield _at_execution(
                            "imports nbconvert's `ExecutePreprocessor`, which executes notebooks",
                            node,
                            executions.get("ExecutePreprocessor"),
                        )
            elif isinstance(node, ast.Call):
                yield from self._call(node)
        for number, line in enumerate(file.lines, start=1):
            match = _RUN_MAGIC.match(line)
            if match:
                yield Violation(
                    f"`%run {match.group(1)}` runs a notebook from a module", line=number
                )

    def _call(self, node: ast.Call) -> Iterator[Violation]:
        name = dotted(node.func)
        if (
            name.endswith("run_line_magic")
            and len(node.args) >= 2
            and constant_str(node.args[0]) == "run"
        ):
            target = constant_str(node.args[1]) or ""
            if ".ipynb" in target:
                yield Violation(f"`%run {target}` runs a notebook from a module", line=node.lineno)
            return
        for argument in node.args[:1]:
            words: list[str] = []
            if constant_str(argument) is not None:
                words = [str(constant_str(argument))]
            elif isinstance(argument, (ast.List, ast.Tuple)):
                words = [
                    " ".join(
                        str(constant_str(e)) for e in argument.elts if constant_str(e) is not None
                    )
                ]
            for text in words:
                if _EXECUTE_COMMAND.search(text):
                    yield Violation(f"runs `{text[:70]}`: executes a notebook", line=node.lineno)


# The calls that run a notebook, by the import that provides them: the finding goes where
# the notebook is executed (what a reviewer changes), the import is the related place.
_EXECUTION_CALLS = {
    "papermill": frozenset({"execute_notebook"}),
    "nbclient": frozenset({"execute", "NotebookClient"}),
    "ExecutePreprocessor": frozenset({"preprocess", "ExecutePreprocessor"}),
}


def _first_executions(tree: ast.Module) -> dict[str, ast.Call]:
    """The first call of each runner's execution API, in source order."""
    first: dict[str, ast.Call] = {}
    for node in walk(tree):
        if isinstance(node, ast.Call):
            last = dotted(node.func).rpartition(".")[2]
            for runner, calls in _EXECUTION_CALLS.items():
                if last in calls:
                    known = first.get(runner)
                    if known is None or node.lineno < known.lineno:
                        first[runner] = node
    return first


def _at_execution(message: str, imported: ast.stmt, execution: ast.Call | None) -> Violation:
    if execution is None:
        return Violation(message, line=imported.lineno)
    call = dotted(execution.func) or "the call"
    return Violation(
        f"`{call}(...)` executes a notebook: {message} (see line {imported.lineno})",
        line=execution.lineno,
        column=execution.col_offset + 1,
        related=((imported.lineno, "the notebook runner is imported here"),),
    )


# ----------------------------------------------------------------------------- training


@dataclass(frozen=True)
class TrainingFacts:
    """Evidence of training and of tracking in one file."""

    training: tuple[int | None, int | None, int | None, str] | None  # line, cell, cell_line, what
    tracking: str | None
    pipeline: bool
    #: Every tracking use sits under `if FLAG:` with FLAG off by default here
    #: (`wandb_log = False`, `--track` as `store_true`): (flag, its line, how it is set).
    tracking_off: tuple[str, int | None, str] | None = None
    #: Names this file turns on (`wandb_log = True`, `use_mlflow: true` keys...).
    enables: frozenset[str] = frozenset()


_TRACKING_MODULES = frozenset(
    {
        "mlflow",
        "wandb",
        "dvclive",
        "dvc",
        "sacred",
        "neptune",
        "comet_ml",
        "clearml",
        "aim",
        "tensorboard",
        "tensorboardX",
        "guild",
        "polyaxon",
        "determined",
        "trackio",
        "swanlab",
        "mlrun",
        # Azure ML (SDK v1): `Run.get_context()` and `run.log(...)` record each run's
        # metrics in the workspace, and every submitted job is a run there.
        "azureml",
    }
)
#: `logkv`/`dumpkvs` (OpenAI baselines' logger, copied into many research repositories),
#: `record_tabular`/`log_tabular` (rllab, Spinning Up): they write each run's metrics to
#: a `progress.csv` in the run's folder, a metrics file as the rule accepts one.
_TRACKING_CALLS = lazy_compile(
    r"(?:^|\.)(?:SummaryWriter|log_metrics?|log_params?|log_hyperparams|TensorBoardLogger|CSVLogger|MLFlowLogger|"
    r"WandbLogger|CometLogger|NeptuneLogger|TensorBoard|TrainingArguments|Trainer|"
    r"logkvs?|logkv_mean|dumpkvs|record_tabular|dump_tabular|log_tabular)$"
)
_METRICS_FILE = lazy_compile(
    r"(?:metrics?|scores?|results?|eval\w*|runs?)[\w\-]*\.(?:json|jsonl|csv|ya?ml|tsv)$",
    re.IGNORECASE,
)
_PIPELINE_MODULES = frozenset(
    {
        "airflow",
        "prefect",
        "zenml",
        "metaflow",
        "kfp",
        "kedro",
        "dagster",
        "flytekit",
        "luigi",
        "sagemaker",
    }
)


@fact(
    "training",
    kinds=[kinds.PYTHON, kinds.NOTEBOOK],
    prefilter=lazy_compile(
        rb"\.fit\(|\.train\(|backward\(|mlflow|wandb|dvclive|sacred|neptune|comet_ml|clearml|aim|tensorboard|SummaryWriter|log_metric|Logger|metrics|scores|results|Trainer|airflow|prefect|zenml|metaflow|kfp|kedro|dagster|flytekit|luigi|sagemaker|track|azureml|logkv|dumpkvs|_tabular"
    ),
)
def training(file: SourceFile) -> TrainingFacts | None:
    python = file.python
    tree = python.tree if python is not None else None
    if python is None or tree is None:
        return None
    modules = imported_modules(tree)
    tracking: str | None = next(iter(sorted(modules & _TRACKING_MODULES)), None)
    if tracking is None and "torch" in modules and "tensorboard" in python.text:
        tracking = "tensorboard"
    found: tuple[int | None, int | None, int | None, str] | None = None
    test_code = kinds.is_test_path(file.path)
    inside_estimators = _estimator_method_nodes(tree)
    for node in walk(tree):
        text = constant_str(node) if isinstance(node, ast.Constant) else None
        if tracking is None and text and len(text) < 200 and _METRICS_FILE.search(text):
            tracking = f"writes {text}"
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func)
        if tracking is None and _TRACKING_CALLS.search(name):
            tracking = name
        if found is None and not test_code and id(node) not in inside_estimators:
            what = training_call(node, name)
            if what:
                where = python.loc(node.lineno)
                found = (where.line, where.cell, where.cell_line, what)
    pipeline = bool(modules & _PIPELINE_MODULES)
    enables = _enabled_flags(tree)
    if found is None and tracking is None and not pipeline and not enables:
        return None
    # A metrics file written by the module is tracking no flag turns off.
    writes_metrics = any(
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and len(node.value) < 200
        and _METRICS_FILE.search(node.value)
        for node in nodes(tree, ast.Constant)
    )
    off = (
        _tracking_off_by_default(tree, python)
        if tracking is not None and not writes_metrics
        else None
    )
    return TrainingFacts(found, tracking, pipeline, off, enables)


#: An estimator's own fitting methods: a `.fit` inside `class Encoder: def fit(self, X, y)`
#: fits a sub-estimator as part of the library's API, it is not a training run.
_ESTIMATOR_METHODS = frozenset({"fit", "partial_fit", "fit_transform", "fit_predict", "_fit"})


def _estimator_method_nodes(tree: ast.AST) -> set[int]:
    inside: set[int] = set()
    for cls in nodes(tree, ast.ClassDef):
        for method in cls.body:
            if (
                isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef))
                and method.name in _ESTIMATOR_METHODS
            ):
                inside.update(id(node) for node in ast.walk(method))
    return inside


#: A flag that turns tracking on: `wandb_log`, `use_mlflow`, `track`, `log_to_wandb`...
_TRACKING_FLAG = lazy_compile(
    r"(?:use_|enable_|log_to_|with_)?(?:wandb|mlflow|tensorboard|neptune|comet|clearml|aim|dvclive|track(?:ing)?)(?:_log(?:ging)?|_enabled)?|log_(?:wandb|mlflow)",
    re.IGNORECASE,
)


def _flag_name(test: ast.expr) -> list[str]:
    """The names a condition reads: `wandb_log`, `args.track`, `cfg.use_mlflow and rank == 0`."""
    names = []
    for node in ast.walk(test):
        if isinstance(node, ast.Name):
            names.append(node.id)
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
    return [name for name in names if _TRACKING_FLAG.fullmatch(name)]


def _off_defaults(tree: ast.Module) -> dict[str, tuple[int, str]]:
    """Tracking flags this module defaults to off: `wandb_log = False` (module level or a
    config class field), `parser.add_argument("--track", action="store_true")` or
    `default=False`."""
    found: dict[str, tuple[int, str]] = {}
    for node in walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            if isinstance(value, ast.Constant) and value.value is False:
                for target in targets:
                    name = target.id if isinstance(target, ast.Name) else None
                    if name and _TRACKING_FLAG.fullmatch(name):
                        found.setdefault(name, (node.lineno, f"`{name} = False`"))
        elif isinstance(node, ast.Call) and dotted(node.func).endswith("add_argument"):
            flags = [constant_str(arg) for arg in node.args]
            options = {k.arg: k.value for k in node.keywords if k.arg}
            action = constant_str(options.get("action"))
            default = options.get("default")
            off = action == "store_true" and default is None
            off = off or (isinstance(default, ast.Constant) and default.value is False)
            for flag in flags:
                name = (flag or "").lstrip("-").replace("-", "_")
                if off and flag and flag.startswith("--") and _TRACKING_FLAG.fullmatch(name):
                    found.setdefault(name, (node.lineno, f"`{flag}` off unless passed"))
    return found


def _enabled_flags(tree: ast.Module) -> frozenset[str]:
    """Tracking flags a module turns on (`wandb_log = True` in a config module)."""
    found: set[str] = set()
    for node in walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if isinstance(node.value, ast.Constant) and node.value.value is True:
                found.update(
                    t.id
                    for t in targets
                    if isinstance(t, ast.Name) and _TRACKING_FLAG.fullmatch(t.id)
                )
        elif (
            isinstance(node, ast.keyword)
            and node.arg
            and _TRACKING_FLAG.fullmatch(node.arg)
            and isinstance(node.value, ast.Constant)
            and node.value.value is True
        ):
            found.add(node.arg)
    return frozenset(found)


def _tracking_off_by_default(
    tree: ast.Module, python: object
) -> tuple[str, int | None, str] | None:
    """(flag, line, how) when every use of a tracker in the module is guarded by a flag
    the module itself defaults to off; None when a use is unguarded or the flag's
    default is set elsewhere."""
    off = _off_defaults(tree)
    if not off:
        return None
    guarded: set[int] = set()
    flags: set[str] = set()
    for node in walk(tree):
        if isinstance(node, (ast.If, ast.IfExp)):
            names = [name for name in _flag_name(node.test) if name in off]
            if names:
                flags.update(names)
                for child in node.body if isinstance(node, ast.If) else [node.body]:
                    guarded.update(id(inner) for inner in ast.walk(child))
    if not flags:
        return None
    # Calls are the uses: importing a tracker at the top of the module tracks nothing.
    for node in nodes(tree, ast.Call):
        if _tracker_call(node) and id(node) not in guarded:
            return None
    flag = sorted(flags, key=lambda name: off[name][0])[0]
    line, how = off[flag]
    return flag, python.loc(line).line, how  # type: ignore[attr-defined]


def _tracker_call(node: ast.Call) -> bool:
    name = dotted(node.func)
    return name.split(".")[0] in _TRACKING_MODULES or bool(_TRACKING_CALLS.search(name))


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
    Neptune, Comet, ClearML, Aim, Azure ML runs (`Run.get_context()`, `run.log`),
    TensorBoard (`SummaryWriter`, Lightning/Keras loggers), transformers' `Trainer`
    logging, `log_metric(s)`/`log_params` calls, a tabular run logger (OpenAI baselines'
    `logger.logkv`/`dumpkvs`, `record_tabular`/`log_tabular`, writing each run's
    `progress.csv`), nor a
    metrics file written by the code (`metrics.json`, `scores.csv`, `runs.jsonl`).
    Tests are not evidence of training, nor is an estimator class fitting its
    sub-estimators inside its own `fit` (a library's API, not a run). Missing evidence,
    so `info`.

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
    # A library trains for its users (their runs are tracked, not its own estimators).
    repo_kinds = frozenset({project_kind.APPLICATION, project_kind.RESEARCH, project_kind.COURSE})
    roles = role.PRODUCT
    summary = "Training with no experiment tracking anywhere in the project"
    fix = "Record each run's params and metrics (MLflow, DVC metrics + dvc.yaml, W&B, or a metrics.json per run)."
    facts = ("training",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        facts = repo.facts("training")
        if _repo_tracking(repo):
            return
        trained = sorted((path, found.training) for path, found in facts.items() if found.training)
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
    Python module that trains). Missing evidence, so `info`.

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
    summary = "Training only in notebooks, with no pipeline"
    fix = "Move training into a module with a CLI and declare the pipeline (dvc.yaml stages or a Makefile)."
    facts = ("training",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        facts = repo.facts("training")
        trained = sorted((path, found.training) for path, found in facts.items() if found.training)
        if not trained or any(not path.endswith(".ipynb") for path, _ in trained):
            return
        if repo.named(*_PIPELINE_FILES) or any(found.pipeline for found in facts.values()):
            return
        if any(
            entry.kind == kinds.PYTHON
            and re.search(r"train|pipeline", posixpath.basename(entry.path))
            and repo.model.role(entry.path) not in role.RUN_BY_HAND
            and not kinds.is_test_path(entry.path)
            for entry in repo.files
        ):
            return  # a training module exists; its fit may be indirect
        path, (line, cell, cell_line, what) = trained[0]
        count = len(trained)
        yield Violation(
            f"models are trained only in notebooks ({count} notebook{'s' if count > 1 else ''}; {what} here) and no pipeline re-runs them",
            path=path,
            line=line,
            cell=cell,
            cell_line=cell_line,
        )
