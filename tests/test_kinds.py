"""File kinds come from names alone; look-alike names must not be misread."""

from __future__ import annotations

import pytest
from twelvefold import kinds
from twelvefold.kinds import classify


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("Dockerfile", kinds.DOCKERFILE),
        ("docker/Dockerfile.gpu", kinds.DOCKERFILE),
        ("train.Dockerfile", kinds.DOCKERFILE),
        ("Containerfile", kinds.DOCKERFILE),
        ("checker/detectors/dockerfile.py", kinds.PYTHON),
        ("Dockerfile.md", kinds.DOCS),
        ("pyproject.toml", kinds.PYPROJECT),
        ("requirements-dev.txt", kinds.REQUIREMENTS),
        ("requirements/base.in", kinds.REQUIREMENTS),
        ("constraints.txt", kinds.REQUIREMENTS),
        ("notes.txt", kinds.TEXT),
        (".env", kinds.DOTENV),
        (".env.production", kinds.DOTENV),
        ("deploy/prod.env", kinds.DOTENV),
        (".envrc", kinds.OTHER),
        ("eda.ipynb", kinds.NOTEBOOK),
        ("data/train.parquet", kinds.DATA),
        (".github/workflows/ci.yml", kinds.YAML),
        ("Makefile", kinds.MAKEFILE),
    ],
)
def test_classify(path: str, kind: str) -> None:
    assert classify(path) == kind


@pytest.mark.parametrize(
    ("name", "template"),
    [
        (".env.example", True),
        (".env.sample", True),
        (".env.example.jinja", True),
        (".env", False),
        (".env.prod", False),
    ],
)
def test_dotenv_templates(name: str, template: bool) -> None:
    assert kinds.is_dotenv_template(name) is template
