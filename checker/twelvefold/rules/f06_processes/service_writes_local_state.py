"""TF601 service-writes-local-state: web service keeps state in local files."""

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
    Service,
    _reachable,
    _service,
)
from twelvefold.sources import SourceFile

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


#: Functions called like the built-in `open(path, mode)`.
_OPEN_FUNCTIONS = frozenset({"aiofiles.open", "io.open", "codecs.open"})
#: Responses that send a file from disk back to the client.
_FILE_RESPONSES = frozenset({"FileResponse", "send_file", "send_from_directory"})


def _served_files(service: Service) -> set[str]:
    """Paths the service sends back as files (`FileResponse("report.html")`): a file
    written only to be returned is a transient artifact of the response."""
    served: set[str] = set()
    for function in _reachable(service):
        bound = _bindings(function, service.tree)
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and dotted(node.func).rpartition(".")[2] in _FILE_RESPONSES
                and node.args
            ):
                path = _path_text(node.args[0], bound)
                if path:
                    served.add(path)
    return served


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
            # `open(path, mode)`, `aiofiles.open(path, mode)`; else `Path(...).open(mode)`.
            like_open = name == "open" or qualified_name in _OPEN_FUNCTIONS
            target = (
                node.args[0]
                if like_open and node.args
                else func.value
                if isinstance(func, ast.Attribute)
                else None
            )
            mode = _mode(node, 1 if like_open else 0)
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

    Fine: temporary files (`tempfile`, paths under `/tmp` or named `tmp`/`cache`), a
    file written to be sent back as the response (`FileResponse(...)`/`send_file(...)`
    of the same path), examples, docs and tests,
    mounted shared storage (`/gcs/<bucket>/`, `/dbfs/`, `/Volumes/`, `/mnt/...`),
    writes to paths that come from configuration or arguments (not written in the
    code), training jobs and scripts (not services), and SQLite `:memory:`.

    Not reported in a course repository: its services are lessons, each showing one idea.

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
    roles = role.OWN_CODE
    # A course's services are lessons: a toy API keeping jobs in a dict, or writing the
    # report it returns to a file, shows one idea at a time (7 findings on course
    # repositories judged, none TRUE).
    repo_kinds = frozenset(project_kind.KINDS) - {project_kind.COURSE}
    prefilter = WEB_FRAMEWORK_PREFILTER

    def check(self, file: SourceFile) -> Iterator[Violation]:
        service = _service(file)
        if service is None:
            return
        served = _served_files(service)
        seen: set[int] = set()
        handlers = {id(h) for h in service.handlers}
        for function in _reachable(service):
            who = (
                f"request handler `{function.name}`"
                if id(function) in handlers
                else f"`{function.name}` (called by a request handler)"
            )
            for node, what, path in _local_writes(function, service):
                if id(node) in seen or path in served:
                    continue  # a file made to be sent back in the response: transient
                seen.add(id(node))
                yield Violation(
                    f"{who} {what} the local file `{path}`: state on one replica's disk",
                    line=getattr(node, "lineno", None),
                    column=getattr(node, "col_offset", 0) + 1,
                )
