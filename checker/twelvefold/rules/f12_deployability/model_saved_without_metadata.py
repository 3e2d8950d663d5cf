"""TF1204 model-saved-without-metadata: model saved to a fixed file name with no version
or metadata.
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
from twelvefold.rule import RepoRule, fact
from twelvefold.rules._code_text import STRING_OR_COMMENT
from twelvefold.rules._project_calls import (
    Helper,
    HelperCall,
    Where,
    helper_call,
    parameters,
    project_aliases,
    resolve,
)
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
    {
        "mlflow",
        "bentoml",
        "wandb",
        "clearml",
        "neptune",
        "comet_ml",
        "huggingface_hub",
        "skops",
        # Hopsworks' model registry: `mr.python.create_model(metrics=...)`, `model.save()`
        "hopsworks",
        "hsml",
    }
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


#: Where a save is, and the function (or cell) holding it: a scaler dumped next to the
#: model is fixed with it, so one finding per scope.
Save = tuple[int | None, int | None, int | None, str, str]  # line, cell, cell_line, call, scope


@dataclass(frozen=True)
class ModelSaves:
    saves: tuple[Save, ...]
    metadata: bool  # the file writes metadata or uses a versioned model store
    #: Functions of this file that save a model to a path their caller gives:
    #: (name, index of the path among the positional parameters, the parameter's name).
    helpers: tuple[Helper, ...] = ()
    helper_calls: tuple[HelperCall, ...] = ()


#: A helper's name says it saves: `save_object`, `dump_model`, `persist_artifact`.
_HELPER_NAME = lazy_compile(r"save|dump|persist", re.IGNORECASE)
#: A saver called by its usual name: `pickle.dump(`, `joblib.dump(`, `torch.save(`.
_SAVER_CALL = lazy_compile(rb"\b(?:dump|save)\s*\(")
_HELPER_DEF = lazy_compile(rb"def\s+\w*(?:save|dump|persist)\w*\s*\(", re.IGNORECASE)


@fact(
    "model-saves",
    kinds=[kinds.PYTHON, kinds.NOTEBOOK],
    prefilter=lazy_compile(rb"dump|save|persist|mlflow|bentoml|wandb|metadata|version"),
)
def model_saves(file: SourceFile) -> ModelSaves | None:
    if kinds.is_test_path(file.path):
        return None
    python = file.python
    if python is None:
        return None
    defines_helper = bool(_HELPER_DEF.search(file.data) and _SAVER_CALL.search(file.data))
    if not defines_helper and not _may_save_or_note(python.text):
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
    saves: list[Save] = []
    helper_calls: list[HelperCall] = []
    checkpoints: set[str] | None = None  # made at the first save: most files have none
    functions: list[ast.AST] = [*nodes(tree, ast.FunctionDef), *nodes(tree, ast.AsyncFunctionDef)]

    def where_of(node: ast.AST) -> Where:
        where = python.loc(getattr(node, "lineno", 0))
        scope = _save_scope(functions, node, where.cell)
        return where.line, None, where.cell, where.cell_line, scope

    call_aliases: dict[str, str] | None = None  # with relative imports, made when needed
    for node in nodes(tree, ast.Call):
        last = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        if isinstance(node.func, ast.Name):
            last = node.func.id
        if _helper_named(last) and not _may_save_directly(node, last, aliases):
            # Maybe a project helper (`save_object`, or a `save_model(model, path)` of
            # the project's own): the rule says, from every file's helpers.
            if call_aliases is None:
                call_aliases = project_aliases(tree)
            call = helper_call(node, call_aliases, _model_file, where_of)
            if call is not None:
                helper_calls.append(call)
            if not _may_save(last):
                continue
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
                    line, _, cell, cell_line, scope = where_of(node)
                    shown = f"`{dotted(node.func)}({target!r})`"
                    saves.append((line, cell, cell_line, shown, scope))
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
            saved = node.args[0] if index else None
            if checkpoints is None:
                checkpoints = _checkpoint_dicts(tree)
            if saved is not None and _saves_metadata(saved, checkpoints):
                continue  # `torch.save({"state_dict": ..., "input_size": 784}, ...)`
            if name != "torch.save" and not _names_a_model(target, saved):
                continue  # `pickle.dump(samples, f)` of `train_samples.pkl`: data, no model
            line, _, cell, cell_line, scope = where_of(node)
            saves.append((line, cell, cell_line, f"`{name}(..., {target!r})`", scope))
    helpers = _saving_helpers(functions, aliases) if defines_helper else ()
    if not (saves or metadata or helpers or helper_calls):
        return None
    return ModelSaves(tuple(saves), metadata, helpers, tuple(helper_calls))


#: Words that name a model (or a fitted part of one) in a saved object's name or file.
_MODEL_WORD = lazy_compile(
    r"model|clf|classif|regress|estimator|pipe|net|forest|tree|boost|xgb|lgb|svm|svc|knn"
    r"|ensemble|checkpoint|ckpt|weight|predictor|learner|scaler|encoder|vectori[sz]er"
    r"|preprocess|transformer|tokeni[sz]er|kmeans|cluster|lda|pca|best",
    re.IGNORECASE,
)


def _names_a_model(target: str, saved: ast.expr | None) -> bool:
    """Whether a pickle-family dump is of a model: its file or the saved object's code
    names one (`pickle.dump(clf, f)`, `"model.pkl"`), unlike a dump of samples or a data
    cache (`pickle.dump(samples, open("train_samples.pkl", "wb"))`)."""
    stem = posixpath.basename(target)
    return (
        bool(_MODEL_WORD.search(stem))
        or (saved is not None and bool(_MODEL_WORD.search(dotted(saved) or "")))
        or isinstance(saved, ast.Call)
    )


#: Keys of a checkpoint dict that are the model itself, not metadata about it.
_WEIGHT_KEYS = frozenset(
    {"state_dict", "model", "model_state_dict", "optimizer", "optimizer_state_dict", "net"}
)


def _checkpoint_dicts(tree: ast.AST) -> set[str]:
    """Names assigned a dict literal holding more than the weights (`checkpoint =
    {"input_size": 784, "state_dict": model.state_dict()}`): a save of them carries
    its metadata."""
    found: set[str] = set()
    for node in nodes(tree, ast.Assign):
        if isinstance(node.value, ast.Dict) and _dict_has_metadata(node.value):
            found.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return found


def _dict_has_metadata(node: ast.Dict) -> bool:
    keys = {constant_str(key) for key in node.keys if key is not None}
    return any(key is not None and key not in _WEIGHT_KEYS for key in keys) and len(keys) >= 2


def _saves_metadata(saved: ast.expr, checkpoints: set[str]) -> bool:
    if isinstance(saved, ast.Dict):
        return _dict_has_metadata(saved)
    return isinstance(saved, ast.Name) and saved.id in checkpoints


def _helper_named(name: str) -> bool:
    """`_HELPER_NAME`'s test as substrings: it runs on every call of a file."""
    lowered = name.lower()
    return "save" in lowered or "dump" in lowered or "persist" in lowered


def _may_save_directly(node: ast.Call, last: str, aliases: dict[str, str]) -> bool:
    """Whether the call is a saver of a library (`joblib.dump`, `model.save_model`), not
    a function of the project's own: a method of an object, or a name imported from a
    saver's module."""
    func = node.func
    if not isinstance(func, ast.Attribute):
        return qualified(func, aliases) in _SAVERS
    if last in _SAVER_METHODS or not isinstance(func.value, ast.Name):
        return True
    module = aliases.get(func.value.id)
    return module is None or module in _SAVER_MODULES


#: Modules whose functions are savers, not project helpers.
_SAVER_MODULES = frozenset(name.rsplit(".", 1)[0] for name in _SAVERS)


def _model_file(node: ast.expr) -> str | None:
    """A literal path to a model file (`"artifacts/model.pkl"`), else None."""
    path = _literal_path(node)
    return path if path and _MODEL_SUFFIX.search(path) else None


def _saving_helpers(functions: list[ast.AST], aliases: dict[str, str]) -> tuple[Helper, ...]:
    """Functions named for saving whose body hands one of their parameters to a saver as
    the path: `def save_object(file_path, obj)` doing `pickle.dump(obj, open(file_path,
    "wb"))`, or `joblib.dump(obj, file_path)`, or through `with open(file_path, "wb")`."""
    found: list[Helper] = []
    for function in functions:
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if not _HELPER_NAME.search(function.name):
            continue
        params = parameters(function)
        opened: dict[str, str] = {}
        body = list(ast.walk(function))
        for item in body:
            if isinstance(item, ast.withitem) and isinstance(item.optional_vars, ast.Name):
                param = _opened_param(item.context_expr, params)
                if param:
                    opened[item.optional_vars.id] = param
        for call in body:
            if not isinstance(call, ast.Call):
                continue
            index = _SAVERS.get(qualified(call.func, aliases))
            if index is None or len(call.args) <= index:
                continue
            target = call.args[index]
            param = _opened_param(target, params)
            if isinstance(target, ast.Name):
                param = target.id if target.id in params else opened.get(target.id)
            if param:
                found.append(Helper(function.name, params.index(param), param))
                break
    return tuple(found)


def _opened_param(node: ast.expr, params: list[str]) -> str | None:
    """`param` for `open(param, "wb")` (or `Path(param)`, `str(param)`), one of `params`."""
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name)):
        return None
    if (
        dotted(node.func).rsplit(".", 1)[-1] in ("open", "Path", "str")
        and node.args[0].id in params
    ):
        return node.args[0].id
    return None


def _save_scope(functions: list[ast.AST], node: ast.AST, cell: int | None) -> str:
    """The innermost function holding `node`, else its notebook cell (or module body)."""
    best = innermost(functions, node)
    return f"function {getattr(best, 'lineno', 0)}" if best is not None else f"cell {cell}"


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
    versioned store (MLflow, BentoML, W&B artifacts, Hugging Face `save_pretrained`,
    Hopsworks' model registry),
    no DVC tracking of the output, and no metadata written beside the model (a
    `metadata`/`version`/`model_card` file or key in the same file). A path built from
    variables (`model_dir / MODEL_FILE`, `f"models/{version}.pkl"`) is not judged. A
    model saved through a function of the project (`save_object("artifacts/model.pkl",
    model)`, whose body hands the path it is given to `pickle`, `joblib` or `torch.save`)
    is reported at the call, where the fixed name is. A pickle, joblib or dill dump
    counts when its file or its object names a model (`clf`, `model.pkl`, `scaler`),
    not a dump of samples or a data cache (`pickle.dump(samples, open("train_samples.pkl",
    "wb"))`); a checkpoint dict saved with more than the weights
    (`torch.save({"input_size": 784, "state_dict": ...}, "checkpoint.pth")`) carries its
    metadata. One
    finding per function (or notebook cell): a scaler or encoder dumped next to the
    model is fixed with it. Tests, examples, docs and benchmarks (a library's notebooks
    among them) show an API, and a course's lessons show how to save: their saves are
    not judged.
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
    # Opt-in (`Rule.default`): 1 of its 4 findings on 146 real repositories was worth fixing.
    default = False
    depends_on = ("@code", "dvc.yaml", "MLproject")
    name = "model-saved-without-metadata"
    factor = 12
    severity = Severity.INFO
    summary = "Model saved to a fixed file name with no version or metadata"
    fix = "Save models under a run/version directory with a metadata file (version, commit, params, metrics), or use a model registry."
    facts = ("model-saves",)
    # A library's examples, docs and demo notebooks show its API: their `pipeline.pkl`
    # is a reader's to name (held-out set O, tsfresh). A course's lessons save to show
    # how saving works (held-out set P, udacity: 7 of 7 judged FALSE or NOISE).
    roles = role.OWN_CODE
    repo_kinds = frozenset(project_kind.KINDS) - {project_kind.COURSE}

    def applies(self, repo: Repo) -> bool:
        """Only where there is something to check: without a model saves the factor is n/a here."""
        facts = repo.facts("model-saves")
        return any(found.metadata for found in facts.values()) or any(_saves(facts).values())

    def check(self, repo: Repo) -> Iterator[Violation]:
        facts = repo.facts("model-saves")
        if any(found.metadata for found in facts.values()):
            return
        if repo.named("dvc.yaml", "MLproject") or any(
            entry.path.endswith(".dvc") for entry in repo.files
        ):
            return
        for path, saves in sorted(_saves(facts).items()):
            grouped: dict[str, list[Save]] = {}
            for save in saves:
                grouped.setdefault(save[4], []).append(save)
            firsts = sorted(
                ((group[0], len(group) - 1) for group in grouped.values()),
                key=lambda first: first[0][0] or 0,
            )
            for (line, cell, cell_line, call, _scope), more in firsts:
                plural = "s" if more > 1 else ""
                also = f" (and {more} more save{plural} in the same function)" if more else ""
                yield Violation(
                    f"{call} writes the model to a fixed file name with no version or metadata{also}",
                    path=path,
                    line=line,
                    cell=cell,
                    cell_line=cell_line,
                )


def _saves(facts: Mapping[str, ModelSaves]) -> dict[str, list[Save]]:
    """Each file's saves: its own, and its calls of the project's saving helpers (not
    again where the line saves directly)."""
    through = resolve(
        {path: found.helper_calls for path, found in facts.items()},
        {path: found.helpers for path, found in facts.items()},
    )
    found_saves: dict[str, list[Save]] = {}
    for path, found in facts.items():
        direct = {save[0] for save in found.saves}
        saves = list(found.saves)
        for call, helper, defined_in in through.get(path, ()):
            target = call.path_for(helper)
            if target and call.line not in direct:
                shown = f"`{call.shown}({target!r}, ...)` (which saves it in `{defined_in}`)"
                saves.append((call.line, call.cell, call.cell_line, shown, call.scope))
        if saves:
            found_saves[path] = saves
    return found_saves
