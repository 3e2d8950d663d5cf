"""TF402 hard-coded-data-path: dataset or model path hard-coded in code instead of configuration."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from twelvefold import kinds
from twelvefold.detectors.machine_paths import machine_path
from twelvefold.detectors.pipeline_notebooks import (
    notebook_prototypes,
    notebooks_are_pipeline_steps,
)
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.pattern_sets import PatternSetPrefilter
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.project.roles import is_config_module
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule, fact
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
    dotted,
    import_aliases,
    innermost,
    nodes,
    qualified,
    training_call,
)
from twelvefold.sources import SourceFile

# --- dataset paths ------------------------------------------------------------------------

#: Readers whose first argument (or `path`-like keyword) is the location of data or a model.
_READERS = frozenset(
    {
        "pandas.read_csv",
        "pandas.read_parquet",
        "pandas.read_feather",
        "pandas.read_excel",
        "pandas.read_json",
        "pandas.read_pickle",
        "pandas.read_hdf",
        "pandas.read_table",
        "pandas.read_orc",
        "pandas.read_stata",
        "pandas.read_sas",
        "pandas.read_spss",
        "polars.read_csv",
        "polars.read_parquet",
        "polars.scan_parquet",
        "polars.scan_csv",
        "polars.read_ipc",
        "polars.read_json",
        "polars.read_ndjson",
        "polars.read_excel",
        "numpy.load",
        "numpy.loadtxt",
        "numpy.genfromtxt",
        "numpy.fromfile",
        "joblib.load",
        "torch.load",
        "datasets.load_from_disk",
        "pyarrow.parquet.read_table",
        "dask.dataframe.read_csv",
        "dask.dataframe.read_parquet",
        "h5py.File",
        "tensorflow.keras.models.load_model",
        "keras.models.load_model",
        "keras.saving.load_model",
        "xgboost.Booster",
        "lightgbm.Booster",
        "onnxruntime.InferenceSession",
        "torchvision.datasets.ImageFolder",
        "tensorflow.data.TFRecordDataset",
        "keras.utils.image_dataset_from_directory",
        "tensorflow.keras.utils.image_dataset_from_directory",
    }
)


_READER_KEYWORDS = (
    "filepath_or_buffer",
    "path",
    "source",
    "file",
    "fname",
    "f",
    "root",
    "directory",
    "path_or_paths",
    "model_file",
    "path_or_bytes",
    "name",
)


_DATA_PREFILTER = (
    b"read_csv",
    b"read_parquet",
    b"read_feather",
    b"read_excel",
    b"read_json",
    b"read_pickle",
    b"read_hdf",
    b"read_table",
    b"read_orc",
    b"read_stata",
    b"read_sas",
    b"read_spss",
    b"read_ipc",
    b"read_ndjson",
    b"scan_",
    b".load(",
    b"loadtxt",
    b"genfromtxt",
    b"fromfile",
    b"load_from_disk",
    b"load_model",
    b"h5py",
    b"Booster",
    b"InferenceSession",
    b"ImageFolder",
    b"TFRecordDataset",
    b"from_directory",
)
#: A data or model file passed to a call (`load_data("data/train.csv")`): maybe through
#: a helper of the project that reads it.
_DATA_SUFFIX = (
    r"\.(?:csv|tsv|parquet|feather|pkl|pickle|joblib|pt|pth|ckpt|h5|hdf5|npy|npz|xlsx|arrow)"
)
_PASSED_DATA_FILE = rb"[(,=]\s*[\"'][^\"'\n]*" + _DATA_SUFFIX.encode() + rb"[\"']"
#: One RE2 pass: a reader named, or a data file passed to a call. Without RE2, the
#: readers' names and the quoted suffixes as literals.
_DATA_OR_PASSED = PatternSetPrefilter(
    {
        "reader": b"|".join(re.escape(literal) for literal in _DATA_PREFILTER),
        "passed": _PASSED_DATA_FILE,
    },
    bool,
    _DATA_PREFILTER
    + tuple(
        f".{suffix}{quote}".encode()
        for suffix in _DATA_SUFFIX.removeprefix("\\.(?:").removesuffix(")").split("|")
        for quote in "\"'"
    ),
)
_QUOTED_DATA_FILE = lazy_compile(_DATA_SUFFIX + "[\"']", re.IGNORECASE)
_DATA_FILE = lazy_compile(_DATA_SUFFIX + "$", re.IGNORECASE)


def _path_literal(node: ast.expr, constants: dict[str, str]) -> str | None:
    """A path written in the code: a literal, `Path("...")`, `os.path.join("a", "b")`,
    `Path("data") / "train.csv"`, or a module constant holding one."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.Call):
        name = _dotted(node.func)
        if name.rsplit(".", 1)[-1] in ("Path", "PurePath", "PosixPath") or name.endswith(
            "path.join"
        ):
            parts = [_path_literal(arg, constants) for arg in node.args]
            if parts and all(part is not None for part in parts):
                return "/".join(part for part in parts if part)
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left, right = _path_literal(node.left, constants), _path_literal(node.right, constants)
        if left is not None and right is not None:
            return f"{left}/{right}"
    return None


def _dotted(node: ast.expr) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _module_constants(tree: ast.Module) -> dict[str, str]:
    found: dict[str, str] = {}
    assigned: dict[str, int] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            name = node.targets[0].id
            assigned[name] = assigned.get(name, 0) + 1
            value = _path_literal(node.value, found)
            if value is not None:
                found[name] = value
    return {name: value for name, value in found.items() if assigned.get(name) == 1}


class HardCodedDataPath(RepoRule):
    """## What it does
    Reports datasets and model files read from a path written into the code of a
    module: `pd.read_csv("data/train.csv")`, `np.load("/mnt/features/x.npy")`,
    `joblib.load("models/churn.joblib")`, `torch.load(Path("checkpoints") / "best.pt")`,
    or a module constant (`TRAIN_PATH = "data/train.csv"`) passed to such a reader, and
    a data or model file passed to a function of the project that reads it
    (`load_data("data/train.csv")` whose body is `pd.read_csv(path)`; `load_object(
    "artifacts/model.pkl")` whose body unpickles `open(file_path, "rb")`), at the call.

    Fine: paths from configuration (settings objects, environment variables, CLI
    arguments, function parameters and their defaults), paths relative to the package
    (`Path(__file__).parent / "schema.json"`, `importlib.resources`), URLs (reported,
    if they name a private service, by `hard-coded-service-endpoint`), paths that a
    `dvc.yaml` stage declares as its deps or outs (the pipeline file is where they are
    configured and versioned), paths in configuration modules (under `config/`,
    `configs/` or `conf/`, or named `config*.py`, `cfg_*.py`, `*_config.py`,
    `settings.py`: where paths belong), scratch files (`/tmp/...`), files the same module
    writes first (the destination of a download, `urlretrieve(url, MODEL_FN)`, or a file
    it opens for writing: a local copy, whose source is the thing to configure),
    placeholders for the reader to fill in (`PATH/TO/YOUR/DATA`, `<data-dir>`), and files in notebooks
    that train nothing or belong to a repository other than an application (exploration,
    a course), tests, examples and docs. A notebook that trains a model, in an
    application that also has a package of its own, is a pipeline step: its reads are
    reported like a module's, unless the package's modules are reported too (the
    notebook is then the prototype of the code that runs, reported there). A path into one person's home folder written
    in the reading call itself is `absolute-machine-path`'s (TF303): one finding, not two.

    ## Why is this bad?
    The data a run uses is part of its configuration. With the path in code, running on
    a new data version, another machine or in production needs a code change, and the
    run's record does not say which data it trained on.

    ## Example
    ```python
    # src/churn/train.py
    import pandas as pd

    df = pd.read_csv("data/processed/train_v3.csv")
    ```

    ## Use instead
    ```python
    # src/churn/train.py
    import pandas as pd

    from churn.settings import settings

    df = pd.read_csv(settings.data_dir / "train.csv")  # DATA_DIR from the environment
    ```
    or take the path as a command-line argument of the pipeline stage.
    """

    code = "TF402"
    # Opt-in (`Rule.default`): 2 of its 35 findings on 146 real repositories were worth fixing: most hard-coded paths are in scripts run by hand from the repository root.
    default = False
    facts_per_file = True
    depends_on = ("@code", "@config", "dvc.yaml", "MLproject")
    name = "hard-coded-data-path"
    factor = 4
    severity = Severity.WARNING
    roles = role.PRODUCT
    # A paper's or a competition's scripts read the data where the README puts it
    # (`./data/train.csv`): on every such repository judged, nobody would add config.
    repo_kinds = frozenset({project_kind.APPLICATION, project_kind.LIBRARY, project_kind.TEMPLATE})
    summary = "Dataset or model path hard-coded in code instead of configuration"
    fix = "Take the path from configuration (a settings object, an env var, or a CLI argument)."
    facts = ("data-path-reads",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        facts = repo.facts("data-path-reads")
        if not facts:
            return
        found = _reads(facts)
        declared = _pipeline_paths(repo)
        steps = notebooks_are_pipeline_steps(repo)
        reported = {
            path: [read for read in reads if read.path.lstrip("./") not in declared]
            for path, reads in sorted(found.items())
            # A notebook-only repository: the notebooks are the exploration.
            if steps or not path.endswith(".ipynb")
        }
        # A DVC stage's deps and outs are configured in dvc.yaml: no finding.
        reported = {path: reads for path, reads in reported.items() if reads}
        prototypes = notebook_prototypes(repo, reported)
        for path, reads in reported.items():
            if path in prototypes:
                continue
            for read in reads:
                via = f" (via `{read.via}`)" if read.via else ""
                if read.through:
                    via = f" (through {read.through})"
                yield Violation(
                    f"`{read.call}()` reads `{read.path}`{via}, a path written in the code",
                    path=path,
                    line=read.line,
                    column=read.column,
                    cell=read.cell,
                    cell_line=read.cell_line,
                )


@dataclass(frozen=True)
class DataPathRead:
    call: str
    path: str
    via: str | None
    line: int | None
    column: int | None
    cell: int | None = None
    cell_line: int | None = None
    through: str | None = None  # the project helper that reads it, and where


def _reads(facts: Mapping[str, DataPathReads]) -> dict[str, list[DataPathRead]]:
    """Each file's reads: its own, and its calls of the project's reading helpers."""
    through = resolve(
        {path: found.helper_calls for path, found in facts.items()},
        {path: found.helpers for path, found in facts.items()},
    )
    reads: dict[str, list[DataPathRead]] = {}
    for path, found in facts.items():
        own = list(found.reads)
        for call, helper, defined_in in through.get(path, ()):
            target = call.path_for(helper)
            if target:
                own.append(
                    DataPathRead(
                        call.shown,
                        target,
                        None,
                        call.line,
                        call.column,
                        call.cell,
                        call.cell_line,
                        f"`{helper.name}` in `{defined_in}`",
                    )
                )
        if own:
            reads[path] = sorted(own, key=lambda read: (read.line or 0, read.column or 0))
    return reads


@dataclass(frozen=True)
class DataPathReads:
    reads: tuple[DataPathRead, ...]
    #: Functions of this file that read the path their caller gives, and this file's
    #: calls passing a literal data path to what may be such a function.
    helpers: tuple[Helper, ...] = ()
    helper_calls: tuple[HelperCall, ...] = ()


@fact("data-path-reads", kinds=[kinds.PYTHON, kinds.NOTEBOOK], prefilter=_DATA_OR_PASSED)
def data_path_reads(file: SourceFile) -> DataPathReads | None:
    """Reader calls (`pd.read_csv`, `joblib.load`...) given a path written in the code,
    in modules, and in the notebooks of an application that train a model (a pipeline
    step run as a notebook: `../input/train.csv` read by the cell that fits)."""
    if (
        kinds.is_test_path(file.path)
        or file.role in role.FOR_READING
        or is_config_module(file.path)
    ):
        return None
    python = file.python
    if python is None or python.tree is None:
        return None
    tree = python.tree
    if file.kind == kinds.NOTEBOOK and not (
        file.repo_kind == project_kind.APPLICATION and _trains(tree)
    ):
        return None  # exploration: a notebook that reads data and trains nothing
    aliases = import_aliases(tree)
    constants = _module_constants(tree)
    # Each call with its resolved name, once for the three passes below.
    calls = [(node, qualified(node.func, aliases)) for node in nodes(tree, ast.Call)]
    written = _written_paths(calls, constants)

    def configured_elsewhere(path: str | None) -> bool:
        """A URL, a placeholder, a scratch file, or one this module writes."""
        return (
            path is None
            or not path.strip()
            or "://" in path
            or path.startswith(("{", "<"))
            or bool(_TEMP_PATH.search(path))
            or bool(_PLACEHOLDER_PATH.search(path))
            or path in written
        )

    reads: list[DataPathRead] = []
    helper_calls: list[HelperCall] = []
    # Calls that may pass a data file to a helper: only where a data file is quoted.
    call_aliases = project_aliases(tree) if _QUOTED_DATA_FILE.search(python.text) else None

    def data_file(argument: ast.expr) -> str | None:
        path = _path_literal(argument, constants)
        if path is None or configured_elsewhere(path) or not _DATA_FILE.search(path):
            return None
        return None if _holds_machine_path(argument) else path  # TF303's, in the call

    def where_of(node: ast.Call) -> Where:
        where = python.loc(node.lineno)
        column = node.col_offset + 1 if where.cell is None else None
        return where.line, column, where.cell, where.cell_line, ""

    for node, name in calls:
        if name not in _READERS:
            if call_aliases is not None:
                call = helper_call(node, call_aliases, data_file, where_of)
                if call is not None:
                    helper_calls.append(call)
            continue
        argument = (
            node.args[0]
            if node.args
            else next((k.value for k in node.keywords if k.arg in _READER_KEYWORDS), None)
        )
        if argument is None:
            continue
        path = _path_literal(argument, constants)
        if path is None or configured_elsewhere(path):
            continue
        via = argument.id if isinstance(argument, ast.Name) else None
        if via is None and _holds_machine_path(argument):
            continue  # TF303 reports that literal, in this call: one root cause, one finding
        where = python.loc(node.lineno)
        reads.append(
            DataPathRead(
                _dotted(node.func) or name,
                path,
                via,
                where.line,
                node.col_offset + 1 if where.cell is None else None,
                where.cell,
                where.cell_line,
            )
        )
    helpers = _reading_helpers(tree, calls)
    if not (reads or helpers or helper_calls):
        return None
    return DataPathReads(tuple(reads), helpers, tuple(helper_calls))


#: Readers of an open file: `pickle.load(f)` after `with open(path, "rb") as f`.
_FILE_READERS = frozenset({"pickle.load", "dill.load", "joblib.load", "cloudpickle.load"})


def _reading_helpers(tree: ast.Module, calls: list[tuple[ast.Call, str]]) -> tuple[Helper, ...]:
    """Functions that hand one of their parameters to a reader as its path:
    `def load_data(path): return pd.read_csv(path)`, or `with open(file_path, "rb") as
    f: return pickle.load(f)`. From the module's calls and `with` items, each placed in
    its innermost function (one pass over the indexed nodes, not a walk per function)."""
    functions: list[ast.AST] = [*nodes(tree, ast.FunctionDef), *nodes(tree, ast.AsyncFunctionDef)]
    if not functions:
        return ()
    opened: dict[tuple[int, str], str] = {}  # (function, `f`) -> the parameter opened
    for item in nodes(tree, ast.withitem):
        context = item.context_expr
        if (
            isinstance(item.optional_vars, ast.Name)
            and isinstance(context, ast.Call)
            and _dotted(context.func) == "open"
            and context.args
            and isinstance(context.args[0], ast.Name)
        ):
            function = innermost(functions, item.context_expr)
            if function is not None:
                opened[id(function), item.optional_vars.id] = context.args[0].id
    found: dict[str, Helper] = {}
    for call, name in calls:
        argument: ast.expr | None = None
        via_file = False
        if name in _READERS:
            argument = (
                call.args[0]
                if call.args
                else next((k.value for k in call.keywords if k.arg in _READER_KEYWORDS), None)
            )
        elif name in _FILE_READERS and call.args:
            argument, via_file = call.args[0], True
        if argument is None:
            continue
        function = innermost(functions, call)
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if function.name in found:
            continue
        params = parameters(function)
        param: str | None = None
        if isinstance(argument, ast.Name):
            param = argument.id if not via_file else opened.get((id(function), argument.id))
        elif (
            via_file
            and isinstance(argument, ast.Call)
            and _dotted(argument.func) == "open"
            and argument.args
            and isinstance(argument.args[0], ast.Name)
        ):
            param = argument.args[0].id
        if param is not None and param in params:
            found[function.name] = Helper(function.name, params.index(param), param)
    return tuple(found.values())


#: Download calls and where their destination goes: (position, keyword).
_DOWNLOAD_DESTINATIONS = {
    "urllib.request.urlretrieve": (1, "filename"),
    "wget.download": (1, "out"),
    "gdown.download": (1, "output"),
    "torch.hub.download_url_to_file": (1, "dst"),
}


def _written_paths(calls: list[tuple[ast.Call, str]], constants: dict[str, str]) -> set[str]:
    """Paths this module itself writes: the destination of a download
    (`urlretrieve(url, MODEL_FN)`, boto3's `download_file(..., Filename)`) or a file opened
    for writing. Reading such a file back is using a local copy the code made, not data
    whose location belongs in configuration (where it comes from is the thing to
    configure, and is reported as a hard-coded endpoint if it is one)."""
    written: set[str] = set()
    for node, name in calls:
        destination: ast.expr | None = None
        if name in _DOWNLOAD_DESTINATIONS:
            position, word = _DOWNLOAD_DESTINATIONS[name]
            destination = node.args[position] if len(node.args) > position else None
            destination = destination or next(
                (k.value for k in node.keywords if k.arg == word), None
            )
        elif isinstance(node.func, ast.Attribute) and node.func.attr == "download_file":
            destination = next((k.value for k in node.keywords if k.arg == "Filename"), None)
            destination = destination or (node.args[-1] if node.args else None)
        elif name == "open" and len(node.args) >= 2:
            mode = node.args[1]
            if (
                isinstance(mode, ast.Constant)
                and isinstance(mode.value, str)
                and (set(mode.value) & set("wax"))
            ):
                destination = node.args[0]
        if destination is not None and (path := _path_literal(destination, constants)):
            written.add(path)
    return written


def _trains(tree: ast.Module) -> bool:
    return any(training_call(node, dotted(node.func)) for node in nodes(tree, ast.Call))


def _holds_machine_path(argument: ast.expr) -> bool:
    """A string in the reader's argument points into one person's home folder (TF303)."""
    return any(
        isinstance(node, ast.Constant) and isinstance(node.value, str) and machine_path(node.value)
        for node in ast.walk(argument)
    )


#: Folders of configuration modules, and the names of configuration modules.
#: Scratch locations the code itself writes and reads back, not data from configuration.
_TEMP_PATH = lazy_compile(r"^/tmp/|^/var/tmp/|(?:^|[/_.-])(?:tmp|temp)(?:$|[/_.-])", re.IGNORECASE)


#: A path the reader is to fill in (`PATH/TO/YOUR/DATA`, `/path/to/your/file.csv`,
#: `<data-dir>/train.csv`): it names no location, it asks for one.
_PLACEHOLDER_PATH = lazy_compile(
    r"(?:^|/)path/to/|\byour[_\- ]?(?:data|dataset|path|dir|directory|folder|file)\b|<[^<>/]+>",
    re.IGNORECASE,
)


def _pipeline_paths(repo: Repo) -> set[str]:
    """Paths that `dvc.yaml` stages declare (deps, outs, metrics, plots), repo-relative."""
    declared: set[str] = set()
    for entry in repo.named("dvc.yaml", "dvc.yml"):
        source = repo.source(entry.path)
        stages = (
            source.yaml.get("stages")
            if source is not None and isinstance(source.yaml, dict)
            else None
        )
        if not isinstance(stages, dict):
            continue
        base = posixpath.dirname(entry.path)
        for stage in stages.values():
            if not isinstance(stage, dict):
                continue
            wdir_value = stage.get("wdir")
            wdir = wdir_value if isinstance(wdir_value, str) else "."
            for key in ("deps", "outs", "metrics", "plots"):
                items = stage.get(key)
                for item in items if isinstance(items, list) else []:
                    value = next(iter(item), None) if isinstance(item, dict) else item
                    if isinstance(value, str):
                        path = posixpath.normpath(posixpath.join(base, wdir, value))
                        declared.add(path)
                        declared.add(value.lstrip("./"))
    return declared
