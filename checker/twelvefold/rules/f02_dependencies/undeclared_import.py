"""TF206 undeclared-import: third-party module imported but declared in no manifest; and
its library sibling TF208 import-missing-from-package-metadata (same imports, same tables)."""

from __future__ import annotations

import ast
import posixpath
import re
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from twelvefold import kinds
from twelvefold.detectors.aws_lambda import defines_lambda_handler
from twelvefold.detectors.import_names import (
    DISTRIBUTIONS_BY_TOP,
    STDLIB_MODULES,
    distributions_for,
    is_stdlib,
    with_requirements,
)
from twelvefold.detectors.pipeline_notebooks import has_own_modules
from twelvefold.lazy_regex import lazy_compile
from twelvefold.manifests import (
    DISTRIBUTION_LOCKS,
    EXPLICIT_SPEC_NAME,
    MANIFEST_NAMES,
    MANIFEST_SCRIPT,
    PROJECT_FILES,
    conda_declarations,
    declarations,
    declares_no_dependency,
    is_explicit_spec,
    locked_distributions,
    normalise,
    parse_requirement,
    pip_installed_names,
)
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.project.knowledge import USER_INSTALLED_FRAMEWORKS, base_image_distributions
from twelvefold.repo import MAX_MANIFEST_BYTES, Repo
from twelvefold.rule import RepoRule, fact
from twelvefold.rules._kfp import component_decorator
from twelvefold.rules.f02_dependencies._shared import (
    _call_name,
    _conda_environments,
    _is_project_code,
    is_pip_install_call,
    settings_only_file,
)
from twelvefold.sources import PythonSource, SourceFile

# --- imports that no manifest declares ---------------------------------------------------

#: Folders whose code is not the project's runtime code (documentation, examples, benchmarks).
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


#: Folders where a library keeps its opt-in integrations with other frameworks
#: (`bentoml/_internal/frameworks/`, `haystack/components/...`, `contrib/`): imported only
#: by users who installed that framework, so not dependencies of the library.
_INTEGRATION_FOLDERS = frozenset(
    {"integrations", "integration", "frameworks", "contrib", "plugins", "extensions", "backends"}
)


# No prefilter: nearly every module imports something, and reading every notebook means a
# malformed one is reported (one diagnostic) even when no other rule had a reason to open it.
#: The first line of a notebook exported from Databricks as a source file: it runs on a
#: cluster whose runtime ships the ML stack (mlflow, pyspark, pandas...) and installs the
#: rest with `%pip` cells.
_DATABRICKS_NOTEBOOK = "# Databricks notebook source"


#: MicroPython's hardware modules: a file importing one runs on a microcontroller...
_MICROPYTHON_BOARD = frozenset({"machine", "esp", "esp32", "pyb", "rp2"})
#: ...with the modules MicroPython builds in (`ujson`, `utime`, `network`), no PyPI's.
_MICROPYTHON = frozenset(
    {
        "micropython",
        "network",
        "ujson",
        "utime",
        "uos",
        "usocket",
        "ubinascii",
        "urequests",
        "umqtt",
        "neopixel",
        "uasyncio",
        "ustruct",
        "onewire",
        "dht",
    }
)


@fact("python-imports", kinds=kinds.CODE_KINDS)
def python_imports(file: SourceFile) -> dict[str, Any] | None:
    """Required absolute imports of a module or notebook: `[module, line, column, cell,
    cell_line]` each. Optional imports (inside `try: ... except ImportError` or a `with`
    that defers import errors, under an availability check, after a `check_requirements(...)` that installs on demand, or, in
    a library or a research repository, inside a function) and type-checking-only imports (`if TYPE_CHECKING:`)
    are left out; so are packages the notebook installs itself (TF205 reports those), and
    a Databricks notebook's source (`# Databricks notebook source`): the cluster's runtime
    provides its packages.

    A module is not parsed here: a scan lists the top-level names it may import that
    the import table knows (`{"tops": [...], "lazy": ...}`), and the rule parses only the
    modules that may import something undeclared (`_imports`). Most modules import only
    what the project declares, and parsing every one was most of a cold run."""
    # Examples too: TF206 reads them when the project declares a group for them.
    if not _is_project_code(file) and file.role != role.EXAMPLE:
        return None
    # A library's or a paper's function-level import is an optional backend loaded on
    # use (`--tf_log`, `from_pretrained()`); an application's runs in its normal flow.
    lazy_optional = file.repo_kind in (project_kind.LIBRARY, project_kind.RESEARCH)
    if file.repo_kind == project_kind.LIBRARY and not _INTEGRATION_FOLDERS.isdisjoint(
        folder.lower() for folder in file.path.split("/")[:-1]
    ):
        return None  # a library's opt-in integration: its users install that stack
    if file.text is not None and file.text.startswith(_DATABRICKS_NOTEBOOK):
        return None  # runs on a Databricks cluster, whose runtime provides its packages
    if (
        file.kind == kinds.PYTHON
        and file.text is not None
        and "# /// script" not in file.text
        and "packages_to_install" not in file.text
        and "runtime_env" not in file.text
        and "base_image" not in file.text
        and file.size <= MAX_MANIFEST_BYTES  # what `Repo.source` reads again
        and file.python is not None
        and (scanned := file.python.imported_tops) is not None
    ):
        if _MICROPYTHON_BOARD & scanned and _MICROPYTHON & scanned:
            return None  # firmware for a board (`import machine, network, ujson`): MicroPython's
        # Only what TF206 may report: neither the standard library nor unknown names.
        tops = sorted(t for t in scanned if t in DISTRIBUTIONS_BY_TOP and t not in STDLIB_MODULES)
        return {"tops": tops, "lazy": lazy_optional} if tops else None
    if file.kind == kinds.NOTEBOOK and file.notebook is not None and file.notebook.made_for_colab:
        return None  # Colab's runtime ships the common packages; the notebook installs the rest
    python = file.python
    if python is None or python.tree is None:
        return None
    found = _ast_imports(python, lazy_optional=lazy_optional)
    installed: list[str] = []
    if file.kind == kinds.NOTEBOOK and file.notebook is not None:
        for cell in file.notebook.code_cells:
            installed.extend(pip_installed_names("\n".join(cell.lines)))
    elif file.text is not None and "# /// script" in file.text:
        installed.extend(_inline_script_dependencies(file.text))
    if file.text is not None and ("packages_to_install" in file.text or "runtime_env" in file.text):
        installed.extend(_component_packages(file.text))
    if file.text is not None and "base_image" in file.text:
        installed.extend(_component_image_packages(python.tree))
    return {"imports": found, "installed": installed} if found else None


def _component_image_packages(tree: ast.AST) -> list[str]:
    """What the images of a module's Kubeflow Pipelines components ship (`@dsl.component(
    base_image="rayproject/ray:2.31.0-py39")`: `ray`), as `knowledge.BASE_IMAGE_DISTRIBUTIONS`
    knows them: a component runs in its own image, not in the project's environment."""
    from twelvefold.detectors import dockerfile

    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        decorator = component_decorator(node)
        for keyword in decorator.keywords if isinstance(decorator, ast.Call) else ():
            if (
                keyword.arg == "base_image"
                and isinstance(keyword.value, ast.Constant)
                and isinstance(keyword.value.value, str)
            ):
                repository, _, _ = dockerfile.split_image(keyword.value.value)
                found.extend(sorted(base_image_distributions(repository)))
    return found


#: A Kubeflow Pipelines component's own packages: `@dsl.component(base_image=...,
#: packages_to_install=["pandas", "loguru"])`, installed in its container before it runs;
#: a Ray runtime environment's (`"runtime_env": {"pip": ["lightgbm==4.0.0"]}` of a Ray
#: Serve deployment), installed by Ray for its workers.
_PACKAGES_TO_INSTALL = lazy_compile(
    r"packages_to_install\s*=\s*\[([^\]]*)\]"
    r"|[\"']?runtime_env[\"']?\s*[:=]\s*(?:dict\(|\{)[^\]]{0,200}?[\"']?pip[\"']?\s*[:=]\s*\[([^\]]*)\]"
)
_QUOTED = lazy_compile(r"[\"']([^\"'\n]+)[\"']")


def _component_packages(text: str) -> list[str]:
    """The packages the module's pipeline components install for themselves (KFP's
    `packages_to_install`): their imports are declared there, for that container."""
    return [
        parsed.name
        for listed in _PACKAGES_TO_INSTALL.finditer(text)
        for item in _QUOTED.findall(listed.group(1) or listed.group(2) or "")
        if (parsed := parse_requirement(item)) is not None
    ]


#: A comment on the import's line telling the reader to install the package themselves.
_INSTALL_NOTE = lazy_compile(r"#.*\b(?:pip3?|conda|mamba|uv\s+pip)\s+install\b")


def _ast_imports(python: PythonSource, *, lazy_optional: bool) -> list[list[Any]]:
    """`[module, line, column, cell, cell_line]` of each required absolute import."""
    assert python.tree is not None
    found: list[list[Any]] = []
    lines: list[str] | None = None
    for node in _required_imports(python.tree, lazy_optional=lazy_optional):
        if "install" in python.text:
            lines = python.lines if lines is None else lines
            if node.lineno <= len(lines) and _INSTALL_NOTE.search(lines[node.lineno - 1]):
                continue  # `import cv2  # pip install opencv-python`: optional, documented
        modules = (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else _from_import_modules(node)
        )
        where = python.loc(node.lineno)
        for module in modules:
            if module:
                found.append([module, where.line, node.col_offset + 1, where.cell, where.cell_line])
    return found


_INLINE_METADATA = lazy_compile(r"^# /// script\s*$\n((?:^#(?: .*)?$\n)*?)^# ///\s*$", re.MULTILINE)


def _inline_script_dependencies(text: str) -> list[str]:
    """The `dependencies` of a script's inline metadata (PEP 723, what `uv run` and
    `pipx run` install for it): the script declares them itself."""
    from twelvefold.compat import tomllib

    match = _INLINE_METADATA.search(text)
    if match is None:
        return []
    body = "\n".join(
        line[2:] if line.startswith("# ") else line[1:] for line in match.group(1).splitlines()
    )
    try:
        data = tomllib.loads(body)
    except (tomllib.TOMLDecodeError, ValueError):
        return []
    dependencies = data.get("dependencies")
    if not isinstance(dependencies, list):
        return []
    return [
        parsed.name
        for item in dependencies
        if isinstance(item, str) and (parsed := parse_requirement(item)) is not None
    ]


#: The fields of a statement that hold statements, in `ast.iter_child_nodes` order.
#: Imports are statements, so the search never needs to enter an expression.
_BLOCK_FIELDS = ("body", "handlers", "orelse", "finalbody", "cases")


#: `try` statements: `try/except*` (`ast.TryStar`, Python 3.11+) has the fields of `ast.Try`.
if sys.version_info >= (3, 11):
    _TRY_NODES: tuple[type[ast.Try] | type[ast.TryStar], ...] = (ast.Try, ast.TryStar)
else:
    _TRY_NODES = (ast.Try,)


def _from_import_modules(node: ast.ImportFrom) -> list[str]:
    """What a `from X import a, b` needs: `X`, or, when `X` is a namespace package that
    several distributions share (`from google.cloud import storage, bigquery`), the
    sub-packages it names (`google.cloud.storage`, `google.cloud.bigquery`)."""
    module = node.module or ""
    if not module or distributions_for(module) is not None:
        return [module]
    named = [
        f"{module}.{alias.name}"
        for alias in node.names
        if alias.name != "*" and distributions_for(f"{module}.{alias.name}") is not None
    ]
    return named or [module]


def _required_imports(
    tree: ast.AST, *, lazy_optional: bool = False
) -> list[ast.Import | ast.ImportFrom]:
    """The imports a module needs to run. `lazy_optional`: imports inside a function or
    method body are optional integrations loaded on use (a library's `def to_wandb():
    import wandb`), and left out."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST, guarded: frozenset[str]) -> None:
        if isinstance(node, ast.Import):
            if not all(_top(alias.name) in guarded for alias in node.names):
                found.append(node)
            return
        if isinstance(node, ast.ImportFrom):
            if not node.level and _top(node.module or "") not in guarded:
                found.append(node)
            return
        if lazy_optional and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return
        fields: tuple[str, ...] = _BLOCK_FIELDS
        if isinstance(node, _TRY_NODES) and _catches_import_error(node):
            fields = ("handlers", "orelse", "finalbody")
        elif isinstance(node, ast.If) and (
            _is_type_checking(node.test) or _tests_the_module_it_imports(node)
        ):
            fields = ("orelse",)
        elif isinstance(node, ast.If) and (available := _availability_check(node.test)) is not None:
            fields = ("orelse",) if available else ("body",)
        elif isinstance(node, (ast.With, ast.AsyncWith)) and any(
            _suppresses_import_error(item.context_expr) or _defers_import_errors(item.context_expr)
            for item in node.items
        ):
            return
        for field in fields:
            block = getattr(node, field, None)
            if isinstance(block, list):
                inner = guarded
                for child in block:
                    if _installs_on_demand(child) or (
                        isinstance(node, ast.ExceptHandler) and _runs_pip_install(child)
                    ):
                        break  # what follows imports what the call just installed
                    visit(child, inner)
                    if (
                        isinstance(child, _TRY_NODES)
                        and _catches_import_error(child)
                        and _raises_a_hint(child)
                    ):
                        # `try: import spacy / except ImportError: raise ImportError("pip
                        # install spacy")` then `from spacy.lang.en import English`: the
                        # package is optional, its absence already told to the user.
                        inner = inner | _tops_imported(child.body)

    visit(tree, frozenset())
    return found


def _raises_a_hint(node: ast.Try) -> bool:
    """Every handler of the `try` ends by raising (an install hint): nothing after it runs
    without the package. A handler that carries on (`TKINTER = False`) leaves the later
    imports of the same package required."""
    return all(
        bool(handler.body) and isinstance(handler.body[-1], ast.Raise) for handler in node.handlers
    )


def _top(module: str) -> str:
    return module.split(".", 1)[0]


def _tops_imported(block: list[ast.stmt]) -> frozenset[str]:
    """Top-level packages the statements of `block` import directly."""
    tops: set[str] = set()
    for statement in block:
        if isinstance(statement, ast.Import):
            tops.update(_top(alias.name) for alias in statement.names)
        elif isinstance(statement, ast.ImportFrom) and not statement.level and statement.module:
            tops.add(_top(statement.module))
    return frozenset(tops)


#: Calls that say whether a module can be imported: `importlib.util.find_spec("x")`,
#: `is_torch_available()` (transformers, diffusers, accelerate), `module_available("x")`
#: and `package_available("x")` (lightning), `pkgutil.find_loader("x")`. Not
#: `torch.cuda.is_available()`: it asks about a device, not a module.
_AVAILABILITY_CALL = lazy_compile(
    r"_?(?:is_\w+_available|find_spec|find_loader|module_available|package_available)"
)


#: Flags set from such a check: `_WANDB_AVAILABLE`, `HAS_MLFLOW`.
_AVAILABILITY_FLAG = lazy_compile(r"_?(?:[A-Z][A-Z0-9_]*_AVAILABLE|HAS_[A-Z][A-Z0-9_]*)")


def _availability_check(test: ast.expr) -> bool | None:
    """Whether an `if` test asks that a module be importable: True when its body runs only
    if it is (`if find_spec("x"):`, `if is_x_available() and ...:`), False when its body
    runs only if it is not (`if find_spec("x") is None:`, `if not _X_AVAILABLE:`), None
    when the test is no such check."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _availability_check(test.operand)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        checks = [_availability_check(value) for value in test.values]
        if isinstance(test.op, ast.And) and True in checks:
            return True  # the body needs every operand, the check among them
        if isinstance(test.op, ast.Or) and checks and all(c is False for c in checks):
            return False
        return None
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.Is, ast.IsNot))
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        inner = _availability_check(test.left)
        if inner is None:
            return None
        return inner if isinstance(test.ops[0], ast.IsNot) else not inner
    if isinstance(test, ast.Call):
        name = _call_name(test.func).rsplit(".", 1)[-1]
        return True if _AVAILABILITY_CALL.fullmatch(name) else None
    if isinstance(test, (ast.Name, ast.Attribute)):
        name = _call_name(test).rsplit(".", 1)[-1]
        return True if _AVAILABILITY_FLAG.fullmatch(name) else None
    return None


def _tests_the_module_it_imports(node: ast.If) -> bool:
    """`if ray:` then `from ray.util import ...`: the name is the module itself or None
    (vLLM sets `ray = None` when it is not installed), so the body runs only where the
    module is. Also `if ray is not None:`."""
    test = node.test
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.IsNot)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        test = test.left
    if not isinstance(test, ast.Name):
        return False
    for statement in node.body:
        if isinstance(statement, ast.Import) and any(
            alias.name.split(".")[0] == test.id for alias in statement.names
        ):
            return True
        if (
            isinstance(statement, ast.ImportFrom)
            and not statement.level
            and (statement.module or "").split(".")[0] == test.id
        ):
            return True
    return False


def _installs_on_demand(statement: ast.AST) -> bool:
    """A `check_requirements(...)` call (YOLOv5, Ultralytics): it installs the packages it
    names when they are missing, so the imports after it in the same block are optional."""
    value = getattr(statement, "value", None)
    return (
        isinstance(statement, (ast.Expr, ast.Assign, ast.AnnAssign))
        and isinstance(value, ast.Call)
        and _call_name(value.func).rsplit(".", 1)[-1] == "check_requirements"
    )


def _runs_pip_install(statement: ast.AST) -> bool:
    """A statement running `pip install` (TF205's call): in an `except ImportError:` it
    installs what the `try` failed to import, and the import after it is that same
    optional import; at a module's top level it does not make the module's other
    imports optional."""
    value = getattr(statement, "value", None)
    return (
        isinstance(statement, (ast.Expr, ast.Assign, ast.AnnAssign))
        and isinstance(value, ast.Call)
        and is_pip_install_call(value)
    )


def _guarded_by_package(repo: Repo, path: str, cache: dict[str, frozenset[str]]) -> bool:
    """Whether the `__init__.py` beside a module imports it only inside `try: ...
    except ImportError` (BERTopic's `try: from ._openai import OpenAIBackend except
    ModuleNotFoundError: OpenAIBackend = NotInstalled(...)`): an opt-in integration
    whose users install its framework, not a dependency of the library."""
    folder, name = posixpath.split(path)
    if not name.endswith(".py") or name == "__init__.py":
        return False
    if folder not in cache:
        cache[folder] = _guarded_submodules(repo, posixpath.join(folder, "__init__.py"))
    return name[:-3] in cache[folder]


def _guarded_submodules(repo: Repo, init: str) -> frozenset[str]:
    source = repo.source(init) if repo.has(init) else None
    if source is None or source.text is None or "try" not in source.text:
        return frozenset()
    tree = source.python.tree if source.python is not None else None  # parsed once
    if tree is None:
        return frozenset()
    guarded: set[str] = set()
    plain: set[str] = set()
    folder = posixpath.basename(posixpath.dirname(init))
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and _catches_import_error(node):
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    guarded.add(_submodule(statement, folder))
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and statement.module:
            plain.add(_submodule(statement, folder))
    return frozenset(guarded - plain - {""})


def _submodule(node: ast.ImportFrom, folder: str) -> str:
    """`_openai` of `from ._openai import X` or `from bertopic.backend._openai import X`
    in `bertopic/backend/__init__.py`; "" for an import from elsewhere."""
    module = node.module or ""
    if node.level:
        return module.split(".", 1)[0] if node.level == 1 else ""
    parent, _, last = module.rpartition(".")
    return last if parent.rsplit(".", 1)[-1] == folder else ""


def _catches_import_error(node: ast.Try) -> bool:
    for handler in node.handlers:
        if handler.type is None:
            return True
        types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if any(_call_name(t).rsplit(".", 1)[-1] in _IMPORT_ERRORS for t in types):
            return True
    return False


def _is_type_checking(test: ast.expr) -> bool:
    return _call_name(test).rsplit(".", 1)[-1] == "TYPE_CHECKING"


def _suppresses_import_error(expr: ast.expr) -> bool:
    return (
        isinstance(expr, ast.Call)
        and _call_name(expr.func).rsplit(".", 1)[-1] == "suppress"
        and any(_call_name(arg).rsplit(".", 1)[-1] in _IMPORT_ERRORS for arg in expr.args)
    )


#: The words of a name: `LazyImport` -> lazy, import; `try_import` -> try, import.
_NAME_WORDS = lazy_compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


#: Words that name a guard of optional imports.
_OPTIONAL_IMPORT_WORDS = frozenset({"import", "imports", "optional"})


def _defers_import_errors(expr: ast.expr) -> bool:
    """A context manager that makes the imports in its block optional, by its name:
    `LazyImport("Run 'pip install x'")` (the `lazy_imports` package, Haystack),
    `try_import()` (Optuna), `optional_import("x")`, `OptionalDependency(...)`. It
    catches the `ImportError` and raises it again on first use of the feature."""
    target = expr.func if isinstance(expr, ast.Call) else expr
    name = _call_name(target).rsplit(".", 1)[-1]
    words = {word.lower() for word in _NAME_WORDS.findall(name)}
    return not words.isdisjoint(_OPTIONAL_IMPORT_WORDS)


def _own_modules(repo: Repo) -> set[str]:
    """Every folder on the way to a Python file and every module name: the project's own
    importable names, whatever the layout (flat, src/, namespace folders, monorepos)."""
    own: set[str] = set()
    for entry in repo.files:
        if entry.kind != kinds.PYTHON:
            continue
        parts = entry.path.split("/")
        own.update(part for part in parts[:-1] if part.isidentifier())
        stem = parts[-1][:-3]
        if stem.isidentifier():
            own.add(stem)
    return own


class _Project:
    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.names: set[str] = set()
        self.manifests: list[str] = []
        self.opaque = False
        self.own_name: str | None = None


def _projects(repo: Repo) -> dict[str, _Project]:
    """Projects by folder ("" is the root): each folder holding a project file, with the
    distributions its manifests declare."""
    # Tool settings and extension helpers named like project files declare nothing: they
    # neither make a project nor count as a manifest of the one they sit in.
    settings_only = {e.path for e in repo.named(*PROJECT_FILES) if settings_only_file(repo, e.path)}
    folders = {
        posixpath.dirname(e.path) for e in repo.named(*PROJECT_FILES) if e.path not in settings_only
    }
    folders = {folder for folder in folders if not _describes_enclosing(repo, folder)}
    projects = {folder: _Project(folder) for folder in folders | {""}}
    conda = set(repo.derived(_conda_environments))
    named = {e.path for e in repo.named(*MANIFEST_NAMES)} | conda
    named |= {
        e.path for e in repo.files if e.kind == kinds.PYTHON and MANIFEST_SCRIPT.search(e.path)
    }
    named |= {
        e.path
        for e in repo.of_kind(kinds.TEXT)
        if EXPLICIT_SPEC_NAME.search(e.path)
        and (spec := repo.source(e.path)) is not None
        and spec.text is not None
        and is_explicit_spec(spec.text)
    }
    manifest_entries = [e for e in repo.files if e.kind == kinds.REQUIREMENTS or e.path in named]
    for entry in manifest_entries:
        if kinds.is_test_path(entry.path) or entry.path in settings_only:
            continue
        owner = projects[_owner(entry.path, folders)]
        source = repo.source(entry.path)
        if source is None or source.text is None:
            owner.opaque = True
            continue
        name = posixpath.basename(entry.path)
        data = source.toml if name in ("pyproject.toml", "Pipfile") else None
        declared = (
            conda_declarations(source.yaml)
            if entry.path in conda
            else declarations(entry.path, source.text, data)
        )
        owner.names |= declared.names
        owner.manifests.append(entry.path)
        owner.opaque = owner.opaque or (declared.opaque and entry.kind != kinds.REQUIREMENTS)
        if declared.project and name in PROJECT_FILES:
            owner.own_name = declared.project
    for project in projects.values():
        if project.opaque and any(
            repo.by_path[m].kind == kinds.REQUIREMENTS for m in project.manifests
        ):
            project.opaque = False  # dynamic dependencies read from the requirements file
    return projects


#: Folders that hold the project's dependency lists, not a project of their own.
_REQUIREMENTS_FOLDERS = frozenset(
    {"requirements", "reqs", "deps", "dependencies", "env", "envs", "environment", "environments"}
)


def _describes_enclosing(repo: Repo, folder: str) -> bool:
    """A folder whose project files belong to the project around it: `requirements/`
    holding its manifests (a `pyproject.toml` among the `requirements-*.txt`, no code of
    its own), or an extension compiled in place inside a package that declares no
    dependency (`megatron/fused_kernels/setup.py`: the package's own code)."""
    if not folder:
        return False
    prefix = folder + "/"
    if posixpath.basename(folder).lower() in _REQUIREMENTS_FOLDERS:
        return not any(
            e.kind == kinds.PYTHON and e.path.startswith(prefix) and not e.path.endswith("setup.py")
            for e in repo.files
        )
    parent = posixpath.dirname(folder)
    return (
        repo.has(prefix + "__init__.py")
        and repo.has(posixpath.join(parent, "__init__.py") if parent else "__init__.py")
        and declares_no_dependency(repo, folder)
    )


def _third_party(module: str, own: set[str]) -> tuple[str, frozenset[str]] | None:
    """(normalised top-level name, candidate distributions) of a module TF206 can
    report: not the standard library, not the project's own, and known to the table."""
    top = module.split(".", 1)[0]
    if is_stdlib(module) or top in own:
        return None
    candidates = distributions_for(module)
    if not candidates:
        return None
    return normalise(top), frozenset(candidates)


def _owner(path: str, folders: set[str]) -> str:
    directory = posixpath.dirname(path)
    while directory and directory not in folders:
        directory = posixpath.dirname(directory)
    return directory


def _locked_by_folder(repo: Repo) -> dict[str, frozenset[str]]:
    """The distributions committed lock files pin (`Pipfile.lock`, `poetry.lock`,
    `uv.lock`, `pdm.lock`, rye's `requirements.lock`), by the folder holding the lock."""
    found: dict[str, set[str]] = {}
    for entry in repo.named(*DISTRIBUTION_LOCKS):
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        names = locked_distributions(entry.path, source.text)
        found.setdefault(posixpath.dirname(entry.path), set()).update(names)
    return {folder: frozenset(names) for folder, names in found.items()}


def _locked_above(locks: dict[str, frozenset[str]], folder: str) -> frozenset[str]:
    """What the locks in `folder` and the folders above it pin."""
    pinned: set[str] = set()
    while True:
        pinned |= locks.get(folder, frozenset())
        if not folder:
            return frozenset(pinned)
        folder = posixpath.dirname(folder)


def _dockerfile_installs(repo: Repo) -> set[str]:
    """What the repository's images install by name: a Dockerfile's `pip install` or
    `conda install`, and a Cog model's `build.python_packages` (`cog.yaml`, the image
    Replicate builds)."""
    names: set[str] = set()
    for entry in repo.of_kind(kinds.DOCKERFILE):
        source = repo.source(entry.path)
        if source is not None and source.text is not None:
            names |= pip_installed_names(source.text)
    for entry in repo.named("cog.yaml", "cog.yml"):
        source = repo.source(entry.path)
        document = source.yaml if source is not None else None
        build = document.get("build") if isinstance(document, dict) else None
        packages = build.get("python_packages") if isinstance(build, dict) else None
        for written in packages if isinstance(packages, list) else []:
            requirement = parse_requirement(written) if isinstance(written, str) else None
            if requirement is not None:
                names.add(requirement.name)
    return names


class UndeclaredImport(RepoRule):
    """## What it does
    Reports a third-party module that the project's code imports (Python modules and
    notebook code cells) but that no manifest declares: not `pyproject.toml` (project,
    optional and dependency-group requirements, Poetry and PDM groups), not a
    `requirements*.txt`/`.in`, `setup.py` (read as AST, never run), `setup.cfg`,
    a script's own inline metadata (PEP 723 `# /// script` with `dependencies`),
    a conda environment (`environment.yml`, `conda.yaml`; conda and pip) or `Pipfile`,
    not installed by a Dockerfile's `pip install` or `conda install` or listed in a Cog
    model's `build.python_packages` (`cog.yaml`),
    and not pinned by a committed lock file in the importing file's folder or above
    (`uv.lock`, `poetry.lock`, `pdm.lock`, rye's `requirements.lock`, the `default`
    section of `Pipfile.lock`), except in a library's package code, whose users install
    its declared dependencies and never its lock. In a monorepo each project (a folder
    with its own `pyproject.toml`) is checked against its own manifests plus the root's,
    and the projects of the repository it depends on.

    Import names are mapped to distributions with a table of the common Python and ML
    stack (`sklearn` → `scikit-learn`, `cv2` → `opencv-python`/`-headless`, `yaml` →
    `PyYAML`, `PIL` → `Pillow`...). Modules the table does not know are never reported:
    without the mapping the rule cannot tell which distribution is missing. Never
    reported either: the standard library, the project's own modules and packages,
    relative imports, optional imports (inside `try: ... except ImportError` and, after
    it, the same package's other imports in that block: `from spacy.lang.en import
    English` once `import spacy` was tried; inside a
    `with` whose context manager defers import errors: `contextlib.suppress(ImportError)`,
    `LazyImport(...)`, `try_import()`, `optional_import(...)`, under an
    availability check such as `if importlib.util.find_spec("x"):`, `if
    is_x_available():` or `if _X_AVAILABLE:`, after a `check_requirements(...)` call that
    installs on demand in the same block, and, in a library or a research repository,
    inside a function or method body: a lazily loaded optional integration or backend, or anywhere in a module its package's
    `__init__.py` imports only under `except ImportError`; or with a comment on its line telling
    the reader to install it: `import cv2  # pip install opencv-python`), imports under `if TYPE_CHECKING:`,
    notebooks beside the project's own Python modules (exploration and demos of that
    code, run in the developer's environment: the manifest declares what the modules
    import; in a notebook-only repository the notebooks are the code, and are checked),
    notebooks written for Google Colab (Colab's metadata, an "Open in Colab" link, an
    import of `google.colab`: Colab's runtime ships the common packages and the notebook
    installs the rest itself) and Databricks notebooks kept as source (`# Databricks
    notebook source`: the cluster's runtime ships mlflow, pyspark and the rest),
    MicroPython firmware (a board's `machine` with MicroPython's `network`, `ujson`,
    `utime`: built into the board's interpreter), code in tests, docs, examples and benchmarks (examples are checked when the project
    declares a dependency group or extra for them: `exercises`, `examples`, `tutorials`,
    `lessons`...: that group says they are meant to run from it), `boto3`/`botocore` in an AWS Lambda handler
    that a `serverless.yml` or SAM template deploys on a Python runtime, or that defines
    AWS's `lambda_handler(event, context)` (the runtime provides them), what a well-known base image ships to the code its Dockerfile builds
    (its folder, or the compose `build:` context: `fastapi` under `FROM
    tiangolo/uvicorn-gunicorn-fastapi`, `torch` under `FROM pytorch/pytorch`,
    `tensorflow` under `FROM tensorflow/tensorflow`, `flask` under IBM's `FROM
    quay.io/codait/max-base`) or to a Kubeflow Pipelines component
    run on it (`@dsl.component(base_image="rayproject/ray:2.31.0-py39")`: `ray`), what a
    component's `packages_to_install` lists, and modules that a declared distribution
    always installs (`numpy` and `dateutil` with `pandas`, `pydantic` with `fastapi`,
    `omegaconf` with `hydra-core`, `plotly` with `dash`: they are locked with it), and, in a
    library, a deep-learning framework its README has users install first (`fvcore
    requires pytorch`: torch, torchvision, TensorFlow or JAX left out of the metadata so
    pip never replaces the build matching the user's CUDA), in a paper's code such a
    framework its README's or install guide's (`INSTALL.md`, `docs/INSTALL.md`) commands
    install (`conda install pytorch=1.4 cudatoolkit=10.0 -c pytorch`; other packages
    installed there are still undeclared),
    what the README of the module's folder (not the root's) installs (a standalone
    script's `pip install gpt4all typer`), and the SDK of
    a Hugging Face Space (`sdk: streamlit` in its README's front matter: the Space's
    runtime installs it at `sdk_version`). One finding
    per missing distribution and project, at its first import. Not checked in an extension
    of a host application (a Stable Diffusion web UI extension, a ComfyUI node pack): it
    runs in the host's environment, which provides what the host's own code imports.

    ## Why is this bad?
    The code works on the machine where the package happens to be installed, and fails
    with `ModuleNotFoundError` in CI, in the image and on a colleague's laptop. The
    version that produced the results is recorded nowhere.

    ## Example
    ```text
    # requirements.txt
    pandas==2.2.3
    matplotlib==3.9.2
    ```
    ```python
    # src/churn/plots.py
    import matplotlib.pyplot as plt
    import seaborn as sns
    ```

    ## Use instead
    Declare it: `uv add seaborn` (or add `seaborn==0.13.2` to `requirements.txt`) and
    commit the updated lock.
    ```text
    # requirements.txt
    pandas==2.2.3
    matplotlib==3.9.2
    seaborn==0.13.2
    ```
    """

    code = "TF206"
    facts_per_file = True
    depends_on = (
        "@code",
        "@manifests",
        "@locks",
        "@dockerfiles",
        "docker-compose*.y*ml",
        "compose*.y*ml",
    )
    name = "undeclared-import"
    factor = 2
    severity = Severity.WARNING
    roles = role.PRODUCT | {role.EXAMPLE}
    summary = "Third-party module imported but declared in no manifest"
    fix = "Declare the distribution in the project's manifest and re-lock."
    requires = ("TF201",)
    facts = ("python-imports",)

    def applies(self, repo: Repo) -> bool:
        # An extension runs in its host's environment, which provides what it imports.
        return repo.has_python and repo.model.host is None

    def check(self, repo: Repo) -> Iterator[Violation]:
        collected = repo.facts("python-imports")
        if not _example_group(repo):
            collected = {
                path: found
                for path, found in collected.items()
                if repo.model.role(path) != role.EXAMPLE
            }
        if has_own_modules(repo):
            # Notebooks beside the project's own modules explore and demo that code in
            # the developer's environment (plotting, notebook widgets): the manifest
            # declares what the modules import.
            collected = {
                path: found
                for path, found in collected.items()
                if not (path.endswith(".ipynb") and repo.model.role(path) == role.NOTEBOOK)
            }
        if not collected:
            return
        projects = _projects(repo)
        folders = set(projects) - {""}
        by_name = {p.own_name: p for p in projects.values() if p.own_name}
        root = projects[""]
        own = _own_modules(repo)
        extra = _dockerfile_installs(repo)
        handlers = repo.derived(_python_lambda_handlers)
        images = repo.derived(_base_image_distributions)
        library = repo.model.kind == project_kind.LIBRARY
        locks = _locked_by_folder(repo)
        locked_in: dict[str, frozenset[str]] = {}  # folder -> what the locks above pin
        # (project folder, module) -> [path, line, column, cell, cell_line, count]
        missing: dict[tuple[str, str], list[Any]] = {}
        owners: dict[str, str] = {}  # folder -> project folder
        # What a project declares, by the names installed in its notebooks (mostly none):
        # thousands of modules share a handful of these.
        declared_by: dict[tuple[str, frozenset[str]], set[str]] = {}
        third_party: dict[str, tuple[str, frozenset[str]] | None] = {}
        # A library whose README has its users install the framework themselves.
        prerequisites = repo.derived(_readme_prerequisites) if library else frozenset()
        # A paper's code whose README's commands install the framework (jukebox: `conda
        # install pytorch=1.4 torchvision=0.5 cudatoolkit=10.0 -c pytorch`), without what
        # it brings along (`PIL` still needs its own line: judged so), nor other packages
        # those commands install (co-tracker's `pip install matplotlib tqdm`, judged
        # undeclared).
        frameworks = (
            repo.derived(_readme_installed_frameworks)
            if repo.model.kind == project_kind.RESEARCH
            else frozenset()
        )
        guarded: dict[str, frozenset[str]] = {}  # folder -> modules its __init__ guards
        for path in sorted(collected):
            folder = posixpath.dirname(path)
            owner = owners.get(folder)
            if owner is None:
                owner = owners[folder] = _owner(path, folders)
            project = projects[owner]
            if project.opaque or root.opaque:
                continue
            if not project.manifests and not root.manifests and not extra:
                continue  # TF201 reports a repository with no manifest at all
            installed = (
                frozenset(collected[path].get("installed", ()))
                | _space_sdk(repo, folder)
                | _readme_installs(repo, folder)
            )
            declared = declared_by.get((owner, installed))
            if declared is None:
                declared = project.names | root.names | extra | installed | prerequisites
                for dependency in list(declared):
                    member = by_name.get(dependency)
                    if member is not None and member is not project:
                        declared |= member.names
                declared = declared_by[(owner, installed)] = (
                    with_requirements(declared) | frameworks
                )
            locked = locked_in.get(folder)
            if locked is None:
                locked = locked_in[folder] = _locked_above(locks, folder)
            if library and repo.model.role(path) == role.PACKAGE:
                # The wheel's users install its declared dependencies, never its lock,
                # which pins the developers' environment (their tests, examples, scripts).
                # A demo app's own lock in a sub-folder is taken for the library's too
                # (graphrag's `unified-search-app/`): quivr keeps quivr-core's in `core/`.
                locked = frozenset()
            shipped = _shipped_by_base_image(images, folder)
            found = collected[path]
            if library and _guarded_by_package(repo, path, guarded):
                continue  # its package imports it only under `except ImportError`: opt-in
            handler = path in handlers or (
                path.endswith(".py")
                and not _LAMBDA_PROVIDED.isdisjoint(found.get("tops", _LAMBDA_PROVIDED))
                and _defines_lambda_handler(repo, path)
            )
            if "tops" in found and not any(
                _may_be_missing(
                    top,
                    own,
                    declared,
                    shipped,
                    locked,
                    lambda_handler=handler,
                )
                for top in found["tops"]
            ):
                continue  # all it may import is declared: no need to parse it
            for module, line, column, cell, cell_line in _imports(repo, path, found):
                if module in third_party:
                    known = third_party[module]
                else:
                    known = third_party[module] = _third_party(module, own)
                if known is None:
                    continue
                top, names = known
                if top in declared or not names.isdisjoint(declared):
                    continue
                if handler and top in _LAMBDA_PROVIDED:
                    continue  # the Lambda Python runtime provides it to the handler
                if top in shipped or not names.isdisjoint(shipped):
                    continue  # the base image of the module's Dockerfile ships it
                if top in locked or not names.isdisjoint(locked):
                    continue  # a committed lock file pins it
                distributions = distributions_for(module)
                assert distributions  # `known` is not None: the table knows `module`
                key = (project.directory, distributions[0])
                if key in missing:
                    first = missing[key]
                    first[-1] += 1
                    if first[3] != 1 and column == 1 and cell is None:
                        # A module-level import is where the dependency is needed on
                        # every run: it, not a nested one met first, is the place.
                        first[:6] = [module, path, line, column, cell, cell_line]
                else:
                    missing[key] = [module, path, line, column, cell, cell_line, 1]
        for (folder, distribution), (module, path, line, column, cell, cell_line, count) in sorted(
            missing.items(), key=lambda item: (item[1][1], item[1][2] or 0)
        ):
            project = projects[folder]
            fix = _declare_fix(repo, project if project.manifests else root, distribution, path)
            also = f" (and {count - 1} more imports in the project)" if count > 1 else ""
            alternatives = distributions_for(module) or (distribution,)
            which = (
                f"`{distribution}`"
                if len(alternatives) == 1
                else "one of " + ", ".join(f"`{d}`" for d in alternatives[:4])
            )
            yield Violation(
                f"`{module}` is imported but no manifest declares it: {which} is missing{also}",
                path=path,
                line=line,
                column=column,
                cell=cell,
                cell_line=cell_line,
                fix=fix,
            )


#: A Hugging Face Space's README front matter naming its SDK (`sdk: streamlit`), which the
#: Space's runtime installs at `sdk_version`.
_SPACE_SDK = lazy_compile(r"\A---\s*\n(?:[^\n]*\n){0,40}?sdk:[ \t]*(gradio|streamlit)[ \t]*\n")


def _space_sdk(repo: Repo, folder: str) -> frozenset[str]:
    """The SDK a Hugging Face Space in `folder` or above runs on, from its README's front
    matter: declared there, installed by the Space's runtime."""
    spaces = repo.derived(_space_sdks)
    while True:
        if folder in spaces:
            return spaces[folder]
        if not folder:
            return frozenset()
        folder = posixpath.dirname(folder)


def _space_sdks(repo: Repo) -> dict[str, frozenset[str]]:
    """Folder -> the SDK its README's front matter declares, for every Space README."""
    found: dict[str, frozenset[str]] = {}
    for entry in repo.named("README.md"):
        source = repo.source(entry.path)
        if source is None or source.text is None or not source.text.startswith("---"):
            continue
        match = _SPACE_SDK.search(source.text[:4096])
        if match is not None:
            found[posixpath.dirname(entry.path)] = frozenset({match.group(1)})
    return found


def _readme_installs(repo: Repo, folder: str) -> frozenset[str]:
    """What the README of `folder` or of a folder above it (not the root's) installs with
    `pip install` or `conda install`: a standalone script's own install instructions
    (gpt4all's `cli/README.md`: `pip install --user gpt4all typer` for `cli/app.py`)."""
    installs = repo.derived(_folder_readme_installs)
    found: set[str] = set()
    while folder:
        found |= installs.get(folder, frozenset())
        folder = posixpath.dirname(folder)
    return frozenset(found)


#: An install guide the README sends its reader to: `INSTALL.md`, `docs/INSTALL.md`,
#: `docs/installation.md` (frankmocap's, whose conda line installs torch).
_INSTALL_GUIDE = lazy_compile(r"(?:docs?/)?install(?:ation)?\.(?:md|rst|txt)", re.IGNORECASE)


def _readme_installed_frameworks(repo: Repo) -> frozenset[str]:
    """The frameworks (`USER_INSTALLED_FRAMEWORKS`) the root README's commands, or those
    of an install guide beside it, install (`conda install pytorch=1.4 ...`, `pip
    install torch torchvision`)."""
    texts = [
        source.text
        for source in (
            _root_readme(repo),
            *(repo.source(e.path) for e in repo.files if _INSTALL_GUIDE.fullmatch(e.path)),
        )
        if source is not None and source.text is not None
    ]
    return _frameworks_named({name for text in texts for name in pip_installed_names(text)})


def _root_readme(repo: Repo) -> SourceFile | None:
    """The root README (the first by name that reads)."""
    for name in sorted(
        e.path for e in repo.files if "/" not in e.path and project_kind.is_readme(e.path)
    ):
        source = repo.source(name)
        if source is not None and source.text is not None:
            return source
    return None


def _frameworks_named(words: set[str]) -> frozenset[str]:
    """The frameworks (`USER_INSTALLED_FRAMEWORKS`) one of `words` names."""
    return frozenset(
        distribution
        for distribution, names in USER_INSTALLED_FRAMEWORKS.items()
        if not words.isdisjoint(names)
    )


def _folder_readme_installs(repo: Repo) -> dict[str, frozenset[str]]:
    """Folder -> the names its README installs, for every README below the root."""
    found: dict[str, frozenset[str]] = {}
    for entry in repo.files:
        if "/" not in entry.path or not project_kind.is_readme(posixpath.basename(entry.path)):
            continue
        source = repo.source(entry.path)
        if source is None or source.text is None or "install" not in source.text:
            continue
        names = pip_installed_names(source.text)
        if names:
            folder = posixpath.dirname(entry.path)
            found[folder] = found.get(folder, frozenset()) | names
    return found


#: A line of a README that makes something a prerequisite or installs it.
_PREREQUISITE_LINE = lazy_compile(r"\b(?:install|requires?|required|prerequisites?)\b", re.I)


def _readme_prerequisites(repo: Repo) -> frozenset[str]:
    """The frameworks (`USER_INSTALLED_FRAMEWORKS`) the root README names on a line that
    requires or installs them (`fvcore requires pytorch`, `# Install stable PyTorch,
    torchvision, torchao`): left to the user on purpose, not forgotten."""
    readme = _root_readme(repo)
    if readme is None:
        return frozenset()
    found: set[str] = set()
    for line in readme.lines:
        if _PREREQUISITE_LINE.search(line):
            found |= _frameworks_named(set(re.findall(r"[a-z]+", line.lower())))
    return frozenset(found)


def _may_be_missing(
    top: str,
    own: set[str],
    declared: set[str],
    shipped: frozenset[str],
    locked: frozenset[str],
    *,
    lambda_handler: bool,
) -> bool:
    """Whether an import under the top-level name `top` may be one TF206 reports: for
    some module under it the table names distributions that nothing declares, ships or
    locks (the tests of `UndeclaredImport.check`, asked of every module `top` may be)."""
    if top in own:
        return False
    name = normalise(top)
    if name in declared or name in shipped or name in locked:
        return False
    if lambda_handler and name in _LAMBDA_PROVIDED:
        return False
    return any(
        names.isdisjoint(declared) and names.isdisjoint(shipped) and names.isdisjoint(locked)
        for names in DISTRIBUTIONS_BY_TOP.get(top, ())
    )


def _imports(repo: Repo, path: str, found: dict[str, Any]) -> list[list[Any]]:
    """The required imports of a file, from its fact: as stored (notebooks, scripts with
    inline metadata), or parsed now from a module the scan found import-like text in."""
    if "imports" in found:
        imports: list[list[Any]] = found["imports"]
        return imports
    source = repo.source(path)
    python = source.python if source is not None else None
    if source is None or python is None or python.tree is None:
        return []
    imports = _ast_imports(python, lazy_optional=found["lazy"])
    source.release()  # the tree is not needed again; the text stays for other rules
    return imports


#: Names of a dependency group or extra that installs what examples need to run.
_EXAMPLE_GROUP = lazy_compile(
    r"(?:exercises?|examples?|tutorials?|lessons?|course|demos?)", re.IGNORECASE
)


def _example_group(repo: Repo) -> bool:
    """The root pyproject declares a dependency group (PEP 735, Poetry) or an extra
    named for examples: `[dependency-groups] exercises = [...]`."""
    source = repo.source("pyproject.toml")
    data = source.toml if source is not None else None
    if not isinstance(data, dict):
        return False

    def table(value: object, key: str) -> dict[str, Any]:
        found = value.get(key) if isinstance(value, dict) else None
        return found if isinstance(found, dict) else {}

    names = [
        *table(data, "dependency-groups"),
        *table(table(data, "project"), "optional-dependencies"),
        *table(table(table(data, "tool"), "poetry"), "group"),
    ]
    return any(isinstance(name, str) and _EXAMPLE_GROUP.fullmatch(name) for name in names)


def _shipped_by_base_image(images: Mapping[str, frozenset[str]], folder: str) -> frozenset[str]:
    """What the base image of the Dockerfile building `folder` (the nearest folder at or
    above it that an image is built from) ships."""
    while True:
        if folder in images:
            return images[folder]
        if not folder:
            return frozenset()
        folder = posixpath.dirname(folder)


def _base_image_distributions(repo: Repo) -> dict[str, frozenset[str]]:
    """Build folders -> the distributions the base image of their Dockerfile ships (with
    what those always install: fastapi brings starlette). A Dockerfile builds its own
    folder, and the `build:` context a compose file gives it; dev containers' images
    are editors' environments, not the product's."""
    from twelvefold.detectors import dockerfile

    shipped: dict[str, frozenset[str]] = {}
    by_path: dict[str, frozenset[str]] = {}
    for entry in repo.of_kind(kinds.DOCKERFILE):
        if entry.path.startswith(".devcontainer/"):
            continue
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        parsed = dockerfile.parse(source.text)
        stages = parsed.stages
        if not stages:
            continue
        named = {stage.name: stage for stage in stages if stage.name}
        final = stages[-1]
        seen = 0
        while final.base.lower() in named and seen < len(stages):  # `FROM builder`
            final, seen = named[final.base.lower()], seen + 1
        # A registry left to a build argument (`${REGISTRY_URI}/sagemaker-spark-processing`)
        # still names the image.
        image = dockerfile.expand(final.base, parsed.global_args) or final.base
        repository, _, _ = dockerfile.split_image(image)
        provided = base_image_distributions(repository)
        if provided:
            by_path[entry.path] = frozenset(with_requirements(set(provided)))
            shipped.setdefault(posixpath.dirname(entry.path), by_path[entry.path])
            if not any(
                instruction.keyword in ("COPY", "ADD") and "from" not in instruction.flags
                for stage in stages
                for instruction in stage.instructions
            ):
                # An image that copies nothing in is an environment the repository's code
                # runs in, mounted (`docker run -v $(pwd)/..:/workdir`): its base image
                # ships for every folder no other image builds.
                shipped.setdefault("", by_path[entry.path])
    if by_path:
        for context, path in _compose_builds(repo):
            if path in by_path:
                shipped[context] = by_path[path]
    return shipped


def _compose_builds(repo: Repo) -> Iterator[tuple[str, str]]:
    """(build context folder, Dockerfile path) of each service a compose file builds."""
    for entry in repo.files:
        name = posixpath.basename(entry.path)
        if not (name.startswith(("docker-compose", "compose")) and entry.kind == kinds.YAML):
            continue
        source = repo.source(entry.path)
        data = source.yaml if source is not None and source.text is not None else None
        services = data.get("services") if isinstance(data, dict) else None
        if not isinstance(services, dict):
            continue
        folder = posixpath.dirname(entry.path)
        for service in services.values():
            build = service.get("build") if isinstance(service, dict) else None
            if isinstance(build, str):
                build = {"context": build}
            if not isinstance(build, dict):
                continue
            context = str(build.get("context") or ".")
            if "://" in context:
                continue  # a remote context (a git URL)
            context = posixpath.normpath(posixpath.join(folder, context))
            context = "" if context == "." else context
            file = str(build.get("dockerfile") or "Dockerfile")
            yield context, posixpath.normpath(posixpath.join(context, file))


#: What AWS Lambda's Python runtimes provide to every function: the AWS SDK.
_LAMBDA_PROVIDED = frozenset({"boto3", "botocore"})


def _defines_lambda_handler(repo: Repo, path: str) -> bool:
    """The module defines AWS Lambda's `lambda_handler(event, context)`: it is deployed as
    a function, whatever template deploys it (a CloudFormation stack, the console)."""
    source = repo.source(path)
    return source is not None and defines_lambda_handler(source.text)


def _python_lambda_handlers(repo: Repo) -> frozenset[str]:
    """The Python files that a Serverless Framework service (`serverless.yml`) or an AWS
    SAM template (`AWS::Serverless::Function`) deploys as Lambda handlers on a Python
    runtime: `handler: handler.predict` is `handler.py` beside the service file (SAM:
    `Handler: app.lambda_handler` under `CodeUri`)."""
    found: set[str] = set()
    for entry in repo.named("serverless.yml", "serverless.yaml", "template.yaml", "template.yml"):
        source = repo.source(entry.path)
        data = source.yaml if source is not None and source.text is not None else None
        if not isinstance(data, dict):
            continue
        folder = posixpath.dirname(entry.path)
        functions: list[tuple[object, object, object]] = []  # (runtime, handler, code folder)
        if isinstance(data.get("functions"), dict):  # Serverless Framework
            provider = data.get("provider")
            runtime = provider.get("runtime") if isinstance(provider, dict) else None
            for spec in data["functions"].values():
                if isinstance(spec, dict):
                    functions.append((spec.get("runtime", runtime), spec.get("handler"), ""))
        elif isinstance(data.get("Resources"), dict):  # AWS SAM
            globals_ = data.get("Globals")
            defaults = globals_.get("Function") if isinstance(globals_, dict) else None
            defaults = defaults if isinstance(defaults, dict) else {}
            for resource in data["Resources"].values():
                if (
                    not isinstance(resource, dict)
                    or resource.get("Type") != "AWS::Serverless::Function"
                ):
                    continue
                props = resource.get("Properties")
                props = {**defaults, **(props if isinstance(props, dict) else {})}
                functions.append(
                    (props.get("Runtime"), props.get("Handler"), props.get("CodeUri") or "")
                )
        for runtime, handler, code in functions:
            if not (isinstance(runtime, str) and runtime.startswith("python")):
                continue
            if not (isinstance(handler, str) and "." in handler and isinstance(code, str)):
                continue
            module = handler.rsplit(".", 1)[0].replace(".", "/")
            path = posixpath.normpath(posixpath.join(folder, code.strip("/"), module + ".py"))
            if repo.has(path):
                found.add(path)
    return frozenset(found)


#: Requirements files that hold a project's development or documentation tools, not
#: what its code imports.
_TOOLING_REQUIREMENTS = lazy_compile(r"dev|test|lint|doc|ci\b|build|optional|extra", re.IGNORECASE)


#: Tools that manage a pyproject.toml and its lock: `[tool.<name>]` or the lock beside it.
_PYPROJECT_TOOLS = (("poetry", "poetry.lock"), ("pdm", "pdm.lock"), ("uv", "uv.lock"))


def _declare_fix(repo: Repo, project: _Project, distribution: str, path: str) -> str:
    """TF206's fix, in the terms of the manifest the project actually uses: `uv add`,
    `poetry add`, `pdm add`, `[project] dependencies`, `install_requires` in setup.py or
    setup.cfg, `pipenv install`, a conda environment or a requirements file (its `.in`
    when pip-tools compiles it). The manifests nearest above the importing file first."""

    def nearest(manifest: str) -> tuple[bool, int, str]:
        folder = posixpath.dirname(manifest)
        above = not folder or path.startswith(f"{folder}/")
        return (not above, -folder.count("/") if above else folder.count("/"), manifest)

    manifests = sorted(project.manifests, key=nearest)
    texts = {m: (s.text or "") if (s := repo.source(m)) else "" for m in manifests}
    requirements = sorted(
        (m for m in manifests if repo.by_path[m].kind == kinds.REQUIREMENTS),
        key=lambda m: (
            # `docs/requirements.txt` builds the documentation (deepchecks'): not where
            # the package's imports go.
            bool(_TOOLING_REQUIREMENTS.search(posixpath.basename(m)))
            or repo.model.role(m) in role.FOR_READING,
            nearest(m)[:2],
            not m.endswith(".in"),
        ),
    )
    environments = set(repo.derived(_conda_environments))
    conda = [m for m in manifests if m in environments]
    named = {
        name: [m for m in manifests if posixpath.basename(m) == name] for name in MANIFEST_NAMES
    }
    where = f" in {project.directory}/" if project.directory else ""
    for pyproject in named["pyproject.toml"]:
        source = repo.source(pyproject)
        data = source.toml if source is not None else None
        data = data if isinstance(data, dict) else {}
        tool_table = data.get("tool")
        tool = tool_table if isinstance(tool_table, dict) else {}
        for name, lock in _PYPROJECT_TOOLS:
            if name in tool or repo.has(posixpath.join(posixpath.dirname(pyproject), lock)):
                return f"Run `{name} add {distribution}`{where} (it updates pyproject.toml and {lock})."
        table = data.get("project")
        if (
            isinstance(table, dict)
            and "dependencies" not in (table.get("dynamic") or [])
            and (table.get("dependencies") or not (requirements or conda))
        ):
            return f"Add `{distribution}` to [project] dependencies in {pyproject}."
    setup = [m for m in named["setup.py"] + named["setup.cfg"] if "install_requires" in texts[m]]
    if setup and not (requirements and "requirements" in texts[setup[0]]):
        return f"Add `{distribution}` to install_requires in {setup[0]}."
    if named["Pipfile"]:
        return f"Run `pipenv install {distribution}`{where} (it updates Pipfile and Pipfile.lock)."
    if conda and not (requirements and "requirements" in texts[conda[0]]):
        return f"Add `{distribution}` to {conda[0]} (dependencies)."
    if requirements and requirements[0].endswith(".in"):
        return f"Add `{distribution}` to {requirements[0]} and re-compile it (`pip-compile`)."
    if requirements:
        return f"Add `{distribution}` to {requirements[0]}, pinned (`{distribution}==<version>`)."
    scripts = [m for m in manifests if MANIFEST_SCRIPT.search(m)]
    if scripts:
        return f"Add `{distribution}` to the lists in {scripts[0]} and regenerate the environment."
    return f"Declare `{distribution}` in the project's manifest."


# --- TF208: imports the package's own metadata leaves out ------------------------------


#: Frameworks libraries leave to their users on purpose (the build that matches their
#: CUDA or hardware): skorch, for one, tells users to install torch themselves.
_USER_INSTALLED_STACKS = frozenset(
    {"torch", "pytorch", "tensorflow", "tensorflow-cpu", "tensorflow-gpu", "jax", "jaxlib"}
    | {"torchvision", "torchaudio", "mxnet", "paddlepaddle", "cupy"}
)


def _runtime_metadata(repo: Repo) -> tuple[str, set[str]] | None:
    """(where, normalised names) of what installing the root package installs: the
    `[project] dependencies` of pyproject.toml, Poetry's main dependencies, or the
    `install_requires` of setup.cfg / setup.py written out as strings. None when the
    package declares them some other way (dynamic, read from a file, computed)."""
    from twelvefold.manifests import (
        parse_requirement,
        pyproject_dependencies,
        setup_cfg_install_requires,
        setup_py_install_requires,
    )

    source = repo.source("pyproject.toml")
    data = source.toml if source is not None else None
    if isinstance(data, dict):
        project = data.get("project")
        if isinstance(project, dict) and "dependencies" in project:
            if "dependencies" in (project.get("dynamic") or []):
                return None
            names = {
                normalise(parsed.name)
                for text in pyproject_dependencies(data)
                if (parsed := parse_requirement(text)) is not None
            }
            return "pyproject.toml [project] dependencies", names
        tool = data.get("tool")
        poetry = tool.get("poetry") if isinstance(tool, dict) else None
        if isinstance(poetry, dict) and isinstance(poetry.get("dependencies"), dict):
            main = poetry["dependencies"]
            return "[tool.poetry.dependencies]", {normalise(k) for k in main if k != "python"}
    source = repo.source("setup.cfg")
    if source is not None and source.text and "install_requires" in source.text:
        entries = setup_cfg_install_requires(source.text)
        if entries is None:
            return None
        names = {
            normalise(parsed.name)
            for entry in entries
            if (parsed := parse_requirement(entry)) is not None
        }
        return "setup.cfg install_requires", names
    source = repo.source("setup.py")
    if source is not None and source.text and "install_requires" in source.text:
        listed = setup_py_install_requires(source.text)
        if listed is None:
            return None
        names = {
            normalise(parsed.name)
            for text, _line in listed
            if (parsed := parse_requirement(text)) is not None
        }
        return "setup.py install_requires", names
    return None


class ImportMissingFromPackageMetadata(RepoRule):
    """## What it does
    Reports, in a library, a third-party module that the package's top-level
    `__init__.py` imports unconditionally (so `import <package>` itself fails) while the
    package's metadata does not install it: it is declared
    somewhere (a `requirements.txt`, a dev group, an extra) but not in the runtime
    dependencies that `pip install` of the package installs (`[project] dependencies`,
    Poetry's main dependencies, `install_requires` of setup.cfg or setup.py). Modules
    that a listed dependency always installs count as listed. Optional imports (see
    TF206), feature modules that only importers of an optional stack load, frameworks
    left to users on purpose (torch, TensorFlow, JAX builds), tests, examples, scripts
    and docs are not reported, nor is metadata the rule cannot read as written
    (dynamic, read from a file, computed). One finding per distribution, at its first
    import.

    ## Why is this bad?
    The library works in its own checkout, where the requirements file was installed,
    and fails with `ModuleNotFoundError` for every user who installs it from the index.

    ## Example
    ```python
    # setup.py
    from setuptools import find_packages, setup

    setup(name="churnlib", version="0.3.0", packages=find_packages(), install_requires=["numpy>=1.26"])
    ```
    ```text
    # requirements.txt
    numpy==2.1.0
    pandas==2.2.3
    ```
    ```python
    # churnlib/__init__.py
    import numpy as np
    import pandas as pd
    ```

    ## Use instead
    ```python
    # setup.py
    from setuptools import find_packages, setup

    setup(
        name="churnlib",
        version="0.3.0",
        packages=find_packages(),
        install_requires=["numpy>=1.26", "pandas>=2.2"],
    )
    ```
    """

    code = "TF208"
    depends_on = ("@code", "@manifests")
    name = "import-missing-from-package-metadata"
    factor = 2
    severity = Severity.WARNING
    preview = True
    facts_per_file = True
    roles = frozenset({role.PACKAGE})
    repo_kinds = frozenset({project_kind.LIBRARY})
    summary = "Library module imports a package its install metadata does not list"
    fix = "Add the distribution to the package's runtime dependencies (install_requires / [project] dependencies), or import it optionally."
    facts = ("python-imports",)

    def check(self, repo: Repo) -> Iterator[Violation]:
        collected = repo.facts("python-imports")
        metadata = _runtime_metadata(repo) if collected else None
        if metadata is None:
            return
        where, listed = metadata
        installed = with_requirements(listed)
        projects = _projects(repo)
        declared_anywhere = with_requirements(set(projects[""].names))
        own = _own_modules(repo)
        folders = set(projects) - {""}
        package = (projects[""].own_name or "").replace("-", "_")
        first: dict[str, list[Any]] = {}
        for path in sorted(collected):
            if _owner(path, folders) != "":
                continue  # a sub-project with manifests of its own
            if not package or not path.endswith(f"{package}/__init__.py"):
                # Only what `import <package>` itself runs: a feature module importing
                # an optional stack at its top (`pkg/backends/torch.py`) is imported by
                # those who installed that stack.
                continue
            for module, line, column, _cell, _cell_line in _imports(repo, path, collected[path]):
                known = _third_party(module, own)
                if known is None:
                    continue
                top, names = known
                if top in installed or not names.isdisjoint(installed):
                    continue
                if not names.isdisjoint(_USER_INSTALLED_STACKS):
                    continue  # left to users on purpose (their CUDA build, their version)
                if top not in declared_anywhere and names.isdisjoint(declared_anywhere):
                    continue  # declared nowhere: TF206's finding
                distribution = (distributions_for(module) or (top,))[0]
                if distribution in first:
                    first[distribution][-1] += 1
                else:
                    first[distribution] = [module, path, line, column, 1]
        for distribution, (module, path, line, column, count) in sorted(
            first.items(), key=lambda item: (item[1][1], item[1][2] or 0)
        ):
            also = f" (and {count - 1} more imports in the package)" if count > 1 else ""
            yield Violation(
                f"`{module}` is imported by the package but {where} does not list "
                f"`{distribution}`: `pip install` of the package leaves it out{also}",
                path=path,
                line=line,
                column=column,
            )
