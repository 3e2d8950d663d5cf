"""TF901 log-file-handler: logs written to files by the application."""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Finding, Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import FileRule, LiteralsThen
from twelvefold.rules._pyast import (
    constant_str,
    dotted,
    import_aliases,
    imported_modules,
    is_main_guard,
    keyword,
    qualified,
    walk,
)
from twelvefold.rules.f09_logs._shared import _TOOLING
from twelvefold.sources import SourceFile

_FILE_HANDLERS = frozenset(
    {
        "FileHandler",
        "RotatingFileHandler",
        "TimedRotatingFileHandler",
        "WatchedFileHandler",
        "ConcurrentRotatingFileHandler",
        "ConcurrentTimedRotatingFileHandler",
    }
)
_HANDLER_IN_CONFIG = lazy_compile(
    r"""["']?\bclass["']?\s*[:=]\s*["']?((?:logging\.)?(?:handlers\.)?(?:\w*RotatingFileHandler|WatchedFileHandler|FileHandler))\b"""
)


#: A console handler attached in the same module: `StreamHandler(...)`, Rich's, loguru's
#: `logger.add(sys.stderr)`, `basicConfig(handlers=[...StreamHandler...])`.
_CONSOLE_TOO = lazy_compile(
    r"\bStreamHandler\s*\(|\bRichHandler\s*\(|\.add\(\s*sys\.std(?:out|err)\b"
)


def _enclosing_ifs(tree: ast.AST) -> dict[int, bool]:
    """id(node) -> True when the node sits inside an `if` (other than a main guard)."""
    inside: dict[int, bool] = {}
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, in_if = stack.pop()
        inside[id(node)] = in_if
        here = in_if or (isinstance(node, ast.If) and not is_main_guard(node))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # After a guard clause (`if args.log_file is None: return`) the rest of the
            # function runs only under that condition, as if it were inside the `if`.
            guarded = here
            for statement in node.body:
                stack.append((statement, guarded))
                guarded = guarded or _is_guard_clause(statement)
            stack.extend((child, here) for child in ast.iter_child_nodes(node.args))
            stack.extend((child, here) for child in node.decorator_list)
            continue
        stack.extend((child, here) for child in ast.iter_child_nodes(node))
    return inside


def _is_guard_clause(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.If)
        and not statement.orelse
        and isinstance(statement.body[-1], (ast.Return, ast.Raise))
    )


class _FileLogCandidate:
    """The test after the literals: a file handler, loguru, or `filename` beside the
    `basicConfig` the literals found."""

    def search(self, data: bytes) -> bool:
        return b"FileHandler" in data or b"loguru" in data or b"filename" in data


class LogFileHandler(FileRule):
    """## What it does
    Reports application code that writes its logs to files: `logging.FileHandler`,
    `RotatingFileHandler`, `TimedRotatingFileHandler`, `WatchedFileHandler`,
    `logging.basicConfig(filename=...)`, a `dictConfig` dictionary or a logging YAML/INI
    file whose handler `class` is a file handler, and loguru's `logger.add("app.log")`.

    Not reported: handlers on `sys.stdout`/`sys.stderr` (`StreamHandler`,
    `basicConfig(stream=sys.stdout)`, `logger.add(sys.stderr)`), file logging switched on
    only under a condition (`if settings.log_file: ...`, after a guard clause such as
    `if args.log_file is None: return`, or `filename=args.log_file if args.log_file else
    None`), a `dictConfig` YAML or JSON (or a dictionary in code, Django's `LOGGING`) whose file handlers no logger uses (kedro's
    `default_logging.yml`, for projects to switch on), Hydra's snapshots of past runs
    (`outputs/<date>/<time>/.hydra/hydra.yaml`), a script run by hand (`scripts/`) that
    logs to the console as well (a `StreamHandler` beside the `FileHandler`: its
    reader sees the stream, the file keeps the run), test code, notebooks, build files, examples and
    docs (a lesson about logging shows `basicConfig(filename=...)` on purpose). Not in a
    research repository (a paper's or a competition's scripts run by hand): their log
    file is written next to the run's checkpoints as its record, beside the console.

    ## Why is this bad?
    A process that manages its own log files decides where logs live, how they rotate and
    when they are deleted; in a container the file vanishes with it, on a shared disk
    replicas overwrite each other, and the platform's log collection never sees the
    events. Log routing belongs to the environment.

    ## Example
    ```python
    logging.basicConfig(filename="train.log", level=logging.INFO)
    handler = RotatingFileHandler("logs/api.log", maxBytes=10_000_000)
    ```

    ## Use instead
    ```python
    logging.basicConfig(stream=sys.stdout, level=logging.INFO)
    ```
    and let the runtime (Docker, Kubernetes, systemd, the CI runner) collect stdout.
    """

    code = "TF901"
    name = "log-file-handler"
    factor = 9
    severity = Severity.WARNING
    summary = "Logs written to files by the application"
    fix = "Log to stdout/stderr (`StreamHandler(sys.stdout)`) and let the environment route and store the stream."
    kinds = frozenset({kinds.PYTHON, kinds.YAML, kinds.INI, kinds.JSON})
    repo_kinds = frozenset(project_kind.KINDS) - {project_kind.RESEARCH}
    roles = role.OWN_CODE
    # What `check` can report needs `FileHandler` (every file handler's name, a config's
    # `class:`), loguru, or `basicConfig` given a `filename`: a download's `filename=`
    # alone (transformers says it in a third of its modules) is no candidate.
    prefilter = LiteralsThen((b"FileHandler", b"basicConfig", b"loguru"), _FileLogCandidate())

    def check(self, file: SourceFile) -> Iterator[Violation]:
        if kinds.is_test_path(file.path) or posixpath.basename(file.path) in _TOOLING:
            return
        if file.kind != kinds.PYTHON:
            if "/.hydra/" in f"/{file.path}":
                # Hydra's snapshot of a past run (`outputs/<date>/<time>/.hydra/
                # hydra.yaml`, its default logging included): a record, not configuration.
                return
            yield from self._config_file(file)
            return
        python = file.python
        tree = python.tree if python is not None else None
        if tree is None:
            return
        aliases = import_aliases(tree)
        for name in _own_names(tree):
            aliases.setdefault(name, f"<project>.{name}")  # `from .file_handler import FileHandler`
        uses_loguru = "loguru" in imported_modules(tree)
        # The candidates first; which of them sit inside an `if` is worked out (a walk
        # of the whole tree) only when there is one.
        candidates: list[tuple[ast.AST, Violation]] = []
        for node in walk(tree):
            if isinstance(node, ast.Call):
                found = self._call(node, aliases, uses_loguru)
                if found:
                    violation = Violation(found, line=node.lineno, column=node.col_offset + 1)
                    candidates.append((node, violation))
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    handler = constant_str(value) if constant_str(key) == "class" else None
                    if handler and handler.rsplit(".", 1)[-1] in _FILE_HANDLERS:
                        violation = Violation(
                            f"logging configuration uses the file handler `{handler}`",
                            line=value.lineno,
                            column=value.col_offset + 1,
                        )
                        candidates.append((node, violation))
        if not candidates:
            return
        if any(isinstance(node, ast.Dict) for node, _ in candidates):
            unused = _unattached_handler_dicts(tree)
            candidates = [(node, found) for node, found in candidates if id(node) not in unused]
            if not candidates:
                return
        # One statement, one finding: `basicConfig(filename=..., handlers=[FileHandler(
        # ...)])` is reported at the call that holds the other.
        nested = (
            {id(inner) for node, _ in candidates for inner in ast.walk(node) if inner is not node}
            if len(candidates) > 1
            else set()
        )
        if file.role == role.SCRIPT and _CONSOLE_TOO.search(file.text or ""):
            # A script run by hand (`scripts/diagnose_redis.py`) that logs to the console
            # as well (`StreamHandler()` beside the `FileHandler`): the person running it
            # reads the stream; the file is a copy of the run kept beside it.
            return
        in_if = _enclosing_ifs(tree)
        for node, violation in candidates:
            if not in_if.get(id(node)) and id(node) not in nested:
                yield violation

    def group(self, findings: list[Finding], repo: Repo) -> list[Finding]:
        """A logging configuration file (YAML, INI, JSON) that no other file of the
        repository names is loaded by nothing: its file handler never writes a log (a
        cookiecutter's `config/dev/logging.yml` beside the `config.yml` the code loads)."""
        configs = {
            finding.path
            for finding in findings
            if finding.path is not None
            and (entry := repo.by_path.get(finding.path)) is not None
            and entry.kind != kinds.PYTHON
        }
        if not configs:
            return findings
        named = _named_elsewhere(repo, configs)
        return [
            finding for finding in findings if finding.path not in configs or finding.path in named
        ]

    def _call(self, node: ast.Call, aliases: dict[str, str], uses_loguru: bool) -> str | None:
        """Why the call writes the log to a file, or None."""
        name = qualified(node.func, aliases)
        last = name.rsplit(".", 1)[-1]
        if last in _FILE_HANDLERS and (
            name.startswith("logging") or last == name or "handlers" in name
        ):
            target = _describe(
                node.args[0] if node.args else getattr(keyword(node, "filename"), "value", None)
            )
            return f"`{last}({target})` writes the log to a file"
        if name in ("logging.basicConfig", "basicConfig"):
            filename = keyword(node, "filename")
            if filename is not None and not _none_or_opt_in(filename.value):
                return f"`logging.basicConfig(filename={_describe(filename.value)})` writes the log to a file"
        if uses_loguru and name in ("loguru.logger.add", "logger.add") and node.args:
            sink = node.args[0]
            if _is_path_like(sink):
                return f"loguru `logger.add({_describe(sink)})` writes the log to a file"
        return None

    def _config_file(self, file: SourceFile) -> Iterator[Violation]:
        if file.text is None or "handler" not in file.text.lower():
            return
        if file.kind in (kinds.YAML, kinds.JSON) and _file_handlers_unattached(_parsed(file)):
            return
        for number, line in enumerate(file.lines, start=1):
            if line.lstrip().startswith(("#", ";")):
                continue
            match = _HANDLER_IN_CONFIG.search(line)
            if match:
                yield Violation(
                    f"logging configuration uses the file handler `{match.group(1)}`", line=number
                )


def _named_elsewhere(repo: Repo, configs: set[str]) -> set[str]:
    """The configuration files of `configs` whose file name a file of another name
    holds (read only when a configuration file has a finding: rare)."""
    wanted = {path: posixpath.basename(path) for path in configs}
    named: set[str] = set()
    for entry in repo.files:
        # Not a namesake (`config/test/logging.yml` names itself in its header, as its
        # siblings do)
        own_name = posixpath.basename(entry.path)
        if entry.kind not in kinds.RUNNING_KINDS or own_name in wanted.values():
            continue
        source = repo.source(entry.path)
        if source is None:
            continue
        for path, name in wanted.items():
            if path not in named and name.encode() in source.data:
                named.add(path)
        if len(named) == len(wanted):
            break
    return named


def _none_or_opt_in(value: ast.expr) -> bool:
    """`filename=None`, or a file only when the user asks for one: `filename=args.log_file
    if args.log_file else None` (openai/evals' `--log_to_file`): stderr by default."""
    if isinstance(value, ast.Constant) and value.value is None:
        return True
    return isinstance(value, ast.IfExp) and any(
        isinstance(branch, ast.Constant) and branch.value is None
        for branch in (value.body, value.orelse)
    )


def _parsed(file: SourceFile) -> object:
    """A YAML or JSON file's data, or None when it does not parse."""
    if file.kind == kinds.YAML:
        return file.yaml
    import json

    try:
        return json.loads(file.text or "")
    except ValueError:
        return None


def _file_handlers_unattached(config: object) -> bool:
    """Whether a `dictConfig` configuration defines file handlers and attaches none of
    them to a logger: kedro's `default_logging.yml` keeps an `info_file_handler` (with
    `delay: True`, which opens no file) for projects to switch on, and logs to the
    console."""
    if not isinstance(config, dict) or not isinstance(config.get("handlers"), dict):
        return False
    handlers: dict[object, object] = config["handlers"]
    file_handlers = {
        name
        for name, handler in handlers.items()
        if isinstance(handler, dict)
        and str(handler.get("class", "")).rsplit(".", 1)[-1] in _FILE_HANDLERS
    }
    if not file_handlers:
        return False
    attached: set[object] = set()
    loggers = config.get("loggers")
    owners = [config.get("root"), *(loggers.values() if isinstance(loggers, dict) else ())]
    # A handler may hand its records on (`QueueHandler`'s `handlers`, `MemoryHandler`'s
    # `target`): those count as attached too.
    owners += [handler for handler in handlers.values() if isinstance(handler, dict)]
    for owner in owners:
        if not isinstance(owner, dict):
            continue
        names = owner.get("handlers")
        if isinstance(names, list):
            attached.update(name for name in names if isinstance(name, str))
        if isinstance(owner.get("target"), str):
            attached.add(owner["target"])
    return file_handlers.isdisjoint(attached)


def _unattached_handler_dicts(tree: ast.Module) -> set[int]:
    """The handler dictionaries of a `dictConfig` dictionary written in code (Django's
    `LOGGING`) when its file handlers are attached to no logger (a `'file'` handler
    defined beside `'console'`, and every logger using `'console'`): nothing writes to
    the file. Only literal lists of handler names are read; a computed one may name it."""
    found: set[int] = set()
    for node in walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        keys = [constant_str(key) for key in node.keys]
        if "handlers" not in keys or not isinstance(node.values[keys.index("handlers")], ast.Dict):
            continue
        config = _literal_skeleton(node)
        if not _handler_lists_literal(node) or not _file_handlers_unattached(config):
            continue
        handlers = node.values[keys.index("handlers")]
        assert isinstance(handlers, ast.Dict)
        found.update(id(value) for value in handlers.values)
    return found


def _literal_skeleton(node: ast.AST) -> object:
    """The dictionaries, lists and constants of a literal, anything else None."""
    if isinstance(node, ast.Dict):
        return {
            constant_str(key): _literal_skeleton(value)
            for key, value in zip(node.keys, node.values, strict=True)
            if constant_str(key) is not None
        }
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_literal_skeleton(item) for item in node.elts]
    if isinstance(node, ast.Constant):
        return node.value
    return None


def _handler_lists_literal(config: ast.Dict) -> bool:
    """Every `handlers` list under the configuration is a literal list of names."""
    for inner in ast.walk(config):
        if not isinstance(inner, ast.Dict) or inner is config:
            continue
        for key, value in zip(inner.keys, inner.values, strict=True):
            if constant_str(key) != "handlers" or isinstance(value, ast.Dict):
                continue
            if not (
                isinstance(value, (ast.List, ast.Tuple))
                and all(constant_str(item) is not None for item in value.elts)
            ):
                return False
    return True


def _own_names(tree: ast.Module) -> set[str]:
    """Names the module defines or imports from the project (relative imports): a
    class of its own called `FileHandler` is no logging handler."""
    found: set[str] = set()
    for node in walk(tree):
        if isinstance(node, ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.update(alias.asname or alias.name for alias in node.names)
    return found


def _is_path_like(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    if constant_str(node) is not None:
        return True
    if isinstance(node, ast.Call):
        name = dotted(node.func).rsplit(".", 1)[-1]
        return (
            name in ("Path", "join")
            and bool(node.args)
            and all(constant_str(a) is not None for a in node.args)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return constant_str(node.right) is not None and str(constant_str(node.right)).endswith(
            ".log"
        )
    return False


def _describe(node: ast.expr | None) -> str:
    if node is None:
        return ""
    text = constant_str(node)
    if text is not None:
        return repr(text)
    try:
        return ast.unparse(node)[:60]
    except (ValueError, RecursionError):
        return "..."
