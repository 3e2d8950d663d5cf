"""The rule catalog: built-in rule modules, imported on first use."""

from __future__ import annotations

import importlib
import pkgutil

from twelvefold.rule import REGISTRY, Rule

_loaded = False


def all_rules() -> dict[str, type[Rule]]:
    """Every known rule class by code, sorted by factor then code."""
    global _loaded
    if not _loaded:
        import twelvefold.rules as package

        for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            if not module.name.startswith("_"):
                importlib.import_module(f"{package.__name__}.{module.name}")
        _loaded = True
    return dict(sorted(REGISTRY.items(), key=lambda item: (item[1].factor, item[0])))
