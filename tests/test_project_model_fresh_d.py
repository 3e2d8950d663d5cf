"""The project model on the look-alikes of the fresh-2026-12-05-d held-out judging.

A course whose lessons are folders numbered after a letter (`s1_...` to `s10_...`) with
exercise snippets under `exercise_files/`, and a paper's training code whose entry is an
argparse `main.py`: small self-written trees shaped like the judged repositories, and the
applications they must not be mistaken for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from twelvefold.discovery import discover
from twelvefold.project import build_model
from twelvefold.project.roles import role_from_path

from tests.helpers import make_repo

CLASSIFIERS = 'classifiers = ["Programming Language :: Python :: 3"]\n'
PYPROJECT = '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.11"\n'
TRAINING_MAIN = (
    "import argparse\n\nimport torch\n\nfrom engine import train_one_epoch\n\n"
    "def main(args):\n    train_one_epoch(args)\n\n"
    "if __name__ == '__main__':\n"
    "    parser = argparse.ArgumentParser()\n"
    "    parser.add_argument('--epochs', type=int, default=300)\n"
    "    main(parser.parse_args())\n"
)


def kind_of(root: Path) -> str:
    return build_model(root, discover(root, None).files).kind


def course_tree() -> dict[str, str]:
    """Lessons `s1_...` to `s10_...`, each a page and exercise snippets, a docs site,
    and a pyproject whose classifiers alone would say library."""
    files = {
        "mkdocs.yml": "site_name: a course\n",
        "pages/overview.md": "# Overview\n",
        "pyproject.toml": PYPROJECT + CLASSIFIERS,
    }
    for number, topic in [(1, "setup"), (2, "version_control"), (7, "deployment"), (10, "extra")]:
        lesson = f"s{number}_{topic}"
        files[f"{lesson}/README.md"] = f"# {topic}\n"
        files[f"{lesson}/exercise_files/{topic}_solution.py"] = "print('hello')\n"
    return files


def test_lessons_numbered_after_a_letter_make_a_course(tmp_path: Path) -> None:
    assert kind_of(make_repo(tmp_path / "repo", course_tree())) == "course"


def test_lessons_numbered_after_a_letter_and_a_dash_make_a_course(tmp_path: Path) -> None:
    files = {f"m{n}-{topic}/notes.md": "" for n, topic in [(1, "intro"), (2, "data"), (3, "ops")]}
    files["m2-data/exercises/load.py"] = "import pandas\n"
    assert kind_of(make_repo(tmp_path / "repo", files)) == "course"


@pytest.mark.parametrize(
    "path",
    [
        "s7_deployment/exercise_files/serve.py",
        "s7_deployment/exercise_files/Dockerfile",
        "week_2/exercises/train.py",
        "03-monitoring/solutions/drift.py",
        "cohorts/2023/homework/batch.py",
    ],
)
def test_files_in_teaching_folders_are_examples(path: str) -> None:
    kind = "python" if path.endswith(".py") else "dockerfile"
    assert role_from_path(path, kind) == "example"


def test_exercise_files_of_a_course_are_examples_in_the_model(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", course_tree())
    model = build_model(root, discover(root, None).files)
    assert model.role("s7_deployment/exercise_files/deployment_solution.py") == "example"
    assert model.role("s7_deployment/README.md") != "example"


@pytest.mark.parametrize(
    "path",
    ["src/exercises.py", "app/solutions.py", "app/homework_grader.py", "src/shop/exercise.py"],
)
def test_teaching_module_names_stay_package_code(path: str) -> None:
    assert role_from_path(path, "python") == "package"


APPLICATION = {
    "pyproject.toml": PYPROJECT,
    "Dockerfile": "FROM python:3.12\n",
    "app/__init__.py": "",
    "app/serve.py": "from fastapi import FastAPI\n",
}


@pytest.mark.parametrize(
    "extra",
    [
        # One folder that starts like a lesson: an S3 helper, not a course.
        {"s3_bucket/upload.py": "import boto3\n"},
        # Several, but all numbered 3: still one service's helpers.
        {f"s3_{name}/x.py": "" for name in ("bucket", "sync", "events")},
        # Versions of an API, not lessons.
        {f"v{n}_api/routes.py": "" for n in (1, 2, 3)},
    ],
)
def test_an_application_with_lesson_like_folders_stays_an_application(
    tmp_path: Path, extra: dict[str, str]
) -> None:
    assert kind_of(make_repo(tmp_path / "repo", {**APPLICATION, **extra})) == "application"


def test_an_application_with_a_solutions_module_stays_an_application(tmp_path: Path) -> None:
    files = {**APPLICATION, "app/solutions.py": "def solve(): ...\n"}
    root = make_repo(tmp_path / "repo", files)
    model = build_model(root, discover(root, None).files)
    assert model.kind == "application" and model.role("app/solutions.py") == "package"


def paper_tree() -> dict[str, str]:
    """A paper's training code: an argparse `main.py`, model and engine modules, a torch
    hub entry, per-paper READMEs; no packaging, container, CI or tests."""
    return {
        "main.py": TRAINING_MAIN,
        "engine.py": "def train_one_epoch(args): ...\n",
        "models.py": "import torch\n",
        "datasets.py": "import torchvision\n",
        "losses.py": "import torch\n",
        "hubconf.py": "from models import *\n",
        "run_with_submitit.py": "import submitit\n",
        "README.md": "# A paper\n\n`python main.py --epochs 300`\n",
        "README_followup.md": "# A follow-up paper\n",
        "requirements.txt": "torch\ntimm\n",
    }


def test_a_papers_training_code_with_main_py_is_research(tmp_path: Path) -> None:
    assert kind_of(make_repo(tmp_path / "repo", paper_tree())) == "research"


@pytest.mark.parametrize(
    "main",
    [
        "from fastapi import FastAPI\n\napp = FastAPI()\n",
        "import uvicorn\n\nfrom api import app\n\nuvicorn.run(app)\n",
        "import streamlit as st\n\nst.title('demo')\n",
        "from flask import Flask\n\napp = Flask(__name__)\n",
    ],
)
def test_a_main_py_that_serves_still_makes_an_application(tmp_path: Path, main: str) -> None:
    files = {
        "main.py": main,
        "model.py": "import joblib\n",
        "predict.py": "import numpy\n",
        "features.py": "import pandas\n",
        "requirements.txt": "fastapi==0.115.0\n",
    }
    assert kind_of(make_repo(tmp_path / "repo", files)) == "application"
