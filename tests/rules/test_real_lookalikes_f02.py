"""Factor 2 look-alikes taken from judging TF206/TF201 on real repositories.

Each case is a minimal, self-written repository shaped like what was found (no file of
those repositories is copied here) that must not be reported. The violating counterparts
that must still fire are in `test_f02_dependencies.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from twelvefold.config import Config

from tests.helpers import check, findings, make_repo, notebook

LIBRARY_PYPROJECT = (
    '[project]\nname = "tinylib"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n'
    'classifiers = ["Programming Language :: Python :: 3"]\ndependencies = ["numpy>=1.24"]\n'
)


def tf206(
    tmp_path: Path, files: dict[str, str], kind: str = "application"
) -> list[tuple[str | None, int | None, str]]:
    make_repo(tmp_path, files)
    found = check(tmp_path, select=["TF206"], config=Config(kind=kind)).findings
    return [(f.path, f.line, f.message) for f in found]


# --- 1. modules a declared distribution always installs ------------------------------------


@pytest.mark.parametrize(
    ("declared", "code"),
    [
        ("pandas==2.2.2", "from dateutil import parser\n"),  # pandas requires python-dateutil
        ("prefect==3.1.0", "import httpx\n"),  # prefect's client talks to the API with httpx
        ("cookiecutter==2.6.0", "from jinja2 import Environment\n"),
        ("dash==2.18.1", "import plotly.express as px\nimport flask\n"),
        ("streamlit==1.39.0", "import altair as alt\nimport pandas as pd\nimport numpy as np\n"),
        ("hydra-core==1.3.2", "from omegaconf import DictConfig, OmegaConf\n"),
    ],
)
def test_import_provided_by_a_declared_distribution(
    tmp_path: Path, declared: str, code: str
) -> None:
    files = {"requirements.txt": declared + "\n", "app.py": code}
    assert tf206(tmp_path, files) == []


# --- 2. a committed lock file pins the distribution ----------------------------------------


def _pipfile_lock(default: list[str], develop: list[str] = ()) -> str:  # type: ignore[assignment]
    section = {name: {"version": "==1.0.0"} for name in default}
    return json.dumps(
        {
            "_meta": {"hash": {"sha256": "0" * 64}, "pipfile-spec": 6, "requires": {}},
            "default": section,
            "develop": {name: {"version": "==1.0.0"} for name in develop},
        }
    )


def _toml_lock(*names: str) -> str:
    return "".join(f'[[package]]\nname = "{n}"\nversion = "1.0.0"\n\n' for n in names)


@pytest.mark.parametrize(
    "lock",
    [
        {"Pipfile.lock": _pipfile_lock(["requests", "python-dateutil", "six"])},
        {"poetry.lock": _toml_lock("requests", "python-dateutil", "six")},
        {"uv.lock": "version = 1\n\n" + _toml_lock("demo", "requests", "python-dateutil")},
        {
            "pdm.lock": '[metadata]\ngroups = ["default"]\n\n'
            + _toml_lock("requests", "python-dateutil")
        },
    ],
)
def test_import_pinned_by_a_lock_beside_it(tmp_path: Path, lock: dict[str, str]) -> None:
    files = {
        "Pipfile": '[packages]\nrequests = "*"\n',
        **lock,
        "app.py": "import requests\nfrom dateutil import tz\n",
    }
    assert tf206(tmp_path, files) == []


def test_import_pinned_by_a_lock_above_it(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "acme"\nversion = "0"\ndependencies = ["requests"]\n',
        "uv.lock": "version = 1\n\n" + _toml_lock("acme", "requests", "tqdm"),
        "src/acme/jobs/run.py": "import requests\nfrom tqdm import tqdm\n",
    }
    assert tf206(tmp_path, files) == []


# --- 3. optional imports --------------------------------------------------------------------


def test_library_imports_an_optional_integration_inside_a_function(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": LIBRARY_PYPROJECT,
        "src/tinylib/__init__.py": "",
        "src/tinylib/loggers.py": (
            "import numpy as np\n\n\n"
            "def log_to_wandb(values):\n    import wandb\n\n    wandb.log({'v': np.mean(values)})\n\n\n"
            "class MlflowLogger:\n    def log(self, key, value):\n"
            "        import mlflow\n\n        mlflow.log_metric(key, value)\n"
        ),
    }
    assert tf206(tmp_path, files, kind="library") == []


@pytest.mark.parametrize(
    "code",
    [
        "import importlib.util\n\nif importlib.util.find_spec('wandb'):\n    import wandb\n",
        "import importlib.util\n\nif importlib.util.find_spec('wandb') is not None:\n    import wandb\n",
        "from importlib.util import find_spec\n\n_HAS = find_spec('wandb') is not None\n"
        "if find_spec('wandb') and _HAS:\n    import wandb\nelse:\n    wandb = None\n",
        "from .utils import is_wandb_available\n\nif is_wandb_available():\n    import wandb\n",
        "from .utils import _WANDB_AVAILABLE\n\nif _WANDB_AVAILABLE:\n    import wandb\n",
        "import importlib.util\n\nif importlib.util.find_spec('wandb') is None:\n    wandb = None\n"
        "else:\n    import wandb\n",
    ],
)
def test_import_guarded_by_an_availability_check(tmp_path: Path, code: str) -> None:
    files = {"requirements.txt": "numpy==2.0.0\n", "app/__init__.py": "", "app/track.py": code}
    assert tf206(tmp_path, files) == []


def test_import_after_check_requirements_installs_on_demand(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "torch==2.4.0\n",
        "utils/general.py": "def check_requirements(requirements=()):\n    pass\n",
        "export.py": (
            "import torch\nfrom utils.general import check_requirements\n\n\n"
            "def export_onnx(model, im, file):\n"
            "    check_requirements(('onnx>=1.12.0',))\n"
            "    import onnx\n\n"
            "    torch.onnx.export(model, im, file)\n    onnx.checker.check_model(onnx.load(file))\n"
        ),
    }
    assert tf206(tmp_path, files) == []


def test_notebook_import_guarded_by_find_spec(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "numpy==2.0.0\n",
        "eda.ipynb": notebook(
            "import importlib.util\nif importlib.util.find_spec('seaborn'):\n    import seaborn as sns"
        ),
    }
    assert tf206(tmp_path, files) == []


# --- 4. TF201: a conda environment under another name is a manifest ------------------------

CONDA_ENV = (
    "name: demo\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pandas=2.2.2\n"
)


@pytest.mark.parametrize(
    "files",
    [
        {
            "MLproject": "name: demo\nconda_env: conda.yaml\nentry_points:\n  main:\n    command: python train.py\n",
            "conda.yaml": CONDA_ENV,
        },
        {"conda.yml": CONDA_ENV},
        {
            "mlflow/MLproject": "name: demo\nconda_env: envs/train-env.yaml\n",
            "mlflow/envs/train-env.yaml": CONDA_ENV,
        },
        {"env.yml": CONDA_ENV},
        {"binder-environment.yaml": CONDA_ENV},
    ],
)
def test_tf201_conda_environment_under_another_name(tmp_path: Path, files: dict[str, str]) -> None:
    files = {**files, "train.py": "import pandas as pd\n"}
    assert findings(tmp_path, "TF201", files) == []


def test_library_integration_module_imports_its_framework(tmp_path: Path) -> None:
    """BentoML's `_internal/frameworks/diffusers_runners/`: an opt-in integration's
    module-level import of the framework it integrates is not the library's dependency."""
    files = {
        "pyproject.toml": LIBRARY_PYPROJECT,
        "src/tinylib/__init__.py": "",
        "src/tinylib/frameworks/__init__.py": "",
        "src/tinylib/frameworks/diffusers.py": "import diffusers\nimport torch\n",
        "src/tinylib/contrib/hub.py": "from huggingface_hub import HfApi\n",
    }
    assert tf206(tmp_path, files, kind="library") == []


def test_an_application_integration_folder_is_still_checked(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": LIBRARY_PYPROJECT,
        "src/tinylib/__init__.py": "",
        "src/tinylib/integrations/slack.py": "import requests\n",
    }
    # In an application the integration ships with the product: its import is required.
    assert tf206(tmp_path, files, kind="application") != []


# --- 5. TF206: imports inside a `with` that defers import errors ----------------------------


@pytest.mark.parametrize(
    "code",
    [
        # Haystack, with the `lazy_imports` package: the error is raised on first use.
        "from lazy_imports import LazyImport\n\n"
        'with LazyImport("Run \'pip install \\"arrow>=1.3.0\\"\'") as arrow_import:\n'
        "    import arrow\n\n\n"
        "def now():\n    arrow_import.check()\n    return arrow.utcnow()\n",
        # Optuna's own guard.
        "from app._imports import try_import\n\n"
        "with try_import() as _imports:\n"
        "    import torch\n    from sklearn.linear_model import LogisticRegression\n",
        "from app.utils import optional_import\n\n"
        "with optional_import('seaborn'):\n    import seaborn as sns\n",
        "from app import deps\n\n"
        "with deps.OptionalDependency('plots') as plots:\n    import matplotlib.pyplot as plt\n",
        "import contextlib\n\nwith contextlib.suppress(ImportError):\n    import boto3\n",
        "from contextlib import suppress\n\n"
        "with suppress(ModuleNotFoundError):\n    import boto3\n",
    ],
)
def test_import_inside_a_with_that_defers_import_errors(tmp_path: Path, code: str) -> None:
    files = {
        "requirements.txt": "numpy==2.0.0\n",
        "app/__init__.py": "",
        "app/_imports.py": "",
        "app/utils.py": "",
        "app/deps.py": "",
        "app/feature.py": code,
    }
    assert tf206(tmp_path, files) == []


# --- 6. TF202: a direct reference to a versioned file, tag or commit is pinned -------------


def tf202(tmp_path: Path, files: dict[str, str]) -> list[tuple[str | None, int | None, str]]:
    return [(f.path, f.line, f.message) for f in findings(tmp_path, "TF202", files)]


@pytest.mark.parametrize(
    "requirement",
    [
        # explosion/projects: a spaCy model wheel, its version in the file name.
        "en_core_web_lg @ https://github.com/explosion/spacy-models/releases/download/"
        "en_core_web_lg-3.4.0/en_core_web_lg-3.4.0-py3-none-any.whl",
        # A tag.
        "wikiextractor @ git+https://github.com/adrianeboyd/wikiextractor.git@v3.0.7a0",
        "tinytok @ git+ssh://git@github.com/acme/tinytok.git@1.4.2",
        # A commit.
        "tinytok @ git+https://github.com/acme/tinytok@" + "0123456789abcdef" * 2 + "01234567",
        # A versioned sdist, a tag archive.
        "tinytok @ https://files.example.com/dist/tinytok-1.2.0.tar.gz",
        "tinytok @ https://github.com/acme/tinytok/archive/refs/tags/v1.2.0.zip",
        "tinytok @ https://downloads.example.com/tinytok.tar.gz#sha256=" + "ab" * 32,
    ],
)
def test_tf202_direct_reference_to_a_version_is_pinned(tmp_path: Path, requirement: str) -> None:
    name = requirement.split(" @ ", 1)[0]
    files = {
        "requirements.txt": f"spacy==3.4.4\n{requirement}\n",
        "pyproject.toml": (
            '[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
            f"dependencies = [{json.dumps(requirement)}]\n"
        ),
        "environment.yml": (
            f"name: demo\ndependencies:\n  - python=3.11\n  - pip\n  - pip:\n    - {requirement}\n"
        ),
        "app.py": "",
    }
    assert [f for f in tf202(tmp_path, files) if name in f[2]] == []


# --- 7. TF202: only build and test tooling left unpinned -----------------------------------


@pytest.mark.parametrize(
    "requirements",
    [
        # mlops-with-vertex-ai: the test runner is the one unpinned line.
        "kfp==1.8.1\ngoogle-cloud-aiplatform==1.4.2\npytest",
        "numpy==1.26.4\npandas==2.2.2\npip\nsetuptools>=65\nwheel\nbuild\ntwine\n",
        "torch==2.3.1\npip-tools\npre-commit\ncoverage[toml]>=7\n",
    ],
)
def test_tf202_only_tooling_unpinned(tmp_path: Path, requirements: str) -> None:
    assert tf202(tmp_path, {"requirements.txt": requirements, "app.py": ""}) == []


# --- 8. TF204: the Python version declared where the code is built or deployed -------------


@pytest.mark.parametrize(
    "files",
    [
        # replicate/cog-examples: Cog builds the image with build.python_version.
        {
            "hello/cog.yaml": (
                'build:\n  gpu: false\n  python_version: "3.12"\n'
                '  python_requirements: requirements.txt\npredict: "predict.py:Predictor"\n'
            ),
            "hello/requirements.txt": "pillow==10.4.0\n",
            "hello/predict.py": "",
        },
        {"Dockerfile": "FROM python:3.11-slim\nCOPY . /app\n"},
        {"Dockerfile": "FROM python:3.11.9\n"},
        {"docker/Dockerfile": "FROM --platform=linux/amd64 python:3.12.4-slim-bookworm AS run\n"},
        {"Dockerfile": "FROM docker.io/library/python:3.10\n"},
        {"Dockerfile": "ARG PYTHON_VERSION=3.11\nFROM python:${PYTHON_VERSION}-slim\n"},
        # App Engine, AWS SAM / Serverless.
        {"app.yaml": "runtime: python311\nentrypoint: gunicorn -b :$PORT main:app\n"},
        {"serverless.yml": "service: scorer\nprovider:\n  name: aws\n  runtime: python3.11\n"},
        # mlops-with-vertex-ai: the Cloud Function is deployed with --runtime=python37.
        {
            ".github/workflows/deploy.yml": (
                "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - run: |\n          gcloud functions deploy trigger \\\n"
                "            --runtime=python37 --trigger-topic=retrain\n"
            )
        },
        {
            "cloudbuild.yaml": "steps:\n- name: gcr.io/cloud-builders/gcloud\n  args: ['functions', 'deploy', 'f', '--runtime', 'python311']\n"
        },
    ],
)
def test_tf204_python_version_where_the_code_is_built_or_deployed(
    tmp_path: Path, files: dict[str, str]
) -> None:
    files = {"requirements.txt": "pandas==2.2.2\n", "main.py": "", **files}
    assert findings(tmp_path, "TF204", files) == []
