"""TF701 download-at-import: model or data downloaded at import time."""

from __future__ import annotations

import ast
import functools
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from twelvefold import kinds
from twelvefold.detectors import module_references
from twelvefold.detectors.aws_lambda import defines_lambda_handler
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Finding, Severity, Violation
from twelvefold.pattern_sets import PatternSetPrefilter, re2_pattern
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.project.knowledge import WEB_FRAMEWORKS
from twelvefold.repo import Repo
from twelvefold.rule import FileRule
from twelvefold.rules._code_text import blanked_code, blanked_text, may_hold_in_code
from twelvefold.rules._pyast import (
    called_name,
    import_aliases,
    imported_modules,
    is_main_guard,
    keyword,
    nodes,
    qualified,
    works_at_top_level,
)
from twelvefold.sources import SourceFile

#: Calls that always fetch over the network (qualified names, after import aliases).
_ALWAYS_DOWNLOAD = {
    "huggingface_hub.hf_hub_download": "downloads a file from the Hugging Face Hub",
    "huggingface_hub.snapshot_download": "downloads a repository from the Hugging Face Hub",
    "urllib.request.urlretrieve": "downloads a file",
    "urllib.request.urlopen": "makes an HTTP request",
    "requests.get": "makes an HTTP request",
    "httpx.get": "makes an HTTP request",
    "torch.hub.load": "downloads a model from torch.hub",
    "torch.hub.load_state_dict_from_url": "downloads weights",
    "torch.hub.download_url_to_file": "downloads a file",
    "gdown.download": "downloads from Google Drive",
    "wget.download": "downloads a file",
    "kagglehub.model_download": "downloads a Kaggle model",
    "kagglehub.dataset_download": "downloads a Kaggle dataset",
    "tensorflow_datasets.load": "downloads a TFDS dataset",
    "tensorflow_hub.load": "downloads a TF Hub model",
    "tensorflow_hub.KerasLayer": "downloads a TF Hub model",
    "keras.utils.get_file": "downloads a file",
    "tensorflow.keras.utils.get_file": "downloads a file",
    "transformers.pipeline": "downloads a model from the Hugging Face Hub",
    "torch.utils.model_zoo.load_url": "downloads weights",
    "mlflow.artifacts.download_artifacts": "downloads artifacts from the MLflow server",
    "nltk.download": "downloads NLTK data",
    "gensim.downloader.load": "downloads a gensim model",
}
#: Model URIs that `mlflow.<flavor>.load_model` fetches over the network: the tracking
#: server's runs and registry, object stores, HTTP. A local path is a load, not a download.
_REMOTE_URI = (
    "runs:/",
    "models:/",
    "mlflow-artifacts:/",
    "s3://",
    "gs://",
    "wasbs://",
    "abfss://",
    "dbfs:/",
    "http://",
    "https://",
)
#: Command-line copies from object storage run through `subprocess`/`os.system`: the
#: program and the verb (`aws s3 cp`, `gsutil -m rsync`, `gcloud storage cp`).
_CLI_COPIES = {
    "aws": (("s3",), ("cp", "sync")),
    "gsutil": ((), ("cp", "rsync")),
    "gcloud": (("storage",), ("cp", "rsync")),
}
_SUBPROCESS = frozenset(
    {
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
        "os.system",
    }
)
#: Route decorators (`@app.get`, `@app.route`, `@router.post`) of the web frameworks.
_ROUTES = frozenset({"route", "get", "post", "put", "patch", "delete", "api_route", "websocket"})
#: `load_dataset` builders that read local files (`load_dataset("csv", data_files=...)`).
_LOCAL_BUILDERS = frozenset(
    {
        "csv",
        "json",
        "parquet",
        "text",
        "imagefolder",
        "audiofolder",
        "arrow",
        "pandas",
        "webdataset",
        "sql",
    }
)
_PREFILTER = (
    b"from_pretrained",
    b"hf_hub_download",
    b"snapshot_download",
    b"urlretrieve",
    b"urlopen",
    b"requests.get",
    b"httpx.get",
    b"torch.hub",
    b"load_dataset",
    b"gdown",
    b"wget",
    b"kagglehub",
    b"tfds",
    b"tensorflow_datasets",
    b"tensorflow_hub",
    b"get_file",
    b"pipeline(",
    b"SentenceTransformer",
    b"fetch_",
    b"load_data",
    b"download=True",
    b"download_file",
    b"download_to_filename",
    b"download_blob",
    b"pretrained=True",
    b"weights=",
    b"load_url",
    b"load_model",
    b"download_artifacts",
    b"applications",
    b"nltk",
    b"gensim",
    b"aws",
    b"gsutil",
    b"gcloud",
)
#: The branches of `_download` beyond `_ALWAYS_DOWNLOAD`: a name each makes sure of
#: (`last == "from_pretrained"`, `name.startswith("timm.")`...), kept beside it there.
_BRANCH_WORDS = (
    "from_pretrained",
    "SentenceTransformer",
    "CrossEncoder",
    "load_dataset",
    "download_file",
    "download_fileobj",
    "download_to_filename",
    "download_blob_to_file",
    "get_file",
    "applications",
    "load_model",
    "load_data",
    "torchvision",
    "timm",
)
#: Last parts too common to look for: `requests.get` is looked for as `requests`.
_COMMON_LAST = frozenset({"get", "load", "download", "run", "call"})


def _call_words(names: Iterable[str]) -> list[str]:
    """One part of each qualified name, the last unless it is common. Every part of the
    name `_download` judges is written at the call (`torch.hub.load`) or in the import
    that binds its first name (`from torch import hub as h`; `h.load`)."""
    words: list[str] = []
    for name in names:
        parts = name.split(".")
        words.append(parts[-1] if parts[-1] not in _COMMON_LAST or len(parts) == 1 else parts[-2])
    return words


def _words_pattern(words: list[str]) -> str:
    """Whole names (`hub`, not `huggingface_hub`), and any `fetch_*` (scikit-learn)."""
    names = "|".join(sorted({re.escape(word) for word in words}, key=lambda w: (-len(w), w)))
    return rf"(?<!\w)(?:fetch_|(?:{names})(?!\w))"


@functools.cache
def _ascii_words(pattern: str) -> bytes:
    """A `_words_pattern` for RE2 over bytes. Its word boundaries are ASCII ones, so it
    finds all that the pattern finds (a name beside a non-ASCII letter too), in one
    linear pass where Python's `re`, with no literal to start from, tries every
    alternative at every character of the module."""
    names = pattern.removeprefix(r"(?<!\w)(?:fetch_|(?:").removesuffix(r")(?!\w))")
    return rf"\b(?:fetch_|(?:{names})\b)".encode()


def _word_finder(pattern: str) -> Any:
    """`_ascii_words(pattern)` compiled by RE2, or None without google-re2."""
    return re2_pattern(_ascii_words(pattern))


def _code_may_name_a_word(words: re.Pattern[str], text: str) -> bool:
    """Whether `words` may be in the module's code (`_names_a_word` of its blanked view),
    read from its text in one pass, before it is blanked: most modules that name a
    download name it only in docstrings. Never False where the blanked view has one."""
    return may_hold_in_code(_ascii_words(words.pattern), text)


def _names_a_word(words: re.Pattern[str], code: str) -> bool:
    """Whether `words` (a `_words_pattern`) may match in `code`; never False where it does."""
    finder = _word_finder(words.pattern)
    if finder is None:
        return words.search(code) is not None
    return finder.search(code.encode("utf-8", "surrogatepass")) is not None


_CALL_WORDS = lazy_compile(_words_pattern(_call_words(_ALWAYS_DOWNLOAD) + list(_BRANCH_WORDS)))
#: The same, with the `subprocess`/`os.system` calls that run a copy (`aws s3 cp`), for a
#: file that names one of the `_CLI_COPIES` programs.
_CALL_WORDS_CLI = lazy_compile(
    _words_pattern(
        _call_words(_ALWAYS_DOWNLOAD)
        + list(_BRANCH_WORDS)
        + _call_words(sorted(_SUBPROCESS))
        + ["subprocess"]
    )
)
#: `def NAME`; the rest of its line before it must be indentation (or `async`).
_DEF = lazy_compile(r"def[ \t]+(\w+)")
_ASYNC = lazy_compile(r" *(?:async[ \t]+)?")
#: `import` (a word), where a statement binds names.
_IMPORT = lazy_compile(r"import\b")
_WORD = lazy_compile(r"\w+")
#: Words of an import statement that bind no name.
_IMPORT_KEYWORDS = frozenset({"import", "from", "as"})
#: The module path of a relative import (`from .utils.hub import x`): no alias comes of
#: it (`import_aliases` skips them), and no call is written there.
_RELATIVE_FROM = lazy_compile(r"\bfrom[ \t]+\.[\w.]*")
#: The end of a body indented deeper than N spaces: the next line that starts a
#: statement (not blank, not a closing bracket) at N spaces or fewer.
_BODY_ENDS: dict[int, re.Pattern[str]] = {}


def _body_end(code: str, indent: int, start: int) -> int:
    pattern = _BODY_ENDS.get(indent)
    if pattern is None:
        pattern = _BODY_ENDS[indent] = re.compile(rf"\n {{0,{indent}}}(?=[^ \n)\]}}])")
    found = pattern.search(code, start)
    return found.start() + 1 if found is not None else len(code)


def _import_statement(code: str, at: int) -> tuple[int, int]:
    """Where the statement with `import` at `at` starts and ends (from the start of its
    line, brackets and backslash continuations followed)."""
    start = code.rfind("\n", 0, at) + 1
    end = at
    while True:
        line_end = code.find("\n", end)
        line_end = len(code) if line_end < 0 else line_end
        opened = code.rfind("(", start, line_end)
        if opened >= 0 and code.find(")", opened, line_end) < 0:
            close = code.find(")", line_end)
            end = len(code) if close < 0 else close + 1
        elif code[end:line_end].rstrip().endswith("\\"):
            end = line_end + 1
        else:
            return start, line_end


def _without_imports(code: str, words: re.Pattern[str]) -> tuple[str, set[str]]:
    """Module-level `code` without its import statements, and the names those that
    name a download bind (`hf_hub_download`, an alias): an import calls nothing, and most
    modules import a download helper for their functions only. A statement sharing its
    line with other code (`x = f(); import a`, `import a; x = f()`) stays as it is."""
    kept: list[str] = []
    bound: set[str] = set()
    position = 0
    for found in _IMPORT.finditer(code):
        at = found.start()
        if at < position or (at and (code[at - 1].isalnum() or code[at - 1] == "_")):
            continue  # in the statement removed before, or `reimport`
        start, end = _import_statement(code, at)
        statement = code[start:end]
        if not _IMPORT_LINE.match(statement) or ";" in statement:
            continue
        kept.append(code[position:start])
        position = end
        if words.search(statement):
            bound.update(_WORD.findall(statement))
    kept.append(code[position:])
    return "".join(kept), bound - _IMPORT_KEYWORDS


#: A line that is an import statement: `import x`, `from x import y`, indented or not.
_IMPORT_LINE = lazy_compile(r"[ \t]*(?:import|from)[ \t]")


#: Whether a module names a command-line copy program of `_CLI_COPIES` (`aws s3 cp`),
#: answered by the run's one scan (three searches of every candidate module otherwise).
_NAMES_A_CLI_COPY = PatternSetPrefilter(
    {program: program.encode() for program in _CLI_COPIES},
    bool,
    tuple(program.encode() for program in _CLI_COPIES),
)


def _may_download_at_import(
    text: str, blanked: Callable[[], str] | None = None, names_cli: bool | None = None
) -> bool:
    """Whether the module may make a download `check` reports, from its text alone: the
    name of a download call outside every function body (at module or class level, or
    in an import there), or a name used there that a function body binds to one (an
    import) or that calls one (a helper of the module). A necessary condition, cheaper
    than the parse: most files name downloads only in docstrings and in functions.
    `blanked`: gives the text as `blanked_code` does (the file remembers it); `names_cli`:
    whether the text names a program of `_CLI_COPIES`, when the caller knows."""
    if "\f" in text:
        return True  # a form feed resets the indentation: not judged here
    if names_cli is None:
        names_cli = any(program in text for program in _CLI_COPIES)
    words = _CALL_WORDS_CLI if names_cli else _CALL_WORDS
    if not _code_may_name_a_word(words, text):
        return False  # the names only in docstrings and comments: every test below needs one
    code = blanked_text(text) if blanked is None else blanked()
    if not _names_a_word(words, code):
        return False
    outside: list[str] = []
    bodies: list[tuple[int, int, str, bool]] = []  # start, end, name, at module level
    position = 0
    for found in _DEF.finditer(code):
        if found.start() < position:
            continue  # nested in the body found before
        start = code.rfind("\n", 0, found.start()) + 1
        indent = _ASYNC.match(code, start)
        if indent is None or indent.end() != found.start():
            continue  # `undef x`, `a.def`: no `def` statement
        width = len(indent.group()) - len(indent.group().lstrip())
        end = _body_end(code, width, found.end())
        outside.append(code[position:start])
        bodies.append((start, end, found.group(1), not width))
        position = end
    outside.append(code[position:])
    module_code, bound = _without_imports(_RELATIVE_FROM.sub("from .", "".join(outside)), words)
    if words.search(module_code):
        return True
    used = set(_WORD.findall(module_code))
    if not bound.isdisjoint(used):
        return True  # `from huggingface_hub import hf_hub_download as fetch` + `fetch(...)`
    if not bodies:
        return False
    # Names that imports bind to downloads, at module level or in function bodies.
    index = 0
    end = 0
    for found in _IMPORT.finditer(code):
        at = found.start()
        while index < len(bodies) and bodies[index][1] <= at:
            index += 1
        if index == len(bodies) or at < bodies[index][0]:
            continue  # outside the bodies: in `module_code`
        if at < end or (at and (code[at - 1].isalnum() or code[at - 1] == "_")):
            continue  # in the statement read before (`import a; import b`), or `reimport`
        start, end = _import_statement(code, at)
        statement = _RELATIVE_FROM.sub("from .", code[start:end])
        if words.search(statement):
            bound.update(_WORD.findall(statement))
    bound -= _IMPORT_KEYWORDS
    if not bound.isdisjoint(used):
        return True
    for start, end, name, top in bodies:
        if top and name in used:
            body = code[start:end]
            if words.search(body) or (bound and not bound.isdisjoint(_WORD.findall(body))):
                return True  # a helper of the module, called at import time
    return False


_DOWNLOAD_NAME = lazy_compile(
    r"(?:^|[_-])(?:download|fetch|get[_-]data|prepare[_-]data|setup[_-]data)", re.IGNORECASE
)


def _is_hub_id(value: str) -> bool:
    """`bert-base-uncased`, `org/model`: not a local path."""
    if not value or value.startswith((".", "/", "~")) or "\\" in value or value.count("/") > 1:
        return False
    return bool(re.fullmatch(r"[\w.-]+(?:/[\w.-]+)?", value)) and not value.endswith(
        (".bin", ".pt", ".pth", ".safetensors", ".json")
    )


def _string(node: ast.expr | None, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def _module_constants(tree: ast.Module) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in tree.body:
        target: ast.expr | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, ast.AnnAssign):
            target = node.target
        value = getattr(node, "value", None)
        if (
            isinstance(target, ast.Name)
            and isinstance(value, ast.Constant)
            and isinstance(value.value, str)
        ):
            found[target.id] = value.value
    return found


def _import_time_statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """Statements run on import: module and class bodies, not functions or main blocks."""
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop(0)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Import, ast.ImportFrom)):
            continue
        if is_main_guard(node):
            continue
        if isinstance(node, ast.If) and _type_checking(node.test):
            continue
        if isinstance(node, ast.ClassDef):
            stack[:0] = node.body
            continue
        if isinstance(node, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
            yield from _expressions_only(node)
            nested = [
                *getattr(node, "body", []),
                *getattr(node, "orelse", []),
                *getattr(node, "finalbody", []),
            ]
            for handler in getattr(node, "handlers", []):
                nested.extend(handler.body)
            stack[:0] = nested
            continue
        yield node


def _shown(text: str, call: ast.Call, aliases: dict[str, str]) -> str:
    shown = ast.get_source_segment(text, call) or qualified(call.func, aliases)
    shown = " ".join(shown.split())
    return shown if len(shown) <= 70 else shown[:67] + "..."


def _downloads_in(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    aliases: dict[str, str],
    constants: dict[str, str],
    prefixes: dict[str, str],
) -> tuple[ast.Call, str] | None:
    """The first download a function's own body makes (not in nested functions)."""
    for statement in function.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Call):
                what = _download(node, aliases, constants, prefixes)
                if what is not None:
                    return node, what
    return None


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _expressions_only(node: ast.stmt) -> Iterator[ast.stmt]:
    """The header of a compound statement (`with urlopen(...) as r:`), as a statement."""
    if isinstance(node, ast.With):
        for item in node.items:
            yield ast.Expr(value=item.context_expr, lineno=node.lineno, col_offset=node.col_offset)
    elif isinstance(node, ast.For):
        yield ast.Expr(value=node.iter, lineno=node.lineno, col_offset=node.col_offset)


def _calls_outside_lambdas(statement: ast.stmt) -> Iterator[ast.Call]:
    stack: list[ast.AST] = [statement]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _download(
    call: ast.Call,
    aliases: dict[str, str],
    constants: dict[str, str],
    prefixes: dict[str, str] | None = None,
) -> str | None:
    """What the call downloads, or None when it is not (certainly) a download."""
    prefixes = prefixes if prefixes is not None else constants
    name = qualified(call.func, aliases)
    last = name.rsplit(".", 1)[-1]
    first_arg = call.args[0] if call.args else None
    local_only = keyword(call, "local_files_only")
    if (
        local_only is not None
        and isinstance(local_only.value, ast.Constant)
        and local_only.value.value is True
    ):
        return None
    if name in _ALWAYS_DOWNLOAD:
        return _ALWAYS_DOWNLOAD[name]
    if last in ("hf_hub_download", "snapshot_download") and name.startswith("huggingface_hub"):
        return _ALWAYS_DOWNLOAD["huggingface_hub.hf_hub_download"]
    if last == "from_pretrained" or (
        last in ("SentenceTransformer", "CrossEncoder") and name.startswith("sentence_transformers")
    ):
        model = _string(
            first_arg or getattr(keyword(call, "pretrained_model_name_or_path"), "value", None),
            constants,
        )
        if model is not None and _is_hub_id(model):
            return f"downloads `{model}` from the Hugging Face Hub"
        return None
    if last == "load_dataset" and name.startswith(("datasets", "load_dataset")):
        dataset = _string(first_arg or getattr(keyword(call, "path"), "value", None), constants)
        if dataset is None or dataset in _LOCAL_BUILDERS or not _is_hub_id(dataset):
            return None
        return f"downloads the `{dataset}` dataset"
    if last in (
        "download_file",
        "download_fileobj",
        "download_to_filename",
        "download_blob_to_file",
    ):
        return (
            "downloads from object storage"  # boto3 s3.download_file, GCS blob.download_to_filename
        )
    if last == "get_file" and name.split(".")[0] in ("keras", "tensorflow", "tf_keras"):
        return "downloads a file"  # keras.utils.data_utils.get_file, tf.keras.utils.get_file
    if (
        last[:1].isupper()
        and ".applications." in f".{name}"
        and name.split(".")[0] in ("keras", "tensorflow", "tf_keras")
        and _imagenet(keyword(call, "weights"))
    ):
        return "downloads pretrained ImageNet weights"  # keras.applications.ResNet50()
    if last == "load_model" and name.startswith("mlflow."):
        uri = _prefix(first_arg or getattr(keyword(call, "model_uri"), "value", None), prefixes)
        if uri is not None and uri.startswith(_REMOTE_URI):
            return f"downloads the model `{_short_uri(uri)}` from the MLflow server or object store"
        return None
    if name in _SUBPROCESS:
        return _cli_copy(call, prefixes)
    if name.startswith("sklearn.datasets.fetch_"):
        return "downloads a scikit-learn dataset"
    if last == "load_data" and ".datasets." in name and ("keras" in name or "tensorflow" in name):
        return "downloads a Keras dataset"
    if name.startswith("torchvision.datasets.") and _is_true(keyword(call, "download")):
        return "downloads a torchvision dataset"
    if name.startswith(("torchvision.models.", "timm.")) and (
        _is_true(keyword(call, "pretrained")) or _weights(keyword(call, "weights"))
    ):
        return "downloads pretrained weights"
    return None


def _imagenet(item: ast.keyword | None) -> bool:
    """`weights` left at Keras' default (`"imagenet"`) or set to it; not None, not a file."""
    return item is None or (isinstance(item.value, ast.Constant) and item.value.value == "imagenet")


def _prefix(node: ast.expr | None, prefixes: dict[str, str]) -> str | None:
    """The literal start of a string: a constant, an f-string's leading text (then
    `{...}`), or a module-level name bound to one of those."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        head = node.values[0]
        if isinstance(head, ast.Constant) and isinstance(head.value, str):
            return head.value + ("{...}" if len(node.values) > 1 else "")
        return None
    if isinstance(node, ast.Name):
        return prefixes.get(node.id)
    return None


def _module_prefixes(tree: ast.Module) -> dict[str, str]:
    """Module-level names bound to a string or an f-string, with their literal start."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        start = _prefix(value, {})
        if isinstance(target, ast.Name) and start is not None:
            found[target.id] = start
    return found


def _short_uri(uri: str) -> str:
    return uri if len(uri) <= 50 else uri[:47] + "..."


def _cli_copy(call: ast.Call, prefixes: dict[str, str]) -> str | None:
    """`subprocess.run(["aws", "s3", "cp", "s3://bucket/model", "models/"])`: a copy from
    object storage to the local disk (an upload, remote destination, is not a download)."""
    first = call.args[0] if call.args else None
    words: list[str] = []
    if isinstance(first, (ast.List, ast.Tuple)):
        # An argument the code computes (`str(MODEL_DIR)`) is a local path or unknown.
        words = [_prefix(element, prefixes) or "?" for element in first.elts]
    else:
        text = _prefix(first, prefixes)
        if text is None:
            return None
        words = text.split()
    if not words or words[0] not in _CLI_COPIES:
        return None
    program, (groups, verbs) = words[0], _CLI_COPIES[words[0]]
    rest = [word for word in words[1:] if not word.startswith("-")]
    if rest[: len(groups)] != list(groups):
        return None
    rest = rest[len(groups) :]
    if len(rest) < 3 or rest[0] not in verbs:
        return None
    source, destination = rest[1], rest[2]
    remote = ("s3://", "gs://")
    if source.startswith(remote) and not destination.startswith(remote):
        return f"copies `{_short_uri(source)}` from object storage with `{program}`"
    return None


def _is_true(item: ast.keyword | None) -> bool:
    return item is not None and isinstance(item.value, ast.Constant) and item.value.value is True


def _weights(item: ast.keyword | None) -> bool:
    if item is None:
        return False
    value = item.value
    return not (isinstance(value, ast.Constant) and value.value is None)


def _is_script(file: SourceFile, tree: ast.Module) -> bool:
    """Files run directly, whose start-up is their whole job: not imported by a server."""
    parts = file.path.split("/")
    name = parts[-1]
    if name in ("__main__.py", "setup.py", "conftest.py", "noxfile.py") or kinds.is_test_path(
        file.path
    ):
        return True
    if file.role in role.RUN_BY_HAND:
        return True
    if not posixpath.splitext(name)[0].isidentifier():
        # `100.Prav_External_data.py`, `02Prav_InceptionV3.py`, `train-v2.py`: no
        # `import` statement can name it, so it is run, never imported.
        return True
    if _DOWNLOAD_NAME.search(posixpath.splitext(name)[0]):
        return True  # download_model.py: downloading is its purpose
    if "streamlit" in imported_modules(tree):
        return True  # a Streamlit page: `streamlit run` executes it per session, nothing imports it
    if not any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for node in tree.body
    ) and any(
        isinstance(call.func, ast.Name) and call.func.id == "print"
        for call in nodes(tree, ast.Call)
    ):
        # Top-level statements only, printing what they did: a script run by hand
        # (lm-eval's `afrisenti/prompt_1/xx.py`, FastChat's dataset release scripts), not
        # a `config.py` of constants or a Ray Serve entry module, which others import.
        return True
    if _writes_files_from_statements(tree):
        # Statements only, writing files as it goes (a data-preparation script that
        # downloads a dataset and writes `data/*.jsonl`): run by hand, imported by nothing.
        return True
    if works_at_top_level(tree) and not _serves_routes(tree):
        # Its module level prints, trains, publishes or launches a UI as it goes (a
        # quickstart run as `python utils/quickstart_pytorch.py`, a Gradio demo ending in
        # `demo.launch()`, no main guard): run by hand, imported by nothing.
        return True
    if not any(is_main_guard(node) for node in tree.body):
        return False
    # `app.run()` under a main block for development, but served by gunicorn/uvicorn,
    # which import the module: its module level runs in every worker.
    return not _serves_routes(tree)


#: Calls that write a script's output files (a model saved into a store included: the
#: fraud-detection project's `import_mlflow_model.py` loads from MLflow, saves to BentoML).
_WRITES = frozenset(
    {
        "to_csv",
        "to_json",
        "to_parquet",
        "save_to_disk",
        "write_text",
        "dump",
        "save",
        "save_model",
        "save_pretrained",
    }
)


def _writes_files_from_statements(tree: ast.Module) -> bool:
    """A module of top-level statements only (no function or class) that writes files
    there: `with open(path, "w")`, `df.to_csv(...)`, in loops and blocks included."""
    if any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for node in tree.body
    ):
        return False
    for call in nodes(tree, ast.Call):
        name = called_name(call)
        if name in _WRITES:
            return True
        if name == "open":
            given = keyword(call, "mode")
            mode = call.args[1] if len(call.args) > 1 else given.value if given else None
            if (
                isinstance(mode, ast.Constant)
                and isinstance(mode.value, str)
                and any(c in mode.value for c in "wax")
            ):
                return True
    return False


def _serves_routes(tree: ast.Module) -> bool:
    """The module imports a web framework and declares a route at its top level."""
    if not (imported_modules(tree) & WEB_FRAMEWORKS):
        return False
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Attribute) and target.attr in _ROUTES:
                    return True
    return False


class DownloadAtImport(FileRule):
    """## What it does
    Reports model and data downloads that run when a module is imported: module-level
    (or class-level) calls such as `AutoModel.from_pretrained("bert-base-uncased")`,
    `hf_hub_download(...)`, `snapshot_download(...)`, `load_dataset("imdb")`,
    `torch.hub.load(...)`, `urlretrieve(...)`, `requests.get(...)`,
    `transformers.pipeline(...)`, `SentenceTransformer("all-MiniLM-L6-v2")`,
    `s3.download_file(...)` / GCS `blob.download_to_filename(...)`,
    torchvision datasets with `download=True` and pretrained torchvision/timm models,
    Keras `get_file(...)` (any import path) and `keras.applications` models with their
    default ImageNet weights, `torch.utils.model_zoo.load_url`, `nltk.download`,
    `gensim.downloader.load`, `mlflow.artifacts.download_artifacts`,
    `mlflow.<flavor>.load_model(...)` of a remote URI (`runs:/`, `models:/`, `s3://`,
    `gs://`, HTTP; an f-string or a module constant starting with one counts), and
    `aws s3 cp` / `gsutil cp` / `gcloud storage cp` from a bucket to the local disk run
    through `subprocess` or `os.system`. A web module (it imports Flask, FastAPI... and
    declares routes) is served by importing it, so its main block for local runs does
    not make it a script.

    A module-level call of a function of the same module whose body downloads
    (`model = load_model()` with `torch.hub.load(...)` inside) is reported at the call,
    with the download as the related location (one level down).

    Not reported: the same calls inside functions (a startup hook, a lazy loader), in
    `if __name__ == "__main__":` blocks, in scripts (files with a main block and no
    routes, files a pipeline, build, CI or shell file runs (`cmd: python
    src/data/make_dataset.py` in `dvc.yaml`) and no module imports, files in
    `scripts/`, `bin/`, `examples/`..., files named like
    `download_*.py`/`fetch_*.py`, whose job is to download, files whose name no `import`
    can spell (`100.prepare_data.py`, `train-v2.py`), Streamlit pages: `streamlit
    run` executes them for each session, no server imports them, and modules whose top
    level prints, trains, parses its command line (`args = parser.parse_args()`),
    saves a model (`model.save_pretrained(...)`), publishes a dataset
    (`ds.push_to_hub(...)`) or launches a UI (`demo.queue().launch()`):
    importing one would run it), in notebooks and tests, in an AWS Lambda handler's
    module (`def lambda_handler(event, context)`: Lambda runs its top level once per cold
    start, where AWS's guides load what every invocation needs);
    `from_pretrained` on a local path or with `local_files_only=True`;
    `load_dataset("csv", data_files=...)`; `load_model` of a local path or of a URI the
    code does not spell (`os.environ["MODEL_URI"]`); Keras applications with
    `weights=None` or a weights file; uploads (`aws s3 cp model.pkl s3://...`).

    ## Why is this bad?
    Importing the module blocks on the network: a server takes minutes to start (and
    the orchestrator kills it as unhealthy), every worker and every test run downloads
    again, a Hub outage takes production down, and what got downloaded is whatever the
    Hub serves that day.

    ## Example
    ```python
    # app/model.py
    from transformers import AutoModelForSequenceClassification
    model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased-finetuned-sst-2-english")
    ```

    ## Use instead
    Fetch artifacts in the build (bake them into the image or a volume) and load from
    a configured path in a startup hook:
    ```python
    @asynccontextmanager
    async def lifespan(app):
        app.state.model = AutoModelForSequenceClassification.from_pretrained(settings.model_dir, local_files_only=True)
        yield
    ```
    """

    code = "TF701"
    name = "download-at-import"
    factor = 7
    severity = Severity.WARNING
    roles = frozenset({role.PACKAGE})
    repo_kinds = frozenset({project_kind.APPLICATION, project_kind.LIBRARY, project_kind.TEMPLATE})
    summary = "Model or data downloaded at import time"
    fix = "Download in the build (or a setup step), and load from a configured local path inside a startup function."
    kinds = frozenset({kinds.PYTHON})
    prefilter = _PREFILTER

    def group(self, findings: list[Finding], repo: Repo) -> list[Finding]:
        """A module that a pipeline, build, CI or shell file runs as a script (`cmd:
        python src/data/make_dataset.py` in `dvc.yaml`) and that nothing imports: its
        top level runs when the stage runs, not at an import."""
        paths = {finding.path for finding in findings if finding.path is not None}
        if not paths:
            return findings
        scripts = module_references.run_not_imported(repo, paths)
        return [finding for finding in findings if finding.path not in scripts]

    def check(self, file: SourceFile) -> Iterator[Violation]:
        python = file.python
        # The program names are ASCII: in the bytes exactly where in the text.
        names_cli = (
            _NAMES_A_CLI_COPY.search(file.data) if file.readable_bytes is file.data else None
        )
        if python is None or not _may_download_at_import(
            python.text, lambda: blanked_code(file), names_cli
        ):
            return  # no download call outside function bodies: no parse
        if python.tree is None:
            return
        tree = python.tree
        if _is_script(file, tree):
            return
        if defines_lambda_handler(python.text):
            # AWS Lambda runs the module's top level once per cold start (its init
            # phase), where AWS's guides load what every invocation needs: judged NOISE
            # on the three handlers of a deployed forecast service.
            return
        aliases = import_aliases(tree)
        constants = _module_constants(tree)
        prefixes = _module_prefixes(tree)
        helpers: dict[str, tuple[ast.Call, str] | None] = {}
        functions = {
            node.name: node
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        for statement in _import_time_statements(tree):
            for call in _calls_outside_lambdas(statement):
                what = _download(call, aliases, constants, prefixes)
                inner: ast.Call | None = None
                if what is None and isinstance(call.func, ast.Name) and call.func.id in functions:
                    # One level down into a helper of this module: `model = load_model()`
                    # whose body calls `torch.hub.load(...)` downloads at import too.
                    name = call.func.id
                    if name not in helpers:
                        helpers[name] = _downloads_in(functions[name], aliases, constants, prefixes)
                    found = helpers[name]
                    if found is not None:
                        inner, what = found
                if what is None:
                    continue
                shown = _shown(python.text, call, aliases)
                if inner is None:
                    yield Violation(
                        f"`{shown}` runs at import time and {what}",
                        line=call.lineno,
                        column=call.col_offset + 1,
                    )
                else:
                    yield Violation(
                        f"`{shown}` runs at import time and {what} through "
                        f"`{_shown(python.text, inner, aliases)}` (see line {inner.lineno})",
                        line=call.lineno,
                        column=call.col_offset + 1,
                        related=((inner.lineno, "the download in the called function"),),
                    )
                break  # one finding per statement
