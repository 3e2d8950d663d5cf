"""The `training` fact (evidence of training, of experiment tracking and of a pipeline
in a module) that TF1102 no-experiment-tracking and TF1103 training-only-in-notebooks
both read."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.rule import fact
from twelvefold.rules._pyast import (
    constant_str,
    dotted,
    imported_modules,
    nodes,
    training_call,
    walk,
)
from twelvefold.sources import SourceFile

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
    #: The orchestration frameworks the file imports (`zenml`, `kfp`, `metaflow`...).
    orchestrators: frozenset[str] = frozenset()


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
        # ZenML versions every step's outputs and records `log_metadata(...)` per run.
        "zenml",
    }
)


#: `logkv`/`dumpkvs` (OpenAI baselines' logger, copied into many research repositories),
#: `record_tabular`/`log_tabular` (rllab, Spinning Up): they write each run's metrics to
#: a `progress.csv` in the run's folder, a metrics file as the rule accepts one.
_TRACKING_CALLS = lazy_compile(
    r"(?:^|\.)(?:SummaryWriter|log_metrics?|log_params?|log_hyperparams|TensorBoardLogger|CSVLogger|MLFlowLogger|LoggingToFile|"
    r"WandbLogger|CometLogger|NeptuneLogger|TensorBoard|TrainingArguments|Trainer|"
    r"logkvs?|logkv_mean|dumpkvs|record_tabular|dump_tabular|log_tabular|log_metadata)$"
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
    return TrainingFacts(
        found, tracking, pipeline, off, enables, frozenset(modules & _PIPELINE_MODULES)
    )


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
    # The typed node lists the module's other facts already built: no walk of its own.
    assignments: list[ast.Assign | ast.AnnAssign] = [
        *nodes(tree, ast.Assign),
        *nodes(tree, ast.AnnAssign),
    ]
    for node in assignments:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if isinstance(node.value, ast.Constant) and node.value.value is True:
            found.update(
                t.id for t in targets if isinstance(t, ast.Name) and _TRACKING_FLAG.fullmatch(t.id)
            )
    for item in nodes(tree, ast.keyword):
        if (
            item.arg
            and isinstance(item.value, ast.Constant)
            and item.value.value is True
            and _TRACKING_FLAG.fullmatch(item.arg)
        ):
            found.add(item.arg)
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
