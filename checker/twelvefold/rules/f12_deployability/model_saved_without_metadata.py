"""TF1204 model-saved-without-metadata: model saved to a fixed file name with no version
or metadata.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule, fact
from twelvefold.rules._pyast import (
    constant_str,
    dotted,
    import_aliases,
    imported_modules,
    innermost,
    nodes,
    qualified,
)
from twelvefold.sources import SourceFile

_SAVERS = {
    "joblib.dump": 1,
    "pickle.dump": 1,
    "dill.dump": 1,
    "cloudpickle.dump": 1,
    "torch.save": 1,
    "skops.io.dump": 1,
}
_SAVER_METHODS = frozenset(name.rsplit(".", 1)[-1] for name in _SAVERS)
_REGISTRY_SAVES = ("save_pretrained", "push_to_hub", "log_model", "save_model")


def _may_save(method: str) -> bool:
    return method in _SAVER_METHODS or method.endswith(_REGISTRY_SAVES)


_MODEL_SUFFIX = lazy_compile(
    r"\.(?:pkl|pickle|joblib|pt|pth|h5|keras|sav|model|onnx|ckpt|bin|cbm|ubj|safetensors)$",
    re.IGNORECASE,
)
_VERSIONED_STORES = frozenset(
    {"mlflow", "bentoml", "wandb", "clearml", "neptune", "comet_ml", "huggingface_hub", "skops"}
)
_METADATA_WORD = lazy_compile(
    r"metadata|version|model_card|modelcard|manifest|\bmeta\b", re.IGNORECASE
)


@dataclass(frozen=True)
class ModelSaves:
    #: line, cell, cell_line, call, and how many more saves the same function (or cell,
    #: or module body) makes: a scaler dumped next to the model is fixed with it.
    saves: tuple[tuple[int | None, int | None, int | None, str, int], ...]
    metadata: bool  # the file writes metadata or uses a versioned model store


@fact(
    "model-saves",
    kinds=[kinds.PYTHON, kinds.NOTEBOOK],
    prefilter=lazy_compile(rb"dump|save|mlflow|bentoml|wandb|metadata|version"),
)
def model_saves(file: SourceFile) -> ModelSaves | None:
    if kinds.is_test_path(file.path):
        return None
    python = file.python
    tree = python.tree if python is not None else None
    if python is None or tree is None:
        return None
    aliases = import_aliases(tree)
    metadata = bool(imported_modules(tree) & _VERSIONED_STORES)
    opened: dict[str, str] = {}  # `with open("model.pkl", "wb") as f` -> f: model.pkl
    for item in nodes(tree, ast.withitem):
        if isinstance(item.optional_vars, ast.Name):
            literal = _literal_path(item.context_expr)
            if literal:
                opened[item.optional_vars.id] = literal
    for constant in nodes(tree, ast.Constant):
        if (
            not metadata
            and isinstance(constant.value, str)
            and len(constant.value) < 100
            and _METADATA_WORD.search(constant.value)
        ):
            metadata = True
    saves: list[tuple[int | None, int | None, int | None, str]] = []
    scopes: list[object] = []  # the function (or cell) of each save
    functions: list[ast.AST] = [*nodes(tree, ast.FunctionDef), *nodes(tree, ast.AsyncFunctionDef)]
    for node in nodes(tree, ast.Call):
        if isinstance(node.func, ast.Attribute) and not _may_save(node.func.attr):
            continue  # `x.method(...)`: its name's last part is the method, no saver
        name = qualified(node.func, aliases)
        if name.endswith(_REGISTRY_SAVES) and not name.startswith(("joblib", "pickle")):
            if "save_model" in name and node.args:
                target = _literal_path(node.args[0])
                if (
                    target
                    and _MODEL_SUFFIX.search(target)
                    and not name.startswith(("bentoml", "mlflow"))
                ):
                    where = python.loc(node.lineno)
                    saves.append(
                        (
                            where.line,
                            where.cell,
                            where.cell_line,
                            f"`{dotted(node.func)}({target!r})`",
                        )
                    )
                    scopes.append(_save_scope(functions, node, where.cell))
                    continue
            metadata = metadata or not name.endswith("save_model")
            continue
        index = _SAVERS.get(name)
        if index is None or len(node.args) <= index:
            continue
        target_node = node.args[index]
        target = _literal_path(target_node) or (
            opened.get(target_node.id) if isinstance(target_node, ast.Name) else None
        )
        if target and _MODEL_SUFFIX.search(target):
            where = python.loc(node.lineno)
            saves.append((where.line, where.cell, where.cell_line, f"`{name}(..., {target!r})`"))
            scopes.append(_save_scope(functions, node, where.cell))
    if not saves and not metadata:
        return None
    grouped: dict[object, list[tuple[int | None, int | None, int | None, str]]] = {}
    for save, scope in zip(saves, scopes, strict=True):
        grouped.setdefault(scope, []).append(save)
    firsts = [(*group[0], len(group) - 1) for group in grouped.values()]
    return ModelSaves(tuple(sorted(firsts, key=lambda save: save[0] or 0)), metadata)


def _save_scope(functions: list[ast.AST], node: ast.AST, cell: int | None) -> object:
    """The innermost function holding `node`, else its notebook cell (or module body)."""
    best = innermost(functions, node)
    return id(best) if best is not None else ("cell", cell)


def _literal_path(node: ast.expr) -> str | None:
    """The path when it is fully literal: "m.pkl", Path("m.pkl"), open("m.pkl"), "a" / "m.pkl"."""
    text = constant_str(node)
    if text is not None:
        return text
    if isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
        return "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.Call):
        last = dotted(node.func).rsplit(".", 1)[-1]
        if last in ("Path", "open", "join", "PurePath") and node.args:
            parts = [_literal_path(a) for a in (node.args if last != "open" else node.args[:1])]
            if all(parts):
                return posixpath.join(*[p for p in parts if p])
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left, right = _literal_path(node.left), _literal_path(node.right)
        if left and right:
            return posixpath.join(left, right)
    return None


class ModelSavedWithoutMetadata(RepoRule):
    """## What it does
    Reports models written to a fixed, literal file name (`joblib.dump(model,
    "model.pkl")`, `torch.save(net.state_dict(), "model.pt")`, `pickle.dump(clf, f)`
    into `open("model.pkl", "wb")`, `booster.save_model("model.json")`) when nothing in
    the project records a version or metadata for them: no model registry or
    versioned store (MLflow, BentoML, W&B artifacts, Hugging Face `save_pretrained`),
    no DVC tracking of the output, and no metadata written beside the model (a
    `metadata`/`version`/`model_card` file or key in the same file). A path built from
    variables (`model_dir / MODEL_FILE`, `f"models/{version}.pkl"`) is not judged. One
    finding per function (or notebook cell): a scaler or encoder dumped next to the
    model is fixed with it.
    Missing evidence, so `info`.

    ## Why is this bad?
    Each run overwrites `model.pkl`: nobody can say which code, data and parameters
    produced the model that is serving, roll back to the previous one, or compare two.

    ## Example
    ```python
    joblib.dump(model, "models/model.pkl")
    ```

    ## Use instead
    ```python
    out = settings.model_dir / run_id
    joblib.dump(model, out / "model.joblib")
    (out / "metadata.json").write_text(json.dumps({"version": run_id, "git_commit": sha, "metrics": metrics}))
    ```
    or log it to a registry (`mlflow.sklearn.log_model`).
    """

    code = "TF1204"
    depends_on = ("@code", "dvc.yaml", "MLproject")
    name = "model-saved-without-metadata"
    factor = 12
    severity = Severity.INFO
    summary = "Model saved to a fixed file name with no version or metadata"
    fix = "Save models under a run/version directory with a metadata file (version, commit, params, metrics), or use a model registry."
    facts = ("model-saves",)

    def applies(self, repo: Repo) -> bool:
        """Only where there is something to check: without a model saves the factor is n/a here."""
        return bool(repo.facts("model-saves"))

    def check(self, repo: Repo) -> Iterator[Violation]:
        facts = repo.facts("model-saves")
        if any(found.metadata for found in facts.values()):
            return
        if repo.named("dvc.yaml", "MLproject") or any(
            entry.path.endswith(".dvc") for entry in repo.files
        ):
            return
        for path, found in sorted(facts.items()):
            for line, cell, cell_line, call, more in found.saves:
                plural = "s" if more > 1 else ""
                also = f" (and {more} more save{plural} in the same function)" if more else ""
                yield Violation(
                    f"{call} writes the model to a fixed file name with no version or metadata{also}",
                    path=path,
                    line=line,
                    cell=cell,
                    cell_line=cell_line,
                )
