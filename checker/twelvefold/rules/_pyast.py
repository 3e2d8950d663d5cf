"""Small AST helpers shared by the factor 8-12 rules: names of calls, import aliases.

Private module (the leading underscore keeps the registry from importing it as a rule
module). Everything here reads an AST; nothing imports or runs the audited code.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Any, TypeVar

from twelvefold.lazy_regex import lazy_compile
from twelvefold.sources import TREE_MEMO

_Node = TypeVar("_Node", bound=ast.AST)


def dotted(node: ast.expr) -> str:
    """`np.random.seed` for `np.random.seed`, `` for anything that is not a name chain."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Call):  # get_ipython().run_line_magic -> get_ipython.run_line_magic
        inner = dotted(node.func)
        if not inner:
            return ""
        parts.append(inner)
        return ".".join(reversed(parts))
    if not isinstance(node, ast.Name):
        return ""
    parts.append(node.id)
    return ".".join(reversed(parts))


def _memo(tree: ast.AST) -> dict[str, Any]:
    """What this module remembers about `tree` (one attribute, dropped by
    `SourceFile.release`): a dozen facts and rules look at each module, and walking a
    large module costs as much as parsing it."""
    memo: dict[str, Any] = tree.__dict__.setdefault(TREE_MEMO, {})
    return memo


def walk(tree: ast.AST) -> list[ast.AST]:
    """`list(ast.walk(tree))` without the expression contexts (the `Load`/`Store`/`Del`
    of every name, a third of a module's nodes, which no rule reads: they ask `node.ctx`),
    made once per tree: iterating a list costs a fraction of a walk. Same order as
    `ast.walk`."""
    memo = _memo(tree)
    found = memo.get("walk")
    if found is None:
        found, memo["index"] = _breadth_first(tree)
        memo["walk"] = found
    return found


#: Each node class's fields that may hold nodes: all but `ctx` and those the grammar
#: gives a name, a number or a constant (`Name.id`, `Constant.value`, `keyword.arg`):
#: looked at on every node of every module walked.
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
#: Fields that never hold a node (Python's ASDL grammar: `identifier`, `int`, `string`,
#: `constant` fields), by node class name.
_SCALAR_FIELDS: dict[str, frozenset[str]] = {
    "Name": frozenset({"id"}),
    "Constant": frozenset({"value", "kind"}),
    "Attribute": frozenset({"attr"}),
    "keyword": frozenset({"arg"}),
    "alias": frozenset({"name", "asname"}),
    "arg": frozenset({"arg", "type_comment"}),
    "FunctionDef": frozenset({"name", "type_comment"}),
    "AsyncFunctionDef": frozenset({"name", "type_comment"}),
    "ClassDef": frozenset({"name"}),
    "ImportFrom": frozenset({"module", "level"}),
    "Global": frozenset({"names"}),
    "Nonlocal": frozenset({"names"}),
    "Assign": frozenset({"type_comment"}),
    "For": frozenset({"type_comment"}),
    "AsyncFor": frozenset({"type_comment"}),
    "With": frozenset({"type_comment"}),
    "AsyncWith": frozenset({"type_comment"}),
    "ExceptHandler": frozenset({"name"}),
    "FormattedValue": frozenset({"conversion"}),
    "comprehension": frozenset({"is_async"}),
    "AnnAssign": frozenset({"simple"}),
}


def _breadth_first(tree: ast.AST) -> tuple[list[ast.AST], dict[type, list[ast.AST]]]:
    """`ast.walk`'s order (breadth first, fields in order) at half its cost: no deque and
    no generator per node. The loop visits the nodes it appends, and files each under
    its class for `nodes` (one pass for both)."""
    found = [tree]
    append = found.append
    node_type = ast.AST
    fields_of = _CHILD_FIELDS
    index: dict[type, list[ast.AST]] = {}
    for node in found:
        kind = type(node)
        bucket = index.get(kind)
        if bucket is None:
            bucket = index[kind] = []
        bucket.append(node)
        fields = fields_of.get(kind)
        if fields is None:
            scalar = _SCALAR_FIELDS.get(kind.__name__, frozenset())
            fields = fields_of[kind] = tuple(
                name for name in kind._fields if name != "ctx" and name not in scalar
            )
        for name in fields:
            value = getattr(node, name, None)
            if isinstance(value, node_type):
                append(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, node_type):
                        append(item)
    return found, index


def nodes(tree: ast.AST, node_type: type[_Node]) -> list[_Node]:
    """The nodes of exactly `node_type` under `tree` (e.g. every `ast.Call`), in
    `ast.walk` order, from the index `walk` builds as it goes."""
    memo = _memo(tree)
    index: dict[type, list[ast.AST]] | None = memo.get("index")
    if index is None:
        walk(tree)
        index = memo["index"]
    return index.get(node_type, [])  # type: ignore[return-value]


def _import_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement under `tree`, in `ast.walk` order (remembered: several
    facts of one file ask for its imports)."""
    memo = _memo(tree)
    found = memo.get("imports")
    if found is None:
        found = memo["imports"] = [
            node for node in walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
        ]
    return found


def import_aliases(tree: ast.AST) -> dict[str, str]:
    """Local name -> qualified name, from every import in the module (any depth)."""
    aliases: dict[str, str] = {}
    for node in _import_nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    aliases.setdefault(top, top)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name != "*":
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def imported_modules(tree: ast.AST) -> set[str]:
    """Top-level names of absolute imports (`sklearn` for `from sklearn.svm import SVC`)."""
    found: set[str] = set()
    for node in _import_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def web_frameworks(tree: ast.AST) -> set[str]:
    """The web frameworks a module imports to serve (`knowledge.WEB_FRAMEWORKS`): aiohttp
    only with its server part (`from aiohttp import web`, `import aiohttp.web`), not as
    the HTTP client (`aiohttp.ClientSession`); none imported only for its test client
    (`from fastapi.testclient import TestClient`); Django not in a standalone script
    (`django.setup()` at its top)."""
    from twelvefold.project.knowledge import SERVER_PART, WEB_FRAMEWORKS

    found = imported_modules(tree) & WEB_FRAMEWORKS
    if "django" in found and _sets_up_django(tree):
        found.discard("django")
    targets = [target for node in _import_nodes(tree) for target in _import_targets(node)]
    for name in list(found):
        own = [t for t in targets if t == name or t.startswith(name + ".")]
        if own and all(t.startswith((f"{name}.testclient", f"{name}.testing")) for t in own):
            found.discard(name)  # `from fastapi.testclient import TestClient`: a client
    for name in found & SERVER_PART.keys():
        server = SERVER_PART[name]
        if not any(
            target == server or target.startswith(server + ".")
            for node in _import_nodes(tree)
            for target in _import_targets(node)
        ):
            found.discard(name)
    return found


def _sets_up_django(tree: ast.AST) -> bool:
    """Whether a module calls `django.setup()` at its top level: a standalone script
    using a Django project's models (Django's docs: "standalone Django usage"; a
    `debug_rag.py` beside `manage.py`), not a module the server runs."""
    return any(
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and dotted(node.value.func) == "django.setup"
        for node in getattr(tree, "body", ())
    )


def _import_targets(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The dotted names an import statement binds (`aiohttp.web` for `from aiohttp import
    web` and for `import aiohttp.web`)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    module = node.module or ""
    return [f"{module}.{alias.name}" for alias in node.names]


def qualified(node: ast.expr, aliases: dict[str, str]) -> str:
    """The dotted name with its first part resolved through the imports."""
    name = dotted(node)
    if not name:
        return ""
    head, _, rest = name.partition(".")
    if head in aliases:
        return f"{aliases[head]}.{rest}" if rest else aliases[head]
    return name


def docstring_nodes(tree: ast.AST) -> set[int]:
    """ids of the docstring constants of the module, its classes and its functions."""
    found: set[int] = set()
    for node in walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def called_name(call: ast.Call) -> str:
    """The last name of what is called: `addHandler` in `logging.getLogger().addHandler(h)`,
    `to_string` in `df[cols].head(10).to_string()`, `print` in `print(x)`."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def keyword(call: ast.Call, name: str) -> ast.keyword | None:
    for item in call.keywords:
        if item.arg == name:
            return item
    return None


def has_star_kwargs(call: ast.Call) -> bool:
    """`f(**params)`: any keyword may be inside, so the call cannot be judged."""
    return any(item.arg is None for item in call.keywords)


def is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def constant_str(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def is_main_guard(node: ast.stmt) -> bool:
    """`if __name__ == "__main__":`."""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    sides = [test.left, *test.comparators]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        constant_str(s) == "__main__" for s in sides
    )


#: Calls whose statement at a module's top level is a script's work: reporting progress,
#: training a model (`trainer.train()`, `model.fit(X, y)`), saving or publishing what it
#: trained or built (`model.save_pretrained("zephyr-ppo")` after a hand-written PPO
#: loop, `ds.push_to_hub(...)`), or starting a UI that blocks until stopped
#: (`demo.queue().launch()`: importing the module would never return), or tuning
#: (`study.optimize(objective, n_trials=50)`: an Optuna search).
_SCRIPT_WORK = frozenset(
    {"print", "train", "fit", "save_pretrained", "push_to_hub", "launch", "optimize"}
)


def works_at_top_level(tree: ast.Module, *, counting_prints: bool = True) -> bool:
    """Whether a statement of the module's top level (or of a loop there) is a call of
    `_SCRIPT_WORK`: `print(model)`, `for t in range(epochs): ... print(...)`,
    `study.optimize(objective, n_trials=50)`, `bst = lgb.train(...)`, a notebook's magic
    as `jupyter nbconvert --to script` writes it (`get_ipython().system(...)`), or reads
    the command line: `args = parser.parse_args()`. Without `counting_prints`, a print
    alone does not count (what a module prints is the question being asked)."""
    work = _SCRIPT_WORK if counting_prints else _SCRIPT_WORK - {"print"}
    statements: list[ast.stmt] = list(tree.body)
    while statements:
        statement = statements.pop()
        if isinstance(statement, (ast.For, ast.While)):
            statements.extend(statement.body)
        elif (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and called_name(statement.value) in work
        ):
            return True
        elif (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Attribute)
            and isinstance(statement.value.func.value, ast.Call)
            and dotted(statement.value.func.value.func) == "get_ipython"
        ):
            return True  # `get_ipython().system("pip install ...")`: a notebook exported
        elif (
            isinstance(statement, ast.Assign)
            and isinstance(statement.value, ast.Call)
            and called_name(statement.value) in _READS_THE_COMMAND_LINE
        ):
            return True  # `args = parser.parse_args()`: the command line it was run with
        elif (
            isinstance(statement, ast.Assign)
            and isinstance(statement.value, ast.Call)
            and called_name(statement.value) in work - {"print"}
        ):
            return True  # `bst = lgb.train(params, train_data, num_round)`
    return False


#: Calls that read the command line the module was run with: importing it would parse
#: the importer's.
_READS_THE_COMMAND_LINE = frozenset({"parse_args", "parse_known_args"})


def walk_with_function(
    tree: ast.AST,
) -> Iterator[tuple[ast.AST, ast.FunctionDef | ast.AsyncFunctionDef | None]]:
    """Every node with the innermost function that contains it (None at module level)."""
    stack: list[tuple[ast.AST, ast.FunctionDef | ast.AsyncFunctionDef | None]] = [(tree, None)]
    while stack:
        node, function = stack.pop()
        yield node, function
        inner = node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))


def path_parts(path: str) -> list[str]:
    return path.split("/")


# ----------------------------------------------------------------------------- training

#: Receivers whose `.fit(...)` trains a model.
_FIT_RECEIVER = lazy_compile(
    r"model|clf|classifier|regressor|estimator|pipe|pipeline|net|trainer|learner|search|grid|xgb|lgb|rf|gbm|booster|automl",
    re.IGNORECASE,
)


#: A receiver named for a preprocessing step (`scaler`, `outlier_remover`, `tfidf_vectorizer`):
#: fitting it on data alone computes statistics (`fit(df, columns)`), it trains no model.
#: One fitted on the labels (`SummaryEncoder().fit(X, y)`) learns from them; an
#: autoencoder is a model.
_PREPROCESSOR_RECEIVER = lazy_compile(
    r"scaler|(?<!auto)encoder|imputer|vectori[sz]er|tokeni[sz]er|remover|normali[sz]er"
    r"|binari[sz]er|discreti[sz]er|preprocessor|outlier",
    re.IGNORECASE,
)


#: An argument naming the labels a supervised step learns from: `y`, `y_train`,
#: `frame["target"]`, `labels`.
_TARGET_NAME = lazy_compile(r"\by\b|y_\w+|\w+_y\b|target|label", re.IGNORECASE)


def training_call(node: ast.Call, name: str) -> str | None:
    """What a call trains (`` `model.fit(...)` ``), if it is a training call: `fit` with
    data and labels (or epochs), `fit` on a model-like receiver, `trainer.train()`,
    `lgb.train(...)`, a torch loop's `loss.backward()`. `name` is the call's dotted name."""
    if not isinstance(node.func, ast.Attribute):
        return None
    receiver = dotted(node.func.value)
    method = node.func.attr
    if (
        method == "fit"
        and _PREPROCESSOR_RECEIVER.search(receiver.rsplit(".", 1)[-1])
        and not any(_TARGET_NAME.search(ast.unparse(arg)) for arg in node.args[1:2])
        and not any(k.arg == "y" for k in node.keywords)
    ):
        return None  # `outlier_remover.fit(df, numerical_columns)`; not `encoder.fit(X, y)`
    if method == "fit" and (
        len(node.args) >= 2
        or any(k.arg in ("epochs", "y", "train_dataloaders", "datamodule") for k in node.keywords)
    ):
        return f"`{name or method}(...)`"
    if method == "fit" and _FIT_RECEIVER.search(receiver.rsplit(".", 1)[-1] or ""):
        return f"`{name}(...)`"
    if method == "train" and (
        "trainer" in receiver.lower() or receiver in ("lgb", "lightgbm", "xgb", "xgboost")
    ):
        return f"`{name}(...)`"
    if (
        method == "backward"
        and not node.args
        and isinstance(node.func.value, ast.Call)
        and dotted(node.func.value.func).rpartition(".")[2] == "scale"
        and any("loss" in dotted(arg).lower() for arg in node.func.value.args)
    ):
        # `scaler.scale(loss).backward()`, as written (the dotted name drops the call)
        return f"`{ast.unparse(node)[:80]}` in a mixed-precision training loop"
    if method == "backward" and not node.args and "loss" in receiver.lower():
        return f"`{name}()` in a training loop"
    return None


def innermost(functions: list[ast.AST], node: ast.AST) -> ast.AST | None:
    """The innermost of `functions` whose lines hold `node`, if any."""
    line = getattr(node, "lineno", 0)
    best: ast.AST | None = None
    for function in functions:
        start, end = getattr(function, "lineno", 0), getattr(function, "end_lineno", None) or 0
        if start <= line <= end and (best is None or start >= getattr(best, "lineno", 0)):
            best = function
    return best
