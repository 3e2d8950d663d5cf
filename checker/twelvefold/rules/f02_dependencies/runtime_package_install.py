"""TF205 runtime-package-install: packages installed at run time (pip install in code or
notebooks)."""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterator
from typing import Any

from twelvefold import kinds
from twelvefold.detectors.module_references import referenced
from twelvefold.lazy_regex import lazy_compile
from twelvefold.manifests import (
    is_lock_file,
    locked_distributions,
    parse_requirement,
    parse_requirements,
)
from twelvefold.model import Finding, Severity, Violation
from twelvefold.pattern_sets import re2_pattern
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.repo import Repo
from twelvefold.rule import FileRule
from twelvefold.rules._pyast import innermost, walk
from twelvefold.rules.f02_dependencies._shared import (
    _RUNNERS,
    _SHELL_INSTALL,
    _TOOLING_FILES,
    _words,
    is_pip_install_call,
)
from twelvefold.sources import SourceFile

_NOTEBOOK_INSTALL = lazy_compile(
    r"^\s*[!%]\s*(?:(?:python3?|\S*/python3?)\s+-m\s+)?(?:pip3?|conda|mamba|micromamba|uv\s+pip|poetry|pipenv)\s+(?:install|add)\b"
)


#: An install of local wheel files with no index to resolve from (`--no-index`).
_OFFLINE_WHEELS = lazy_compile(r"\.whl\b.*\s--no-index\b|\s--no-index\b.*\.whl\b")
#: A cell magic that runs the whole cell in a shell (`%%bash`, `%%sh`, `%%script bash`).
_SHELL_CELL = lazy_compile(r"^\s*%%(?:bash|sh|script\s+(?:ba|z)?sh|system)\b")


#: A call of a runner, or of `pip.main`: what a module must hold before it is parsed
#: (most modules that say `pip install` say it in an error message).
_RUNNER_CALL = lazy_compile(
    # not a definition (`def run(self):`, `def call(self, inputs):` in most large modules)
    rb"(?<!def )\b(?:"
    + b"|".join(name.encode() for name in sorted(_RUNNERS | {"main"}))
    + rb")\s*\("
)


#: The text every install `_is_pip_install_call` reports is written with: `pip` (or
#: `pip3`, `/usr/bin/pip`) then `install`, with nothing but quotes, commas, spaces,
#: line continuations, string prefixes and comments between (`"pip install x"`,
#: `[sys.executable, "-m", "pip", "install", x]`, `"pip " "install"`), or `pip.main` and
#: pip's internal entry point. Modules that only say "pip install x" in an error message
#: still pass; most modules that name pip and run a subprocess do not.
_PIP_THEN_INSTALL_PATTERN = (
    rb"pip3?(?:[ \t\n\r\f\v,\"'\\]|#[^\n]*|[rRuUbBfF]{1,2}[\"'])*install|pip\.main|pip\._internal"
)
_PIP_THEN_INSTALL = lazy_compile(_PIP_THEN_INSTALL_PATTERN)


def _may_call_pip_install(data: bytes) -> bool:
    """`_PIP_THEN_INSTALL` in `data`, by RE2 where installed (linear: a module that says
    `pip` in many messages costs Python's engine a retry at each)."""
    compiled = re2_pattern(_PIP_THEN_INSTALL_PATTERN)
    return bool((compiled or _PIP_THEN_INSTALL).search(data))


class RuntimePackageInstall(FileRule):
    """## What it does
    Reports packages installed while the code runs: `!pip install` / `%pip install` /
    `!conda install` in notebook cells (and `pip install` inside `%%bash` cells), and `subprocess`/`os.system` calls that run
    `pip install` (including `[sys.executable, "-m", "pip", "install", ...]`) or
    `pip.main(["install", ...])` in Python code: once per function (the branches of
    one installer are one fix), at its first install.

    Build and task files (`setup.py`, `noxfile.py`, `tasks.py`) and test code (which may
    build throwaway environments) are not checked, nor are strings that merely mention
    `pip install` (error messages, docs). A notebook is reported once, at its first
    install, and only in an application (kind `application`): a demo, course or research
    notebook opened in Colab installs what it needs in its first cell, which is how it
    runs. For the same reason a notebook written for Colab (Colab's metadata, an "Open in
    Colab" link, an import of `google.colab`) is not reported in an application either,
    nor an install of local wheel files with `--no-index` (a Kaggle kernel installing
    the pinned wheels attached to it: nothing is resolved, nothing downloaded).
    Examples, docs and benchmarks are not checked. Nor is an install in an `except
    ImportError:` branch of a helper that no other file imports or runs (a download
    script run by hand) of packages the project's requirements pin or its lock file locks
    (`kaggle` under `kaggle==1.6.6`), at no other version: an environment built from them
    holds the package, so the branch never runs there. The same fallback in a module the
    product imports or runs is reported: it installs where the product runs.

    ## Why is this bad?
    The environment then depends on when and where the code ran: versions are not pinned
    or locked, installs fail offline or behind a proxy in production, and a notebook
    that "works" cannot be reproduced from the manifest.

    ## Example
    A notebook cell and a training script that install packages as they run:
    ```python
    # notebooks/churn_model.ipynb
    !pip install xgboost
    import xgboost as xgb
    ```
    ```python
    # src/churn/train.py
    import subprocess
    import sys

    subprocess.check_call([sys.executable, "-m", "pip", "install", "lightgbm"])
    import lightgbm as lgb
    ```

    ## Use instead
    Declare `xgboost` and `lightgbm` in the manifest, lock them, and install the
    environment before running (`uv sync`); select that environment as the notebook's
    kernel:
    ```toml
    # pyproject.toml
    [project]
    name = "churn-model"
    requires-python = ">=3.11"
    dependencies = ["lightgbm>=4.5", "xgboost>=2.1"]
    ```
    ```python
    # notebooks/churn_model.ipynb
    import xgboost as xgb
    ```
    ```python
    # src/churn/train.py
    import lightgbm as lgb
    ```
    """

    code = "TF205"
    name = "runtime-package-install"
    factor = 2
    severity = Severity.WARNING
    roles = frozenset({role.PACKAGE, role.SCRIPT, role.NOTEBOOK})
    summary = "Packages installed at run time (pip install in code or notebooks)"
    fix = (
        "Declare the package in the manifest, lock it, and install the environment before running."
    )
    kinds = frozenset({kinds.PYTHON, kinds.NOTEBOOK})
    prefilter = b"install"

    def check(self, file: SourceFile) -> Iterator[Violation]:
        name = posixpath.basename(file.path)
        if name in _TOOLING_FILES or kinds.is_test_path(file.path):
            return
        if file.kind == kinds.NOTEBOOK:
            notebook = file.notebook
            if (
                file.repo_kind == project_kind.APPLICATION
                and notebook is not None
                and not notebook.made_for_colab
            ):
                yield from self._notebook(notebook)
            return
        python = file.python
        if (
            python is None
            or b"pip" not in file.data
            or not _may_call_pip_install(file.data)
            or not _RUNNER_CALL.search(file.data)
        ):
            return  # no text an install call could be written with: no parse
        tree = python.tree
        if tree is None:
            return
        # One report per function: the branches of one installer (`pip install x==v` /
        # `pip install x`) are fixed together. Module-level installs are each reported.
        functions: list[ast.AST] = [
            node
            for node in walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        ]
        groups: dict[int, list[ast.Call]] = {}
        script = file.role == role.SCRIPT
        for node in walk(tree):
            if isinstance(node, ast.Call) and is_pip_install_call(node):
                if script and _installs_the_manifest(node):
                    continue  # a maintainer's script (re)installing the declared environment
                scope = innermost(functions, node)
                groups.setdefault(id(scope if scope is not None else node), []).append(node)
        for calls in groups.values():
            node = min(calls, key=lambda call: (call.lineno, call.col_offset))
            more = f" (and {len(calls) - 1} more in the same function)" if len(calls) > 1 else ""
            where = python.loc(node.lineno)
            yield Violation(
                f"`pip install` run from code{more}",
                line=where.line,
                column=node.col_offset + 1,
                cell=where.cell,
                cell_line=where.cell_line,
            )

    def group(self, findings: list[Finding], repo: Repo) -> list[Finding]:
        """Drops the installs that only stand in for a pinned package when its import
        fails (`_pinned_fallback`): the manifests are read here, once per repository."""
        candidates = [f for f in findings if f.path and f.path.endswith(".py") and f.line]
        if not candidates:
            return findings
        pins = repo.derived(_pinned_versions)
        if not pins:
            return findings
        fallbacks = [
            finding
            for finding in candidates
            if _pinned_fallback(repo.source(finding.path or ""), finding.line or 0, pins)
        ]
        if not fallbacks:
            return findings
        # Only in a helper run by hand: the product's own fallback (an API installing
        # its framework when the import fails) still installs at run time where it runs.
        used = referenced(repo, {finding.path or "" for finding in fallbacks})
        dropped = {id(finding) for finding in fallbacks if finding.path not in used}
        return [finding for finding in findings if id(finding) not in dropped]

    @staticmethod
    def _notebook(notebook: Any) -> Iterator[Violation]:
        installs: list[tuple[Any, int, str]] = []
        for cell in notebook.code_cells:
            shell_cell = bool(cell.lines) and bool(_SHELL_CELL.match(cell.lines[0]))
            for number, line in enumerate(cell.lines, start=1):
                if _OFFLINE_WHEELS.search(line):
                    # `pip install /kaggle/input/deps/*.whl --no-index`: wheels built from
                    # the pinned requirements, installed offline (a Kaggle code
                    # competition's kernel has no internet): nothing is resolved.
                    continue
                if _NOTEBOOK_INSTALL.match(line) or (
                    shell_cell and number > 1 and _SHELL_INSTALL.search(line.split("#", 1)[0])
                ):
                    installs.append((cell, number, line.strip()[:80]))
        if not installs:
            return
        cell, number, text = installs[0]
        more = f" (and {len(installs) - 1} more install lines)" if len(installs) > 1 else ""
        yield Violation(
            f"package installed from a notebook cell: `{text}`{more}",
            line=cell.file_lines[number - 1],
            cell=cell.index,
            cell_line=number,
        )


#: Options of `pip install` that take no value and choose no package.
_INSTALL_SWITCHES = frozenset(
    {"-q", "--quiet", "-U", "--upgrade", "--no-cache-dir", "--user", "-v", "--verbose"}
)


def _install_arguments(call: ast.Call) -> list[str]:
    """The words after `install` in a pip call's command, the harmless switches (`-q`,
    `-U`, `--user`...) left out; empty when the command is not literal text."""
    words = _words(call.args[0]) if call.args else []
    if len(words) == 1:
        words = words[0].split()
    if "install" not in words:
        return []
    return [word for word in words[words.index("install") + 1 :] if word not in _INSTALL_SWITCHES]


def _installs_the_manifest(node: ast.Call) -> bool:
    """`pip install -r requirements.txt` or `pip install -e .`, nothing else: the
    project's declared environment, (re)installed (a `scripts/update_dependencies.py`
    restoring a backup), not a package the manifest lacks."""
    rest = _install_arguments(node)
    if not rest:
        return False
    index = 0
    while index < len(rest):
        if rest[index] in ("-r", "--requirement", "-e", "--editable") and index + 1 < len(rest):
            if rest[index] in ("-e", "--editable") and rest[index + 1] not in (".", "./"):
                return False
            index += 2
        elif rest[index] in (".", "./"):
            index += 1
        else:
            return False
    return True


#: What an import failing raises: the handler a fallback install sits in.
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})


def _pinned_versions(repo: Repo) -> dict[str, frozenset[str | None]]:
    """Distribution -> the versions the project's requirements files pin it at (`==`),
    with None for a lock file's (whose version is not read here)."""
    pins: dict[str, set[str | None]] = {}
    for entry in repo.of_kind(kinds.REQUIREMENTS):
        source = repo.source(entry.path)
        if source is None or source.text is None:
            continue
        for requirement in parse_requirements(source.text)[0]:
            exact = requirement.text.partition(";")[0].partition("==")[2].strip()
            if requirement.pinned and exact:
                pins.setdefault(requirement.name, set()).add(exact)
    for entry in repo.files:
        if is_lock_file(entry.path):
            source = repo.source(entry.path)
            if source is not None and source.text is not None:
                for name in locked_distributions(entry.path, source.text):
                    pins.setdefault(name, set()).add(None)
    return {name: frozenset(versions) for name, versions in pins.items()}


def _pinned_fallback(
    source: SourceFile | None, line: int, pins: dict[str, frozenset[str | None]]
) -> bool:
    """Whether every install of the function reported at `line` sits in an `except
    ImportError:` branch and installs only packages `pins` holds, each by its bare name
    or at a version pinned (ARD-IN's download helper: `import kaggle` failing installs
    `kaggle`, which requirements.txt pins)."""
    python = source.python if source is not None else None
    tree = python.tree if python is not None else None
    if tree is None:
        return False
    handled: set[int] = set()
    functions: list[ast.AST] = []
    calls: list[ast.Call] = []
    for node in walk(tree):
        if isinstance(node, ast.ExceptHandler) and _catches_import_error(node.type):
            handled.update(id(inner) for statement in node.body for inner in ast.walk(statement))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            functions.append(node)
        elif isinstance(node, ast.Call) and is_pip_install_call(node):
            calls.append(node)
    reported = [call for call in calls if call.lineno == line]
    if not reported:
        return False
    scope = innermost(functions, reported[0])
    group = [call for call in calls if innermost(functions, call) is scope] if scope else reported
    return all(id(call) in handled and _installs_pinned(call, pins) for call in group)


def _catches_import_error(handler_type: ast.expr | None) -> bool:
    names = handler_type.elts if isinstance(handler_type, ast.Tuple) else [handler_type]
    return any(isinstance(name, ast.Name) and name.id in _IMPORT_ERRORS for name in names)


def _installs_pinned(call: ast.Call, pins: dict[str, frozenset[str | None]]) -> bool:
    """Whether the call installs named packages only, each held by `pins` (bare, or at a
    version `pins` has), with no option but the harmless ones (`-q`, `--user`...)."""
    specs = _install_arguments(call)
    if not specs:
        return False
    for spec in specs:
        requirement = parse_requirement(spec) if spec and not spec.startswith("-") else None
        if requirement is None or requirement.name not in pins:
            return False
        bare = not any(operator in spec for operator in "<>=!~@")
        pinned_here = spec.partition("==")[2].strip() in pins[requirement.name]
        if spec != spec.strip() or not (bare or pinned_here):
            return False
    return True
