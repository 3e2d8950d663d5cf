"""Fixtures of the template tests: each option combination is generated and synced once."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from template_helpers import generate, run

# Pairwise (all-pairs) cover of ml_framework x serving x experiment_tracking x
# data_versioning x ci x docker x plots, starting from the defaults: every value of every
# option, and every pair of values of any two options, appears in at least one combination.
# Seven rows is the minimum found for 3 x 2^5 with the default row fixed; plots fits in them,
# with plots and MLflow together on a row synced here (not only on a PyTorch one). license and
# dependency_updates (renovate by default, dependabot on a GitHub row, none on another) vary
# along for free.
COMBINATIONS: dict[str, dict[str, Any]] = {
    "default": {},
    "torch-batch-gitlab": {
        "ml_framework": "pytorch",
        "ci": "gitlab",
        "docker": False,
        "plots": False,
        "license": "Apache-2.0",
    },
    "torch-fastapi-mlflow-dvc": {
        "ml_framework": "pytorch",
        "serving": "fastapi",
        "experiment_tracking": "mlflow",
        "data_versioning": "dvc",
        "license": "BSD-3-Clause",
        "dependency_updates": "none",
    },
    "numpy-mlflow-gitlab": {
        "ml_framework": "none",
        "experiment_tracking": "mlflow",
        "ci": "gitlab",
        "docker": False,
        "license": "Proprietary",
    },
    "numpy-dvc-gitlab": {
        "ml_framework": "none",
        "data_versioning": "dvc",
        "ci": "gitlab",
        "plots": False,
    },
    "numpy-fastapi": {
        "ml_framework": "none",
        "serving": "fastapi",
        "docker": False,
        "plots": False,
        "license": "Apache-2.0",
        "dependency_updates": "dependabot",
    },
    "sklearn-fastapi-mlflow-dvc-gitlab": {
        "serving": "fastapi",
        "experiment_tracking": "mlflow",
        "data_versioning": "dvc",
        "ci": "gitlab",
        "docker": False,
        "plots": False,
        "license": "BSD-3-Clause",
    },
}


@dataclass
class Project:
    name: str
    answers: dict[str, Any]
    path: Path
    generate_seconds: float
    sync_seconds: float | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def answer(self, key: str) -> Any:
        defaults = {
            "ml_framework": "scikit-learn",
            "serving": "none",
            "experiment_tracking": "none",
            "data_versioning": "none",
            "ci": "github",
            "docker": True,
            "plots": True,
            "license": "MIT",
            "dependency_updates": "renovate",
        }
        return self.answers.get(key, defaults.get(key))

    @property
    def synced(self) -> bool:
        """pytorch projects are not locked/synced here: uv would fetch torch from its index."""
        return self.answer("ml_framework") != "pytorch"


_PROJECTS: dict[str, Project] = {}


@pytest.fixture(scope="session")
def projects_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("projects")


@pytest.fixture(scope="module", params=sorted(COMBINATIONS))
def project(request: pytest.FixtureRequest, projects_dir: Path) -> Project:
    """A generated project (uv.lock created by the template's task, environment synced)."""
    name = request.param
    if name not in _PROJECTS:
        answers = COMBINATIONS[name]
        synced = answers.get("ml_framework") != "pytorch"
        started = time.perf_counter()
        path = generate(projects_dir / name, answers, lock=synced)
        item = Project(name, answers, path, time.perf_counter() - started)
        if synced:
            started = time.perf_counter()
            result = run(["uv", "sync", "--locked", "--quiet"], cwd=path)
            assert result.returncode == 0, result.stderr
            item.sync_seconds = time.perf_counter() - started
        _PROJECTS[name] = item
    return _PROJECTS[name]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _PROJECTS:
        return
    terminalreporter.section("generated projects (seconds)")
    for item in sorted(_PROJECTS.values(), key=lambda p: p.name):
        sync = f"{item.sync_seconds:.1f}" if item.sync_seconds is not None else "-"
        tests = item.timings.get("pytest")
        terminalreporter.write_line(
            f"{item.name:40} generate+lock {item.generate_seconds:5.1f}  uv sync {sync:>5}"
            f"  pytest {tests:5.1f}"
            if tests is not None
            else f"{item.name:40} generate+lock {item.generate_seconds:5.1f}  uv sync {sync:>5}"
        )
