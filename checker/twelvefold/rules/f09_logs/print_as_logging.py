"""TF902 print-as-logging: print used as the logging of a library, pipeline or service module."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import pairwise

from twelvefold import kinds
from twelvefold.detectors import module_references
from twelvefold.detectors.aws_lambda import defines_lambda_handler
from twelvefold.detectors.import_scan import imported_tops
from twelvefold.detectors.mage import in_mage_project, mage_project_folders
from twelvefold.detectors.provenance import copied_from, separately_licensed
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.project.knowledge import (
    LOG_LEVELS,
    MODEL_SERVERS,
    WEB_FRAMEWORK_PREFILTER,
    WEB_FRAMEWORKS,
)
from twelvefold.repo import Repo
from twelvefold.rule import RepoRule, fact
from twelvefold.rules._code_text import blanked_code, may_hold_in_code
from twelvefold.rules._kfp import component_decorator
from twelvefold.rules._pyast import (
    called_name,
    dotted,
    import_aliases,
    imported_modules,
    is_main_guard,
    keyword,
    nodes,
    qualified,
    walk,
    web_frameworks,
    works_at_top_level,
)
from twelvefold.rules.f09_logs._shared import _TOOLING
from twelvefold.sources import SourceFile


@dataclass(frozen=True)
class PrintFacts:
    """The status prints of one module, and what kind of module it is."""

    prints: tuple[tuple[int, str], ...]  # (line, enclosing function or "")
    uses_logging: bool
    web_app: bool
    #: A pipeline step of an application (`features.py`, `data.py`, `train.py`...).
    pipeline: bool = False
    #: One of the prints runs again and again: in a loop of a function (`print(f"Epoch
    #: {e}: {loss}")`), or in a helper named for logging that callers use as their log
    #: (`def debug_msg(*args): print(*args)`).
    repeated: bool = False
    #: The lines of prints beside a logging call of the same message (`logging.info(msg)`
    #: then `print(msg)`): an echo on the console of what goes to the log.
    echoes: tuple[int, ...] = ()
    #: The module has a main block (`if __name__ == "__main__":`), or its top level calls
    #: its own functions: it can run by hand.
    runs_by_hand: bool = False


_CLI_MODULES = frozenset(
    {
        "argparse",
        "click",
        "typer",
        "fire",
        "docopt",
        "rich",
        "cyclopts",
        "plac",
        "tyro",
        "jsonargparse",
        # task runners: an `@task` of invoke or fabric prints what it does to whoever ran
        # `invoke lint` (ct_scan_mlops' `tasks/`, nine modules judged)
        "invoke",
        "fabric",
    }
)
#: A module that registers IPython magics or event hooks (`ip.events.register(
#: "post_run_cell", watch_memory)`, recommenders' memory watcher), or builds a widget UI
#: (`import ipywidgets`, autotrain's Colab form): what they print is a notebook cell's
#: output.
_WRITES_TO_A_NOTEBOOK = lazy_compile(
    r"\bload_ipython_extension\b|\bregister_magic_function\b|@magics_class\b|@(?:line|cell)_magic\b"
    r"|\.events\.register\(\s*[\"'](?:pre|post)_(?:run_cell|execute)[\"']"
    r"|^[ \t]*(?:import|from)[ \t]+ipywidgets\b",
    re.MULTILINE,
)
#: Words one of which each `_WRITES_TO_A_NOTEBOOK` match holds: tested first, because the
#: pattern's alternatives start anywhere (a pass over a large module costs milliseconds).
_NOTEBOOK_WORDS = ("ipython_extension", "magic", ".events.register", "ipywidgets")
#: A module importing one of these serves requests: its prints are a service's logs
#: (BentoML only where it defines a service: its model store is used by scripts too).
_SERVES_REQUESTS = WEB_FRAMEWORKS | {"bentoml"}
_BENTO_SERVICE = lazy_compile(r"bentoml\.(?:Service|service|api)\b|@\w+\.api\b")
#: A class whose job is writing to the terminal (`ConsoleLogger`, txtai's `ConsoleTask`,
#: a `Printer`, scikit-optimize's `VerboseCallback`, added only when `verbose=True`,
#: gpt-pilot's `VirtualUI` adapter): its prints are its output.
_CONSOLE_CLASS = lazy_compile(r"Console|Printer|Stdout|Terminal|Verbose|(?:UI|Cli|CLI)$")
#: What a print says to a person at the keyboard: a key to press, a page to open
#: (`Press Ctrl+C to stop`, `Open this URL in your browser`, `Local app URL: ...`,
#: `Model loaded. Check http://127.0.0.1:5000/`, `Running on 0.0.0.0:7860`).
_PROMPT = lazy_compile(
    r"ctrl[+-]|\bpress\b|\bbrowser\b|\bapp url\b|\b(?:check|open|visit|go to|view|see)\b[^\n]*://"
    r"|\b(?:running|available|served|serving|listening)\b[^\n]{0,40}\b(?:at|on)\b",
    re.I,
)
#: A failure told to a person is still the log's to record (`Failed to diarize ... Go to
#: https://...`): the operator reads the log, not the console.
_FAILURE = lazy_compile(r"fail|error|warn|could not|cannot|can't|unable", re.I)


def _prompts_a_person(call: ast.Call) -> bool:
    """The print's own text tells a person what to do or where to look, and reports no
    failure."""
    text = " ".join(
        piece.value
        for argument in call.args
        for piece in (argument.values if isinstance(argument, ast.JoinedStr) else [argument])
        if isinstance(piece, ast.Constant) and isinstance(piece.value, str)
    )
    return bool(text) and _PROMPT.search(text) is not None and _FAILURE.search(text) is None


_LOG_MODULES = frozenset({"logging", "loguru", "structlog"})
#: Folders that hold a command line interface's modules (`accelerate/commands/config/`,
#: llm-foundry's `command_utils/data_prep/`, open-interpreter's `terminal_interface/`,
#: roboflow's `inference_cli/`, clearml's `wizard/` behind `clearml-init`).
_CLI_DIRS = lazy_compile(r"(?:\w+_)?(?:cli|cmd|commands?|terminal_interface|tui|wizard)(?:_\w+)?")
#: Functions whose job is to show something to a person (`_tail_process`: relaying a
#: child process's console as it runs, mlrun's `watch_log`) or to ask them something
#: (`input_int`, `ask_yes_no`; not `ask(prompt)`, a question to a model).
_OUTPUT_FUNCTION = lazy_compile(
    r"^(?:doc|_?watch(?:_\w+)?|_?input_\w+|_?ask_(?:user|yes|for)\w*|_?prompt_(?:user|for)\w*|_?confirm(?:_\w+)?|main|_?cli\w*|\w*_cli|run_cli|_?print\w*|\w*_print\w*|_?show\w*|_?display\w*|_?render\w*|_?report\w*|\w*summar\w*|\w*overview\w*|"
    r"_?pretty\w*|_?dump\w*|_?describe\w*|_?plot\w*|\w*_plot_\w+|_?demo\w*|\w*_demo|_?example_usage\w*|_?visuali[sz]\w*|_?echo\w*|__repr__|__str__|_repr_\w+|_?usage\w*|_?help\w*|_?tail(?:_\w+)?)$"
)


#: A docstring that says the function's job is output: "Display the tokens that...",
#: "Convert the tree to string for print".
_OUTPUT_DOCSTRING = lazy_compile(
    r"\s*(?:\w+\s+and\s+)?(?:display|print|show|render|plot|visuali[sz]e)s?\b"
    r"|[^\n]*\b(?:for|to)\s+(?:print|display|show)(?:ing)?\b",
    re.I,
)


#: A docstring's labelled first line or a paragraph that says so: "Sync context manager:
#: print a phase header banner", "Validate FST distribution.\n\nPrints statistics to...".
_OUTPUT_SENTENCE = lazy_compile(
    r"\A\s*[\w ]{1,40}:\s+(?:display|print|show)s?\b"
    r"|\n[ \t]*\n[ \t]*(?:display|print|show)s\b",
    re.I,
)


def _command_decorated(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Decorated as a command line's command or callback (`@app.command()`,
    `@click.command`, `@cli.callback()`, `@option_callback`)."""
    for decorator in function.decorator_list:
        name = dotted(decorator.func if isinstance(decorator, ast.Call) else decorator)
        if name is not None and _COMMAND_DECORATOR.search(name.rsplit(".", 1)[-1]):
            return True
    return False


_COMMAND_DECORATOR = lazy_compile(r"^(?:command|group|callback)$|_callback$|^callback_")


def _documented_output(function: ast.FunctionDef | ast.AsyncFunctionDef | None) -> bool:
    """A docstring saying the function's job is output ("Display the tokens..."), or a
    doctest calling the function, whose expected output its prints are (torchmetrics'
    `check_forward_full_state_property` prints its recommendation)."""
    doc = ast.get_docstring(function, clean=False) if function is not None else None
    if doc is None or function is None:
        return False
    if _OUTPUT_DOCSTRING.match(doc) is not None or _OUTPUT_SENTENCE.search(doc) is not None:
        return True
    if ">>>" not in doc:
        return False
    # The doctest's expected output: the lines after the call up to a blank line, other
    # than the call's own `...` continuation lines and further `>>>` statements.
    lines = doc.splitlines()
    call = re.compile(rf">>> .*\b{re.escape(function.name)}\(")
    for number, line in enumerate(lines):
        if call.search(line) is None:
            continue
        for after in lines[number + 1 :]:
            shown = after.strip()
            if not shown or shown.startswith(">>>"):
                break
            if not shown.startswith("..."):
                return True
    return False


@fact("module-prints", kinds=[kinds.PYTHON], prefilter=b"print(")
def module_prints(file: SourceFile) -> PrintFacts | None:
    name = posixpath.basename(file.path)
    if (
        kinds.is_test_path(file.path)
        or name in _TOOLING
        or name == "__main__.py"
        or file.role in role.RUN_BY_HAND
    ):
        return None
    if (
        file.text is None
        or not may_hold_in_code(rb"\bprint\b", file.text)
        or not _calls_print(blanked_code(file))
    ):
        return None  # `print(` only in docstrings, comments or strings: nothing to parse for
    if copied_from(file.text):
        return None  # vendored: kept as upstream wrote it
    if any(_CLI_DIRS.fullmatch(part) for part in posixpath.dirname(file.path).split("/")):
        return None  # a command line interface: printing is its output
    if any(word in file.text for word in _NOTEBOOK_WORDS) and _WRITES_TO_A_NOTEBOOK.search(
        file.text
    ):
        return None  # a notebook magic (aim's `%aim up`), hook or widget: its prints are
        # the cell's output
    pipeline = (
        file.repo_kind == project_kind.APPLICATION
        and file.role == role.PACKAGE
        and bool(_PIPELINE_MODULE.fullmatch(name.lower()))
        # `feature_level_analysis.py`: an analysis script's report, not a pipeline step
        and not _ANALYSIS_MODULE.search(name.lower())
    )
    if not pipeline and _script_serving_nothing(file):
        return None  # a script: its prints are what it is for (no parse needed to say so)
    python = file.python
    tree = python.tree if python is not None else None
    if tree is None:
        return None
    if not any(
        isinstance(call.func, ast.Name) and call.func.id == "print"
        for call in nodes(tree, ast.Call)
    ):
        return None  # `print(` only in text or in `pprint(`: no walk needed
    modules = imported_modules(tree)
    if modules & _CLI_MODULES:
        return None  # a command line interface: printing is its output
    if "modal" in modules or _MODAL_FUNCTION.search(file.text):
        return None  # a Modal app: Modal keeps each call's stdout, timestamped, as its log
    if defines_lambda_handler(file.text) and not _LOGS_OR_SERVES.search(file.text):
        # An AWS Lambda function that logs only by printing: CloudWatch keeps each
        # invocation's stdout as its log. One with a logger of its own is reported: its
        # prints bypass that logger's levels.
        return None
    # A model server's own package (LitServe's `src/litserve/`) is not a service of it.
    # Cog shows what a predictor prints as the prediction's log: its prints are logs.
    servers = MODEL_SERVERS.difference(file.path.split("/")[:-1], {"cog"})
    web_app = bool(web_frameworks(tree) or modules & servers) or (
        # in code, not in a comment (`# svc = bentoml.Service(...)` in a job that builds one)
        "bentoml" in modules and _BENTO_SERVICE.search(blanked_code(file)) is not None
    )
    guards = [node for node in tree.body if is_main_guard(node) or _runs_its_loop(node)]
    if guards and not (web_app or pipeline):
        return None  # a script: its prints are what it is for
    if guards and _SAYS_IT_IS_AN_EXAMPLE.match(ast.get_docstring(tree) or ""):
        # "Example script demonstrating how to use the Resume Analysis System." with a
        # main block, in a Django app's folder: a demonstration run by hand, whose prints
        # show the reader what happens.
        return None
    # A pipeline step's name does not make a script a module: run by hand as `python
    # src/models/train_model.py`, its prints are its output (two sets judged them NOISE).
    if not web_app and not any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for node in tree.body
    ):
        return None  # top-level statements only: a script run by hand, even in a package
    if not web_app and works_at_top_level(tree, counting_prints=False):
        # Its top level trains, saves or publishes a model, or reads the command line
        # (`kto_trainer.train()`, `model.save_pretrained("kto_model")` after the reward
        # functions it defines): a script run by hand, even in a package folder.
        return None
    guarded = {id(n) for guard in guards for n in walk(guard)}
    if "import" in file.text and "except" in file.text:
        guarded |= _import_fallback_prints(tree)
    if "exit" in file.text or "raise" in file.text or "assert" in file.text:
        guarded |= _prints_on_the_way_out(tree)
    echoing = _prints_echoing_a_log_call(tree) if "log" in file.text else set()
    aliases = import_aliases(tree)
    lines = python.lines if python is not None else []
    prints: list[tuple[int, str]] = []
    echoes: list[int] = []
    reporting: dict[int, bool] = {}  # id(function) -> its prints are not log messages
    console = {
        id(inner)
        for cls in nodes(tree, ast.ClassDef)
        if _CONSOLE_CLASS.search(cls.name)
        for inner in walk(cls)
    }
    repeated = False
    calls = _print_calls_with_function(tree)
    within_output = _within_output_functions(tree, [call for call, *_ in calls])
    for (node, function, verbose, looped), output_caller in zip(calls, within_output, strict=True):
        if id(node) in guarded:
            continue
        if verbose or _prints_data(node) or _controls_the_terminal(node):
            continue  # output the caller asked for (`if verbose:`), data for a reader,
            # or a cursor moved
        if id(node) in console or _prompts_a_person(node):
            continue  # a console writer's output, or a person told what to do or open
        where = function.name if function is not None else ""
        if output_caller:
            continue  # in a function whose name or docstring says printing is its job,
            # or in a helper nested in one (`tree()`'s `make_tree`)
        if function is not None and _command_decorated(function):
            continue  # `@app.command()`, `@option_callback`: a command's output
        if function is not None and component_decorator(function) is not None:
            continue  # a Kubeflow Pipelines component: its stdout is the step's log
        if function is not None:
            if id(function) not in reporting:
                reporting[id(function)] = _sets_up_logging_or_shows_a_table(
                    function
                ) or _prints_its_result(function)
            if reporting[id(function)]:
                continue
        if guards and not web_app and not where:
            continue  # a pipeline step's module-level prints: its script part
        destination = keyword(node, "file")
        if destination is not None and qualified(destination.value, aliases) != "sys.stdout":
            continue  # stderr is the log stream (factor 9); any other file is data
        if _marked_intended(lines, node):
            continue  # a noqa comment naming T201: the project says this print is the point
        prints.append((node.lineno, where))
        if id(node) in echoing:
            echoes.append(node.lineno)
        repeated = repeated or (
            function is not None and (looped or bool(_LOGGING_HELPER.match(function.name)))
        )
    if not prints:
        return None
    uses_logging = _logs(tree, modules, aliases)
    runs_by_hand = bool(guards) or _calls_its_own_functions(tree)
    return PrintFacts(
        tuple(prints), uses_logging, web_app, pipeline, repeated, tuple(echoes), runs_by_hand
    )


def _calls_its_own_functions(tree: ast.Module) -> bool:
    """Whether the module's top level calls a function it defines itself (`df1 =
    scrape_all_vivino_pages(15, 500000)` after `def scrape_all_vivino_pages`): importing
    it would run its work, as a main block does when it is run."""
    defined = {
        statement.name
        for statement in tree.body
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    if not defined:
        return False
    for statement in tree.body:
        value = (
            statement.value
            if isinstance(statement, (ast.Expr, ast.Assign, ast.AnnAssign))
            else None
        )
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id in defined
        ):
            return True
    return False


#: A main guard written at the start of a line: `if __name__ == "__main__":`.
_MAIN_GUARD_LINE = lazy_compile(r"^if[ \t]+__name__[ \t]*==[ \t]*(['\"])__main__\1[ \t]*:", re.M)


def _script_serving_nothing(file: SourceFile) -> bool:
    """What `module_prints` finds from the parse, from the text: a main guard at the top
    level of the code (not in a string) and no import of a web framework, a model server
    or BentoML (the import scan says more than the code imports, never less)."""
    text = file.text or ""
    match = _MAIN_GUARD_LINE.search(text) if "\r" not in text else None
    if match is None:
        return False
    tops = imported_tops(text)
    if tops is None or not tops.isdisjoint(_SERVING_IMPORTS):
        return False
    number = text.count("\n", 0, match.start())
    code = blanked_code(file).split("\n")
    return number < len(code) and code[number].startswith("if __name__")


_SERVING_IMPORTS = WEB_FRAMEWORKS | MODEL_SERVERS | {"bentoml"}


def _import_fallback_prints(tree: ast.Module) -> set[int]:
    """The prints of a fixed notice in an `except` block around imports only, at the top
    of a module (`try: import apex` / `except: print('apex is not installed')`, as
    Open-MMLab's runners have it): said once at import that an optional package is
    missing, not a log line. Not a printed exception (`print(e)`: the error, as a log
    line would carry it), nor one inside a function, which runs on every call."""
    found: set[int] = set()
    for node in tree.body:
        if not (
            isinstance(node, ast.Try)
            and node.body
            and all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in node.body)
        ):
            continue
        for handler in node.handlers:
            found.update(
                id(inner)
                for inner in walk(handler)
                if isinstance(inner, ast.Call)
                and inner.args
                and all(
                    isinstance(a, ast.Constant) and isinstance(a.value, str) for a in inner.args
                )
            )
    return found


def _runs_its_loop(statement: ast.stmt) -> bool:
    """`asyncio.run(main())` at the top of a module: importing it would run the program,
    so it is a script, like one with a main guard (Verba's `chunking_examples.py`)."""
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and dotted(statement.value.func) == "asyncio.run"
    )


#: `sys.stdout = self`: an object taking the place of stdout (Megatron's `Tee`), not a
#: buffer a test captures into (`sys.stdout = self.out_buf`) or `/dev/null`.
_CAPTURES_STDOUT = lazy_compile(r"^[ \t]*sys\.stdout[ \t]*=[ \t]*self[ \t]*$", re.M)
#: A file opened to write or append to (`open(path, "a")`): where the tee copies to.
_OPENS_TO_WRITE = lazy_compile(r"\bopen\([^()\n]*,[ \t]*(?:mode[ \t]*=[ \t]*)?[rb]?[\"'][wa]")


@fact("captures-stdout", kinds=[kinds.PYTHON], prefilter=b"sys.stdout")
def captures_stdout(file: SourceFile) -> bool | None:
    """Whether the module replaces `sys.stdout` (Megatron's `Tee` copies everything
    printed into the run's log files): its package logs through `print` by design."""
    if file.text is None or kinds.is_test_path(file.path):
        return None
    text = file.text
    return True if _CAPTURES_STDOUT.search(text) and _OPENS_TO_WRITE.search(text) else None


#: A module that logs (imports logging, loguru or structlog, or binds a logger) or serves
#: requests (imports a web framework): read from the text, no parse, for every module.
_LOGS_OR_SERVES = lazy_compile(
    r"^[ \t]*(?:import|from)[ \t]+(?:logging|loguru|structlog)\b"
    r"|^[ \t]*(?:_?log|_?logger|LOG|LOGGER)[ \t]*=[^\n]*logger"
    r"|^[ \t]*(?:import|from)[ \t]+(?:" + "|".join(sorted(_SERVES_REQUESTS)) + r")\b",
    re.M,
)


@fact(
    "logs-or-serves",
    kinds=[kinds.PYTHON],
    prefilter=(
        b"logging",
        b"loguru",
        b"structlog",
        b"logger",
        b"LOGGER",
        b"bentoml",
        *WEB_FRAMEWORK_PREFILTER,
    ),
)
def logs_or_serves(file: SourceFile) -> bool | None:
    """Whether the module logs or serves requests: a package holding one is a service's
    or a logging code base, whose other modules' prints bypass its logs."""
    if file.text is None or kinds.is_test_path(file.path):
        return None
    return True if _LOGS_OR_SERVES.search(file.text) else None


#: Where a module sends the package's log records: to a file (`logging.FileHandler(path)`)
#: or to a console (`StreamHandler`, `basicConfig`, rich's `RichHandler`, loguru's
#: `logger.add(sys.stderr)`).
_FILE_HANDLER = lazy_compile(r"\b\w*FileHandler\(")
#: `basicConfig(filename=...)`: the root logger writes to that file (AnimatedDrawings'
#: `log.txt`, a pipeline stage's `pipe.log`).
_BASIC_CONFIG_FILE = lazy_compile(r"\bbasicConfig\([^)]*\bfilename\s*=")
#: A console handler: `basicConfig()` without a file writes to stderr.
_CONSOLE_HANDLER = lazy_compile(
    r"\bStreamHandler\b|\bbasicConfig\((?![^)]*\bfilename\s*=)|\bRichHandler\b"
    r"|\.add\(\s*sys\.std(?:out|err)\b"
)


@fact(
    "log-destination",
    kinds=[kinds.PYTHON],
    prefilter=(b"FileHandler", b"StreamHandler", b"basicConfig", b"RichHandler", b"sys.std"),
)
def log_destination(file: SourceFile) -> str | None:
    """`"console"` when the module attaches a console handler, `"file"` when it attaches
    only a file handler (a package whose handlers are all files, pycaret's `logs.log`,
    shows its users nothing but its prints), `"basic-file"` when `basicConfig` sends the
    root logger to a file."""
    if file.text is None or kinds.is_test_path(file.path):
        return None
    if _CONSOLE_HANDLER.search(file.text):
        return "console"
    if _FILE_HANDLER.search(file.text):
        return "file"
    return "basic-file" if _BASIC_CONFIG_FILE.search(file.text) else None


#: `print(` in the code scan (`blanked_code`): never missing a call the AST has
#: (`print (x)`, a line continuation before the bracket). It starts on its literal: a
#: look-behind first would make Python's `re` try it at every character (40x slower).
_PRINT_CALL = lazy_compile(r"print\s*(?:\\\s*)*\(")


def _calls_print(code: str) -> bool:
    """Whether `code` calls the name `print`: `obj.print(` and `pprint(` are no call of it."""
    for found in _PRINT_CALL.finditer(code):
        before = code[found.start() - 1 : found.start()]
        if not before or not (before.isalnum() or before in "_."):
            return True
    return False


#: Modal's decorators of the functions it runs (`@app.function(...)`, `@app.cls(...)`),
#: in a module that takes the app from another (`from .common import app`); not
#: TensorFlow's `@tf.function(...)`, which compiles a graph.
_MODAL_FUNCTION = lazy_compile(r"^[ \t]*@(?!tf\.|tensorflow\.)\w+\.(?:function|cls)\(", re.M)
#: Modules of an application's pipeline steps: data preparation, features, training and
#: evaluation. Their prints are progress messages, whatever else the module does.
_PIPELINE_MODULE = lazy_compile(
    r"(?:features?|feature_\w+|data|dataset|datasets|preprocess\w*|prepare\w*|ingest\w*|etl"
    r"|transform\w*|train|training|train_\w+|pipeline\w*|evaluate|evaluation)\.py"
)
#: A module docstring that calls the module an example or a demonstration.
_SAYS_IT_IS_AN_EXAMPLE = lazy_compile(
    r"\s*(?:an?\s+)?(?:example|demo(?:nstration)?)\s+(?:script|of|showing|usage|for)\b", re.I
)


#: A module named for an analysis or a report, whatever step its name also names.
_ANALYSIS_MODULE = lazy_compile(r"analy[sz]|report")
#: Names a module's logger goes by.
_LOGGER_NAMES = frozenset({"logger", "LOGGER", "_logger", "log", "LOG", "_log"})


def _logs(tree: ast.Module, modules: set[str], aliases: dict[str, str]) -> bool:
    """The module uses logging: it has a logger of its own (`_binds_logger`), or it
    imports logging, loguru or structlog and calls into them (`logging.getLogger(...)`,
    `logger.info(...)` from `from loguru import logger`). An import alone is not use: a
    wrapper that imports logging and never calls it has nothing to log with."""
    if _binds_logger(tree) or _logs_through_self(tree):
        return True
    if not modules & _LOG_MODULES:
        return False
    return any(
        qualified(node.func, aliases).split(".", 1)[0] in _LOG_MODULES
        for node in nodes(tree, ast.Call)
    )


def _logs_through_self(tree: ast.Module) -> bool:
    """A class of the module logs through a logger it holds: `self.logger.info(...)`
    after `self.logger = Logger()` (a project's own wrapper, fastlogging, loguru)."""
    for node in nodes(tree, ast.Call):
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in LOG_LEVELS
            and isinstance(func.value, ast.Attribute)
            and func.value.attr.lstrip("_") in _LOGGER_NAMES
            and isinstance(func.value.value, ast.Name)
            and func.value.value.id == "self"
        ):
            return True
    return False


def _binds_logger(tree: ast.Module) -> bool:
    """The module has a logger of its own, whatever library made it: `logger =
    get_logger(__name__)`, `log = setup_logger("train")`, `from .utils import logger`
    (not `from math import log`)."""
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and "logger" in dotted(node.value.func).lower()
            and any(isinstance(t, ast.Name) and t.id in _LOGGER_NAMES for t in node.targets)
        ):
            return True
        # `Logger` is a class (Composer's metrics `Logger` type), not a logger object.
        if isinstance(node, ast.ImportFrom) and any(
            (alias.asname or alias.name).lstrip("_") in ("logger", "LOGGER") for alias in node.names
        ):
            return True
    return False


#: Calls that end the process: the print before one is the message a user reads.
_EXITS = frozenset({"exit", "quit", "sys.exit", "os._exit"})


#: Statements holding blocks of statements, whose blocks are read in order.
_BLOCK_HOLDERS: tuple[type[ast.AST], ...] = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.ExceptHandler,
    ast.ClassDef,
    ast.match_case,
)


def _prints_on_the_way_out(tree: ast.Module) -> set[int]:
    """The `print(...)` statements of a block that goes on to end the process or, outside
    an `except` block, to raise a new error (`print(f"Error: {e}")`, `exit(-1)`;
    `print(parser.format_help())`, `raise ValueError(...)`; a loop of prints there too),
    and the prints of an `if` whose
    next statement asserts (`if p.ndim != 2: print(p)` then `assert p.ndim == 2`): a
    command's error message for its user, or the dump of a failure the exception
    carries, not a log line (label-studio-ml's `create`, hyperopt's `tpe`)."""
    found: set[int] = set()
    # Blocks inside an `except` block, where a bare `raise` re-raises the caught error
    # (each walked once: a handler inside another is already in the set).
    handled: set[int] = set()
    for except_block in nodes(tree, ast.ExceptHandler):
        if id(except_block) not in handled:
            handled.update(
                id(inner) for statement in except_block.body for inner in walk(statement)
            )
    blocks: list[tuple[list[ast.stmt], bool]] = [(tree.body, False)]
    for holder in _BLOCK_HOLDERS:
        for node in nodes(tree, holder):
            in_handler = isinstance(node, ast.ExceptHandler) or id(node) in handled
            for field in ("body", "orelse", "finalbody"):
                block = getattr(node, field, None)
                if isinstance(block, list) and block:
                    blocks.append((block, in_handler))
    for block, handler in blocks:
        end = next(
            (i for i, statement in enumerate(block) if _ends_or_raises(statement, handler)), 0
        )
        for statement in block[:end]:
            if _is_print(statement):
                found.add(id(statement.value))  # type: ignore[attr-defined]
            elif isinstance(statement, ast.For) and all(_is_print(s) for s in statement.body):
                # the parser's errors, one per line, before `sys.exit(1)` (InsightFace-REST)
                found.update(id(inner.value) for inner in statement.body)  # type: ignore[attr-defined]
        for statement, following in pairwise(block):
            if (
                isinstance(statement, ast.If)
                and not statement.orelse
                and isinstance(following, ast.Assert)
                and all(_is_print(inner) for inner in statement.body)
            ):
                found.update(id(inner.value) for inner in statement.body)  # type: ignore[attr-defined]
    return found


#: The methods of a logger (or of `logging`) that write one record.
_LOG_METHODS = LOG_LEVELS | {"log"}


def _prints_echoing_a_log_call(tree: ast.Module) -> set[int]:
    """The prints right before or after a logging call of the same message
    (`logging.info(msg)` then `print(msg)`)."""
    found: set[int] = set()
    blocks = [tree.body]
    for holder in _BLOCK_HOLDERS:
        for node in nodes(tree, holder):
            for field in ("body", "orelse", "finalbody"):
                block = getattr(node, field, None)
                if isinstance(block, list) and len(block) > 1:
                    blocks.append(block)
    for block in blocks:
        for first, second in pairwise(block):
            for printed, other in ((first, second), (second, first)):
                if not (_is_print(printed) and isinstance(other, ast.Expr)):
                    continue
                call = other.value
                args = printed.value.args  # type: ignore[attr-defined]
                if not (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr in _LOG_METHODS
                    and len(args) == 1
                ):
                    continue
                message = 1 if call.func.attr == "log" else 0  # `log(level, msg)`
                if len(call.args) > message and ast.dump(call.args[message]) == ast.dump(args[0]):
                    found.add(id(printed.value))  # type: ignore[attr-defined]
    return found


def _is_print(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and isinstance(statement.value.func, ast.Name)
        and statement.value.func.id == "print"
    )


def _ends_or_raises(statement: ast.stmt, handler: bool) -> bool:
    """`exit(1)`, `sys.exit(...)`, `quit()`, `os._exit(1)`, `raise SystemExit(...)`, or,
    outside an `except` block, the raise of a new error (`raise ValueError(...)`, or a
    bare `raise`, which fails there with "no active exception": gpt4all's dump of a bad
    sample). A block that prints an error and re-raises it (`print(f"Database error:
    {e}"); raise`, langserve's hint before `raise e`) logs the failure through print:
    that is what the rule is about."""
    if isinstance(statement, ast.Raise):
        if not handler and (statement.exc is None or isinstance(statement.exc, ast.Call)):
            return True  # `raise ValueError(f"unused arguments: {unknown}")`: a new error
        # A re-raise (`raise`, `raise e`) passes on a failure the prints only log.
        raised = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
        return raised is not None and dotted(raised) == "SystemExit"
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and dotted(statement.value.func) in _EXITS
    )


Function = ast.FunctionDef | ast.AsyncFunctionDef


def _within_output_functions(tree: ast.Module, calls: list[ast.Call]) -> list[bool]:
    """For each print call (in source order), whether a function around it, the
    innermost or an outer one, says by its name or docstring that printing is its job:
    `tree()`, documented "prints out directory hierarchy", whose nested `make_tree`
    does the printing."""
    defined: list[Function] = [*nodes(tree, ast.FunctionDef), *nodes(tree, ast.AsyncFunctionDef)]
    spans = [
        (_start(function), _end(function))
        for function in defined
        if _OUTPUT_FUNCTION.match(function.name) or _documented_output(function)
    ]
    if not spans:
        return [False] * len(calls)
    return [found is not None for found in _innermost([_start(c) for c in calls], spans)]


def _print_calls_with_function(
    tree: ast.Module,
) -> list[tuple[ast.Call, Function | None, bool, bool]]:
    """Every `print(...)` call, with its enclosing function, whether it runs only under
    a verbosity switch (`if verbose:`, `if self.verbose > 1:`, in the body, not the
    `else`), and whether a loop repeats it (`for epoch in ...: print(loss)`). Worked out
    from source positions in one sweep over the typed node lists (calls, functions,
    `if`s, loops sorted by where they start), not a second walk of the tree: linear in
    the nodes, whatever the nesting."""
    prints = sorted(
        (
            call
            for call in nodes(tree, ast.Call)
            if isinstance(call.func, ast.Name) and call.func.id == "print"
        ),
        key=_start,
    )
    if not prints:
        return []
    functions: list[tuple[tuple[int, int], tuple[int, int], Function]] = []
    defined: list[Function] = [*nodes(tree, ast.FunctionDef), *nodes(tree, ast.AsyncFunctionDef)]
    for function in defined:
        first = function.decorator_list[0] if function.decorator_list else function
        functions.append((_start(first), _end(function), function))
    switched = [
        (_start(node.body[0]), _end(node.body[-1]))
        for node in nodes(tree, ast.If)
        if _mentions_verbose(node.test) or _first_rank_only(node.test)
    ]
    # `except ImportError: print("pip install boto3 for s3 checkpoints")`: an install
    # hint for the person running it, not a log line.
    switched += [
        (_start(handler.body[0]), _end(handler.body[-1]))
        for node in nodes(tree, ast.Try)
        for handler in node.handlers
        if _catches_import_error(handler)
    ]
    looping: list[ast.For | ast.AsyncFor | ast.While] = [
        *nodes(tree, ast.For),
        *nodes(tree, ast.AsyncFor),
        *nodes(tree, ast.While),
    ]
    loops = [(_start(node.body[0]), _end(node.body[-1])) for node in looping]
    at = [_start(call) for call in prints]
    enclosing = _innermost(at, [(start, end) for start, end, _ in functions])
    by_span = {(start, end): function for start, end, function in functions}
    return [
        (
            call,
            by_span[span] if span is not None else None,
            gated is not None,
            looped is not None,
        )
        for call, span, gated, looped in zip(
            prints, enclosing, _innermost(at, switched), _innermost(at, loops), strict=True
        )
    ]


Span = tuple[tuple[int, int], tuple[int, int]]


def _innermost(points: list[tuple[int, int]], spans: list[Span]) -> list[Span | None]:
    """For each of `points` (in source order), the innermost of `spans` holding it, or
    None. Spans nest (they are regions of one tree): a stack of the open ones, closed
    when the sweep passes their end."""
    # By start, the outer of two spans starting together first (pushed below the inner).
    ordered = sorted(spans, key=lambda span: (span[0], -span[1][0], -span[1][1]))
    found: list[Span | None] = []
    open_spans: list[Span] = []
    following = 0
    for point in points:
        while following < len(ordered) and ordered[following][0] <= point:
            span = ordered[following]
            while open_spans and open_spans[-1][1] <= span[0]:
                open_spans.pop()
            open_spans.append(span)
            following += 1
        while open_spans and open_spans[-1][1] <= point:
            open_spans.pop()
        found.append(open_spans[-1] if open_spans else None)
    return found


#: A function named as a debug or level logger: `debug_msg`, `_debug`, `log_info`,
#: `print_debug`; not `log_txt_as_img` (draws a caption) or `_log_handler`.
_LOGGING_HELPER = lazy_compile(
    r"_?(?:debug|dbg)(?:_|$)|_?log_(?:debug|info|warn|warning|msg|message)$|\w*_debug$",
    re.IGNORECASE,
)


#: The process that speaks for a distributed run: `rank == 0`, `is_main_process`.
_FIRST_RANK_NAME = lazy_compile(
    r"^_?(?:is_)?(?:main_process|main_node|master|rank_?0|rank_zero|global_zero|local_zero)$"
    # transformers' `TrainingArguments.should_log`: the process that logs
    r"|^should_log$",
    re.IGNORECASE,
)


def _first_rank_only(test: ast.expr) -> bool:
    """`if rank == 0:`, `if torch.distributed.get_rank() == 0:`, `if args.local_rank in
    [-1, 0]:`, `if accelerator.is_main_process:`: a distributed run's console output,
    printed once by the first process (Megatron's `print_rank_0`)."""
    for node in walk(test):
        if isinstance(node, (ast.Name, ast.Attribute)):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if _FIRST_RANK_NAME.match(name):
                return True
        elif isinstance(node, ast.Compare) and len(node.comparators) == 1:
            named = dotted(node.left.func if isinstance(node.left, ast.Call) else node.left)
            right = node.comparators[0]
            zero = (isinstance(right, ast.Constant) and right.value == 0) or (
                isinstance(right, (ast.List, ast.Tuple))
                and any(isinstance(e, ast.Constant) and e.value == 0 for e in right.elts)
            )
            if zero and named is not None and "rank" in named.rsplit(".", 1)[-1].lower():
                return True
    return False


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    caught = handler.type
    names = caught.elts if isinstance(caught, ast.Tuple) else [caught] if caught else []
    return any(dotted(name) in ("ImportError", "ModuleNotFoundError") for name in names)


def _start(node: ast.stmt | ast.expr) -> tuple[int, int]:
    return node.lineno, node.col_offset


def _end(node: ast.stmt | ast.expr) -> tuple[int, int]:
    return node.end_lineno or node.lineno, node.end_col_offset or 0


#: ruff's and flake8-print's codes for `print` (T201, the T20 family; T001 in old
#: flake8-print) in a noqa comment, with or without the colon (`noqa T201`, which
#: flake8 reads as a blanket noqa): a print the project marked as intended.
_NOQA_PRINT = lazy_compile(
    r"#\s*noqa\s*:?[\s,]*(?:[A-Z]+\d+[\s,]+)*(?:T201|T20|T001)\b", re.IGNORECASE
)


def _marked_intended(lines: list[str], call: ast.Call) -> bool:
    """A noqa comment naming T201 on the print's first or last line, where ruff and
    flake8 look for it."""
    return any(
        0 < number <= len(lines) and _NOQA_PRINT.search(lines[number - 1]) is not None
        for number in {call.lineno, call.end_lineno or call.lineno}
    )


def _mentions_verbose(test: ast.expr) -> bool:
    """The condition is a switch the caller sets for output: `verbose`, `verbosity`,
    `trace` (pmdarima's `auto_arima(trace=True)`), `debug` (or `DEBUG_EXT`,
    `S3_LOG_TRANSIENT_RETRIES`: Metaflow's settings), a flag named for printing
    (pandas-ai's `if print_save_dir:`, `show_progress`), or one asking for the loss to be
    shown (bark's `if log_loss:`; not `log_interval`, which only spaces the prints), or
    one that silences it (`if not console_silence:`, `if not quiet:`), a visualisation
    asked for (tiktoken's `if visualise:`), or the
    command-line mode of an app that also has a GUI (`if cfg.exec_mode == 'cli':`)."""
    return (
        any(
            _SWITCH.search(n.id if isinstance(n, ast.Name) else n.attr)
            for n in walk(test)
            if isinstance(n, (ast.Name, ast.Attribute))
        )
        or any(
            # `if os.getenv("DEBUG_MODE", "false") == "true":`: the switch read by its name
            isinstance(n, ast.Constant) and isinstance(n.value, str) and _SWITCH.search(n.value)
            for n in walk(test)
        )
        or any(
            # `if app_cfg.exec_mode == 'cli':`: the command-line mode, whose output is prints
            isinstance(n, ast.Compare)
            and any(
                isinstance(c, ast.Constant)
                and isinstance(c.value, str)
                and c.value.lower() == "cli"
                for c in (n.left, *n.comparators)
            )
            for n in walk(test)
        )
    )


_SWITCH = lazy_compile(
    r"verbos|^_?trace$|^_?debug(?:_mode)?$|^_?(?:print|show|display)_\w+$|^_?log_loss(?:es)?$"
    # the caller's own `show=True` (InsightFace-REST's client prints the server's info)
    r"|^_?(?:show|display)$"
    # a settings constant switching output on (Metaflow's `DEBUG_EXT`,
    # `S3_LOG_TRANSIENT_RETRIES`); not a parameter such as `debug_info`
    r"|(?-i:^DEBUG_[A-Z0-9_]+$|^[A-Z0-9_]+_LOG_(?!INTERVAL|EVERY|FREQ|STEPS?$)[A-Z0-9_]+$)"
    r"|^_?(?:quiet|silent|\w*_silence)$"
    # a visualisation the caller asks for (tiktoken's `bpe_encode(..., visualise="colour")`)
    r"|^_?visuali[sz]e$",
    re.IGNORECASE,
)


#: Calls that configure logging: before they run, a print is the only way to say something.
_LOGGING_SETUP = frozenset(
    {"basicConfig", "dictConfig", "fileConfig", "addHandler", "removeHandler"}
)
#: loguru's and structlog's setup, by their usual names (`remove` alone is a list's).
_LOGGER_SETUP = frozenset(
    {"logger.add", "logger.remove", "logger.configure", "structlog.configure"}
)
#: A helper named for setting up logging (`setup_logging(log_dir)`, `init_logger()`):
#: a function calling it prints before its handlers exist.
_LOGGING_SETUP_HELPER = lazy_compile(
    r"_?(?:setup|set_up|configure|config|init|initialize|initialise)_?(?:logging|loggers?|log)"
)
#: Calls that render a table for a reader.
_TABLE_RENDERERS = frozenset({"to_string", "to_markdown", "tabulate"})


#: Calls that wait for the user at a terminal: a function making them is a dialogue.
_READS_THE_USER = frozenset({"input", "raw_input", "getpass", "prompt_for_input"})
_PROMPTS = frozenset({"click.prompt", "typer.prompt", "Prompt.ask", "Confirm.ask"})


def _prints_its_result(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A function that only computes a value into local names and ends by printing it,
    returning nothing (LibRecommender's `count_params()`, a pipeline's
    `list_components()`): the print is what the caller asked for, as a `show_*`
    function's is. A function that does something else first (saves, fits, sends) and
    then says so logs."""
    *body, last = function.body
    if not (
        isinstance(last, ast.Expr)
        and isinstance(last.value, ast.Call)
        and isinstance(last.value.func, ast.Name)
        and last.value.func.id == "print"
    ):
        return False
    if body and _is_docstring(body[0]):
        body = body[1:]
    local: set[str] = set()
    if not body or not all(_computes_locally(statement, local) for statement in body):
        return False
    shown = {node.id for node in walk(last.value) if isinstance(node, ast.Name)}
    return bool(shown & local)


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _computes_locally(statement: ast.stmt, local: set[str]) -> bool:
    """A statement that only binds local names (`total = ...`), fills a local container
    (`names.append(k)`), or loops or branches over such statements; `local` gathers the
    names bound."""
    if isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        if not all(isinstance(target, (ast.Name, ast.Tuple)) for target in targets):
            return False  # `self.x = ...`, `d[k] = ...`: state kept beyond the call
        local.update(n.id for t in targets for n in walk(t) if isinstance(n, ast.Name))
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        func = statement.value.func
        return (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in local
            and func.attr in ("append", "extend", "add", "update", "insert")
        )
    if isinstance(statement, (ast.For, ast.If)):
        if isinstance(statement, ast.For):
            local.update(n.id for n in walk(statement.target) if isinstance(n, ast.Name))
        return all(
            _computes_locally(inner, local) for inner in (*statement.body, *statement.orelse)
        )
    return False


def _sets_up_logging_or_shows_a_table(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A function that configures logging (its prints run before a handler exists:
    `print("Log will be saved in ...")` next to `addHandler`, or before the call of a
    helper named for it, `setup_logging(config.log_dir)`), one that prints a
    rendered table (`print(df.head(10).to_string())`): a report, whose other prints are
    its headings, or one that reads the user's answers (`input(...)`,
    `chatio.prompt_for_input(...)`: FastChat's `chat_loop`, the interactive prompt of its
    CLI, whose prints are the conversation)."""
    for node in walk(function):
        if not isinstance(node, ast.Call):
            continue
        name = called_name(node)
        if name in _LOGGING_SETUP or dotted(node.func) in _LOGGER_SETUP:
            return True
        if name and _LOGGING_SETUP_HELPER.fullmatch(name):
            return True
        if name in _READS_THE_USER or dotted(node.func) in _PROMPTS:
            return True
        if (
            isinstance(node.func, ast.Name)
            and node.func.id == "print"
            and any(
                isinstance(inner, ast.Call) and called_name(inner) in _TABLE_RENDERERS
                for argument in node.args
                for inner in walk(argument)
            )
        ):
            return True
    return False


def _controls_the_terminal(call: ast.Call) -> bool:
    """`print(f"\\033[{lines}A", end="")`: an escape sequence moving the cursor or
    clearing the screen, terminal control rather than a message; so is a bare `print()`,
    which only ends the line (after a progress bar drawn with `end="\\r"`)."""
    if not call.args:
        return True
    first = call.args[0]
    if isinstance(first, ast.JoinedStr) and first.values:
        first = first.values[0]
    return (
        isinstance(first, ast.Constant)
        and isinstance(first.value, str)
        and first.value.startswith("\x1b")
    )


def _prints_data(call: ast.Call) -> bool:
    """`print(json.dumps(reply))`: a machine-readable answer on stdout (a hook, a
    protocol), not a log message; so is a result rendered for its reader
    (`print(classification_report(y, preds))`, `print(results.summary())`)."""
    return (
        len(call.args) == 1
        and isinstance(call.args[0], ast.Call)
        and dotted(call.args[0].func).rsplit(".", 1)[-1] in _RENDERED_RESULTS
    )


#: Calls whose value is an answer or a result rendered for a reader, not a message.
_RENDERED_RESULTS = frozenset(
    {"dumps", "classification_report", "summary", "describe", "to_string", "to_markdown"}
)


#: A command declared by the project: `[project.scripts]`, Poetry's scripts, setuptools'
#: `console_scripts`.
_DECLARES_COMMAND = lazy_compile(
    r"^\[(?:project\.scripts|tool\.poetry\.scripts)\]|console_scripts", re.MULTILINE
)


def _packaging_declaring_commands(repo: Repo) -> list[str]:
    """The texts of the root packaging files (`pyproject.toml`, `setup.py`, `setup.cfg`)
    that declare a command (`[project.scripts]`, `console_scripts`)."""
    texts = []
    for name in ("pyproject.toml", "setup.py", "setup.cfg"):
        source = repo.source(name) if repo.has(name) else None
        if source is not None and source.text is not None and _DECLARES_COMMAND.search(source.text):
            texts.append(source.text)
    return texts


def _command_line_tool(repo: Repo) -> bool:
    """An application shipped as a command (bilingual_book_maker's `bbook_maker`): its
    root project declares one and no module of it serves requests. Its package's prints
    are what the person at the terminal reads (factor 9 asks a service's logs)."""
    # (not a library's: its API functions print into its users' processes, a command or not)
    if repo.model.kind != project_kind.APPLICATION:
        return False
    if not _packaging_declaring_commands(repo):
        return False
    for entry in repo.of_kind(kinds.PYTHON):
        if kinds.is_test_path(entry.path):
            continue
        source = repo.source(entry.path)
        text = source.text if source is not None else None
        if text and any(name in text for name in _SERVES_REQUESTS):
            tops = imported_tops(text)
            if tops is None or tops & _SERVES_REQUESTS:
                return False
    return True


#: An entry point's target in packaging metadata: `composer.utils.file_helpers:validate_remote_path`.
_ENTRY_TARGET = lazy_compile(r"[\"'=]\s*([A-Za-z_][\w.]*)\s*:\s*([A-Za-z_]\w*)\s*[\"'\n\]]")


def _entry_functions(repo: Repo) -> dict[str, frozenset[str]]:
    """Module path (`composer/utils/file_helpers.py`, without `src/`) -> the functions the
    root packaging metadata installs as commands (`[project.scripts]`, Poetry's scripts,
    `console_scripts`): what they print is the command's output."""
    found: dict[str, set[str]] = {}
    for text in _packaging_declaring_commands(repo):
        for match in _ENTRY_TARGET.finditer(text):
            module = match.group(1).replace(".", "/")
            found.setdefault(f"{module}.py", set()).add(match.group(2))
            found.setdefault(f"{module}/__init__.py", set()).add(match.group(2))
    return {path: frozenset(names) for path, names in found.items()}


def _in_package(repo: Repo, path: str) -> bool:
    directory = posixpath.dirname(path)
    return path.startswith("src/") or (bool(directory) and repo.has(f"{directory}/__init__.py"))


def _package_root(repo: Repo, path: str) -> str:
    """The outermost package folder holding the module at `path` (`lm_eval` for
    `lm_eval/models/dummy.py`; `src/app` under a src layout), or its folder."""
    directory = posixpath.dirname(path)
    root = directory
    while directory and repo.has(f"{directory}/__init__.py"):
        root = directory
        directory = posixpath.dirname(directory)
    if root.startswith("src/") and root.count("/") > 1:
        root = "/".join(root.split("/", 2)[:2])
    return root


def _run_or_imported(repo: Repo) -> frozenset[str]:
    """The modules run by hand (a main block, or a top level calling its own functions:
    facts `module-prints`) that another file imports or runs
    (`detectors.module_references`)."""
    return module_references.referenced(
        repo, (path for path, found in repo.facts("module-prints").items() if found.runs_by_hand)
    )


class PrintAsLogging(RepoRule):
    """## What it does
    Reports `print` used as the logging of a library, pipeline or service module:
    - a module that defines a web service (FastAPI, Flask, BentoML, a KServe or LitServe
      model server...) and prints (a Cog predictor's prints are its prediction log);
    - a module that already imports `logging` (or loguru, structlog) but also prints
      status messages;
    - a module of a package (under `src/` or beside an `__init__.py`) whose functions
      print two or more progress messages: in a library always (it prints into its
      users' processes), elsewhere when another module of the same package logs or
      serves requests: the prints bypass the log stream the code base already has (a
      package with neither is a desktop tool's console; so is the package of an
      application shipped as a command, `[project.scripts]`, that serves nothing);
    - in an application, a pipeline step's module (`features.py`, `data.py`,
      `preprocess*.py`, `train*.py`, `pipeline*.py`, `evaluate.py`...) whose functions
      print two or more progress messages, even with an `if __name__ == "__main__":`
      block (the prints of the block itself are its script part and left alone) when
      another module (not a test) imports it or a Dockerfile, CI file, Makefile or
      script runs it (one that nothing imports or runs is a script run by hand); a
      module named for an analysis or a report (`feature_level_analysis.py`) is none;
      nor is a module with a main block whose docstring calls it an example ("Example
      script demonstrating how to use ..."), even one importing a web framework.

    A module "uses logging" when it calls logging, loguru or structlog (an import alone
    is not use), or has a logger of its own (`logger = get_logger(__name__)`, `from
    .utils import logger`). Prints under `if trace:` or `if debug:` are switched on by the
    caller, like `if verbose:`, and so are those under a switch read by its name (`if
    os.getenv("DEBUG_MODE") == "true":`). A module serves requests with aiohttp only when
    it imports `aiohttp.web`: `aiohttp.ClientSession` is an HTTP client.

    Not reported in a Mage project (a folder with Mage's `io_config.yaml`, `metadata.yaml`
    and `pipelines/`): Mage keeps what each block, and the helpers it calls, prints as the
    block's log; nor in a module of a Modal app (it imports `modal`): Modal keeps each
    call's stdout, timestamped, as that call's log; nor in an AWS Lambda function's module
    (it defines `lambda_handler(event, context)`) that sets up no logging of its own:
    CloudWatch keeps what each invocation prints as its log; nor inside a Kubeflow Pipelines
    component (`@dsl.component(...)`): it runs alone in its step's pod, and KFP keeps its
    stdout as the step's log. A module defines a BentoML service by code
    (`bentoml.Service(...)`, `@bentoml.service`), not by a comment naming one.

    Not reported in a research repository (kind `research`: a paper's or a competition's
    scripts run by hand print to the terminal of the person running them) or a course
    (kind `course`: its helpers print to the student's notebook). Nor: command line interfaces (modules importing argparse, click, typer,
    fire, rich..., the `@task`s of invoke or fabric, a module of IPython magics or event hooks or an `ipywidgets` UI (a
    notebook's output), or under a `cli/`,
    `commands/`, `cmd/` or `wizard/` folder, or one named
    `*_cli/`), `__main__.py`, scripts (a module with an `if __name__ == "__main__":`
    block or a top-level `asyncio.run(...)` that is not a web service, or one of top-level statements only, no function or class, that is not a
    pipeline step, or one whose top level calls its own functions, `df =
    scrape_pages(15, 500)`, that no other file imports or runs), prints on the way out of a failure (in a block that goes on to
    `sys.exit(...)` or to `raise`, or in an `if` just before the `assert` that fails: the
    exception carries the error, the prints are its detail), prints inside functions the
    packaging installs as commands (`console_scripts`, `[project.scripts]`: composer's
    `validate_remote_path`), prints inside functions whose job is output or a question
    (`main`, `cli_*`, `print_*`, `show_*`, `report*`, `example_usage*`, `*summary*`, `*_plot*`, `input_*`,
    `ask_user*`, `prompt_for*`, `confirm*`, `watch*`, `doc`, `demo*`, `tail_*` (relaying a child process's output), `__repr__`..., or documented
    as such: a docstring opening "Display ...", "Print ...", "Read and print ...", or a
    doctest of the function showing what it prints), and inside a helper nested in one
    (`tree()`'s `make_tree`), prints inside a function that
    ends by printing the one value it computed and returns nothing (`count_params()`,
    `list_components()`: the print is its result), prints inside a function that
    prints a rendered table (`print(df.head(10).to_string())`, `to_markdown`,
    `tabulate`: a report, its other prints are headings), prints inside a function that
    sets up logging (it calls `basicConfig`, `dictConfig`, `fileConfig`, `addHandler`,
    `removeHandler` or a helper named for it, `setup_logging(...)`: until it has run,
    print is the only channel), prints the caller switched on
    (`if verbose:` / `if self.verbose > 1:`, as scikit-learn estimators do, `if
    log_loss:`), prints of the first process of a distributed run (`if rank == 0:`,
    `if accelerator.is_main_process:`, `if self.is_main_node:`, `if training_args.should_log:`), install hints in an `except ImportError:`,
    functions decorated as a command line's command or callback (`@app.command()`,
    `@option_callback`), the modules of a package that replaces `sys.stdout` with a tee
    into its log files (Megatron's `Tee`) or whose logging handlers all write to files
    (pycaret's `logs.log`, in the package or a folder above the module's, which TF901
    reports: until the log reaches a console, the prints are all its users see), a print
    beside a logging call of the same message where logging goes only to files
    (`logging.info(msg)` then `print(msg)`, `basicConfig(filename='log.txt')`: the
    console echo of what the log file gets), printing
    `json.dumps(...)` (an answer on stdout, not a message) or a result rendered for its
    reader (`classification_report(...)`, `results.summary()`, `df.describe()`, a
    table's `to_string()`), a bare `print()` (it only
    ends a line, after a progress bar drawn with `end="\r"`), prints to `sys.stderr` (the
    log stream, as factor 9 asks) or to any file other than stdout, prints marked
    `# noqa: T201` (ruff's and flake8-print's marker for an intended print), modules
    whose header says they are copied from another project (`# Adapted from
    https://github.com/...`) or that sit in a folder with a license of its own
    (`SentEval/LICENSE`): vendored code is kept as upstream wrote it; notebooks,
    tests, and files in `scripts/`, `examples/`, `docs/` or `notebooks/`.

    ## Why is this bad?
    A print has no level, no timestamp, no logger name and no structure: it cannot be
    filtered, silenced in tests, routed by the platform or correlated with a request.
    In a service, prints are also block-buffered when stdout is not a terminal, so they
    arrive late or are lost when the container stops.

    ## Example
    ```python
    # src/churn/train.py
    def train(df):
        print("Loading features...")
        model.fit(X, y)
        print(f"done, AUC={auc:.3f}")
    ```

    ## Use instead
    ```python
    logger = logging.getLogger(__name__)

    def train(df):
        logger.info("loading features")
        ...
        logger.info("trained", extra={"auc": auc})
    ```
    """

    code = "TF902"
    facts_per_file = True
    depends_on = ("@code",)
    name = "print-as-logging"
    factor = 9
    severity = Severity.WARNING
    roles = role.OWN_CODE
    # A paper's or a competition's scripts and a course's helpers print to the person
    # running them: judged NOISE on every such repository.
    repo_kinds = frozenset({project_kind.APPLICATION, project_kind.LIBRARY, project_kind.TEMPLATE})
    summary = "print used as the logging of a library, pipeline or service module"
    fix = "Use a module logger (`logger = logging.getLogger(__name__)`) configured once to write to stdout."
    facts = ("module-prints", "logs-or-serves", "captures-stdout", "log-destination")

    def check(self, repo: Repo) -> Iterator[Violation]:
        library = repo.model.kind == project_kind.LIBRARY
        terminal = _command_line_tool(repo)
        logging_packages = {_package_root(repo, path) for path in repo.facts("logs-or-serves")}
        teed = {_package_root(repo, path) for path in repo.facts("captures-stdout")}
        destinations: dict[str, set[str]] = {}
        for path, destination in repo.facts("log-destination").items():
            destinations.setdefault(_package_root(repo, path), set()).add(destination)

        def log_destinations(path: str) -> set[str]:
            # Where the nearest folder at or above the module's package that configures
            # logging sends it: `animated_drawings/controller/` (no `__init__.py`) logs
            # through `animated_drawings/render.py`'s `basicConfig(filename='log.txt')`.
            # The root folder's own logging counts for root modules only.
            folder = _package_root(repo, path)
            while folder not in destinations and "/" in folder:
                folder = posixpath.dirname(folder)
            return destinations.get(folder, set())

        commands = repo.derived(_entry_functions)
        mage = mage_project_folders(entry.path for entry in repo.files)
        for path, found in sorted(repo.facts("module-prints").items()):
            if separately_licensed(path, repo.by_path):
                continue  # a component with its own license: kept as upstream wrote it
            if mage and in_mage_project(path, mage):
                continue  # Mage keeps what a block (and what it calls) prints as its log
            entry = commands.get(path.removeprefix("src/"))
            if entry:
                # composer's `validate_remote_path`, installed as a command by its
                # `console_scripts`: its prints are the command's output.
                kept = tuple(p for p in found.prints if p[1] not in entry)
                if not kept:
                    continue
                found = replace(found, prints=kept)  # noqa: PLW2901 (the module's own prints)
            if not found.web_app and _package_root(repo, path) in teed:
                continue  # the package copies what it prints into its log files
            logged_to = log_destinations(path)
            if not found.web_app and logged_to == {"file"}:
                # Its logger writes only to a file (TF901's finding): the prints are all
                # its users see.
                continue
            if found.echoes and logged_to and logged_to <= {"file", "basic-file"}:
                # The message is logged to a file and echoed on the console on purpose
                # (AnimatedDrawings); an echo beside console logging only repeats it.
                kept = tuple(p for p in found.prints if p[0] not in found.echoes)
                if not kept:
                    continue
                found = replace(found, prints=kept)  # noqa: PLW2901 (the module's own prints)
            # A module with a main block (or a top level calling its own functions) that
            # no module imports and no build, CI, Makefile or script names
            # (`training/train_random_forest.py`): run by hand, its prints are its report
            # (judged NOISE on ten, in packages and as steps).
            hand_run = (
                found.runs_by_hand
                and not library
                and not found.web_app
                and path not in repo.derived(_run_or_imported)
            )
            if found.web_app:
                kind = "a web service module"
            elif found.uses_logging:
                kind = "a module that already uses logging"
            elif hand_run:
                continue
            elif (
                _in_package(repo, path)
                and (len(found.prints) >= 2 or found.repeated)
                and (library or _package_root(repo, path) in logging_packages)
                # a command-line tool's package talks to the person at the terminal
                and not terminal
            ):
                # A library prints into its users' processes, which cannot silence it.
                # Elsewhere, only where the package has a log stream (a module that logs)
                # or is a service (a module that serves requests): otherwise a package's
                # prints are a desktop tool's console (factor 9: print as the logging
                # *of a service or pipeline*).
                kind = "a package module"
            elif found.pipeline and (len(found.prints) >= 2 or found.repeated):
                kind = "a pipeline module"
            else:
                continue
            line, function = min(found.prints)
            where = f" in `{function}()`" if function else " at the module's top level"
            count = len(found.prints)
            yield Violation(
                f"`print` used for logging in {kind} ({count} call{'s' if count > 1 else ''}, first{where})",
                path=path,
                line=line,
            )
