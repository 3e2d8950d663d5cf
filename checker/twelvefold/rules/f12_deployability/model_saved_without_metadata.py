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
from twelvefold.rules._code_text import STRING_OR_COMMENT
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


#: A path literal `_MODEL_SUFFIX` takes, as written: the suffix, then the closing quote.
_QUOTED_SUFFIX = lazy_compile(
    _MODEL_SUFFIX.pattern.removesuffix("$") + "[\"']", _MODEL_SUFFIX.flags
)
#: `_METADATA_WORD` where an escape may stand next to the word (`"\nmeta"`): no `\b`.
_METADATA_LETTERS = lazy_compile(_METADATA_WORD.pattern.replace(r"\b", ""), re.IGNORECASE)
#: An escape sequence: it writes at least no character, whatever its length.
_ESCAPE = lazy_compile(r"\\(?:N\{[^}\n]{0,100}\}|.)", re.DOTALL)


def _literal(text: str, start: int, literal: str) -> tuple[str, int, bool]:
    """A string token's content, the fewest characters its value can have, and whether
    it may be an f-string (whose constant parts are shorter than the whole)."""
    quotes = 3 if literal[:3] in ('"""', "'''") else 1
    content = literal[quotes:-quotes] if len(literal) >= 2 * quotes else literal[quotes:]
    formatted = "f" in text[max(0, start - 2) : start].lower()  # (or `if"x":`: the same)
    if "\\" not in content:
        return content, len(content), formatted
    # Raw or not, counting every escape as no character never says too many.
    written = sum(len(escape) for escape in _ESCAPE.findall(content))
    return content, len(content) - written, formatted


def _short_metadata_string(text: str) -> bool:
    """Whether a string constant under 100 characters may hold a `_METADATA_WORD`, as
    `model_saves` tests its constants. Strings written next to each other on a line or
    inside brackets make one constant (`"... removed in version 5 "` `"of ..."`), so
    their lengths add up; at a line's end outside brackets each is its own."""
    depth = 0
    position = 0
    parts: list[str] = []
    fewest = 0
    unbounded = escaped = False
    for found in STRING_OR_COMMENT.finditer(text):
        gap = text[position : found.start()]
        position = found.end()
        code = gap.strip()
        if code:
            depth += sum(map(code.count, "([{")) - sum(map(code.count, ")]}"))
        joined = not code and (depth > 0 or "\n" not in gap)
        if not joined and parts:
            if _metadata_in(parts, fewest, unbounded, escaped):
                return True
            parts, fewest, unbounded, escaped = [], 0, False, False
        literal = found.group()
        if literal.startswith("#"):
            continue  # a comment ends its line: the next string joins inside brackets only
        content, length, formatted = _literal(text, found.start(), literal)
        parts.append(content)
        fewest += length
        unbounded = unbounded or formatted
        escaped = escaped or "\\" in content
    return bool(parts) and _metadata_in(parts, fewest, unbounded, escaped)


def _metadata_in(parts: list[str], fewest: int, unbounded: bool, escaped: bool) -> bool:
    if fewest >= 100 and not unbounded:
        return False  # no constant under 100 characters
    return bool((_METADATA_LETTERS if escaped else _METADATA_WORD).search("".join(parts)))


def _may_save_or_note(text: str) -> bool:
    """Whether `model_saves` may find a save or metadata, from the text alone: a saver
    and a model suffix closing a string, a versioned store or registry save named, or
    a metadata word in a string short enough. A necessary condition, cheaper than the
    parse (most files pass the prefilter on `version` in a name or a long docstring)."""
    if any(store in text for store in _VERSIONED_STORES) or any(
        method in text for method in _REGISTRY_SAVES
    ):
        return True
    if any(method in text for method in _SAVER_METHODS) and _QUOTED_SUFFIX.search(text):
        return True  # `joblib.dump(m, "model.pkl")`, `open("model.pt", "wb")`
    return _short_metadata_string(text)


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
    if python is None or not _may_save_or_note(python.text):
        return None  # nothing to find: no parse
    tree = python.tree
    if tree is None:
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
