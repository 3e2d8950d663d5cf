"""What several factor 3 rules share: the name a call calls."""

from __future__ import annotations

import ast


def _callee(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""
