"""TF1202 predictions-not-logged: prediction route that logs neither inputs nor predictions."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator, Mapping

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule, fact
from twelvefold.rules._pyast import nodes
from twelvefold.rules.f12_deployability._service import (
    _LOG_LEVELS,
    Route,
    _bindings,
    _logging_callables_of,
    _predict_routes,
    _reads_and_infers,
    _services,
    module_functions,
    own_module_tree,
)
from twelvefold.sources import SourceFile


@fact("logging-callables", kinds=[kinds.PYTHON], prefilter=b"log")
def logging_callables(file: SourceFile) -> frozenset[str] | None:
    """The functions and methods of a module that log, for the prediction routes of
    other modules that call them (TF1202 looks one call down into project code)."""
    tree = own_module_tree(file)
    if tree is None:
        return None
    if not any(
        isinstance(call.func, ast.Attribute) and call.func.attr in _LOG_LEVELS
        for call in nodes(tree, ast.Call)
    ):
        return None
    return _logging_callables_of(tree, _bindings(tree.body)) or None


@fact("stored-readers", kinds=[kinds.PYTHON], prefilter=lazy_compile(rb"json|read_|yaml"))
def stored_readers(file: SourceFile) -> frozenset[str] | None:
    """The module-level functions of a module that load stored files and call no model
    (a dashboard API's `get_price_forecast()` returning the JSON the daily batch job
    wrote), for the prediction routes of other modules that call them."""
    tree = own_module_tree(file)
    if tree is None:
        return None
    functions = module_functions(tree)
    found = set()
    for name, function in functions.items():
        reads, infers = _reads_and_infers(function, functions, look_down=True, file_loads=True)
        if reads and not infers:
            found.add(name)
    return frozenset(found) or None


def _module_names(path: str) -> list[str]:
    """The dotted names a module may be imported by: `src.churn.api`, `churn.api`,
    `api` for `src/churn/api.py` (the package for an `__init__.py`)."""
    parts = path[: -len(".py")].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return [".".join(parts[start:]) for start in range(len(parts))]


def _callables_by_module(
    callables: Mapping[str, frozenset[str]],
) -> dict[str, list[frozenset[str]]]:
    """A fact of callables per module (`logging-callables`, `stored-readers`) by every
    dotted name its module may be imported by."""
    by_module: dict[str, list[frozenset[str]]] = {}
    for path, names in callables.items():
        for module in _module_names(path):
            by_module.setdefault(module, []).append(names)
    return by_module


def _calls_one_down(callees: tuple[str, ...], by_module: dict[str, list[frozenset[str]]]) -> bool:
    """Is one of the called project functions or methods among `by_module`'s (one that
    logs, one that loads stored files)?"""
    for callee in callees:
        parts = callee.split(".")
        for split in range(len(parts) - 1, 0, -1):
            rest = ".".join(parts[split:])
            if any(rest in names for names in by_module.get(".".join(parts[:split]), ())):
                return True
    return False


#: A route that embeds text for retrieval (`/embeddings`, `create_embeddings`).
_EMBEDDING = lazy_compile(r"embed", re.IGNORECASE)


class PredictionsNotLogged(RepoRule):
    """## What it does
    Reports prediction routes whose handler neither logs nor records anything (no
    `logger.info(...)`, no `log_prediction(...)`/`record(...)`/metrics call), in a
    service with no request middleware (in the route's module, or a logging one registered
    by a module in a folder above it: `app.add_middleware(RequestLoggingMiddleware)` in
    `src/api/app.py` for the routers of `src/api/routes/`; CORS is no logging) and no
    monitoring library (Prometheus,
    OpenTelemetry, Evidently, whylogs, NannyML, Arize...). Missing evidence, so `info`.

    Looks one call down into the project's own code: a handler that calls a function or
    method of the same module or of an imported project module (`model.predict(x)` on a
    `ChurnModel` of `app/model.py`, whether `model` is built there, a parameter typed
    `ChurnModel` or a local annotated `model: ChurnModel = request.app.state.model`;
    `score(x)` from `service/scoring.py`) whose body
    writes to a logger (`logger.info(...)`, `logging.warning(...)`, a structlog or
    loguru logger) has its predictions logged. Deeper calls are not followed. A handler
    that prints the request's inputs to stdout (`print(data.model_dump(), flush=True)`,
    each form field it read) has logged them, by the factors' stream (TF902 asks for a
    logger instead). An
    embedding route (`/embeddings`) is not asked: the text it embeds and the vectors
    it returns are users' documents, not predictions to keep. Nor is a route named for
    predictions that computes none: it calls no model (`.predict(...)`, `model(x)`, a
    `run_forecast(...)`) but lists, downloads or schedules them (`read_forecasts(db)`,
    a `create_forecast` that queues a background job, which records its own results
    (a thread started with a `target`, `background_tasks.add_task(...)`, Celery's
    `.delay(...)`, `model_job_service.enqueue_...(...)`), streams a file a job wrote
    (`FileResponse(_api_prediction_file(job_id, "classification.tif"))`),
    or returns what a function of another project module loads from stored files:
    `deps.get_price_forecast()` reading the JSON a daily batch job wrote),
    or looks them up in a table of stored predictions that it or its module reads
    (`pd.read_parquet("lgb_preds.parquet")`), a function of the same module it calls
    judged by its body rather than its name (a `predict()` that does `df.loc[...]`).

    ## Why is this bad?
    Without a record of inputs, outputs, model version and latency, nobody can see drift,
    debug a complaint about one prediction, or compare the live model with the one that
    was evaluated.

    ## Example
    ```python
    # src/churn/service.py
    import joblib
    from fastapi import FastAPI
    from pydantic import BaseModel

    app = FastAPI()
    model = joblib.load("model.joblib")


    class Features(BaseModel):
        tenure_months: int
        monthly_charges: float


    @app.post("/predict")
    def predict(body: Features):
        return {"churn": int(model.predict([[body.tenure_months, body.monthly_charges]])[0])}
    ```

    ## Use instead
    ```python
    # src/churn/service.py
    import logging

    import joblib
    from fastapi import FastAPI
    from pydantic import BaseModel

    logger = logging.getLogger(__name__)
    app = FastAPI()
    model = joblib.load("model.joblib")
    MODEL_VERSION = "3"


    class Features(BaseModel):
        tenure_months: int
        monthly_charges: float


    @app.post("/predict")
    def predict(body: Features):
        y = int(model.predict([[body.tenure_months, body.monthly_charges]])[0])
        logger.info(
            "prediction",
            extra={"inputs": body.model_dump(), "output": y, "model_version": MODEL_VERSION},
        )
        return {"churn": y}
    ```
    """

    code = "TF1202"
    roles = role.IN_USE
    depends_on = ("@code",)
    name = "predictions-not-logged"
    factor = 12
    severity = Severity.INFO
    repo_kinds = frozenset({project_kind.APPLICATION})
    summary = "Prediction route that logs neither inputs nor predictions"
    fix = "Log each prediction's inputs, output, model version and latency (structured logger.info or a monitoring hook)."
    facts = ("service", "logging-callables", "stored-readers")

    def applies(self, repo: Repo) -> bool:
        """Only where there is something to check: without a service the factor is n/a here."""
        return bool(repo.facts("service"))

    def check(self, repo: Repo) -> Iterator[Violation]:
        services = _services(repo)
        if any(found.monitoring or found.self_healthy for found in services.values()):
            return
        by_module = _callables_by_module(repo.facts("logging-callables"))
        readers = _callables_by_module(repo.facts("stored-readers"))
        # A request middleware logs the routes of its own module and of the modules
        # below its folder (`app.add_middleware(RequestLoggingMiddleware)` in
        # `src/api/app.py`, the routers it includes in `src/api/routes/`).
        middleware_folders = [
            posixpath.dirname(path) for path, found in services.items() if found.logging_middleware
        ]
        # One handler served under several paths (stacked decorators: `/recommendations`
        # and `/v1/recommend`) is one place to log: one finding, naming its aliases.
        unlogged: dict[tuple[str, int | None], list[Route]] = {}
        for path, route in _predict_routes(services):
            if not route.infers or route.logs or services[path].middleware:
                continue
            if any(folder == "" or path.startswith(folder + "/") for folder in middleware_folders):
                continue
            if _calls_one_down(route.callees, by_module):
                continue  # the model wrapper or helper it calls logs each prediction
            if not route.computes and _calls_one_down(route.callees, readers):
                # Named for predictions, it calls no model: it serves what a project
                # function loads from the files a batch job wrote (`deps.get_forecast()`).
                continue
            if _EMBEDDING.search(f"{route.path} {route.function}"):
                # An embedding endpoint turns users' documents into vectors for a search
                # index: logging the text and the vectors is what nobody wants kept.
                continue
            unlogged.setdefault((path, route.line), []).append(route)
        for (path, line), routes in unlogged.items():
            first, *aliases = routes
            also = ", ".join(f"`{alias.path}`" for alias in aliases)
            yield Violation(
                f"route `{first.path}` ({first.function}"
                + (f", also served as {also}" if aliases else "")
                + ") returns predictions without logging inputs or outputs",
                path=path,
                line=line,
            )
