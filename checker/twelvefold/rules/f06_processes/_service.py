"""The web services both factor 6 rules look at: modules that import a web framework
and define request handlers, their handlers and the functions those reach."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from twelvefold import kinds
from twelvefold.project.knowledge import (
    SERVING_FRAMEWORKS,
    WEB_FRAMEWORKS,
)
from twelvefold.rules._pyast import dotted, import_aliases, imported_modules, walk
from twelvefold.sources import SourceFile

#: A module importing one of these is a service.
_SERVICE_MODULES = WEB_FRAMEWORKS | SERVING_FRAMEWORKS


_ROUTE_DECORATORS = frozenset(
    {
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "route",
        "api_route",
        "websocket",
        "head",
        "options",
        "api_view",
        "view_config",
        "endpoint",
    }
)


_REGISTRARS = frozenset(
    {
        "add_url_rule",
        "add_api_route",
        "add_route",
        "add_websocket_route",
        "Route",
        "path",
        "re_path",
    }
)


@dataclass
class Service:
    tree: ast.Module
    aliases: dict[str, str]
    handlers: list[ast.FunctionDef | ast.AsyncFunctionDef]
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]


def _service(file: SourceFile) -> Service | None:
    """The module as a web service, or None when it defines no request handler."""
    if kinds.is_test_path(file.path):
        return None
    if file.python is not None:
        scanned = file.python.imported_tops
        if scanned is not None and scanned.isdisjoint(_SERVICE_MODULES):
            return None  # imports no web framework: no parse
    python = file.python
    if python is None or python.tree is None:
        return None
    tree = python.tree
    if not (imported_modules(tree) & _SERVICE_MODULES):
        return None
    functions = {
        node.name: node
        for node in walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    handlers: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    registered: set[str] = set()
    for node in walk(tree):
        if isinstance(node, ast.Call):
            name = dotted(node.func).rsplit(".", 1)[-1]
            if name in _REGISTRARS:
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    if isinstance(arg, ast.Name) and arg.id in functions:
                        registered.add(arg.id)
    django_views = file.path.endswith("views.py")
    for function in functions.values():
        if (
            function.name in registered
            or any(_is_route(d) for d in function.decorator_list)
            or (django_views and function.args.args and function.args.args[0].arg == "request")
        ):
            handlers.append(function)
    # Class-based handlers: methods named like HTTP verbs (Flask MethodView, Tornado, Falcon).
    for node in walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in (
                    "get",
                    "post",
                    "put",
                    "patch",
                    "delete",
                    "on_get",
                    "on_post",
                    "on_put",
                    "on_delete",
                ):
                    handlers.append(item)
    if not handlers:
        return None
    return Service(tree, import_aliases(tree), handlers, functions)


def _is_route(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return (isinstance(target, ast.Attribute) and target.attr in _ROUTE_DECORATORS) or (
        isinstance(target, ast.Name) and target.id in ("api_view", "route")
    )


def _reachable(service: Service) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Handlers and the module's functions they call directly (one level)."""
    seen = {id(h): h for h in service.handlers}
    for handler in service.handlers:
        for node in ast.walk(handler):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                helper = service.functions.get(node.func.id)
                if helper is not None:
                    seen.setdefault(id(helper), helper)
    return list(seen.values())
