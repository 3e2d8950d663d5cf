"""Calls of the project's own helpers, followed one level: `save_object("model.pkl", m)`
whose body pickles to the path it is given, `load_data("data/train.csv")` whose body
reads it. A file's fact records the helpers it defines (which parameter reaches the
saver or reader) and its calls that pass a literal path; the rule, which sees every
file's fact, joins them by the callee's name and module.

Private module (the leading underscore keeps the registry from importing it as a rule
module). Everything here reads an AST; nothing imports or runs the audited code.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from twelvefold.rules._pyast import dotted, import_aliases, nodes


@dataclass(frozen=True)
class Helper:
    """A function whose body hands one of its parameters to a saver or a reader."""

    name: str
    index: int  # the parameter's position (methods: not counting `self`)
    param: str


@dataclass(frozen=True)
class HelperCall:
    """A call that may be of a project helper, with the literal paths it passes."""

    #: The callee as the caller's imports name it: `src.utils.save_object`,
    #: `.utils.save_object` (a relative import), or `save_object` (defined here).
    target: str
    shown: str  # `save_object` as written
    positional: tuple[tuple[int, str], ...]  # (index, path)
    keywords: tuple[tuple[str, str], ...]  # (parameter, path)
    line: int | None
    column: int | None
    cell: int | None
    cell_line: int | None
    scope: str  # the function (or cell) holding the call

    def path_for(self, helper: Helper) -> str | None:
        """The literal path this call passes where `helper` takes its path."""
        return dict(self.positional).get(helper.index) or dict(self.keywords).get(helper.param)


def project_aliases(tree: ast.Module) -> dict[str, str]:
    """`import_aliases`, with relative imports too: `from .utils import save_object`
    gives `save_object` -> `.utils.save_object`."""
    aliases = import_aliases(tree)
    for node in nodes(tree, ast.ImportFrom):
        if node.level:
            # `from .utils import f` -> `.utils.f`; `from . import utils` -> `.utils`
            module = "." * node.level + (f"{node.module}." if node.module else "")
            for alias in node.names:
                if alias.name != "*":
                    aliases[alias.asname or alias.name] = f"{module}{alias.name}"
    return aliases


def call_target(call: ast.Call, aliases: Mapping[str, str]) -> str | None:
    """The callee of `call` if it may be a project function: a plain name, or a name of
    an imported module (`utils.save_object`); None for a method of an object."""
    func = call.func
    if isinstance(func, ast.Name):
        return aliases.get(func.id, func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        module = aliases.get(func.value.id)
        return f"{module}.{func.attr}" if module is not None else None
    return None


#: Where a call is: (line, column, cell, cell_line, scope), made only for a call kept.
Where = tuple[int | None, int | None, int | None, int | None, str]


def helper_call(
    node: ast.Call,
    aliases: Mapping[str, str],
    literal_path: Callable[[ast.expr], str | None],
    where_of: Callable[[ast.Call], Where],
) -> HelperCall | None:
    """The call when it may be of a project function and passes a path `literal_path`
    accepts (a model file, a data file); whether the callee is a project helper that
    saves or reads is the rule's to say, from every file's helpers."""
    target = call_target(node, aliases)
    if target is None:
        return None
    positional = tuple(
        (index, path) for index, arg in enumerate(node.args) if (path := literal_path(arg))
    )
    keywords = tuple(
        (keyword.arg, path)
        for keyword in node.keywords
        if keyword.arg and (path := literal_path(keyword.value))
    )
    if not (positional or keywords):
        return None
    line, column, cell, cell_line, scope = where_of(node)
    return HelperCall(
        target, dotted(node.func), positional, keywords, line, column, cell, cell_line, scope
    )


def parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """The positional parameters as a caller counts them (`self`, `cls` left out)."""
    names = [arg.arg for arg in (*function.args.posonlyargs, *function.args.args)]
    return names[1:] if names and names[0] in ("self", "cls") else names


def _module_names(path: str) -> set[str]:
    """The dotted names the module at `path` is imported by: `src/churn/utils.py` is
    `src.churn.utils` and `churn.utils` (a src layout)."""
    stem = path.removesuffix(".py").removesuffix("/__init__")
    dotted_path = stem.replace("/", ".")
    names = {dotted_path}
    if dotted_path.startswith("src."):
        names.add(dotted_path.removeprefix("src."))
    return names


def resolve(
    calls_by_file: Mapping[str, Iterable[HelperCall]],
    helpers_by_file: Mapping[str, Iterable[Helper]],
) -> dict[str, list[tuple[HelperCall, Helper, str]]]:
    """Each file's calls of a project helper: (call, helper, the helper's file). A call
    resolves when its target names the helper's module (absolutely, or relatively from
    the caller's folder), or is the bare name of a helper of the same file."""
    by_name: dict[str, list[tuple[Helper, str, set[str]]]] = {}
    for path, helpers in helpers_by_file.items():
        for helper in helpers:
            by_name.setdefault(helper.name, []).append((helper, path, _module_names(path)))
    resolved: dict[str, list[tuple[HelperCall, Helper, str]]] = {}
    for path, calls in calls_by_file.items():
        for call in calls:
            module, _, name = call.target.rpartition(".")
            for helper, helper_path, helper_modules in by_name.get(name, ()):
                if _names_module(module, path, helper_path, helper_modules):
                    resolved.setdefault(path, []).append((call, helper, helper_path))
                    break
    return resolved


def _names_module(module: str, caller: str, helper_path: str, helper_modules: set[str]) -> bool:
    if not module:
        return caller == helper_path  # a bare name: a function of the same file
    if module.startswith("."):
        level = len(module) - len(module.lstrip("."))
        folder = posixpath.dirname(caller)
        for _ in range(level - 1):
            folder = posixpath.dirname(folder)
        relative = module.lstrip(".").replace(".", "/")
        target = posixpath.join(folder, relative) if relative else folder
        return helper_path in (f"{target}.py", f"{target}/__init__.py")
    if module in helper_modules:
        return True
    # `from utils import save_object` in a script beside `utils.py`
    stem = posixpath.basename(helper_path).removesuffix(".py")
    return module == stem and posixpath.dirname(caller) == posixpath.dirname(helper_path)
