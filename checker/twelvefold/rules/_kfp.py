"""Kubeflow Pipelines lightweight components, as several rules read them.

A function decorated `@dsl.component(...)` is shipped as source to its step's pod and
run alone there: in its own image (`base_image=`), with its own packages
(`packages_to_install=`), its stdout kept as the step's log.
"""

from __future__ import annotations

import ast

from twelvefold.rules._pyast import dotted

#: The decorators that make a function a component, as the code spells them.
_COMPONENT_DECORATORS = frozenset(
    {
        *("component", "dsl.component", "kfp.dsl.component"),
        *("container_component", "dsl.container_component", "kfp.dsl.container_component"),
    }
)


def component_decorator(function: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.expr | None:
    """The decorator that makes `function` a Kubeflow Pipelines component, if any: a call
    (`@dsl.component(base_image=...)`) or a bare name (`@component`)."""
    for decorator in function.decorator_list:
        name = dotted(decorator.func if isinstance(decorator, ast.Call) else decorator)
        if name in _COMPONENT_DECORATORS:
            return decorator
    return None
