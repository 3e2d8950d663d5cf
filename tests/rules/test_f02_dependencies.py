"""Factor 2 rules: violating snippets as people write them, and the look-alikes that are fine."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from twelvefold.config import Config

from tests.corpus.model import Member, poetry_lock, uv_lock
from tests.helpers import check, findings, make_repo, notebook

PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = [{deps}]\n'


def pyproject(*deps: str, extra: str = "") -> str:
    return PYPROJECT.format(deps=", ".join(f'"{d}"' for d in deps)) + extra


def locked(*deps: str) -> dict[str, str]:
    """A pyproject with `deps` and a uv.lock in sync with it."""
    registry = {d.split(">")[0].split("=")[0].split("[")[0]: "1.0.0" for d in deps}
    return {
        "pyproject.toml": pyproject(*deps),
        "uv.lock": uv_lock(">=3.11", [Member("demo", ".", deps)], registry),
    }


def codes(
    tmp_path: Path, code: str, files: dict[str, str | bytes]
) -> list[tuple[str | None, int | None]]:
    return [(f.path, f.line) for f in findings(tmp_path, code, files)]


# --- TF201 no-dependency-manifest ---------------------------------------------------------


def test_tf201_python_without_manifest(tmp_path: Path) -> None:
    assert codes(
        tmp_path, "TF201", {"train.py": "import pandas\n", "notebooks/eda.ipynb": notebook("x = 1")}
    ) == [(None, None)]


@pytest.mark.parametrize(
    "manifest",
    [
        "pyproject.toml",
        "requirements.txt",
        "requirements/base.txt",
        "setup.py",
        "setup.cfg",
        "environment.yml",
        "Pipfile",
    ],
)
def test_tf201_any_manifest_is_enough(tmp_path: Path, manifest: str) -> None:
    # A setup.cfg is a manifest when it says what it packages; one of tool settings only
    # (`[flake8]`) is not (see test_tf201_an_extension_helper_is_not_the_dependency_manifest).
    text = "[metadata]\nname = churn\n" if manifest == "setup.cfg" else "x\n"
    assert not codes(tmp_path, "TF201", {"train.py": "import os\n", manifest: text})


def test_tf201_a_setup_cfg_of_linter_settings_is_not_a_manifest(tmp_path: Path) -> None:
    lint = "[flake8]\nmax-line-length = 88\n"
    assert codes(tmp_path, "TF201", {"train.py": "import pandas\n", "setup.cfg": lint})


def test_tf201_no_python_no_finding(tmp_path: Path) -> None:
    assert not codes(tmp_path, "TF201", {"README.md": "# docs\n"})


def test_tf201_yaml_that_is_not_a_conda_environment(tmp_path: Path) -> None:
    # A root YAML with `dependencies:` but no `channels:` (a pipeline's stage graph), a
    # conda-shaped file below the root that nothing names, and an MLproject whose
    # conda_env names a file that is not there declare nothing.
    files = {
        "params.yaml": "train:\n  epochs: 10\ndependencies:\n  - data/raw\n  - src/featurize.py\n",
        "MLproject": "name: churn\nconda_env: conda.yaml\nentry_points:\n  main:\n    command: python train.py\n",
        "notes/env-sketch.yml": "channels:\n  - defaults\ndependencies:\n  - pandas\n",
        "train.py": "import pandas as pd\n",
    }
    assert codes(tmp_path, "TF201", files) == [(None, None)]


# --- TF202 unpinned-dependency ------------------------------------------------------------


def test_tf202_one_finding_per_requirements_file(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "# core\npandas\nnumpy==1.26.4\nscikit-learn>=1.3\ntorch~=2.3\n",
        "a.py": "",
    }
    found = findings(tmp_path, "TF202", files)
    # One root cause, one fix: the file is reported once, at its first unpinned line.
    assert [(f.path, f.line) for f in found] == [("requirements.txt", 2)]
    assert found[0].message.startswith("3 requirements are not pinned")
    assert "`scikit-learn>=1.3`" in found[0].message and "`torch~=2.3`" in found[0].message


def test_tf202_a_name_pinned_elsewhere_in_the_file_is_pinned(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "mkdocstrings==0.21.2\nmkdocstrings[python]>=0.18\nrich\n",
        "a.py": "",
    }
    found = findings(tmp_path, "TF202", files)
    assert [(f.path, f.line) for f in found] == [("requirements.txt", 3)]
    assert "mkdocstrings" not in found[0].message


def test_tf202_pins_and_hashes_are_fine(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pandas==2.2.2\nnumpy==1.26.4 ; python_version >= '3.10'\n-e .\n",
        "requirements-dev.txt": "pytest==8.2.2 \\\n    --hash=sha256:" + "a" * 64 + "\n",
        "a.py": "",
    }
    assert not codes(tmp_path, "TF202", files)


def test_tf202_pyproject_ranges_with_uv_lock_are_fine(tmp_path: Path) -> None:
    assert not codes(tmp_path, "TF202", {**locked("pandas>=2.2", "numpy>=1.26"), "a.py": ""})


def test_tf202_pyproject_ranges_without_lock_one_finding(tmp_path: Path) -> None:
    found = findings(
        tmp_path, "TF202", {"pyproject.toml": pyproject("pandas>=2.2", "numpy"), "a.py": ""}
    )
    assert [(f.path, f.line) for f in found] == [("pyproject.toml", 5)]
    assert "`pandas>=2.2`" in found[0].message and "`numpy`" in found[0].message


def test_tf202_requirements_in_with_compiled_txt(tmp_path: Path) -> None:
    files = {
        "requirements.in": "pandas\nscikit-learn>=1.3\n",
        "requirements.txt": "pandas==2.2.2\nscikit-learn==1.5.0\nnumpy==1.26.4\n",
        "a.py": "",
    }
    assert not codes(tmp_path, "TF202", files)


def test_tf202_requirements_in_alone_is_reported(tmp_path: Path) -> None:
    assert codes(tmp_path, "TF202", {"requirements.in": "pandas\n", "a.py": ""}) == [
        ("requirements.in", 1)
    ]


def test_tf202_constraints_file_pins(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "-c constraints.txt\npandas\n",
        "constraints.txt": "pandas==2.2.2\n",
        "a.py": "",
    }
    assert not codes(tmp_path, "TF202", files)


def test_tf202_conda_environment(tmp_path: Path) -> None:
    files = {
        "environment.yml": "name: x\ndependencies:\n  - python=3.11\n  - numpy=1.26.4\n  - pandas\n  - pip:\n    - torch>=2\n",
        "a.py": "",
    }
    found = findings(tmp_path, "TF202", files)
    assert [(f.path, f.line) for f in found] == [("environment.yml", 5)]
    assert "`pandas`" in found[0].message and "`torch>=2`" in found[0].message


# --- TF203 lock-out-of-date ---------------------------------------------------------------


def test_tf203_uv_lock_in_sync(tmp_path: Path) -> None:
    assert not codes(
        tmp_path, "TF203", {**locked("pandas>=2.2", "uvicorn[standard]>=0.29"), "a.py": ""}
    )


def test_tf203_uv_lock_missing_a_new_dependency(tmp_path: Path) -> None:
    files = {**locked("pandas>=2.2"), "a.py": ""}
    files["pyproject.toml"] = pyproject("pandas>=2.2", "polars>=1.0")
    found = findings(tmp_path, "TF203", files)
    assert [f.path for f in found] == ["uv.lock"] and "`polars`" in found[0].message


def test_tf203_uv_lock_specifier_changed(tmp_path: Path) -> None:
    files = {**locked("pandas>=2.2"), "a.py": ""}
    files["pyproject.toml"] = pyproject("pandas>=2.3")
    found = findings(tmp_path, "TF203", files)
    assert len(found) == 1 and "specifier changed" in found[0].message


def test_tf203_requires_python_written_another_way_is_no_drift(tmp_path: Path) -> None:
    # Held-out set M (Kokoro-FastAPI): uv writes `>=3.11,<3.12` as `==3.11.*`.
    files = {**locked("pandas>=2.2"), "a.py": ""}
    files["pyproject.toml"] = files["pyproject.toml"].replace('">=3.11"', '">=3.11,<3.12"')
    files["uv.lock"] = files["uv.lock"].replace(
        'requires-python = ">=3.11"', 'requires-python = "==3.11.*"'
    )
    assert 'requires-python = "==3.11.*"' in files["uv.lock"]
    assert not codes(tmp_path, "TF203", files)
    # a range that really changed is still drift
    files["pyproject.toml"] = files["pyproject.toml"].replace('">=3.11,<3.12"', '">=3.11,<3.13"')
    found = findings(tmp_path / "drift", "TF203", files)
    assert len(found) == 1 and "requires-python" in found[0].message


def test_tf203_poetry_lock_missing_dependency(tmp_path: Path) -> None:
    manifest = (
        '[tool.poetry]\nname = "f"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.10"\n'
        'pandas = "^2.1"\nscikit-learn = "^1.3"\n'
    )
    files = {
        "pyproject.toml": manifest,
        "poetry.lock": poetry_lock({"pandas": "2.1.4", "numpy": "1.26.2"}, "3.10"),
        "a.py": "",
    }
    found = findings(tmp_path, "TF203", files)
    assert len(found) == 1 and "`scikit-learn`" in found[0].message
    files["poetry.lock"] = poetry_lock({"pandas": "2.1.4", "scikit-learn": "1.3.2"}, "3.10")
    assert not findings(tmp_path / "ok", "TF203", files)


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv not installed")
def test_tf203_real_uv_lock(tmp_path: Path) -> None:
    """A lock written by uv itself (offline, a project with no dependencies) is in sync."""
    project = tmp_path / "p"
    project.mkdir()
    (project / "pyproject.toml").write_text(pyproject())
    done = subprocess.run(
        ["uv", "lock", "--offline", "--quiet"], cwd=project, capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip("uv lock did not work offline here")
    files = {
        "pyproject.toml": pyproject(),
        "uv.lock": (project / "uv.lock").read_text(),
        "a.py": "",
    }
    assert not codes(tmp_path / "repo", "TF203", files)
    files["pyproject.toml"] = pyproject().replace(">=3.11", ">=3.12")
    assert len(codes(tmp_path / "drift", "TF203", files)) == 1


# --- TF204 python-version-not-declared ----------------------------------------------------


def test_tf204_pyproject_without_requires_python(tmp_path: Path) -> None:
    files = {"pyproject.toml": '[project]\nname = "x"\ndependencies = []\n', "a.py": ""}
    assert codes(tmp_path, "TF204", files) == [("pyproject.toml", None)]


@pytest.mark.parametrize(
    "files",
    [
        {".python-version": "3.12\n", "requirements.txt": "x==1\n"},
        {"runtime.txt": "python-3.10.14\n", "requirements.txt": "x==1\n"},
        {"environment.yml": "dependencies:\n  - python=3.11\n"},
        {"setup.cfg": "[options]\npython_requires = >=3.10\n"},
        {"pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.10"\n'},
        # held-out set O (chineseocr): the image installs one conda Python
        {
            "requirements.txt": "x==1\n",
            "Dockerfile": "FROM ubuntu:18.04\nRUN /root/anaconda3/bin/conda install python=3.6\n",
        },
    ],
)
def test_tf204_declared_versions(tmp_path: Path, files: dict[str, str]) -> None:
    assert not codes(tmp_path, "TF204", {**files, "a.py": ""})


def test_tf204_a_conda_package_named_python_something_is_no_python(tmp_path: Path) -> None:
    dockerfile = "FROM ubuntu:22.04\nRUN conda install -c conda-forge python-dotenv=1.0\n"
    files = {"requirements.txt": "x==1\n", "Dockerfile": dockerfile, "a.py": ""}
    assert codes(tmp_path, "TF204", files) == [(None, None)]


# --- TF205 runtime-package-install --------------------------------------------------------


def test_tf205_notebook_installs(tmp_path: Path) -> None:
    files = {
        "eda.ipynb": notebook(
            "import pandas as pd",
            "!pip install -q xgboost==1.7.6\n%pip install lightgbm",
            "%%bash\npip install catboost\nnvidia-smi",
            "!conda install -y -c conda-forge shap",
        )
    }
    found = findings(tmp_path, "TF205", files)
    # One finding per notebook, at its first install, counting the others.
    assert [(f.cell, f.cell_line) for f in found] == [(1, 1)]
    assert "(and 3 more install lines)" in found[0].message


def test_tf205_subprocess_pip(tmp_path: Path) -> None:
    code = (
        "import subprocess, sys, os\n"
        'subprocess.check_call([sys.executable, "-m", "pip", "install", "lightgbm"])\n'
        'os.system("pip install xgboost")\n'
        'subprocess.run("python -m pip install -U torch", shell=True)\n'
    )
    assert [line for _, line in codes(tmp_path, "TF205", {"train.py": code})] == [2, 3, 4]


def test_tf205_look_alikes(tmp_path: Path) -> None:
    files = {
        "app.py": (
            "try:\n    import torch\nexcept ImportError:\n"
            '    raise SystemExit("PyTorch is missing: pip install torch")\n'
            'HELP = "run `pip install -e .` first"\n'
            'subprocess.run(["pip", "list"])\n'
        ),
        "noxfile.py": 'session.run("pip", "install", "-e", ".")\n',
        "setup.py": 'subprocess.check_call([sys.executable, "-m", "pip", "install", "wheel"])\n',
        "tests/test_env.py": 'subprocess.run([sys.executable, "-m", "pip", "install", "."])\n',
        "nb.ipynb": notebook(
            "# !pip install xgboost  (already in requirements)\nx = 1", "!pip list"
        ),
    }
    assert not codes(tmp_path, "TF205", files)


# --- TF206 undeclared-import --------------------------------------------------------------


def test_tf206_undeclared_mapped_imports(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pandas==2.2.2\n",
        "train.py": "import os\nimport pandas as pd\nimport cv2\nfrom sklearn.svm import SVC\nimport yaml\n",
    }
    found = findings(tmp_path, "TF206", files)
    assert [(f.line, f.message.split("`")[1]) for f in found] == [
        (3, "cv2"),
        (4, "sklearn.svm"),
        (5, "yaml"),
    ]
    assert "`scikit-learn`" in found[1].message and "`PyYAML`".lower() in found[2].message.lower()


def test_tf206_declared_under_distribution_names(tmp_path: Path) -> None:
    files = {
        "requirements.txt": (
            "scikit-learn==1.5\nopencv-python-headless==4.10.0.84\nPyYAML==6.0.1\nPillow==10.3\n"
            "hydra-core==1.3.2\nscikit-image==0.24\nbeautifulsoup4==4.12\npython-dotenv==1.0\nattrs==23.2\n"
            "python-jose==3.3\nPyJWT==2.8\npycryptodome==3.20\npython-dateutil==2.9\n"
            "google-cloud-storage==2.17\n"
        ),
        "app.py": (
            "import sklearn, cv2, yaml\nfrom PIL import Image\nimport hydra\nfrom skimage import io\nfrom bs4 import BeautifulSoup\n"
            "from dotenv import load_dotenv\nimport attr\nfrom jose import jwt as jose_jwt\nimport jwt\nfrom Crypto.Cipher import AES\n"
            "from dateutil import parser\nfrom google.cloud import storage\nimport google.cloud.storage\n"
        ),
    }
    assert not codes(tmp_path, "TF206", files)


def test_tf206_never_reports_stdlib_own_relative_optional_or_unknown(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": pyproject("pandas>=2"),
        "uv.lock": "",
        "src/mypkg/__init__.py": "from . import core\nfrom .core import run\n",
        "src/mypkg/core.py": (
            "from __future__ import annotations\nimport json, tomllib, asyncio\nfrom typing import TYPE_CHECKING\n"
            "import mypkg.utils\nfrom mypkg import core\nimport helpers\n"
            "if TYPE_CHECKING:\n    import polars as pl\n"
            "try:\n    import torch\nexcept ImportError:\n    torch = None\n"
            "try:\n    import cupy as xp\nexcept (ModuleNotFoundError, OSError):\n    import numpy as xp\n"
            "import some_internal_company_lib\n"
        ),
        "src/mypkg/utils.py": "",
        "scripts/helpers.py": "",
        "namespace/plugins/extra.py": "import namespace.plugins\n",
        "tests/test_core.py": "import pytest\nimport hypothesis\nimport seaborn\n",
        "docs/conf.py": "import sphinx_rtd_theme\nimport seaborn\n",
        "examples/demo.py": "import boto3\n",
    }
    assert not codes(tmp_path, "TF206", files)


def test_tf206_transitive_dependency_of_a_declared_one(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pandas==2.2\nfastapi==0.110\n",
        "a.py": "import numpy\nimport pydantic\nimport starlette\n",
    }
    assert not codes(tmp_path, "TF206", files)


def test_tf206_one_finding_per_distribution(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pandas==2.2\n",
        "a.py": "import tqdm\n",
        "b.py": "from tqdm import tqdm\n",
    }
    found = findings(tmp_path, "TF206", files)
    assert [(f.path, f.line) for f in found] == [("a.py", 1)] and "1 more" in found[0].message


@pytest.mark.parametrize(
    "manifest",
    [
        {
            "pyproject.toml": pyproject(
                extra='\n[project.optional-dependencies]\nviz = ["seaborn>=0.13"]\n'
            )
        },
        {"pyproject.toml": pyproject(extra='\n[dependency-groups]\nnb = ["seaborn>=0.13"]\n')},
        {"pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.10"\nseaborn = "^0.13"\n'},
        {"pyproject.toml": '[tool.poetry.group.viz.dependencies]\nseaborn = "^0.13"\n'},
        {"requirements-dev.txt": "seaborn==0.13.2\n"},
        {"setup.cfg": "[options]\ninstall_requires =\n    seaborn>=0.13\n"},
        {
            "setup.py": 'from setuptools import setup\nsetup(name="x", install_requires=["seaborn>=0.13"])\n'
        },
        {
            "setup.py": 'from setuptools import setup\nsetup(name="x", extras_require={"viz": ["seaborn"]})\n'
        },
        {"environment.yml": "dependencies:\n  - python=3.11\n  - conda-forge::seaborn=0.13.2\n"},
        {"environment.yml": "dependencies:\n  - pip\n  - pip:\n    - seaborn==0.13.2\n"},
        {"Pipfile": '[packages]\nseaborn = "==0.13.2"\n'},
        {
            "requirements.txt": "git+https://github.com/mwaskom/seaborn.git@0123456789abcdef0123456789abcdef01234567#egg=seaborn\n"
        },
        {
            "requirements.txt": "pandas==2.2\n",
            "Dockerfile": "FROM python:3.12-slim\nRUN pip install seaborn==0.13.2\n",
        },
    ],
)
def test_tf206_every_manifest_format_declares(tmp_path: Path, manifest: dict[str, str]) -> None:
    assert not codes(tmp_path, "TF206", {**manifest, "plots.py": "import seaborn as sns\n"})


def test_tf206_setup_py_is_read_not_run_and_computed_requirements_silence(tmp_path: Path) -> None:
    files = {
        "setup.py": (
            "import sys\nfrom setuptools import setup\nsys.exit('executed!')\n"
            "setup(name='x', install_requires=open('deps.txt').read().splitlines())\n"
        ),
        "a.py": "import seaborn\n",
    }
    assert not codes(tmp_path, "TF206", files)  # cannot know what is declared: silent


def test_tf206_monorepo_each_project_against_its_own_manifest(tmp_path: Path) -> None:
    member = '[project]\nname = "{name}"\nversion = "0.1.0"\ndependencies = [{deps}]\n'
    files = {
        "pyproject.toml": '[project]\nname = "root"\nversion = "0"\ndependencies = ["python-dotenv>=1"]\n',
        "packages/features/pyproject.toml": member.format(name="acme-features", deps='"polars>=1"'),
        "packages/features/src/acme_features/__init__.py": "import polars\nimport dotenv\n",
        "packages/serving/pyproject.toml": member.format(
            name="acme-serving", deps='"acme-features", "fastapi"'
        ),
        "packages/serving/src/acme_serving/api.py": "import fastapi\nimport polars\nimport redis\nimport acme_features\n",
        "packages/jobs/pyproject.toml": member.format(name="acme-jobs", deps='"requests"'),
        "packages/jobs/src/acme_jobs/run.py": "import requests\nimport fastapi\n",
    }
    found = findings(tmp_path, "TF206", files)
    assert [(f.path, f.line) for f in found] == [
        ("packages/jobs/src/acme_jobs/run.py", 2),
        ("packages/serving/src/acme_serving/api.py", 3),
    ]


def test_tf206_notebook_cells_and_self_installed_packages(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pandas==2.2\n",
        "eda.ipynb": notebook(
            "%matplotlib inline\nimport pandas as pd",
            "!pip install xgboost\nimport xgboost",
            "import seaborn as sns",
        ),
    }
    found = findings(tmp_path, "TF206", files)
    assert [(f.cell, f.cell_line) for f in found] == [(2, 1)]


def test_tf206_no_manifest_is_tf201s_finding(tmp_path: Path) -> None:
    assert not codes(tmp_path, "TF206", {"a.py": "import seaborn\n"})


def test_tf206_only_what_a_declared_distribution_requires_is_provided(tmp_path: Path) -> None:
    # requests does not bring httpx, numpy does not bring pandas (the other way round),
    # hydra-core brings omegaconf but not plotly.
    files = {
        "requirements.txt": "requests==2.32.3\nnumpy==2.0.0\nhydra-core==1.3.2\n",
        "app.py": "import httpx\nimport pandas as pd\nfrom omegaconf import DictConfig\nimport plotly.express as px\n",
    }
    found = findings(tmp_path, "TF206", files)
    assert [(f.line, f.message.split("`")[1]) for f in found] == [
        (1, "httpx"),
        (2, "pandas"),
        (4, "plotly.express"),
    ]


def test_tf206_a_lock_pins_only_its_installed_section_and_the_folders_below(
    tmp_path: Path,
) -> None:
    pipfile_lock = json.dumps(
        {
            "_meta": {"pipfile-spec": 6},
            "default": {"requests": {"version": "==2.32.3"}},
            "develop": {"seaborn": {"version": "==0.13.2"}},
        }
    )
    files = {
        "Pipfile": '[packages]\nrequests = "*"\n',
        "Pipfile.lock": pipfile_lock,  # seaborn only in `develop`: not installed in deploys
        "services/api/poetry.lock": '[[package]]\nname = "tqdm"\nversion = "4.66.4"\n',
        "jobs/run.py": "import requests\nimport seaborn as sns\nfrom tqdm import tqdm\n",
    }
    found = findings(tmp_path, "TF206", files)
    assert [(f.path, f.line) for f in found] == [("jobs/run.py", 2), ("jobs/run.py", 3)]


def test_tf206_conda_yaml_of_an_mlproject_declares(tmp_path: Path) -> None:
    files = {
        "MLproject": "name: churn\nconda_env: conda.yaml\n",
        "conda.yaml": "channels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pandas=2.2.2\n",
        "train.py": "import pandas as pd\nimport seaborn as sns\n",
    }
    assert codes(tmp_path, "TF206", files) == [("train.py", 2)]


def test_tf206_imports_that_are_not_optional(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "torch==2.4.0\n",
        "app/__init__.py": "",
        # An application imports inside functions what it needs to run.
        "app/export.py": "def to_onnx(model):\n    import onnx\n\n    return onnx.helper\n",
        # A device check is not an availability check.
        "app/accel.py": "import torch\n\nif torch.cuda.is_available():\n    import cupy as xp\n",
        # A guard that raises with a hint still requires the module.
        "app/track.py": (
            "from .utils import _WANDB_AVAILABLE\n\nif not _WANDB_AVAILABLE:\n"
            "    raise ImportError('pip install wandb')\nimport wandb\n"
        ),
        # Installing on demand covers what follows the call, not what precedes it.
        "app/detect.py": (
            "import pandas as pd\nfrom .general import check_requirements\n\n"
            "def results():\n    check_requirements('pandas')\n"
        ),
    }
    found = findings(tmp_path, "TF206", files)
    assert sorted((f.path, f.line) for f in found) == [
        ("app/accel.py", 4),
        ("app/detect.py", 1),
        ("app/export.py", 2),
        ("app/track.py", 5),
    ]


def test_tf206_library_module_level_import_is_required(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": pyproject(
            "numpy>=1.24", extra='classifiers = ["Programming Language :: Python :: 3"]\n'
        ),
        "src/tinylib/__init__.py": "",
        "src/tinylib/loggers.py": "import wandb\n\n\ndef log(values):\n    import mlflow\n",
    }
    make_repo(tmp_path, files)
    found = check(tmp_path, select=["TF206"], config=Config(kind="library")).findings
    assert [(f.path, f.line) for f in found] == [("src/tinylib/loggers.py", 1)]


# --- TF207 undeclared-system-tool ---------------------------------------------------------


def test_tf207_tools_nothing_installs(tmp_path: Path) -> None:
    code = (
        "import os, subprocess\nimport subprocess as sp\nfrom subprocess import check_call\n"
        'subprocess.run(["ffmpeg", "-i", "in.mp4", "out.wav"], check=True)\n'
        'os.system("wget -q https://example.org/data.zip")\n'
        'sp.check_output(["/usr/bin/tesseract", "page.png", "-"])\n'
        'subprocess.run("sudo curl -fsSL https://example.org -o x", shell=True)\n'
    )
    found = findings(tmp_path, "TF207", {"requirements.txt": "x==1\n", "media.py": code})
    assert [(f.line, f.message.split("`")[1]) for f in found] == [
        (4, "ffmpeg"),
        (5, "wget"),
        (6, "tesseract"),
        (7, "curl"),
    ]


@pytest.mark.parametrize(
    "declaration",
    [
        {
            "Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends \\\n    ffmpeg curl\n"
        },
        {"Dockerfile": "FROM python:3.12-alpine\nRUN apk add --no-cache ffmpeg curl\n"},
        {"apt.txt": "ffmpeg\ncurl\n"},
        {"packages.txt": "ffmpeg\ncurl\n"},
        {"environment.yml": "dependencies:\n  - ffmpeg=6.1\n  - curl\n"},
    ],
)
def test_tf207_declared_tools(tmp_path: Path, declaration: dict[str, str]) -> None:
    code = 'import subprocess\nsubprocess.run(["ffmpeg", "-i", "a.mp4", "a.wav"])\nsubprocess.run(["curl", "-O", "u"])\n'
    assert not codes(
        tmp_path, "TF207", {"requirements.txt": "x==1\n", **declaration, "media.py": code}
    )


def test_tf207_look_alikes(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "imageio-ffmpeg==0.5.1\n",
        "Dockerfile": "FROM python:3.12-bookworm\n",
        "media.py": (
            "import shutil, subprocess\n"
            'subprocess.run(["ffmpeg", "-version"])\n'  # imageio-ffmpeg ships it
            'subprocess.run(["wget", "u"])\n'  # the full python image has wget
            'subprocess.run(["git", "rev-parse", "HEAD"])\n'
            'if shutil.which("tesseract"):\n    subprocess.run(["tesseract", "a.png", "-"])\n'
            'print("install ffmpeg with apt-get")\n'
        ),
        "nb.ipynb": notebook("!wget -q https://example.org/x.zip\n!unzip x.zip"),
        "tests/test_media.py": 'import subprocess\nsubprocess.run(["pdftotext", "a.pdf"])\n',
    }
    assert not codes(tmp_path, "TF207", files)


# --- TF203 pdm.lock groups (look-alike from judging real repositories) ----------------------

_PDM_PYPROJECT = (
    '[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n'
    'dependencies = ["numpy>=1.26", "pandas>=2.1"]\n\n'
    "[project.optional-dependencies]\n"
    'test = ["pytest>=8.0"]\n'
    'gpu = ["cupy-cuda12x>=13.0"]\n'
    'docs = ["mkdocs-material>=9.5"]\n'
)


def _pdm_lock(groups: list[str], packages: dict[str, str]) -> str:
    """A pdm.lock as PDM 2.x writes it, locking `groups` only (`pdm lock -G test`)."""
    listed = ", ".join(f'"{g}"' for g in groups)
    text = (
        "# This file is @generated by PDM.\n# It is not intended for manual editing.\n\n"
        f'[metadata]\ngroups = [{listed}]\nstrategy = ["inherit_metadata"]\n'
        'lock_version = "4.5.0"\ncontent_hash = "sha256:0f3a"\n\n'
        '[[metadata.targets]]\nrequires_python = ">=3.10"\n'
    )
    for name, version in packages.items():
        text += (
            f'\n[[package]]\nname = "{name}"\nversion = "{version}"\nrequires_python = ">=3.10"\n'
        )
    return text


_PDM_LOCKED = {"numpy": "1.26.4", "pandas": "2.2.2", "pytest": "8.2.2"}


def test_tf203_pdm_lock_leaving_out_optional_groups_is_in_sync(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": _PDM_PYPROJECT,
        "pdm.lock": _pdm_lock(["default", "test"], _PDM_LOCKED),
        "a.py": "",
    }
    assert not codes(tmp_path, "TF203", files)


def test_tf203_pdm_lock_missing_a_dependency_of_a_locked_group(tmp_path: Path) -> None:
    added = _PDM_PYPROJECT.replace('"pandas>=2.1"]', '"pandas>=2.1", "polars>=1.0"]').replace(
        'test = ["pytest>=8.0"]', 'test = ["pytest>=8.0", "hypothesis>=6.100"]'
    )
    files = {
        "pyproject.toml": added,
        "pdm.lock": _pdm_lock(["default", "test"], _PDM_LOCKED),
        "a.py": "",
    }
    found = findings(tmp_path, "TF203", files)
    assert [f.path for f in found] == ["pdm.lock"]
    assert "`polars`" in found[0].message and "`hypothesis`" in found[0].message
    assert "cupy" not in found[0].message and "mkdocs" not in found[0].message
    # A lock that does not say which groups it holds is compared with every group.
    files["pdm.lock"] = _pdm_lock([], _PDM_LOCKED).replace("groups = []\n", "")
    files["pyproject.toml"] = _PDM_PYPROJECT
    [finding] = findings(tmp_path / "all", "TF203", files)
    assert "`cupy-cuda12x`" in finding.message


# --- TF206 fix text names the manifest the project uses -------------------------------------


def test_tf206_fix_names_the_manifest_the_project_actually_uses(tmp_path: Path) -> None:
    # Seen on real repositories: the fix always said `uv add` / pyproject, even where the
    # dependencies live in requirements.txt, environment.yml or setup.py.
    code = {"plots.py": "import seaborn as sns\n"}
    poetry = (
        '[tool.poetry]\nname = "demo"\nversion = "0.1.0"\n\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\npandas = "^2.2"\n'
    )
    setup = "from setuptools import setup\n\nsetup(name='demo', install_requires=['pandas>=2'])\n"
    variants = {
        "requirements": (
            {
                "requirements.txt": "pandas==2.2.2\n",
                "requirements-dev.txt": "pytest==8.2.2\n",
            },
            "Add `seaborn` to requirements.txt",
        ),
        "conda": (
            {"environment.yml": "name: demo\ndependencies:\n  - python=3.11\n  - pandas=2.2\n"},
            "Add `seaborn` to environment.yml (dependencies)",
        ),
        "setup": ({"setup.py": setup}, "Add `seaborn` to install_requires in setup.py"),
        "poetry": ({"pyproject.toml": poetry}, "`poetry add seaborn`"),
        "pep621": (
            {"pyproject.toml": pyproject("pandas>=2.2")},
            "Add `seaborn` to [project] dependencies in pyproject.toml",
        ),
        "uv": (locked("pandas>=2.2"), "`uv add seaborn`"),
        "tool-config-only-pyproject": (
            {
                "pyproject.toml": "[tool.ruff]\nline-length = 100\n",
                "requirements.txt": "pandas==2.2.2\n",
            },
            "Add `seaborn` to requirements.txt",
        ),
    }
    for name, (manifests, expected) in variants.items():
        [finding] = findings(tmp_path / name, "TF206", {**manifests, **code})
        assert finding.fix is not None and expected in finding.fix, (name, finding.fix)
        if name != "uv":
            assert "uv add" not in finding.fix, (name, finding.fix)


def test_tf206_fix_names_the_requirements_file_nearest_above_the_import(tmp_path: Path) -> None:
    # A course repository: one requirements.txt per lesson folder, none at the root.
    files = {
        "01-intro/requirements.txt": "pandas==2.2.2\n",
        "03-serving/requirements.txt": "flask==3.0.3\n",
        "03-serving/web/requirements-dev.txt": "pytest==8.2.2\n",
        "03-serving/web/predict.py": "import flask\nimport sklearn\n",
    }
    [finding] = findings(tmp_path, "TF206", files)
    assert (
        finding.fix
        == "Add `scikit-learn` to 03-serving/requirements.txt, pinned (`scikit-learn==<version>`)."
    )


# --- violations next to the look-alikes of test_real_lookalikes_f02 (sections 5-8) ----------


def test_tf206_imports_in_a_with_that_guards_nothing_are_required(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "numpy==2.0.0\n",
        "app/__init__.py": "",
        "app/timing.py": "",
        "app/model.py": (
            "import warnings\n\nfrom lazy_imports import LazyImport\n\nfrom app import timing\n\n"
            "with warnings.catch_warnings():\n"
            "    warnings.simplefilter('ignore')\n"
            "    import tensorflow as tf\n\n"
            "with LazyImport(\"Run 'pip install arrow'\") as arrow_import:\n"
            "    import arrow\n"
            "import seaborn as sns\n\n"
            "with timing.important_phase('load'):\n"
            "    import boto3\n"
        ),
    }
    found = codes(tmp_path, "TF206", files)
    # The guard covers its own block only; `important` is not the word `import`.
    assert found == [("app/model.py", 9), ("app/model.py", 13), ("app/model.py", 16)]


@pytest.mark.parametrize(
    "requirement",
    [
        "tinytok @ git+https://github.com/acme/tinytok.git@main",
        "tinytok @ git+https://github.com/acme/tinytok.git@master#egg=tinytok",
        "tinytok @ git+https://github.com/acme/tinytok.git",
        "tinytok @ https://github.com/acme/tinytok/archive/refs/heads/main.zip",
        "tinytok @ https://github.com/acme/tinytok/releases/latest/download/tinytok.tar.gz",
        "tinytok @ https://files.example.com/tinytok-latest-py3-none-any.whl",
    ],
)
def test_tf202_direct_reference_to_a_moving_target(tmp_path: Path, requirement: str) -> None:
    files = {
        "requirements.txt": f"spacy==3.4.4\n{requirement}\n",
        "pyproject.toml": pyproject(requirement),
        "app.py": "",
    }
    found = findings(tmp_path, "TF202", files)
    assert [(f.path, f.line) for f in found] == [("pyproject.toml", 5), ("requirements.txt", 2)]
    assert all("no version, tag or commit" in f.message for f in found)


@pytest.mark.parametrize(
    ("requirements", "listed"),
    [
        ("kfp==1.8.1\npytest\nrequests\n", "`requests`"),
        ("numpy>=1.26\npytest\n", "`numpy>=1.26`"),
        ("torch==2.3.1\nwheel\nsetuptools\npandas\n", "`pandas`"),
    ],
)
def test_tf202_tooling_does_not_excuse_an_unpinned_runtime_dependency(
    tmp_path: Path, requirements: str, listed: str
) -> None:
    [finding] = findings(tmp_path, "TF202", {"requirements.txt": requirements, "app.py": ""})
    assert listed in finding.message


@pytest.mark.parametrize(
    "files",
    [
        {"Dockerfile": "FROM python:latest\nCOPY . /app\n"},
        {"Dockerfile": "FROM python\n"},
        {"Dockerfile": "FROM python:slim\n"},
        {"Dockerfile": "FROM python:3-slim\n"},
        {"Dockerfile": "ARG PYTHON_VERSION\nFROM python:${PYTHON_VERSION}-slim\n"},
        {"Dockerfile": "FROM pythonista/tools:3.11\n"},
        # A test image says nothing about where the product runs.
        {"tests/docker/Dockerfile": "FROM python:3.11-slim\n"},
        {"app.yaml": "runtime: nodejs20\n"},
        {"app.yaml": "runtime: python3\n"},
        {"cog.yaml": 'build:\n  gpu: true\npredict: "predict.py:Predictor"\n'},
        {
            ".github/workflows/deploy.yml": (
                "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - run: gcloud functions deploy web --runtime=nodejs18\n"
            )
        },
    ],
)
def test_tf204_no_python_version_where_the_code_is_built_or_deployed(
    tmp_path: Path, files: dict[str, str]
) -> None:
    files = {"requirements.txt": "pandas==2.2.2\n", "main.py": "", **files}
    assert codes(tmp_path, "TF204", files) == [(None, None)]


def test_tf204_a_library_declares_its_python_in_its_metadata(tmp_path: Path) -> None:
    # A library's users install it with pip: its Dockerfile does not tell pip which Python.
    files = {
        "pyproject.toml": '[project]\nname = "tinylib"\nversion = "0.1.0"\ndependencies = []\n',
        "src/tinylib/__init__.py": "",
        "Dockerfile": "FROM python:3.11-slim\n",
    }
    make_repo(tmp_path, files)
    found = check(tmp_path, select=["TF204"], config=Config(kind="library")).findings
    assert [(f.code, f.path) for f in found] == [("TF204", "pyproject.toml")]


def test_tf206_namespace_sub_packages_imported_from_the_namespace(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pandas==2.2.2\ngoogle-cloud-bigquery==3.25.0\n",
        "src/pipeline/__init__.py": "",
        "src/pipeline/export.py": (
            "from google.cloud import bigquery, storage\n"
            "from azure.storage.blob import BlobServiceClient\n"
            "from google.cloud import vision as gvision\n"
        ),
    }
    found = findings(tmp_path, "TF206", files)
    assert [(f.line, f.message.split("`")[1], f.message.split("`")[3]) for f in found] == [
        (1, "google.cloud.storage", "google-cloud-storage"),
        (2, "azure.storage.blob", "azure-storage-blob"),
        (3, "google.cloud.vision", "google-cloud-vision"),
    ]


def test_tf206_namespace_look_alikes_are_fine(tmp_path: Path) -> None:
    files = {
        "requirements.txt": (
            "google-cloud-aiplatform==1.60.0\ngoogle-cloud-secret-manager==2.20.0\n"
            "azure-identity==1.17.1\n"
        ),
        "src/pipeline/__init__.py": "",
        "src/pipeline/deploy.py": (
            # storage comes with aiplatform; an unknown sub-package is never guessed
            "from google.cloud import aiplatform, storage\n"
            "from google.cloud import secretmanager\n"
            "from google.cloud import some_inhouse_thing\n"
            "from azure.identity import DefaultAzureCredential\n"
            "from google.cloud import *\n"
        ),
    }
    assert findings(tmp_path, "TF206", files) == []


def test_tf207_shell_escape_in_an_application_notebook(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "pandas==2.2.2\n",
        "src/churn/__init__.py": "",
        "notebooks/01-get-data.ipynb": notebook(
            "!kaggle competitions download -c titanic -p data/\n!unzip -o data/titanic.zip -d data/",
            "!wget -q https://example.com/extra.csv\n!pip list | grep pandas",
            "import pandas as pd\ndf = pd.read_csv('data/train.csv')",
        ),
    }
    [finding] = findings(tmp_path, "TF207", files)
    assert (finding.path, finding.cell, finding.cell_line) == ("notebooks/01-get-data.ipynb", 0, 1)
    assert "`kaggle` is run from code but nothing installs it" in finding.message


def test_tf207_shell_escape_look_alikes_are_fine(tmp_path: Path) -> None:
    from twelvefold.config import Config

    cells = notebook("!kaggle datasets download -d uciml/iris", "x = 1\nprint(x != 2)")
    # declared as the pip package that ships the program
    files = {
        "requirements.txt": "kaggle==1.6.17\n",
        "src/churn/__init__.py": "",
        "nb/get.ipynb": cells,
    }
    assert findings(tmp_path / "declared", "TF207", files) == []
    # a course's or a library's notebooks, and an application's example notebooks
    files = {
        "requirements.txt": "pandas==2.2.2\n",
        "lesson.ipynb": cells,
        "examples/demo.ipynb": cells,
    }
    for kind in ("course", "library"):
        make_repo(tmp_path / kind, files)
        assert check(tmp_path / kind, select=["TF207"], config=Config(kind=kind)).findings == []
    assert findings(tmp_path / "example", "TF207", {**files, "lesson.ipynb": "{}"}) == []


def test_tf207_cloud_clis_in_managed_notebooks_are_fine(tmp_path: Path) -> None:
    # A Vertex AI Workbench notebook: gsutil and gcloud come with the host.
    files = {
        "requirements.txt": "pandas==2.2.2\n",
        "src/pipeline/__init__.py": "",
        "03-training.ipynb": notebook(
            "!gsutil ls gs://my-bucket/data\n!gcloud ai custom-jobs list --region=us-central1"
        ),
    }
    assert findings(tmp_path, "TF207", files) == []


def test_tf206_tfx_stack_imports_need_their_distributions(tmp_path: Path) -> None:
    """A TFX pipeline imports tfx, tensorflow_transform and apache_beam: each has a
    distribution to declare (the reviewer's miss on mlops-with-vertex-ai)."""
    files = {
        "requirements.txt": "tensorflow==2.15.1\n",
        "src/tfx_pipelines/__init__.py": "",
        "src/tfx_pipelines/pipeline.py": (
            "import tensorflow as tf\n"
            "import tensorflow_transform as tft\n"
            "from tfx.orchestration import pipeline\n"
            "import apache_beam as beam\n"
        ),
    }
    found = findings(tmp_path, "TF206", files)
    assert [(f.line, f.message.split("`")[3]) for f in found] == [
        (2, "tensorflow-transform"),
        (3, "tfx"),
        (4, "apache-beam"),
    ]


def test_tf206_tfx_declared_brings_its_stack(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "tfx==1.14.0\nkfp==2.7.0\n",
        "src/tfx_pipelines/__init__.py": "",
        "src/tfx_pipelines/pipeline.py": (
            "import tensorflow_transform as tft\n"
            "from tfx.orchestration import pipeline\n"
            "import apache_beam as beam\n"
            "from kfp import dsl\n"
        ),
    }
    assert findings(tmp_path, "TF206", files) == []


def test_tf206_held_out_set_m_declarations(tmp_path: Path) -> None:
    # score_sde_pytorch: tensorflow-gan brings tensorflow-hub, tensorflow-datasets tqdm;
    # ml-zoomcamp: tensorflow-protobuf ships tensorflow_serving, and uv's pre-PEP 735
    # `[tool.uv] dev-dependencies` declares the test client's requests.
    files = {
        "requirements.txt": "tensorflow-gan==2.0.0\ntensorflow_datasets==3.1.0\n",
        "evaluation.py": "import tensorflow_hub as hub\nfrom tqdm import tqdm\n",
        "serving/pyproject.toml": (
            '[project]\nname = "gateway"\nversion = "0.1.0"\n'
            'dependencies = ["tensorflow-protobuf==2.11.0", "grpcio==1.66.1"]\n\n'
            '[tool.uv]\ndev-dependencies = ["requests>=2.32"]\n'
        ),
        "serving/gateway.py": "import grpc\nfrom tensorflow_serving.apis import predict_pb2\n",
        "serving/test_gateway.py": "import requests\n\nrequests.post('http://localhost:9696/predict')\n",
    }
    assert findings(tmp_path, "TF206", files) == []
    # what none of them brings is still reported
    files["evaluation.py"] += "import seaborn\n"
    [finding] = findings(tmp_path / "b", "TF206", files)
    assert "seaborn" in finding.message


def test_tf206_held_out_set_n_declarations(tmp_path: Path) -> None:
    # Kaggle-2020-Alaska2: catboost, scikit-optimize and imgaug always install what the
    # solution's scripts import next to them.
    files = {
        "requirements.txt": "catboost==1.2.5\nscikit-optimize==0.9.0\nimgaug==0.4.0\n",
        "stacking.py": (
            "import pandas as pd\nimport matplotlib.pyplot as plt\nfrom scipy import stats\n"
            "from sklearn.metrics import roc_auc_score\nfrom skimage import io\nimport skopt\n"
            "import catboost\nimport imgaug\n"
        ),
    }
    assert findings(tmp_path, "TF206", files) == []
    files["stacking.py"] += "import seaborn\n"
    [finding] = findings(tmp_path / "b", "TF206", files)
    assert "seaborn" in finding.message


def test_tf202_vcs_requirements_at_a_branch_are_unpinned(tmp_path: Path) -> None:
    # Held-out sets N and O (Whisper-WebUI, Kaggle-2020-Alaska2, vision_transformer):
    # pip's bare `git+https://...` lines and `-e git+...@develop` were not read at all.
    requirements = (
        "torch==2.1.0\n"
        "git+https://github.com/openai/whisper.git\n"
        "-e git+https://github.com/BloodAxe/pytorch-toolbelt.git@develop#egg=pytorch_toolbelt\n"
        "git+https://github.com/x/pinned.git@3f2a9c1d\n"
        "git+https://github.com/x/tagged.git@v1.2.0#egg=tagged\n"
        "-e .\n"
    )
    files = {"requirements.txt": requirements, "app.py": "import torch\n"}
    [finding] = findings(tmp_path, "TF202", files)
    assert finding.message.startswith("2 requirements are not pinned")
    assert "whisper.git`" in finding.message and "pytorch-toolbelt.git@develop" in finding.message
    assert "pinned.git" not in finding.message and "tagged.git" not in finding.message


def test_tf206_conda_installs_of_the_image_declare_what_they_install(tmp_path: Path) -> None:
    # Held-out set Q (Landmark2019): the environment is the image, and conda installs
    # pytorch, faiss and scikit-learn in it.
    dockerfile = (
        "FROM nvidia/cuda:10.0-cudnn7-devel-ubuntu16.04\n"
        "RUN pip install -U tqdm click\n"
        "RUN conda install -y pytorch torchvision cudatoolkit=10.0 -c pytorch && \\\n"
        "    conda install -y pandas scikit-learn=0.21 && \\\n"
        "    conda install faiss-gpu -c pytorch\n"
    )
    code = "import torch\nimport faiss\nimport sklearn\nimport pandas as pd\nimport tqdm\n"
    files = {"docker/Dockerfile": dockerfile, "src/train.py": code}
    assert findings(tmp_path, "TF206", files) == []
    files["src/train.py"] += "import lightgbm\n"
    [finding] = findings(tmp_path / "b", "TF206", files)
    assert "lightgbm" in finding.message
