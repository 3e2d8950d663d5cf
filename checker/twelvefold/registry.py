"""The rule catalog: built-in rule modules, then plugins, imported on first use.

Plugins are distributions that declare entry points in the group `twelvefold.rules`;
each entry point names a module (`acme_rules.rules`, every rule class defined in it is
registered) or one rule class (`acme_rules.rules:NoNotebookSecrets`). Plugin rules
follow the same contract as built-in ones (code, name, factor, severity, summary, fix,
docstring) and their `origin` is the distribution's name, which `twelvefold rules`
shows.

A plugin that cannot be loaded — it fails to import, breaks the rule contract, or uses a
code another rule already has — is refused as a whole: none of its rules is registered
and `plugin_errors()` says why. Commands treat that as a configuration error (exit 2):
a gate that silently ran without rules someone installed would pass for the wrong reason.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType
from typing import TYPE_CHECKING

from twelvefold.rule import REGISTRY, Rule

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

ENTRY_POINT_GROUP = "twelvefold.rules"

_loaded = False
_plugin_errors: list[str] = []


def all_rules() -> dict[str, type[Rule]]:
    """Every known rule class by code, sorted by factor then code."""
    global _loaded
    if not _loaded:
        import twelvefold.rules as package

        for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            if not module.name.startswith("_"):
                importlib.import_module(f"{package.__name__}.{module.name}")
        _loaded = True
        _load_plugins()
    return dict(sorted(REGISTRY.items(), key=lambda item: (item[1].factor, item[0])))


def plugin_errors() -> list[str]:
    """Why plugins were refused (empty when every plugin loaded)."""
    return list(_plugin_errors)


def _may_declare_plugins() -> bool:
    """False only when no distribution on sys.path can declare a `twelvefold.rules`
    entry point: every `entry_points.txt` in the `.dist-info`/`.egg-info` folders of the
    path's directories is read, and none mentions the group.

    Importing importlib.metadata costs more than all the rules (~30 ms) and runs on
    every commit, while most installations have no plugin. Anything this scan cannot
    see the way importlib.metadata would (a zip archive on the path, a finder of its
    own on sys.meta_path) answers True, and importlib.metadata decides."""
    import os
    import sys

    marker = ENTRY_POINT_GROUP.encode()
    standard = {"BuiltinImporter", "FrozenImporter", "PathFinder"}
    for finder in sys.meta_path:
        name = getattr(finder, "__name__", type(finder).__name__)
        if name not in standard and hasattr(finder, "find_distributions"):
            return True
    for folder in sys.path:
        try:
            entries = os.scandir(folder or ".")
        except NotADirectoryError:
            return True  # a zip archive or an egg file
        except OSError:
            continue
        with entries:
            for entry in entries:
                if not entry.name.endswith((".dist-info", ".egg-info")):
                    continue
                try:
                    with open(os.path.join(entry.path, "entry_points.txt"), "rb") as handle:
                        if marker in handle.read():
                            return True
                except OSError:
                    continue
    return False


def _entry_points() -> list[EntryPoint]:
    if not _may_declare_plugins():
        return []
    from importlib.metadata import entry_points

    found = list(entry_points(group=ENTRY_POINT_GROUP))
    # Deterministic order, so which of two colliding plugins wins never depends on sys.path.
    return sorted(found, key=lambda ep: (_distribution(ep), ep.name, ep.value))


def _distribution(entry_point: EntryPoint) -> str:
    dist = getattr(entry_point, "dist", None)
    return (
        str(dist.metadata["Name"])
        if dist is not None and dist.metadata["Name"]
        else entry_point.module
    )


def _load_plugins() -> None:
    for entry_point in _entry_points():
        origin = _distribution(entry_point)
        error = load_plugin(entry_point, origin)
        if error:
            _plugin_errors.append(
                f"plugin {origin!r} (entry point {entry_point.name} = {entry_point.value}) refused: {error}"
            )


def load_plugin(entry_point: EntryPoint, origin: str) -> str | None:
    """Register the rules of one entry point; an error message if it is refused."""
    before = dict(REGISTRY)
    try:
        loaded = entry_point.load()
    except Exception as exc:  # any failure in third-party code is the plugin's, not ours
        _restore(before)
        detail = str(exc).splitlines()[0] if str(exc) else ""
        return f"{type(exc).__name__}{': ' + detail if detail else ''}"
    added = {code: cls for code, cls in REGISTRY.items() if before.get(code) is not cls}
    if isinstance(loaded, ModuleType):
        # A module imported earlier (another entry point of the same plugin) added
        # nothing now: its classes are already registered.
        candidates = [
            cls
            for _, cls in inspect.getmembers(loaded, inspect.isclass)
            if issubclass(cls, Rule)
            and "code" in cls.__dict__
            and cls.__module__ == loaded.__name__
        ]
    elif inspect.isclass(loaded) and issubclass(loaded, Rule) and "code" in loaded.__dict__:
        candidates = [loaded]
    else:
        _restore(before)
        return "the entry point is neither a module nor a rule class (a Rule subclass with a code)"
    replaced = [code for code in added if code in before]
    if replaced:
        code = replaced[0]
        old = before[code]
        _restore(before)
        return (
            f"rule code {code} of {added[code].__module__}.{added[code].__qualname__} is already "
            f"used by {old.__module__}.{old.__qualname__} ({old.origin})"
        )
    if not candidates and not added:
        _restore(before)
        return "it defines no rule"
    for cls in [*added.values(), *candidates]:
        if "origin" not in cls.__dict__:
            cls.origin = origin
    return None


def _restore(snapshot: dict[str, type[Rule]]) -> None:
    REGISTRY.clear()
    REGISTRY.update(snapshot)
