"""TF306 hyperparameters-without-config: hyperparameters fixed in training code and no
configuration for them."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from twelvefold import kinds
from twelvefold.detectors.pipeline_notebooks import (
    notebook_prototypes,
    notebooks_are_pipeline_steps,
)
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.project.roles import is_config_module
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule, fact
from twelvefold.rules._pyast import (
    constant_str,
    dotted,
    imported_modules,
    nodes,
    training_call,
)
from twelvefold.rules.f03_config._hyperparameters import (
    _CONFIG_CLASS,
    _GROUP_OF,
    _HYPERPARAMETER_BYTES,
    _INFERENCE_CALLS,
    _config_documents,
    _config_keys,
    _is_number,
    _is_zero,
)
from twelvefold.rules.f03_config._shared import (
    _callee,
)
from twelvefold.sources import SourceFile

# --- hyperparameters hard-coded with no configuration at all -------------------------------

#: A solver's convergence budget (`LogisticRegression(max_iter=1000)`) more often than a
#: tuned knob: compared with a config that defines it (TF304), not reported alone.
_NOT_TUNED = frozenset({"max_iter"})


#: Command line and config libraries: a training module that takes its knobs from one
#: (`typer.Option`, a JSON `--train-loop-config`) has a configuration, even if a
#: literal is left beside it.
_CONFIG_READERS = frozenset(
    {
        "argparse",
        "click",
        "typer",
        "fire",
        "absl",
        "hydra",
        "omegaconf",
        "ml_collections",
        "gin",
        "jsonargparse",
    }
)


@dataclass(frozen=True)
class ParameterBlock:
    """One call, parameter dict or run of module constants that fixes hyperparameters."""

    what: str  # "`RandomForestClassifier(...)`", "a parameter dict", "module constants"
    names: tuple[str, ...]  # the literals, as written (`n_estimators=500`)
    line: int | None
    cell: int | None
    cell_line: int | None


@fact("training-parameter-blocks", kinds=kinds.CODE_KINDS, prefilter=_HYPERPARAMETER_BYTES)
def training_parameter_blocks(file: SourceFile) -> tuple[ParameterBlock, ...] | None:
    """In an application's training code (a module or notebook that trains a model):
    each call given hyperparameters as numeric literals, each dict literal of two or more
    of them (a parameter grid), and each run of module-level constants naming two or more
    of them (`EPOCHS = 10`, `BATCH_SIZE = 32`)."""
    if (
        file.repo_kind != project_kind.APPLICATION
        or file.role not in role.PRODUCT
        or kinds.is_test_path(file.path)
        or is_config_module(file.path)
    ):
        return None
    python = file.python
    tree = python.tree if python is not None else None
    if python is None or tree is None:
        return None
    calls = nodes(tree, ast.Call)
    if not any(training_call(node, dotted(node.func)) for node in calls):
        return None  # not training code
    if imported_modules(tree) & _CONFIG_READERS:
        return None  # the knobs come from the command line or a config library

    def block(what: str, names: list[str], node: ast.AST) -> ParameterBlock:
        where = python.loc(getattr(node, "lineno", 0))
        return ParameterBlock(what, tuple(names), where.line, where.cell, where.cell_line)

    found: list[ParameterBlock] = []
    counted: set[int] = set()
    for node in calls:
        callee = _callee(node.func)
        if _CONFIG_CLASS.search(callee) or callee in ("dict", "add_argument", "get", "getenv"):
            continue  # building or reading the config itself
        if callee in _INFERENCE_CALLS:
            continue  # an inference batch (`model.predict(x, batch_size=128)`) trains nothing
        names = [
            ast.get_source_segment(python.text, keyword) or f"{keyword.arg}=..."
            for keyword in node.keywords
            if keyword.arg in _GROUP_OF
            and keyword.arg not in _NOT_TUNED
            and _is_number(keyword.value)
            and not (keyword.arg == "weight_decay" and _is_zero(keyword.value))
        ]
        if names:
            found.append(block(f"`{dotted(node.func) or callee}(...)`", names, node))
            counted.update(id(inner) for inner in ast.walk(node))
    for mapping in nodes(tree, ast.Dict):
        if id(mapping) in counted:
            continue
        names = [
            key
            for key, value in zip(map(constant_str, mapping.keys), mapping.values, strict=True)
            if key and key.lower() in _GROUP_OF and _is_numbers(value)
        ]
        if len(names) >= 2:
            found.append(block("a parameter dict", names, mapping))
    run: list[ast.stmt] = []
    for statement in [*tree.body, None]:
        name = _constant_name(statement)
        if name is not None:
            run.append(statement)  # type: ignore[arg-type]
            continue
        names = [_constant_name(item) or "" for item in run]
        if len(names) >= 2:
            texts = [
                ast.get_source_segment(python.text, item) or name
                for item, name in zip(run, names, strict=True)
            ]
            found.append(block("module constants", texts, run[0]))
        run = []
    return tuple(sorted(found, key=lambda b: b.line or 0)) or None


def _constant_name(statement: ast.stmt | None) -> str | None:
    """`EPOCHS = 10` / `lr: float = 1e-3` at module level: the hyperparameter it names."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target, value = statement.targets[0], statement.value
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        target, value = statement.target, statement.value
    else:
        return None
    if isinstance(target, ast.Name) and target.id.lower() in _GROUP_OF and _is_number(value):
        return target.id
    return None


def _is_numbers(node: ast.expr) -> bool:
    """A number, or a list/tuple of numbers (a grid's candidate values)."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return bool(node.elts) and all(_is_number(item) for item in node.elts)
    return _is_number(node)


def _defined_hyperparameters(repo: Repo, collected: Mapping[str, dict[str, Any]]) -> bool:
    """Whether the project configures any hyperparameter: a settings-class field or a
    key of a run configuration file (what TF304 compares literals with)."""
    if any(item["fields"] for item in collected.values()):
        return True
    for _, data in _config_documents(repo):
        if isinstance(data, dict) and any(
            isinstance(key, str) and key.lower() in _TRAINING_SECTIONS and isinstance(value, dict)
            for key, value in data.items()
        ):
            return True  # `{"training": {"alpha": 0.4}}`: the project's own parameters file
        if any(key in _GROUP_OF for key in _config_keys(data)):
            return True
    return False


#: Top-level sections of a configuration file that hold a run's training parameters,
#: whatever they are named inside (`alpha`, `C`, `gamma`...).
_TRAINING_SECTIONS = frozenset(
    {"training", "train", "hyperparameters", "hparams", "params", "model_params"}
)


class HyperparametersWithoutConfig(RepoRule):
    """## What it does
    Reports, in an application with no configuration for its hyperparameters at all,
    training code that fixes them as literals: one finding per call given numeric
    hyperparameters (`RandomForestClassifier(n_estimators=500, max_depth=8)`,
    `train_test_split(X, y, test_size=0.2)`, `model.fit(X, y, epochs=50,
    batch_size=32)`), per parameter dict or grid of two or more of them
    (`{"learning_rate": [0.01, 0.1], "n_estimators": [100, 300]}`), and per run of
    module constants naming two or more (`EPOCHS = 10`, `BATCH_SIZE = 32`). Training
    code is a module that trains a model (`.fit(X, y)`, `trainer.train()`,
    `loss.backward()`), or such a notebook beside the application's own package (a
    pipeline step, not a notebook-only analysis), unless a module of the package is
    reported too: the notebook is then where that code was tried before it moved into
    the package, and the finding belongs where the product runs it. `max_iter` (a solver's convergence
    budget) is left to TF304.

    Not reported: projects whose configuration defines any hyperparameter (a run config
    file, a settings class: `hard-coded-hyperparameter`, TF304, compares literals with
    it) or has a training section of its own (`{"training": {"alpha": 0.4}}` in a
    `parameters.json`), modules that take their knobs from a command line or config library
    (argparse, click, typer, fire, absl, Hydra, OmegaConf, ml_collections, gin), configuration modules, code that does not train,
    tests, and repositories other than applications (a library's example, a course's
    notebook, a research script fix their values on purpose).

    ## Why is this bad?
    The values that decide what a run trains change between runs. Written into the
    code, every experiment is a code edit, the tracked run does not know which values
    it used unless someone logs them by hand, and production retrains with whatever the
    last commit happened to hold.

    ## Example
    ```python
    # src/churn/train.py
    import pandas as pd
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.model_selection import train_test_split

    df = pd.read_parquet("data/customers.parquet")
    X, y = df.drop(columns="churn"), df["churn"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    model = GradientBoostingClassifier(n_estimators=300, learning_rate=0.05, max_depth=4)
    model.fit(X_train, y_train)
    ```

    ## Use instead
    ```yaml
    # params.yaml
    test_size: 0.2
    seed: 42
    model:
      n_estimators: 300
      learning_rate: 0.05
      max_depth: 4
    ```
    ```python
    # src/churn/train.py
    import pandas as pd
    import yaml
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.model_selection import train_test_split

    params = yaml.safe_load(open("params.yaml"))
    df = pd.read_parquet("data/customers.parquet")
    X, y = df.drop(columns="churn"), df["churn"]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=params["test_size"], random_state=params["seed"]
    )
    model = GradientBoostingClassifier(**params["model"])
    model.fit(X_train, y_train)
    ```
    """

    code = "TF306"
    depends_on = ("@code", "@config")
    name = "hyperparameters-without-config"
    factor = 3
    severity = Severity.WARNING
    preview = True  # new in this release: runs with --preview until it is stable
    roles = role.PRODUCT
    repo_kinds = frozenset({project_kind.APPLICATION})
    summary = "Hyperparameters fixed in training code and no configuration for them"
    fix = "Move the run's hyperparameters and split ratios to a config file (params.yaml) or settings object and read them from there."
    facts = ("training-parameter-blocks", "hyperparameter-literals")

    def check(self, repo: Repo) -> Iterator[Violation]:
        blocks = repo.facts("training-parameter-blocks")
        if not blocks or _defined_hyperparameters(repo, repo.facts("hyperparameter-literals")):
            return
        steps = notebooks_are_pipeline_steps(repo)
        # Notebooks that try what the package's own modules do are its prototypes:
        # the finding belongs in the code that runs (13 of 17 notebook findings of one
        # credit-risk platform judged NOISE, 4 FALSE).
        prototypes = notebook_prototypes(repo, blocks) if steps else set()
        for path, found in sorted(blocks.items()):
            if path.endswith(".ipynb") and (not steps or path in prototypes):
                continue  # exploration: a notebook-only repository's, or the package's
            for item in found:
                shown = ", ".join(f"`{name}`" for name in item.names[:4])
                more = f" and {len(item.names) - 4} more" if len(item.names) > 4 else ""
                yield Violation(
                    f"{item.what} fixes {shown}{more} in training code, and the project has no configuration for its hyperparameters",
                    path=path,
                    line=item.line,
                    cell=item.cell,
                    cell_line=item.cell_line,
                )
