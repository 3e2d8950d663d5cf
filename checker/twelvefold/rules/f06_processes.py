"""Factor 6 - Processes: stateless, share nothing.

Both rules look only at web services: Python modules that import a web framework and
define request handlers. Training jobs and scripts legitimately write files.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project.knowledge import (
    SERVING_FRAMEWORKS,
    WEB_FRAMEWORK_PREFILTER,
    WEB_FRAMEWORKS,
)
from twelvefold.rule import FileRule
from twelvefold.rules._pyast import dotted, import_aliases, imported_modules, walk
from twelvefold.sources import SourceFile

#: A module importing one of these is a service.
_SERVICE_MODULES = WEB_FRAMEWORKS | SERVING_FRAMEWORKS

_ROUTE_DECORATORS = frozenset(
    {
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "route",
        "api_route",
        "websocket",
        "head",
        "options",
        "api_view",
        "view_config",
        "endpoint",
    }
)
_REGISTRARS = frozenset(
    {
        "add_url_rule",
        "add_api_route",
        "add_route",
        "add_websocket_route",
        "Route",
        "path",
        "re_path",
    }
)


@dataclass
class Service:
    tree: ast.Module
    aliases: dict[str, str]
    handlers: list[ast.FunctionDef | ast.AsyncFunctionDef]
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]


def _service(file: SourceFile) -> Service | None:
    """The module as a web service, or None when it defines no request handler."""
    if kinds.is_test_path(file.path):
        return None
    python = file.python
    if python is None or python.tree is None:
        return None
    tree = python.tree
    if not (imported_modules(tree) & _SERVICE_MODULES):
        return None
    functions = {
        node.name: node
        for node in walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    handlers: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    registered: set[str] = set()
    for node in walk(tree):
        if isinstance(node, ast.Call):
            name = dotted(node.func).rsplit(".", 1)[-1]
            if name in _REGISTRARS:
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    if isinstance(arg, ast.Name) and arg.id in functions:
                        registered.add(arg.id)
    django_views = file.path.endswith("views.py")
    for function in functions.values():
        if (
            function.name in registered
            or any(_is_route(d) for d in function.decorator_list)
            or (django_views and function.args.args and function.args.args[0].arg == "request")
        ):
            handlers.append(function)
    # Class-based handlers: methods named like HTTP verbs (Flask MethodView, Tornado, Falcon).
    for node in walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in (
                    "get",
                    "post",
                    "put",
                    "patch",
                    "delete",
                    "on_get",
                    "on_post",
                    "on_put",
                    "on_delete",
                ):
                    handlers.append(item)
    if not handlers:
        return None
    return Service(tree, import_aliases(tree), handlers, functions)


def _is_route(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return (isinstance(target, ast.Attribute) and target.attr in _ROUTE_DECORATORS) or (
        isinstance(target, ast.Name) and target.id in ("api_view", "route")
    )


def _reachable(service: Service) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Handlers and the module's functions they call directly (one level)."""
    seen = {id(h): h for h in service.handlers}
    for handler in service.handlers:
        for node in ast.walk(handler):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                helper = service.functions.get(node.func.id)
                if helper is not None:
                    seen.setdefault(id(helper), helper)
    return list(seen.values())


# --- TF601: local files -------------------------------------------------------------------

_WRITE_MODES = lazy_compile(r"[awx+]")
_TEMP_HINT = lazy_compile(
    r"(?:^|[/_\-.])(?:tmp|temp|cache|caches)(?:$|[/_\-.])|^/dev/|tempfile", re.IGNORECASE
)
#: Mount points of shared storage (Cloud Run's Cloud Storage volumes, Databricks DBFS and
#: Unity Catalog volumes, EFS/NFS/S3 mounts): a write there outlives the replica.
_MOUNTED_STORAGE = lazy_compile(r"^/(?:gcs|dbfs|Volumes|mnt|efs|nfs|s3|blob|azureml)/")
_FRAME_WRITERS = frozenset(
    {
        "to_csv",
        "to_parquet",
        "to_json",
        "to_pickle",
        "to_feather",
        "to_excel",
        "to_hdf",
        "write_csv",
        "write_parquet",
        "write_ndjson",
    }
)
_FILE_DUMPERS = frozenset(
    {"joblib.dump", "numpy.save", "numpy.savez", "numpy.savetxt", "torch.save"}
)


def _path_text(node: ast.expr | None, local: dict[str, ast.expr], depth: int = 0) -> str | None:
    """A path written in the code: a literal, an f-string, `Path(...)`/`os.path.join(...)`
    or `/` whose first part is written in the code (or is the module's own folder), or a
    name bound to one. None when the location comes from elsewhere (config, arguments)."""
    if node is None or depth > 6:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        if not node.values or not isinstance(node.values[0], ast.Constant):
            return None  # f"{settings.out_dir}/x.csv": the location is configured
        return "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{...}"
            for v in node.values
        )
    if isinstance(node, ast.Name):
        bound = local.get(node.id)
        return _path_text(bound, local, depth + 1) if bound is not None else None
    if isinstance(node, ast.Attribute) and node.attr == "parent" and _mentions_file(node):
        return "<module dir>"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left = _path_text(node.left, local, depth + 1)
        if left is None:
            return None
        return f"{left}/{_path_text(node.right, local, depth + 1) or '{...}'}"
    if isinstance(node, ast.Call):
        name = dotted(node.func)
        if name.endswith(("Path", "path.join", "PurePath")) and node.args:
            first = node.args[0]
            head = "<module dir>" if _mentions_file(first) else _path_text(first, local, depth + 1)
            if head is None:
                return None
            rest = [_path_text(a, local, depth + 1) or "{...}" for a in node.args[1:]]
            return "/".join([head, *rest])
    return None


def _mentions_file(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "__file__" for n in ast.walk(node))


def _bindings(function: ast.AST, module: ast.Module) -> dict[str, ast.expr]:
    """Names bound by simple assignments at module level and in the function."""
    bound: dict[str, ast.expr] = {}
    for node in [*module.body, *ast.walk(function)]:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            bound[node.targets[0].id] = node.value
    return bound


def _mode(call: ast.Call, position: int) -> str | None:
    argument = call.args[position] if len(call.args) > position else None
    if isinstance(argument, ast.Constant):
        value = argument.value
        return value if isinstance(value, str) else None
    for item in call.keywords:
        if (
            item.arg == "mode"
            and isinstance(item.value, ast.Constant)
            and isinstance(item.value.value, str)
        ):
            return item.value.value
    return "r"


def _local_writes(function: ast.AST, service: Service) -> Iterator[tuple[ast.AST, str, str]]:
    """(node, what, path) for each write to a local file written in the code."""
    bound = _bindings(function, service.tree)
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = dotted(func)
        qualified_name = _qualify(name, service.aliases)
        attr = func.attr if isinstance(func, ast.Attribute) else name
        path: str | None = None
        what = ""
        if name == "open" or (attr == "open" and isinstance(func, ast.Attribute)):
            target = (
                node.args[0]
                if name == "open" and node.args
                else func.value
                if isinstance(func, ast.Attribute)
                else None
            )
            mode = _mode(node, 1 if name == "open" else 0)
            if mode and _WRITE_MODES.search(mode):
                path = _path_text(target, bound)
                what = "appends to" if "a" in mode else "writes"
        elif attr in ("write_text", "write_bytes") and isinstance(func, ast.Attribute):
            path = _path_text(func.value, bound)
            what = "writes"
        elif attr in _FRAME_WRITERS and isinstance(func, ast.Attribute):
            target = (
                node.args[0]
                if node.args
                else next(
                    (k.value for k in node.keywords if k.arg in ("path", "path_or_buf", "file")),
                    None,
                )
            )
            path = _path_text(target, bound)
            append = any(
                k.arg == "mode" and isinstance(k.value, ast.Constant) and k.value.value == "a"
                for k in node.keywords
            )
            what = f"appends to (`{attr}`)" if append else f"writes (`{attr}`)"
        elif qualified_name in _FILE_DUMPERS:
            # joblib.dump(obj, path), torch.save(obj, path); numpy.save(path, array)
            position = 0 if qualified_name.startswith("numpy.") else 1
            target = node.args[position] if len(node.args) > position else None
            path = _path_text(target, bound)
            what = f"writes (`{name}`)"
        elif attr == "save" and isinstance(func, ast.Attribute) and node.args:
            path = _path_text(node.args[0], bound)  # FileStorage.save(dst), image.save(dst)
            what = "saves to"
        elif qualified_name == "sqlite3.connect" and node.args:
            path = _path_text(node.args[0], bound)
            if path == ":memory:":
                path = None
            what = "keeps a SQLite database in"
        if (
            path is not None
            and path.strip()
            and not _TEMP_HINT.search(path.replace("{...}", ""))
            and not _MOUNTED_STORAGE.match(path)
        ):
            yield node, what, path


def _qualify(name: str, aliases: dict[str, str]) -> str:
    head, _, rest = name.partition(".")
    if head in aliases:
        return f"{aliases[head]}.{rest}" if rest else aliases[head]
    return name


class ServiceWritesLocalState(FileRule):
    """## What it does
    Reports request handlers of web services (FastAPI, Flask, Starlette, Django,
    aiohttp...) that keep state in local files: appending predictions to a CSV or JSON
    lines file, saving uploaded files beside the code, writing a local SQLite database.
    The module's helper functions called from a handler are checked too.

    Fine: temporary files (`tempfile`, paths under `/tmp` or named `tmp`/`cache`),
    mounted shared storage (`/gcs/<bucket>/`, `/dbfs/`, `/Volumes/`, `/mnt/...`),
    writes to paths that come from configuration or arguments (not written in the
    code), training jobs and scripts (not services), and SQLite `:memory:`.

    ## Why is this bad?
    Services are scaled out, restarted and moved between machines. A file on the local
    disk exists on one replica only and is lost on redeploy: the predictions log is
    split across pods, uploads vanish, and a second worker writing the same SQLite
    file corrupts it.

    ## Example
    ```python
    # src/churn/service.py
    import joblib
    from fastapi import FastAPI
    from pydantic import BaseModel

    app = FastAPI()
    model = joblib.load("model.joblib")


    class Item(BaseModel):
        id: str
        features: list[float]


    @app.post("/predict")
    def predict(item: Item):
        y = model.predict([item.features])[0]
        with open("predictions.csv", "a") as log:
            log.write(f"{item.id},{y}\\n")
        return {"churn": int(y)}
    ```

    ## Use instead
    Send state to a backing service: log the prediction (stdout, picked up by the log
    pipeline), write it to a database or queue, or upload files to object storage
    (`s3.upload_fileobj(file.file, settings.bucket, key)`).
    ```python
    # src/churn/service.py
    import logging

    import joblib
    from fastapi import FastAPI
    from pydantic import BaseModel

    logger = logging.getLogger(__name__)
    app = FastAPI()
    model = joblib.load("model.joblib")


    class Item(BaseModel):
        id: str
        features: list[float]


    @app.post("/predict")
    def predict(item: Item):
        y = model.predict([item.features])[0]
        logger.info("prediction", extra={"id": item.id, "churn": int(y)})
        return {"churn": int(y)}
    ```
    """

    code = "TF601"
    name = "service-writes-local-state"
    factor = 6
    severity = Severity.WARNING
    summary = "Web service keeps state in local files"
    fix = "Write state to a backing service (database, object store, queue) or the log stream, not the local disk."
    kinds = frozenset({kinds.PYTHON})
    prefilter = WEB_FRAMEWORK_PREFILTER

    def check(self, file: SourceFile) -> Iterator[Violation]:
        service = _service(file)
        if service is None:
            return
        seen: set[int] = set()
        handlers = {id(h) for h in service.handlers}
        for function in _reachable(service):
            who = (
                f"request handler `{function.name}`"
                if id(function) in handlers
                else f"`{function.name}` (called by a request handler)"
            )
            for node, what, path in _local_writes(function, service):
                if id(node) in seen:
                    continue
                seen.add(id(node))
                yield Violation(
                    f"{who} {what} the local file `{path}`: state on one replica's disk",
                    line=getattr(node, "lineno", None),
                    column=getattr(node, "col_offset", 0) + 1,
                )


# --- TF602: module-level stores ------------------------------------------------------------

_MUTABLE_FACTORIES = frozenset(
    {
        "dict",
        "list",
        "set",
        "defaultdict",
        "OrderedDict",
        "deque",
        "Counter",
        "collections.defaultdict",
        "collections.OrderedDict",
        "collections.deque",
        "collections.Counter",
    }
)
_MUTATORS = frozenset(
    {
        "append",
        "extend",
        "insert",
        "update",
        "add",
        "setdefault",
        "pop",
        "popitem",
        "remove",
        "discard",
        "clear",
        "appendleft",
        "extendleft",
        "popleft",
    }
)
_CACHE_NAME = lazy_compile(r"cache|memo|lru|models?$|^_?model|registry|loaded", re.IGNORECASE)


def _module_stores(tree: ast.Module) -> dict[str, int]:
    stores: dict[str, int] = {}
    for node in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        if value is None:
            continue
        mutable = isinstance(value, (ast.Dict, ast.List, ast.Set)) or (
            isinstance(value, ast.Call) and dotted(value.func) in _MUTABLE_FACTORIES
        )
        if not mutable:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and not _CACHE_NAME.search(target.id):
                stores[target.id] = node.lineno
    return stores


def _mutations(function: ast.AST, stores: dict[str, int]) -> Iterator[tuple[ast.AST, str, str]]:
    """(node, store name, how) for each mutation of a module-level store."""
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _MUTATORS
        ):
            owner = _root_name(node.func.value)
            if owner in stores:
                yield node, owner, f"`.{node.func.attr}()`"
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                if isinstance(target, ast.Subscript):
                    owner = _root_name(target.value)
                    if owner in stores and not _loads_a_model(node):
                        yield (
                            node,
                            owner,
                            "item assignment" if not isinstance(node, ast.Delete) else "`del`",
                        )
                elif (
                    isinstance(target, ast.Name)
                    and isinstance(node, ast.AugAssign)
                    and target.id in stores
                ):
                    yield node, target.id, "`+=`"


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _loads_a_model(node: ast.AST) -> bool:
    """`MODELS[name] = joblib.load(...)`: a lazily filled cache of loaded artifacts."""
    value = getattr(node, "value", None)
    if isinstance(value, ast.Call):
        name = dotted(value.func).lower()
        return "load" in name or "from_pretrained" in name
    return False


class ModuleLevelStore(FileRule):
    """## What it does
    Reports a module-level dict, list, set (or `defaultdict`, `deque`, `Counter`) that
    request handlers of a web service mutate: `SESSIONS[user_id] = ...`,
    `history.append(...)`, `del jobs[job_id]`. Fine: read-only module constants
    (`LABELS = ["cat", "dog"]`), caches of loaded artifacts (names with `cache`,
    `model`, `registry`..., or values from `load(...)`/`from_pretrained(...)`), state
    filled at startup (a `lifespan` or `startup` hook is not a request handler), and
    non-service modules. Reported where the store is defined (what to change), with the
    first mutation in a request handler as the related location.

    ## Why is this bad?
    Each worker process has its own copy of the module. With two uvicorn/gunicorn
    workers or two replicas, a request sees the data only if it lands on the process
    that stored it; a restart or deploy wipes everything; concurrent requests race on
    the structure.

    ## Example
    ```python
    # src/churn/service.py
    from fastapi import FastAPI
    from pydantic import BaseModel

    app = FastAPI()
    JOBS: dict[str, dict] = {}


    class JobSpec(BaseModel):
        id: str
        dataset: str


    @app.post("/jobs")
    def create_job(spec: JobSpec):
        JOBS[spec.id] = {"status": "queued", "dataset": spec.dataset}
        return {"id": spec.id}


    @app.get("/jobs/{job_id}")
    def job_status(job_id: str):
        return JOBS[job_id]
    ```

    ## Use instead
    Keep shared state in a backing service (Redis, a database, a task queue's result
    backend) and look it up by key in each request:
    ```python
    # src/churn/service.py
    import json
    import os

    import redis
    from fastapi import FastAPI
    from pydantic import BaseModel

    app = FastAPI()
    store = redis.Redis.from_url(os.environ["REDIS_URL"])


    class JobSpec(BaseModel):
        id: str
        dataset: str


    @app.post("/jobs")
    def create_job(spec: JobSpec):
        store.hset(f"job:{spec.id}", mapping={"status": "queued", "dataset": spec.dataset})
        return {"id": spec.id}


    @app.get("/jobs/{job_id}")
    def job_status(job_id: str):
        return store.hgetall(f"job:{job_id}")
    ```
    """

    code = "TF602"
    name = "module-level-store"
    factor = 6
    severity = Severity.WARNING
    summary = "Module-level mutable store shared by a web service's requests"
    fix = "Keep shared state in a backing service (Redis, a database, a queue result backend), not in process memory."
    kinds = frozenset({kinds.PYTHON})
    prefilter = WEB_FRAMEWORK_PREFILTER

    def check(self, file: SourceFile) -> Iterator[Violation]:
        service = _service(file)
        if service is None:
            return
        stores = _module_stores(service.tree)
        if not stores:
            return
        reported: set[str] = set()
        for function in _reachable(service):
            for node, store, how in _mutations(function, stores):
                if store in reported:
                    continue
                reported.add(store)
                # Reported where the store is defined (what to change), with the
                # mutation that makes it shared state as the related place.
                mutated_at = getattr(node, "lineno", None)
                yield Violation(
                    f"module-level `{store}` is mutated by {how} in request handler `{function.name}` (see line {mutated_at}): each worker process has its own copy",
                    line=stores[store],
                    column=1,
                    fix=f"Move `{store}` to a backing service (Redis, a database) keyed by request data.",
                    related=((mutated_at, f"`{store}` mutated by {how} in `{function.name}`"),)
                    if mutated_at
                    else (),
                )
