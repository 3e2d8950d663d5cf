"""The `hyperparameter-literals` fact (hyperparameters passed as literals in training
code, fields of settings classes) and the reading of configuration files that TF304
hard-coded-hyperparameter and TF306 hyperparameters-without-config share."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator
from typing import Any

from twelvefold import kinds
from twelvefold.discovery import FileEntry
from twelvefold.lazy_regex import lazy_compile
from twelvefold.repo import Repo
from twelvefold.rule import fact
from twelvefold.rules._pyast import (
    is_main_guard,
    walk,
)
from twelvefold.rules._pyast import keyword as keyword_of
from twelvefold.rules.f03_config._shared import (
    _callee,
)
from twelvefold.sources import SourceFile

# --- hyperparameters hard-coded next to a config that defines them -------------------------

# Synonyms share a group: `lr` in a YAML config and `learning_rate=` in code are one knob.
_HYPERPARAMETER_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "learning_rate lr",
        "epochs num_epochs n_epochs max_epochs nb_epoch",
        "n_estimators num_boost_round num_iterations num_trees",
        "max_depth",
        "num_leaves",
        "min_child_samples min_data_in_leaf",
        "min_child_weight",
        "subsample bagging_fraction",
        "colsample_bytree feature_fraction",
        "reg_alpha lambda_l1",
        "reg_lambda lambda_l2",
        "batch_size train_batch_size per_device_train_batch_size",
        "test_size test_split test_ratio",
        "val_size valid_size validation_split val_split",
        "weight_decay",
        "momentum",
        "dropout dropout_rate",
        "warmup_steps",
        "gradient_accumulation_steps",
        "max_iter",
        "hidden_size hidden_dim",
        "num_layers n_layers",
    )
)


_GROUP_OF = {name: index for index, group in enumerate(_HYPERPARAMETER_GROUPS) for name in group}


_HYPERPARAMETER_BYTES = lazy_compile(
    rb"\b(?:" + b"|".join(re.escape(n.encode()) for n in sorted(_GROUP_OF)) + rb")\s*[=:]"
)


_TRAINING_NAME = lazy_compile(r"train|fit|tune|experiment|sweep")


_CONFIG_SUFFIXES = (
    "Config|Settings|Params|Parameters|HParams|Hparams|Hyperparameters|Args|Arguments|Cfg"
)


_CONFIG_CLASS = lazy_compile(rf"(?:{_CONFIG_SUFFIXES})$")


#: The bytes of such a class's definition: `class TrainConfig`, `class Settings(`.
_CONFIG_CLASS_BYTES = lazy_compile(rf"class\s+[^\s(:]*(?:{_CONFIG_SUFFIXES})\b".encode())


#: YAML/TOML/JSON files that configure tools, not runs.
_TOOL_CONFIG = lazy_compile(
    r"(?:^|/)(?:\.github/|\.gitlab-ci|\.pre-commit|\.vscode/|\.devcontainer/|docker-compose|compose\.|dvc\.(?:yaml|lock)"
    r"|environment\.ya?ml|pyproject\.toml|[^/]*\.lock$|package(?:-lock)?\.json|tsconfig|mkdocs\.ya?ml|\.copier-answers"
    r"|codecov|renovate|\.readthedocs|Pipfile|\.?ruff\.toml|\.?mypy|pytest\.ini|\.?dependabot|conda-lock)"
)


_MAX_CONFIG_BYTES = 256 * 1024


#: Calls that use a trained model rather than train one, or process data in batches
#: (Ray Data's `map_batches`, `datasets.map(batched=True)`): their `batch_size=` is an
#: inference or processing batch, not a training hyperparameter.
_INFERENCE_CALLS = frozenset(
    {
        "map",
        "map_batches",
        "iter_batches",
        "iter_torch_batches",
        "predict",
        "predict_proba",
        "predict_on_batch",
        "evaluate",
        "transform",
        "generate",
        "encode",
        "inference",
    }
)


# The keyword regex is tested inside, after the cheaper test for training code or a
# settings class that most files fail.
@fact("hyperparameter-literals", kinds=(kinds.PYTHON,))
def hyperparameter_literals(file: SourceFile) -> dict[str, list[Any]] | None:
    """Numeric literals passed as hyperparameter keywords in training code, and the
    hyperparameter fields of settings classes (`class TrainConfig: lr: float = 0.1`)."""
    if kinds.is_test_path(file.path):
        return None
    training = (
        bool(_TRAINING_NAME.search(posixpath.basename(file.path)))
        or b".fit(" in file.data
        or b".backward(" in file.data
    )
    if not training and not _CONFIG_CLASS_BYTES.search(file.data):
        return None  # neither literals (training code only) nor a settings class: no parse
    if not _HYPERPARAMETER_BYTES.search(file.data):
        return None  # no `lr=` / `epochs:`...: no literal and no settings field
    python = file.python
    if python is None:
        return None
    if not (training and _NUMERIC_KEYWORD.search(python.text)) and not _may_have_fields(
        python.text
    ):
        return None  # no `lr=0.1` to report, no field of a settings class: no parse
    if python.tree is None:
        return None
    literals: list[list[str | int]] = []  # [keyword, source text, line, column]
    # Lines of the `if __name__ == "__main__":` blocks: a convenience call there
    # (`train(epochs=10)`) is not the pipeline's configuration path.
    main_blocks = [
        [statement.lineno, statement.end_lineno or statement.lineno]
        for statement in python.tree.body
        if is_main_guard(statement)
    ]
    fields: list[str] = []
    parents: dict[int, ast.AST] | None = None
    for node in walk(python.tree):
        if isinstance(node, ast.ClassDef) and _CONFIG_CLASS.search(node.name):
            for statement in node.body:
                target: ast.expr | None = (
                    statement.target if isinstance(statement, ast.AnnAssign) else None
                )
                if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                    target = statement.targets[0]
                if isinstance(target, ast.Name) and target.id.lower() in _GROUP_OF:
                    fields.append(target.id.lower())
        elif training and isinstance(node, ast.Call):
            callee = _callee(node.func)
            if _CONFIG_CLASS.search(callee) or callee in (
                "dict",
                "add_argument",
                "set_defaults",  # `parser.set_defaults(epochs=10)`: a command-line default
                "get",
                "getenv",
            ):
                continue  # building or reading the config itself
            if callee in _INFERENCE_CALLS:
                continue  # `model.predict(x, batch_size=128)` trains nothing
            shuffle = keyword_of(node, "shuffle")
            unshuffled = (
                shuffle is not None
                and isinstance(shuffle.value, ast.Constant)
                and shuffle.value.value is False
            )
            for keyword in node.keywords:
                if keyword.arg in _GROUP_OF and _is_number(keyword.value):
                    if keyword.arg == "batch_size" and unshuffled:
                        continue  # `DataLoader(..., shuffle=False)`: an evaluation or inference loader
                    if keyword.arg == "weight_decay" and _is_zero(keyword.value):
                        if parents is None:
                            parents = {
                                id(child): parent
                                for parent in walk(python.tree)
                                for child in ast.iter_child_nodes(parent)
                            }
                        if _in_parameter_group(node, parents):
                            continue  # the deliberate no-decay group (biases, norms)
                    text = ast.get_source_segment(python.text, keyword) or f"{keyword.arg}=..."
                    literals.append(
                        [
                            keyword.arg,
                            text,
                            keyword.lineno,
                            keyword.col_offset + 1,
                        ]
                    )
    if not literals and not fields:
        return None
    return {"literals": literals, "fields": fields, "main": main_blocks}


_NAMES = "|".join(sorted(_GROUP_OF, key=lambda name: (-len(name), name)))


#: A hyperparameter keyword given a number (`lr=1e-3`, `epochs = (10)`, `momentum=-0.9`,
#: the number on the next line or after a backslash): what `_is_number` accepts, as written.
_NUMERIC_KEYWORD = lazy_compile(rf"\b(?:{_NAMES})[ \t]*=(?!=)(?:[\s(+\\-]|#[^\n]*)*\.?\d")


#: A class statement and the rest of its line.
_CLASS_LINE = lazy_compile(r"^([ \t]*)class[ \t]+(\w+)([^\n]*)", re.MULTILINE)


#: The first statement line after a class statement: its indentation is the body's.
_BODY_LINE = lazy_compile(r"^([ \t]*)[^ \t\n#]", re.MULTILINE)


def _may_have_fields(text: str) -> bool:
    """Whether a settings class (`class TrainConfig:`) may define a hyperparameter field,
    from the text: a line at its body's indentation that starts `lr =` or `epochs:`. A
    field is a statement of the body, so it is written at that indentation; a line
    there that is not (a string's, another class's) only costs a parse. One search per
    body indentation, so a file of many classes is read a few times, not once each."""
    if "\f" in text:
        return True  # a form feed resets the indentation: not judged here
    starts: dict[str, int] = {}  # body indentation -> the first class with it
    for header in _CLASS_LINE.finditer(text):
        if not _CONFIG_CLASS.search(header.group(2)):
            continue
        rest = header.group(3)
        colon = rest.rfind(":")
        if (
            colon >= 0
            and rest[colon + 1 :].strip()
            and not rest[colon + 1 :].lstrip().startswith("#")
        ):
            return True  # `class Config: lr = 0.1`, on one line
        body = _BODY_LINE.search(text, header.end())
        if body is None or len(body.group(1)) <= len(header.group(1)):
            continue
        starts.setdefault(body.group(1), body.start())
    for indent, start in starts.items():
        field = re.compile(rf"^{re.escape(indent)}(?i:{_NAMES})[ \t]*(?::|=(?!=))", re.MULTILINE)
        if field.search(text, start):
            return True
    return False


def _is_number(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
    )


def _is_zero(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == 0


def _in_parameter_group(call: ast.Call, parents: dict[int, ast.AST]) -> bool:
    """Whether a call builds one optimizer parameter group: an element of a list of
    groups (`[dict(params=decay), Group(params=no_decay, weight_decay=0.0)]`) or the
    argument of `optimizer.add_param_group(...)`."""
    parent = parents.get(id(call))
    if isinstance(parent, (ast.List, ast.Tuple)):
        return True
    return (
        isinstance(parent, ast.Call)
        and call in parent.args
        and _callee(parent.func) == "add_param_group"
    )


def _config_keys(data: object, depth: int = 0) -> Iterator[str]:
    if depth > 6:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield key.strip().lower().replace("-", "_")
            yield from _config_keys(value, depth + 1)
    elif isinstance(data, list):
        for item in data[:200]:
            yield from _config_keys(item, depth + 1)


def _config_documents(repo: Repo) -> Iterator[tuple[FileEntry, Any]]:
    """The project's own YAML, TOML and JSON configuration files, parsed (JSON is YAML):
    not tool settings, not tests, not over the size limit."""
    for entry in repo.of_kind(kinds.YAML, kinds.TOML, kinds.JSON):
        if (
            entry.size > _MAX_CONFIG_BYTES
            or _TOOL_CONFIG.search(entry.path)
            or kinds.is_test_path(entry.path)
        ):
            continue
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        yield entry, source.toml if entry.kind == kinds.TOML else source.yaml
