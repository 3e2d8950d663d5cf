"""TF602 module-level-store: module-level mutable store shared by a web service's requests."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.project.knowledge import (
    WEB_FRAMEWORK_PREFILTER,
)
from twelvefold.rule import FileRule
from twelvefold.rules._pyast import dotted
from twelvefold.rules.f06_processes._service import (
    _reachable,
    _service,
)
from twelvefold.sources import SourceFile

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
#: A process's own metrics (`PREDICTION_METRICS`, `REQUEST_COUNTERS`): counters each worker
#: keeps and a scraper reads per process, as Prometheus's own client does.
_METRICS_NAME = lazy_compile(r"(?:^|_)(?:metrics|counters)$", re.IGNORECASE)
#: The live connections of this process (`active_connections`, `_cs_connections`,
#: `websockets`, `subscribers`): sockets only the process holding them can write to, kept
#: to broadcast to and close, whatever the data they carry comes from.
_CONNECTIONS_NAME = lazy_compile(
    r"(?:^|_)(?:connections|conns|websockets|sockets|clients|subscribers|listeners)$",
    re.IGNORECASE,
)


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
        if not mutable or _ring_buffer(value) or _holds_locks(node, value):
            continue
        for target in targets:
            if (
                isinstance(target, ast.Name)
                and not _CACHE_NAME.search(target.id)
                and not _METRICS_NAME.search(target.id)
                and not _CONNECTIONS_NAME.search(target.id)
            ):
                stores[target.id] = node.lineno
    return stores


#: Synchronisation primitives: they coordinate this process's own tasks, they hold no
#: data (`inflight: dict[str, asyncio.Lock] = {}`, one lock per key being copied).
_PRIMITIVE = lazy_compile(r"(?:^|\.)(?:Lock|RLock|Semaphore|BoundedSemaphore|Event|Condition)$")
_LOCKS_NAME = lazy_compile(r"(?:^|_)(?:locks?|semaphores?|mutex(?:es)?)$", re.IGNORECASE)


def _holds_locks(node: ast.stmt, value: ast.expr) -> bool:
    """A store of locks, semaphores or events (annotated so, a `defaultdict(asyncio.Lock)`,
    or named `locks`): per-process coordination, as it must be."""
    if isinstance(node, ast.AnnAssign) and any(
        _PRIMITIVE.search(dotted(inner))
        for inner in ast.walk(node.annotation)
        if isinstance(inner, (ast.Name, ast.Attribute))
    ):
        return True
    if isinstance(value, ast.Call) and value.args and _PRIMITIVE.search(dotted(value.args[0])):
        return True  # `defaultdict(asyncio.Lock)`
    target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
    return isinstance(target, ast.Name) and bool(_LOCKS_NAME.search(target.id))


def _ring_buffer(value: ast.expr) -> bool:
    """`deque(maxlen=250)`: the last N entries of this process (a debug page's request
    log), bounded and per process by design."""
    return (
        isinstance(value, ast.Call)
        and dotted(value.func).rsplit(".", 1)[-1] == "deque"
        and (len(value.args) >= 2 or any(k.arg == "maxlen" for k in value.keywords))
    )


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
    filled at startup (a `lifespan` or `startup` hook is not a request handler), bounded
    ring buffers (`deque(maxlen=250)`: the last requests of this process, for a debug
    page), a process's metrics (names ending in `metrics` or `counters`: per-process
    counters a scraper reads from each worker, as Prometheus's client keeps them), the
    process's live connections (`active_connections`, `websockets`, `subscribers`: a
    socket can only be written to by the process holding it), stores of locks,
    semaphores or events (`inflight: dict[str, asyncio.Lock]`, `defaultdict(asyncio.Lock)`,
    a `locks` dict: they coordinate this process's own tasks and hold no data), and
    non-service modules. Reported where the store is defined (what to change), with the
    first mutation in a request handler as the related location.

    Not reported in a course repository: its services are lessons, each showing one idea.

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
    roles = role.IN_USE
    # A course's services are lessons: a toy API keeping jobs in a dict, or writing the
    # report it returns to a file, shows one idea at a time (7 findings on course
    # repositories judged, none TRUE).
    repo_kinds = frozenset(project_kind.KINDS) - {project_kind.COURSE}
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
            if _lifespan_hook(function):
                continue  # startup and shutdown, once per process, even if a handler enters it
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


def _lifespan_hook(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """FastAPI/Starlette's lifespan: `@asynccontextmanager async def lifespan(app)`, which
    fills per-process clients at startup (a request handler entering it does too)."""
    decorated = any(
        dotted(d.func if isinstance(d, ast.Call) else d).endswith("contextmanager")
        for d in function.decorator_list
    )
    first = function.args.args[0].arg if function.args.args else ""
    return function.name == "lifespan" or (decorated and first == "app")
