"""TF1101 notebook-run-by-code: production code imports or executes a notebook."""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterator

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Severity, Violation
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.rule import FileRule
from twelvefold.rules._pyast import (
    constant_str,
    dotted,
    walk,
)
from twelvefold.sources import SourceFile

_NOTEBOOK_RUNNERS = {
    "papermill": "papermill executes notebooks",
    "nbclient": "nbclient executes notebooks",
    "import_ipynb": "import_ipynb imports notebooks as modules",
    "ipynb": "the ipynb package imports notebooks as modules",
    "nbimporter": "nbimporter imports notebooks as modules",
}


_RUN_MAGIC = lazy_compile(r"^\s*(?:#\s*MAGIC\s+)?%run\s+(\S+\.ipynb)\b")


_EXECUTE_COMMAND = lazy_compile(
    r"\bjupyter\s+(?:nbconvert|execute)\b[^\n]*(?:--execute|execute)|\bpapermill\s+\S+\.ipynb"
)


_TOOLING = frozenset({"noxfile.py", "tasks.py", "conftest.py", "setup.py", "conf.py", "dodo.py"})


class NotebookRunByCode(FileRule):
    """## What it does
    Reports Python modules that import or execute notebooks: `papermill`, `nbclient`,
    nbconvert's `ExecutePreprocessor`, `jupyter nbconvert --execute` run through
    `subprocess`, `import_ipynb`/`ipynb.fs`/`nbimporter`, and `%run other.ipynb`
    (including `get_ipython().run_line_magic("run", ...)`). A runner the module calls is
    reported where it executes the notebook (`pm.execute_notebook(...)`), with the import
    as the related location; one only imported is reported at the import.

    Not reported: notebooks that `%run` other notebooks (exploration), tests (e.g.
    testbook, nbmake) and CI's own scripts (a workflow's notebook runner), build and
    docs tooling (`noxfile.py`, `docs/conf.py`, and in a
    library any module outside its package: shap's `scripts/run_notebooks_timeouts.py`
    checks in CI that its documentation notebooks still run), a library's own module
    importing a runner (a helper that executes its users' notebooks, as recommenders'
    `execute_notebook` does; `%run` of a notebook and a `jupyter nbconvert --execute`
    command of its own are still reported), a script (`scripts/run_notebooks.py`)
    re-running notebooks with `jupyter nbconvert --execute --inplace`, which refreshes the
    outputs they are read with, and nbformat/nbconvert used to read or export notebooks
    without running them.

    ## Why is this bad?
    A notebook is not a module: it has hidden state, no interface, no tests and no
    review-friendly diff. Production code that runs one inherits all of that, and a
    refactoring in the notebook silently changes the pipeline.

    ## Example
    ```python
    # src/churn/pipeline.py
    import papermill as pm

    pm.execute_notebook("notebooks/train.ipynb", "out.ipynb", parameters={"lr": 0.01})
    ```

    ## Use instead
    Move the code into a module (`src/churn/train.py`) with a function the pipeline
    calls, and keep the notebook for exploration, importing that module:
    ```python
    # src/churn/pipeline.py
    from churn.train import train

    train(lr=0.01)
    ```
    """

    code = "TF1101"
    # CI's own scripts run notebooks to test them (pinecone-io/examples' `run-notebook`
    # action): no production code runs them.
    roles = role.IN_USE - {role.CI}
    name = "notebook-run-by-code"
    factor = 11
    severity = Severity.WARNING
    summary = "Production code imports or executes a notebook"
    fix = "Move the notebook's code into a module with a function the pipeline calls; keep notebooks for exploration."
    kinds = frozenset({kinds.PYTHON})
    prefilter = lazy_compile(rb"papermill|nbclient|ExecutePreprocessor|ipynb|nbimporter|nbconvert")

    def check(self, file: SourceFile) -> Iterator[Violation]:
        name = posixpath.basename(file.path)
        if (
            kinds.is_test_path(file.path)
            or name in _TOOLING
            or file.path.split("/")[0] in ("docs", "doc")
            or (file.repo_kind == project_kind.LIBRARY and file.role != role.PACKAGE)
        ):
            return
        python = file.python
        tree = python.tree if python is not None else None
        if tree is None:
            for number, line in enumerate(file.lines, start=1):
                match = _RUN_MAGIC.match(line)
                if match:
                    yield Violation(
                        f"`%run {match.group(1)}` runs a notebook from a module", line=number
                    )
            return
        executions = _first_executions(tree)
        runners: set[str] = set()  # one finding per runner (`nbclient`, `nbclient.exceptions`)
        # A library's own module that imports a runner offers notebook execution to its
        # users (recommenders' `execute_notebook(input_notebook, ...)`, which its tests run
        # the examples with): a feature, not a pipeline running a notebook of its own.
        library = file.repo_kind == project_kind.LIBRARY
        for node in walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and not library:
                modules = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                for module in modules:
                    top = module.split(".")[0]
                    if (
                        top in _NOTEBOOK_RUNNERS
                        and (top != "ipynb" or module.startswith("ipynb.fs"))
                        and top not in runners
                    ):
                        runners.add(top)
                        yield _at_execution(
                            f"imports `{module}`: {_NOTEBOOK_RUNNERS[top]}",
                            node,
                            executions.get(top),
                        )
                    if isinstance(node, ast.ImportFrom) and any(
                        a.name == "ExecutePreprocessor" for a in node.names
                    ):
                        yield _at_execution(
                            "imports nbconvert's `ExecutePreprocessor`, which executes notebooks",
                            node,
                            executions.get("ExecutePreprocessor"),
                        )
            elif isinstance(node, ast.Call):
                yield from self._call(node, script=file.role == role.SCRIPT)
        for number, line in enumerate(file.lines, start=1):
            match = _RUN_MAGIC.match(line)
            if match:
                yield Violation(
                    f"`%run {match.group(1)}` runs a notebook from a module", line=number
                )

    def _call(self, node: ast.Call, *, script: bool) -> Iterator[Violation]:
        name = dotted(node.func)
        if (
            name.endswith("run_line_magic")
            and len(node.args) >= 2
            and constant_str(node.args[0]) == "run"
        ):
            target = constant_str(node.args[1]) or ""
            if ".ipynb" in target:
                yield Violation(f"`%run {target}` runs a notebook from a module", line=node.lineno)
            return
        for argument in node.args[:1]:
            words: list[str] = []
            if constant_str(argument) is not None:
                words = [str(constant_str(argument))]
            elif isinstance(argument, (ast.List, ast.Tuple)):
                words = [
                    " ".join(
                        str(constant_str(e)) for e in argument.elts if constant_str(e) is not None
                    )
                ]
            for text in words:
                if _EXECUTE_COMMAND.search(text):
                    if script and "--inplace" in text:
                        continue  # a script refreshing the notebooks' own outputs
                    yield Violation(f"runs `{text[:70]}`: executes a notebook", line=node.lineno)


# The calls that run a notebook, by the import that provides them: the finding goes where
# the notebook is executed (what a reviewer changes), the import is the related place.
_EXECUTION_CALLS = {
    "papermill": frozenset({"execute_notebook"}),
    "nbclient": frozenset({"execute", "NotebookClient"}),
    "ExecutePreprocessor": frozenset({"preprocess", "ExecutePreprocessor"}),
}


def _first_executions(tree: ast.Module) -> dict[str, ast.Call]:
    """The first call of each runner's execution API, in source order."""
    first: dict[str, ast.Call] = {}
    for node in walk(tree):
        if isinstance(node, ast.Call):
            last = dotted(node.func).rpartition(".")[2]
            for runner, calls in _EXECUTION_CALLS.items():
                if last in calls:
                    known = first.get(runner)
                    if known is None or node.lineno < known.lineno:
                        first[runner] = node
    return first


def _at_execution(message: str, imported: ast.stmt, execution: ast.Call | None) -> Violation:
    if execution is None:
        return Violation(message, line=imported.lineno)
    call = dotted(execution.func) or "the call"
    return Violation(
        f"`{call}(...)` executes a notebook: {message} (see line {imported.lineno})",
        line=execution.lineno,
        column=execution.col_offset + 1,
        related=((imported.lineno, "the notebook runner is imported here"),),
    )
