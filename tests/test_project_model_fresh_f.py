"""The project model on the look-alikes of the fresh-2026-12-05-f held-out judging.

A paper's training code whose only package folders are its sub-projects' plug-ins for
another framework (`detection/mmcv_custom/__init__.py`), and a pipeline repository whose
steps an orchestrator runs, or whose CI runs its scripts: small self-written trees shaped
like the judged repositories, and the look-alikes of the other kind they must not be
mistaken for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from twelvefold.discovery import discover
from twelvefold.project import build_model

from tests.helpers import make_repo

PAPER_README = (
    "# WidgetNet: a convnet for widgets\n\n"
    "Official PyTorch implementation of [WidgetNet](https://arxiv.org/abs/2201.00001).\n\n"
    "```\npython main.py --model widgetnet_tiny --data-path /path/to/imagenet\n```\n\n"
    "```\n@Article{widget2022,\n  title={WidgetNet},\n  year={2022}\n}\n```\n"
)
TRAINING_MAIN = (
    "import argparse\n\nimport torch\n\nfrom engine import train_one_epoch\n"
    "from models.widgetnet import widgetnet_tiny\n\n"
    "def main():\n    parser = argparse.ArgumentParser()\n"
    "    parser.add_argument('--epochs', type=int, default=300)\n    parser.parse_args()\n\n"
    "if __name__ == '__main__':\n    main()\n"
)


def kind_of(root: Path) -> str:
    return build_model(root, discover(root, None).files).kind


# A paper's training code with sub-projects extending detection and segmentation
# frameworks: their plug-in packages are not a package of the repository's own.


def paper_tree() -> dict[str, str]:
    return {
        "README.md": PAPER_README,
        "INSTALL.md": "pip install torch timm\n",
        "main.py": TRAINING_MAIN,
        "engine.py": "import torch\n\ndef train_one_epoch():\n    pass\n",
        "datasets.py": "from torchvision import datasets\n",
        "utils.py": "import torch.distributed\n",
        "run_with_submitit.py": "import submitit\n",
        "models/widgetnet.py": "import torch.nn as nn\n",
        "detection/README.md": "# Detection with WidgetNet\n",
        "detection/mmcv_custom/__init__.py": "from .checkpoint import load_checkpoint\n",
        "detection/mmcv_custom/checkpoint.py": "import mmcv\n",
        "detection/mmdet/models/backbones/__init__.py": "",
        "detection/mmdet/models/backbones/widgetnet.py": "from mmdet.models import BACKBONES\n",
        "detection/configs/mask_rcnn_widgetnet.py": "model = dict(type='MaskRCNN')\n",
        "segmentation/mmcv_custom/__init__.py": "",
        "segmentation/mmcv_custom/optimizer.py": "import mmcv\n",
        "segmentation/backbone/widgetnet.py": "from mmseg.models import BACKBONES\n",
    }


def test_a_papers_code_with_sub_project_plugins_is_research(tmp_path: Path) -> None:
    assert kind_of(make_repo(tmp_path / "repo", paper_tree())) == "research"


@pytest.mark.parametrize(
    "extra",
    [
        # a test suite (one or two modules run by hand are not one: co-tracker)
        {f"tests/test_{n}.py": "def test_x():\n    pass\n" for n in ("engine", "model", "data")},
        {".github/workflows/ci.yml": "on: push\njobs: {}\n"},
        {"Dockerfile": "FROM python:3.11\nCOPY . .\nCMD python main.py\n"},
        # A package of its own at the root that the scripts do not import, in a project
        # kept with development tooling (without any, package folders that nothing
        # builds, tests or ships are run by hand: research).
        {
            "widgetkit/__init__.py": "",
            "widgetkit/serve.py": "import torch\n",
            "requirements-dev.txt": "pytest==8.3.3\n",
        },
    ],
    ids=["tests", "ci", "dockerfile", "root-package"],
)
def test_plugins_beside_tests_ci_an_image_or_a_root_package_stay_an_application(
    tmp_path: Path, extra: dict[str, str]
) -> None:
    assert kind_of(make_repo(tmp_path / "repo", {**paper_tree(), **extra})) == "application"


def test_sub_project_plugins_without_a_paper_stay_an_application(tmp_path: Path) -> None:
    files = {**paper_tree(), "README.md": "# Widgets\n\nRun `python main.py`.\n"}
    files["Makefile"] = "test:\n\tpytest\n"  # development tooling: a project kept up
    assert kind_of(make_repo(tmp_path / "repo", files)) == "application"


def test_an_application_with_a_package_and_a_dockerfile_stays_an_application(
    tmp_path: Path,
) -> None:
    files = {
        "README.md": "# Widget service\n\nBased on https://arxiv.org/abs/2201.00001.\n",
        "Dockerfile": 'FROM python:3.11-slim\nCOPY . .\nCMD ["python", "-m", "widgets"]\n',
        "requirements.txt": "torch==2.1.0\n",
        "widgets/__init__.py": "",
        "widgets/__main__.py": "from widgets.model import predict\n",
        "widgets/model.py": "import torch\n",
    }
    assert kind_of(make_repo(tmp_path / "repo", files)) == "application"


# A pipeline run as one product: an orchestrator runs its steps, or CI runs its scripts.

GITFLOW_WORKFLOW = (
    "name: Run pipelines\non: [push]\njobs:\n  run:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: actions/checkout@v4\n"
    "      - name: Install\n        run: |\n          pip install -r requirements.txt\n"
    "      - name: Train and deploy\n        run: |\n"
    "          python build.py \\\n            --config configs/staging.yml\n"
)


def pipeline_tree() -> dict[str, str]:
    """Root scripts, `pipelines/` and `steps/` without `__init__.py`, YAML configs, a
    poetry stub with no `[project]`: nothing packaged, containerised or served."""
    return {
        "README.md": "# Widget pipelines\n\nTrain, evaluate and deploy widgets.\n",
        "pyproject.toml": '[tool.poetry]\nname = "widget-pipelines"\nversion = "0.1.0"\n',
        "requirements.txt": "scikit-learn==1.4.0\n",
        "run.py": "import click\n\nfrom pipelines.training import training_pipeline\n",
        "build.py": "import click\n\nfrom pipelines.training import training_pipeline\n",
        "pipelines/training.py": "from steps.train import train_model\n",
        "steps/train.py": "from sklearn.linear_model import LogisticRegression\n",
        "steps/load.py": "import pandas\n",
        "configs/staging.yml": "steps:\n  train:\n    parameters: {C: 1.0}\n",
    }


@pytest.mark.parametrize(
    "extra",
    [
        {"steps/train.py": "from zenml import step\n\n@step\ndef train_model():\n    pass\n"},
        {"pipelines/training.py": "from kedro.pipeline import Pipeline, node\n"},
        {"pipelines/training.py": "from metaflow import FlowSpec, step\n"},
        {"pipelines/training.py": "from prefect import flow, task\n"},
        {"pipelines/training.py": "import dagster\n"},
        {"pipelines/training.py": "from kfp import dsl\n"},
        {".github/workflows/pipeline_run.yaml": GITFLOW_WORKFLOW},
        {".github/workflows/train.yml": "jobs:\n  t:\n    steps:\n      - run: python3 -m run\n"},
    ],
    ids=["zenml", "kedro", "metaflow", "prefect", "dagster", "kfp", "ci-runs-build", "ci-m"],
)
def test_an_orchestrated_or_ci_run_pipeline_is_an_application(
    tmp_path: Path, extra: dict[str, str]
) -> None:
    assert kind_of(make_repo(tmp_path / "repo", {**pipeline_tree(), **extra})) == "application"


@pytest.mark.parametrize(
    "extra",
    [
        {},
        # CI that only lints, or runs a chore script, runs no pipeline.
        {".github/workflows/lint.yml": "jobs:\n  l:\n    steps:\n      - run: flake8 .\n"},
        {
            ".github/workflows/docs.yml": "jobs:\n  d:\n    steps:\n"
            "      - run: python scripts/generate_table.py\n",
            "scripts/generate_table.py": "import json\n",
        },
        # A script CI runs that the repository does not hold.
        {".github/workflows/x.yml": "jobs:\n  x:\n    steps:\n      - run: python deploy.py\n"},
        # An orchestrator imported only in an example.
        {"examples/prefect_demo.py": "from prefect import flow\n"},
    ],
    ids=["nothing", "lint-ci", "chore-script", "missing-script", "example-only"],
)
def test_scripts_run_by_hand_stay_research(tmp_path: Path, extra: dict[str, str]) -> None:
    assert kind_of(make_repo(tmp_path / "repo", {**pipeline_tree(), **extra})) == "research"


def test_a_minimal_analysis_script_stays_research(tmp_path: Path) -> None:
    files = {
        "README.md": "# Widget analysis\n\n`python analyse.py data.csv`\n",
        "analyse.py": "import pandas\n\nprint(pandas.read_csv('data.csv').describe())\n",
        "requirements.txt": "pandas\n",
    }
    assert kind_of(make_repo(tmp_path / "repo", files)) == "research"


def test_a_minimal_zenml_pipeline_is_an_application(tmp_path: Path) -> None:
    files = {
        "README.md": "# Widget pipeline\n",
        "run.py": "from zenml import pipeline, step\n\n@pipeline\ndef training():\n    pass\n",
        "requirements.txt": "zenml\n",
    }
    assert kind_of(make_repo(tmp_path / "repo", files)) == "application"


def test_a_library_importing_an_orchestrator_stays_a_library(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "widget-flows"\nclassifiers = ["Topic :: X"]\n',
        "widget_flows/__init__.py": "",
        "widget_flows/tasks.py": "from prefect import task\n",
        ".github/workflows/ci.yml": "jobs:\n  t:\n    steps:\n      - run: python run.py\n",
        "run.py": "import widget_flows\n",
    }
    assert kind_of(make_repo(tmp_path / "repo", files)) == "library"
