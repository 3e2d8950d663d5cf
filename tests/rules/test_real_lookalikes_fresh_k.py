"""Look-alikes from the eleventh fresh held-out set (fresh-2026-12-05-k), self-written."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import inferred_kind, make_repo

_README = (
    "# Hyena Hierarchy\n\nCode for the paper https://arxiv.org/abs/2302.10866\n\n"
    "```\npython -m train experiment=wt103/hyena\n```\n"
)


def test_a_large_papers_code_base_that_ships_nothing_is_research(tmp_path: Path) -> None:
    files = {"README.md": _README, "train.py": "import hydra\nimport src.models\n"}
    files.update({f"src/models/layer_{i}.py": "import torch\n" for i in range(80)})
    files["src/models/__init__.py"] = ""
    assert inferred_kind(make_repo(tmp_path / "paper", files)) == "research"
    shipped = {**files, ".github/workflows/ci.yml": "on: push\njobs: {}\n"}
    assert inferred_kind(make_repo(tmp_path / "shipped", shipped)) == "application"
