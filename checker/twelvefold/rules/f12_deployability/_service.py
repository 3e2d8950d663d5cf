"""The `service` fact: the routes a module serves and what they do.

Services are found by their routes (FastAPI, Flask, Starlette, Litestar, Sanic, Quart,
aiohttp decorators and `add_api_route`/`add_url_rule`/`Route(...)`). Serving frameworks
that provide health endpoints themselves (BentoML, Ray Serve, LitServe, KServe,
TorchServe, MLServer) are not asked for one.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Iterable
from dataclasses import dataclass

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.project.knowledge import LOG_LEVELS, WEB_FRAMEWORKS
from twelvefold.repo import Repo
from twelvefold.rule import fact
from twelvefold.rules._pyast import (
    called_name,
    constant_str,
    dotted,
    import_aliases,
    imported_modules,
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
    r"log|record|track|monitor|observe|emit|publish|capture|audit|inc$|send|store|persist|report"
    # a project helper saving the request or its predictions (`save_prediction_results(
    # ...)` into MySQL, `insert_upload_history(...)`), not a model (`save_model`)
    r"|(?:save|insert|write|add)_\w*(?:prediction|result|upload|request|input|output|history"
    # what the model said, by its task (`save_classification(prob, patient_id)`)
    r"|classification|detection|segmentation|diagnos|forecast|inference)",
    re.IGNORECASE,
)
#: A middleware class named for logging requests (`RequestLoggingMiddleware`,
#: `AccessLogMiddleware`, `TimingMiddleware`, `PrometheusMiddleware`).
_LOGGING_MIDDLEWARE = lazy_compile(r"log|access|audit|timing|metric|monitor|trac|prometheus", re.I)
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
    #: The handler computes a prediction (a model called, a `predict_*` function), not
    #: only reads, lists or records them.
    infers: bool = True
    #: What its calls show, not only its path's name: a model called, a `predict_*`.
    computes: bool = True


#: A module must import one of these for the fact to say anything about it.
_SERVICE_MODULES = WEB_FRAMEWORKS | _SELF_HEALTHY | _MONITORING


@dataclass(frozen=True)
class ServiceFacts:
    routes: tuple[Route, ...]
    self_healthy: bool
    monitoring: bool
    middleware: bool
    #: A middleware that logs requests: `app.add_middleware(RequestLoggingMiddleware)`, an
    #: `@app.middleware("http")` function calling a logger (not CORS, GZip, auth).
    logging_middleware: bool = False


def module_functions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """A module's top-level functions, by name."""
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


def own_module_tree(file: SourceFile) -> ast.Module | None:
    """The parsed module of a file that is not a test, for the facts other modules'
    routes look up (what logs, what loads stored files, what preprocesses)."""
    if kinds.is_test_path(file.path):
        return None
    python = file.python
    tree = python.tree if python is not None else None
    return tree if isinstance(tree, ast.Module) else None


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
    if file.python is not None:
        scanned = file.python.imported_tops
        if scanned is not None and scanned.isdisjoint(_SERVICE_MODULES):
            return None  # imports no web, serving or monitoring framework: no parse
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
    logging_middleware = False
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
                    if any(
                        isinstance(call, ast.Call) and _LOGGING_NAME.search(dotted(call.func))
                        for call in walk(node)
                    ):
                        logging_middleware = True
                if call is not None and last in _ROUTE_METHODS and "." in name:
                    path = _route_path(call)
                    if path is not None:
                        routes.append(_route(path, node, module))
        elif isinstance(node, ast.Call):
            name = dotted(node.func)
            last = name.rsplit(".", 1)[-1]
            if last in ("add_middleware", "wsgi_app") or name.endswith("middlewares.append"):
                middleware = True
                if node.args and _LOGGING_MIDDLEWARE.search(dotted(node.args[0])):
                    logging_middleware = True
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
    return ServiceFacts(tuple(routes), self_healthy, monitoring, middleware, logging_middleware)


def _route_path(call: ast.Call) -> str | None:
    if call.args:
        return constant_str(call.args[0])
    for item in call.keywords:
        if item.arg in ("path", "rule"):
            return constant_str(item.value)
    return None


#: Readers of a stored table or object: what a route serving stored results calls.
_STORED_READERS = lazy_compile(
    r"read_(?:parquet|csv|json|feather|sql\w*|table|pickle)|get_object|download_\w+"
)
#: Calls that compute a prediction (the last name called), or a callee named like a model.
_INFERS = frozenset(
    {
        "predict",
        "predict_proba",
        "forward",
        "generate",
        "infer",
        "inference",
        "transform",
        "classify",
        "encode",
        "embed",
        "score",
        "run",
        "invoke",
        "__call__",
    }
)
_MODEL_NAME = lazy_compile(r"model|pipeline|predictor|classifier|regressor|session|engine", re.I)


def _serves_stored_results(
    function: ast.FunctionDef | ast.AsyncFunctionDef, module: _Module
) -> bool:
    """The handler reads a stored table (`pd.read_parquet(f"{bucket}/predictions.parquet")`)
    and calls nothing that infers (`.predict(...)`, `model(x)`, `session.run`): it serves
    what a batch job predicted, which that job records."""
    reads, infers = _reads_and_infers(function, module.functions, look_down=False)
    return reads and not infers


def _looks_up_stored_predictions(
    function: ast.FunctionDef | ast.AsyncFunctionDef, module: _Module
) -> bool:
    """The handler serves predictions from a table its module loaded
    (`df_preds = read_parquet_files("lgb_preds.parquet")` at the top) or that it or a
    function of its module reads, and nothing it calls infers, a function of the module
    judged by its body rather than its name (grocery-sales' `predict()` looks the
    forecast up with `df_preds.loc[...]`): what a batch job predicted, which that job
    records. Still a prediction service's route (TF1201)."""
    reads, infers = _reads_and_infers(function, module.functions, look_down=True)
    return (reads or module.reads_stored_table) and not infers


#: Calls that load what a file holds (`json.loads(path.read_text())`), for a helper that
#: returns stored results (a handler's own `json.loads` may parse its request instead).
_FILE_LOADS = frozenset({"json.load", "json.loads", "yaml.safe_load", "orjson.loads"})


def _reads_and_infers(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef],
    *,
    look_down: bool,
    file_loads: bool = False,
) -> tuple[bool, bool]:
    """(the body calls a reader of stored tables, it calls something that infers); with
    `look_down`, a call of one of the module's `functions` counts as that function's
    body; with `file_loads`, loading a JSON or YAML file counts as reading one."""
    reads = infers = False
    for node in walk(function):
        if not isinstance(node, ast.Call):
            continue
        last = called_name(node)
        local = functions.get(node.func.id) if isinstance(node.func, ast.Name) else None
        if look_down and local is not None and local is not function:
            inner_reads, inner_infers = _reads_and_infers(
                local, functions, look_down=False, file_loads=file_loads
            )
            reads, infers = reads or inner_reads, infers or inner_infers
        elif _STORED_READERS.fullmatch(last) or (file_loads and dotted(node.func) in _FILE_LOADS):
            reads = True
        elif last in _INFERS or _MODEL_NAME.search(dotted(node.func)):
            infers = True
    return reads, infers


#: Callees whose name says they read, list or record something (`crud.get_forecasts(db)`,
#: `create_forecast_job(...)`), not that they compute a prediction.
_RECORD_VERB = lazy_compile(
    r"_?(?:get|read|list|download|fetch|load|create|delete|update|save|seed|upload)_"
)
#: Generating a rendering, not a model's output: `/generate-graph6`, `generate_report`,
#: `/generate_pdf` (a chart of stored scans, a document): no prediction word in it.
_RENDERING = lazy_compile(
    r"generate[-_/]?(?:graph|plot|chart|report|pdf|diagram|figure|visuali[sz])[a-z0-9]*", re.I
)


#: Callees whose name says they turn stored data into a response (`_parse_forecast_response(
#: raw)`, `format_predictions(rows)`), not that they compute it.
_SHAPING_VERB = lazy_compile(r"_?(?:parse|format|seriali[sz]e|render|convert|to)_")


#: Callees whose name says they name a place (`_api_prediction_file(job_id, ...)`,
#: `prediction_path(run)`): where a stored prediction is, not one computed.
_PLACE_NOUN = lazy_compile(r"_(?:file|path|dir|folder|url|uri|key)s?$")


#: Pydantic's methods of a request body (`payload.model_dump(mode="json")`): named
#: `model_*`, they run no model.
_PYDANTIC_METHODS = frozenset(
    {"model_dump", "model_dump_json", "model_validate", "model_validate_json", "model_copy"}
)


#: Built-in functions: `len(models)` counts records, it hands no model to a helper.
_BUILTINS = frozenset(dir(builtins))


def _computes_a_prediction(
    function: ast.FunctionDef | ast.AsyncFunctionDef, module: _Module | None
) -> bool:
    """The handler calls something that infers: `.predict(...)`, `model(x)`, a callee
    named for a model (`self.pipeline...`) or for a prediction (`predict_price(...)`,
    `run_forecast(...)`), not one that reads, lists or records (`get_forecasts(db)`), or
    hands a model instance to a helper (`get_segments(model, file)`), nor one named for
    shaping a response (`_parse_forecast_response(raw)`). A function of the same module
    it calls is judged by its body too (`_score(x)` calling `model.predict`)."""
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        local = (
            module.functions.get(node.func.id)
            if module is not None and isinstance(node.func, ast.Name)
            else None
        )
        if (
            local is not None
            and local is not function
            and _computes_a_prediction(local, None)  # one call down, by the same tests
        ):
            return True
        last = called_name(node)
        if last in _INFERS or last == "fit_transform":
            return True
        if last in _PYDANTIC_METHODS:
            continue  # `payload.model_dump()`: the request's body, no model
        if _queues(last):
            continue  # `model_job_service.enqueue_summary_generation(...)`: a job queued
        if (
            _MODEL_NAME.search(dotted(node.func))
            # not a class built (`ClassificationModelService(db)`) nor a record of models
            # read or written (`service.list_available_models(db)`)
            and not last[:1].isupper()
            and not _RECORD_VERB.match(last)
            # nor a database's session or engine (`db.session.query(Prediction...)`)
            and not _DATABASE_HANDLE.search(dotted(node.func))
        ):
            return True
        if (
            _PREDICT.search(last)
            and not _RECORD_VERB.match(last)
            and not _SHAPING_VERB.match(last)
            and not _PLACE_NOUN.search(last)
            and not last[:1].isupper()
        ):
            return True  # `predict_price(...)`, not `ClassificationModelService(db)`
        if last not in _BUILTINS and any(
            # an instance (`model`, `seg_model`), not a class or an enum (`ForecastingModel`)
            isinstance(argument, ast.Name)
            and argument.id[:1].islower()
            and _MODEL_NAME.search(argument.id)
            for argument in node.args
        ):
            return True  # `get_segments(model, file)`: the model handed to a helper
    return False


#: What a database's session or engine is asked (SQLAlchemy's `db.session.query(...)`,
#: `engine.connect()`): records read or written, where an ONNX session `run`s a model.
_DATABASE_HANDLE = lazy_compile(
    r"(?:^|\.)(?:session|engine)\.(?:query|add|add_all|commit|execute|connect|begin"
    r"|get|delete|merge|flush|rollback|scalars?|close|refresh|dispose)\b"
)
#: A prediction addressed as a stored record (`/predictions/<int:prediction_id>/review`,
#: `/prediction/{id}`): the route reads or changes it, it computes none.
_RECORD_PATH = lazy_compile(r"predictions?/(?:\{[^}]*\}|<[^>]*>)", re.I)
#: What a handler may call and still compute nothing: it builds the response.
_RESPONSE_BUILDERS = frozenset(
    {"jsonify", "JSONResponse", "make_response", "Response", "dict", "render_template"}
)


def _returns_a_constant(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The handler calls nothing but response builders: it returns a fixed body (an API
    documentation's `/example/predict` sample), whatever its path says."""
    body = [node for statement in function.body for node in ast.walk(statement)]
    return all(
        called_name(node) in _RESPONSE_BUILDERS for node in body if isinstance(node, ast.Call)
    ) and not any(isinstance(node, (ast.Await, ast.Yield)) for node in body)


#: A path's placeholders (`/{forecast_id}/`, `/<int:job_id>`): names of records, not what
#: the route does.
_PLACEHOLDER = lazy_compile(r"\{[^}]*\}|<[^>]*>")


#: A flag saying whether a model is trained yet: `model.is_fitted`, `self.trained`.
_FITTED_FLAG = lazy_compile(r"fitted|trained", re.I)
#: A model held until first use: `if _model is None:`.
_HELD_MODEL = lazy_compile(r"_?(?:\w+_)?(?:model|estimator|pipeline)", re.I)


def _models_built_here(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Names the handler binds to a model it builds itself (`model = Prophet(...)`, then
    `model.fit(history)`): a model of the request's own series, fitted per request by
    design, not a preprocessing step refitted away from its training (`StandardScaler`)."""
    built: set[str] = set()
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
        ):
            made = called_name(node.value)
            if made[:1].isupper() and made not in _PREPROCESSORS:
                built.add(node.targets[0].id)
    return built


def _lazily_trained_fits(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[int]:
    """The `.fit(...)` calls under a test of whether the model is trained yet (`if not
    causal_model.is_fitted: causal_model.fit(X_sample, y_sample)`, `if _model is None:`):
    the model is trained once, on the first request, not refitted on each request's data."""
    found: set[int] = set()
    for branch in ast.walk(function):
        if not isinstance(branch, ast.If):
            continue
        tested = list(ast.walk(branch.test))
        names = [
            node.attr if isinstance(node, ast.Attribute) else node.id
            for node in tested
            if isinstance(node, (ast.Attribute, ast.Name))
        ]
        is_none = any(
            isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.Is) for node in tested
        )
        if not any(
            _FITTED_FLAG.search(name) or (is_none and _HELD_MODEL.fullmatch(name)) for name in names
        ):
            continue
        found.update(
            id(node)
            for statement in branch.body
            for node in ast.walk(statement)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "fit"
        )
    return found


def _route(path: str, function: ast.FunctionDef | ast.AsyncFunctionDef, module: _Module) -> Route:
    aliases = module.aliases
    # A placeholder names a record (`/history/<int:prediction_id>/delete`), not the route.
    route_path = _RENDERING.sub("", _PLACEHOLDER.sub("", path))
    predict = bool(
        _PREDICT.search(route_path) or _PREDICT.search(_RENDERING.sub("", function.name))
    )
    if predict and _serves_stored_results(function, module):
        predict = False  # it reads predictions a batch job stored; nothing is inferred here
    # Whether the route serves predictions TF1202 asks to be logged: it computes one, or
    # its path says so (`/predict`, `/segmentation`: a model server behind a queue may
    # compute it) and its handler's name does not say it reads, lists or records
    # (`download_forecast` of `/{id}/forecast/download/`). `read_forecasts(db)` or a
    # `create_forecast` queueing a background job is named for predictions and computes
    # none: still a prediction service's route, which TF1201 asks a health check of.
    named_path = bool(_PREDICT.search(route_path)) and not _RECORD_PATH.search(path)
    computes = predict and _computes_a_prediction(function, module)
    infers = computes or (
        predict
        and named_path
        and not _RECORD_VERB.match(function.name)
        and not _returns_a_constant(function)
    )
    if infers and _looks_up_stored_predictions(function, module):
        infers = False
    if infers and not computes and _hands_work_off(function):
        # It queues the prediction (`threading.Thread(target=_run_inference).start()`,
        # `background_tasks.add_task(run_job, ...)`) and answers with a task id: the
        # job computes and records it, not this handler.
        infers = False
    health = bool(_HEALTH.search(path) or re.search(r"health|ready|live|ping", function.name))
    logs = False
    refits: str | None = None
    trains_once = _lazily_trained_fits(function)
    per_request = _models_built_here(function)
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func)
        if _LOGGING_NAME.search(name) or _records(node) or _schedules_logging(node):
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
            and id(node) not in trains_once
            and not (isinstance(node.func.value, ast.Name) and node.func.value.id in per_request)
            and not _FITTED_MODEL.search(dotted(node.func.value).rsplit(".", 1)[-1])
        ):
            refits = f"`{name}(...)`"
    if predict and not logs:
        logs = _prints_inputs(function)
    callees: tuple[str, ...] = ()
    if predict and not logs:
        local, callees = module.callees(function)
        logs = local  # a function or method of this module that logs
    return Route(
        path,
        function.name,
        function.lineno,
        predict,
        health,
        logs,
        refits,
        callees,
        infers,
        computes,
    )


# ----------------------------------------------------------------- one call down

#: A logger's methods: `logger.info(...)`, `log.warning(...)`, `structlog`'s `log.msg(...)`.
_LOG_LEVELS = LOG_LEVELS | {"fatal", "log", "msg"}
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
        #: The module's own functions, by name.
        self.functions = module_functions(tree)
        #: Its top-level code reads a stored table, itself or through one of its
        #: functions (`df_preds = read_parquet_files("lgb_preds.parquet")`).
        self.reads_stored_table = any(
            _STORED_READERS.fullmatch(called_name(node))
            or (
                isinstance(node.func, ast.Name)
                and node.func.id in self.functions
                and _reads_and_infers(
                    self.functions[node.func.id], self.functions, look_down=False
                )[0]
            )
            for statement in tree.body
            if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            for node in walk(statement)
            if isinstance(node, ast.Call)
        )

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


#: Calls that run a function after the response or elsewhere: FastAPI's
#: `background_tasks.add_task(fn, ...)`, an executor's `submit`, Celery's `delay`...
_SCHEDULERS = frozenset({"add_task", "submit", "create_task", "delay", "apply_async", "enqueue"})


def _schedules_logging(call: ast.Call) -> bool:
    """`background_tasks.add_task(log_batch_predictions, ...)`: the route logs its
    predictions after it answers."""
    return (
        isinstance(call.func, ast.Attribute)
        and call.func.attr in _SCHEDULERS
        and bool(call.args)
        and isinstance(call.args[0], (ast.Name, ast.Attribute))
        and bool(_LOGGING_NAME.search(dotted(call.args[0])))
    )


#: A model fitted in the handler (`model.fit(batch, n_clusters=k)` of a clustering
#: endpoint, `causal_model.fit(...)`): the request's own model, not preprocessing
#: fitted apart from the one trained with (what TF1203 is about).
_FITTED_MODEL = lazy_compile(
    r"(?:^|_)(?:model|clf|estimator|classifier|regressor|kmeans|clusterer|forecaster)$", re.I
)


#: What starts a function in another thread or process: `threading.Thread(target=...)`.
_WORKER_CLASSES = frozenset({"Thread", "Process", "Timer"})
#: What queues a job the handler does not wait for (an executor's `submit` or
#: `create_task` is often awaited in the handler: not here).
_QUEUEING = frozenset({"add_task", "delay", "apply_async", "enqueue", "send_task"})


def _queues(name: str) -> bool:
    """`add_task`, `delay`, `enqueue_summary_generation`: a call that queues a job."""
    return name in _QUEUEING or name.startswith(("enqueue_", "queue_"))


def _hands_work_off(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The handler starts a thread or process with a target, or schedules a function
    (`background_tasks.add_task(fn, ...)`, Celery's `task.delay(...)`)."""
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        last = called_name(node)
        if last in _WORKER_CLASSES and any(keyword.arg == "target" for keyword in node.keywords):
            return True
        if isinstance(node.func, ast.Attribute) and _queues(last):
            return True
    return False


#: What hands over a request's whole body: `data.model_dump()`, `body.dict()`,
#: Flask's `request.get_json()`, `request.form`, `request.json`.
_WHOLE_BODY = frozenset(
    {"model_dump", "dict", "json", "to_dict", "get_json", "form", "args", "values"}
)


def _request_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The names that hold the request's inputs: the handler's parameters (and Flask's
    `request`), and the locals bound straight from its body (`crop =
    request.form.get("crop")`)."""
    parameters = {
        argument.arg
        for argument in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)
        if argument.arg not in ("self", "cls")
    } | {"request"}  # Flask's request is a global
    names = set(parameters)
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
            if isinstance(value, ast.Await):
                value = value.value
            root = dotted(value.func if isinstance(value, ast.Call) else value)
            if (
                isinstance(target, ast.Name)
                and root.split(".", 1)[0] in parameters
                and "." in root
                and root.split(".")[1] in _WHOLE_BODY
            ):
                names.add(target.id)
    return names


def _prints_inputs(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`print(data.model_dump(), flush=True)`, `print(f"Crop: {crop}")` of a form field:
    the handler prints the request's inputs to the process's output, a log line by the
    factors (stdout). A field of it (`print(request.model_name)`) or a print in an
    `except` block (`print(e)`) records no request."""
    excepted = {
        id(node)
        for handler in ast.walk(function)
        if isinstance(handler, ast.ExceptHandler)
        for node in ast.walk(handler)
    }
    names = _request_names(function)
    for call in ast.walk(function):
        if (
            not isinstance(call, ast.Call)
            or not isinstance(call.func, ast.Name)
            or call.func.id != "print"
            or id(call) in excepted
        ):
            continue
        for argument in call.args:
            for node in ast.walk(argument):
                if isinstance(node, ast.FormattedValue | ast.Call) or node is argument:
                    value = node.value if isinstance(node, ast.FormattedValue) else node
                    if isinstance(value, ast.Name) and value.id in names:
                        return True
                    held = dotted(value.func if isinstance(value, ast.Call) else value)
                    head, _, rest = held.partition(".")
                    if head in names and rest in _WHOLE_BODY:
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
