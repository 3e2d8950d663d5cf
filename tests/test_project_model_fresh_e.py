"""The project model on the look-alikes of the fresh-2026-12-05-e held-out judging.

A library whose README installs its own distribution (poetry metadata without
classifiers, and a Dockerfile for its developers), a paper's training scripts importing
its model's package folder, a Kaggle competition's solution replayed in a Dockerfile, and
a three-file web service: small self-written trees shaped like the judged repositories,
and the look-alikes of the other kind they must not be mistaken for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from twelvefold.discovery import discover
from twelvefold.project import build_model

from tests.helpers import make_repo

POETRY = (
    '[tool.poetry]\nname = "torch_widgets"\nversion = "2.1.0"\n'
    'description = "Widgets for PyTorch"\n\n'
    '[tool.poetry.dependencies]\npython = ">=3.9"\ntorch = ">=1.3"\n\n'
    '[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n'
)
DEV_IMAGE = 'FROM python:3.11-slim\nRUN pip install poetry\nCMD ["bash", "-l"]\n'
TRAINING_SCRIPT = (
    "import argparse\n\nimport torch\n\nimport widgetnet.builder\nimport widgetnet.loader\n\n"
    "def main():\n    parser = argparse.ArgumentParser()\n"
    "    parser.add_argument('--epochs', type=int, default=100)\n    parser.parse_args()\n\n"
    "if __name__ == '__main__':\n    main()\n"
)
PAPER_README = (
    "# WidgetNet: learning widgets\n\n"
    "A PyTorch implementation of the [WidgetNet paper](https://arxiv.org/abs/2101.00001).\n\n"
    "```\npython main_widgetnet.py -a resnet50 --epochs 100 /path/to/imagenet\n```\n"
)


def kind_of(root: Path) -> str:
    return build_model(root, discover(root, None).files).kind


# A library: poetry metadata without classifiers, a README that installs it from PyPI.


def library_tree(readme: str) -> dict[str, str]:
    return {
        "pyproject.toml": POETRY,
        "Dockerfile": DEV_IMAGE,
        "Makefile": "test:\n\tpytest\n",
        "README.md": readme,
        "torch_widgets/__init__.py": "",
        "torch_widgets/model.py": "import torch\n",
        "torch_widgets/utils.py": "import numpy\n",
        "tests/test_model.py": "def test_x():\n    pass\n",
    }


@pytest.mark.parametrize(
    "readme",
    [
        "# Widgets\n\n## Installation\n\n```sh\npip install torch-widgets\n```\n",
        "# Widgets\n\n```\npip install -U torch_widgets[extra]>=2\n```\n",
        "# Widgets\n\n[![PyPI](https://badge.fury.io/py/torch-widgets.svg)]"
        "(https://badge.fury.io/py/torch-widgets)\n",
    ],
    ids=["pip-install", "pip-install-upgrade-extra", "pypi-badge"],
)
def test_a_readme_installing_its_own_distribution_makes_a_library(
    tmp_path: Path, readme: str
) -> None:
    assert kind_of(make_repo(tmp_path / "repo", library_tree(readme))) == "library"


@pytest.mark.parametrize(
    "readme",
    [
        # Installs itself from the checkout: a developer's setup, not a user's.
        "# Widgets service\n\n```\npip install -e .\ndocker build -t widgets .\n```\n",
        # Installs someone else's distribution.
        "# Widgets service\n\n```\npip install torch fastapi\n```\n",
        "# Widgets service\n\nSee https://pypi.org/project/pip-audit for the audit.\n",
    ],
    ids=["pip-install-editable", "installs-others", "others-pypi-page"],
)
def test_an_application_with_a_dockerfile_stays_an_application(tmp_path: Path, readme: str) -> None:
    files = library_tree(readme)
    files["Dockerfile"] = 'FROM python:3.11-slim\nCOPY . .\nCMD ["python", "-m", "torch_widgets"]\n'
    assert kind_of(make_repo(tmp_path / "repo", files)) == "application"


# A paper's release: root training scripts importing the model's package folder.


def paper_tree() -> dict[str, str]:
    return {
        "README.md": PAPER_README,
        "CONTRIBUTING.md": "# Contributing\n",
        "main_widgetnet.py": TRAINING_SCRIPT,
        "main_lincls.py": TRAINING_SCRIPT,
        "widgetnet/__init__.py": "",
        "widgetnet/builder.py": "import torch.nn as nn\n",
        "widgetnet/loader.py": "from PIL import ImageFilter\n",
    }


def test_a_papers_scripts_importing_its_package_folder_are_research(tmp_path: Path) -> None:
    assert kind_of(make_repo(tmp_path / "repo", paper_tree())) == "research"


@pytest.mark.parametrize(
    "extra",
    [
        # a test suite (one or two modules run by hand are not one: co-tracker)
        {f"tests/test_{n}.py": "def test_x():\n    pass\n" for n in ("builder", "loader", "eval")},
        {".github/workflows/ci.yml": "on: push\njobs: {}\n"},
        {"Dockerfile": "FROM python:3.11\nCOPY . .\n"},
    ],
    ids=["tests", "ci", "dockerfile"],
)
def test_a_package_with_tests_ci_or_an_image_stays_an_application(
    tmp_path: Path, extra: dict[str, str]
) -> None:
    assert kind_of(make_repo(tmp_path / "repo", {**paper_tree(), **extra})) == "application"


def test_a_package_folder_without_a_paper_stays_an_application(tmp_path: Path) -> None:
    # (With development tooling: package folders nothing builds, tests or ships, and no
    # tooling, are scripts run by hand, research whatever the README says.)
    files = {**paper_tree(), "README.md": "# Widgets\n\nRun `python main_widgetnet.py`.\n"}
    files["requirements-dev.txt"] = "pytest==8.3.3\n"
    assert kind_of(make_repo(tmp_path / "repo", files)) == "application"


# A Kaggle competition's solution, replayed in a Dockerfile.


def competition_tree(readme: str) -> dict[str, str]:
    files = {
        "README.md": readme,
        "Dockerfile": "FROM pytorch/pytorch:1.1.0-cuda10.0\nCOPY . /workdir\n",
        "Makefile": "build:\n\tdocker build -t widgets .\n",
        "ensemble.sh": "python train_folds.py --experiment a\npython predict_folds.py\n",
        "requirements.txt": "torch==1.1.0\n",
        "train_folds.py": "import src.models\n",
        "predict_folds.py": "import src.models\n",
        "src/__init__.py": "",
        "src/models.py": "import torch\n",
    }
    return files


@pytest.mark.parametrize(
    "readme",
    [
        "# Widget tagging\n\nThe source code of the 2nd place solution for the "
        "[Widget Tagging](https://www.kaggle.com/c/widget-tagging-2020) challenge.\n",
        "# Widgets\n\nOur entry to https://www.kaggle.com/competitions/widgets scored 0.91 "
        "on the private leaderboard.\n",
    ],
    ids=["place-solution", "leaderboard"],
)
def test_a_kaggle_solution_with_a_dockerfile_is_research(tmp_path: Path, readme: str) -> None:
    assert kind_of(make_repo(tmp_path / "repo", competition_tree(readme))) == "research"


@pytest.mark.parametrize(
    "readme",
    [
        # A model trained on a competition's data, served: no result is presented.
        "# Widget tagging service\n\nTrained on the data of "
        "https://www.kaggle.com/c/widget-tagging-2020, served in a container.\n",
        # A solution, but not of a competition.
        "# Widgets\n\nA containerised solution for tagging widgets, ranked first by users.\n",
    ],
    ids=["competition-data-only", "no-competition"],
)
def test_a_container_that_is_no_competition_solution_stays_an_application(
    tmp_path: Path, readme: str
) -> None:
    assert kind_of(make_repo(tmp_path / "repo", competition_tree(readme))) == "application"


def test_a_kaggle_solution_that_serves_stays_an_application(tmp_path: Path) -> None:
    readme = "# Widgets\n\n1st place solution of https://www.kaggle.com/c/widgets, served.\n"
    files = {
        **competition_tree(readme),
        "app.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    }
    assert kind_of(make_repo(tmp_path / "repo", files)) == "application"


# A minimal web service: three files, but deployed.


@pytest.mark.parametrize(
    ("files", "why"),
    [
        (
            {
                "widgets/api.py": "from fastapi import Depends, FastAPI\n\napp = FastAPI()\n",
                "widgets/model.py": "import torch\n",
                "Pipfile": '[packages]\nfastapi = "*"\n',
            },
            "imports a web framework",
        ),
        (
            {
                "bin/start_server": "#!/bin/bash\n\nuvicorn widgets.api:app\n",
                "widgets/api.py": "from .model import predict\n",
                "widgets/model.py": "import torch\n",
            },
            "starts a server",
        ),
        (
            {"Procfile": "web: gunicorn app:app\n", "app.py": "import flask_like\n"},
            "starts a server",
        ),
        (
            {"Makefile": "serve:\n\tpoetry run uvicorn app:app\n", "app.py": "import numpy\n"},
            "starts a server",
        ),
        (
            {"serve.py": "from flask import Flask\n\napp = Flask(__name__)\n"},
            "imports a web framework",
        ),
    ],
    ids=[
        "fastapi-module",
        "uvicorn-start-script",
        "gunicorn-procfile",
        "uvicorn-makefile",
        "flask-module",
    ],
)
def test_a_minimal_web_service_is_an_application(
    tmp_path: Path, files: dict[str, str], why: str
) -> None:
    root = make_repo(tmp_path / "repo", files)
    model = build_model(root, discover(root, None).files)
    assert model.kind == "application"
    assert why in model.kind_why


@pytest.mark.parametrize(
    "files",
    [
        # An analysis script run by hand.
        {"analysis.py": "import pandas as pd\n\nprint(pd.read_csv('data.csv').describe())\n"},
        # A hosted UI demo (a Streamlit showcase): not a web API, stays research.
        {"streamlit_app.py": "import streamlit as st\n\nst.title('demo')\n", "Pipfile": ""},
        # A script that only mentions a server in a comment or a string.
        {
            "train.py": "# later: serve it with fastapi\nprint('uvicorn is not used')\n",
            "run.sh": "python train.py --epochs 3\necho 'serve it later with uvicorn'\n",
        },
    ],
    ids=["analysis-script", "streamlit-demo", "server-named-in-comment"],
)
def test_a_minimal_repository_that_does_not_serve_stays_research(
    tmp_path: Path, files: dict[str, str]
) -> None:
    assert kind_of(make_repo(tmp_path / "repo", files)) == "research"
