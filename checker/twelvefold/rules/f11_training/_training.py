"""The `training` fact (evidence of training, of experiment tracking and of a pipeline
in a module) that TF1102 no-experiment-tracking and TF1103 training-only-in-notebooks
both read."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.pattern_sets import PatternSetPrefilter
from twelvefold.rule import fact
from twelvefold.rules._code_text import LINE_BREAK, SPACE, TOKEN_START, alternatives
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
        # Hopsworks' model registry records each model's metrics (`create_model(metrics=)`).
        "hopsworks",
        "hsml",
    }
)


#: `logkv`/`dumpkvs` (OpenAI baselines' logger, copied into many research repositories),
#: `record_tabular`/`log_tabular` (rllab, Spinning Up): they write each run's metrics to
#: a `progress.csv` in the run's folder, a metrics file as the rule accepts one.
_TRACKING_CALL_NAMES = (
    "SummaryWriter",
    "log_metric",
    "log_metrics",
    "log_param",
    "log_params",
    "log_hyperparams",
    "TensorBoardLogger",
    "CSVLogger",
    "MLFlowLogger",
    "LoggingToFile",
    "WandbLogger",
    "CometLogger",
    "NeptuneLogger",
    "TensorBoard",
    "TrainingArguments",
    "Trainer",
    "logkv",
    "logkvs",
    "logkv_mean",
    "dumpkvs",
    "record_tabular",
    "dump_tabular",
    "log_tabular",
    "log_metadata",
    # A LightningModule recording its hyperparameters for the trainer's logger, which
    # by default writes each run's params and `self.log` metrics to `lightning_logs/`.
    "save_hyperparameters",
)
#: A call whose last name is one of these.
_TRACKING_CALLS = lazy_compile(rf"(?:^|\.)(?:{'|'.join(_TRACKING_CALL_NAMES)})$")


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


#: The tools a tracking flag names (`use_wandb`, `MLFLOW_ENABLED`), besides `track`.
_TRACKING_FLAG_TOOLS = (
    "wandb",
    "mlflow",
    "tensorboard",
    "neptune",
    "comet",
    "clearml",
    "aim",
    "dvclive",
)


#: The literals the fact was filtered on until now: a file with none of them was never
#: read. Kept as an outer bound of the code test below, so that it only drops files that
#: gave no fact (not, say, one whose only tracking is `import guild`, which this list
#: misses).
_EARLIER_LITERALS = (
    b".fit(",
    b".train(",
    b"backward(",
    b"mlflow",
    b"wandb",
    b"dvclive",
    b"sacred",
    b"neptune",
    b"comet_ml",
    b"clearml",
    b"aim",
    b"tensorboard",
    b"SummaryWriter",
    b"log_metric",
    b"Logger",
    b"metrics",
    b"scores",
    b"results",
    b"Trainer",
    b"airflow",
    b"prefect",
    b"zenml",
    b"metaflow",
    b"kfp",
    b"kedro",
    b"dagster",
    b"flytekit",
    b"luigi",
    b"sagemaker",
    b"track",
    b"azureml",
    b"hopsworks",
    b"hsml",
    b"logkv",
    b"dumpkvs",
    b"_tabular",
    b"save_hyperparameters",
)

#: The `.` before a method's name (`model.fit`): space, a comment or a line continuation
#: may come between (in a notebook's JSON also the end of one line and the start of the
#: next: `\\n",` and `"`).
_ATTRIBUTE = rb"\.(?:[ \t\n\r\f\v\",]|#[^\n]*|" + LINE_BREAK + rb")*"
#: What follows a called name in code: its call's `(`, a comment or a line continuation
#: first maybe (a backslash: also a line break in a notebook's JSON). Prose ("the
#: Trainer class") has a word after the name instead.
_CALLED = SPACE + rb"(?:[(#]|" + LINE_BREAK + rb")"
#: What follows a module's name in an import: its end (`,`, `;`, a line break, `"` at
#: the end of a notebook's line), `.`, `as` or `import`. Not a word ("we aim to").
_IMPORTED = rb"[ \t\f\v]*(?:[.,;#\\\n\r\"]|as\b|import\b|$)"


#: One test each, matched in one pass (a file's every path to a fact needs one of them):
_TRAINING_CODE = {
    "imports": TOKEN_START + alternatives(_TRACKING_MODULES | _PIPELINE_MODULES) + _IMPORTED,
    # torch's SummaryWriter, found by the word anywhere in the code
    "tensorboard": rb"tensorboard",
    "tracking calls": TOKEN_START + alternatives(_TRACKING_CALL_NAMES) + _CALLED,
    # a string constant the metrics file pattern finds: between the word and the
    # extension only name characters (in any script, or escaped in a notebook's JSON),
    # or the quotes, space and line ends of adjacent literals (`"eval_results" ".json"`)
    "metrics file": rb"(?i)(?:metric|score|result|eval|run)[\w\x80-\xff\\\-\"', \t\n\r\f\v]*\."
    rb"(?:json|csv|ya?ml|tsv)",
    # what `training_call` accepts: `.fit(...)`; `.train()` on a trainer or a boosting
    # library; `.backward()` of a loss
    "fit": _ATTRIBUTE + rb"fit" + _CALLED,
    "train": _ATTRIBUTE + rb"train" + _CALLED,
    "trainer": rb"(?i)trainer",
    "boosting": alternatives(("lgb", "lightgbm", "xgb")),
    "backward": _ATTRIBUTE + rb"backward" + _CALLED,
    "loss": rb"(?i)loss",
    # a tracking flag set to True (`use_WandB = True`, `track=True`): a whole name as
    # `_TRACKING_FLAG` takes it, in any case, before `=` or `:` (`x: bool = True`)
    "flag": rb"(?i)"
    + TOKEN_START
    + rb"(?:use_|enable_|log_to_|with_|log_)?"
    + alternatives((*_TRACKING_FLAG_TOOLS, "track", "tracking"))
    + rb"(?:_log|_logging|_enabled)?"
    + SPACE
    + rb"(?:[=:)#]|"
    + LINE_BREAK
    + rb")",
    "True": rb"True",
    "earlier": alternatives(literal.decode() for literal in _EARLIER_LITERALS),
}


#: A Lightning logger named by its import path, for a config-driven `instantiate`
#: (latent-diffusion's default `"target": "pytorch_lightning.loggers.TestTubeLogger"`).
_LOGGER_TARGET = lazy_compile(r"(?:pytorch_)?lightning(?:\.pytorch)?\.loggers\.\w+Logger")


def _may_have_training(found: set[str]) -> bool:
    direct = not found.isdisjoint(
        {"imports", "tensorboard", "tracking calls", "metrics file", "fit"}
    )
    train = "train" in found and not found.isdisjoint({"trainer", "boosting"})
    backward = {"backward", "loss"} <= found
    flag = {"flag", "True"} <= found
    return (direct or train or backward or flag) and "earlier" in found


_TRAINING_PREFILTER = PatternSetPrefilter(_TRAINING_CODE, _may_have_training, _EARLIER_LITERALS)


@fact(
    "training",
    kinds=[kinds.PYTHON, kinds.NOTEBOOK],
    prefilter=_TRAINING_PREFILTER,
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
        if tracking is None and text and len(text) < 200:
            if _METRICS_FILE.search(text):
                tracking = f"writes {text}"
            elif _LOGGER_TARGET.fullmatch(text):
                tracking = text  # a config's `"target": "pytorch_lightning.loggers.WandbLogger"`
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
    rf"(?:use_|enable_|log_to_|with_)?(?:{'|'.join(_TRACKING_FLAG_TOOLS)}|track(?:ing)?)(?:_log(?:ging)?|_enabled)?|log_(?:wandb|mlflow)",
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
