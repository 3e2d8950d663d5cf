"""Factor 12 - Deployability and monitoring.

Services are found by their routes (FastAPI, Flask, Starlette, Litestar, Sanic, Quart,
aiohttp decorators and `add_api_route`/`add_url_rule`/`Route(...)`). Serving frameworks
that provide health endpoints themselves (BentoML, Ray Serve, LitServe, KServe,
TorchServe, MLServer) are not asked for one.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project.knowledge import WEB_FRAMEWORKS
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
    walk,
)
from twelvefold.sources import SourceFile

_SELF_HEALTHY = frozenset(
    {
        "bentoml",
        "ray",
        "litserve",
        "kserve",
        "ts",
        "mlserver",
        "fastapi_health",
        "healthcheck",
        "flask_healthz",
        "py_healthcheck",
    }
)
_MONITORING = frozenset(
    {
        "prometheus_client",
        "prometheus_fastapi_instrumentator",
        "prometheus_flask_exporter",
        "starlette_exporter",
        "opentelemetry",
        "evidently",
        "whylogs",
        "nannyml",
        "arize",
        "fiddler",
        "alibi_detect",
        "deepchecks",
        "ddtrace",
        "newrelic",
        "seldon_core",
    }
)
_ROUTE_METHODS = frozenset(
    {
        "get",
        "post",
        "put",
        "patch",
        "route",
        "api_route",
        "websocket",
        "add_api_route",
        "add_url_rule",
    }
)
_PREDICT = lazy_compile(
    r"predict|infer|invocations|classif|forecast|recommend|score|embed|detect|segment|generate|transcribe",
    re.IGNORECASE,
)
_HEALTH = lazy_compile(
    r"health|ready|readiness|live|liveness|ping|heartbeat|status|alive|^/$", re.IGNORECASE
)
_LOGGING_NAME = lazy_compile(
    r"log|record|track|monitor|observe|emit|publish|capture|audit|inc$|send|store|persist|report",
    re.IGNORECASE,
)
#: Calls that record a row somewhere (a file, a table, a document store): a handler
#: that writes each prediction down has logged it, wherever that record lives (TF601
#: reports a local file as state; this rule only asks whether predictions are recorded).
_RECORD_METHODS = frozenset(
    {
        "write",
        "writelines",
        "writerow",
        "writerows",
        "to_csv",
        "to_sql",
        "to_parquet",
        "to_json",
        "insert_one",
        "insert_many",
        "put_item",
        "put_record",
        "xadd",
    }
)
_PREPROCESSORS = frozenset(
    {
        "StandardScaler",
        "MinMaxScaler",
        "RobustScaler",
        "MaxAbsScaler",
        "Normalizer",
        "OneHotEncoder",
        "OrdinalEncoder",
        "LabelEncoder",
        "TfidfVectorizer",
        "CountVectorizer",
        "SimpleImputer",
        "KNNImputer",
        "PolynomialFeatures",
        "QuantileTransformer",
        "PowerTransformer",
        "KBinsDiscretizer",
    }
)


@dataclass(frozen=True)
class Route:
    path: str
    function: str
    line: int
    predict: bool
    health: bool
    logs: bool  # the handler logs or records something
    refits: str | None  # a preprocessor built or fitted inside the handler
    #: Dotted names of the project functions and methods the handler calls, to look one
    #: call down when it does not log itself (`app.model.ChurnModel.predict`).
    callees: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceFacts:
    routes: tuple[Route, ...]
    self_healthy: bool
    monitoring: bool
    middleware: bool


@fact(
    "service",
    kinds=[kinds.PYTHON],
    prefilter=lazy_compile(
        rb"fastapi|flask|starlette|litestar|sanic|quart|aiohttp|falcon|tornado|bentoml|serve|litserve|kserve|prometheus|opentelemetry|evidently|whylogs"
    ),
)
def service(file: SourceFile) -> ServiceFacts | None:
    if kinds.is_test_path(file.path):
        return None
    python = file.python
    tree = python.tree if python is not None else None
    if tree is None:
        return None
    modules = imported_modules(tree)
    self_healthy = bool(modules & _SELF_HEALTHY)
    monitoring = bool(modules & _MONITORING)
    if not (modules & WEB_FRAMEWORKS) and not self_healthy and not monitoring:
        return None
    aliases = {**import_aliases(tree), **_relative_aliases(tree, file.path)}
    functions = {
        node.name: node
        for node in walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    module = _Module(tree, aliases)
    routes: list[Route] = []
    middleware = False
    for node in walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                call = decorator if isinstance(decorator, ast.Call) else None
                name = dotted(call.func if call else decorator)
                last = name.rsplit(".", 1)[-1]
                if last in (
                    "middleware",
                    "before_request",
                    "after_request",
                    "before_app_request",
                    "after_app_request",
                ):
                    middleware = True
                if call is not None and last in _ROUTE_METHODS and "." in name:
                    path = _route_path(call)
                    if path is not None:
                        routes.append(_route(path, node, module))
        elif isinstance(node, ast.Call):
            name = dotted(node.func)
            last = name.rsplit(".", 1)[-1]
            if last in ("add_middleware", "wsgi_app") or name.endswith("middlewares.append"):
                middleware = True
            if last in ("add_api_route", "add_url_rule", "Route", "APIRoute") and node.args:
                path = constant_str(node.args[0])
                target = (
                    node.args[1]
                    if len(node.args) > 1
                    else next(
                        (k.value for k in node.keywords if k.arg in ("endpoint", "view_func")), None
                    )
                )
                function = functions.get(dotted(target)) if target is not None else None
                if path is not None and function is not None:
                    routes.append(_route(path, function, module))
                elif path is not None:
                    routes.append(
                        Route(
                            path,
                            dotted(target) if target is not None else "",
                            node.lineno,
                            bool(_PREDICT.search(path)),
                            bool(_HEALTH.search(path)),
                            True,
                            None,
                        )
                    )
    if not routes and not self_healthy and not monitoring:
        return None
    return ServiceFacts(tuple(routes), self_healthy, monitoring, middleware)


def _route_path(call: ast.Call) -> str | None:
    if call.args:
        return constant_str(call.args[0])
    for item in call.keywords:
        if item.arg in ("path", "rule"):
            return constant_str(item.value)
    return None


def _route(path: str, function: ast.FunctionDef | ast.AsyncFunctionDef, module: _Module) -> Route:
    aliases = module.aliases
    predict = bool(_PREDICT.search(path) or _PREDICT.search(function.name))
    health = bool(_HEALTH.search(path) or re.search(r"health|ready|live|ping", function.name))
    logs = False
    refits: str | None = None
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func)
        if _LOGGING_NAME.search(name) or _records(node):
            logs = True
        resolved = qualified(node.func, aliases)
        last = resolved.rsplit(".", 1)[-1]
        if (
            refits is None
            and last in _PREPROCESSORS
            and (resolved.startswith("sklearn") or resolved == last)
        ):
            refits = f"`{last}()`"
        elif (
            refits is None
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("fit", "fit_transform")
        ):
            refits = f"`{name}(...)`"
    callees: tuple[str, ...] = ()
    if predict and not logs:
        local, callees = module.callees(function)
        logs = local  # a function or method of this module that logs
    return Route(path, function.name, function.lineno, predict, health, logs, refits, callees)


# ----------------------------------------------------------------- one call down

#: A logger's methods: `logger.info(...)`, `log.warning(...)`, `structlog`'s `log.msg(...)`.
_LOG_LEVELS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg"}
)
#: What a logger is called: `logger`, `log`, `_LOGGER`, `request_logger`, `logging`,
#: `logging.getLogger(...)`, `structlog.get_logger()`; not `np.log` or `catalog`.
_LOGGER_NAME = lazy_compile(r"(?:^|_)(?:log|logging)$|logger$|^structlog$")


def _logs(function: ast.AST) -> bool:
    """The body writes to a logger (`logger.info(...)`, `logging.warning(...)`)."""
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _LOG_LEVELS
        ):
            receiver = dotted(node.func.value).rsplit(".", 1)[-1].lower()
            if receiver and _LOGGER_NAME.search(receiver):
                return True
    return False


def _relative_aliases(tree: ast.AST, path: str) -> dict[str, str]:
    """Local name -> dotted name for relative imports (`from .model import Model` in
    `app/main.py` -> `app.model.Model`), from the file's folders."""
    found: dict[str, str] = {}
    folders = path.split("/")[:-1]
    for node in nodes(tree, ast.ImportFrom):
        if not node.level or node.level - 1 > len(folders):
            continue
        base = folders[: len(folders) - (node.level - 1)]
        prefix = ".".join([*base, node.module] if node.module else base)
        for alias in node.names:
            if alias.name != "*" and prefix:
                found[alias.asname or alias.name] = f"{prefix}.{alias.name}"
    return found


def _constructor(call: ast.expr, aliases: dict[str, str]) -> list[str]:
    """What `x = Model(...)` or `x = Model.load(...)` makes: `Model`, qualified through
    the imports (for the class method, `Model.load` too: it may be a factory)."""
    if not isinstance(call, ast.Call):
        return []
    name = qualified(call.func, aliases)
    head, _, last = name.rpartition(".")
    if head and last[:1].islower() and head.rpartition(".")[2][:1].isupper():
        return [name, head]  # `Model.load(...)`, `Model.from_pretrained(...)`
    return [name] if name else []


def _annotation(node: ast.expr | None) -> ast.expr | None:
    """`Model` of `model: Model` and of `model: Annotated[Model, Depends(get_model)]`."""
    if isinstance(node, ast.Subscript) and dotted(node.value).endswith("Annotated"):
        inner = node.slice
        return inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
    return node


def _bindings(statements: Iterable[ast.AST]) -> dict[str, ast.expr]:
    """`name -> value` of the plain assignments (`model = ChurnModel(...)`) among them."""
    return {
        node.targets[0].id: node.value
        for node in statements
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
    }


class _Module:
    """One module, as the look one call down needs it: what its own functions and
    methods log, and what its module-level names are bound to."""

    def __init__(self, tree: ast.Module, aliases: dict[str, str]) -> None:
        self.aliases = aliases
        self.bindings = _bindings(tree.body)
        self.logging = _logging_callables_of(tree, self.bindings)

    def callees(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> tuple[bool, tuple[str, ...]]:
        """(a function or method of this module that logs is called, the dotted names
        of the calls into other modules)."""
        bindings = dict(self.bindings)
        arguments = function.args
        for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
            annotation = _annotation(argument.annotation)
            if annotation is not None and dotted(annotation):
                bindings[argument.arg] = ast.Call(func=annotation, args=[], keywords=[])
        bindings.update(_bindings(ast.walk(function)))
        for statement in ast.walk(function):
            if not isinstance(statement, ast.AnnAssign):
                continue
            # `model: ChurnModel = request.app.state.model`: the annotation names the class.
            annotation = _annotation(statement.annotation)
            if isinstance(statement.target, ast.Name) and annotation and dotted(annotation):
                bindings[statement.target.id] = ast.Call(func=annotation, args=[], keywords=[])
        found: list[str] = []
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            name = dotted(node.func)
            if not name:
                continue
            head, _, rest = name.partition(".")
            if name in self.logging:
                return True, ()
            if head in self.aliases:
                found.append(qualified(node.func, self.aliases))
            elif rest and head in bindings:
                for made in _constructor(bindings[head], self.aliases):
                    if f"{made}.{rest}" in self.logging:
                        return True, ()
                    found.append(f"{made}.{rest}")
        return False, tuple(dict.fromkeys(found))


def _logging_callables_of(tree: ast.Module, bindings: dict[str, ast.expr]) -> frozenset[str]:
    """The module's functions (`score`), methods (`Model.predict`) and methods of its
    module-level instances (`model.predict` for `model = Model(...)`) that log."""
    found: set[str] = set()
    classes: dict[str, set[str]] = {}
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and _logs(statement):
            found.add(statement.name)
        elif isinstance(statement, ast.ClassDef):
            methods = {
                item.name
                for item in statement.body
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and _logs(item)
            }
            if methods:
                classes[statement.name] = methods
                found.update(f"{statement.name}.{method}" for method in methods)
    for name, value in bindings.items():
        for made in _constructor(value, {}):
            found.update(f"{name}.{method}" for method in classes.get(made, ()))
    return frozenset(found)


@fact("logging-callables", kinds=[kinds.PYTHON], prefilter=b"log")
def logging_callables(file: SourceFile) -> frozenset[str] | None:
    """The functions and methods of a module that log, for the prediction routes of
    other modules that call them (TF1202 looks one call down into project code)."""
    if kinds.is_test_path(file.path):
        return None
    python = file.python
    tree = python.tree if python is not None else None
    if not isinstance(tree, ast.Module):
        return None
    if not any(
        isinstance(call.func, ast.Attribute) and call.func.attr in _LOG_LEVELS
        for call in nodes(tree, ast.Call)
    ):
        return None
    return _logging_callables_of(tree, _bindings(tree.body)) or None


def _module_names(path: str) -> list[str]:
    """The dotted names a module may be imported by: `src.churn.api`, `churn.api`,
    `api` for `src/churn/api.py` (the package for an `__init__.py`)."""
    parts = path[: -len(".py")].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return [".".join(parts[start:]) for start in range(len(parts))]


def _logging_by_module(logging: Mapping[str, frozenset[str]]) -> dict[str, list[frozenset[str]]]:
    """The `logging-callables` fact by every dotted name its module may be imported by."""
    by_module: dict[str, list[frozenset[str]]] = {}
    for path, names in logging.items():
        for module in _module_names(path):
            by_module.setdefault(module, []).append(names)
    return by_module


def _logs_one_call_down(
    callees: tuple[str, ...], by_module: dict[str, list[frozenset[str]]]
) -> bool:
    """Does one of the called project functions or methods log?"""
    for callee in callees:
        parts = callee.split(".")
        for split in range(len(parts) - 1, 0, -1):
            rest = ".".join(parts[split:])
            if any(rest in names for names in by_module.get(".".join(parts[:split]), ())):
                return True
    return False


def _records(call: ast.Call) -> bool:
    """`f.write(...)`, `writer.writerow(...)`, `df.to_csv(...)`, `db.execute("INSERT ...")`."""
    if not isinstance(call.func, ast.Attribute):
        return False
    if call.func.attr in _RECORD_METHODS:
        return True
    statement = constant_str(call.args[0]) if call.args else None
    return (
        call.func.attr in ("execute", "executemany")
        and statement is not None
        and statement.lstrip().lower().startswith("insert")
    )


def _services(repo: Repo) -> dict[str, ServiceFacts]:
    return dict(sorted(repo.facts("service").items()))


def _predict_routes(services: dict[str, ServiceFacts]) -> list[tuple[str, Route]]:
    return [
        (path, route)
        for path, found in services.items()
        for route in found.routes
        if route.predict and not route.health
    ]


def _external_health_check(repo: Repo) -> bool:
    """A Dockerfile HEALTHCHECK or Kubernetes probes: health is checked some other way."""
    for entry in repo.of_kind(kinds.DOCKERFILE, kinds.YAML):
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        if entry.kind == kinds.DOCKERFILE and re.search(
            r"^\s*HEALTHCHECK\s+(?!NONE)", source.text, re.MULTILINE | re.IGNORECASE
        ):
            return True
        if entry.kind == kinds.YAML and re.search(
            r"\b(?:liveness|readiness|startup)Probe\s*:", source.text
        ):
            return True
    return False


class ServiceWithoutHealthEndpoint(RepoRule):
    """## What it does
    Reports a prediction service (a FastAPI, Flask, Starlette, Litestar, Sanic, Quart or
    aiohttp app with a route such as `/predict`, `/invocations`, `/score`) that has no
    health route anywhere in the project: nothing like `/health`, `/healthz`, `/ready`,
    `/livez`, `/ping`, `/status` or `/`.

    Not reported: serving frameworks that expose health endpoints themselves (BentoML,
    Ray Serve, LitServe, KServe, TorchServe, MLServer), health routes from a library
    (`fastapi-health`), services whose Dockerfile has a `HEALTHCHECK` or whose
    Kubernetes manifests define probes, and batch-only projects.

    ## Why is this bad?
    The platform cannot tell a service that is up from one that is loading its model,
    stuck or out of memory: traffic is sent to replicas that are not ready, and broken
    ones are never restarted.

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
    import joblib
    from fastapi import FastAPI
    from pydantic import BaseModel

    app = FastAPI()
    model = joblib.load("model.joblib")


    class Features(BaseModel):
        tenure_months: int
        monthly_charges: float


    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}


    @app.post("/predict")
    def predict(body: Features):
        return {"churn": int(model.predict([[body.tenure_months, body.monthly_charges]])[0])}
    ```
    """

    code = "TF1201"
    depends_on = ("@code", "@dockerfiles", "@config")
    name = "service-without-health-endpoint"
    factor = 12
    severity = Severity.WARNING
    summary = "Prediction service with no health endpoint"
    fix = (
        "Add a cheap GET /health (or /healthz, /ready) route that reports the loaded model version."
    )
    facts = ("service",)

    def applies(self, repo: Repo) -> bool:
        """Only where there is something to check: without a service the factor is n/a here."""
        return bool(repo.facts("service"))

    def check(self, repo: Repo) -> Iterator[Violation]:
        services = _services(repo)
        predict = _predict_routes(services)
        if not predict:
            return
        if any(found.self_healthy for found in services.values()):
            return
        if any(route.health for found in services.values() for route in found.routes):
            return
        if _external_health_check(repo):
            return
        path, route = predict[0]
        yield Violation(
            f"service route `{route.path}` ({route.function}) has no health endpoint beside it",
            path=path,
            line=route.line,
        )


class PredictionsNotLogged(RepoRule):
    """## What it does
    Reports prediction routes whose handler neither logs nor records anything (no
    `logger.info(...)`, no `log_prediction(...)`/`record(...)`/metrics call), in a
    service with no request middleware and no monitoring library (Prometheus,
    OpenTelemetry, Evidently, whylogs, NannyML, Arize...). Missing evidence, so `info`.

    Looks one call down into the project's own code: a handler that calls a function or
    method of the same module or of an imported project module (`model.predict(x)` on a
    `ChurnModel` of `app/model.py`, whether `model` is built there, a parameter typed
    `ChurnModel` or a local annotated `model: ChurnModel = request.app.state.model`;
    `score(x)` from `service/scoring.py`) whose body
    writes to a logger (`logger.info(...)`, `logging.warning(...)`, a structlog or
    loguru logger) has its predictions logged. Deeper calls are not followed.

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
    depends_on = ("@code",)
    name = "predictions-not-logged"
    factor = 12
    severity = Severity.INFO
    repo_kinds = frozenset({project_kind.APPLICATION})
    summary = "Prediction route that logs neither inputs nor predictions"
    fix = "Log each prediction's inputs, output, model version and latency (structured logger.info or a monitoring hook)."
    facts = ("service", "logging-callables")

    def applies(self, repo: Repo) -> bool:
        """Only where there is something to check: without a service the factor is n/a here."""
        return bool(repo.facts("service"))

    def check(self, repo: Repo) -> Iterator[Violation]:
        services = _services(repo)
        if any(found.monitoring or found.self_healthy for found in services.values()):
            return
        by_module = _logging_by_module(repo.facts("logging-callables"))
        for path, route in _predict_routes(services):
            if route.logs or services[path].middleware:
                continue
            if _logs_one_call_down(route.callees, by_module):
                continue  # the model wrapper or helper it calls logs each prediction
            yield Violation(
                f"route `{route.path}` ({route.function}) returns predictions without logging inputs or outputs",
                path=path,
                line=route.line,
            )


class PreprocessingFittedInServing(RepoRule):
    """## What it does
    Reports a prediction route whose handler builds or fits its own preprocessing:
    a fresh `StandardScaler()`, `OneHotEncoder()`, `TfidfVectorizer()`,
    `LabelEncoder()`... or a `.fit(...)`/`.fit_transform(...)` call on request data.

    This is the visible form of training/serving skew: a transformer fitted on one
    request is not the transformer the model was trained with.

    ## Why is this bad?
    The model receives features scaled or encoded differently from training (a scaler
    fitted on one row maps everything to 0; an encoder fitted on the request invents its
    own categories), and predictions are silently wrong.

    ## Example
    ```python
    # src/churn/service.py
    import joblib
    import pandas as pd
    from fastapi import FastAPI
    from pydantic import BaseModel
    from sklearn.preprocessing import StandardScaler

    app = FastAPI()
    model = joblib.load("model.joblib")


    class Features(BaseModel):
        tenure_months: int
        monthly_charges: float


    @app.post("/predict")
    def predict(body: Features):
        X = StandardScaler().fit_transform(pd.DataFrame([body.model_dump()]))
        return {"churn": model.predict(X).tolist()}
    ```

    ## Use instead
    Fit the preprocessing in training, save it with the model (one scikit-learn
    `Pipeline`), and load that pipeline in the service: `pipeline.predict(frame)`.
    ```python
    # src/churn/service.py
    import joblib
    import pandas as pd
    from fastapi import FastAPI
    from pydantic import BaseModel

    app = FastAPI()
    pipeline = joblib.load("pipeline.joblib")  # StandardScaler + model, fitted in training


    class Features(BaseModel):
        tenure_months: int
        monthly_charges: float


    @app.post("/predict")
    def predict(body: Features):
        return {"churn": pipeline.predict(pd.DataFrame([body.model_dump()])).tolist()}
    ```
    """

    code = "TF1203"
    depends_on = ("@code",)
    name = "preprocessing-fitted-in-serving"
    factor = 12
    severity = Severity.WARNING
    summary = "Prediction handler fits its own preprocessing (training/serving skew)"
    fix = "Save the fitted preprocessing with the model (one sklearn Pipeline) and only call transform/predict when serving."
    facts = ("service",)

    def applies(self, repo: Repo) -> bool:
        """Only where there is something to check: without a service the factor is n/a here."""
        return bool(repo.facts("service"))

    def check(self, repo: Repo) -> Iterator[Violation]:
        for path, route in _predict_routes(_services(repo)):
            if route.refits:
                yield Violation(
                    f"route `{route.path}` ({route.function}) fits preprocessing at serving time: {route.refits}",
                    path=path,
                    line=route.line,
                )


# ----------------------------------------------------------------------------- model files

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
