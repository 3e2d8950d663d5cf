"""When an application's notebooks are pipeline steps rather than exploration.

A notebook in a repository that is only notebooks (a Kaggle solution, an analysis) is
the exploration itself: its literal paths and parameters are how it is read. A notebook
beside the application's own package (`src/churn/__init__.py`) is run by that
application (papermill, a scheduled job) or is where its model is trained: the same
code in a module would be reported, so it is reported in the notebook too. Unless the
package's modules do it themselves (`prototypes_of_modules`): then the notebooks are
where that code was tried before it moved into the package, and the finding belongs
where the product runs it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from twelvefold import kinds
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role

if TYPE_CHECKING:
    from twelvefold.repo import Repo


def notebooks_are_pipeline_steps(repo: Repo) -> bool:
    """An application with a package of its own (an `__init__.py` of the package role
    outside tests), so that its notebooks are held to what its modules are."""
    return repo.model.kind == project_kind.APPLICATION and repo.derived(_has_package)


def _has_package(repo: Repo) -> bool:
    return any(
        not kinds.is_test_path(entry.path) and repo.model.role(entry.path) == role.PACKAGE
        for entry in repo.named("__init__.py")
    )


def has_own_modules(repo: Repo) -> bool:
    """The project has Python modules of its own (the package role, outside tests):
    its notebooks are then the exploration and the demos around that code, and what the
    project's manifest must declare is what those modules import. In a notebook-only
    repository (a Kaggle solution, an analysis) the notebooks are the code."""
    return repo.derived(_has_own_modules)


def _has_own_modules(repo: Repo) -> bool:
    return any(
        entry.path.endswith(".py")
        and not kinds.is_test_path(entry.path)
        and repo.model.role(entry.path) == role.PACKAGE
        for entry in repo.of_kind(kinds.PYTHON)
    )


#: Roles of the modules a prototype notebook's code moves into: the package, or the
#: scripts an orchestrator runs (an Airflow project's `dags/scripts/model_trainer.py`).
_RUN_CODE = frozenset({role.PACKAGE, role.SCRIPT})


def notebook_prototypes(repo: Repo, reported: Iterable[str]) -> set[str]:
    """The notebooks among the paths a rule `reported` that are prototypes of the
    package: exploration notebooks (role `notebook`, not examples or docs), when a
    Python module of the package (or a script) is reported too (`notebook/2. MODEL TRAINING.ipynb`
    beside `src/components/model_trainer.py`). One cause, reported once, in the code
    that runs."""
    paths = list(reported)
    if not any(path.endswith(".py") and repo.model.role(path) in _RUN_CODE for path in paths):
        return set()
    return {
        path for path in paths if path.endswith(".ipynb") and repo.model.role(path) == role.NOTEBOOK
    }
