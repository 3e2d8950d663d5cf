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
